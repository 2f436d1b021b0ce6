import pytest
from rest_framework.test import APIClient

from campaigns.models import Measure, Membership
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import CollectiveFactory, MembershipFactory, make_pact
from tests.officials.factories import MunicipalityFactory


@pytest.fixture
def salon(db):
    return MunicipalityFactory(insee_code="13103", name="Salon-de-Provence")


@pytest.fixture
def outside(db):
    """A municipality outside the collective's territory."""
    return MunicipalityFactory(insee_code="13001", name="Aix-en-Provence")


@pytest.fixture
def collective(salon):
    return CollectiveFactory(slug="pays-salonais", name="Pays Salonais", territory=[salon])


@pytest.fixture
def other_collective(outside):
    return CollectiveFactory(slug="pays-aixois", name="Pays d'Aix", territory=[outside])


@pytest.fixture
def pact(db):
    return make_pact(measures=4, principles=2, min_measures=3, levels=2)


@pytest.fixture
def measures(pact):
    """The pact's measures (not its principles), in order."""
    return list(pact.measures.filter(kind=Measure.Kind.MEASURE).order_by("position"))


def _client(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def as_role(collective, other_collective):
    """An API client for one of: anonymous, outsider (member of another collective),
    member, coordinator, staff."""

    def make(role: str) -> APIClient:
        if role == "anonymous":
            return _client(None)
        if role == "staff":
            return _client(UserFactory(is_staff=True))
        if role == "outsider":
            return _client(MembershipFactory(collective=other_collective).user)
        membership_role = Membership.Role.COORDINATOR if role == "coordinator" else Membership.Role.MEMBER
        return _client(MembershipFactory(collective=collective, role=membership_role).user)

    return make
