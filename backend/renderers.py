import csv
import io

from rest_framework import renderers


class CSVRenderer(renderers.BaseRenderer):
    """CSV that a French spreadsheet opens as is: UTF-8 with BOM, ";" separated.

    Expects ``{"header": [...], "rows": [[...], ...]}`` (see ``backend.views.CSVExportMixin``).
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        if isinstance(data, dict) and "rows" in data:
            writer.writerow(data["header"])
            writer.writerows(data["rows"])
        else:  # an error body: keep it readable
            writer.writerow(["erreur"])
            writer.writerow([str(data)])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")


class PDFRenderer(renderers.BaseRenderer):
    """Passes through PDF bytes a view produced (``?format=pdf`` or ``Accept: application/pdf``)."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        # An error raised before the PDF existed: answer it as JSON would have said it.
        response = renderer_context.get("response") if renderer_context else None
        if response is not None:
            response["Content-Type"] = "application/json"
        return renderers.JSONRenderer().render(data)
