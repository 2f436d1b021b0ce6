"""Deleting a row that others reference is a 409 saying what references it."""

import pytest

from tests.officials.factories import DepartmentFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


def test_deleting_a_department_with_municipalities_is_a_409_naming_them_to_staff(staff_api):
    department = DepartmentFactory(code="13")
    for code, name in [("13001", "Aix-en-Provence"), ("13103", "Salon-de-Provence")]:
        MunicipalityFactory(insee_code=code, name=name, department=department)

    response = staff_api.delete("/api/departments/13/")

    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Suppression impossible : d'autres données y font référence : "
        "2 communes (Aix-en-Provence (13001), Salon-de-Provence (13103))."
    )
    assert department.municipalities.count() == 2


def test_the_message_counts_every_reference_and_names_a_few(staff_api):
    department = DepartmentFactory(code="13")
    for n in range(5):
        MunicipalityFactory(insee_code=f"1310{n}", name=f"Commune {n}", department=department)

    detail = staff_api.delete("/api/departments/13/").json()["detail"]

    assert "5 communes (Commune 0 (13100), Commune 1 (13101), Commune 2 (13102)…)" in detail
