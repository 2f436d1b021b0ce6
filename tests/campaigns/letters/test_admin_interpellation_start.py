"""Starting an interpellation from the admin: the form filled in from a campaign, officials or
municipalities, the readiness check and a real letter's preview, the confirmation, and the
progress page that follows the job to the letters and their files."""

import pytest
from django.contrib.admin.models import LogEntry

from campaigns.models import Interpellation, Letter, Membership
from tasks.jobs.models import Job
from tests.campaigns.factories import (
    CampaignFactory,
    LetterTemplateFactory,
    MembershipFactory,
    PledgedMeasureFactory,
    PledgeFactory,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
    pdf_pages,
)

pytestmark = pytest.mark.django_db

START = "/admin/campaigns/interpellation/lancer/"
PLACEHOLDER = "Mesure 06 (intitulé à compléter depuis la liste officielle)"


@pytest.fixture
def coordinator(collective):
    """A coordinator who signs letters under her full name."""
    return MembershipFactory(
        collective=collective, role=Membership.Role.COORDINATOR, signs_letters=True, user__first_name="Camille",
        user__last_name="Martin",
    ).user  # fmt: skip


@pytest.fixture
def member(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def mayor(salon):
    return in_office(salon, "maire", first_name="Élodie", last_name="IMBERT", email="maire@salon.example").official


@pytest.fixture
def deputy(salon):
    return in_office(salon, "adjoint", first_name="Inès", last_name="ROUX", email="").official


@pytest.fixture
def template(collective):
    return LetterTemplateFactory(
        collective=collective,
        name="Plan vélo",
        subject="Le plan vélo à {{ municipality.name }}",
        body="Le collectif {{ collective.name }} vous écrit au sujet du plan vélo.",
    )


def form(collective, template, **fields):
    data = {"collective": collective.pk, "template": template.pk, "delivery": "pdf", "municipality_roles": "mayors"}
    data.update(fields)
    return data


def test_a_member_opens_the_form_filled_in_from_a_campaign(member, collective, mayor):
    campaign = CampaignFactory(collective=collective, title="Mobilités")
    campaign.officials.add(mayor)

    response = member.get(f"{START}?campaign={campaign.pk}")

    assert response.status_code == 200
    initial = response.context["form"].initial
    assert (initial["collective"], initial["campaign"], initial["officials"]) == (
        collective.pk,
        campaign.pk,
        [mayor.pk],
    )
    assert "Élodie IMBERT" in response.text  # the autocomplete shows the chosen official


def test_the_officials_action_opens_the_form_with_them(member, mayor, deputy):
    response = member.post(
        "/admin/officials/official/",
        {"action": "start_for_officials", "_selected_action": [mayor.pk, deputy.pk]},
    )

    assert response.status_code == 302
    assert response["Location"].startswith(START)
    opened = member.get(response["Location"])
    assert sorted(opened.context["form"].initial["officials"]) == sorted([str(mayor.pk), str(deputy.pk)])


def test_the_check_shows_the_readiness_the_recipients_and_a_real_letter(member, collective, template, mayor, deputy):
    response = member.post(
        START, form(collective, template, municipalities=[mayor.mandates.get().municipality_id],
                    municipality_roles="mayors_and_deputies", _check="1"),
    )  # fmt: skip

    assert response.status_code == 200, response.context["form"].errors
    assert [recipient["mandate"].official for recipient in response.context["recipients"]] == [mayor, deputy]
    assert response.context["blocking"] is False
    preview = response.context["preview"]
    assert preview.subject == "Le plan vélo à Salon-de-Provence"
    assert preview.pages == 1 and pdf_pages(preview.pdf) == 1
    assert "Madame la Maire" in response.text
    assert not Interpellation.objects.exists()


def test_the_preview_of_any_recipient_is_a_pdf(member, collective, template, mayor, deputy):
    checked = member.post(START, form(collective, template, officials=[mayor.pk, deputy.pk], _check="1"))
    [url] = [r["pdf_url"] for r in checked.context["recipients"] if r["mandate"].official == deputy]

    response = member.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert pdf_pages(response.content) == 1


def test_blocking_items_are_shown_and_starting_asks_for_confirmation(
    member, collective, template, mayor, salon, pact, measures
):
    measures[0].title = PLACEHOLDER
    measures[0].save()
    PledgedMeasureFactory(
        pledge=PledgeFactory(pact=pact, municipality=salon, collective=collective), measure=measures[0]
    )
    template.body = "{% for m in pledge.measures %}{{ m.title }}{% endfor %}"
    template.save()

    checked = member.post(START, form(collective, template, officials=[mayor.pk], _check="1"))

    assert checked.context["blocking"] is True
    assert "porte encore un intitulé provisoire" in checked.text
    assert "confirmer malgré tout" in checked.text.lower()

    refused = member.post(START, form(collective, template, officials=[mayor.pk], _start="1"))

    assert refused.status_code == 200
    assert "cochez « confirmer malgré tout »" in refused.context["form"].errors["confirm"][0]
    assert not Interpellation.objects.exists()

    confirmed = member.post(START, form(collective, template, officials=[mayor.pk], confirm="on", _start="1"))

    assert confirmed.status_code == 302
    assert Interpellation.objects.get().letters.count() == 1


def test_confirming_creates_the_interpellation_its_letters_and_its_job(
    member, coordinator, collective, template, mayor, deputy
):
    response = member.post(
        START, form(collective, template, officials=[mayor.pk, deputy.pk], delivery="email", _start="1")
    )

    interpellation = Interpellation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/campaigns/interpellation/{interpellation.pk}/suivi/"
    assert (interpellation.collective, interpellation.template, interpellation.delivery) == (
        collective,
        template,
        "email",
    )
    assert interpellation.created_by == coordinator
    assert set(interpellation.letters.values_list("official", flat=True)) == {mayor.pk, deputy.pk}
    assert (interpellation.job.kind, interpellation.job.total) == ("interpellation", 2)
    # In the interpellation's history, as any admin addition.
    assert LogEntry.objects.get(object_id=str(interpellation.pk)).user == coordinator


def test_a_member_of_another_collective_cannot_start_one_for_ours(
    client, collective, other_collective, template, mayor
):
    client.force_login(MembershipFactory(collective=other_collective).user)

    response = client.post(START, form(collective, template, officials=[mayor.pk], confirm="on", _start="1"))

    assert response.status_code == 200
    assert "collective" in response.context["form"].errors
    assert not Interpellation.objects.exists()


def test_an_official_outside_the_territory_is_refused_on_the_form(member, collective, template, outside):
    aix_mayor = in_office(outside, "maire", last_name="JOISSAINS").official

    response = member.post(START, form(collective, template, officials=[aix_mayor.pk], confirm="on", _start="1"))

    assert "n'est élu·e dans aucune commune du territoire" in response.context["form"].errors["officials"][0]
    assert not Interpellation.objects.exists()


def test_a_user_of_no_collective_does_not_reach_the_page(client, db):
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory())

    assert client.get(START).status_code == 302  # to the admin's login


def test_the_progress_page_follows_the_job_then_shows_the_letters_and_files(
    member, collective, template, mayor, deputy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        member.post(START, form(collective, template, officials=[mayor.pk, deputy.pk], _start="1"))
    interpellation = Interpellation.objects.get()
    url = f"/admin/campaigns/interpellation/{interpellation.pk}/suivi/"

    waiting = member.get(url)

    assert (waiting.context["done"], waiting.context["total"]) == (0, 2)
    assert '<meta http-equiv="refresh" content="3">' in waiting.text
    assert "0 / 2 courriers préparés" in waiting.text

    for callback in queued:  # the rendering, as the worker runs it (eager tasks)
        callback()
    done = member.get(url)

    assert (done.context["done"], done.context["total"]) == (2, 2)
    assert Job.objects.get().status == Job.Status.SUCCEEDED
    assert "refresh" not in done.text
    assert "2 / 2 courriers préparés" in done.text
    assert done.text.count("À poster") + done.text.count("à poster") >= 2
    for letter in Letter.objects.all():
        assert f'href="/api/letters/{letter.pk}/pdf/"' in done.text
    assert f'href="/api/interpellations/{interpellation.pk}/pdf/"' in done.text
    assert f'href="/api/interpellations/{interpellation.pk}/zip/"' in done.text
    assert member.get(f"/api/interpellations/{interpellation.pk}/pdf/").status_code == 200


def test_the_progress_page_of_another_collectives_interpellation_is_not_found(
    client, collective, other_collective, template, mayor, member
):
    member.post(START, form(collective, template, officials=[mayor.pk], _start="1"))
    interpellation = Interpellation.objects.get()
    client.force_login(MembershipFactory(collective=other_collective).user)

    assert client.get(f"/admin/campaigns/interpellation/{interpellation.pk}/suivi/").status_code == 404


def test_the_municipalities_action_opens_the_form_with_them(member, salon):
    response = member.post(
        "/admin/officials/municipality/", {"action": "start_for_municipalities", "_selected_action": [salon.pk]}
    )

    opened = member.get(response["Location"])
    assert opened.context["form"].initial["municipalities"] == [salon.pk]


def test_the_campaign_action_takes_one_campaign(member, collective):
    campaigns = [CampaignFactory(collective=collective, title=title) for title in ("Vélo", "Cantines")]

    one = member.post(
        "/admin/campaigns/campaign/", {"action": "start_for_campaign", "_selected_action": [campaigns[0].pk]}
    )
    two = member.post(
        "/admin/campaigns/campaign/",
        {"action": "start_for_campaign", "_selected_action": [c.pk for c in campaigns]},
        follow=True,
    )

    assert one["Location"] == f"{START}?campaign={campaigns[0].pk}"
    # Without officials of its own, the campaign's rule is proposed.
    assert member.get(one["Location"]).context["form"].initial["recipient_rule"] == "mayors"
    assert "Choisissez une seule campagne." in two.text


def test_the_officials_field_searches_officials_as_the_admin_does(member, mayor):
    response = member.get(
        "/admin/autocomplete/",
        {"term": "imbert", "app_label": "campaigns", "model_name": "letter", "field_name": "official"},
    )

    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["Élodie IMBERT"]


def test_the_list_offers_to_start_one_and_each_interpellation_links_to_its_progress(
    member, collective, template, mayor
):
    listing = member.get("/admin/campaigns/interpellation/")
    assert f'href="{START}"' in listing.text

    member.post(START, form(collective, template, officials=[mayor.pk], _start="1"))
    interpellation = Interpellation.objects.get()
    page = member.get(f"/admin/campaigns/interpellation/{interpellation.pk}/change/")

    assert f'href="/admin/campaigns/interpellation/{interpellation.pk}/suivi/"' in page.text
