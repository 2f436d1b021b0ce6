import os
from pathlib import Path

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.accounts.factories import UserFactory
from tests.support.smtp import HOST, SmtpServer

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory, request):
    """One test database per run, so that two runs at once never share one.

    SQLite: a file (the worker processes that integration tests start open it by its path)
    in the run's temporary folder. PostgreSQL: a name of its own, held for the run and
    dropped at its end; those of dead runs are dropped (tests/support/databases.py).
    ``--reuse-db`` keeps the one fixed name, as asked."""
    from django.conf import settings
    from django.db import connections

    database = settings.DATABASES["default"]
    test = database.setdefault("TEST", {})
    if database["ENGINE"] == "django.db.backends.sqlite3":
        test["NAME"] = str(tmp_path_factory.mktemp("database") / "test-db.sqlite3")
    elif database["ENGINE"] == "django.db.backends.postgresql" and not request.config.getvalue("reuse_db"):
        from tests.support import databases

        base = test.get("NAME") or f"test_{database['NAME']}"
        params = connections["default"].get_connection_params()
        test["NAME"] = databases.run_database_name(base)
        held = databases.claim(params, test["NAME"])
        # After the database is dropped: this fixture's finaliser runs after django_db_setup's.
        request.addfinalizer(held.close)
        databases.drop_stale(params, base)


@pytest.fixture(autouse=True)
def fresh_throttles():
    """Throttles count in the cache, which outlives a test: each test starts uncounted."""
    cache.clear()


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def staff_api(db) -> APIClient:
    client = APIClient()
    client.force_authenticate(UserFactory(is_staff=True))
    return client


@pytest.fixture
def user_api(db) -> APIClient:
    client = APIClient()
    client.force_authenticate(UserFactory())
    return client


@pytest.fixture
def requires_services() -> bool:
    """True when the run is in services mode and every service must be there (CI)."""
    return os.environ.get("REQUIRE_SERVICES") == "1"


@pytest.fixture
def smtp_server():
    """A real SMTP server on loopback that records what it receives."""
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def smtp_backend(settings, smtp_server) -> SmtpServer:
    """Django sends through ``smtp_server`` instead of pytest-django's locmem backend."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = HOST, smtp_server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    return smtp_server
