"""HTML → PDF with WeasyPrint, safely.

Infrastructure: imports no domain app. WeasyPrint may read only the project's own static
files: any other URL (http, file://, data from elsewhere) renders nothing, so a template
or a merge field can neither leak a local file nor call a server.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import logging
import mimetypes
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


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves the project's static files; refuses everything else (http, file, data…)."""

        def __init__(self):
            super().__init__(allowed_protocols=(), allow_redirects=False)

        def fetch(self, url, headers=None):
            path = _static_path(url)
            if path is None:
                logger.warning("PDF rendering refused to fetch %s", url[:200])
                raise FetchRefused(f"refused: {url[:200]}")
            mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mimetype})

    return StaticOnlyFetcher


def url_fetcher():
    """A fetcher for one rendering (WeasyPrint keeps per-request state on it)."""
    return _fetcher_class()()


@cache
def _weasyprint():
    # Imported on first use: it costs about a second, paid once per worker process.
    import weasyprint

    return weasyprint


def preload() -> None:
    """Import WeasyPrint now: in a worker's main process, before the pool forks."""
    _weasyprint()


def html_to_pdf(html: str) -> bytes:
    weasyprint = _weasyprint()
    return weasyprint.HTML(string=html, url_fetcher=url_fetcher(), base_url=STATIC_SCHEME).write_pdf()


def harfbuzz_subset_available() -> bool:
    """WeasyPrint subsets fonts ~8 times faster with HarfBuzz's subset library."""
    import ctypes.util

    return ctypes.util.find_library("harfbuzz-subset") is not None


def html_sections_to_pdfs(sections: list[str], *, head: str) -> tuple[list[bytes], list[int]]:
    """Render many documents that share one ``head`` (styles) as ONE WeasyPrint document,
    then cut it into one PDF per section: fonts and styles are loaded once per batch,
    which is most of the cost of a short document.

    Each section must start on a new page. Returns (PDF bytes, page counts) per section.
    """
    if not sections:
        return [], []
    document, bounds = render_sections(sections, head=head)
    # One write_pdf() of the whole chunk, then cut, costs less than one write_pdf() per
    # section (document.copy(pages)), though each file then carries the chunk's font
    # subset (18 kB a letter instead of 15): bench/letters_rendering.py measures both.
    return _split(document.write_pdf(), bounds), [bounds[i + 1] - bounds[i] for i in range(len(sections))]


def render_sections(sections: list[str], *, head: str):
    """The WeasyPrint document of ``sections``, each from a new page, and the page bounds:
    section ``i`` is on pages ``bounds[i]`` to ``bounds[i + 1]`` (excluded)."""
    weasyprint = _weasyprint()
    # Each section starts with an empty anchor that tells on which page it begins. On the
    # section itself, an id would make its whole subtree's styles unique: WeasyPrint shares
    # computed styles between elements that match the same rules under the same parent
    # style, and letters lose about 7% of their rendering time without that.
    body = "".join(
        f'<div class="pdf-section"><div id="pdf-section-{index}"></div>{section}</div>'
        for index, section in enumerate(sections)
    )
    html = (
        f"<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'>{head}"
        "<style>.pdf-section + .pdf-section { break-before: page; }</style></head>"
        f"<body>{body}</body></html>"
    )
    document = weasyprint.HTML(string=html, url_fetcher=url_fetcher(), base_url=STATIC_SCHEME).render()
    starts = {}
    for page_number, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor.startswith("pdf-section-"):
                starts.setdefault(int(anchor.rsplit("-", 1)[1]), page_number)
    if len(starts) != len(sections):
        raise ValueError("a section produced no page")
    return document, [starts[index] for index in range(len(sections))] + [len(document.pages)]


def count_pages(sections: list[str], *, head: str) -> int:
    """Pages of ``sections`` laid out as one document (nothing is written)."""
    document, _bounds = render_sections(sections, head=head)
    return len(document.pages)


def _split(pdf: bytes, bounds: list[int]) -> list[bytes]:
    # qpdf (through pikepdf) copies pages with their fonts in C++: 0.5 ms a letter,
    # against 2 ms with pypdf (bench/letters_rendering.py, a chunk of 25).
    import pikepdf

    parts = []
    with pikepdf.open(io.BytesIO(pdf)) as source:
        for start, stop in itertools.pairwise(bounds):
            with pikepdf.new() as part:
                part.pages.extend(source.pages[start:stop])
                parts.append(_saved(part))
    return parts


def merge_pdfs(files: list[bytes]) -> bytes:
    """One PDF of many, for printing a whole batch."""
    import pikepdf

    # The sources stay open until the merged file is written: its pages refer to them.
    with contextlib.ExitStack() as stack, pikepdf.new() as merged:
        for content in files:
            merged.pages.extend(stack.enter_context(pikepdf.open(io.BytesIO(content))).pages)
        return _saved(merged)


def _saved(pdf) -> bytes:
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()
