"""Background jobs: a row per long operation, with progress (done / total) and result.

Infrastructure: callers create the row in their transaction, then the job's Celery task
is enqueued by name after commit, so that no service imports a task module.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from tasks.dispatch import enqueue
from tasks.jobs.models import Job


def job_create(*, kind: str, by=None, total: int = 0, params: dict | None = None, scope: str = "") -> Job:
    return Job.objects.create(
        kind=kind,
        total=total,
        params=params or {},
        scope=scope,
        created_by=by if by is not None and by.is_authenticated else None,
    )


def jobs_visible_to(user):
    """Staff see every job; others their own and those of their scopes (their collectives)."""
    if not user.is_authenticated:
        return Job.objects.none()
    if user.is_staff:
        return Job.objects.all()
    scopes = import_string(settings.JOB_USER_SCOPES)(user) if settings.JOB_USER_SCOPES else set()
    return Job.objects.filter(Q(created_by=user) | Q(scope__in=list(scopes)))


def job_enqueue(job: Job, task_name: str, *args) -> None:
    """Enqueue ``task_name(job.pk, *args)`` once the current transaction commits."""

    transaction.on_commit(lambda: enqueue(task_name, [job.pk, *args]))


def job_start(job_id: int, *, total: int | None = None) -> Job:
    """Mark a job running; several chunks of one job may each call it."""
    now = timezone.now()
    Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(status=Job.Status.RUNNING, started_at=now)
    changes = {"progressed_at": now} if total is None else {"progressed_at": now, "total": total}
    Job.objects.filter(pk=job_id).update(**changes)
    return Job.objects.get(pk=job_id)


def job_advance(job_id: int, count: int = 1) -> None:
    Job.objects.filter(pk=job_id).update(done=F("done") + count, progressed_at=timezone.now())


def job_resume(job_id: int) -> None:
    """Running again (a job resumed after it stalled or failed): its error is history."""
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.RUNNING, error="", finished_at=None, progressed_at=timezone.now()
    )


def job_set_done(job_id: int, done: int) -> None:
    Job.objects.filter(pk=job_id).update(done=done)


def job_succeed(job_id: int, result: dict | None = None) -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.SUCCEEDED, result=result or {}, finished_at=timezone.now(), error=""
    )


def job_fail(job_id: int, error: str) -> None:
    Job.objects.filter(pk=job_id).update(status=Job.Status.FAILED, error=error[:5000], finished_at=timezone.now())
