"""Who may do what: every write operation of the API × every kind of caller.

The operations come from the URL configuration (drf-spectacular's endpoint enumerator), so
a new write endpoint without a row in ``EXPECTED`` fails ``test_every_write_operation_has_a_row``.
To add a row: the operation's key ("METHOD /path/with/{params}/"), the status expected for
each role in ``ROLES`` order, and the body of a request that succeeds for those allowed
(``None`` for no body). Path parameters are filled from ``world`` by ``url_values``.
"""

import datetime as dt
import json
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from drf_spectacular.generators import EndpointEnumerator, SchemaGenerator
from rest_framework.test import APIClient

from campaigns.gatherings.services.feedback import token_digest
from campaigns.models import (
    Action,
    Campaign,
    FeedbackLink,
    Invitation,
    Letter,
    LetterReminder,
    Membership,
    Pledge,
    TerritoryRequest,
)
from campaigns.reviews import spreadsheet as review_csv
from campaigns.reviews.services import cycle_open
from tasks.outbox.models import OutboundEmail
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import (
    ActionFactory,
    ActionIdeaFactory,
    CampaignFactory,
    CollectiveFactory,
    EventFactory,
    EventResourceFactory,
    FeedbackSurveyFactory,
    InitiativeFactory,
    InterpellationFactory,
    LessonFactory,
    LetterFactory,
    LetterTemplateFactory,
    MembershipFactory,
    ProgrammeItemFactory,
    ProposalFactory,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
    make_cycle,
    sign,
)
from tests.officials.factories import DepartmentFactory, MandateFactory, MunicipalityFactory, OfficialFactory
from tests.tasks.factories import JobFactory, OutboundEmailFactory

pytestmark = pytest.mark.django_db

# outsider: signed in, in no collective; other: a member of another collective.
ROLES = ("anonymous", "outsider", "other", "member", "coordinator", "staff")
WRITES = {"POST", "PUT", "PATCH", "DELETE"}

STAFF_ONLY = (401, 403, 403, 403, 403)  # then staff's own status
MEMBERS_WRITE = (401, 403, 403)  # anonymous, outsider, other; then member, coordinator, staff


def staff_only(status: int) -> tuple[int, ...]:
    return (*STAFF_ONLY, status)


def action_body(w):
    return {
        "collective": w.collective.slug,
        "kind": "meeting",
        "date": "2026-10-08",
        "title": "Rendez-vous",
        "municipality": w.salon.insee_code,
    }


def campaign_body(w):
    return {"collective": w.collective.slug, "title": "Plan vélo", "municipalities": [w.salon.insee_code]}


def pledge_body(w):
    return {
        "pact": w.pact.pk,
        "municipality": w.salon.insee_code,
        "list_name": "Salon demain",
        "collective": w.collective.slug,
        "measures": [{"measure": measure.pk} for measure in w.pact.measures.all()],
    }


def initiative_body(w):
    return {"collective": w.collective.slug, "name": "Vélo-école", "kind": "association", "municipality": "13103"}


def template_body(w):
    return {"collective": w.collective.slug, "name": "Rendez-vous", "subject": "Bonjour", "body": "Madame, Monsieur"}


def cycle_body(w):
    return {"pact": w.pact.pk, "name": "Bilan 2027", "opens_on": "2027-01-01", "closes_on": "2027-06-30"}


def official_body(w):
    return {"first_name": "Lucie", "last_name": "MARTIN", "sex": "F"}


def municipality_body(w, code="13999"):
    return {"insee_code": code, "name": "Commune nouvelle", "department": w.department.code}


def grid_body(w):
    return {"rows": [{"pledged_measure": pm.pk, "status": "in_progress"} for pm in w.pledged]}


def event_body(w):
    return {"collective": w.collective.slug, "title": "Rencontre régionale", "kind": "regional_gathering",
            "start_date": "2023-03-04", "participants": [{"category": "membres", "count": 30}]}  # fmt: skip


def programme_body(w):
    return {"date": "2023-03-04", "title": "Atelier", "kind": "workshop", "speakers": [{"name": "Nadia Benali"}]}


def lesson_body(w):
    return {"collective": w.collective.slug, "event": w.event.pk, "kind": "keep", "text": "Un binôme par commune"}


def proposal_body(w):
    return {"collective": w.collective.slug, "event": w.event.pk, "kind": "we_need", "text": "Des outils"}


def idea_body(w):
    return {"collective": w.collective.slug, "title": "Panneaux des engagements"}


def import_body(w):
    return {"file": SimpleUploadedFile("bilan.csv", w.csv, content_type="text/csv")}


# "METHOD path": (statuses in ROLES order, body). 2xx where the role may, else the refusal.
# fmt: off
EXPECTED = {
    "POST /api/auth/token/": ((200,) * 6, lambda w: {"username": "camille", "password": "mot-de-passe-solide"}),
    # Territory and officials: staff only.
    "POST /api/departments/": (staff_only(201), lambda w: {"code": "2A", "name": "Corse-du-Sud"}),
    "PUT /api/departments/{code}/": (staff_only(200), lambda w: {"code": "99", "name": "Département"}),
    "PATCH /api/departments/{code}/": (staff_only(200), lambda w: {"name": "Département"}),
    "DELETE /api/departments/{code}/": (staff_only(204), None),
    "POST /api/municipalities/": (staff_only(201), municipality_body),
    "PUT /api/municipalities/{insee_code}/": (staff_only(200), lambda w: municipality_body(w, "13998")),
    "PATCH /api/municipalities/{insee_code}/": (staff_only(200), lambda w: {"name": "Commune"}),
    "DELETE /api/municipalities/{insee_code}/": (staff_only(204), None),
    "POST /api/officials/": (staff_only(201), official_body),
    "PUT /api/officials/{id}/": (staff_only(200), official_body),
    "PATCH /api/officials/{id}/": (staff_only(200), lambda w: {"last_name": "DURAND"}),
    "DELETE /api/officials/{id}/": (staff_only(204), None),
    "POST /api/mandates/": (staff_only(201), lambda w: {"official": w.official.pk, "role": "adjoint",
                                                        "municipality": w.salon.insee_code}),
    "PUT /api/mandates/{id}/": (staff_only(200), lambda w: {"official": w.official.pk, "role": "adjoint",
                                                            "municipality": w.salon.insee_code}),
    "PATCH /api/mandates/{id}/": (staff_only(200), lambda w: {"role": "adjoint"}),
    "DELETE /api/mandates/{id}/": (staff_only(204), None),
    # Collectives: staff create and delete, coordinators edit their profile and members.
    "POST /api/collectives/": (staff_only(201), lambda w: {"name": "Nouveau", "slug": "nouveau"}),
    "PUT /api/collectives/{slug}/": ((401, 403, 403, 403, 200, 200),
                                     lambda w: {"name": "Pays Salonais", "slug": "pays-salonais"}),
    "PATCH /api/collectives/{slug}/": ((401, 403, 403, 403, 200, 200), lambda w: {"website": "https://a.example"}),
    "DELETE /api/collectives/{slug}/": (staff_only(204), None),
    "POST /api/collectives/{slug}/members/": ((401, 403, 403, 403, 201, 201),
                                              lambda w: {"email": "nouvelle@example.org"}),
    "PUT /api/collectives/{slug}/members/{id}/": ((401, 403, 403, 403, 200, 200), lambda w: {"title": "Trésorière"}),
    "PATCH /api/collectives/{slug}/members/{id}/": ((401, 403, 403, 403, 200, 200), lambda w: {"title": "Trésorière"}),
    "DELETE /api/collectives/{slug}/members/{id}/": ((401, 403, 403, 403, 204, 204), None),
    # Territory: coordinators ask, staff decide; an invitation is answered by its invitee only
    # (here the outsider, whom the collective invited).
    "POST /api/territory-requests/": ((401, 403, 403, 403, 201, 201),
                                      lambda w: {"collective": w.collective.slug,
                                                 "municipality": w.spare_municipality.insee_code}),
    "POST /api/territory-requests/{id}/approve/": (staff_only(200), None),
    "POST /api/territory-requests/{id}/refuse/": (staff_only(200), None),
    "POST /api/invitations/{id}/accept/": ((401, 200, 404, 404, 404, 404), None),
    "POST /api/invitations/{id}/decline/": ((401, 200, 404, 404, 404, 404), None),
    # Content of a collective: its members write, its coordinators delete.
    "POST /api/pledges/": ((401, 400, 400, 201, 201, 201), pledge_body),
    "PUT /api/pledges/{id}/": ((*MEMBERS_WRITE, 200, 200, 200), pledge_body),
    "PATCH /api/pledges/{id}/": ((*MEMBERS_WRITE, 200, 200, 200), lambda w: {"notes": "Signé en réunion"}),
    "DELETE /api/pledges/{id}/": ((*MEMBERS_WRITE, 403, 204, 204), None),
    "POST /api/campaigns/": ((401, 400, 400, 201, 201, 201), campaign_body),
    "PUT /api/campaigns/{id}/": ((*MEMBERS_WRITE, 200, 200, 200), campaign_body),
    "PATCH /api/campaigns/{id}/": ((*MEMBERS_WRITE, 200, 200, 200), lambda w: {"objective": "Un plan vélo"}),
    "DELETE /api/campaigns/{id}/": ((*MEMBERS_WRITE, 403, 204, 204), None),
    "POST /api/actions/": ((401, 400, 400, 201, 201, 201), action_body),
    "PUT /api/actions/{id}/": ((*MEMBERS_WRITE, 200, 200, 200), action_body),
    "PATCH /api/actions/{id}/": ((*MEMBERS_WRITE, 200, 200, 200), lambda w: {"outcome": "success"}),
    "DELETE /api/actions/{id}/": ((*MEMBERS_WRITE, 403, 204, 204), None),
    # Letters: rows of other collectives are not found at all.
    "POST /api/letter-templates/": ((401, 400, 400, 201, 201, 201), template_body),
    "PUT /api/letter-templates/{id}/": ((401, 404, 404, 200, 200, 200), template_body),
    "PATCH /api/letter-templates/{id}/": ((401, 404, 404, 200, 200, 200), lambda w: {"subject": "Rendez-vous"}),
    "DELETE /api/letter-templates/{id}/": ((401, 404, 404, 403, 204, 204), None),
    "POST /api/letter-templates/{id}/preview/": ((401, 404, 404, 200, 200, 200),
                                                 lambda w: {"official": w.official.pk}),
    "POST /api/interpellations/": ((401, 400, 400, 202, 202, 202),
                                   lambda w: {"collective": w.collective.slug, "template": w.template.pk,
                                              "officials": [w.official.pk]}),
    "POST /api/interpellations/readiness/": ((401, 400, 400, 200, 200, 200),
                                             lambda w: {"collective": w.collective.slug, "template": w.template.pk,
                                                        "officials": [w.official.pk]}),
    "DELETE /api/interpellations/{id}/": ((401, 404, 404, 403, 204, 204), None),
    "POST /api/interpellations/{id}/posted/": ((401, 404, 404, 200, 200, 200), lambda w: {"date": "2026-11-02"}),
    "POST /api/interpellations/{id}/resume/": ((401, 404, 404, 403, 403, 200), None),
    "POST /api/letters/{id}/reply/": ((401, 404, 404, 200, 200, 200),
                                      lambda w: {"date": "2026-11-02", "summary": "Rendez-vous accepté"}),
    "POST /api/letters/{id}/posted/": ((401, 404, 404, 200, 200, 200), lambda w: {"date": "2026-11-02"}),
    "POST /api/letters/{id}/reminders/{number}/posted/": ((401, 404, 404, 200, 200, 200),
                                                          lambda w: {"date": "2026-11-02"}),
    # Gatherings: members of the organising collective write the event and its parts.
    "POST /api/events/": ((401, 400, 400, 201, 201, 201), event_body),
    "PUT /api/events/{id}/": ((*MEMBERS_WRITE, 200, 200, 200), event_body),
    "PATCH /api/events/{id}/": ((*MEMBERS_WRITE, 200, 200, 200), lambda w: {"next_subject": "La commande publique"}),
    "DELETE /api/events/{id}/": ((*MEMBERS_WRITE, 403, 204, 204), None),
    "PUT /api/events/{id}/survey/": ((*MEMBERS_WRITE, 200, 200, 200), lambda w: {"scale_max": 10, "recommend_from": 8}),
    "POST /api/events/{event_pk}/programme/": ((*MEMBERS_WRITE, 201, 201, 201), programme_body),
    "PUT /api/events/{event_pk}/programme/{id}/": ((*MEMBERS_WRITE, 200, 200, 200), programme_body),
    "PATCH /api/events/{event_pk}/programme/{id}/": ((*MEMBERS_WRITE, 200, 200, 200), lambda w: {"write_up": "Bilan"}),
    "DELETE /api/events/{event_pk}/programme/{id}/": ((*MEMBERS_WRITE, 403, 204, 204), None),
    "POST /api/events/{event_pk}/resources/": ((*MEMBERS_WRITE, 201, 201, 201),
                                               lambda w: {"title": "Playlist", "url": "https://a.example/p"}),
    "PUT /api/events/{event_pk}/resources/{id}/": ((*MEMBERS_WRITE, 200, 200, 200),
                                                   lambda w: {"title": "Fiche 3C", "url": "https://a.example/3c"}),
    "PATCH /api/events/{event_pk}/resources/{id}/": ((*MEMBERS_WRITE, 200, 200, 200), lambda w: {"is_public": False}),
    "DELETE /api/events/{event_pk}/resources/{id}/": ((*MEMBERS_WRITE, 403, 204, 204), None),
    "POST /api/events/{event_pk}/feedback-links/": ((*MEMBERS_WRITE, 201, 201, 201),
                                                    lambda w: {"emails": ["ana@example.org"]}),
    # A feedback link's token is its only credential: whoever holds it answers, signed in or not.
    "POST /api/feedback/{token}/": ((201,) * 6, lambda w: {"score": 5, "words": ["inspirante"]}),
    # Shared experience: a collective's members write it, its coordinators delete it; anyone
    # in a collective takes an action idea up for their own collective.
    "POST /api/lessons/": ((401, 400, 400, 201, 201, 201), lesson_body),
    "PUT /api/lessons/{id}/": ((*MEMBERS_WRITE, 200, 200, 200), lesson_body),
    "PATCH /api/lessons/{id}/": ((*MEMBERS_WRITE, 200, 200, 200), lambda w: {"kind": "stop"}),
    "DELETE /api/lessons/{id}/": ((*MEMBERS_WRITE, 403, 204, 204), None),
    "POST /api/proposals/": ((401, 400, 400, 201, 201, 201), proposal_body),
    "PUT /api/proposals/{id}/": ((*MEMBERS_WRITE, 200, 200, 200), proposal_body),
    "PATCH /api/proposals/{id}/": ((*MEMBERS_WRITE, 200, 200, 200), lambda w: {"kind": "we_could"}),
    "DELETE /api/proposals/{id}/": ((*MEMBERS_WRITE, 403, 204, 204), None),
    "POST /api/action-ideas/": ((401, 400, 400, 201, 201, 201), idea_body),
    "PUT /api/action-ideas/{id}/": ((*MEMBERS_WRITE, 200, 200, 200), idea_body),
    "PATCH /api/action-ideas/{id}/": ((*MEMBERS_WRITE, 200, 200, 200), lambda w: {"question": "Comment ?"}),
    "DELETE /api/action-ideas/{id}/": ((*MEMBERS_WRITE, 403, 204, 204), None),
    "POST /api/action-ideas/{id}/campaigns/": ((401, 400, 400, 201, 201, 201),
                                               lambda w: {"collectives": [w.collective.slug]}),
    # Review cycles: staff run them; members assess their territory.
    "POST /api/review-cycles/": (staff_only(201), cycle_body),
    "PUT /api/review-cycles/{id}/": (staff_only(200), cycle_body),
    "PATCH /api/review-cycles/{id}/": (staff_only(200), lambda w: {"name": "Bilan 2026"}),
    "DELETE /api/review-cycles/{id}/": (staff_only(204), None),
    "POST /api/review-cycles/{id}/open/": (staff_only(200), None),
    "POST /api/review-cycles/{id}/close/": (staff_only(200), None),
    "POST /api/review-cycles/{id}/publish/": (staff_only(200), None),
    "POST /api/review-cycles/{id}/unpublish/": (staff_only(200), None),
    # An unpublished cycle is not found by those in no collective.
    "POST /api/review-cycles/{id}/import/": ((404, 404, 400, 200, 200, 200), import_body),
    "PUT /api/review-cycles/{id}/municipalities/{insee}/grid/": ((404, 404, 403, 200, 200, 200), grid_body),
    # The outbox: staff only.
    # Initiatives: members propose and edit, coordinators validate (the world's is validated).
    "POST /api/initiatives/": ((401, 400, 400, 201, 201, 201), initiative_body),
    "PUT /api/initiatives/{id}/": ((*MEMBERS_WRITE, 200, 200, 200), initiative_body),
    "PATCH /api/initiatives/{id}/": ((*MEMBERS_WRITE, 200, 200, 200), lambda w: {"description": "Le samedi"}),
    "DELETE /api/initiatives/{id}/": ((*MEMBERS_WRITE, 403, 204, 204), None),
    "POST /api/initiatives/{id}/validate/": ((401, 403, 403, 403, 200, 200), None),
    "POST /api/emails/{id}/retry/": (staff_only(200), None),
    "POST /api/emails/{id}/cancel/": (staff_only(200), None),
}
# fmt: on


def write_operations() -> set[str]:
    """Every write operation of the URL configuration, its path written as in the schema."""
    generator, operations = SchemaGenerator(), set()
    for path, _regex, method, callback in EndpointEnumerator().get_api_endpoints():
        if method in WRITES:
            path = generator.coerce_path(path, method, generator.create_view(callback, method))
            operations.add(f"{method} {path}")
    return operations


def test_every_write_operation_has_a_row():
    operations = write_operations()
    assert sorted(operations - set(EXPECTED)) == [], "write operations without a row in EXPECTED"
    assert sorted(set(EXPECTED) - operations) == [], "rows of operations that no longer exist"


@pytest.fixture
def world(pact, measures, salon, outside, collective, other_collective):
    """One of everything, owned by ``collective`` (whose territory is Salon)."""
    w = SimpleNamespace(pact=pact, measures=measures, salon=salon, collective=collective)
    w.department = salon.department
    w.pledged = sign(pact, salon, measures[:3], collective=collective)
    w.pledge = w.pledged[0].pledge
    w.campaign = CampaignFactory(collective=collective)
    w.action = ActionFactory(collective=collective, municipality=salon)
    w.initiative = InitiativeFactory(collective=collective, municipality=salon)
    w.official = in_office(salon).official
    w.template = LetterTemplateFactory(collective=collective)
    w.spare_template = LetterTemplateFactory(collective=collective)
    w.interpellation = InterpellationFactory(collective=collective, template=w.template)
    w.interpellation.job = JobFactory(kind="interpellation")
    w.interpellation.save()
    w.letter = LetterFactory(interpellation=w.interpellation, official=w.official, municipality=salon)
    # Paper, rendered before the dates the posting rows give, not posted yet; with a paper reminder.
    rendered = timezone.make_aware(dt.datetime(2026, 10, 1, 10))
    w.paper_letter = LetterFactory(interpellation=w.interpellation, official=in_office(salon).official,
                                   municipality=salon, status=Letter.Status.TO_POST, sent_at=None,
                                   rendered_at=rendered)  # fmt: skip
    w.reminder = LetterReminder.objects.create(letter=w.letter, number=1, channel=Letter.Channel.PAPER,
                                               status=Letter.Status.TO_POST)  # fmt: skip
    LetterReminder.objects.filter(pk=w.reminder.pk).update(created_at=rendered)
    w.cycle = make_cycle(pact)
    cycle_open(cycle=w.cycle)
    w.csv = review_csv.export_csv(w.cycle.assessments.all())
    w.membership = MembershipFactory(collective=collective, title="Secrétaire")
    w.event = EventFactory(collective=collective, municipality=salon)
    w.programme_item = ProgrammeItemFactory(event=w.event)
    w.resource = EventResourceFactory(event=w.event)
    FeedbackLink.objects.create(
        survey=FeedbackSurveyFactory(event=w.event), email="ana@example.org", token_digest=token_digest("jeton")
    )
    w.feedback_token = "jeton"
    w.lesson = LessonFactory(collective=collective, event=w.event)
    w.proposal = ProposalFactory(collective=collective, event=w.event)
    w.idea = ActionIdeaFactory(collective=collective, event=w.event)
    w.failed_email = OutboundEmailFactory(status=OutboundEmail.Status.FAILED)
    w.queued_email = OutboundEmailFactory()
    # Rows nothing else refers to, for the writes on reference data.
    w.spare_department = DepartmentFactory(code="99", name="Département d'essai")
    w.spare_municipality = MunicipalityFactory(insee_code="13998", department=w.department)
    w.spare_official = OfficialFactory()
    w.spare_mandate = MandateFactory(official=w.spare_official, municipality=salon)
    w.spare_collective = CollectiveFactory(slug="pays", name="Pays")
    UserFactory(username="camille")
    w.users = {
        "anonymous": None,
        "outsider": UserFactory(),
        "other": MembershipFactory(collective=other_collective).user,
        "member": MembershipFactory(collective=collective).user,
        "coordinator": MembershipFactory(collective=collective, role=Membership.Role.COORDINATOR).user,
        "staff": UserFactory(is_staff=True),
    }
    w.territory_request = TerritoryRequest.objects.create(collective=collective, municipality=outside)
    w.invitation = Invitation.objects.create(
        collective=collective, user=w.users["outsider"], email=w.users["outsider"].email
    )
    return w


def url_values(w, method: str, path: str) -> dict:
    """Path parameters of ``path`` filled with the world's rows."""
    resource = path.split("/")[2]
    ids = {
        "departments": w.spare_department.code,
        "municipalities": w.spare_municipality.insee_code,
        "officials": w.spare_official.pk,
        "mandates": w.spare_mandate.pk,
        "pledges": w.pledge.pk,
        "campaigns": w.campaign.pk,
        "actions": w.action.pk,
        "initiatives": w.initiative.pk,
        "letter-templates": w.spare_template.pk if method == "DELETE" else w.template.pk,
        "interpellations": w.interpellation.pk,
        "letters": w.paper_letter.pk if path == "/api/letters/{id}/posted/" else w.letter.pk,
        "review-cycles": w.cycle.pk,
        "territory-requests": w.territory_request.pk,
        "invitations": w.invitation.pk,
        "emails": w.queued_email.pk if path.endswith("cancel/") else w.failed_email.pk,
        "events": w.event.pk,
        "lessons": w.lesson.pk,
        "proposals": w.proposal.pk,
        "action-ideas": w.idea.pk,
    }
    values = {"code": ids.get(resource), "insee_code": ids.get(resource), "id": ids.get(resource)}
    values["insee"] = w.salon.insee_code
    values["number"] = 1
    values["event_pk"], values["token"] = w.event.pk, w.feedback_token
    if "/programme/" in path:
        values["id"] = w.programme_item.pk
    elif "/resources/" in path:
        values["id"] = w.resource.pk
    if resource == "collectives":
        # The profile writes go to the collective the roles belong to; deletion to a spare one.
        deleted = method == "DELETE" and path == "/api/collectives/{slug}/"
        values["slug"] = w.spare_collective.slug if deleted else w.collective.slug
        values["id"] = w.membership.pk
    return values


@pytest.mark.parametrize("operation", sorted(EXPECTED))
def test_who_may_write(world, operation):
    method, path = operation.split(" ")
    statuses, body = EXPECTED[operation]
    url = path.format(**url_values(world, method, path))
    got = {}
    for role in ROLES:
        client = APIClient()
        if world.users[role] is not None:
            client.force_authenticate(world.users[role])
        cache.clear()  # the throttles' counts too: six sign-ins in a row would trip the per-account limit
        with transaction.atomic():
            response = _send(client, method, url, body(world) if body else None)
            got[role] = response.status_code
            transaction.set_rollback(True)  # each role starts from the same world
    assert got == dict(zip(ROLES, statuses, strict=True)), url


def _send(client, method: str, url: str, data):
    if data is None:
        return client.generic(method, url)
    if "file" in data:
        return client.post(url, data, format="multipart")
    return client.generic(method, url, json.dumps(data), content_type="application/json")


# Reads of private rows (not writes, but the same rule about collectives).


@pytest.mark.parametrize("role", ROLES)
def test_private_actions_are_read_by_their_collective_and_staff_only(world, role):
    ActionFactory(collective=world.collective, title="Privée", is_public=False)
    client = APIClient()
    if world.users[role] is not None:
        client.force_authenticate(world.users[role])
    titles = {item["title"] for item in client.get("/api/actions/").json()["results"]}
    assert ("Privée" in titles) == (role in ("member", "coordinator", "staff"))


@pytest.mark.parametrize("role", ROLES)
def test_private_campaigns_are_read_by_their_collective_and_staff_only(world, role):
    private = CampaignFactory(collective=world.collective, is_public=False)
    client = APIClient()
    if world.users[role] is not None:
        client.force_authenticate(world.users[role])
    status = client.get(f"/api/campaigns/{private.pk}/").status_code
    assert status == (200 if role in ("member", "coordinator", "staff") else 404)


def test_moving_content_to_another_collective_needs_membership_of_both(as_role, collective, other_collective):
    action = ActionFactory(collective=collective)
    response = as_role("member").patch(
        f"/api/actions/{action.pk}/", {"collective": other_collective.slug}, format="json"
    )
    assert response.status_code == 400
    action.refresh_from_db()
    assert action.collective == collective


def test_writes_that_succeed_change_the_row_and_refusals_change_nothing(world):
    """The statuses above mean what they say: a 403 left the row, a 204 removed it."""
    for role, gone in (("member", False), ("coordinator", True)):
        action = ActionFactory(collective=world.collective)
        client = APIClient()
        client.force_authenticate(world.users[role])
        client.delete(f"/api/actions/{action.pk}/")
        assert Action.objects.filter(pk=action.pk).exists() is not gone
    assert Pledge.objects.filter(pk=world.pledge.pk).exists()
    assert Campaign.objects.filter(pk=world.campaign.pk).exists()


def test_pacts_and_measures_are_read_only(as_role, pact):
    assert as_role("anonymous").get(f"/api/pacts/{pact.pk}/").status_code == 200
    assert as_role("staff").post("/api/pacts/", {"name": "x", "year": 2026}).status_code == 405
