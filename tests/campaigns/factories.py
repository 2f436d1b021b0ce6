"""Factories of the campaigns app (French data), and builders and fixtures of review cycles,
assessments, letter templates, interpellations and letters."""

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

from campaigns.models import (
    Action,
    ActionIdea,
    Assessment,
    Campaign,
    Collective,
    Event,
    EventResource,
    FeedbackSurvey,
    Initiative,
    Interpellation,
    Lesson,
    Letter,
    LetterTemplate,
    Measure,
    MeasureLevel,
    Membership,
    Pact,
    Pledge,
    PledgedMeasure,
    ProgrammeItem,
    Proposal,
    ReviewCycle,
    ScoringScale,
    StatusWeight,
    Theme,
)
from campaigns.reviews.services import DEFAULT_SCALE_NAME, UNSET, AssessmentInput, assessments_save, cycle_create
from officials.models import Mandate
from tests.accounts.factories import UserFactory
from tests.officials.factories import MandateFactory, MunicipalityFactory, OfficialFactory

factory.Faker._DEFAULT_LOCALE = "fr_FR"


class PactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pact
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Pacte d'essai {n}")
    year = 2020
    min_measures = 3
    principles_required = True


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    pact = factory.SubFactory(PactFactory)
    code = factory.Sequence(lambda n: f"theme-{n}")
    name = factory.Sequence(lambda n: f"thématique {n}")


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    pact = factory.SubFactory(PactFactory)
    kind = Measure.Kind.MEASURE
    code = factory.Sequence(lambda n: f"{n + 1:02d}")
    title = factory.Sequence(lambda n: f"Mesure d'essai {n}")


class MeasureLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasureLevel

    measure = factory.SubFactory(MeasureFactory)
    rank = 1
    description = "Premier niveau"


def make_pact(*, measures: int = 4, principles: int = 2, min_measures: int = 3, levels: int = 2) -> Pact:
    """A small pact: principles P1.., measures 01.., each measure with ``levels`` levels."""
    pact = PactFactory(min_measures=min_measures)
    for index in range(principles):
        MeasureFactory(pact=pact, kind=Measure.Kind.PRINCIPLE, code=f"P{index + 1}", position=index)
    for index in range(measures):
        measure = MeasureFactory(pact=pact, code=f"{index + 1:02d}", position=principles + index)
        for rank in range(1, levels + 1):
            MeasureLevelFactory(measure=measure, rank=rank, description=f"Niveau {rank}")
    return pact


class CollectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collective
        django_get_or_create = ["slug"]
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Collectif {n}")
    slug = factory.Sequence(lambda n: f"collectif-{n}")
    contact_email = factory.LazyAttribute(lambda collective: f"{collective.slug}@example.org")
    postal_address = "1 place de la Mairie\n13300 Salon-de-Provence"

    @factory.post_generation
    def territory(self, create, municipalities, **kwargs):
        if create and municipalities:
            self.territory.add(*municipalities)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    collective = factory.SubFactory(CollectiveFactory)
    role = Membership.Role.MEMBER


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge

    pact = factory.SubFactory(PactFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    list_name = factory.Sequence(lambda n: f"Liste citoyenne {n}")
    collective = factory.SubFactory(CollectiveFactory)
    signed_on = dt.date(2026, 2, 10)
    election_outcome = Pledge.Outcome.ELECTED


class PledgedMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PledgedMeasure

    pledge = factory.SubFactory(PledgeFactory)
    measure = factory.SubFactory(MeasureFactory)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    collective = factory.SubFactory(CollectiveFactory)
    title = factory.Sequence(lambda n: f"Campagne {n}")
    start_date = dt.date(2026, 9, 1)
    status = Campaign.Status.IN_PROGRESS


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    name = factory.Sequence(lambda n: f"Initiative {n}")
    kind = Initiative.Kind.ASSOCIATION
    municipality = factory.SubFactory(MunicipalityFactory)
    status = Initiative.Status.VALIDATED


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    collective = factory.SubFactory(CollectiveFactory)
    kind = Action.Kind.LETTER
    date = dt.date(2026, 10, 1)
    title = factory.Sequence(lambda n: f"Action {n}")


def default_scale() -> ScoringScale:
    """The scale migration 0003 installs (installed again if a test flushed the tables)."""
    scale = ScoringScale.objects.filter(name=DEFAULT_SCALE_NAME).first()
    if scale is None:
        migration = importlib.import_module("campaigns.migrations.0003_default_scoring_scale")
        migration.install(apps, None)
        scale = ScoringScale.objects.get(name=DEFAULT_SCALE_NAME)
    return scale


class ScoringScaleFactory(factory.django.DjangoModelFactory):
    """A scale; ``weights={"done": ("1", True), ...}`` gives its weight and "counted" per status."""

    class Meta:
        model = ScoringScale
        django_get_or_create = ["name"]
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Barème d'essai {n}")

    @factory.post_generation
    def weights(self, create, weights, **kwargs):
        if create and weights:
            for status, (weight, counted) in weights.items():
                StatusWeight.objects.create(scale=self, status=status, weight=weight, counted=counted)


class ReviewCycleFactory(factory.django.DjangoModelFactory):
    """A cycle row alone; ``make_cycle`` also creates its "non évaluée" assessments."""

    class Meta:
        model = ReviewCycle

    pact = factory.SubFactory(PactFactory)
    name = factory.Sequence(lambda n: f"Bilan d'essai {n}")
    opens_on = dt.date(2026, 9, 1)
    closes_on = dt.date(2026, 12, 31)
    scale = factory.LazyFunction(default_scale)


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    cycle = factory.SubFactory(ReviewCycleFactory)
    pledged_measure = factory.SubFactory(
        PledgedMeasureFactory,
        pledge__pact=factory.SelfAttribute("...cycle.pact"),
        measure__pact=factory.SelfAttribute("...cycle.pact"),
    )


def make_cycle(pact, *, name: str = "Bilan de mi-mandat 2026", published: bool = False, **kwargs) -> ReviewCycle:
    """A cycle created by the service, as staff do: every pledged measure in scope gets a row."""
    kwargs.setdefault("opens_on", dt.date(2026, 9, 1))
    kwargs.setdefault("closes_on", dt.date(2026, 12, 31))
    kwargs.setdefault("scale", default_scale())  # installed again if a browser test flushed the tables
    cycle = cycle_create(pact=pact, name=name, **kwargs)
    if published:
        cycle.is_published = True
        cycle.save(update_fields=["is_published"])
    return cycle


def sign(pact, municipality, measures, *, collective=None, list_name=None, **kwargs) -> list[PledgedMeasure]:
    """An elected list of ``municipality`` signs ``measures``; returns the pledged measures in order."""
    kwargs.setdefault("election_outcome", Pledge.Outcome.ELECTED)
    if list_name is not None:
        kwargs["list_name"] = list_name
    if collective is not None:
        kwargs["collective"] = collective
    pledge = PledgeFactory(pact=pact, municipality=municipality, **kwargs)
    return [PledgedMeasureFactory(pledge=pledge, measure=measure) for measure in measures]


def assess(cycle, pledged_measure, status, progress=UNSET, *, by=None, **fields) -> Assessment:
    """Save one assessment through the service, as the grid and the import do."""
    pledged_measure = PledgedMeasure.objects.select_related("pledge", "measure").get(pk=pledged_measure.pk)
    item = AssessmentInput(pledged_measure=pledged_measure, status=status, progress=progress, **fields)
    [assessment] = assessments_save(cycle=cycle, items=[item], by=by)
    return assessment


def assessment_of(cycle, pledged_measure) -> Assessment:
    return Assessment.objects.get(cycle=cycle, pledged_measure=pledged_measure)


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
    """The templates migrations 0005, 0006 and 0014 install (again if a test flushed the tables)."""
    if not LetterTemplate.objects.filter(collective=None, name__in=SHARED_TEMPLATE_NAMES).exists():
        importlib.import_module("campaigns.migrations.0005_default_letter_templates").install(apps, None)
        importlib.import_module("campaigns.migrations.0006_compact_interpellation_template").compact(apps, None)
        importlib.import_module("campaigns.migrations.0016_shipped_templates_collective_name").rename(apps, None)
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
    rendered_at = factory.SelfAttribute("sent_at")


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


class EventFactory(factory.django.DjangoModelFactory):
    """A public one-day regional gathering."""

    class Meta:
        model = Event

    collective = factory.SubFactory(CollectiveFactory)
    title = factory.Sequence(lambda n: f"Rencontre {n}")
    kind = Event.Kind.REGIONAL_GATHERING
    start_date = dt.date(2023, 3, 4)


class ProgrammeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeItem

    event = factory.SubFactory(EventFactory)
    date = factory.SelfAttribute("event.start_date")
    title = factory.Sequence(lambda n: f"Atelier {n}")
    kind = ProgrammeItem.Kind.WORKSHOP


class EventResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventResource

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Fiche méthode {n}")
    kind = EventResource.Kind.METHOD_SHEET
    url = factory.Sequence(lambda n: f"https://ressources.example.org/fiche-{n}.pdf")


class FeedbackSurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackSurvey

    event = factory.SubFactory(EventFactory)


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    collective = factory.SubFactory(CollectiveFactory)
    event = factory.SubFactory(EventFactory)
    kind = Lesson.Kind.KEEP
    text = factory.Sequence(lambda n: f"Pratique {n}")


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    collective = factory.SubFactory(CollectiveFactory)
    event = factory.SubFactory(EventFactory)
    kind = Proposal.Kind.WE_COULD
    question = "Comment associer les habitant·es ?"
    text = factory.Sequence(lambda n: f"Proposition {n}")


class ActionIdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionIdea

    collective = factory.SubFactory(CollectiveFactory)
    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Piste {n}")
    question = "Comment obtenir que la mairie informe les habitant·es des mesures signées ?"
