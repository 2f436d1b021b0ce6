"""Front ends served from the origins of CORS_ALLOWED_ORIGINS call the API; others do not."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
FRONT = "https://carte.pacte.example"


@pytest.fixture(autouse=True)
def origins(settings):
    settings.CORS_ALLOWED_ORIGINS = [FRONT]


def preflight(origin: str, path: str = "/api/actions/"):
    return Client().options(
        path,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )


def test_a_preflight_from_an_allowed_origin_lets_a_token_call_through():
    response = preflight(FRONT)

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == FRONT
    assert "POST" in response["Access-Control-Allow-Methods"]
    assert {"authorization", "content-type"} <= set(response["Access-Control-Allow-Headers"].split(", "))
    assert "Access-Control-Allow-Credentials" not in response  # tokens, not cookies


def test_another_origin_gets_no_cors_header():
    assert "Access-Control-Allow-Origin" not in preflight("https://evil.example")


def test_a_read_from_an_allowed_origin_names_it_and_exposes_the_download_name():
    response = Client().get("/api/municipalities/", HTTP_ORIGIN=FRONT)

    assert response["Access-Control-Allow-Origin"] == FRONT
    assert "Content-Disposition" in response["Access-Control-Expose-Headers"]


def test_the_admin_is_not_opened_to_other_origins():
    assert "Access-Control-Allow-Origin" not in preflight(FRONT, "/admin/login/")
