import csv
import io

from rest_framework import renderers


def _error_as_json(data, renderer_context) -> bytes:
    """An error raised before the file existed: answer it as JSON would have said it."""
    response = renderer_context.get("response") if renderer_context else None
    if response is not None:
        response["Content-Type"] = "application/json"
    return renderers.JSONRenderer().render(data)


class CSVRenderer(renderers.BaseRenderer):
    """CSV that a French spreadsheet opens as is: UTF-8 with BOM, ";" separated.

    Expects ``{"header": [...], "rows": [[...], ...]}`` (see ``backend.views.CSVExportMixin``).
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if not (isinstance(data, dict) and "rows" in data):
            return _error_as_json(data, renderer_context)
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(data["header"])
        writer.writerows(data["rows"])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")


class FileRenderer(renderers.BaseRenderer):
    """Passes through the bytes of a file a view produced; errors stay JSON."""

    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return _error_as_json(data, renderer_context)


class PDFRenderer(FileRenderer):
    """``?format=pdf`` or ``Accept: application/pdf``."""

    media_type = "application/pdf"
    format = "pdf"


class ZIPRenderer(FileRenderer):
    """``?format=zip`` or ``Accept: application/zip``."""

    media_type = "application/zip"
    format = "zip"
