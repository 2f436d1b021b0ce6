"""Celery tasks of the outbox (infrastructure: no domain app)."""

from celery import shared_task
from django.conf import settings

from tasks.outbox import services as outbox


@shared_task(name=outbox.SEND_TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def send(ids: list[int]) -> dict:
    result = outbox.send_batch(ids)
    if result.retry and not self_is_eager():
        # The row keeps its next attempt time; this is only the doorbell for it.
        outbox.ring(result.retry, countdown=result.retry_in)
    return {"sent": len(result.sent), "retry": len(result.retry), "failed": len(result.failed)}


@shared_task(name="tasks.outbox.sweep", ignore_result=True)
def sweep() -> int:
    return len(outbox.sweep())


def self_is_eager() -> bool:
    # Inline runs would retry at once, in a loop: leave retries to the sweeper there.
    return settings.CELERY_TASK_ALWAYS_EAGER
