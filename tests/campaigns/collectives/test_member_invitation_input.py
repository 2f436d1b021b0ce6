"""Inviting someone: an address that may not be e-mailed, or a name longer than its column,
is a 400 with a French message, and nothing is written."""

import pytest
from django.contrib.auth import get_user_model

from campaigns.models import Membership
from tasks.outbox.models import OutboundEmail
from tests.officials.factories import OfficialFactory

pytestmark = pytest.mark.django_db

URL = "/api/collectives/pays-salonais/members/"


def test_it_refuses_the_address_of_an_official_who_must_not_be_emailed(as_role, collective):
    OfficialFactory(email="Maire@Salon.example", do_not_email=True)
    coordinator = as_role("coordinator")
    users = get_user_model().objects.count()

    response = coordinator.post(URL, {"email": "maire@salon.example", "first_name": "Élodie"}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "email": ["maire@salon.example ne peut pas recevoir de courriel : "
                  "l'élu·e ne souhaite pas être contacté·e par courriel"]
    }  # fmt: skip
    assert get_user_model().objects.count() == users
    assert not Membership.objects.filter(user__email__iexact="maire@salon.example").exists()
    assert not OutboundEmail.objects.exists()


@pytest.mark.parametrize(("field", "limit"), [("first_name", 150), ("last_name", 150)])
def test_it_refuses_a_name_longer_than_its_column(as_role, collective, field, limit):
    coordinator = as_role("coordinator")
    users = get_user_model().objects.count()

    response = coordinator.post(URL, {"email": "nouvelle@example.org", field: "x" * (limit + 1)}, format="json")

    assert response.status_code == 400
    assert response.json() == {field: [f"Assurez-vous que ce champ comporte au plus {limit}\u00a0caractères."]}
    assert get_user_model().objects.count() == users


def test_it_refuses_an_address_longer_than_its_column(as_role, collective):
    response = as_role("coordinator").post(URL, {"email": "a" * 250 + "@example.org"}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["email"]
