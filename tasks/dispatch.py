"""Enqueue a Celery task by name, so that services never import task modules.

With CELERY_TASK_ALWAYS_EAGER (tests, or a set-up without worker) the task runs inline,
as ``delay()`` would; ``send_task`` alone ignores that setting.
"""

from __future__ import annotations

import logging
import time
from functools import cache

from django.conf import settings

logger = logging.getLogger(__name__)
# After a failure, don't ask the broker again for this long: each try may block for
# seconds (connection timeouts and retries), and one transaction can ring hundreds of
# times on commit. What is not rung stays queued for the sweeper or a resume.
PAUSE_AFTER_FAILURE = 5.0
_paused_until = 0.0


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
    global _paused_until
    if time.monotonic() < _paused_until:
        logger.info("Broker unreachable a moment ago: %s%s stays queued.", name, args)
        return False
    try:
        app.send_task(name, args=args, countdown=countdown, retry=False)
    except Exception:  # any broker failure means "later", never "lost"
        _paused_until = time.monotonic() + PAUSE_AFTER_FAILURE
        logger.warning("Broker unreachable: %s%s stays queued.", name, args, exc_info=True)
        return False
    return True
