"""The project's Celery application: ``celery -A backend worker``."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")

app = Celery("backend")
app.config_from_object("django.conf:settings", namespace="CELERY")


@signals.worker_init.connect
@signals.beat_init.connect
def make_folders_at_start(sender=None, **kwargs) -> None:
    """The worker and beat make the folders they write to (SQLite, filesystem broker)."""
    from backend.folders import make_local_folders

    make_local_folders(broker_url=app.conf.broker_url, broker_options=app.conf.broker_transport_options)
