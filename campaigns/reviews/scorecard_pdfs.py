"""Scorecard PDFs: rendered by a worker, stored per (municipality, cycle, content), served
as stored. A request never lays a PDF out: it finds the file or gets a job that makes it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from campaigns.reviews.models import ReviewCycle
from campaigns.reviews.scorecards import scorecard, scorecard_html
from campaigns.reviews.selectors import assessments_visible_to
from officials.models import Municipality
from tasks.jobs import services as jobs
from tasks.jobs.models import Job
from tasks.pdf import html_to_pdf

RENDER_TASK = "tasks.scorecards.render_scorecard"
JOB_KIND = "scorecard_pdf"
# A job older than this that never ran (its worker died, the broker lost it) is not waited
# for: the next request starts another.
JOB_FRESH_FOR = dt.timedelta(minutes=10)


def scorecard_pdf_name(card: dict) -> str:
    """Where the PDF of ``card`` is stored. The name holds a digest of the card as its reader
    sees it: any change (an assessment, a reply, a title, what the reader may see) is
    another file, so a stored file is never stale."""
    digest = hashlib.sha256(json.dumps(card, sort_keys=True, default=str).encode()).hexdigest()[:32]
    return f"scorecards/{card['municipality']['insee_code']}/{card['cycle']['id']}-{digest}.pdf"


def scorecard_pdf_read(name: str) -> bytes | None:
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def scorecard_pdf_request(*, cycle: ReviewCycle, municipality: Municipality, name: str, by) -> Job:
    """The job that stores the PDF ``name``: the one already asked for by the same caller,
    or a new one enqueued after commit."""
    user = by if by is not None and by.is_authenticated else None
    pending = (
        Job.objects.filter(
            kind=JOB_KIND,
            created_by=user,
            params__name=name,
            status__in=[Job.Status.QUEUED, Job.Status.RUNNING],
            created_at__gte=timezone.now() - JOB_FRESH_FOR,
        )
        .order_by("-created_at")
        .first()
    )
    if pending is not None:
        return pending
    with transaction.atomic():
        job = jobs.job_create(
            kind=JOB_KIND,
            by=user,
            total=1,
            params={"cycle": cycle.pk, "municipality": municipality.insee_code, "name": name},
        )
        jobs.job_enqueue(job, RENDER_TASK)
    return job


def scorecard_pdf_render(*, job_id: int) -> str:
    """Render and store the scorecard PDF of a job, as its creator may see the card (the
    card is read again: what is stored is always the digest of what is drawn)."""
    job = jobs.job_start(job_id)
    params = job.params
    user = get_user_model().objects.filter(pk=job.created_by_id).first() or AnonymousUser()
    cycle = ReviewCycle.objects.get(pk=params["cycle"])
    municipality = Municipality.objects.get(pk=params["municipality"])
    card = scorecard(cycle=cycle, municipality=municipality, assessments=assessments_visible_to(user))
    name = scorecard_pdf_name(card)
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(html_to_pdf(scorecard_html(card))))
        if saved != name:  # another worker stored the same card meanwhile: keep one
            default_storage.delete(saved)
    jobs.job_set_done(job_id, 1)
    jobs.job_succeed(
        job_id,
        {"url": f"/api/municipalities/{municipality.insee_code}/scorecard/?cycle={cycle.pk}&format=pdf"},
    )
    return name
