"""Stored files (letters, replies, reminders) answered by a view that checked permissions.

Nothing under MEDIA_ROOT has a public URL: a view decides who may read a file, then
``file_response`` answers it. ``MEDIA_SERVE`` chooses who sends the bytes:
- ``django`` (default): the web process streams the file;
- ``x-accel-redirect``: nginx sends it, from an ``internal`` location mapped on
  ``MEDIA_ACCEL_PREFIX`` (e.g. ``location /protected-media/ { internal; alias /srv/media/; }``);
- ``x-sendfile``: Apache's mod_xsendfile (or lighttpd) sends the file at its path.
"""

from __future__ import annotations

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import FileResponse, HttpResponse

SERVE_MODES = ("django", "x-accel-redirect", "x-sendfile")


def file_response(field_file, *, filename: str, inline: bool = True, content_type: str | None = None):
    """The HTTP response of a stored file, once the caller has checked who asks."""
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    mode = settings.MEDIA_SERVE
    if mode == "django":
        response = FileResponse(field_file.open("rb"), content_type=content_type)
    elif mode == "x-accel-redirect":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_PREFIX.rstrip("/") + "/" + quote(field_file.name)
    elif mode == "x-sendfile":
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = field_file.path
    else:
        raise ImproperlyConfigured(f"MEDIA_SERVE must be one of {', '.join(SERVE_MODES)}, not {mode!r}.")
    disposition = "inline" if inline else "attachment"
    if filename.isascii() and '"' not in filename and "\\" not in filename:
        response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    else:
        response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    # A member's file is for that member: no shared cache keeps it.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
