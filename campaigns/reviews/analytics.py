"""Progress analytics of a review cycle, aggregated by the database.

One query per grouping: counts per status, average progress, score out of 10 (weights
of the cycle's scale, statuses that do not count left out) and number of municipalities.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Avg, Case, Count, F, FloatField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from campaigns.reviews.models import Assessment, AssessmentStatus, ReviewCycle
from campaigns.reviews.selectors import assessments_visible_to, cycles_visible_to

MUNICIPALITY = "pledged_measure__pledge__municipality"
GROUPINGS = {
    "municipality": {"key": f"{MUNICIPALITY}_id", "label": f"{MUNICIPALITY}__name"},
    "measure": {
        "key": "pledged_measure__measure_id",
        "label": "pledged_measure__measure__title",
        "code": "pledged_measure__measure__code",
    },
    "theme": {"key": "pledged_measure__measure__theme_id", "label": "pledged_measure__measure__theme__name"},
    "department": {"key": f"{MUNICIPALITY}__department_id", "label": f"{MUNICIPALITY}__department__name"},
}


def _aggregates(cycle: ReviewCycle) -> dict:
    weights = cycle.scale.weights()
    counted = Q(status__in=list(weights))
    weight = Case(
        *[When(status=status, then=Value(value)) for status, value in weights.items()],
        default=Value(0.0),
        output_field=FloatField(),
    )
    aggregates = {f"count_{status}": Count("pk", filter=Q(status=status)) for status in AssessmentStatus.values}
    aggregates.update(
        total=Count("pk"),
        municipalities=Count(MUNICIPALITY, distinct=True),
        average_progress=Avg(Cast("progress", FloatField())),
        weighted=Sum(weight, filter=counted, output_field=FloatField()),
        counted=Count("pk", filter=counted),
    )
    return aggregates


def _shape(row: dict) -> dict:
    counted = row.pop("counted")
    weighted = row.pop("weighted") or 0.0
    row["counts"] = {status: row.pop(f"count_{status}") for status in AssessmentStatus.values}
    row["assessed"] = counted
    row["score"] = round(10 * weighted / counted, 2) if counted else None
    if row["average_progress"] is not None:
        row["average_progress"] = round(row["average_progress"], 1)
    return row


def progress(*, cycle: ReviewCycle, by: str, assessments: QuerySet[Assessment] | None = None) -> list[dict]:
    """One row per group (municipality, measure, theme or department), best score first."""
    grouping = GROUPINGS[by]
    queryset = assessments if assessments is not None else Assessment.objects.all()
    fields = {name: F(path) for name, path in grouping.items()}
    rows = queryset.filter(cycle=cycle).values(**fields).annotate(**_aggregates(cycle)).order_by("key")
    result = [_shape(dict(row)) for row in rows]
    for row in result:
        if row["key"] is None and by == "theme":
            row["label"] = _("sans thématique")
    result.sort(key=lambda row: (row["score"] is None, -(row["score"] or 0), str(row["label"])))
    return result


def summary(*, cycle: ReviewCycle, assessments: QuerySet[Assessment] | None = None) -> dict:
    queryset = assessments if assessments is not None else Assessment.objects.all()
    return _shape(dict(queryset.filter(cycle=cycle).aggregate(**_aggregates(cycle))))


def compare(current: list[dict], previous: list[dict]) -> list[dict]:
    """Add to each group of ``current`` the change since the same group in ``previous``."""
    before = {row["key"]: row for row in previous}
    for row in current:
        old = before.get(row["key"])
        row["previous"] = (
            {
                "score": old["score"],
                "average_progress": old["average_progress"],
                "done": old["counts"][AssessmentStatus.DONE],
            }
            if old
            else None
        )
        row["change"] = (
            {
                "score": _delta(row["score"], old["score"]),
                "average_progress": _delta(row["average_progress"], old["average_progress"]),
                "done": row["counts"][AssessmentStatus.DONE] - old["counts"][AssessmentStatus.DONE],
            }
            if old
            else None
        )
    return current


def _delta(new, old):
    return None if new is None or old is None else round(new - old, 2)


def progress_report(*, cycle: ReviewCycle, by: str, user, compare_to: str | None = None) -> dict:
    """What ``user`` may read of a cycle's progress: per group (counts per status, average
    progress, score, municipalities) and the national summary; with ``compare_to`` (a cycle
    id), the change since that cycle."""
    if by not in GROUPINGS:
        message = _("Regroupement inconnu ; choisissez parmi : %(choices)s.") % {"choices": ", ".join(GROUPINGS)}
        raise ValidationError({"by": [message]})
    visible = assessments_visible_to(user)
    groups = progress(cycle=cycle, by=by, assessments=visible)
    body = {"cycle": cycle.pk, "by": by, "summary": summary(cycle=cycle, assessments=visible)}
    if compare_to:
        other = cycles_visible_to(user).filter(pk=compare_to).first() if compare_to.isdecimal() else None
        if other is None:
            raise ValidationError({"compare_to": [_("Cycle « %(id)s » introuvable.") % {"id": compare_to}]})
        groups = compare(groups, progress(cycle=other, by=by, assessments=visible))
        body["compare_to"] = other.pk
        body["previous_summary"] = summary(cycle=other, assessments=visible)
    body["groups"] = groups
    return body
