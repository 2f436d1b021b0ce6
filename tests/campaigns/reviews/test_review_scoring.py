"""Statuses, their default progress, the score out of 10 and the history of changes."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from campaigns.models import DEFAULT_PROGRESS, Assessment, AssessmentChange, AssessmentStatus
from campaigns.reviews import analytics
from campaigns.reviews.services import cycle_create
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import (
    MeasureFactory,
    ScoringScaleFactory,
    assess,
    assessment_of,
    default_scale,
    make_cycle,
    make_pact,
    sign,
)
from tests.officials.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

S = AssessmentStatus


@pytest.fixture
def pact(db):
    return make_pact(measures=6, principles=0, levels=1)


@pytest.fixture
def salon(db):
    return MunicipalityFactory(insee_code="13103", name="Salon-de-Provence")


@pytest.fixture
def pledged(pact, salon):
    return sign(pact, salon, pact.measures.order_by("position"), list_name="Salon en transition")


@pytest.fixture
def cycle(pact, pledged):
    return make_cycle(pact)


def score_of(cycle) -> float | None:
    return analytics.summary(cycle=cycle)["score"]


def assess_all(cycle, pledged, statuses):
    for pledged_measure, status in zip(pledged, statuses, strict=False):
        assess(cycle, pledged_measure, status)


# The statuses


def test_the_statuses_have_their_french_labels():
    assert [str(label) for label in S.labels] == [
        "non évaluée",
        "non engagée",
        "en cours",
        "partiellement réalisée",
        "réalisée",
        "abandonnée",
        "non mesurable",
    ]


def test_a_new_cycle_starts_every_pledged_measure_as_non_evaluee_without_progress(cycle, pledged):
    rows = Assessment.objects.filter(cycle=cycle)

    assert rows.count() == len(pledged) == 6
    assert set(rows.values_list("status", "progress")) == {(S.NOT_ASSESSED, None)}


def test_non_evaluee_is_never_read_as_nothing_done(cycle):
    summary = analytics.summary(cycle=cycle)

    assert summary["counts"][S.NOT_ASSESSED] == 6
    assert summary["assessed"] == 0
    assert summary["score"] is None
    assert summary["average_progress"] is None


@pytest.mark.parametrize(
    ("status", "progress"),
    [
        (S.NOT_STARTED, 0),
        (S.IN_PROGRESS, 25),
        (S.PARTIAL, 50),
        (S.DONE, 100),
        (S.ABANDONED, 0),
        (S.NOT_MEASURABLE, None),
        (S.NOT_ASSESSED, None),
    ],
)
def test_each_status_brings_its_default_progress(cycle, pledged, status, progress):
    # Start elsewhere with a refined progress, so that ``status`` is a change.
    assess(cycle, pledged[0], S.PARTIAL if status == S.IN_PROGRESS else S.IN_PROGRESS, 60)

    assessment = assess(cycle, pledged[0], status)

    assert assessment.progress == progress == DEFAULT_PROGRESS[status]
    assert assessment_of(cycle, pledged[0]).progress == progress


def test_a_member_refines_the_default_progress(cycle, pledged):
    assess(cycle, pledged[0], S.IN_PROGRESS, 60)

    assert assessment_of(cycle, pledged[0]).progress == 60


def test_a_refined_progress_survives_an_edit_of_the_evidence_alone(cycle, pledged):
    assess(cycle, pledged[0], S.IN_PROGRESS, 60)

    assess(cycle, pledged[0], S.IN_PROGRESS, evidence="Délibération du 12 mars")

    assessment = assessment_of(cycle, pledged[0])
    assert (assessment.progress, assessment.evidence) == (60, "Délibération du 12 mars")


def test_a_new_status_brings_its_default_over_a_refined_progress(cycle, pledged):
    assess(cycle, pledged[0], S.IN_PROGRESS, 60)

    assess(cycle, pledged[0], S.DONE)

    assert assessment_of(cycle, pledged[0]).progress == 100


def test_an_empty_progress_for_a_status_that_has_one_means_its_default(cycle, pledged):
    # What a grid or a spreadsheet sends when only the status was filled in.
    assess(cycle, pledged[0], S.PARTIAL, None)

    assert assessment_of(cycle, pledged[0]).progress == 50


@pytest.mark.parametrize("status", [S.NOT_ASSESSED, S.NOT_MEASURABLE])
def test_a_status_without_progress_refuses_one(cycle, pledged, status):
    with pytest.raises(ValidationError) as error:
        assess(cycle, pledged[0], status, 30)

    assert f"« {status.label} » n'a pas d'avancement" in error.value.messages[0]
    assert assessment_of(cycle, pledged[0]).status == S.NOT_ASSESSED


@pytest.mark.parametrize("progress", [-1, 101])
def test_a_progress_outside_0_to_100_is_refused(cycle, pledged, progress):
    with pytest.raises(ValidationError, match="de 0 à 100"):
        assess(cycle, pledged[0], S.IN_PROGRESS, progress)


def test_an_unknown_status_is_refused(cycle, pledged):
    with pytest.raises(ValidationError, match="statut « fini » inconnu"):
        assess(cycle, pledged[0], "fini")


def test_a_measure_of_another_pact_is_refused(cycle, salon):
    other_pact = make_pact(measures=1, principles=0, levels=0)
    [foreign] = sign(other_pact, salon, other_pact.measures.all())

    with pytest.raises(ValidationError, match="relève d'un autre pacte"):
        assess(cycle, foreign, S.DONE)
    assert not Assessment.objects.filter(pledged_measure=foreign).exists()


# The score out of 10, default scale


def test_the_default_scale_counts_realisee_1_and_partiellement_half():
    assert default_scale().weights() == {
        S.DONE: 1.0,
        S.PARTIAL: 0.5,
        S.IN_PROGRESS: 0.0,
        S.NOT_STARTED: 0.0,
        S.ABANDONED: 0.0,
    }


def test_the_score_is_out_of_10_over_the_assessed_measures(cycle, pledged):
    assess_all(cycle, pledged, [S.DONE, S.DONE, S.PARTIAL, S.NOT_STARTED, S.NOT_MEASURABLE, S.NOT_ASSESSED])

    summary = analytics.summary(cycle=cycle)

    # (1 + 1 + 0.5 + 0) / 4 counted measures
    assert summary["assessed"] == 4
    assert summary["score"] == 6.25


def test_non_mesurable_and_non_evaluee_do_not_lower_the_score(cycle, pledged):
    assess_all(cycle, pledged, [S.DONE, S.PARTIAL])
    before = score_of(cycle)

    assess_all(cycle, pledged[2:], [S.NOT_MEASURABLE, S.NOT_MEASURABLE])

    assert before == score_of(cycle) == 7.5


@pytest.mark.parametrize("status", [S.IN_PROGRESS, S.NOT_STARTED, S.ABANDONED])
def test_other_statuses_count_for_zero(cycle, pledged, status):
    assess_all(cycle, pledged, [S.DONE, status])

    assert score_of(cycle) == 5.0


def test_a_cycle_where_everything_is_done_scores_10(cycle, pledged):
    assess_all(cycle, pledged, [S.DONE] * 6)

    assert score_of(cycle) == 10.0


# The score out of 10, a scale configured in data


@pytest.fixture
def generous_scale(db):
    """En cours counts half, and "non mesurable" counts (for zero)."""
    return ScoringScaleFactory(
        name="Barème encourageant",
        weights={
            S.DONE: ("1", True),
            S.PARTIAL: ("0.75", True),
            S.IN_PROGRESS: ("0.5", True),
            S.NOT_STARTED: ("0", True),
            S.ABANDONED: ("0", True),
            S.NOT_MEASURABLE: ("0", True),
            S.NOT_ASSESSED: ("0", False),
        },
    )


def test_a_configured_scale_changes_the_score_of_the_same_statuses(pact, pledged, generous_scale):
    statuses = [S.DONE, S.IN_PROGRESS, S.ABANDONED, S.NOT_MEASURABLE, S.NOT_ASSESSED]
    usual = make_cycle(pact, name="Bilan barème citoyen")
    generous = make_cycle(pact, name="Bilan barème encourageant", scale=generous_scale)
    assess_all(usual, pledged, statuses)
    assess_all(generous, pledged, statuses)

    # Barème citoyen: 1 / 3 counted (non mesurable left out).
    assert analytics.summary(cycle=usual)["score"] == 3.33
    # Encourageant: (1 + 0.5 + 0 + 0) / 4 counted (non mesurable counts).
    assert analytics.summary(cycle=generous)["assessed"] == 4
    assert analytics.summary(cycle=generous)["score"] == 3.75


def test_a_scale_change_in_data_changes_the_score_at_once(pact, pledged, generous_scale):
    cycle = make_cycle(pact, scale=generous_scale)
    assess_all(cycle, pledged, [S.DONE, S.PARTIAL])
    assert score_of(cycle) == 8.75

    generous_scale.status_weights.filter(status=S.PARTIAL).update(weight="0.25")

    assert score_of(cycle) == 6.25


def test_a_cycle_created_without_a_scale_uses_the_default_one_even_when_others_exist(pact, pledged):
    ScoringScaleFactory(name="Autre barème", weights={S.DONE: ("1", True), S.PARTIAL: ("1", True)})

    cycle = cycle_create(
        pact=pact, name="Bilan sans barème", opens_on=dt.date(2026, 9, 1), closes_on=dt.date(2026, 12, 31)
    )

    assert cycle.scale == default_scale()


# The history of changes


def test_each_change_of_status_or_progress_is_kept_with_who_from_and_to(cycle, pledged):
    camille, dominique = UserFactory(username="camille"), UserFactory(username="dominique")

    assess(cycle, pledged[0], S.IN_PROGRESS, by=camille)
    assess(cycle, pledged[0], S.IN_PROGRESS, 70, by=dominique)
    assess(cycle, pledged[0], S.DONE, by=camille)

    changes = AssessmentChange.objects.filter(assessment=assessment_of(cycle, pledged[0])).order_by("pk")
    assert [
        (change.changed_by.username, change.old_status, change.old_progress, change.new_status, change.new_progress)
        for change in changes
    ] == [
        ("camille", S.NOT_ASSESSED, None, S.IN_PROGRESS, 25),
        ("dominique", S.IN_PROGRESS, 25, S.IN_PROGRESS, 70),
        ("camille", S.IN_PROGRESS, 70, S.DONE, 100),
    ]
    assert all(change.changed_at is not None for change in changes)


def test_the_assessment_remembers_who_assessed_it_last_and_when(cycle, pledged):
    camille = UserFactory(username="camille")

    assess(cycle, pledged[0], S.DONE, by=camille)

    assessment = assessment_of(cycle, pledged[0])
    assert assessment.assessed_by == camille
    assert assessment.assessed_at is not None


def test_saving_the_same_status_and_progress_again_adds_no_history(cycle, pledged):
    assess(cycle, pledged[0], S.PARTIAL, 60)
    assessed_at = assessment_of(cycle, pledged[0]).assessed_at

    assess(cycle, pledged[0], S.PARTIAL, 60)
    assess(cycle, pledged[0], S.PARTIAL)

    assert AssessmentChange.objects.filter(assessment__cycle=cycle).count() == 1
    assert assessment_of(cycle, pledged[0]).assessed_at == assessed_at


def test_a_change_of_evidence_alone_adds_no_history(cycle, pledged):
    assess(cycle, pledged[0], S.PARTIAL)

    assess(cycle, pledged[0], S.PARTIAL, evidence="Budget voté", sources=["https://salon.example/deliberation"])

    assert AssessmentChange.objects.filter(assessment__cycle=cycle).count() == 1
    assert assessment_of(cycle, pledged[0]).sources == ["https://salon.example/deliberation"]


def test_a_measure_pledged_after_the_cycle_opened_gets_its_assessment_on_first_save(cycle, pact, salon):
    extra_measure = MeasureFactory(pact=pact, code="99", position=99)
    [late] = sign(pact, salon, [extra_measure], list_name="Liste tardive")

    assess(cycle, late, S.IN_PROGRESS)

    [change] = AssessmentChange.objects.filter(assessment__pledged_measure=late)
    assert (change.old_status, change.new_status, change.new_progress) == ("", S.IN_PROGRESS, 25)
