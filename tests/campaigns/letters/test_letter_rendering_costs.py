"""What keeps the rendering of a batch of letters cheap: chunks of a set size, templates
compiled once per process, WeasyPrint loaded before a worker's pool forks, letters laid
out with one element per block rather than per line, and a chunk saved in a few queries."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from campaigns.letters import lettering
from campaigns.letters.services.departures import letters_post
from campaigns.letters.services.interpellations import interpellation_enqueue
from campaigns.letters.services.merge_fields import preview_context
from campaigns.letters.services.rendering import LETTER_CSS, letter_html, letters_render
from campaigns.models import Action, Letter
from tasks.jobs import services as jobs
from tasks.pdf import html_sections_to_pdfs
from tests.campaigns.factories import (
    CampaignFactory,
    InterpellationFactory,
    LetterFactory,
    MeasureFactory,
    PactFactory,
    PledgedMeasureFactory,
    PledgeFactory,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
    shared_templates,
)

# As long as the titles of the official list (about 95 characters).
LONG_TITLE = "Donner la priorité aux mobilités actives et partagées : pistes cyclables sûres et transports en commun"


@pytest.mark.django_db
def test_letters_are_enqueued_in_chunks_of_the_configured_size(settings, monkeypatch):
    settings.LETTERS_CHUNK_SIZE = 2
    interpellation = InterpellationFactory()
    interpellation.job = jobs.job_create(kind="interpellation", total=5)
    interpellation.save(update_fields=["job"])
    drafts = LetterFactory.create_batch(5, interpellation=interpellation, status=Letter.Status.DRAFT, sent_at=None)
    LetterFactory(interpellation=interpellation)  # already sent: not rendered again
    chunks = []
    monkeypatch.setattr(jobs, "job_enqueue", lambda job, task, ids: chunks.append(ids))

    interpellation_enqueue(interpellation)

    ids = sorted(letter.pk for letter in drafts)
    assert chunks == [ids[0:2], ids[2:4], ids[4:5]]


def test_a_template_field_is_compiled_once_and_rendered_for_each_letter():
    source = "Madame la Maire de {{ municipality.name }}, {{ 6 * 7 }}"
    lettering._compiled.cache_clear()

    first = lettering.render("body", source, {"municipality": {"name": "Lançon"}})
    second = lettering.render("body", source, {"municipality": {"name": "Salon-de-Provence"}})

    assert (first, second) == ("Madame la Maire de Lançon, 42", "Madame la Maire de Salon-de-Provence, 42")
    assert lettering._compiled.cache_info().misses == 1


def test_a_template_that_does_not_compile_is_refused_every_time():
    for _ in range(2):
        with pytest.raises(lettering.TemplateInvalid):
            lettering.render("body", "{% if %}", {})


def test_a_starting_worker_loads_weasyprint_before_its_pool_forks(monkeypatch):
    from celery.signals import worker_init

    from tasks.workers import letters as letter_tasks

    # Connected to worker_init, which Celery sends in the main process before the pool starts.
    assert letter_tasks.preload_weasyprint in [receiver() for _key, receiver in worker_init.receivers]
    loaded = []
    monkeypatch.setattr(letter_tasks, "preload", lambda: loaded.append(True))
    letter_tasks.preload_weasyprint()
    assert loaded == [True]


def test_blank_lines_make_paragraphs_and_other_newlines_stay_in_them():
    text = "Madame,\n\nVoici :\n– la mesure 01\n– la mesure 02\n  \t\nMerci.\r\n\r\nSalutations.\n\n\n"

    assert lettering.body_html(text) == (
        "<p>Madame,</p>\n\n<p>Voici :\n– la mesure 01\n– la mesure 02</p>\n\n<p>Merci.</p>\n\n<p>Salutations.</p>"
    )


def letter_section(template, collective, mandate) -> str:
    """The HTML of ``template`` written by ``collective`` to the holder of ``mandate``."""
    letter = Letter(
        interpellation=InterpellationFactory.build(collective=collective, template=template),
        official=mandate.official,
        municipality=mandate.municipality,
        role=mandate.role,
    )
    return letter_html(template, preview_context(letter))[1]


def pdf_lines(content: bytes) -> list[str]:
    return [line.strip() for page in PdfReader(io.BytesIO(content)).pages for line in page.extract_text().splitlines()]


@pytest.mark.django_db
def test_a_letter_prints_each_address_and_list_line_on_its_own_without_an_element_or_br_each(salon, collective):
    collective.postal_address = "Maison des associations\n2 rue des Lilas\n13300 Salon-de-Provence"
    collective.save()
    salon.town_hall_address, salon.town_hall_postal_code = "Place de l'Hôtel de ville", "13300"
    salon.save()
    mayor = in_office(salon, "maire", sex="F", first_name="Élodie", last_name="IMBERT")
    template = shared_templates()[0]
    template.body = "Voici :\n{% for n in [1, 2] %}– point {{ n }}\n{% endfor %}\nMerci."
    section = letter_section(template, collective, mayor)

    assert "<br" not in section
    (pdf,), _pages = html_sections_to_pdfs([section], head=LETTER_CSS)
    lines = pdf_lines(pdf)
    recipient = ["Madame Élodie IMBERT", "Maire de Salon-de-Provence", "Hôtel de ville", "Place de l'Hôtel de ville",
                 "13300 Salon-de-Provence"]  # fmt: skip
    assert lines[lines.index(recipient[0]) :][:5] == recipient
    assert lines[lines.index("Maison des associations") :][:3] == [
        "Maison des associations", "2 rue des Lilas", "13300 Salon-de-Provence"
    ]  # fmt: skip
    assert lines[lines.index("Voici :") :][:4] == ["Voici :", "– point 1", "– point 2", "Merci."]


@pytest.mark.django_db
def test_the_shipped_interpellation_of_ten_measures_with_full_titles_fits_on_one_page(salon, collective):
    pact = PactFactory(min_measures=10)
    measures = [MeasureFactory(pact=pact, code=f"{n:02d}", position=n, title=f"{LONG_TITLE} {n}") for n in range(1, 11)]
    pledge = PledgeFactory(pact=pact, municipality=salon, collective=collective, list_name="Salon en transition")
    for measure in measures:
        PledgedMeasureFactory(pledge=pledge, measure=measure)
    mayor = in_office(salon, "maire", sex="F", first_name="Élodie", last_name="IMBERT")
    template = next(t for t in shared_templates() if t.kind == "interpellation")
    (pdf,), (pages,) = html_sections_to_pdfs([letter_section(template, collective, mayor)], head=LETTER_CSS)

    assert pages == 1
    text = " ".join(pdf_lines(pdf))
    assert all(f"n° {measure.code} « {measure.title} »" in text for measure in measures)


def render_chunk_of(count: int, salon, collective) -> tuple[int, int]:
    """Queries to render a chunk of ``count`` paper letters of a campaign, then to mark them posted."""
    campaign = CampaignFactory(collective=collective)
    campaign.measures.add(MeasureFactory(), MeasureFactory())
    interpellation = InterpellationFactory(collective=collective, campaign=campaign)
    drafts = [
        LetterFactory(
            interpellation=interpellation, official=in_office(salon).official, municipality=salon,
            status=Letter.Status.DRAFT, sent_at=None,
        )
        for _ in range(count)
    ]  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        assert letters_render(letter_ids=[letter.pk for letter in drafts]) == count
    assert Letter.objects.filter(interpellation=interpellation, status=Letter.Status.TO_POST).count() == count
    with CaptureQueriesContext(connection) as posting:
        letters_post(letters=drafts, date=timezone.localdate())
    actions = Action.objects.filter(campaign=campaign)
    assert actions.count() == count
    assert {action.measures.count() for action in actions} == {2}
    assert {action.officials.get() for action in actions} == {letter.official for letter in drafts}
    return len(queries), len(posting)


@pytest.mark.django_db
def test_a_chunk_of_paper_letters_is_saved_then_posted_in_the_same_queries_for_2_or_6_letters(salon, collective):
    assert render_chunk_of(2, salon, collective) == render_chunk_of(6, salon, collective)
