"""A municipality's INSEE code has the INSEE's shape, and a bad one never breaks a list."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from rest_framework.test import APIRequestFactory

from officials.models import Municipality
from officials.serializers import MunicipalitySerializer
from tests.officials.factories import DepartmentFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

MALFORMED = ["1310", "131030", "ABCDE", "2C004", "2a004", "13 03", "AB123", "1310\x00"]


def payload(code: str) -> dict:
    return {"insee_code": code, "name": "Commune", "department": DepartmentFactory(code="13").code}


@pytest.mark.parametrize("code", ["13103", "2A004", "2B033", "75056", "75101", "13201", "69381", "97411"])
def test_staff_create_a_municipality_with_a_well_formed_code(staff_api, code):
    response = staff_api.post("/api/municipalities/", payload(code), format="json")

    assert response.status_code == 201, response.json()


@pytest.mark.parametrize("code", [c for c in MALFORMED if "\x00" not in c])
def test_the_api_refuses_a_malformed_code_in_french(staff_api, code):
    response = staff_api.post("/api/municipalities/", payload(code), format="json")

    assert response.status_code == 400
    assert (
        "Code INSEE invalide : cinq chiffres, ou 2A/2B suivi de trois chiffres en Corse."
        in (response.json()["insee_code"])
    )
    assert not Municipality.objects.exists()


@pytest.mark.parametrize("code", MALFORMED)
def test_model_validation_refuses_a_malformed_code(code):
    municipality = Municipality(insee_code=code, name="Commune", department=DepartmentFactory())

    with pytest.raises(ValidationError) as caught:
        municipality.full_clean()

    assert "insee_code" in caught.value.message_dict


@pytest.mark.parametrize("code", [c for c in MALFORMED if "\x00" not in c])
def test_the_database_refuses_a_malformed_code(code):
    department = DepartmentFactory()

    # PostgreSQL refuses a sixth character by the column's length, before the constraint.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Municipality.objects.create(insee_code=code, name="Commune", department=department)


def test_a_row_with_a_malformed_code_still_gets_its_link():
    # A row from before the constraint, or written around it: its URL must still reverse,
    # or every list that shows it fails for everyone.
    request = APIRequestFactory().get("/api/municipalities/")
    municipality = Municipality(insee_code="1310", name="Commune", department=DepartmentFactory())

    data = MunicipalitySerializer(municipality, context={"request": request}).data

    assert data["url"] == "http://testserver/api/municipalities/1310/"


def test_the_list_answers_with_every_well_formed_row(api):
    MunicipalityFactory(insee_code="2A004", name="Ajaccio")

    response = api.get("/api/municipalities/")

    assert response.status_code == 200
    assert response.json()["results"][0]["url"].endswith("/api/municipalities/2A004/")
