"""HTML → PDF with WeasyPrint, safely.

Infrastructure: imports no domain app. WeasyPrint may read only the project's own static
files: any other URL (http, file://, data from elsewhere) renders nothing, so a template
or a merge field can neither leak a local file nor call a server.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

logger = logging.getLogger(__name__)
STATIC_SCHEME = "static:"


class FetchRefused(ValueError):
    pass


def _static_path(url: str) -> Path | None:
    """The file behind ``static:path`` or the site's own STATIC_URL, if the project ships it."""
    if url.startswith(STATIC_SCHEME):
        relative = url[len(STATIC_SCHEME) :].lstrip("/")
    else:
        parts = urlsplit(url)
        prefix = "/" + settings.STATIC_URL.lstrip("/")
        if parts.scheme or parts.netloc or not parts.path.startswith(prefix):
            return None
        relative = parts.path[len(prefix) :]
    relative = unquote(relative)
    if ".." in Path(relative).parts:
        return None
    found = finders.find(relative)
    return Path(found) if found else None


def url_fetcher(url: str, timeout: int = 10, ssl_context=None):
    path = _static_path(url)
    if path is None:
        logger.warning("PDF rendering refused to fetch %s", url[:200])
        raise FetchRefused(f"refused: {url[:200]}")
    return {"string": path.read_bytes(), "filename": path.name}


@cache
def _weasyprint():
    # Imported on first use: it costs about a second, paid once per worker process.
    import weasyprint

    return weasyprint


def html_to_pdf(html: str) -> bytes:
    weasyprint = _weasyprint()
    return weasyprint.HTML(string=html, url_fetcher=url_fetcher, base_url=STATIC_SCHEME).write_pdf()


def harfbuzz_subset_available() -> bool:
    """WeasyPrint subsets fonts ~8 times faster with HarfBuzz's subset library."""
    import ctypes.util

    return ctypes.util.find_library("harfbuzz-subset") is not None
