"""Factories, builders and fixtures for letter templates, interpellations and letters."""

import datetime as dt
import importlib
import io

import factory
import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.utils import timezone
from faker import Faker
from pypdf import PdfReader, PdfWriter

from campaigns.models import Interpellation, Letter, LetterTemplate
from officials.models import Mandate
from tests.factories import CollectiveFactory, MandateFactory, MembershipFactory, OfficialFactory, UserFactory

FAKE = Faker("fr_FR")
SHARED_TEMPLATE_NAMES = [
    "Courrier libre",
    "Demande de rendez-vous",
    "Interpellation sur les mesures signées",
    "Relance",
]


@pytest.fixture(autouse=True)
def letter_settings(settings, tmp_path):
    """Letters, replies and attachments go to a temporary MEDIA_ROOT; users get a quick
    password hasher (each test makes a few, and PBKDF2 costs half a second each).

    Autouse in the test modules that import it, so that it comes before any fixture that
    writes a file."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings


def shared_templates() -> list[LetterTemplate]:
    """The templates migrations 0005 and 0006 install (again if a test flushed the tables)."""
    if not LetterTemplate.objects.filter(collective=None, name__in=SHARED_TEMPLATE_NAMES).exists():
        importlib.import_module("campaigns.migrations.0005_default_letter_templates").install(apps, None)
        importlib.import_module("campaigns.migrations.0006_compact_interpellation_template").compact(apps, None)
    return list(LetterTemplate.objects.filter(collective=None, name__in=SHARED_TEMPLATE_NAMES).order_by("name"))


class LetterTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LetterTemplate

    collective = factory.SubFactory(CollectiveFactory)
    name = factory.Sequence(lambda n: f"Modèle d'essai {n}")
    kind = LetterTemplate.Kind.FREE
    subject = "Le Pacte pour la Transition à {{ municipality.name }}"
    body = "Le collectif {{ collective.name }} vous écrit au sujet du Pacte pour la Transition."


class InterpellationFactory(factory.django.DjangoModelFactory):
    """An interpellation row alone: letters are added with LetterFactory."""

    class Meta:
        model = Interpellation

    collective = factory.SubFactory(CollectiveFactory)
    template = factory.SubFactory(LetterTemplateFactory, collective=factory.SelfAttribute("..collective"))
    delivery = Interpellation.Delivery.PDF


class LetterFactory(factory.django.DjangoModelFactory):
    """A letter already sent (on paper unless told), ``days_ago`` days ago."""

    class Meta:
        model = Letter
        exclude = ["days_ago"]

    interpellation = factory.SubFactory(InterpellationFactory)
    official = factory.SubFactory(OfficialFactory)
    role = Mandate.Role.MAYOR
    status = Letter.Status.SENT
    channel = Letter.Channel.PAPER
    days_ago = 30
    sent_at = factory.LazyAttribute(lambda letter: timezone.now() - dt.timedelta(days=letter.days_ago))


def blank_pdf(pages: int = 1) -> bytes:
    """A valid PDF of blank A4 pages, for letters that need a file but no rendering."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def with_pdf(letter: Letter, pages: int = 1) -> Letter:
    letter.pdf.save(f"courrier-{letter.pk}.pdf", ContentFile(blank_pdf(pages)), save=False)
    letter.pages = pages
    letter.save(update_fields=["pdf", "pages"])
    return letter


def in_office(municipality, role=Mandate.Role.MAYOR, *, sex="F", **fields) -> Mandate:
    """A current mandate of a new official; ``sex`` "M" gives a man with a masculine first name."""
    if sex == "M":
        fields.setdefault("first_name", FAKE.first_name_male())
    official = OfficialFactory(sex=sex, **fields)
    return MandateFactory(official=official, municipality=municipality, role=role)


def pdf_of(letter_or_reminder) -> bytes:
    with letter_or_reminder.pdf.open("rb") as handle:
        return handle.read()


def pdf_text(content: bytes) -> str:
    """The text of a PDF, lines joined by spaces (words broken across lines stay apart)."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def pdf_pages(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages)


def member_of(collective, **fields):
    """A member of ``collective`` (a coordinator with ``role="coordinator"``)."""
    return MembershipFactory(collective=collective, user=UserFactory(), **fields).user
