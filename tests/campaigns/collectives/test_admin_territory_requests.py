"""The admin changes territories through the territory service: coordinators cannot widen
it in the collective's form; staff approve or refuse requests with list actions."""

import pytest

from campaigns.models import Membership, TerritoryRequest
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import CollectiveFactory, MembershipFactory
from tests.officials.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def salon(db):
    return MunicipalityFactory(insee_code="13103", name="Salon-de-Provence")


@pytest.fixture
def aix(db):
    return MunicipalityFactory(insee_code="13001", name="Aix-en-Provence")


@pytest.fixture
def home(salon):
    return CollectiveFactory(slug="pays-salonais", name="Pays Salonais", territory=[salon])


def form_data(collective, territory):
    return {
        "name": collective.name,
        "slug": collective.slug,
        "contact_email": collective.contact_email,
        "territory": territory,
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "_save": "Enregistrer",
    }


def test_a_coordinator_cannot_widen_the_territory_in_the_collective_form(client, home, aix):
    client.force_login(MembershipFactory(collective=home, role=Membership.Role.COORDINATOR).user)

    client.post(f"/admin/campaigns/collective/{home.pk}/change/", form_data(home, ["13103", "13001"]))

    assert set(home.territory.values_list("pk", flat=True)) == {"13103"}


def test_staff_change_the_territory_in_the_collective_form(client, home, aix):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.post(f"/admin/campaigns/collective/{home.pk}/change/", form_data(home, ["13103", "13001"]))

    assert response.status_code == 302
    assert set(home.territory.values_list("pk", flat=True)) == {"13103", "13001"}


@pytest.mark.parametrize(("action", "state", "territory"), [("approve", "approved", {"13103", "13001"}),
                                                            ("refuse", "refused", {"13103"})])  # fmt: skip
def test_staff_decide_requests_with_an_action(client, home, aix, action, state, territory):
    request = TerritoryRequest.objects.create(collective=home, municipality=aix)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.post(
        "/admin/campaigns/territoryrequest/", {"action": action, "_selected_action": [request.pk]}, follow=True
    )

    assert response.status_code == 200
    request.refresh_from_db()
    assert request.state == state
    assert set(home.territory.values_list("pk", flat=True)) == territory


def test_a_coordinator_has_no_decision_action(client, home, aix):
    TerritoryRequest.objects.create(collective=home, municipality=aix)
    client.force_login(MembershipFactory(collective=home, role=Membership.Role.COORDINATOR).user)

    response = client.get("/admin/campaigns/territoryrequest/")

    assert response.status_code == 200
    form = response.context.get("action_form")
    actions = [name for name, _label in form.fields["action"].choices] if form else []
    assert "approve" not in actions and "refuse" not in actions
