"""A review cycle's assessments as CSV, and back: the export of one is the import of the other.

Rows are keyed on (code INSEE, liste, mesure). The status is written with its French label
and read as label or code. Sources are separated by " | ".
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from campaigns.collectives.access import can_assess
from campaigns.pledges.models import PledgedMeasure
from campaigns.reviews.models import Assessment, AssessmentStatus, ReviewCycle
from campaigns.reviews.selectors import assessments_visible_to
from campaigns.reviews.services import (
    UNSET,
    AssessmentInput,
    assessments_plan,
    assessments_row_problems,
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
    def __init__(self, messages: list[str], report: ImportReport | None = None):
        self.messages = messages
        self.report = report
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


@dataclass
class RowChange:
    """A row of the file that creates or changes an assessment: where, and what it changes."""

    line: int | None
    pledged_measure: PledgedMeasure
    before: dict | None
    after: dict
    fields: list[str]


@dataclass
class ImportReport:
    """What an import does, or would do: rows created, updated, unchanged and refused."""

    created: list[RowChange] = field(default_factory=list)
    updated: list[RowChange] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    items: list[AssessmentInput] = field(default_factory=list, repr=False)

    @property
    def changes(self) -> int:
        return len(self.created) + len(self.updated)

    def fingerprint(self) -> str:
        """A digest of the whole report: the same file against the same assessments gives the
        same one; any change to a row it touches gives another."""
        summary = {
            "created": [_row_key(row) for row in self.created],
            "updated": [_row_key(row) for row in self.updated],
            "unchanged": self.unchanged,
            "errors": [(error.line, error.message) for error in self.errors],
        }
        return hashlib.sha256(json.dumps(summary, sort_keys=True, default=str).encode()).hexdigest()


class ReviewImportStale(Exception):
    """The assessments changed since the preview: here is what the file would do now."""

    def __init__(self, report: ImportReport):
        self.report = report
        super().__init__(_("Les évaluations ont changé depuis l'aperçu : vérifiez le nouvel aperçu."))


def _row_key(row: RowChange) -> tuple:
    return (row.line, row.pledged_measure.pk, row.before, row.after)


def import_preview(*, cycle: ReviewCycle, source: BinaryIO, by, lock: bool = False) -> ImportReport:
    """What importing the CSV would do, writing nothing: rows to create, to update, left
    unchanged, and every error of the file with its line (reading errors, rows ``by`` may not
    change, and the assessments' own rules)."""
    if not cycle.is_open:
        raise ReviewImportInvalid(
            [_("Le cycle « %(name)s » est clos : il n'accepte plus de modification.") % {"name": cycle.name}]
        )
    items, foreign, errors = _read(cycle=cycle, source=source, by=by)
    refused_foreign = _foreign_changes(cycle, foreign, by)
    problems = assessments_row_problems(cycle=cycle, items=items)
    report = ImportReport(items=items, unchanged=len(foreign) - len(refused_foreign))
    report.errors = errors + refused_foreign + [RowError(item.line, message) for item, message in problems]
    report.errors.sort(key=lambda error: error.line)
    refused = {id(item) for item, _message in problems}
    valid = [item for item in items if id(item) not in refused]
    for planned in assessments_plan(cycle=cycle, items=valid, lock=lock):
        if not planned.changed:
            report.unchanged += 1
            continue
        row = RowChange(
            line=planned.item.line,
            pledged_measure=planned.item.pledged_measure,
            before=planned.before,
            after=planned.after,
            fields=planned.changed_fields if planned.before is not None else _set_fields(planned.after),
        )
        (report.updated if planned.before is not None else report.created).append(row)
    return report


@transaction.atomic
def import_apply(*, cycle: ReviewCycle, source: BinaryIO, by, expected: str | None = None) -> ImportReport:
    """Import the CSV: all of it, or nothing when a row is refused (``ReviewImportInvalid``
    with the report). With ``expected``, the fingerprint of a preview, nothing is written
    either when the file would now do anything else than what was previewed
    (``ReviewImportStale``)."""
    report = import_preview(cycle=cycle, source=source, by=by, lock=True)
    if report.errors:
        raise ReviewImportInvalid([str(error) for error in report.errors], report=report)
    if expected is not None and report.fingerprint() != expected:
        raise ReviewImportStale(report)
    try:
        assessments_save(cycle=cycle, items=report.items, by=by)
    except ValidationError as exc:
        raise ReviewImportInvalid(exc.messages, report=report) from exc
    return report


def _set_fields(after: dict) -> list[str]:
    """Fields of a new assessment that say something (a status, a text, a source…)."""
    return [name for name, value in after.items() if value not in (None, "", [])]


def _read(*, cycle: ReviewCycle, source: BinaryIO, by) -> tuple[list, list, list[RowError]]:
    """The rows of the file as assessments ``by`` may change, those of municipalities ``by``
    does not assess, and the errors of reading each row (all of a row's)."""
    check_size(getattr(source, "size", None))
    max_rows = settings.REVIEW_IMPORT_MAX_ROWS
    scope = {
        (pm.pledge.municipality_id, fold(pm.pledge.list_name), pm.measure.code): pm
        for pm in pledged_measures_in_scope(cycle.pact).select_related("pledge__municipality", "measure")
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
                raise _too_many_rows(max_rows)
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
    return items, foreign, errors


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
