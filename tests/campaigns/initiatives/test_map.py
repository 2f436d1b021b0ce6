import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from campaigns.initiatives.models import Initiative
from campaigns.initiatives.services import initiative_validate
from campaigns.models import AssessmentStatus
from campaigns.reviews.services import cycle_publish
from officials.importers import import_contours
from officials.importers.contours import DEMO_CONTOURS
from tests.campaigns.factories import InitiativeFactory, ThemeFactory, assess, make_cycle, sign
from tests.officials.factories import DepartmentFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

URL = "/api/map/"
PAYS_SALONAIS = "4.9,43.5,5.3,43.8"


@pytest.fixture
def contours(salon, outside):
    """Salon-de-Provence, Aix-en-Provence and Marseille with their contours."""
    MunicipalityFactory(insee_code="13055", name="Marseille")
    import_contours(DEMO_CONTOURS)


def get(params, client=None):
    response = (client or APIClient()).get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def layer(body, name):
    return {f["id"]: f for f in body["features"] if f["properties"]["layer"] == name}


def test_an_anonymous_reader_gets_municipalities_by_centroid_with_pledge_and_latest_published_score(
    contours, salon, pact, measures, django_capture_on_commit_callbacks
):
    pledged = sign(pact, salon, measures[:2], list_name="Salon en transition")
    old = make_cycle(pact, name="Bilan 2023", published=True)
    assess(old, pledged[0], AssessmentStatus.NOT_STARTED)
    with django_capture_on_commit_callbacks(execute=True):
        latest = make_cycle(pact, name="Bilan 2026", opens_on="2029-01-01", closes_on="2029-06-30", published=True)
        assess(latest, pledged[0], AssessmentStatus.DONE)
        assess(latest, pledged[1], AssessmentStatus.DONE)
        unpublished = make_cycle(pact, name="Bilan en cours", opens_on="2030-01-01", closes_on="2030-06-30")
        assess(unpublished, pledged[0], AssessmentStatus.ABANDONED)

    body = get({"department": "13"})

    assert body["type"] == "FeatureCollection" and body["geometry"] == "centroid"
    municipalities = layer(body, "municipality")
    assert set(municipalities) == {"municipality-13103", "municipality-13001", "municipality-13055"}
    salon_feature = municipalities["municipality-13103"]
    assert salon_feature["geometry"]["type"] == "Point"
    assert salon_feature["properties"]["pledge"]["list_name"] == "Salon en transition"
    assert salon_feature["properties"]["score"] == 10.0
    assert salon_feature["properties"]["cycle"] == {"id": latest.pk, "name": "Bilan 2026"}
    assert municipalities["municipality-13001"]["properties"]["score"] is None


def test_contours_from_the_contour_zoom_and_only_what_the_box_holds(contours):
    body = get({"bbox": PAYS_SALONAIS, "zoom": 10})

    assert body["geometry"] == "contour"
    assert set(layer(body, "municipality")) == {"municipality-13103"}
    assert layer(body, "municipality")["municipality-13103"]["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_validated_initiatives_are_points_filtered_by_theme_and_kind(contours, salon, pact):
    theme = ThemeFactory(pact=pact, code="mobilite")
    bikes = InitiativeFactory(name="Vélo-école", kind="association", municipality=salon)
    bikes.themes.add(theme)
    InitiativeFactory(name="Ferme", kind="project", municipality=salon, longitude=5.05, latitude=43.62)
    InitiativeFactory(name="Proposée", municipality=salon, status=Initiative.Status.PROPOSED)
    InitiativeFactory(name="Loin", municipality=salon, longitude=2.35, latitude=48.85)

    every = layer(get({"bbox": PAYS_SALONAIS}), "initiative")
    themed = layer(get({"bbox": PAYS_SALONAIS, "theme": "mobilite"}), "initiative")
    projects = layer(get({"department": "13", "kind": "project"}), "initiative")

    assert {f["properties"]["name"] for f in every.values()} == {"Vélo-école", "Ferme"}
    salon.refresh_from_db()
    assert every[f"initiative-{bikes.pk}"]["geometry"]["coordinates"] == [
        salon.centroid_longitude,
        salon.centroid_latitude,
    ]
    assert [f["properties"]["name"] for f in themed.values()] == ["Vélo-école"]
    assert [f["properties"]["name"] for f in projects.values()] == ["Ferme"]


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({}, "bbox", "soit un rectangle"),
        ({"bbox": "1,2,3", "zoom": 3}, "bbox", "Quatre nombres"),
        ({"bbox": "a,b,c,d"}, "bbox", "Quatre nombres"),
        ({"bbox": "5,44,4,45"}, "bbox", "minimum précède"),
        ({"bbox": "5,95,6,96"}, "bbox", "latitudes"),
        ({"bbox": "-5,41,10,51", "zoom": 12}, "bbox", "trop grand"),
        ({"department": "99"}, "department", "inconnu"),
        ({"department": "13", "zoom": 40}, "zoom", ""),
        ({"department": "13", "kind": "ovni"}, "kind", ""),
        ({"department": "13", "theme": "absent"}, "theme", "inconnue"),
    ],
)
def test_bad_parameters_get_a_french_400_under_their_name(params, field, words):
    DepartmentFactory(code="13")

    response = APIClient().get(URL, params)

    assert response.status_code == 400
    assert words in " ".join(response.json()[field])


def test_the_answer_is_cached_and_a_publication_or_an_initiative_serves_a_new_one(
    contours, salon, pact, measures, django_capture_on_commit_callbacks
):
    pledged = sign(pact, salon, measures[:1])
    cycle = make_cycle(pact)
    assess(cycle, pledged[0], AssessmentStatus.DONE)
    proposed = InitiativeFactory(name="Verger", municipality=salon, status=Initiative.Status.PROPOSED)
    first = get({"department": "13"})

    with CaptureQueriesContext(connection) as cached:
        again = get({"department": "13"})
    with django_capture_on_commit_callbacks(execute=True):
        cycle_publish(cycle=cycle)
    published = get({"department": "13"})
    with django_capture_on_commit_callbacks(execute=True):
        initiative_validate(initiative=proposed, by=None)
    validated = get({"department": "13"})

    assert again == first
    assert len(cached) <= 2  # the published cycles, the department's check
    assert layer(published, "municipality")["municipality-13103"]["properties"]["score"] == 10.0
    assert layer(first, "initiative") == {} and set(layer(validated, "initiative")) == {f"initiative-{proposed.pk}"}


def test_a_contour_import_serves_a_new_map(salon, django_capture_on_commit_callbacks):
    DepartmentFactory(code="13")
    assert get({"department": "13"})["features"] == []
    ring = [[5.1, 43.6], [5.11, 43.6], [5.11, 43.61], [5.1, 43.6]]
    feature = {
        "type": "Feature",
        "properties": {"code": "13103"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }

    with django_capture_on_commit_callbacks(execute=True):
        import_contours(io.BytesIO(json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()))

    assert set(layer(get({"department": "13"}), "municipality")) == {"municipality-13103"}


def test_the_map_runs_as_many_queries_for_many_municipalities_as_for_a_few(pact, measures):
    def queries(count: int, department: str) -> int:
        DepartmentFactory(code=department, name=department)
        for index in range(count):
            municipality = MunicipalityFactory(
                department_id=department, centroid_longitude=5 + index / 100, centroid_latitude=43.5
            )
            sign(pact, municipality, measures[:1])
            InitiativeFactory(municipality=municipality).themes.add(ThemeFactory(pact=pact))
        with CaptureQueriesContext(connection) as captured:
            body = get({"department": department, "zoom": 12})
        assert len(body["features"]) == 2 * count
        return len(captured)

    make_cycle(pact, published=True)
    assert queries(2, "83") == queries(7, "84")


def test_scored_keeps_only_municipalities_with_a_published_score(contours, salon, outside, pact, measures):
    published = make_cycle(pact, name="Bilan publié", published=True)
    assess(published, sign(pact, salon, measures[:1])[0], AssessmentStatus.DONE)
    hidden = make_cycle(pact, name="Bilan en cours", opens_on="2030-01-01", closes_on="2030-06-30")
    assess(hidden, sign(pact, outside, measures[:1])[0], AssessmentStatus.DONE)

    body = get({"bbox": "-5.3,41.3,9.7,51.2", "zoom": 5, "scored": "true"})

    assert set(layer(body, "municipality")) == {"municipality-13103"}
