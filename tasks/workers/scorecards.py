"""Celery task of scorecard PDFs (a task module: it calls domain services)."""

from celery import shared_task

from campaigns.reviews import scorecard_pdfs as scorecards
from tasks.jobs import services as jobs


@shared_task(name=scorecards.RENDER_TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def render_scorecard(job_id: int) -> str:
    """Render and store one scorecard PDF; safe to run twice (the file is found)."""
    try:
        return scorecards.scorecard_pdf_render(job_id=job_id)
    except Exception as exc:
        jobs.job_fail(job_id, f"{type(exc).__name__}: {exc}")
        raise
