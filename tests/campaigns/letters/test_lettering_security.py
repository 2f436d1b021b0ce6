"""Letters are written by collectives and read by officials: merge fields are escaped, the
template language is sandboxed, and PDF rendering reads nothing but the project's static files."""

import http.server
import threading
import urllib.request

import pytest
import weasyprint
from django.core import mail
from packaging.version import Version

from campaigns.letters import lettering
from campaigns.letters.services.interpellations import interpellation_create
from campaigns.letters.services.merge_fields import sample_context
from campaigns.letters.services.templates import template_check
from campaigns.models import Letter
from tasks import pdf
from tests.campaigns.factories import (
    LetterTemplateFactory,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
    member_of,
    pdf_of,
    pdf_text,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(collective, django_capture_on_commit_callbacks):
    """Write to an official with a template of ``body``, rendering the letter as a worker would."""

    def write(official, *, body, delivery="pdf") -> Letter:
        template = LetterTemplateFactory(collective=collective, subject="Objet d'essai", body=body)
        with django_capture_on_commit_callbacks(execute=True):
            interpellation, _job = interpellation_create(
                collective=collective, template=template, by=member_of(collective), officials=[official],
                delivery=delivery,
            )  # fmt: skip
        return interpellation.letters.get()

    return write


# Merge fields are escaped


@pytest.mark.parametrize("name", ["<script>alert(1)</script>", "<b>x</b>"])
def test_an_officials_name_is_escaped_in_the_preview(as_role, collective, salon, name):
    mayor = in_office(salon, "maire", first_name="Jeanne", last_name=name)
    template = LetterTemplateFactory(collective=collective, subject="À {{ official.last_name }}",
                                     body="Bonjour {{ official.full_name }}")  # fmt: skip

    response = as_role("member").post(
        f"/api/letter-templates/{template.pk}/preview/",
        {"official": mayor.official_id, "collective": collective.slug},
        format="json",
    )

    html = response.json()["html"]
    assert name not in html
    escaped = name.replace("<", "&lt;").replace(">", "&gt;")
    assert f"Bonjour Jeanne {escaped}" in html  # the body, escaped by the sandbox
    assert f"Madame Jeanne {escaped}" in html  # the address block, escaped by Django
    assert "&amp;lt;" not in html  # and never twice


def test_a_name_made_of_html_is_printed_as_text_in_the_pdf_and_the_email(salon, send):
    mayor = in_office(salon, "maire", first_name="Jeanne", last_name="<b>x</b>")

    letter = send(mayor.official, body="Bonjour {{ official.full_name }}", delivery="email")

    assert "<b>" not in letter.html
    assert "Bonjour Jeanne &lt;b&gt;x&lt;/b&gt;" in letter.html
    assert "Bonjour Jeanne <b>x</b>" in pdf_text(pdf_of(letter))
    [email] = mail.outbox
    assert "Bonjour Jeanne <b>x</b>" in email.body


def test_a_merge_field_that_looks_like_a_template_is_not_run(as_role, collective, salon):
    mayor = in_office(salon, "maire", first_name="Jeanne", last_name="{{ 7 * 7 }}{% for i in range(3) %}x{% endfor %}")
    template = LetterTemplateFactory(collective=collective, body="Bonjour {{ official.last_name }}")

    response = as_role("member").post(
        f"/api/letter-templates/{template.pk}/preview/", {"official": mayor.official_id}, format="json"
    )

    assert "Bonjour {{ 7 * 7 }}{% for i in range(3) %}x{% endfor %}" in response.json()["html"]
    assert "49" not in response.json()["html"]


# The sandbox


def render(source: str) -> str:
    return lettering.render("body", source, sample_context())


@pytest.mark.parametrize(
    "source",
    [
        "{{ official.__class__ }}",
        "{{ official._private }}",
        "{{ self._TemplateReference__context }}",
        "{{ official|attr('__class__') }}",
        "{{ range.__globals__ }}",
        "{{ settings }}",
        "{{ config }}",
        "{{ request }}",
        "{{ lipsum }}{{ cycler }}{{ joiner }}{{ namespace }}",
    ],
)
def test_private_attributes_and_anything_outside_the_merge_fields_print_nothing(source):
    assert render(source) == ""


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ official.salutation.__class__.__base__.__subclasses__() }}",
        "{{ today.__len__() }}",
        "{{ collective.signatories.__class__.__subclasses__() }}",
    ],
)
def test_dunder_access_is_refused(source):
    with pytest.raises(lettering.TemplateInvalid) as refused:
        render(source)
    assert refused.value.reason.startswith("opération interdite : accès à « __")


def test_no_setting_is_reachable_from_a_template(settings):
    settings.SECRET_KEY = "cle-secrete-a-ne-jamais-imprimer"
    attempts = [
        "{{ settings.SECRET_KEY }}",
        "{{ self.__init__.__globals__ }}",
        "{{ range.__init__.__globals__['sys'].modules['django.conf'].settings.SECRET_KEY }}",
        "{% for key, value in official.items() %}{{ value }}{% endfor %}",
        "{{ official }}{{ municipality }}{{ collective }}{{ pledge }}{{ campaign }}",
    ]
    for source in attempts:
        try:
            output = render(source)
        except lettering.TemplateInvalid:
            continue
        assert "cle-secrete" not in output
        assert "<class" not in output and "&lt;class" not in output


def test_huge_ranges_are_refused():
    with pytest.raises(lettering.TemplateInvalid) as refused:
        render("{% for i in range(10**9) %}x{% endfor %}")
    assert str(refused.value) == "ligne 1 : opération interdite : range() est limité à 1000 éléments"
    assert render("{% for i in range(3) %}x{% endfor %}") == "xxx"


@pytest.mark.parametrize("source", ["{{ 'x' * 10**9 }}", "{{ 10**9 * 'x' }}", "{{ ['x'] * 10**9 }}"])
def test_huge_repetitions_are_refused(source):
    with pytest.raises(lettering.TemplateInvalid) as refused:
        render(source)
    assert str(refused.value) == "ligne 1 : opération interdite : texte ou liste trop long"


def test_huge_powers_are_refused():
    with pytest.raises(lettering.TemplateInvalid):
        render("{{ 2 ** 1000000 }}")
    assert render("{{ 2 ** 10 }}") == "1024"


@pytest.mark.parametrize(
    "source",
    ['{% include "campaigns/letter_section.html" %}', '{% extends "campaigns/letter_section.html" %}',
     '{% from "campaigns/letter_section.html" import x %}'],
)  # fmt: skip
def test_templates_cannot_read_other_files(source):
    with pytest.raises(Exception) as refused:
        template_check({"body": source})
    assert refused.value.message_dict == {"body": ["ligne 1 : les inclusions de fichiers ne sont pas permises."]}


# PDF rendering fetches nothing but the project's static files


def test_weasyprint_is_recent_enough_for_the_url_fetcher_the_rendering_relies_on():
    assert Version(weasyprint.__version__) >= Version("70")


class Recorder(http.server.BaseHTTPRequestHandler):
    requests: list

    def do_GET(self):
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body::before { content: 'CONTENU-DISTANT'; }")

    def log_message(self, *args):
        pass


@pytest.fixture
def loopback():
    """A tiny HTTP server on 127.0.0.1 that records the paths it is asked for."""
    requests = []
    handler = type("Handler", (Recorder,), {"requests": requests})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def test_the_loopback_server_does_record_what_an_ordinary_fetcher_asks(loopback):
    """The control: without the project's fetcher, WeasyPrint does call the server."""
    base, requests = loopback
    weasyprint.HTML(string=f'<link rel="stylesheet" href="{base}/control.css"><p>x</p>').write_pdf()
    urllib.request.urlopen(f"{base}/direct").read()
    assert requests == ["/control.css", "/direct"]


@pytest.fixture
def spy_fetches(monkeypatch):
    """Records any fetch that reaches WeasyPrint's own fetcher or urllib."""
    calls = []
    original = weasyprint.urls.URLFetcher.fetch

    def recording(self, url, headers=None):
        calls.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(weasyprint.urls.URLFetcher, "fetch", recording)
    original_urlopen = urllib.request.urlopen
    monkeypatch.setattr(urllib.request, "urlopen", lambda *a, **k: calls.append(a[0]) or original_urlopen(*a, **k))
    return calls


@pytest.fixture
def secret_css(tmp_path):
    """A local stylesheet that would print a marker if it were ever read."""
    path = tmp_path / "secret.css"
    path.write_text("body::after { content: 'CONTENU-LOCAL'; }")
    return path


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="{base}/x.png" alt="">',
        '<link rel="stylesheet" href="{base}/style.css">',
        "<style>@import url({base}/import.css);</style>",
        '<link rel="stylesheet" href="file:///etc/passwd">',
        '<link rel="stylesheet" href="file://{secret}">',
        "<style>@import url(file://{secret});</style>",
        '<img src="file:///etc/hostname" alt="">',
        '<div style="background: url({base}/bg.png)">fond</div>',
        "<style>@font-face {{ font-family: X; src: url({base}/font.woff); }}</style>",
        "<img src=\"data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'><image href='{base}/svg.png'/></svg>\">",
    ],
)
def test_a_letter_fetches_nothing_outside_the_static_files(
    salon, send, loopback, spy_fetches, secret_css, caplog, markup
):
    base, requests = loopback
    mayor = in_office(salon, "maire")
    body = "Début du courrier.\n\n" + markup.format(base=base, secret=secret_css) + "\n\nFin du courrier."

    with caplog.at_level("WARNING", logger="tasks.pdf"):
        letter = send(mayor.official, body=body)

    assert letter.status == Letter.Status.TO_POST
    text = pdf_text(pdf_of(letter))
    assert "Début du courrier." in text and "Fin du courrier." in text
    assert "CONTENU-DISTANT" not in text and "CONTENU-LOCAL" not in text and "root:" not in text
    # The letter's HTML sanitiser took the markup out…
    assert base not in letter.html and "file:" not in letter.html
    # …and were it to reach WeasyPrint, its fetcher says no.
    with caplog.at_level("WARNING", logger="tasks.pdf"):
        pdf.html_sections_to_pdfs([markup.format(base=base, secret=secret_css)], head="")
    assert requests == []
    assert spy_fetches == []
    assert any("PDF rendering refused to fetch" in record.getMessage() for record in caplog.records)


def test_the_letter_stylesheet_is_still_read_from_the_static_files(salon, send, monkeypatch):
    served = []
    original = pdf._static_path
    monkeypatch.setattr(pdf, "_static_path", lambda url: served.append((url, original(url))) or original(url))
    mayor = in_office(salon, "maire")

    send(mayor.official, body="Texte.")

    # Once for the readiness check's letter, once for the letters sent.
    assert served
    for url, path in served:
        assert url == "static:campaigns/letter.css"
        assert path is not None and path.name == "letter.css"
