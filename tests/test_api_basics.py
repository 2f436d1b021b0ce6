import pytest

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_token_is_obtained_with_username_and_password(api):
    UserFactory(username="camille")
    response = api.post("/api/auth/token/", {"username": "camille", "password": "mot-de-passe-solide"}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]

    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/municipalities/").status_code == 200


def test_a_wrong_password_gets_a_french_message(api):
    UserFactory(username="camille")
    response = api.post("/api/auth/token/", {"username": "camille", "password": "faux"}, format="json")
    assert response.status_code == 400
    assert "Impossible de se connecter" in str(response.json())


def test_the_openapi_schema_describes_the_api(api):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/municipalities/{insee_code}/" in schema["paths"]
    assert "/api/auth/token/" in schema["paths"]


def test_the_schema_generates_without_warnings(capsys):
    from django.core.management import call_command

    call_command("spectacular", "--fail-on-warn", "--file", "/dev/null")


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/", "/api/"])
def test_the_documentation_pages_are_served_offline(client, url):
    response = client.get(url, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"cdn." not in response.content.lower()


def test_the_admin_speaks_french(client):
    response = client.get("/admin/login/")
    assert "Nom d’utilisateur" in response.content.decode() or "Nom d'utilisateur" in response.content.decode()
