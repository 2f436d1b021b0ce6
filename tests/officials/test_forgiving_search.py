"""``?search=`` finds a name as people type it: spaces, hyphens, apostrophes, accents and
case ignored, with one rule (core.search) for every list that searches names."""

import pytest

from tests.campaigns.factories import PledgeFactory, make_pact
from tests.officials.factories import MandateFactory, MunicipalityFactory, OfficialFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def communes():
    return {
        name: MunicipalityFactory(insee_code=code, name=name)
        for code, name in [
            ("13103", "Salon-de-Provence"),
            ("13001", "Aix-en-Provence"),
            ("84054", "L'Isle-sur-la-Sorgue"),
            ("42218", "Saint-Étienne"),
        ]
    }


def names(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [row["name"] for row in response.json()["results"]]


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("salon de provence", ["Salon-de-Provence"]),
        ("SALON-DE-PROVENCE", ["Salon-de-Provence"]),
        ("salondeprovence", ["Salon-de-Provence"]),
        ("de provence", ["Salon-de-Provence"]),
        ("provence", ["Aix-en-Provence", "Salon-de-Provence"]),
        ("l isle sur la sorgue", ["L'Isle-sur-la-Sorgue"]),
        ("L’Isle", ["L'Isle-sur-la-Sorgue"]),
        ("saint etienne", ["Saint-Étienne"]),
    ],
)
def test_municipalities_are_found_as_people_type_them(api, communes, typed, found):
    assert sorted(names(api.get("/api/municipalities/", {"search": typed}))) == found


def test_officials_are_found_as_people_type_them(api, communes):
    official = OfficialFactory(last_name="DE LA TOUR", first_name="Jean-Marc")
    MandateFactory(official=official, municipality=communes["Salon-de-Provence"])
    OfficialFactory(last_name="DURAND", first_name="Jeanne")

    rows = api.get("/api/officials/", {"search": "delatour jean marc"}).json()["results"]

    assert [row["last_name"] for row in rows] == ["DE LA TOUR"]


def test_pledges_are_found_by_their_municipality_as_people_type_it(api, communes):
    pact = make_pact()
    PledgeFactory(pact=pact, municipality=communes["Salon-de-Provence"], list_name="Salon demain")
    PledgeFactory(pact=pact, municipality=communes["Saint-Étienne"], list_name="Ensemble")

    for typed in ("salondeprovence", "Saint Étienne"):
        rows = api.get("/api/pledges/", {"search": typed}).json()["results"]
        assert len(rows) == 1, typed
    # The list's other fields are still searched word by word.
    assert [row["list_name"] for row in api.get("/api/pledges/", {"search": "demain"}).json()["results"]] == [
        "Salon demain"
    ]
