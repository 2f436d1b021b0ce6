"""CSV files that a French spreadsheet opens safely: UTF-8 with BOM, ";" separated, and no
cell that a spreadsheet would run as a formula.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula
to Excel and LibreOffice (CSV injection). Such a cell is written with a leading
apostrophe, and so is a cell that already starts with one, so that ``restore`` gives back
the original value exactly: an export read back by an import is lossless. Plain numbers
("-1", "+2,5") are left as they are: a spreadsheet reads them as numbers, not formulas.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.utils import timezone
from rest_framework import renderers
from rest_framework.response import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?")


def neutralise(value: str) -> str:
    """The cell as written: formula-like or apostrophe-led text gets an apostrophe first."""
    if value.startswith((*FORMULA_STARTS, ESCAPE)) and not _NUMBER.fullmatch(value):
        return ESCAPE + value
    return value


def restore(value: str) -> str:
    """The original value of a cell ``neutralise`` wrote (the inverse of it)."""
    if value.startswith(ESCAPE) and value[1:].startswith((*FORMULA_STARTS, ESCAPE)):
        return value[1:]
    return value


def csv_bytes(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """The one writer of every CSV export: every cell goes through ``neutralise``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(str(cell)) for cell in header])
    for row in rows:
        writer.writerow([neutralise("" if cell is None else str(cell)) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


class CSVRenderer(renderers.BaseRenderer):
    """``{"header": [...], "rows": [[...], ...]}`` (see ``CSVExportMixin``) as a CSV file."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if not (isinstance(data, dict) and "rows" in data):
            return error_as_json(data, renderer_context)
        return csv_bytes(data["header"], data["rows"])


def error_as_json(data, renderer_context) -> bytes:
    """An error raised before the file existed: answer it as JSON would have said it."""
    response = renderer_context.get("response") if renderer_context else None
    if response is not None:
        response["Content-Type"] = "application/json"
    return renderers.JSONRenderer().render(data)


class CSVExportMixin:
    """``?format=csv`` on a list: every row of the filtered list (no pagination), with the
    French headers and cell functions of ``csv_columns``."""

    csv_columns: list[tuple[str, Callable[[Any], Any]]] = []
    csv_filename = "export"

    def get_renderers(self):
        # Only the list is exported: elsewhere ``Accept: text/csv`` is refused (406).
        renderers = super().get_renderers()
        return [*renderers, CSVRenderer()] if getattr(self, "action", None) == "list" else renderers

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format != "csv":
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset())
        rows = [[cell_text(function(obj)) for _header, function in self.csv_columns] for obj in queryset]
        stamp = timezone.localdate().isoformat()
        return Response(
            {"header": [header for header, _function in self.csv_columns], "rows": rows},
            headers={"Content-Disposition": f'attachment; filename="{self.csv_filename}-{stamp}.csv"'},
        )


def cell_text(value) -> str:
    """A Python value as a French spreadsheet reads it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)
