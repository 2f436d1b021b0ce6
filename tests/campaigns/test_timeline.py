import datetime as dt

import pytest

from tests.campaigns.factories import ActionFactory, PledgeFactory

pytestmark = pytest.mark.django_db


def test_the_timeline_tells_a_municipalitys_story_oldest_first(as_role, collective, salon, outside, pact):
    ActionFactory(collective=collective, municipality=salon, date=dt.date(2026, 10, 8), title="Rendez-vous")
    PledgeFactory(pact=pact, municipality=salon, collective=collective, list_name="Salon en transition",
                  signed_on=dt.date(2026, 2, 12))  # fmt: skip
    ActionFactory(collective=collective, municipality=salon, date=dt.date(2026, 9, 15), title="Courrier")
    ActionFactory(collective=collective, municipality=salon, date=dt.date(2026, 9, 20), title="Secret", is_public=False)
    ActionFactory(collective=collective, municipality=outside, date=dt.date(2026, 9, 1), title="Ailleurs")

    public = as_role("anonymous").get("/api/municipalities/13103/timeline/").json()
    assert [(event["date"], event["kind"]) for event in public] == [
        ("2026-02-12", "pledge"),
        ("2026-09-15", "action"),
        ("2026-10-08", "action"),
    ]
    assert public[0]["title"] == f"La liste « Salon en transition » signe le {pact.name}"
    member_view = as_role("member").get("/api/municipalities/13103/timeline/").json()
    assert [event["title"] for event in member_view if event["kind"] == "action"] == [
        "Courrier",
        "Secret",
        "Rendez-vous",
    ]


def test_the_timeline_of_an_unknown_municipality_is_a_404(api):
    assert api.get("/api/municipalities/99999/timeline/").status_code == 404


def test_the_pact_detail_has_its_themes_measures_and_levels(api, pact, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        body = api.get(f"/api/pacts/{pact.pk}/").json()
    assert [measure["code"] for measure in body["measures"]] == ["P1", "P2", "01", "02", "03", "04"]
    assert [level["rank"] for level in body["measures"][2]["levels"]] == [1, 2]


def test_measures_filter_by_pact_and_kind(api, pact):
    response = api.get("/api/measures/", {"pact": pact.pk, "kind": "principle"})
    assert [measure["code"] for measure in response.json()["results"]] == ["P1", "P2"]
