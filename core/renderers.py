from rest_framework import renderers

from core.csv_export import CSVRenderer, error_as_json

__all__ = ["CSVRenderer", "FileRenderer", "ICSRenderer", "PDFRenderer", "ZIPRenderer"]


class FileRenderer(renderers.BaseRenderer):
    """Passes through the bytes of a file a view produced; errors stay JSON."""

    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return error_as_json(data, renderer_context)


class PDFRenderer(FileRenderer):
    """``?format=pdf`` or ``Accept: application/pdf``."""

    media_type = "application/pdf"
    format = "pdf"


class ZIPRenderer(FileRenderer):
    """``?format=zip`` or ``Accept: application/zip``."""

    media_type = "application/zip"
    format = "zip"


class ICSRenderer(FileRenderer):
    """``?format=ics`` or ``Accept: text/calendar``: an iCalendar feed (RFC 5545, UTF-8)."""

    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"
