"""The letter template editor in the admin: the merge fields beside the form, and the preview
of the text being typed (unsaved), with its page count or the error and its line."""

import pytest

from campaigns.models import LetterTemplate, Membership
from tests.campaigns.factories import (
    LetterTemplateFactory,
    MembershipFactory,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
)

pytestmark = pytest.mark.django_db

PREVIEW = "/admin/campaigns/lettertemplate/apercu/"


@pytest.fixture
def member(client, collective):
    client.force_login(MembershipFactory(collective=collective, role=Membership.Role.MEMBER).user)
    return client


@pytest.fixture
def template(collective):
    return LetterTemplateFactory(collective=collective, name="Plan vélo", body="Bonjour.")


def test_the_change_form_lists_the_merge_fields_beside_the_editor(member, template):
    response = member.get(f"/admin/campaigns/lettertemplate/{template.pk}/change/")

    assert response.status_code == 200
    names = [field["name"] for field in response.context["merge_fields"]]
    assert {"official.salutation", "municipality.town_hall_lines", "collective.signatories", "today"} <= set(names)
    assert "<code>official.salutation</code>" in response.text
    assert "Madame la Maire" in response.text  # the sample letter's value
    assert 'formaction="/admin/campaigns/lettertemplate/apercu/"' in response.text


def test_the_preview_renders_the_unsaved_text_with_its_page_count(member, collective, template):
    long_body = "\n\n".join(f"Paragraphe {n} : " + "le plan vélo avance. " * 30 for n in range(25))

    response = member.post(
        PREVIEW,
        {"collective": collective.pk, "template_id": template.pk, "subject": "Le plan à {{ municipality.name }}",
         "body": long_body, "closing": ""},
    )  # fmt: skip

    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.subject == "Le plan à Salon-de-Provence"  # the sample letter
    assert preview.pages >= 3
    assert f"{preview.pages} pages" in response.text
    template.refresh_from_db()
    assert template.body == "Bonjour."  # nothing saved


def test_the_preview_shows_a_sandbox_error_with_its_line(member, collective):
    response = member.post(
        PREVIEW,
        {"collective": collective.pk, "subject": "Objet", "body": "Bonjour,\n\n{{ official.full_name", "closing": ""},
    )

    assert response.context["preview"] is None
    [error] = response.context["errors"]
    assert error["field"] == "corps"
    assert error["message"].startswith("ligne 3 : ")
    assert "ligne 3 : " in response.text


def test_the_preview_for_a_chosen_official_uses_their_real_merge_fields(member, collective, salon):
    mayor = in_office(salon, "maire", first_name="Élodie", last_name="IMBERT").official

    listed = member.get("/admin/campaigns/lettertemplate/add/")
    assert (mayor.pk, f"{mayor} — maire, Salon-de-Provence") in listed.context["preview_officials"]

    response = member.post(
        PREVIEW,
        {"collective": collective.pk, "subject": "Pour {{ official.full_name }}", "body": "{{ official.salutation }},",
         "closing": "", "preview_official": mayor.pk},
    )  # fmt: skip

    assert response.context["preview"].subject == "Pour Élodie IMBERT"
    assert response.context["preview"].pages == 1


def test_the_preview_is_written_for_the_users_own_collective_only(client, collective, other_collective, salon):
    client.force_login(MembershipFactory(collective=other_collective).user)
    mayor = in_office(salon, "maire").official
    templates = LetterTemplate.objects.count()

    response = client.post(
        PREVIEW,
        {"collective": collective.pk, "subject": "Objet", "body": "Bonjour.", "closing": "",
         "preview_official": mayor.pk},
    )  # fmt: skip

    # Another collective's id is ignored: the letter is previewed as the user's own collective
    # would send it, from its own address.
    html = response.context["preview"].html
    assert "Pays d&#x27;Aix" in html
    assert "Pays Salonais" not in html
    assert LetterTemplate.objects.count() == templates


def test_the_preview_is_only_posted(member):
    assert member.get(PREVIEW).status_code == 405


def test_a_template_posted_without_its_text_is_previewed_as_stored(member):
    # A shared template, which members read but do not change: the form holds no text.
    shared = LetterTemplateFactory(collective=None, name="Modèle commun", subject="Objet commun", body="Texte commun.")

    response = member.post(PREVIEW, {"template_id": shared.pk})

    assert response.context["preview"].subject == "Objet commun"
    assert "Texte commun." in response.context["preview"].html
