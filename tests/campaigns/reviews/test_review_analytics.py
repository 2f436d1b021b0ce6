"""Progress analytics against figures computed by hand on a small review.

Pact: Mobilités (01 Plan vélo, 02 Zones 30) and Alimentation (03 Cantine bio,
04 Jardins partagés). Bilan 2026:

    Salon (13)     01 réalisée (100)   02 partiellement (50)   03 non mesurable
    Istres (13)    01 en cours (40)    03 non évaluée
    Avignon (84)   02 réalisée (100)   03 abandonnée (0)       04 non engagée (0)

Bilan 2023, to compare with:

    Salon          01 en cours (25)    02 non engagée (0)      03 non évaluée
    Istres         01 non engagée (0)  03 non évaluée
    Avignon        everything non évaluée
"""

import pytest
from rest_framework.test import APIClient

from campaigns.models import AssessmentStatus
from campaigns.reviews.services import UNSET
from tests.campaigns.factories import (
    CollectiveFactory,
    MeasureFactory,
    MembershipFactory,
    PactFactory,
    ThemeFactory,
    assess,
    make_cycle,
    sign,
)
from tests.officials.factories import DepartmentFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

S = AssessmentStatus
ZERO_COUNTS = dict.fromkeys(S.values, 0)


@pytest.fixture
def review(db):
    pact = PactFactory(name="Pacte pour la Transition 2020")
    mobility = ThemeFactory(pact=pact, name="Mobilités", position=1)
    food = ThemeFactory(pact=pact, name="Alimentation", position=2)
    m1, m2, m3, m4 = (
        MeasureFactory(pact=pact, code=code, title=title, theme=theme, position=index)
        for index, (code, title, theme) in enumerate(
            [
                ("01", "Plan vélo", mobility),
                ("02", "Zones 30", mobility),
                ("03", "Cantine bio", food),
                ("04", "Jardins partagés", food),
            ]
        )
    )
    bdr = DepartmentFactory(code="13", name="Bouches-du-Rhône")
    vaucluse = DepartmentFactory(code="84", name="Vaucluse", region_code="93")
    salon = MunicipalityFactory(insee_code="13103", name="Salon-de-Provence", department=bdr)
    istres = MunicipalityFactory(insee_code="13047", name="Istres", department=bdr)
    avignon = MunicipalityFactory(insee_code="84007", name="Avignon", department=vaucluse)
    collective = CollectiveFactory(slug="pays-salonais", territory=[salon])
    pledged = {
        "salon": sign(pact, salon, [m1, m2, m3], collective=collective),
        "istres": sign(pact, istres, [m1, m3]),
        "avignon": sign(pact, avignon, [m2, m3, m4]),
    }
    previous = make_cycle(pact, name="Bilan 2023", published=True)
    for key, statuses in {"salon": [S.IN_PROGRESS, S.NOT_STARTED], "istres": [S.NOT_STARTED]}.items():
        for pledged_measure, status in zip(pledged[key], statuses, strict=False):
            assess(previous, pledged_measure, status)
    current = make_cycle(pact, name="Bilan 2026", published=True)
    plan = {
        "salon": [(S.DONE, UNSET), (S.PARTIAL, UNSET), (S.NOT_MEASURABLE, UNSET)],
        "istres": [(S.IN_PROGRESS, 40), (S.NOT_ASSESSED, UNSET)],
        "avignon": [(S.DONE, UNSET), (S.ABANDONED, UNSET), (S.NOT_STARTED, UNSET)],
    }
    for key, rows in plan.items():
        for pledged_measure, (status, progress) in zip(pledged[key], rows, strict=True):
            if status != S.NOT_ASSESSED:
                assess(current, pledged_measure, status, progress)
    return {
        "current": current,
        "previous": previous,
        "measures": (m1, m2, m3, m4),
        "themes": (mobility, food),
        "collective": collective,
    }


def progress(client, review, **params) -> dict:
    response = client.get(f"/api/review-cycles/{review['current'].pk}/progress/", params)
    assert response.status_code == 200, response.json()
    return response.json()


def counts(**nonzero) -> dict:
    return {**ZERO_COUNTS, **{getattr(S, name.upper()).value: value for name, value in nonzero.items()}}


def figures(row: dict) -> tuple:
    return (
        row["key"],
        row["label"],
        row["total"],
        row["assessed"],
        row["score"],
        row["average_progress"],
        row["municipalities"],
    )


def test_progress_by_municipality(api, review):
    groups = progress(api, review, by="municipality")["groups"]

    assert [figures(row) for row in groups] == [
        ("13103", "Salon-de-Provence", 3, 2, 7.5, 75.0, 1),
        ("84007", "Avignon", 3, 3, 3.33, 33.3, 1),
        ("13047", "Istres", 2, 1, 0.0, 40.0, 1),
    ]
    assert groups[0]["counts"] == counts(done=1, partial=1, not_measurable=1)
    assert groups[1]["counts"] == counts(done=1, abandoned=1, not_started=1)
    assert groups[2]["counts"] == counts(in_progress=1, not_assessed=1)


def test_municipality_is_the_default_grouping(api, review):
    body = progress(api, review)

    assert body["by"] == "municipality"
    assert [row["key"] for row in body["groups"]] == ["13103", "84007", "13047"]


def test_progress_by_measure(api, review):
    groups = progress(api, review, by="measure")["groups"]
    m1, m2, m3, m4 = review["measures"]

    assert [figures(row) for row in groups] == [
        (m2.pk, "Zones 30", 2, 2, 7.5, 75.0, 2),
        (m1.pk, "Plan vélo", 2, 2, 5.0, 70.0, 2),
        (m3.pk, "Cantine bio", 3, 1, 0.0, 0.0, 3),
        (m4.pk, "Jardins partagés", 1, 1, 0.0, 0.0, 1),
    ]
    assert [row["code"] for row in groups] == ["02", "01", "03", "04"]
    assert groups[2]["counts"] == counts(not_measurable=1, not_assessed=1, abandoned=1)


def test_progress_by_theme(api, review):
    groups = progress(api, review, by="theme")["groups"]
    mobility, food = review["themes"]

    assert [figures(row) for row in groups] == [
        (mobility.pk, "Mobilités", 4, 4, 6.25, 72.5, 3),
        (food.pk, "Alimentation", 4, 2, 0.0, 0.0, 3),
    ]
    assert groups[0]["counts"] == counts(done=2, partial=1, in_progress=1)
    assert groups[1]["counts"] == counts(not_measurable=1, not_assessed=1, abandoned=1, not_started=1)


def test_progress_by_department(api, review):
    groups = progress(api, review, by="department")["groups"]

    assert [figures(row) for row in groups] == [
        ("13", "Bouches-du-Rhône", 5, 3, 5.0, 63.3, 2),
        ("84", "Vaucluse", 3, 3, 3.33, 33.3, 1),
    ]
    assert groups[0]["counts"] == counts(done=1, partial=1, not_measurable=1, in_progress=1, not_assessed=1)


def test_measures_without_a_theme_are_grouped_apart(api, review):
    m4 = review["measures"][3]
    m4.theme = None
    m4.save()

    groups = progress(api, review, by="theme")["groups"]

    assert [(row["key"], row["label"], row["total"]) for row in groups] == [
        (review["themes"][0].pk, "Mobilités", 4),
        (review["themes"][1].pk, "Alimentation", 3),
        (None, "sans thématique", 1),
    ]


def test_the_national_summary(api, review):
    summary = progress(api, review, by="theme")["summary"]

    assert summary == {
        "total": 8,
        "municipalities": 3,
        "assessed": 6,
        # (1 + 0.5 + 1) / 6 counted measures
        "score": 4.17,
        # (100 + 50 + 40 + 100 + 0 + 0) / 6 measures with a progress
        "average_progress": 48.3,
        "counts": counts(
            done=2, partial=1, in_progress=1, not_started=1, abandoned=1, not_measurable=1, not_assessed=1
        ),
    }


def test_compare_to_gives_the_change_since_an_earlier_cycle(api, review):
    body = progress(api, review, by="municipality", compare_to=review["previous"].pk)

    assert body["compare_to"] == review["previous"].pk
    changes = {row["key"]: (row["previous"], row["change"]) for row in body["groups"]}
    assert changes == {
        "13103": (
            {"score": 0.0, "average_progress": 12.5, "done": 0},
            {"score": 7.5, "average_progress": 62.5, "done": 1},
        ),
        "13047": (
            {"score": 0.0, "average_progress": 0.0, "done": 0},
            {"score": 0.0, "average_progress": 40.0, "done": 0},
        ),
        # Nothing assessed in 2023: no score to compare with, never a fall from zero.
        "84007": (
            {"score": None, "average_progress": None, "done": 0},
            {"score": None, "average_progress": None, "done": 1},
        ),
    }
    assert body["previous_summary"]["score"] == 0.0
    assert body["previous_summary"]["average_progress"] == 8.3
    assert body["previous_summary"]["assessed"] == 3


def test_compare_to_by_theme(api, review):
    body = progress(api, review, by="theme", compare_to=review["previous"].pk)

    mobility = body["groups"][0]
    # 2023 Mobilités: en cours (25), non engagée (0), non engagée (0); 01 and 02 of Avignon non évaluée.
    assert mobility["previous"] == {"score": 0.0, "average_progress": 8.3, "done": 0}
    assert mobility["change"] == {"score": 6.25, "average_progress": 64.2, "done": 2}


def test_a_group_new_since_the_compared_cycle_has_no_change(api, review):
    other = make_cycle(PactFactory(name="Autre pacte"), name="Bilan d'un autre pacte", published=True)

    body = progress(api, review, by="municipality", compare_to=other.pk)

    assert {(row["previous"], row["change"]) for row in body["groups"]} == {(None, None)}


def test_an_unknown_grouping_is_a_400_in_french(api, review):
    response = api.get(f"/api/review-cycles/{review['current'].pk}/progress/", {"by": "commune"})

    assert response.status_code == 400
    assert response.json() == {
        "by": ["Regroupement inconnu ; choisissez parmi : municipality, measure, theme, department."]
    }


@pytest.mark.parametrize("compare_to", ["9999", "2023", "abc", "1.5", "²"])
def test_an_unknown_cycle_to_compare_with_is_a_400(api, review, compare_to):
    response = api.get(f"/api/review-cycles/{review['current'].pk}/progress/", {"compare_to": compare_to})

    assert response.status_code == 400
    assert response.json() == {"compare_to": [f"Cycle « {compare_to} » introuvable."]}


def test_an_unpublished_cycle_cannot_be_compared_with_by_the_public(api, review):
    review["previous"].is_published = False
    review["previous"].save()

    response = api.get(f"/api/review-cycles/{review['current'].pk}/progress/", {"compare_to": review["previous"].pk})

    assert response.status_code == 400


def test_a_member_sees_the_progress_of_their_territory_in_an_unpublished_cycle(review):
    review["current"].is_published = False
    review["current"].save()
    client = APIClient()
    client.force_authenticate(MembershipFactory(collective=review["collective"]).user)

    body = progress(client, review)

    assert [row["key"] for row in body["groups"]] == ["13103"]
    assert body["summary"]["total"] == 3


def test_the_public_does_not_see_the_progress_of_an_unpublished_cycle(api, review):
    review["current"].is_published = False
    review["current"].save()

    assert api.get(f"/api/review-cycles/{review['current'].pk}/progress/").status_code == 404
