"""Who sees which review: the public sees published cycles; members also see their
territory's work in progress; the list of assessments filters and reads in constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.models import AssessmentStatus, Measure, ReviewCycle
from campaigns.reviews.services import cycle_open
from tests.campaigns.factories import MeasureFactory, ThemeFactory, assess, assessment_of, make_cycle, sign

pytestmark = pytest.mark.django_db

S = AssessmentStatus


@pytest.fixture
def measures(pact):
    theme = ThemeFactory(pact=pact, name="Mobilités")
    measures = list(pact.measures.filter(kind=Measure.Kind.MEASURE).order_by("position"))
    measures[0].theme = theme
    measures[0].save()
    return measures


@pytest.fixture
def pledged(pact, salon, collective, measures):
    return sign(pact, salon, measures[:2], collective=collective, list_name="Salon en transition")


@pytest.fixture
def pledged_aix(pact, outside, other_collective, measures):
    return sign(pact, outside, measures[:2], collective=other_collective, list_name="Aix demain")


@pytest.fixture
def published(pact, pledged, pledged_aix):
    cycle = make_cycle(pact, name="Bilan de mi-mandat 2023", published=True)
    assess(cycle, pledged[0], S.DONE, evidence="Plan vélo voté")
    assess(cycle, pledged_aix[0], S.PARTIAL)
    return cycle


@pytest.fixture
def draft(pact, pledged, pledged_aix):
    cycle = make_cycle(pact, name="Bilan de fin de mandat 2026")
    assess(cycle, pledged[0], S.IN_PROGRESS, evidence="Travaux engagés")
    assess(cycle, pledged_aix[0], S.ABANDONED)
    return cycle


def listed(client, url="/api/assessments/", **params) -> set[tuple]:
    response = client.get(url, params)
    assert response.status_code == 200, response.json()
    return {(row["cycle"], row["municipality"], row["measure_code"]) for row in response.json()["results"]}


def every_row(cycle, *insee_codes) -> set[tuple]:
    return {(cycle.pk, insee, code) for insee in insee_codes for code in ("01", "02")}


# Cycles


@pytest.mark.parametrize(
    ("role", "sees_draft"),
    [("anonymous", False), ("outsider", True), ("member", True), ("coordinator", True), ("staff", True)],
)
def test_the_public_lists_only_published_cycles(as_role, published, draft, role, sees_draft):
    names = [cycle["name"] for cycle in as_role(role).get("/api/review-cycles/").json()["results"]]

    expected = {published.name, draft.name} if sees_draft else {published.name}
    assert set(names) == expected


def test_a_logged_in_user_of_no_collective_lists_only_published_cycles(user_api, published, draft):
    names = [cycle["name"] for cycle in user_api.get("/api/review-cycles/").json()["results"]]

    assert names == [published.name]


def test_an_unpublished_cycle_is_a_404_for_the_public(as_role, draft):
    client = as_role("anonymous")

    assert client.get(f"/api/review-cycles/{draft.pk}/").status_code == 404
    assert client.get(f"/api/review-cycles/{draft.pk}/municipalities/13103/grid/").status_code == 404
    assert client.get(f"/api/review-cycles/{draft.pk}/export/").status_code == 404
    assert client.get(f"/api/review-cycles/{draft.pk}/progress/").status_code == 404


def test_cycles_filter_by_publication(as_role, published, draft):
    response = as_role("staff").get("/api/review-cycles/", {"is_published": "false"})

    assert [cycle["name"] for cycle in response.json()["results"]] == [draft.name]


# Assessments


def test_the_public_sees_the_assessments_of_published_cycles_only(as_role, published, draft):
    assert listed(as_role("anonymous")) == every_row(published, "13103", "13001")


def test_a_member_also_sees_their_territorys_work_in_progress(as_role, published, draft):
    assert listed(as_role("member")) == every_row(published, "13103", "13001") | every_row(draft, "13103")


def test_an_outsider_does_not_see_the_territorys_work_in_progress(as_role, published, draft):
    assert listed(as_role("outsider")) == every_row(published, "13103", "13001") | every_row(draft, "13001")


def test_staff_see_every_assessment(as_role, published, draft):
    assert listed(as_role("staff")) == every_row(published, "13103", "13001") | every_row(draft, "13103", "13001")


def test_the_grid_of_an_unpublished_cycle_hides_assessments_from_outsiders(as_role, draft, pledged):
    outsider_rows = as_role("outsider").get(f"/api/review-cycles/{draft.pk}/municipalities/13103/grid/").json()
    member_rows = as_role("member").get(f"/api/review-cycles/{draft.pk}/municipalities/13103/grid/").json()

    assert [row["assessment"] for row in outsider_rows] == [None, None]
    assert member_rows[0]["assessment"]["evidence"] == "Travaux engagés"


def test_the_export_of_an_unpublished_cycle_holds_only_the_members_territory(as_role, draft):
    member_csv = as_role("member").get(f"/api/review-cycles/{draft.pk}/export/").content.decode("utf-8-sig")
    outsider_csv = as_role("outsider").get(f"/api/review-cycles/{draft.pk}/export/").content.decode("utf-8-sig")

    assert "Travaux engagés" in member_csv
    assert "13001" not in member_csv
    assert "13103" not in outsider_csv


def test_an_assessment_reads_with_its_municipality_measure_and_french_status(as_role, published, pledged):
    [row] = (
        as_role("anonymous")
        .get("/api/assessments/", {"cycle": published.pk, "municipality": "13103", "status": "done"})
        .json()["results"]
    )

    assert {
        key: row[key]
        for key in (
            "municipality",
            "municipality_name",
            "list_name",
            "measure_code",
            "status",
            "status_display",
            "progress",
            "evidence",
            "pledged_measure",
        )
    } == {
        "municipality": "13103",
        "municipality_name": "Salon-de-Provence",
        "list_name": "Salon en transition",
        "measure_code": "01",
        "status": "done",
        "status_display": "réalisée",
        "progress": 100,
        "evidence": "Plan vélo voté",
        "pledged_measure": pledged[0].pk,
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"municipality": "13001"}, {("13001", "01"), ("13001", "02")}),
        ({"status": "done"}, {("13103", "01")}),
        ({"status": ["done", "partial"]}, {("13103", "01"), ("13001", "01")}),
        ({"status": "not_assessed", "municipality": "13103"}, {("13103", "02")}),
        ({"collective": "pays-aixois"}, {("13001", "01"), ("13001", "02")}),
    ],
)
def test_assessments_filter(as_role, published, params, expected):
    rows = listed(as_role("anonymous"), cycle=published.pk, **params)

    assert {(insee, code) for _, insee, code in rows} == expected


def test_assessments_filter_by_measure_and_theme(as_role, published, measures):
    client = as_role("anonymous")

    by_measure = listed(client, cycle=published.pk, measure=measures[1].pk)
    by_theme = listed(client, cycle=published.pk, theme=measures[0].theme_id)

    assert {(insee, code) for _, insee, code in by_measure} == {("13103", "02"), ("13001", "02")}
    assert {(insee, code) for _, insee, code in by_theme} == {("13103", "01"), ("13001", "01")}


def test_assessments_filter_by_cycle(as_role, published, draft):
    assert listed(as_role("staff"), cycle=draft.pk) == every_row(draft, "13103", "13001")


@pytest.mark.parametrize("role", ["anonymous", "member", "staff"])
def test_the_list_of_assessments_reads_in_a_constant_number_of_queries(
    as_role, pact, salon, collective, published, role, django_assert_max_num_queries
):
    client = as_role(role)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get("/api/assessments/").json()["results"]) == 4

    more = [MeasureFactory(pact=pact, code=f"{n}", position=n) for n in range(10, 40)]
    sign(pact, salon, more, collective=collective, list_name="Salon demain")
    cycle_open(cycle=published)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get("/api/assessments/").json()["results"]) == 34
    assert len(few.captured_queries) <= 6


def test_assessments_cannot_be_written_through_the_list(as_role, published, pledged):
    response = as_role("staff").post(
        "/api/assessments/", {"cycle": published.pk, "pledged_measure": pledged[1].pk, "status": "done"}, format="json"
    )

    assert response.status_code == 405


# The municipality's timeline


def timeline(client, insee="13103") -> list[dict]:
    return [
        event for event in client.get(f"/api/municipalities/{insee}/timeline/").json() if event["kind"] == "assessment"
    ]


def test_the_timeline_shows_the_assessments_of_published_cycles_to_the_public(as_role, published, draft):
    events = timeline(as_role("anonymous"))

    assert [(event["title"], event["summary"]) for event in events] == [
        ("Bilan de mi-mandat 2023 : mesure 01 réalisée", "Plan vélo voté")
    ]
    assert events[0]["date"] == timezone.localdate().isoformat()  # the day it was assessed


def test_the_timeline_shows_the_territorys_work_in_progress_to_members(as_role, published, draft):
    titles = {event["title"] for event in timeline(as_role("member"))}

    assert titles == {
        "Bilan de mi-mandat 2023 : mesure 01 réalisée",
        "Bilan de fin de mandat 2026 : mesure 01 en cours",
    }


def test_the_timeline_hides_the_territorys_work_in_progress_from_outsiders(as_role, published, draft):
    assert {event["title"] for event in timeline(as_role("outsider"))} == {
        "Bilan de mi-mandat 2023 : mesure 01 réalisée"
    }


def test_the_timeline_leaves_out_measures_nobody_assessed(as_role, published, pledged):
    assert assessment_of(published, pledged[1]).status == S.NOT_ASSESSED

    assert all("mesure 02" not in event["title"] for event in timeline(as_role("staff")))


def test_publishing_a_cycle_shows_its_assessments_to_the_public(as_role, draft):
    assert timeline(as_role("anonymous")) == []

    as_role("staff").post(f"/api/review-cycles/{draft.pk}/publish/")

    assert ReviewCycle.objects.get(pk=draft.pk).is_published
    assert {event["title"] for event in timeline(as_role("anonymous"))} == {
        "Bilan de fin de mandat 2026 : mesure 01 en cours"
    }
