"""Factories and small builders for review cycles and assessments."""

import datetime as dt
import importlib

import factory
from django.apps import apps

from campaigns.models import Assessment, Pledge, PledgedMeasure, ReviewCycle, ScoringScale, StatusWeight
from campaigns.reviews.services import UNSET, AssessmentInput, assessments_save, cycle_create
from tests.factories import PactFactory, PledgedMeasureFactory, PledgeFactory

DEFAULT_SCALE = "Barème citoyen"


def default_scale() -> ScoringScale:
    """The scale migration 0003 installs (installed again if a test flushed the tables)."""
    scale = ScoringScale.objects.filter(name=DEFAULT_SCALE).first()
    if scale is None:
        migration = importlib.import_module("campaigns.migrations.0003_default_scoring_scale")
        migration.install(apps, None)
        scale = ScoringScale.objects.get(name=DEFAULT_SCALE)
    return scale


class ScoringScaleFactory(factory.django.DjangoModelFactory):
    """A scale; ``weights={"done": ("1", True), ...}`` gives its weight and "counted" per status."""

    class Meta:
        model = ScoringScale
        django_get_or_create = ["name"]
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Barème d'essai {n}")

    @factory.post_generation
    def weights(self, create, weights, **kwargs):
        if create and weights:
            for status, (weight, counted) in weights.items():
                StatusWeight.objects.create(scale=self, status=status, weight=weight, counted=counted)


class ReviewCycleFactory(factory.django.DjangoModelFactory):
    """A cycle row alone; ``make_cycle`` also creates its "non évaluée" assessments."""

    class Meta:
        model = ReviewCycle

    pact = factory.SubFactory(PactFactory)
    name = factory.Sequence(lambda n: f"Bilan d'essai {n}")
    opens_on = dt.date(2026, 9, 1)
    closes_on = dt.date(2026, 12, 31)
    scale = factory.LazyFunction(default_scale)


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    cycle = factory.SubFactory(ReviewCycleFactory)
    pledged_measure = factory.SubFactory(
        PledgedMeasureFactory,
        pledge__pact=factory.SelfAttribute("...cycle.pact"),
        measure__pact=factory.SelfAttribute("...cycle.pact"),
    )


def make_cycle(pact, *, name: str = "Bilan de mi-mandat 2026", published: bool = False, **kwargs) -> ReviewCycle:
    """A cycle created by the service, as staff do: every pledged measure in scope gets a row."""
    kwargs.setdefault("opens_on", dt.date(2026, 9, 1))
    kwargs.setdefault("closes_on", dt.date(2026, 12, 31))
    cycle = cycle_create(pact=pact, name=name, **kwargs)
    if published:
        cycle.is_published = True
        cycle.save(update_fields=["is_published"])
    return cycle


def sign(pact, municipality, measures, *, collective=None, list_name=None, **kwargs) -> list[PledgedMeasure]:
    """An elected list of ``municipality`` signs ``measures``; returns the pledged measures in order."""
    kwargs.setdefault("election_outcome", Pledge.Outcome.ELECTED)
    if list_name is not None:
        kwargs["list_name"] = list_name
    if collective is not None:
        kwargs["collective"] = collective
    pledge = PledgeFactory(pact=pact, municipality=municipality, **kwargs)
    return [PledgedMeasureFactory(pledge=pledge, measure=measure) for measure in measures]


def assess(cycle, pledged_measure, status, progress=UNSET, *, by=None, **fields) -> Assessment:
    """Save one assessment through the service, as the grid and the import do."""
    pledged_measure = PledgedMeasure.objects.select_related("pledge", "measure").get(pk=pledged_measure.pk)
    item = AssessmentInput(pledged_measure=pledged_measure, status=status, progress=progress, **fields)
    [assessment] = assessments_save(cycle=cycle, items=[item], by=by)
    return assessment


def assessment_of(cycle, pledged_measure) -> Assessment:
    return Assessment.objects.get(cycle=cycle, pledged_measure=pledged_measure)
