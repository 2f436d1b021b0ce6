"""A review cycle's assessments as CSV, and back: the export of one is the import of the other.

Rows are keyed on (code INSEE, liste, mesure). The status is written with its French label
and read as label or code. Sources are separated by " | ".
"""

from __future__ import annotations

from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from campaigns.access import can_assess
from campaigns.models import Assessment, AssessmentStatus, PledgedMeasure, ReviewCycle
from campaigns.selectors import assessments_visible_to
from campaigns.services import AssessmentInput, assessments_save, pledged_measures_in_scope
from campaigns.services.reviews import UNSET
from core.csv_export import csv_bytes, restore
from officials.importers import RowError
from officials.importers.base import open_table, parse_date
from officials.text import fold

INSEE, MUNICIPALITY, LIST, MEASURE, TITLE = "Code INSEE", "Commune", "Liste", "Mesure", "Intitulé"
STATUS, PROGRESS, EVIDENCE, SOURCES = "Statut", "Avancement (%)", "Éléments de preuve", "Sources"
REPLY, REPLY_DATE = "Réponse de la commune", "Date de la réponse"
HEADER = [INSEE, MUNICIPALITY, LIST, MEASURE, TITLE, STATUS, PROGRESS, EVIDENCE, SOURCES, REPLY, REPLY_DATE]
SOURCE_SEPARATOR = " | "
STATUS_BY_NAME = {fold(str(label)): value for value, label in AssessmentStatus.choices} | {
    value: value for value in AssessmentStatus.values
}


class ReviewImportInvalid(Exception):
    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("\n".join(messages))


def export_rows(assessments: QuerySet[Assessment]) -> list[list[str]]:
    rows = assessments.select_related("pledged_measure__pledge__municipality", "pledged_measure__measure").order_by(
        "pledged_measure__pledge__municipality_id",
        "pledged_measure__pledge__list_name",
        "pledged_measure__measure__position",
        "pledged_measure__measure__code",
    )
    return [
        [
            a.pledged_measure.pledge.municipality_id,
            a.pledged_measure.pledge.municipality.name,
            a.pledged_measure.pledge.list_name,
            a.pledged_measure.measure.code,
            a.pledged_measure.measure.title,
            a.get_status_display(),
            "" if a.progress is None else str(a.progress),
            a.evidence,
            SOURCE_SEPARATOR.join(a.sources),
            a.municipality_reply,
            a.reply_date.strftime("%d/%m/%Y") if a.reply_date else "",
        ]
        for a in rows
    ]


def export_csv(assessments: QuerySet[Assessment]) -> bytes:
    return csv_bytes(HEADER, export_rows(assessments))


def import_csv(*, cycle: ReviewCycle, source: BinaryIO, by) -> int:
    """Create or update the assessments a CSV lists; line-numbered errors, all or nothing.

    Returns the number of rows read.
    """
    scope = {
        (pm.pledge.municipality_id, fold(pm.pledge.list_name), pm.measure.code): pm
        for pm in pledged_measures_in_scope(cycle.pact).select_related("pledge", "measure")
    }
    errors: list[RowError] = []
    items: list[AssessmentInput] = []
    foreign: list[AssessmentInput] = []  # rows of municipalities the user does not assess
    with open_table(source) as table:
        col = table.index([INSEE, LIST, MEASURE, STATUS], optional=(PROGRESS, EVIDENCE, SOURCES, REPLY, REPLY_DATE))

        def cell(row, name):
            index = col.get(name)
            # The export wrote formula-like text with an apostrophe first: read the original.
            return restore(row[index].strip()) if index is not None and index < len(row) else None

        for line, row in table:
            insee, list_name, code = cell(row, INSEE), cell(row, LIST), cell(row, MEASURE)
            pledged: PledgedMeasure | None = scope.get((insee, fold(list_name or ""), code))
            if pledged is None:
                errors.append(
                    RowError(
                        line,
                        _("aucune mesure %(code)s signée par la liste « %(list)s » à %(insee)s dans ce cycle.")
                        % {"code": code, "list": list_name, "insee": insee},
                    )
                )
                continue
            status = STATUS_BY_NAME.get(fold(cell(row, STATUS) or ""))
            if status is None:
                errors.append(RowError(line, _("statut « %(status)s » inconnu.") % {"status": cell(row, STATUS)}))
                continue
            item = AssessmentInput(pledged_measure=pledged, status=status, line=line)
            progress = cell(row, PROGRESS)
            if progress is not None:
                try:
                    item.progress = int(progress) if progress else None
                except ValueError:
                    errors.append(
                        RowError(line, _("avancement « %(value)s » invalide (0 à 100).") % {"value": progress})
                    )
                    continue
            for name, attribute in ((EVIDENCE, "evidence"), (REPLY, "municipality_reply")):
                value = cell(row, name)
                if value is not None:
                    setattr(item, attribute, value)
            sources = cell(row, SOURCES)
            if sources is not None:
                item.sources = [source.strip() for source in sources.split("|") if source.strip()]
            reply_date = cell(row, REPLY_DATE)
            if reply_date is not None:
                try:
                    item.reply_date = parse_date(reply_date) if reply_date else None
                except ValueError:
                    errors.append(RowError(line, _("date « %(value)s » invalide.") % {"value": reply_date}))
                    continue
            (items if can_assess(by, insee) else foreign).append(item)
    errors += _foreign_changes(cycle, foreign, by)
    if errors:
        errors.sort(key=lambda error: error.line)
        raise ReviewImportInvalid([str(error) for error in errors])
    try:
        assessments_save(cycle=cycle, items=items, by=by)
    except ValidationError as exc:
        raise ReviewImportInvalid(exc.messages) from exc
    return len(items) + len(foreign)


def _foreign_changes(cycle: ReviewCycle, items: list[AssessmentInput], by) -> list[RowError]:
    """Errors for the rows of municipalities ``by`` may not assess, unless they say what the
    assessment already says: an export of a published cycle lists every municipality, and
    importing it back must work. Rows ``by`` may not see are errors whatever they say."""
    if not items:
        return []
    current = {
        assessment.pledged_measure_id: assessment
        for assessment in assessments_visible_to(by).filter(
            cycle=cycle, pledged_measure__in=[item.pledged_measure.pk for item in items]
        )
    }
    return [
        RowError(
            item.line,
            _("vous ne pouvez pas évaluer les mesures de la commune %(insee)s.")
            % {"insee": item.pledged_measure.pledge.municipality_id},
        )
        for item in items
        if not _says_the_same(item, current.get(item.pledged_measure.pk))
    ]


def _says_the_same(item: AssessmentInput, assessment: Assessment | None) -> bool:
    if assessment is None or assessment.status != item.status:
        return False
    fields = ("progress", "evidence", "sources", "municipality_reply", "reply_date")
    return all(getattr(item, name) is UNSET or getattr(item, name) == getattr(assessment, name) for name in fields)
