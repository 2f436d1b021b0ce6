import io
import json

import pytest

from officials.importers import import_contours
from officials.importers.contours import DEMO_DEPARTMENT_CONTOURS
from tests.officials.factories import DepartmentFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


def test_the_municipality_admin_shows_the_centroid_and_whether_a_contour_was_imported(admin_client):
    MunicipalityFactory(insee_code="13103", name="Salon-de-Provence")
    MunicipalityFactory(insee_code="13001", name="Aix-en-Provence")
    ring = [[5.1, 43.6], [5.11, 43.6], [5.11, 43.61], [5.1, 43.6]]
    body = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "13103"}, "geometry": {"type": "Polygon", "coordinates": [ring]}}
    ]}  # fmt: skip
    import_contours(io.BytesIO(json.dumps(body).encode()))

    listed = admin_client.get("/admin/officials/municipality/", {"contour": "no"})
    page = admin_client.get("/admin/officials/municipality/13103/change/")

    assert "Aix-en-Provence" in listed.text and "Salon-de-Provence" not in listed.text
    assert "Longitude du centroïde" in page.text and "5,10667" in page.text
    assert 'name="centroid_longitude"' not in page.text


def test_the_department_admin_says_which_departments_have_a_contour(admin_client):
    DepartmentFactory(code="13")
    DepartmentFactory(code="84", name="Vaucluse")
    import_contours(DEMO_DEPARTMENT_CONTOURS)

    page = admin_client.get("/admin/officials/department/").text

    assert page.count('alt="True"') == 1 and page.count('alt="False"') == 1
