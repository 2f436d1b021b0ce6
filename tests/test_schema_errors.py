"""Every error the API answers is documented with its body: ``{"detail": ...}`` or
field-keyed messages."""

import pytest

from tests.accounts.factories import UserFactory
from tests.campaigns.factories import CollectiveFactory, MembershipFactory
from tests.openapi import assert_conforms, openapi, operation

pytestmark = pytest.mark.django_db


def test_a_wrong_token_is_a_documented_401_even_on_public_data(api):
    api.credentials(HTTP_AUTHORIZATION="Token wrong")
    response = api.get("/api/pacts/")
    assert response.status_code == 401
    assert_conforms(response)


def test_an_unknown_object_is_a_documented_404(api):
    response = api.get("/api/pacts/999/")
    assert response.status_code == 404
    assert_conforms(response)


def test_a_page_past_the_last_is_a_documented_404(api):
    response = api.get("/api/pacts/?page=9")
    assert response.status_code == 404
    assert_conforms(response)


def test_refused_data_is_a_documented_field_keyed_400(staff_api):
    response = staff_api.post("/api/collectives/", {"name": ""}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()
    assert_conforms(response)


def test_an_unreadable_body_is_a_documented_400(staff_api):
    response = staff_api.generic("POST", "/api/collectives/", "{", content_type="application/json")
    assert response.status_code == 400
    assert_conforms(response)


def test_a_service_refusal_without_a_field_is_keyed_non_field_errors(api):
    membership = MembershipFactory(collective=CollectiveFactory(), role="coordinator")
    api.force_authenticate(membership.user)
    response = api.delete(f"/api/collectives/{membership.collective.slug}/members/{membership.pk}/")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Le collectif doit garder au moins un·e coordinateur·rice."]}
    assert_conforms(response)


def test_a_refused_write_is_a_documented_403(user_api):
    response = user_api.post("/api/collectives/", {"name": "Nouveau", "slug": "nouveau"}, format="json")
    assert response.status_code == 403
    assert_conforms(response)


def test_a_staff_only_read_is_a_documented_403(user_api):
    response = user_api.get("/api/emails/")
    assert response.status_code == 403
    assert_conforms(response)


def test_an_unsupported_content_type_is_a_documented_415(staff_api):
    response = staff_api.generic("POST", "/api/collectives/", "name=x", content_type="text/plain")
    assert response.status_code == 415
    assert_conforms(response)


def test_public_reads_document_no_403_and_take_an_optional_token():
    pacts = operation("get", "/api/pacts/")
    assert "403" not in pacts["responses"]
    assert {} in pacts["security"]


def test_the_token_endpoint_takes_and_gives_json_without_authentication(api):
    UserFactory(username="camille")
    api.credentials(HTTP_AUTHORIZATION="Token stale")
    response = api.post("/api/auth/token/", {"username": "camille", "password": "mot-de-passe-solide"}, format="json")
    assert response.status_code == 200
    assert_conforms(response)
    token = operation("post", "/api/auth/token/")
    assert "security" not in token
    assert "application/json" in token["requestBody"]["content"]


# Endpoints that read no credentials, hence never answer 401: signing in, and a feedback
# link, whose token in the address is the credential.
WITHOUT_AUTHENTICATION = {"/api/auth/token/", "/api/feedback/{token}/"}


def test_every_operation_documents_its_errors():
    for path, operations in openapi()["paths"].items():
        for method, op in operations.items():
            codes = set(op["responses"])
            if path not in WITHOUT_AUTHENTICATION:
                assert "401" in codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            if method in ("post", "put", "patch", "delete"):
                assert "400" in codes, (method, path)


def test_a_filter_refusal_about_no_field_is_an_object_too(api):
    response = api.get("/api/actions/?search=a%00b")
    assert response.status_code == 400
    assert isinstance(response.json(), dict)
    assert_conforms(response)
