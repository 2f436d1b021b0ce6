"""Many documents rendered as one and cut into one PDF each (tasks.pdf)."""

import io

import pytest
from pypdf import PdfReader
from weasyprint.formatting_structure.boxes import BlockBox

from tasks.pdf import html_sections_to_pdfs, render_sections

HEAD = "<style>@page { size: A5; margin: 10mm } p { margin: 0; height: 150mm }</style>"


def section(name: str, pages: int) -> str:
    """A section of ``pages`` pages (paragraphs taller than half a page each)."""
    return "".join(f"<p>{name}, page {number}</p>" for number in range(1, pages + 1))


def text_of(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def test_each_section_starts_on_a_new_page_and_its_bounds_say_where():
    _document, bounds = render_sections([section("A", 1), section("B", 2), section("C", 3)], head=HEAD)

    assert bounds == [0, 1, 3, 6]


def test_each_section_becomes_a_pdf_of_its_own_pages():
    pdfs, pages = html_sections_to_pdfs([section("A", 2), section("B", 1)], head=HEAD)

    assert pages == [2, 1]
    assert [text_of(pdf) for pdf in pdfs] == [["A, page 1", "A, page 2"], ["B, page 1"]]


def test_a_section_that_swallows_the_next_ones_is_an_error_not_a_shifted_cut():
    # An unclosed <style> makes the rest of the document its text: C gets no page.
    with pytest.raises(ValueError, match="a section produced no page"):
        render_sections([section("A", 1), "<style>", section("C", 1)], head=HEAD)


def test_the_sections_anchors_leave_the_styles_of_their_content_shared():
    # An id on an element gives it, and so its whole subtree, styles of their own
    # (WeasyPrint shares computed styles between elements with the same rules and parent
    # style): the anchor is an empty element of its own, not the section's wrapper.
    # (The first section matches one rule fewer than the next ones: compare the next ones.)
    document, _bounds = render_sections([section("A", 1), section("B", 1), section("C", 1)], head=HEAD)

    [_first, [second], [third]] = [
        [box for box in page._page_box.descendants() if isinstance(box, BlockBox) and box.element_tag == "p"]
        for page in document.pages
    ]
    assert second.style is third.style
