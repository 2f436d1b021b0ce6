"""What the gatherings' endpoints send is what the schema says, body by body."""

import datetime as dt

import pytest

from campaigns.gatherings.services.events import ParticipantInput, SpeakerInput, participants_set, speakers_set
from tests.campaigns.factories import (
    ActionIdeaFactory,
    EventFactory,
    EventResourceFactory,
    FeedbackSurveyFactory,
    LessonFactory,
    ProgrammeItemFactory,
    ProposalFactory,
    in_office,
)
from tests.openapi import assert_conforms

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(collective, salon):
    event = EventFactory(collective=collective, municipality=salon)
    participants_set(by=None, event=event, participants=[ParticipantInput("agents", 4)])
    item = ProgrammeItemFactory(event=event)
    speakers_set(
        by=None, item=item, speakers=[SpeakerInput(official=in_office(salon).official), SpeakerInput(name="Nadia")]
    )
    EventResourceFactory(event=event)
    FeedbackSurveyFactory(event=event)
    LessonFactory(collective=collective, event=event)
    ProposalFactory(collective=collective, event=event)
    ActionIdeaFactory(collective=collective, event=event)
    return event


@pytest.mark.parametrize(
    "path",
    [
        "/api/events/",
        "/api/events/{id}/",
        "/api/events/{id}/programme/",
        "/api/events/{id}/resources/",
        "/api/events/{id}/survey/",
        "/api/events/{id}/feedback/",
        "/api/events/{id}/feedback-links/",
        "/api/events/{id}/proposal-grid/",
        "/api/events/calendar/",
        "/api/events/participants/",
        "/api/events/{id}/feedback/answers/",
        "/api/lessons/",
        "/api/proposals/",
        "/api/action-ideas/",
    ],
)
def test_reads_conform_to_the_schema(as_role, event, path):
    response = as_role("member").get(path.format(id=event.pk))

    assert response.status_code == 200
    assert_conforms(response)


def test_writes_and_refusals_conform_to_the_schema(as_role, event, collective):
    client = as_role("member")
    created = client.post(f"/api/events/{event.pk}/feedback-links/", {"emails": ["ana@example.org"]}, format="json")
    launched = client.post(f"/api/action-ideas/{event.action_ideas.get().pk}/campaigns/", {}, format="json")
    refused = client.post(f"/api/events/{event.pk}/programme/", {"date": "1999-01-01", "title": "x", "kind": "talk"})

    for response, status in ((created, 201), (launched, 201), (refused, 400)):
        assert response.status_code == status
        assert_conforms(response)


def test_an_event_s_times_are_sent_as_the_schema_says(as_role, collective, salon):
    event = EventFactory(collective=collective, municipality=salon, start_time=dt.time(9, 30), end_time=dt.time(17, 30))
    item = ProgrammeItemFactory(event=event, start_time=dt.time(14), end_time=dt.time(16))

    for path in (f"/api/events/{event.pk}/", f"/api/events/{event.pk}/programme/{item.pk}/"):
        response = as_role("member").get(path)
        assert response.status_code == 200, response.content
        assert_conforms(response)
