"""Celery tasks of interpellation letters (a task module: it calls domain services)."""

import logging

from celery import shared_task
from celery.signals import worker_init

from campaigns.letters.services.departures import emails_outcome_catch_up
from campaigns.letters.services.downloads import BUNDLE_TASK, interpellation_bundle
from campaigns.letters.services.interpellations import RENDER_TASK, interpellations_resume_stalled
from campaigns.letters.services.reminders import reminders_resume_stalled, reminders_send
from campaigns.letters.services.rendering import letters_render
from tasks.jobs import services as jobs
from tasks.pdf import harfbuzz_subset_available, preload

logger = logging.getLogger(__name__)


@shared_task(name=RENDER_TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def render_letters(job_id: int, letter_ids: list[int]) -> int:
    """Render and deliver one chunk of an interpellation's letters; safe to run twice. A
    chunk that raises (a letter that cannot render fails alone: this is the database, the
    storage…) marks the job failed; "tasks.letters.resume" takes it up again."""
    jobs.job_start(job_id)
    try:
        return letters_render(letter_ids=letter_ids, job_id=job_id)
    except Exception as exc:
        jobs.job_fail(job_id, f"{type(exc).__name__}: {exc}")
        raise


@shared_task(name=BUNDLE_TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def bundle_letters(interpellation_id: int) -> bool:
    """Build the merged PDF and the ZIP of an interpellation's letters; safe to run twice."""
    return interpellation_bundle(interpellation_id=interpellation_id)


@shared_task(name="tasks.letters.send_reminders", ignore_result=True)
def send_reminders() -> int:
    """Queue the reminders ("relances") that are due; each (letter, number) at most once."""
    return reminders_send()


@shared_task(name="tasks.letters.resume", ignore_result=True)
def resume() -> dict:
    """Take up the letter work left behind: e-mail outcomes not told, jobs silent for
    LETTERS_JOB_STALE_MINUTES, reminders claimed and never saved."""
    return {
        "emails": emails_outcome_catch_up(),
        "interpellations": len(interpellations_resume_stalled()),
        "reminders": reminders_resume_stalled(),
    }


@worker_init.connect
def warn_without_harfbuzz_subset(**kwargs) -> None:
    if not harfbuzz_subset_available():
        logger.warning(
            "libharfbuzz-subset is missing: PDF rendering falls back to slow font subsetting "
            "(about 8x). Install it: apt-get install libharfbuzz-subset0"
        )


@worker_init.connect
def preload_weasyprint(**kwargs) -> None:
    # Once, in the worker's main process before the pool forks: every pool process then
    # starts with WeasyPrint loaded and shares those pages, instead of paying the import
    # (about a second) on its first letters, and again whenever a process is replaced.
    preload()
