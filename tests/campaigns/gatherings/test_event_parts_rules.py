"""The parts of an event (programme and speakers, participants, resources, survey, feedback
links) are written by its services under the collective's rules: members of the organising
collective write them, its coordinators delete them, anyone else is refused, from the API,
the admin or any other caller; ``by=None`` is the system."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from campaigns.gatherings.services import events as services
from campaigns.gatherings.services.feedback import feedback_links_send, survey_delete, survey_set
from campaigns.models import EventResource, FeedbackLink, FeedbackSurvey, Membership, ProgrammeItem
from tasks.outbox.models import OutboundEmail
from tests.campaigns.factories import (
    EventFactory,
    EventResourceFactory,
    FeedbackSurveyFactory,
    ProgrammeItemFactory,
    letter_settings,  # noqa: F401 - autouse fixture
    member_of,
)

pytestmark = pytest.mark.django_db

REFUSED = "Seul·es les membres du collectif « Pays Salonais », qui organise cette rencontre, la modifient."


@pytest.fixture
def gathering(collective):
    return EventFactory(collective=collective, start_date=dt.date(2023, 3, 4))


@pytest.fixture
def outsider(other_collective):
    return member_of(other_collective)


def refusal(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_a_member_of_another_collective_writes_no_part_of_the_event(gathering, outsider):
    item = ProgrammeItemFactory(event=gathering, title="Avant")
    resource = EventResourceFactory(event=gathering, title="Avant")
    calls = [
        lambda: services.programme_item_create(
            event=gathering, by=outsider, date=gathering.start_date, title="X", kind="talk"
        ),
        lambda: services.programme_item_update(item=item, by=outsider, title="Changé"),
        lambda: services.speakers_set(item=item, by=outsider, speakers=[services.SpeakerInput(name="Nadia")]),
        lambda: services.participants_set(
            event=gathering, by=outsider, participants=[services.ParticipantInput("agents", 4)]
        ),
        lambda: services.resource_create(
            event=gathering, by=outsider, title="X", kind="link", url="https://example.org/x"
        ),
        lambda: services.resource_update(resource=resource, by=outsider, title="Changé"),
        lambda: survey_set(event=gathering, by=outsider, scale_max=5, recommend_from=4),
    ]

    for call in calls:
        assert refusal(call) == {"event": [REFUSED]}

    item.refresh_from_db()
    resource.refresh_from_db()
    assert (item.title, resource.title) == ("Avant", "Avant")
    assert not item.speakers.exists()
    assert not gathering.participant_counts.exists()
    assert not FeedbackSurvey.objects.exists()
    assert list(gathering.resources.all()) == [resource]


def test_feedback_links_are_sent_by_the_organisers_only(gathering, outsider):
    FeedbackSurveyFactory(event=gathering)

    assert refusal(lambda: feedback_links_send(event=gathering, emails=["ana@example.org"], by=outsider)) == {
        "event": [REFUSED]
    }
    assert not FeedbackLink.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_members_write_the_parts_and_the_system_too(gathering, collective):
    member = member_of(collective)

    item = services.programme_item_create(event=gathering, by=member, date=gathering.start_date, title="Atelier",
                                          kind="workshop", speakers=[services.SpeakerInput(name="Nadia")])  # fmt: skip
    services.resource_create(event=gathering, by=None, title="Fiche 3C", kind="tool_sheet",
                             url="https://example.org/3c.pdf")  # fmt: skip
    survey_set(event=gathering, by=member, scale_max=5, recommend_from=4)
    created, _skipped = feedback_links_send(event=gathering, emails=["ana@example.org"], by=None)

    assert list(item.speakers.values_list("name", flat=True)) == ["Nadia"]
    assert gathering.resources.get().title == "Fiche 3C"
    assert [link.email for link in created] == ["ana@example.org"]
    assert created[0].created_by is None


def test_only_coordinators_delete_a_part(gathering, collective):
    member, coordinator = member_of(collective), member_of(collective, role=Membership.Role.COORDINATOR)
    item = ProgrammeItemFactory(event=gathering)
    resource = EventResourceFactory(event=gathering)
    FeedbackSurveyFactory(event=gathering)
    message = "Seul·es les coordinateur·rices du collectif « Pays Salonais » suppriment une partie de cette rencontre."

    for call in (
        lambda: services.programme_item_delete(item=item, by=member),
        lambda: services.resource_delete(resource=resource, by=member),
        lambda: survey_delete(event=gathering, by=member),
    ):
        assert refusal(call) == {"event": [message]}
    assert ProgrammeItem.objects.exists() and EventResource.objects.exists() and FeedbackSurvey.objects.exists()

    services.programme_item_delete(item=item, by=coordinator)
    services.resource_delete(resource=resource, by=coordinator)
    survey_delete(event=gathering, by=coordinator)
    assert not (ProgrammeItem.objects.exists() or EventResource.objects.exists() or FeedbackSurvey.objects.exists())


def management(prefix: str, total: int, initial: int = 0) -> dict:
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial)}


def test_a_plain_member_deletes_no_programme_slot_nor_survey_in_the_admin(client, gathering, collective):
    """The API keeps deletions to coordinators; the event's page in the admin did not."""
    item = ProgrammeItemFactory(event=gathering, title="Métaplan")
    survey = FeedbackSurveyFactory(event=gathering)
    client.force_login(member_of(collective))
    data = {
        "collective": collective.pk,
        "title": gathering.title,
        "kind": gathering.kind,
        "start_date": gathering.start_date.isoformat(),
        "is_public": "on",
        **management("programme", 1, 1),
        "programme-0-id": item.pk,
        "programme-0-event": gathering.pk,
        "programme-0-date": item.date.isoformat(),
        "programme-0-title": item.title,
        "programme-0-kind": item.kind,
        "programme-0-DELETE": "on",
        **management("participant_counts", 0),
        **management("resources", 0),
        **management("survey", 1, 1),
        "survey-0-id": survey.pk,
        "survey-0-event": gathering.pk,
        "survey-0-question": survey.question,
        "survey-0-scale_max": survey.scale_max,
        "survey-0-recommend_from": survey.recommend_from,
        "survey-0-DELETE": "on",
        "_save": "Enregistrer",
    }

    page = client.get(f"/admin/campaigns/event/{gathering.pk}/change/").content.decode()
    client.post(f"/admin/campaigns/event/{gathering.pk}/change/", data)

    assert 'name="programme-0-DELETE"' not in page
    assert ProgrammeItem.objects.filter(pk=item.pk).exists()
    assert FeedbackSurvey.objects.filter(pk=survey.pk).exists()
