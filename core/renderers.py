from rest_framework import renderers

from core.csv_export import CSVRenderer

__all__ = ["CSVRenderer", "PDFRenderer"]


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
