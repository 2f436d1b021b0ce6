"""A review cycle's assessments as CSV, and back: the export of one is the import of the other.

Rows are keyed on (code INSEE, liste, mesure). The status is written with its French label
and read as label or code. Sources are separated by " | ".
"""

from __future__ import annotations

from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from campaigns.collectives.access import can_assess
from campaigns.pledges.models import PledgedMeasure
from campaigns.reviews.models import Assessment, AssessmentStatus, ReviewCycle
from campaigns.reviews.selectors import assessments_visible_to
from campaigns.reviews.services import (
    UNSET,
    AssessmentInput,
    assessments_problems,
    assessments_save,
    pledged_measures_in_scope,
)
from core.csv_export import csv_bytes, restore
from core.tabular import open_table, parse_date
from core.text import fold
from officials.importers import ImportFileError, RowError

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


class ReviewImportTooLarge(Exception):
    """The file is over the size limit (``REVIEW_IMPORT_MAX_BYTES``)."""

    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(_("Le fichier dépasse la taille maximale d'un import : %(limit)s octets.") % {"limit": limit})


def check_size(size: int | None) -> None:
    """Refuse a file over the size limit, before reading any of it."""
    limit = settings.REVIEW_IMPORT_MAX_BYTES
    if size is not None and size > limit:
        raise ReviewImportTooLarge(limit)


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

    Every error of the file comes in one answer: those of reading each row (all of a row's),
    of rows ``by`` may not change, and of the assessments' own rules. Returns the number of
    rows read.
    """
    check_size(getattr(source, "size", None))
    max_rows = settings.REVIEW_IMPORT_MAX_ROWS
    scope = {
        (pm.pledge.municipality_id, fold(pm.pledge.list_name), pm.measure.code): pm
        for pm in pledged_measures_in_scope(cycle.pact).select_related("pledge", "measure")
    }
    errors: list[RowError] = []
    items: list[AssessmentInput] = []
    foreign: list[AssessmentInput] = []  # rows of municipalities the user does not assess
    rows = 0
    with open_table(source) as table:
        col = table.index([INSEE, LIST, MEASURE, STATUS], optional=(PROGRESS, EVIDENCE, SOURCES, REPLY, REPLY_DATE))

        def cell(row, name):
            index = col.get(name)
            # The export wrote formula-like text with an apostrophe first: read the original.
            return restore(row[index].strip()) if index is not None and index < len(row) else None

        for line, row in table:
            rows += 1
            if rows > max_rows:
                # Stop reading here: the file is refused whole.
                raise ImportFileError(
                    _("Le fichier dépasse la limite de %(limit)s lignes par import : découpez-le.")
                    % {"limit": max_rows}
                )
            row_errors = _read_row(line, row, cell, scope)
            if isinstance(row_errors, AssessmentInput):
                item = row_errors
                (items if can_assess(by, item.pledged_measure.pledge.municipality_id) else foreign).append(item)
            else:
                errors += row_errors
        errors += table.errors
        rows += len(table.errors)
        if rows > max_rows:
            raise _too_many_rows(max_rows)
    errors += _foreign_changes(cycle, foreign, by)
    messages = [(error.line, str(error)) for error in errors]
    messages += [(item.line, message) for item, message in assessments_problems(cycle=cycle, items=items)]
    if messages:
        messages.sort(key=lambda pair: pair[0])
        raise ReviewImportInvalid([message for _line, message in messages])
    try:
        assessments_save(cycle=cycle, items=items, by=by)
    except ValidationError as exc:
        raise ReviewImportInvalid(exc.messages) from exc
    return len(items) + len(foreign)


def _too_many_rows(limit: int) -> ImportFileError:
    return ImportFileError(
        _("Le fichier dépasse la limite de %(limit)s lignes par import : découpez-le.") % {"limit": limit}
    )


def _read_row(line: int, row: list[str], cell, scope: dict) -> AssessmentInput | list[RowError]:
    """The row as an assessment to save, or every problem it has."""
    problems: list[str] = []
    insee, list_name, code = cell(row, INSEE), cell(row, LIST), cell(row, MEASURE)
    pledged: PledgedMeasure | None = scope.get((insee, fold(list_name or ""), code))
    if pledged is None:
        problems.append(
            _("aucune mesure %(code)s signée par la liste « %(list)s » à %(insee)s dans ce cycle.")
            % {"code": code, "list": list_name, "insee": insee}
        )
    status = STATUS_BY_NAME.get(fold(cell(row, STATUS) or ""))
    if status is None:
        problems.append(_("statut « %(status)s » inconnu.") % {"status": cell(row, STATUS)})
    values: dict = {}
    progress = cell(row, PROGRESS)
    if progress is not None:
        try:
            values["progress"] = int(progress) if progress else None
        except ValueError:
            problems.append(_("avancement « %(value)s » invalide (0 à 100).") % {"value": progress})
    for name, attribute in ((EVIDENCE, "evidence"), (REPLY, "municipality_reply")):
        value = cell(row, name)
        if value is not None:
            values[attribute] = value
    sources = cell(row, SOURCES)
    if sources is not None:
        values["sources"] = [source.strip() for source in sources.split("|") if source.strip()]
    reply_date = cell(row, REPLY_DATE)
    if reply_date is not None:
        try:
            values["reply_date"] = parse_date(reply_date) if reply_date else None
        except ValueError:
            problems.append(_("date « %(value)s » invalide.") % {"value": reply_date})
    if problems:
        return [RowError(line, problem) for problem in problems]
    return AssessmentInput(pledged_measure=pledged, status=status, line=line, **values)


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
