import pytest

from campaigns.initiatives.models import Initiative
from tests.campaigns.factories import CampaignFactory, InitiativeFactory, ThemeFactory
from tests.openapi import assert_conforms

pytestmark = pytest.mark.django_db

URL = "/api/initiatives/"


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def test_validated_initiatives_are_public_and_proposed_ones_seen_by_the_collective_s_members(
    as_role, collective, salon
):
    InitiativeFactory(name="Jardin partagé", municipality=salon, collective=collective)
    InitiativeFactory(name="Ressourcerie", municipality=salon, collective=collective, status=Initiative.Status.PROPOSED)

    assert names(as_role("anonymous").get(URL)) == ["Jardin partagé"]
    assert names(as_role("outsider").get(URL)) == ["Jardin partagé"]
    assert names(as_role("member").get(URL)) == ["Jardin partagé", "Ressourcerie"]
    assert names(as_role("staff").get(URL)) == ["Jardin partagé", "Ressourcerie"]


def test_a_member_proposes_an_initiative_on_the_collective_s_territory(as_role, collective, salon, pact):
    theme = ThemeFactory(pact=pact, code="mobilite")
    campaign = CampaignFactory(collective=collective)

    response = as_role("member").post(
        URL,
        {
            "name": "Vélo-école",
            "kind": "association",
            "municipality": "13103",
            "collective": collective.slug,
            "themes": [theme.pk],
            "campaigns": [campaign.pk],
            "links": ["https://velo.example"],
            "status": "validated",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    initiative = Initiative.objects.get(name="Vélo-école")
    assert initiative.status == Initiative.Status.PROPOSED
    assert list(initiative.themes.all()) == [theme] and list(initiative.campaigns.all()) == [campaign]


def test_it_refuses_a_municipality_outside_the_territory_and_a_half_point(as_role, collective, outside):
    outside_body = {"name": "X", "kind": "project", "municipality": outside.pk, "collective": collective.slug}
    half_point = {**outside_body, "municipality": "13103", "longitude": 5.1}

    refused = as_role("member").post(URL, outside_body, format="json")
    half = as_role("member").post(URL, half_point, format="json")

    assert refused.status_code == 400
    assert "territoire" in refused.json()["municipality"][0]
    assert half.status_code == 400 and "longitude et une latitude" in str(half.json())
    assert not Initiative.objects.exists()


def test_only_a_coordinator_validates_and_a_member_s_change_asks_again(as_role, collective, salon):
    initiative = InitiativeFactory(municipality=salon, collective=collective, status=Initiative.Status.PROPOSED)
    url = f"{URL}{initiative.pk}/validate/"

    assert as_role("member").post(url).status_code == 403
    assert as_role("coordinator").post(url).json()["status"] == "validated"
    changed = as_role("member").patch(f"{URL}{initiative.pk}/", {"description": "Ouverte le samedi"}, format="json")

    assert changed.status_code == 200
    assert changed.json()["status"] == "proposed"


def test_filters_by_theme_kind_municipality_and_department(as_role, salon, outside, pact):
    theme = ThemeFactory(pact=pact, code="energie")
    solar = InitiativeFactory(name="Centrale solaire", kind="project", municipality=salon)
    solar.themes.add(theme)
    InitiativeFactory(name="Mairie d'Aix", kind="public_body", municipality=outside)
    client = as_role("anonymous")

    assert names(client.get(URL, {"theme": "energie"})) == ["Centrale solaire"]
    assert names(client.get(URL, {"kind": "public_body"})) == ["Mairie d'Aix"]
    assert names(client.get(URL, {"municipality": "13103"})) == ["Centrale solaire"]
    assert names(client.get(URL, {"department": "13"})) == ["Centrale solaire", "Mairie d'Aix"]


def test_the_geojson_export_holds_the_visible_initiatives_as_points(as_role, salon):
    salon.centroid_longitude, salon.centroid_latitude = 5.1, 43.64
    salon.save()
    InitiativeFactory(name="Repair café", municipality=salon, longitude=5.09, latitude=43.63)
    InitiativeFactory(name="Verger", municipality=salon)
    InitiativeFactory(name="Proposée", municipality=salon, status=Initiative.Status.PROPOSED)

    body = as_role("anonymous").get(f"{URL}geojson/").json()

    assert body["type"] == "FeatureCollection"
    points = {feature["properties"]["name"]: feature["geometry"]["coordinates"] for feature in body["features"]}
    assert points == {"Repair café": [5.09, 43.63], "Verger": [5.1, 43.64]}


def test_an_initiative_of_no_collective_is_sent_as_the_schema_says(as_role, salon):
    # Imports (CSV, GoGoCarto) bring initiatives that no collective follows.
    initiative = InitiativeFactory(municipality=salon, collective=None)

    for path in (URL, f"{URL}{initiative.pk}/"):
        response = as_role("anonymous").get(path)
        assert response.status_code == 200, response.content
        assert_conforms(response)
