"""A letter sent to an official links only to the web and to e-mail addresses: whatever
HTML its template writes, the PDF holds no javascript:, file: or data: link."""

import io

import pikepdf
import pytest

from campaigns.models import Letter
from tests.campaigns.factories import (
    LetterTemplateFactory,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
    pdf_of,
    pdf_text,
)

pytestmark = pytest.mark.django_db

BODY = """Madame,

<a href="javascript:alert(1)">premier</a> <a href=" JaVaScRiPt:alert(2)">deuxième</a>
<a href="jav&#x61;script:alert(3)">troisième</a> <a href="file:///etc/passwd">quatrième</a>
<a href="data:text/html,&lt;script&gt;alert(4)&lt;/script&gt;">cinquième</a> <a href="#pdf-section-0">sixième</a>
<span style="link: url(javascript:alert(5))">septième</span> <div id="pdf-section-1">huitième</div>
<style>strong { link: url(javascript:alert(6)) }</style><strong>neuvième</strong>

<a href="https://pacte-transition.org/mesures">le Pacte</a> et <a href="mailto:contact@example.org">nous écrire</a>"""


def link_uris(pdf: bytes) -> list[str]:
    """The target of every link annotation of the PDF."""
    uris = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            for annotation in page.obj.get("/Annots", []):
                action = annotation.get("/A")
                if annotation.get("/Subtype") == "/Link":
                    uris.append(str(action.get("/URI")) if action is not None else "(internal)")
    return uris


def test_a_rendered_letter_links_only_to_http_and_mailto(
    as_role, collective, salon, django_capture_on_commit_callbacks
):
    mandate = in_office(salon, "maire", last_name="IMBERT")
    template = LetterTemplateFactory(collective=collective, body=BODY)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_role("member").post(
            "/api/interpellations/",
            {"collective": collective.slug, "template": template.pk, "officials": [mandate.official_id]},
            format="json",
        )
    assert response.status_code == 202, response.content

    letter = Letter.objects.get()
    assert letter.status == Letter.Status.TO_POST, letter.error
    pdf = pdf_of(letter)
    assert sorted(link_uris(pdf)) == ["https://pacte-transition.org/mesures", "mailto:contact@example.org"]
    # The words stay; only the links go.
    text = pdf_text(pdf)
    for word in ("premier", "troisième", "cinquième", "septième", "huitième", "neuvième", "le Pacte"):
        assert word in text
    assert "javascript" not in letter.html.lower() and "file:" not in letter.html


def test_the_preview_shows_the_same_clean_links(as_role, collective, salon):
    mandate = in_office(salon, "maire")
    template = LetterTemplateFactory(collective=collective, body=BODY)

    response = as_role("member").post(
        f"/api/letter-templates/{template.pk}/preview/", {"official": mandate.official_id}, format="json"
    )

    assert response.status_code == 200, response.content
    html = response.json()["html"]
    assert '<a href="https://pacte-transition.org/mesures">le Pacte</a>' in html
    assert "javascript" not in html.lower() and "data:" not in html and 'id="pdf-section-1"' not in html
