"""Gatherings in the admin: an event with its programme, participants, resources and survey
on one page, saved through the services (their rules show as form errors)."""

import pytest

from campaigns.gatherings.services.feedback import feedback_record
from campaigns.models import ActionIdea, Campaign, Event, Lesson, Membership
from tests.campaigns.factories import (
    ActionIdeaFactory,
    EventFactory,
    FeedbackSurveyFactory,
    MembershipFactory,
    ProgrammeItemFactory,
    letter_settings,  # noqa: F401 - autouse fixture
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client, collective):
    client.force_login(MembershipFactory(collective=collective, role=Membership.Role.MEMBER).user)
    return client


def management(prefix: str, total: int) -> dict:
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0"}


def event_form(collective, salon, *, item_date="2023-03-04", categories=("agents", "consultant·es")) -> dict:
    data = {
        "collective": collective.pk,
        "title": "Rencontre des praticien·nes de la participation",
        "kind": "practitioners_meeting",
        "start_date": "2023-03-04",
        "municipality": salon.pk,
        "is_public": "on",
        "partners": "Alternatiba\nRéseau Action Climat\n",
        "requests": "Une carte des initiatives",
        "next_subject": "Le cadre juridique de la commande publique",
        **management("programme", 1),
        "programme-0-date": item_date,
        "programme-0-title": "Métaplan collectif",
        "programme-0-kind": "workshop",
        **management("participant_counts", len(categories)),
        **management("resources", 1),
        "resources-0-title": "Fiche 3C",
        "resources-0-kind": "tool_sheet",
        "resources-0-url": "https://ressources.example.org/3c.pdf",
        "resources-0-is_public": "on",
        **management("survey", 1),
        "survey-0-question": "Recommanderiez-vous cette rencontre ?",
        "survey-0-scale_max": "5",
        "survey-0-recommend_from": "4",
        "_save": "Enregistrer",
    }
    for index, category in enumerate(categories):
        data[f"participant_counts-{index}-category"] = category
        data[f"participant_counts-{index}-count"] = str(4 + index)
    return data


def test_a_member_records_an_event_and_its_parts_on_one_page(member, collective, salon):
    response = member.post("/admin/campaigns/event/add/", event_form(collective, salon))

    assert response.status_code == 302, response.context["adminform"].form.errors
    event = Event.objects.get()
    assert event.partners == ["Alternatiba", "Réseau Action Climat"]
    assert event.requests == ["Une carte des initiatives"]
    assert list(event.programme.values_list("title", flat=True)) == ["Métaplan collectif"]
    assert list(event.participant_counts.values_list("category", "count")) == [("agents", 4), ("consultant·es", 5)]
    assert event.resources.get().url == "https://ressources.example.org/3c.pdf"
    assert event.survey.recommend_from == 4
    assert event.created_by is not None


def test_a_gathering_may_be_held_beyond_the_collectives_territory(member, collective, outside):
    response = member.post("/admin/campaigns/event/add/", event_form(collective, outside))

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Event.objects.get().municipality == outside


def test_a_programme_slot_outside_the_events_days_is_shown_and_nothing_is_saved(member, collective, salon):
    response = member.post("/admin/campaigns/event/add/", event_form(collective, salon, item_date="2023-03-09"))

    assert response.status_code == 200
    assert "Le 09/03/2023 n&#x27;est pas un jour de la rencontre" in response.content.decode()
    assert not Event.objects.exists()


def test_a_category_counted_twice_is_shown_and_nothing_is_saved(member, collective, salon):
    response = member.post(
        "/admin/campaigns/event/add/", event_form(collective, salon, categories=("agents", "Agents"))
    )

    assert response.status_code == 200
    assert "La catégorie « Agents » est comptée deux fois." in response.content.decode()
    assert not Event.objects.exists()


def test_the_admin_pages_speak_french(member, collective):
    item = ProgrammeItemFactory(event__collective=collective)

    page = member.get(f"/admin/campaigns/event/{item.event.pk}/change/").content.decode()

    for heading in ("Programme", "Participant·es par catégorie", "Ressources", "Questionnaire de satisfaction"):
        assert heading in page, heading
    speakers_page = member.get(f"/admin/campaigns/programmeitem/{item.pk}/change/").content.decode()
    assert "Intervenant·es" in speakers_page


def test_speakers_are_saved_on_the_programme_items_page(member, collective):
    item = ProgrammeItemFactory(event__collective=collective)
    data = {
        "date": item.date.isoformat(),
        "title": item.title,
        "kind": item.kind,
        "speakers-TOTAL_FORMS": "1",
        "speakers-INITIAL_FORMS": "0",
        "speakers-0-name": "Nadia Benali",
        "speakers-0-organisation": "Alternatiba",
        "_save": "Enregistrer",
    }

    response = member.post(f"/admin/campaigns/programmeitem/{item.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(item.speakers.values_list("name", "organisation")) == [("Nadia Benali", "Alternatiba")]


def test_the_launch_action_turns_ideas_into_campaigns(member, collective):
    idea = ActionIdeaFactory(collective=collective, title="Panneaux des engagements")

    member.post("/admin/campaigns/actionidea/", {"action": "launch", "_selected_action": [idea.pk]}, follow=True)

    campaign = Campaign.objects.get()
    assert (campaign.collective, campaign.title) == (collective, "Panneaux des engagements")
    assert list(ActionIdea.objects.get().campaigns.all()) == [campaign]


def test_a_programme_items_page_refuses_a_day_outside_its_event(member, collective):
    item = ProgrammeItemFactory(event__collective=collective, title="Avant")
    data = {"date": "2030-01-01", "title": "Après", "kind": item.kind, "speakers-TOTAL_FORMS": "0",
            "speakers-INITIAL_FORMS": "0", "_save": "Enregistrer"}  # fmt: skip

    response = member.post(f"/admin/campaigns/programmeitem/{item.pk}/change/", data)

    assert response.status_code == 200
    assert "Le 01/01/2030 n&#x27;est pas un jour de la rencontre" in response.content.decode()
    item.refresh_from_db()
    assert item.title == "Avant"


def test_a_survey_refused_by_its_service_is_shown_under_it_and_nothing_is_saved(member, collective):
    survey = FeedbackSurveyFactory(event=EventFactory(collective=collective, title="Avant"), scale_max=10)
    feedback_record(survey=survey, score=9)
    event = survey.event
    data = {
        "collective": collective.pk,
        "title": "Après",
        "kind": event.kind,
        "start_date": event.start_date.isoformat(),
        "is_public": "on",
        **management("programme", 0),
        **management("participant_counts", 0),
        **management("resources", 0),
        "survey-TOTAL_FORMS": "1",
        "survey-INITIAL_FORMS": "1",
        "survey-0-id": survey.pk,
        "survey-0-event": event.pk,
        "survey-0-question": survey.question,
        "survey-0-scale_max": "5",
        "survey-0-recommend_from": "4",
        "_save": "Enregistrer",
    }

    response = member.post(f"/admin/campaigns/event/{event.pk}/change/", data)

    assert response.status_code == 200
    assert "Des réponses ont déjà une note plus haute que cette note maximale." in response.content.decode()
    event.refresh_from_db()
    survey.refresh_from_db()
    assert (event.title, survey.scale_max) == ("Avant", 10)


def test_another_collectives_event_and_programme_are_out_of_a_members_reach(member, other_collective):
    item = ProgrammeItemFactory(event__collective=other_collective)

    for url in (f"/admin/campaigns/event/{item.event.pk}/change/", f"/admin/campaigns/programmeitem/{item.pk}/change/"):
        response = member.post(url, {"title": "Changé", "_save": "Enregistrer"})
        assert response.status_code == 302, url
        assert response.url == "/admin/", url
    item.refresh_from_db()
    assert "Changé" not in (item.title, item.event.title)


def test_a_member_writes_their_collectives_lesson_through_its_service(member, collective):
    event = EventFactory(collective=collective)
    data = {"collective": collective.pk, "event": event.pk, "kind": "keep", "text": "Un binôme par commune",
            "_save": "Enregistrer"}  # fmt: skip

    response = member.post("/admin/campaigns/lesson/add/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    lesson = Lesson.objects.get()
    assert (lesson.collective, lesson.event, lesson.text) == (collective, event, "Un binôme par commune")
    assert lesson.created_by is not None
    response = member.post(f"/admin/campaigns/lesson/{lesson.pk}/change/", {**data, "text": "Deux binômes"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    lesson.refresh_from_db()
    assert lesson.text == "Deux binômes"
