"""Whatever goes wrong under /api/, the answer is JSON with a French ``detail``."""

import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from officials.views import DepartmentViewSet
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def detail_of(response) -> str:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response.json()["detail"]


def test_an_unknown_api_url_is_a_json_404(api):
    response = api.get("/api/nothing-here/")

    assert response.status_code == 404
    assert detail_of(response) == "Adresse inconnue de l'API : /api/nothing-here/"


def test_an_unknown_api_url_is_a_json_404_in_debug_too(api, settings):
    settings.DEBUG = True

    response = api.get("/api/collectives/x/members/not-a-number/")

    assert response.status_code == 404
    assert detail_of(response) == "Adresse inconnue de l'API : /api/collectives/x/members/not-a-number/"


def test_the_browsable_api_keeps_its_html_404(api):
    response = api.get("/api/municipalities/99999/", HTTP_ACCEPT="text/html")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_an_unknown_url_outside_the_api_keeps_djangos_page(client):
    response = client.get("/nothing-here/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_malformed_json_is_a_french_400(staff_api):
    response = staff_api.post("/api/departments/", "{bad", content_type="application/json")

    assert response.status_code == 400
    assert detail_of(response) == "JSON mal formé (ligne 1, colonne 2)."


def test_a_broken_multipart_body_is_a_french_400(staff_api):
    response = staff_api.post("/api/departments/", b"--x\r\n", content_type="multipart/form-data; boundary=")

    assert response.status_code == 400
    assert detail_of(response) == "Formulaire multipart mal formé."


@pytest.mark.parametrize(
    ("call", "status", "text"),
    [
        (lambda api: api.put("/api/municipalities/"), 405, "Méthode"),
        (lambda api: api.post("/api/departments/", "x", content_type="text/foo"), 415, "Type de média"),
        (lambda api: api.get("/api/departments/", HTTP_ACCEPT="application/xml"), 406, "Accept"),
    ],
)
def test_protocol_errors_are_french_json(staff_api, call, status, text):
    response = call(staff_api)

    assert response.status_code == status
    assert text in detail_of(response)


def test_a_server_error_is_a_french_json_500(monkeypatch, api):
    def broken(self, request, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(DepartmentViewSet, "list", broken)
    api.raise_request_exception = False

    response = api.get("/api/departments/")

    assert response.status_code == 500
    assert detail_of(response).startswith("Erreur interne du serveur")
    assert "boom" not in response.content.decode()


def test_a_csrf_failure_on_the_api_is_french_json():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(is_staff=True))

    response = client.post("/api/departments/", json.dumps({"code": "14", "name": "Calvados"}), "application/json")

    assert response.status_code == 403
    assert detail_of(response).startswith("Vérification CSRF échouée")


def test_a_csrf_failure_outside_drf_is_french_json_under_the_api():
    # The session login of the browsable API is a Django view: the CSRF middleware refuses it.
    client = APIClient(enforce_csrf_checks=True)

    response = client.post("/api/auth/login/", {"username": "camille", "password": "x"})

    assert response.status_code == 403
    assert detail_of(response).startswith("Vérification CSRF échouée")
