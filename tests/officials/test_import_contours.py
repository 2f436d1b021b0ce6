import io
import json
import math
import tracemalloc

import pytest
from django.core.management import CommandError, call_command

from core.cache import MAP, generation
from officials.importers import ImportFileError, import_contours
from officials.importers.contours import DEMO_CONTOURS, DEMO_DEPARTMENT_CONTOURS
from officials.models import DepartmentContour, Municipality, MunicipalityContour
from tests.officials.factories import DepartmentFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db(transaction=False)


def square(lon: float, lat: float, size: float = 0.01) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def collection(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def feature(code, geometry) -> dict:
    return {"type": "Feature", "properties": {"code": code, "nom": "x"}, "geometry": geometry}


def test_it_stores_a_simplified_contour_and_a_centroid_inside_the_commune():
    salon = MunicipalityFactory(insee_code="13103", name="Salon-de-Provence")
    marseille = MunicipalityFactory(insee_code="13055", name="Marseille")

    report = import_contours(DEMO_CONTOURS)

    assert (report.rows, report.created, report.updated) == (119, 2, 0)
    salon.refresh_from_db()
    assert 5.0 < salon.centroid_longitude < 5.2 and 43.6 < salon.centroid_latitude < 43.7
    contour = MunicipalityContour.objects.get(municipality=marseille)
    assert contour.geometry["type"] == "MultiPolygon"
    original = next(
        f["geometry"] for f in json.loads(DEMO_CONTOURS.read_text())["features"] if f["properties"]["code"] == "13055"
    )
    assert len(json.dumps(contour.geometry)) < len(json.dumps(original))
    assert contour.source == DEMO_CONTOURS.name


def test_it_reports_codes_it_does_not_know_by_position_and_goes_on():
    MunicipalityFactory(insee_code="13103")
    body = collection(feature("13999", square(5, 43)), feature("13103", square(5.1, 43.6)))

    report = import_contours(io.BytesIO(body))

    assert report.created == 1
    assert [str(error) for error in report.errors] == [
        "entité n° 1 : commune 13999 inconnue (absente du COG importé) : ignorée."
    ]


def test_running_it_again_changes_nothing_and_a_new_shape_updates():
    MunicipalityFactory(insee_code="13103")
    import_contours(io.BytesIO(collection(feature("13103", square(5.1, 43.6)))))

    again = import_contours(io.BytesIO(collection(feature("13103", square(5.1, 43.6)))))
    moved = import_contours(io.BytesIO(collection(feature("13103", square(5.2, 43.6)))))

    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert (moved.created, moved.updated) == (0, 1)
    assert Municipality.objects.get(pk="13103").centroid_longitude == pytest.approx(5.205)
    assert MunicipalityContour.objects.count() == 1


def test_it_imports_department_contours():
    DepartmentFactory(code="13")

    report = import_contours(DEMO_DEPARTMENT_CONTOURS)

    assert report.created == 1
    assert DepartmentContour.objects.get(pk="13").geometry["type"] in {"Polygon", "MultiPolygon"}


def test_bad_geometries_are_reported_and_the_rest_imported():
    MunicipalityFactory(insee_code="13103")
    MunicipalityFactory(insee_code="13001")
    body = collection(
        feature("13001", {"type": "Point", "coordinates": [5, 43]}),
        feature("13002", {"type": "Polygon", "coordinates": [[[500, 43], [501, 43], [501, 44], [500, 43]]]}),
        {"type": "Feature", "properties": {"nom": "sans code"}, "geometry": square(5, 43)},
        feature("13103", square(5.1, 43.6)),
    )

    report = import_contours(io.BytesIO(body))

    assert report.created == 1
    assert [error.line for error in report.errors] == [1, 2, 3]
    assert "Polygon ou un MultiPolygon" in report.errors[0].message
    assert "WGS 84" in report.errors[1].message
    assert "code" in report.errors[2].message


def test_a_file_that_breaks_midway_writes_nothing():
    MunicipalityFactory(insee_code="13103")
    body = collection(feature("13103", square(5.1, 43.6)))[:-5]

    with pytest.raises(ImportFileError, match="GeoJSON mal formé"):
        import_contours(io.BytesIO(body))

    assert not MunicipalityContour.objects.exists()
    assert Municipality.objects.get(pk="13103").centroid_longitude is None


def test_an_import_that_changes_contours_starts_a_new_map_generation(django_capture_on_commit_callbacks):
    MunicipalityFactory(insee_code="13103")
    before = generation(MAP)

    with django_capture_on_commit_callbacks(execute=True):
        import_contours(io.BytesIO(collection(feature("13103", square(5.1, 43.6)))))

    assert generation(MAP) != before


def test_the_command_prints_the_summary_and_the_refused_features(tmp_path):
    MunicipalityFactory(insee_code="13103")
    path = tmp_path / "communes.geojson"
    path.write_bytes(collection(feature("13103", square(5.1, 43.6)), feature("13999", square(5, 43))))
    out, err = io.StringIO(), io.StringIO()

    call_command("import_contours", str(path), stdout=out, stderr=err)

    assert "2 entités lues. Contours : 1 créés" in out.getvalue()
    assert "entité n° 2 : commune 13999 inconnue" in err.getvalue()
    with pytest.raises(CommandError, match="Fichier illisible"):
        call_command("import_contours", str(tmp_path / "absent.geojson"), stdout=out, stderr=err)


def test_a_national_size_file_is_read_in_bounded_memory(tmp_path):
    """Features of 1,000 points each, ~18 MB in all: the import holds a batch of simplified
    features, never the file (read whole, its objects would weigh several times its size)."""
    for index in range(20):
        MunicipalityFactory(insee_code=f"{13001 + index}")
    path = tmp_path / "france.geojson"
    count, points = 800, 1000
    with path.open("w") as out:
        out.write('{"type":"FeatureCollection","features":[')
        for index in range(count):
            lon, lat = 2 + (index % 50) * 0.1, 45 + (index // 50) * 0.1
            ring = [
                [
                    round(lon + 0.03 * math.cos(2 * math.pi * i / points), 6),
                    round(lat + 0.03 * math.sin(2 * math.pi * i / points), 6),
                ]
                for i in range(points)
            ]
            ring.append(ring[0])
            out.write(
                ("," if index else "")
                + json.dumps(feature(f"{13001 + index}", {"type": "Polygon", "coordinates": [ring]}))
            )
        out.write("]}")
    size = path.stat().st_size
    assert size > 18_000_000

    tracemalloc.start()
    try:
        report = import_contours(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert (report.rows, report.created, report.rejected) == (count, 20, count - 20)
    assert peak < size / 2
    assert len(MunicipalityContour.objects.get(pk="13001").geometry["coordinates"][0]) < 100
