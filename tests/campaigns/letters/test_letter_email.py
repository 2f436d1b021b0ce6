"""A letter e-mail as the official's mail reader gets it, read back from a real SMTP server:
a plain-text part with the letter's paragraphs and blank lines, an HTML part mirroring the
letter (multipart/alternative), and the PDF attached."""

from email import message_from_bytes, policy

import pytest

from campaigns.letters.services.interpellations import interpellation_create
from campaigns.models import Letter
from tests.campaigns.factories import (
    LetterTemplateFactory,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
    member_of,
    pdf_text,
)

pytestmark = pytest.mark.django_db

BODY = (
    "Nous avons lu avec attention vos engagements.\n\n"
    "Où en est le plan vélo ?\nEt la cantine bio ?\n\n"
    "Nous serions heureux d'en parler avec vous."
)


@pytest.fixture
def received(collective, salon, smtp_backend, django_capture_on_commit_callbacks):
    """The message the SMTP server accepted for the letter to Salon's mayor."""
    mayor = in_office(salon, "maire", first_name="Élodie", last_name="IMBERT", email="maire@salon.example")
    template = LetterTemplateFactory(collective=collective, subject="Le plan vélo à {{ municipality.name }}", body=BODY)
    with django_capture_on_commit_callbacks(execute=True):
        interpellation_create(collective=collective, template=template, by=member_of(collective),
                              officials=[mayor.official], delivery="email")  # fmt: skip
    letter = Letter.objects.select_related("email").get()
    raw = smtp_backend.handler.messages[letter.email.message_id]
    return letter, message_from_bytes(raw, policy=policy.default)


def test_the_message_has_a_text_and_an_html_alternative_and_the_pdf(received):
    letter, message = received

    assert message.get_content_type() == "multipart/mixed"
    alternative, attachment = message.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in alternative.iter_parts()] == ["text/plain", "text/html"]
    assert attachment.get_filename() == f"courrier-{letter.pk}.pdf"
    assert "Où en est le plan vélo ?" in pdf_text(attachment.get_content())


def test_the_plain_text_keeps_the_letters_paragraphs_and_blank_lines(received):
    _letter, message = received

    text = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")

    assert (
        "Madame la Maire,\n\n"
        "Nous avons lu avec attention vos engagements.\n\n"
        "Où en est le plan vélo ?\nEt la cantine bio ?\n\n"
        "Nous serions heureux d'en parler avec vous.\n\n"
    ) in text
    assert "Objet : Le plan vélo à Salon-de-Provence\n\n" in text
    assert "\n\n\n" not in text


def test_the_html_part_mirrors_the_letter(received):
    letter, message = received

    html = message.get_body(preferencelist=("html",)).get_content().replace("\r\n", "\n")

    assert letter.html in html
    assert "<p>Nous avons lu avec attention vos engagements.</p>" in html
    assert "<p>Où en est le plan vélo ?\nEt la cantine bio ?</p>" in html
    assert ".body p { margin: 0 0 0.8em; }" in html  # styled in the message: readers fetch nothing
    assert "<link" not in html and "<img" not in html and "<script" not in html
