"""Review cycles and assessments: open, close, publish; save a grid of assessments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.collectives.access import can_assess
from campaigns.pacts.models import Pact
from campaigns.pledges.models import PledgedMeasure, counted_pledges
from campaigns.reviews.models import (
    DEFAULT_PROGRESS,
    EVIDENCE_MAX_LENGTH,
    REPLY_MAX_LENGTH,
    Assessment,
    AssessmentChange,
    AssessmentStatus,
    ReviewCycle,
    ScoringScale,
    sources_problem,
)
from core.cache import MAP, new_generation
from officials.models import Municipality

NO_PROGRESS = {AssessmentStatus.NOT_ASSESSED, AssessmentStatus.NOT_MEASURABLE}
UNSET = object()
DEFAULT_SCALE_NAME = "Barème citoyen"  # installed by migration 0003


def default_scale() -> ScoringScale | None:
    """The scale of cycles created without one: the installed one, whatever others staff add."""
    return ScoringScale.objects.filter(name=DEFAULT_SCALE_NAME).first() or ScoringScale.objects.order_by("pk").first()


def pledged_measures_in_scope(pact: Pact):
    """What a review cycle assesses: the measures of the lists that were elected."""
    return PledgedMeasure.objects.filter(counted_pledges("pledge__"), pledge__pact=pact)


def grid_pledged(*, cycle: ReviewCycle, municipality: Municipality) -> list[PledgedMeasure]:
    """The rows of a municipality's grid: its pledged measures in the cycle's scope, by list
    and in the pact's order."""
    return list(
        pledged_measures_in_scope(cycle.pact)
        .filter(pledge__municipality=municipality)
        .select_related("pledge__municipality", "measure__theme", "level")
        .order_by("pledge__list_name", "measure__position", "measure__code")
    )


def _materialize(cycle: ReviewCycle) -> int:
    """One "non évaluée" row per pledged measure in scope, so that what nobody assessed
    is counted as such (and never as "nothing was done")."""
    missing = pledged_measures_in_scope(cycle.pact).exclude(assessments__cycle=cycle).values_list("pk", flat=True)
    rows = [Assessment(cycle=cycle, pledged_measure_id=pk) for pk in missing.iterator(chunk_size=2000)]
    Assessment.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return len(rows)


@transaction.atomic
def cycle_create(
    *, pact: Pact, name: str, opens_on: dt.date, closes_on: dt.date, scale: ScoringScale | None = None
) -> ReviewCycle:
    cycle = ReviewCycle(pact=pact, name=name, opens_on=opens_on, closes_on=closes_on, scale=scale or default_scale())
    cycle.full_clean()
    cycle.save()
    _materialize(cycle)
    return cycle


@transaction.atomic
def cycle_update(*, cycle: ReviewCycle, **fields) -> ReviewCycle:
    """Name, dates and scale of a cycle; its state changes through open, close and publish."""
    # The cycle's assessments are measures of its pact: another pact would orphan them.
    if "pact" in fields and fields["pact"].pk != cycle.pact_id:
        raise ValidationError({"pact": [_("Le pacte d'un cycle de bilan ne change plus après sa création.")]})
    for name, value in fields.items():
        setattr(cycle, name, value)
    cycle.full_clean()
    cycle.save()
    new_generation(MAP)  # the scale or the dates may change the scores and the latest cycle
    return cycle


@transaction.atomic
def cycle_open(*, cycle: ReviewCycle) -> int:
    """(Re)open a cycle and add the pledged measures recorded since; returns how many."""
    cycle.status = ReviewCycle.Status.OPEN
    cycle.save(update_fields=["status"])
    return _materialize(cycle)


def cycle_close(*, cycle: ReviewCycle) -> None:
    cycle.status = ReviewCycle.Status.CLOSED
    cycle.save(update_fields=["status"])


def cycle_publish(*, cycle: ReviewCycle, published: bool = True) -> None:
    cycle.is_published = published
    cycle.save(update_fields=["is_published"])
    new_generation(MAP)


@dataclass
class AssessmentInput:
    pledged_measure: PledgedMeasure
    status: str
    progress: int | object | None = UNSET  # UNSET: the status's default when the status changes
    evidence: str | object = UNSET
    sources: list[str] | object = UNSET
    municipality_reply: str | object = UNSET
    reply_date: dt.date | object | None = UNSET
    line: int | None = field(default=None, compare=False)  # for messages of file imports


def _where(item: AssessmentInput, position: int) -> str:
    if item.line is not None:
        return _("ligne %(line)s") % {"line": item.line}
    return _("mesure n°%(position)s (%(code)s)") % {"position": position, "code": item.pledged_measure.measure.code}


def _text_problems(item: AssessmentInput) -> list[str]:
    """Free texts longer than their limit (a file import or the API, every write)."""
    problems = []
    for name, label, limit in (
        ("evidence", _("éléments de preuve"), EVIDENCE_MAX_LENGTH),
        ("municipality_reply", _("réponse de la commune"), REPLY_MAX_LENGTH),
    ):
        value = getattr(item, name)
        if isinstance(value, str) and len(value) > limit:
            problems.append(
                _("%(label)s de %(length)s caractères ; %(max)s au plus.")
                % {"label": label, "length": len(value), "max": limit}
            )
    if item.sources is not UNSET and sources_problem(item.sources):
        problems.append(str(sources_problem(item.sources)))
    return problems


def assessments_row_problems(*, cycle: ReviewCycle, items: list[AssessmentInput]) -> list[tuple[AssessmentInput, str]]:
    """What is wrong with ``items``, each problem with its item and said as on the item's
    own row (a grid shows it there)."""
    problems = []
    seen = set()
    for item in items:
        if item.pledged_measure.pledge.pact_id != cycle.pact_id:
            problems.append((item, _("cette mesure signée relève d'un autre pacte.")))
        if item.pledged_measure.pk in seen:
            problems.append((item, _("cette mesure figure deux fois.")))
        seen.add(item.pledged_measure.pk)
        if item.status not in AssessmentStatus.values:
            problems.append((item, _("statut « %(status)s » inconnu.") % {"status": item.status}))
        elif item.status in NO_PROGRESS and item.progress not in (UNSET, None):
            problems.append(
                (
                    item,
                    _("une mesure « %(status)s » n'a pas d'avancement.")
                    % {"status": AssessmentStatus(item.status).label},
                )
            )
        if item.progress not in (UNSET, None) and not 0 <= item.progress <= 100:
            problems.append((item, _("l'avancement va de 0 à 100.")))
        problems.extend((item, problem) for problem in _text_problems(item))
    return problems


def assessments_problems(*, cycle: ReviewCycle, items: list[AssessmentInput]) -> list[tuple[AssessmentInput, str]]:
    """What is wrong with ``items``, each problem with its item and where it is (line of a
    file, or position in the request): a file import reports them together with its own
    errors, in one answer."""
    position = {id(item): index for index, item in enumerate(items, start=1)}
    return [
        (item, _("%(where)s : %(problem)s") % {"where": _where(item, position[id(item)]), "problem": problem})
        for item, problem in assessments_row_problems(cycle=cycle, items=items)
    ]


ASSESSED_FIELDS = ("status", "progress", "evidence", "sources", "municipality_reply", "reply_date")


class AssessmentsRefused(ValidationError):
    """A refusal of rows, each message with its row: a grid shows each under its row."""

    def __init__(self, problems: list[tuple[AssessmentInput, str]], located: list[str]):
        self.problems = problems  # (item, message as on its row)
        super().__init__(located)


@dataclass
class PlannedAssessment:
    """What saving ``item`` would do: ``before`` is None for an assessment to create."""

    item: AssessmentInput
    assessment: Assessment | None
    before: dict | None
    after: dict

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def changed_fields(self) -> list[str]:
        before = self.before or {}
        return [name for name in ASSESSED_FIELDS if before.get(name, UNSET) != self.after[name]]


def _values(assessment: Assessment) -> dict:
    return {name: getattr(assessment, name) for name in ASSESSED_FIELDS}


def _after(assessment: Assessment | None, item: AssessmentInput) -> dict:
    """The values the assessment holds once ``item`` is saved."""
    current = _values(assessment) if assessment is not None else _values(Assessment())
    old_status = assessment.status if assessment is not None else ""
    progress = item.progress
    # An empty progress for a status that has one is what a grid or a spreadsheet sends
    # when only the status was filled in: it means "the default", not "no progress".
    if progress is None and item.status not in NO_PROGRESS:
        progress = UNSET
    if progress is UNSET:
        progress = DEFAULT_PROGRESS[item.status] if item.status != old_status else current["progress"]
    if item.status in NO_PROGRESS:
        progress = None
    after = {**current, "status": item.status, "progress": progress}
    for name in ("evidence", "sources", "municipality_reply", "reply_date"):
        value = getattr(item, name)
        if value is not UNSET:
            after[name] = value
    return after


def assessments_plan(
    *, cycle: ReviewCycle, items: list[AssessmentInput], lock: bool = False
) -> list[PlannedAssessment]:
    """What saving ``items`` (already checked) would create or change, row by row: the
    preview of an import and the work of ``assessments_save`` are this one computation."""
    stored = Assessment.objects.filter(cycle=cycle, pledged_measure_id__in={item.pledged_measure.pk for item in items})
    if lock:
        stored = stored.select_for_update()
    existing = {assessment.pledged_measure_id: assessment for assessment in stored}
    plan = []
    for item in items:
        assessment = existing.get(item.pledged_measure.pk)
        before = _values(assessment) if assessment is not None else None
        plan.append(PlannedAssessment(item=item, assessment=assessment, before=before, after=_after(assessment, item)))
    return plan


@transaction.atomic
def assessments_save(*, cycle: ReviewCycle, items: list[AssessmentInput], by) -> list[Assessment]:
    """Create or update the assessments of ``items`` at once; all or nothing.

    Every change of status or progress is kept in the history.
    """
    if not cycle.is_open:
        raise ValidationError(
            _("Le cycle « %(name)s » est clos : il n'accepte plus de modification.") % {"name": cycle.name}
        )
    problems = assessments_row_problems(cycle=cycle, items=items)
    if problems:
        located = [message for _item, message in assessments_problems(cycle=cycle, items=items)]
        raise AssessmentsRefused(problems, located)

    now = timezone.now()
    saved, changes = [], []
    for planned in assessments_plan(cycle=cycle, items=items, lock=True):
        assessment = planned.assessment or Assessment(cycle=cycle, pledged_measure=planned.item.pledged_measure)
        if not planned.changed:
            saved.append(assessment)
            continue
        old_status, old_progress = (assessment.status, assessment.progress) if assessment.pk else ("", None)
        for name, value in planned.after.items():
            setattr(assessment, name, value)
        assessment.assessed_by = by if by is not None and by.is_authenticated else None
        assessment.assessed_at = now
        assessment.save()
        if (old_status, old_progress) != (assessment.status, assessment.progress):
            changes.append(
                AssessmentChange(
                    assessment=assessment,
                    changed_by=assessment.assessed_by,
                    old_status=old_status,
                    new_status=assessment.status,
                    old_progress=old_progress,
                    new_progress=assessment.progress,
                )
            )
        saved.append(assessment)
    AssessmentChange.objects.bulk_create(changes)
    new_generation(MAP)
    return saved


def grid_save(
    *, cycle: ReviewCycle, municipality: Municipality, pledged: list[PledgedMeasure], items: list[AssessmentInput], by
) -> list[Assessment]:
    """Save a municipality's grid (rows of its ``pledged`` measures), all rows or none, for a
    member of a collective that follows the municipality."""
    if not can_assess(by, municipality.pk):
        raise PermissionDenied(
            _("Seuls les membres d'un collectif qui suit %(name)s peuvent l'évaluer.") % {"name": municipality.name}
        )
    by_pk = {pm.pk: pm for pm in pledged}
    for item in items:
        item.pledged_measure = by_pk[item.pledged_measure.pk]
    return assessments_save(cycle=cycle, items=items, by=by)
