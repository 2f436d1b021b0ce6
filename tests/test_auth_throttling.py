"""Sign-in, password reset and writes are rate-limited, per address and per account:
over the limit, a 429 with Retry-After and a French message, before any password is tried."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.accounts.factories import UserFactory
from tests.campaigns.factories import CollectiveFactory, MembershipFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Vélo-cargo 2026 !"


@pytest.fixture
def rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            "writes": "3/min",
            "login": "6/min",
            "login_account": "3/min",
            "password_reset": "4/hour",
            "password_reset_account": "2/hour",
        },
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings


@pytest.fixture
def camille(rates):
    user = UserFactory(username="camille", email="camille@example.org")
    user.set_password(PASSWORD)
    user.save()
    return user


def token(client, username, password="mauvais", address="203.0.113.7", **headers):
    return client.post("/api/auth/token/", {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def test_the_token_endpoint_refuses_a_fourth_try_on_one_account_even_with_the_right_password(camille):
    client = APIClient()
    assert [token(client, "camille").status_code for _ in range(3)] == [400, 400, 400]

    response = token(client, "Camille", PASSWORD, address="198.51.100.9")  # another address, same account

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "Requête ralentie" in response.json()["detail"]


def test_the_token_endpoint_limits_one_address_whatever_the_account_and_forwarded_for(camille):
    client = APIClient()
    statuses = [token(client, f"inconnu{n}", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(6)]

    assert statuses == [400] * 6
    assert token(client, "camille", PASSWORD).status_code == 429
    assert token(client, "camille", PASSWORD, address="198.51.100.9").status_code == 200


def test_the_admin_login_shows_a_french_429_page_after_too_many_tries(camille):
    MembershipFactory(user=camille, collective=CollectiveFactory())
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(3):
        assert client.post("/admin/login/", {"username": "camille", "password": "x"}).status_code == 200

    response = client.post("/admin/login/?next=/admin/", {"username": "camille", "password": PASSWORD})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Trop de tentatives. Réessayez dans 1 minute." in response.content.decode()
    assert "_auth_user_id" not in client.session  # the right password was not even tried


def test_the_browsable_api_login_is_limited_too(camille):
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(3):
        client.post("/api/auth/login/", {"username": "camille", "password": "x"})

    response = client.post("/api/auth/login/", {"username": "camille", "password": PASSWORD})

    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()


def test_password_reset_is_limited_per_account_and_per_address(camille):
    client = Client(REMOTE_ADDR="203.0.113.7")
    form = {"email": "camille@example.org"}
    assert [client.post("/accounts/password_reset/", form).status_code for _ in range(2)] == [302, 302]

    refused = client.post("/accounts/password_reset/", {"email": "CAMILLE@example.org"})
    assert refused.status_code == 429
    assert "Trop de tentatives. Réessayez dans" in refused.content.decode()
    assert int(refused["Retry-After"]) > 60

    # The address made 3 requests, the refused one included: one more, then no other account.
    assert client.post("/accounts/password_reset/", {"email": "autre@example.org"}).status_code == 302
    assert client.post("/accounts/password_reset/", {"email": "encore@example.org"}).status_code == 429


def test_writes_are_limited_per_user_and_reads_are_not(rates):
    client = APIClient()
    user = MembershipFactory(collective=CollectiveFactory()).user
    client.force_authenticate(user)
    body = {
        "kind": "other",
        "date": "2026-10-01",
        "title": "Tractage",
        "collective": user.memberships.get().collective.slug,
    }

    assert [client.post("/api/actions/", body, format="json").status_code for _ in range(3)] == [201] * 3
    response = client.post("/api/actions/", body, format="json")

    assert response.status_code == 429
    assert response.has_header("Retry-After")
    assert client.get("/api/actions/").status_code == 200
    other = APIClient()
    other.force_authenticate(MembershipFactory(collective=CollectiveFactory()).user)
    assert other.get("/api/me/").status_code == 200
