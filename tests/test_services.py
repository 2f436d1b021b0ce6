"""Services mode (CI): the suite must really run on PostgreSQL with Redis as broker.

With REQUIRE_SERVICES=1 these tests fail loudly when a service is missing; without it,
they check what the embedded mode uses instead.
"""

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.services
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_the_database_is_the_one_the_mode_asks_for(requires_services):
    if requires_services:
        assert connection.vendor == "postgresql", "services mode needs DATABASE_URL=postgres://…"
    else:
        assert connection.vendor in ("sqlite", "postgresql")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_the_broker_answers(requires_services):
    from backend.celery import app

    if requires_services:
        assert settings.CELERY_BROKER_URL.startswith("redis://"), "services mode needs CELERY_BROKER_URL=redis://…"
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=2, timeout=5)
        assert conn.connected


def test_throttle_counters_are_shared_with_other_processes(requires_services):
    """Another process (a second web worker) writes to the cache; this one reads it."""
    from django.core.cache import cache

    if requires_services:
        assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache"), "services mode needs CACHE_URL=redis://…"
    code = "from django.core.cache import cache; cache.set('essais-partages', 7)"
    command = [sys.executable, "manage.py", "shell", "-c", code]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)

    assert result.returncode == 0, result.stderr
    assert cache.get("essais-partages") == 7
