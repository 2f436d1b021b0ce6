"""Who may do what, for every write endpoint and every role."""

import pytest

from campaigns.models import Action, Campaign, Pledge
from tests.campaigns.factories import ActionFactory, CampaignFactory, PledgeFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "member", "coordinator", "staff"]


@pytest.fixture
def owned(pact, salon, collective):
    return {
        "pledge": PledgeFactory(pact=pact, municipality=salon, collective=collective),
        "campaign": CampaignFactory(collective=collective),
        "action": ActionFactory(collective=collective, municipality=salon),
    }


CREATE = {
    "campaigns": lambda c, s: {"collective": c.slug, "title": "Plan vélo", "municipalities": [s.insee_code]},
    "actions": lambda c, s: {
        "collective": c.slug,
        "kind": "meeting",
        "date": "2026-10-08",
        "title": "Rendez-vous avec la maire",
        "municipality": s.insee_code,
    },
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ["campaigns", "actions"])
def test_who_may_create(as_role, collective, salon, role, endpoint):
    response = as_role(role).post(f"/api/{endpoint}/", CREATE[endpoint](collective, salon), format="json")
    expected = {"anonymous": 401, "outsider": 400, "member": 201, "coordinator": 201, "staff": 201}[role]
    assert response.status_code == expected, response.content
    if role == "outsider":
        assert "Vous n'êtes pas membre du collectif « Pays Salonais »." in response.json()["collective"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("endpoint", "field", "value"), [
    ("pledges", "notes", "Signé en réunion publique"),
    ("campaigns", "objective", "Un plan vélo"),
    ("actions", "outcome", "success"),
])  # fmt: skip
def test_who_may_edit(as_role, owned, role, endpoint, field, value):
    obj = owned[endpoint.rstrip("s")]
    response = as_role(role).patch(f"/api/{endpoint}/{obj.pk}/", {field: value}, format="json")
    expected = {"anonymous": 401, "outsider": 403, "member": 200, "coordinator": 200, "staff": 200}[role]
    assert response.status_code == expected, response.content
    obj.refresh_from_db()
    assert (getattr(obj, field) == value) == (expected == 200)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("endpoint", "model"), [("pledges", Pledge), ("campaigns", Campaign), ("actions", Action)])
def test_who_may_delete(as_role, owned, role, endpoint, model):
    obj = owned[endpoint.rstrip("s")]
    response = as_role(role).delete(f"/api/{endpoint}/{obj.pk}/")
    expected = {"anonymous": 401, "outsider": 403, "member": 403, "coordinator": 204, "staff": 204}[role]
    assert response.status_code == expected
    assert model.objects.filter(pk=obj.pk).exists() == (expected != 204)


@pytest.mark.parametrize("role", ROLES)
def test_private_actions_are_read_by_their_collective_and_staff_only(as_role, collective, role):
    public = ActionFactory(collective=collective, title="Publique")
    ActionFactory(collective=collective, title="Privée", is_public=False)

    titles = sorted(item["title"] for item in as_role(role).get("/api/actions/").json()["results"])

    sees_private = role in ("member", "coordinator", "staff")
    assert titles == (["Privée", "Publique"] if sees_private else ["Publique"])
    assert as_role(role).get(f"/api/actions/{public.pk}/").status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_private_campaigns_are_read_by_their_collective_and_staff_only(as_role, collective, role):
    private = CampaignFactory(collective=collective, is_public=False)
    status = as_role(role).get(f"/api/campaigns/{private.pk}/").status_code
    assert status == (200 if role in ("member", "coordinator", "staff") else 404)


def test_moving_content_to_another_collective_needs_membership_of_both(as_role, owned, other_collective):
    response = as_role("member").patch(
        f"/api/actions/{owned['action'].pk}/", {"collective": other_collective.slug}, format="json"
    )
    assert response.status_code == 400
    assert owned["action"].collective.slug == "pays-salonais"


@pytest.mark.parametrize("role", ROLES)
def test_who_may_edit_a_collective_profile(as_role, collective, role):
    response = as_role(role).patch(f"/api/collectives/{collective.slug}/", {"website": "https://pacte.example.org"})
    expected = {"anonymous": 401, "outsider": 403, "member": 403, "coordinator": 200, "staff": 200}[role]
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_create_and_delete_collectives(as_role, collective, role):
    create = as_role(role).post("/api/collectives/", {"name": "Nouveau", "slug": "nouveau"})
    delete = as_role(role).delete(f"/api/collectives/{collective.slug}/")
    expected_create = {"anonymous": 401, "staff": 201}.get(role, 403)
    expected_delete = {"anonymous": 401, "staff": 204}.get(role, 403)
    assert (create.status_code, delete.status_code) == (expected_create, expected_delete)


def test_pacts_and_measures_are_read_only(as_role, pact):
    assert as_role("anonymous").get(f"/api/pacts/{pact.pk}/").status_code == 200
    assert as_role("staff").post("/api/pacts/", {"name": "x", "year": 2026}).status_code == 405
