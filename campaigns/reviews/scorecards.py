"""Scorecard of one municipality for a review cycle: score, a bar per theme, and the table
of pledged measures with status, evidence and the municipality's reply."""

from __future__ import annotations

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from campaigns.reviews import analytics
from campaigns.reviews.models import Assessment, ReviewCycle
from officials.models import Municipality


def scorecard(*, cycle: ReviewCycle, municipality: Municipality, assessments: QuerySet[Assessment]) -> dict:
    scoped = assessments.filter(cycle=cycle, pledged_measure__pledge__municipality=municipality)
    rows = scoped.select_related(
        "pledged_measure__measure__theme", "pledged_measure__level", "pledged_measure__pledge"
    ).order_by(
        "pledged_measure__pledge__list_name", "pledged_measure__measure__position", "pledged_measure__measure__code"
    )
    summary = analytics.summary(cycle=cycle, assessments=scoped)
    return {
        "cycle": {"id": cycle.pk, "name": cycle.name, "is_published": cycle.is_published},
        "municipality": {"insee_code": municipality.insee_code, "name": municipality.name},
        "score": summary["score"],
        "average_progress": summary["average_progress"],
        "counts": summary["counts"],
        "assessed": summary["assessed"],
        "total": summary["total"],
        "themes": [
            {"theme": row["label"], "score": row["score"], "measures": row["total"]}
            for row in analytics.progress(cycle=cycle, by="theme", assessments=scoped)
        ],
        "measures": [
            {
                "list_name": row.pledged_measure.pledge.list_name,
                "code": row.pledged_measure.measure.code,
                "title": row.pledged_measure.measure.title,
                "theme": row.pledged_measure.measure.theme.name if row.pledged_measure.measure.theme else None,
                "level": row.pledged_measure.level.rank if row.pledged_measure.level else None,
                "status": row.status,
                "status_display": row.get_status_display(),
                "progress": row.progress,
                "evidence": row.evidence,
                "sources": row.sources,
                "municipality_reply": row.municipality_reply,
                "reply_date": row.reply_date,
            }
            for row in rows
        ],
    }


def scorecard_html(card: dict) -> str:
    return render_to_string("campaigns/scorecard.html", {"card": card, "today": timezone.localdate()})
