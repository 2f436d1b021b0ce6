import io
import json

import pytest

from officials.importers import import_contours
from tests.officials.factories import MunicipalityFactory

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
