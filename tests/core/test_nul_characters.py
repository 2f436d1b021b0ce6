"""A NUL character anywhere a client puts text is a 400 (or a 404), never a 500:
PostgreSQL refuses NUL in text, so run these on PostgreSQL too."""

import pytest

from tests.campaigns.factories import CollectiveFactory, MembershipFactory, make_pact
from tests.officials.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_api(api):
    salon = MunicipalityFactory(insee_code="13103")
    membership = MembershipFactory(collective=CollectiveFactory(slug="pays-salonais", territory=[salon]))
    api.force_authenticate(membership.user)
    return api


def french_detail(response) -> str:
    assert response["Content-Type"].startswith("application/json")
    return str(response.json())


@pytest.mark.parametrize(
    "url",
    [
        "/api/municipalities/%00/",
        "/api/municipalities/13%00/timeline/",
        "/api/municipalities/%00/scorecard/",
        "/api/collectives/pays%00/members/",
        "/api/pledges/?collective=pays%00salonais",
        "/api/campaigns/?municipality=%00",
        "/api/officials/?search=%00",
        "/api/pledges/?ordering=%00",
        "/api/pledges/?col%00lective=x",
    ],
)
def test_a_nul_character_in_the_address_is_a_400(member_api, url):
    response = member_api.get(url)

    assert response.status_code == 400
    assert "caractère nul" in french_detail(response)


def test_a_nul_character_in_a_token_is_a_400(api):
    response = api.get("/api/municipalities/", HTTP_AUTHORIZATION="Token abc\x00def")

    assert response.status_code == 400
    assert "caractère nul" in french_detail(response)


def test_a_nul_character_in_an_admin_address_is_a_400(admin_client):
    response = admin_client.get("/admin/officials/municipality/?q=%00")

    assert response.status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        {"collective": "pays-salonais\x00", "municipality": "13103", "list_name": "Salon", "measures": []},
        {"collective": "pays-salonais", "municipality": "13103\x00", "list_name": "Salon", "measures": []},
        {"collective": "pays-salonais", "municipality": "13103", "list_name": "Salon", "measures": [], "x\x00": 1},
    ],
)
def test_a_nul_character_in_a_json_body_is_a_400(member_api, body):
    make_pact()

    response = member_api.post("/api/pledges/", body, format="json")

    assert response.status_code == 400
    assert "caractère nul" in french_detail(response)


def test_a_nul_character_in_a_form_body_is_a_400(member_api):
    response = member_api.post("/api/pledges/", {"collective": "pays\x00", "municipality": "13103"}, format="multipart")

    assert response.status_code == 400
    assert "caractère nul" in french_detail(response)


def test_a_nul_character_in_an_urlencoded_body_is_a_400(member_api):
    response = member_api.post(
        "/api/pledges/", "collective=pays%00&municipality=13103", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400
    assert "caractère nul" in french_detail(response)
