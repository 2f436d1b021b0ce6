"""The grid of one municipality: every pledged measure with its assessment, saved all at once."""

import pytest

from campaigns.models import Assessment, AssessmentChange, AssessmentStatus, Measure
from campaigns.reviews.services import cycle_open
from tests.campaigns.factories import MeasureFactory, ThemeFactory, assess, assessment_of, make_cycle, make_pact, sign

pytestmark = pytest.mark.django_db

S = AssessmentStatus
ROLES = ["anonymous", "outsider", "member", "coordinator", "staff"]


@pytest.fixture
def measures(pact):
    theme = ThemeFactory(pact=pact, name="Mobilités")
    measures = list(pact.measures.filter(kind=Measure.Kind.MEASURE).order_by("position"))
    for measure in measures[:2]:
        measure.theme = theme
        measure.save()
    return measures


@pytest.fixture
def pledged(pact, salon, collective, measures):
    return sign(pact, salon, measures[:3], collective=collective, list_name="Salon en transition")


@pytest.fixture
def pledged_aix(pact, outside, other_collective, measures):
    return sign(pact, outside, measures[:2], collective=other_collective, list_name="Aix demain")


@pytest.fixture
def cycle(pact, pledged, pledged_aix):
    return make_cycle(pact, name="Bilan de mi-mandat 2026")


def url(cycle, insee="13103") -> str:
    return f"/api/review-cycles/{cycle.pk}/municipalities/{insee}/grid/"


def statuses(cycle, pledged) -> list[str]:
    return [assessment_of(cycle, pm).status for pm in pledged]


# Reading


def test_the_grid_lists_every_pledged_measure_of_the_municipality_with_its_assessment(as_role, cycle, pledged):
    assess(cycle, pledged[0], S.IN_PROGRESS, 40, evidence="Étude lancée")

    body = as_role("member").get(url(cycle)).json()

    assert [row["pledged_measure"] for row in body] == [pm.pk for pm in pledged]
    first = body[0]
    assert (first["list_name"], first["measure_code"], first["theme"], first["level"]) == (
        "Salon en transition",
        "01",
        "Mobilités",
        None,
    )
    assert {k: first["assessment"][k] for k in ("status", "status_display", "progress", "evidence")} == {
        "status": "in_progress",
        "status_display": "en cours",
        "progress": 40,
        "evidence": "Étude lancée",
    }
    assert body[2]["theme"] is None
    assert body[2]["assessment"]["status_display"] == "non évaluée"


def test_the_grid_of_an_unknown_municipality_is_a_404(as_role, cycle):
    assert as_role("member").get(url(cycle, "99999")).status_code == 404


def test_the_grid_reads_in_a_constant_number_of_queries(as_role, cycle, pact, salon, django_assert_max_num_queries):
    client = as_role("member")
    with django_assert_max_num_queries(8):
        small = client.get(url(cycle)).json()

    more = [MeasureFactory(pact=pact, code=f"{n}", position=n) for n in range(10, 40)]
    sign(pact, salon, more, list_name="Salon demain")
    cycle_open(cycle=cycle)  # adds the new measures' assessments
    with django_assert_max_num_queries(8):
        large = client.get(url(cycle)).json()

    assert (len(small), len(large)) == (3, 33)
    assert all(row["assessment"] is not None for row in large)


# Saving


def test_a_member_saves_several_rows_at_once(as_role, cycle, pledged):
    rows = [
        {
            "pledged_measure": pledged[0].pk,
            "status": "done",
            "evidence": "Délibération du 12 mars",
            "sources": ["https://salon.example/deliberation"],
        },
        {"pledged_measure": pledged[1].pk, "status": "in_progress", "progress": 60},
        {
            "pledged_measure": pledged[2].pk,
            "status": "not_measurable",
            "municipality_reply": "Données non publiées",
            "reply_date": "2026-10-02",
        },
    ]

    response = as_role("member").put(url(cycle), {"rows": rows}, format="json")

    assert response.status_code == 200, response.json()
    assert [(row["assessment"]["status"], row["assessment"]["progress"]) for row in response.json()] == [
        ("done", 100),
        ("in_progress", 60),
        ("not_measurable", None),
    ]
    first, _, third = (assessment_of(cycle, pm) for pm in pledged)
    assert (first.evidence, first.sources) == ("Délibération du 12 mars", ["https://salon.example/deliberation"])
    assert (third.municipality_reply, third.reply_date.isoformat()) == ("Données non publiées", "2026-10-02")


def test_a_grid_save_records_who_changed_what(as_role, cycle, pledged, collective):
    client = as_role("member")
    client.put(url(cycle), {"rows": [{"pledged_measure": pledged[0].pk, "status": "partial"}]}, format="json")

    [change] = AssessmentChange.objects.all()
    member = collective.members.get()
    assert (change.changed_by, change.old_status, change.new_status, change.new_progress) == (
        member,
        S.NOT_ASSESSED,
        S.PARTIAL,
        50,
    )
    assert assessment_of(cycle, pledged[0]).assessed_by == member


def test_rows_left_out_of_a_save_are_left_as_they_were(as_role, cycle, pledged):
    assess(cycle, pledged[1], S.DONE)

    as_role("member").put(
        url(cycle), {"rows": [{"pledged_measure": pledged[0].pk, "status": "partial"}]}, format="json"
    )

    assert statuses(cycle, pledged) == [S.PARTIAL, S.DONE, S.NOT_ASSESSED]


def test_one_bad_row_saves_nothing(as_role, cycle, pledged):
    rows = [
        {"pledged_measure": pledged[0].pk, "status": "done"},
        {"pledged_measure": pledged[1].pk, "status": "not_measurable", "progress": 30},
        {"pledged_measure": pledged[2].pk, "status": "partial"},
    ]

    response = as_role("member").put(url(cycle), {"rows": rows}, format="json")

    assert response.status_code == 400
    assert "mesure n°2 (02) : une mesure « non mesurable » n'a pas d'avancement." in str(response.json())
    assert statuses(cycle, pledged) == [S.NOT_ASSESSED] * 3
    assert not AssessmentChange.objects.exists()


def test_a_row_with_an_unknown_status_saves_nothing(as_role, cycle, pledged):
    rows = [{"pledged_measure": pledged[0].pk, "status": "done"}, {"pledged_measure": pledged[1].pk, "status": "fini"}]

    response = as_role("member").put(url(cycle), {"rows": rows}, format="json")

    assert response.status_code == 400
    assert "status" in response.json()["rows"]["1"]
    assert statuses(cycle, pledged) == [S.NOT_ASSESSED] * 3


def test_the_same_measure_twice_saves_nothing(as_role, cycle, pledged):
    rows = [
        {"pledged_measure": pledged[0].pk, "status": "done"},
        {"pledged_measure": pledged[0].pk, "status": "partial"},
    ]

    response = as_role("member").put(url(cycle), {"rows": rows}, format="json")

    assert response.status_code == 400
    assert "figure deux fois" in str(response.json())
    assert statuses(cycle, pledged) == [S.NOT_ASSESSED] * 3


def test_an_empty_grid_is_refused(as_role, cycle):
    assert as_role("member").put(url(cycle), {"rows": []}, format="json").status_code == 400


def test_rows_of_another_municipality_are_refused(as_role, cycle, pledged, pledged_aix):
    rows = [
        {"pledged_measure": pledged[0].pk, "status": "done"},
        {"pledged_measure": pledged_aix[0].pk, "status": "done"},
    ]

    response = as_role("staff").put(url(cycle), {"rows": rows}, format="json")

    assert response.status_code == 400
    assert f"Mesures signées hors de cette commune ou de ce cycle : {pledged_aix[0].pk}." in str(response.json())
    assert statuses(cycle, pledged) == [S.NOT_ASSESSED] * 3
    assert assessment_of(cycle, pledged_aix[0]).status == S.NOT_ASSESSED


def test_rows_of_another_pact_are_refused(as_role, cycle, pledged, salon):
    other = make_pact(measures=1, principles=0, levels=0)
    [foreign] = sign(other, salon, other.measures.all(), list_name="Autre pacte")

    response = as_role("member").put(
        url(cycle), {"rows": [{"pledged_measure": foreign.pk, "status": "done"}]}, format="json"
    )

    assert response.status_code == 400
    assert not Assessment.objects.filter(pledged_measure=foreign).exists()


@pytest.mark.parametrize("role", ROLES)
def test_only_members_of_a_collective_that_follows_the_municipality_and_staff_save_its_grid(
    as_role, cycle, pledged, role
):
    cycle.is_published = True  # visible to all, so that the answer is about the right to write
    cycle.save()

    response = as_role(role).put(
        url(cycle), {"rows": [{"pledged_measure": pledged[0].pk, "status": "done"}]}, format="json"
    )

    if role in ("member", "coordinator", "staff"):
        assert response.status_code == 200
        assert statuses(cycle, pledged)[0] == S.DONE
    else:
        assert response.status_code in (401, 403)
        assert statuses(cycle, pledged)[0] == S.NOT_ASSESSED


def test_an_outsider_is_told_in_french_why_they_cannot_assess(as_role, cycle, pledged):
    response = as_role("outsider").put(
        url(cycle), {"rows": [{"pledged_measure": pledged[0].pk, "status": "done"}]}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["detail"] == "Seuls les membres d'un collectif qui suit Salon-de-Provence peuvent l'évaluer."


def test_a_member_cannot_save_the_grid_of_a_municipality_outside_their_territory(as_role, cycle, pledged_aix):
    response = as_role("member").put(
        url(cycle, "13001"), {"rows": [{"pledged_measure": pledged_aix[0].pk, "status": "done"}]}, format="json"
    )

    assert response.status_code == 403
    assert assessment_of(cycle, pledged_aix[0]).status == S.NOT_ASSESSED
