from collections.abc import Callable
from typing import Any

from django.utils import timezone
from rest_framework.response import Response

from backend.renderers import CSVRenderer


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
        rows = [[_cell(function(obj)) for _header, function in self.csv_columns] for obj in queryset]
        stamp = timezone.localdate().isoformat()
        return Response(
            {"header": [header for header, _function in self.csv_columns], "rows": rows},
            headers={"Content-Disposition": f'attachment; filename="{self.csv_filename}-{stamp}.csv"'},
        )


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)
