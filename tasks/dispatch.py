"""Enqueue a Celery task by name, so that services never import task modules.

With CELERY_TASK_ALWAYS_EAGER (tests, or a set-up without worker) the task runs inline,
as ``delay()`` would; ``send_task`` alone ignores that setting.
"""

from __future__ import annotations

import logging
from functools import cache

from django.conf import settings

logger = logging.getLogger(__name__)


@cache
def _registered_app():
    from celery import current_app

    current_app.loader.import_default_modules()
    return current_app


def enqueue(name: str, args: list, *, countdown: float | None = None) -> bool:
    """Send ``name(*args)`` to a worker; False when the broker cannot be reached (the
    caller's rows stay queued for a sweeper or a resume)."""
    app = _registered_app()
    if settings.CELERY_TASK_ALWAYS_EAGER:
        app.tasks[name].apply(args=args, throw=True)
        return True
    try:
        app.send_task(name, args=args, countdown=countdown, retry=False)
    except Exception:  # any broker failure means "later", never "lost"
        logger.warning("Broker unreachable: %s%s stays queued.", name, args, exc_info=True)
        return False
    return True
