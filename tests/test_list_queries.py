"""Every list endpoint runs the same number of SQL queries for a few rows as for many: a
query per row (a related object read in a loop) fails here."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from campaigns.gatherings.services.events import ParticipantInput, participants_set
from campaigns.models import Event, FeedbackLink, FeedbackSurvey, Invitation, Speaker, TerritoryRequest
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import (
    ActionFactory,
    ActionIdeaFactory,
    AssessmentFactory,
    CampaignFactory,
    CollectiveFactory,
    EventFactory,
    EventResourceFactory,
    InitiativeFactory,
    InterpellationFactory,
    LessonFactory,
    LetterFactory,
    LetterTemplateFactory,
    MeasureFactory,
    MeasureLevelFactory,
    MembershipFactory,
    PactFactory,
    PledgedMeasureFactory,
    ProgrammeItemFactory,
    ProposalFactory,
    ReviewCycleFactory,
    ThemeFactory,
)
from tests.officials.factories import DepartmentFactory, MandateFactory, MunicipalityFactory, OfficialFactory
from tests.tasks.factories import JobFactory, OutboundEmailFactory

pytestmark = pytest.mark.django_db

FEW, MANY = 2, 7


def _pacts(n, user):
    for _ in range(n):
        pact = PactFactory()
        ThemeFactory(pact=pact)
        MeasureLevelFactory(measure=MeasureFactory(pact=pact))


def _collectives(n, user):
    for _ in range(n):
        collective = CollectiveFactory(territory=[MunicipalityFactory()])
        MembershipFactory(collective=collective)


def _members(n, user):
    collective = CollectiveFactory(slug="mesure")
    for _ in range(n):
        MembershipFactory(collective=collective, title="trésorière")


def _invitations_sent(n, user):
    collective = CollectiveFactory(slug="mesure")
    for _ in range(n):
        invitee = UserFactory()
        Invitation.objects.create(collective=collective, user=invitee, email=invitee.email, invited_by=user)


def _my_invitations(n, user):
    for _ in range(n):
        Invitation.objects.create(collective=CollectiveFactory(), user=user, email=user.email, invited_by=UserFactory())


def _territory_requests(n, user):
    for _ in range(n):
        TerritoryRequest.objects.create(
            collective=CollectiveFactory(), municipality=MunicipalityFactory(), requested_by=UserFactory()
        )


def _pledges(n, user):
    for _ in range(n):
        PledgedMeasureFactory(pledge__head_of_list=OfficialFactory())


def _campaigns(n, user):
    for _ in range(n):
        campaign = CampaignFactory()
        campaign.municipalities.add(MunicipalityFactory())
        campaign.measures.add(MeasureFactory())


def _actions(n, user):
    for _ in range(n):
        action = ActionFactory(campaign=CampaignFactory(), municipality=MunicipalityFactory())
        action.officials.add(OfficialFactory())
        action.measures.add(MeasureFactory())


def _initiatives(n, user):
    for _ in range(n):
        initiative = InitiativeFactory(collective=CollectiveFactory())
        initiative.themes.add(ThemeFactory())
        initiative.campaigns.add(CampaignFactory())


def _cycles(n, user):
    for _ in range(n):
        ReviewCycleFactory()


def _assessments(n, user):
    for _ in range(n):
        AssessmentFactory()


def _templates(n, user):
    for _ in range(n):
        LetterTemplateFactory()


def _interpellations(n, user):
    for _ in range(n):
        LetterFactory(interpellation=InterpellationFactory(campaign=CampaignFactory()))


def _letters(n, user):
    for _ in range(n):
        MandateFactory(official=LetterFactory().official)


MEASURED_EVENT = 4242  # the event whose parts are listed (its URL is known before its rows)


def _measured_event():
    return Event.objects.filter(pk=MEASURED_EVENT).first() or EventFactory(pk=MEASURED_EVENT)


def _events(n, user):
    for _ in range(n):
        event = EventFactory(municipality=MunicipalityFactory())
        event.co_organisers.add(CollectiveFactory())
        event.attending_collectives.add(CollectiveFactory())
        participants_set(
            by=None, event=event, participants=[ParticipantInput("agents", 4), ParticipantInput("élu·es", 2)]
        )


def _programme(n, user):
    for _ in range(n):
        item = ProgrammeItemFactory(event=_measured_event())
        Speaker.objects.create(item=item, official=OfficialFactory())
        Speaker.objects.create(item=item, name="Nadia Benali")


def _resources(n, user):
    for _ in range(n):
        EventResourceFactory(event=_measured_event())


def _feedback_links(n, user):
    survey, _created = FeedbackSurvey.objects.get_or_create(event=_measured_event())
    for _ in range(n):
        number = survey.links.count()
        FeedbackLink.objects.create(
            survey=survey, email=f"p{number}@example.org", token_digest=f"jeton-{number}",
            outbound_email=OutboundEmailFactory(),
        )  # fmt: skip


def _lessons(n, user):
    for _ in range(n):
        LessonFactory().themes.add(ThemeFactory())


def _proposals(n, user):
    for _ in range(n):
        ProposalFactory().themes.add(ThemeFactory())


def _action_ideas(n, user):
    for _ in range(n):
        idea = ActionIdeaFactory()
        idea.themes.add(ThemeFactory())
        idea.interested_collectives.add(CollectiveFactory())
        idea.campaigns.add(CampaignFactory())


def _emails(n, user):
    for _ in range(n):
        OutboundEmailFactory()


def _jobs(n, user):
    for _ in range(n):
        JobFactory()


def _departments(n, user):
    for index in range(n):
        DepartmentFactory(code=f"{index + 1:02d}", name=f"Département {index + 1}")


def _municipalities(n, user):
    for _ in range(n):
        MunicipalityFactory()


def _officials(n, user):
    for _ in range(n):
        MandateFactory()


ENDPOINTS = {
    "/api/departments/": _departments,
    "/api/municipalities/": _municipalities,
    "/api/officials/": _officials,
    "/api/mandates/": _officials,
    "/api/pacts/": _pacts,
    "/api/measures/": _pacts,
    "/api/collectives/": _collectives,
    "/api/collectives/mesure/members/": _members,
    "/api/collectives/mesure/invitations/": _invitations_sent,
    "/api/invitations/": _my_invitations,
    "/api/territory-requests/": _territory_requests,
    "/api/pledges/": _pledges,
    "/api/campaigns/": _campaigns,
    "/api/actions/": _actions,
    "/api/initiatives/": _initiatives,
    "/api/review-cycles/": _cycles,
    "/api/assessments/": _assessments,
    "/api/letter-templates/": _templates,
    "/api/interpellations/": _interpellations,
    "/api/letters/": _letters,
    "/api/events/": _events,
    f"/api/events/{MEASURED_EVENT}/programme/": _programme,
    f"/api/events/{MEASURED_EVENT}/resources/": _resources,
    f"/api/events/{MEASURED_EVENT}/feedback-links/": _feedback_links,
    "/api/lessons/": _lessons,
    "/api/proposals/": _proposals,
    "/api/action-ideas/": _action_ideas,
    "/api/emails/": _emails,
    "/api/jobs/": _jobs,
}


def queries_for(url: str, make, rows: int) -> tuple[int, int]:
    """(queries, rows listed) of a staff member's GET of ``url`` after ``make(rows)``."""
    user = UserFactory(is_staff=True)
    make(rows, user)
    client = APIClient()
    client.force_authenticate(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"page_size": 100})
    assert response.status_code == 200, response.content
    body = response.json()
    listed = body["results"] if isinstance(body, dict) else body
    return len(queries), len(listed)


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_list_runs_as_many_queries_for_many_rows_as_for_a_few(url):
    few, listed_few = queries_for(url, ENDPOINTS[url], FEW)
    many, listed_many = queries_for(url, ENDPOINTS[url], MANY)

    assert listed_many > listed_few  # the rows made are listed
    assert many == few, f"{url}: {few} queries for {listed_few} rows, {many} for {listed_many}"
