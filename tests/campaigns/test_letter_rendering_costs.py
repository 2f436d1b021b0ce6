"""What keeps the rendering of a batch of letters cheap: chunks of a set size, templates
compiled once per process, WeasyPrint loaded before a worker's pool forks."""

import pytest

from campaigns import lettering
from campaigns.models import Letter
from campaigns.services import letters as service
from tasks import jobs
from tests.campaigns.letter_factories import (
    InterpellationFactory,
    LetterFactory,
    letter_settings,  # noqa: F401 - autouse fixture
)


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

    service.interpellation_enqueue(interpellation)

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

    from tasks import letters as letter_tasks

    # Connected to worker_init, which Celery sends in the main process before the pool starts.
    assert letter_tasks.preload_weasyprint in [receiver() for _key, receiver in worker_init.receivers]
    loaded = []
    monkeypatch.setattr(letter_tasks, "preload", lambda: loaded.append(True))
    letter_tasks.preload_weasyprint()
    assert loaded == [True]
