"""A collective's territory lets its members assess, read work in progress and record
pledges there: coordinators ask for a municipality, staff approve or refuse; staff may
change a territory directly. The API and the admin go through the same service."""

import pytest
from django.core.exceptions import PermissionDenied

from campaigns.collectives.services.territory import territory_request_create
from campaigns.models import TerritoryRequest
from tests.campaigns.factories import MembershipFactory
from tests.officials.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

URL = "/api/territory-requests/"


def territory(collective) -> set[str]:
    return set(collective.territory.values_list("pk", flat=True))


def test_a_coordinator_cannot_add_a_municipality_to_the_territory_directly(as_role, collective, outside):
    response = as_role("coordinator").patch(
        f"/api/collectives/{collective.slug}/", {"territory": ["13103", "13001"], "website": ""}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "territory": [
            "L'ajout de 13001 au territoire se demande à l'équipe nationale : "
            "POST /api/territory-requests/ (collectif et commune)."
        ]
    }
    assert territory(collective) == {"13103"}


def test_a_coordinator_may_narrow_the_territory(as_role, collective, salon):
    lancon = MunicipalityFactory(insee_code="13051")
    collective.territory.add(lancon)

    response = as_role("coordinator").patch(
        f"/api/collectives/{collective.slug}/", {"territory": ["13103"]}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert territory(collective) == {"13103"}


def test_staff_change_a_territory_directly(as_role, collective, outside):
    response = as_role("staff").patch(
        f"/api/collectives/{collective.slug}/", {"territory": ["13103", "13001"]}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert territory(collective) == {"13103", "13001"}


def test_a_coordinator_requests_a_municipality_and_staff_approve_it(as_role, collective, outside):
    response = as_role("coordinator").post(URL, {"collective": "pays-salonais", "municipality": "13001"}, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["state"] == "pending"
    assert territory(collective) == {"13103"}

    staff = as_role("staff")
    approved = staff.post(f"{URL}{response.json()['id']}/approve/")

    assert approved.status_code == 200, approved.json()
    assert approved.json()["state"] == "approved"
    assert territory(collective) == {"13103", "13001"}
    request = TerritoryRequest.objects.get()
    assert request.decided_by is not None and request.decided_at is not None
    assert staff.post(f"{URL}{request.pk}/refuse/").status_code == 400


def test_staff_refuse_a_request(as_role, collective, outside):
    created = as_role("coordinator").post(URL, {"collective": "pays-salonais", "municipality": "13001"}, format="json")

    response = as_role("staff").post(f"{URL}{created.json()['id']}/refuse/")

    assert response.status_code == 200
    assert response.json()["state"] == "refused"
    assert territory(collective) == {"13103"}


@pytest.mark.parametrize(("role", "status"), [("member", 403), ("outsider", 403), ("anonymous", 401)])
def test_only_coordinators_request(as_role, collective, outside, role, status):
    response = as_role(role).post(URL, {"collective": "pays-salonais", "municipality": "13001"}, format="json")

    assert response.status_code == status
    assert not TerritoryRequest.objects.exists()


@pytest.mark.parametrize("role", ["coordinator", "member", "outsider"])
def test_only_staff_decide(as_role, collective, outside, role):
    created = as_role("coordinator").post(URL, {"collective": "pays-salonais", "municipality": "13001"}, format="json")
    request_id = created.json()["id"]

    response = as_role(role).post(f"{URL}{request_id}/approve/")

    assert response.status_code in (403, 404)
    assert territory(collective) == {"13103"}
    assert TerritoryRequest.objects.get().state == "pending"


def test_a_coordinator_lists_their_collectives_requests_only(as_role, collective, other_collective, outside, salon):
    as_role("coordinator").post(URL, {"collective": "pays-salonais", "municipality": "13001"}, format="json")
    TerritoryRequest.objects.create(collective=other_collective, municipality=salon)

    rows = as_role("coordinator").get(URL).json()["results"]

    assert [(row["collective"], row["municipality"]) for row in rows] == [("pays-salonais", "13001")]
    assert len(as_role("staff").get(URL).json()["results"]) == 2


def test_a_municipality_already_followed_or_already_asked_for_is_a_clear_error(as_role, collective, outside):
    coordinator = as_role("coordinator")
    already = coordinator.post(URL, {"collective": "pays-salonais", "municipality": "13103"}, format="json")
    coordinator.post(URL, {"collective": "pays-salonais", "municipality": "13001"}, format="json")
    twice = coordinator.post(URL, {"collective": "pays-salonais", "municipality": "13001"}, format="json")

    assert already.status_code == 400
    assert already.json() == {"municipality": ["13103 fait déjà partie du territoire du collectif."]}
    assert twice.status_code == 400
    assert twice.json() == {"municipality": ["Une demande pour 13001 attend déjà la décision de l'équipe nationale."]}


def test_the_service_lets_coordinators_only_ask(collective, outside):
    member = MembershipFactory(collective=collective).user

    with pytest.raises(PermissionDenied, match="Seul·es les coordinateur·rices du collectif"):
        territory_request_create(collective=collective, municipality=outside, by=member)

    assert not TerritoryRequest.objects.exists()
    assert territory_request_create(collective=collective, municipality=outside, by=None).state == "pending"
