"""The local folders of embedded mode, made when a process starts.

Importing the settings creates nothing (a test or a tool may import them with any
VAR_DIR); the processes that write there make their folders first: ``manage.py``
(runserver, migrate, shell…), the WSGI/ASGI application, and the Celery worker and beat.
"""

from pathlib import Path

from django.conf import settings


def local_folders(*, broker_url: str | None = None, broker_options: dict | None = None) -> list[Path]:
    """Folders that SQLite and the filesystem broker need and do not make themselves."""
    folders = []
    database = settings.DATABASES["default"]
    name = str(database.get("NAME") or "")
    if database["ENGINE"] == "django.db.backends.sqlite3" and name and name != ":memory:" and "mode=memory" not in name:
        folders.append(Path(name).parent)
    broker_url = settings.CELERY_BROKER_URL if broker_url is None else broker_url
    if broker_url.startswith("filesystem://"):
        options = settings.CELERY_BROKER_TRANSPORT_OPTIONS if broker_options is None else broker_options
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            if options.get(key):
                folders.append(Path(options[key]))
    return folders


def make_local_folders(**broker) -> None:
    for folder in local_folders(**broker):
        folder.mkdir(parents=True, exist_ok=True)
