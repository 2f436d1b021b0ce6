"""A real Celery worker process, a real broker and a real SMTP server for the tests of
tasks/workers (see test_worker_integration.py for what each mode uses)."""

import pytest
import redis

from tests.support.processes import Worker, redis_url_with_db, use_broker, use_filesystem_broker

STALE_AFTER = 3  # seconds before the sweeper gives back a row left "sending"
REDIS_TEST_DB = 15


@pytest.fixture
def broker(settings, requires_services, tmp_path):
    """The broker of the mode, emptied (or new), and this process switched to it."""
    url = settings.CELERY_BROKER_URL
    if requires_services and not url.startswith("redis://"):
        pytest.fail(f"Services mode needs Redis as broker (CELERY_BROKER_URL=redis://…), not {url!r}.")
    if url.startswith("redis://"):
        url = redis_url_with_db(url, REDIS_TEST_DB)
        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        try:
            client.ping()
        except redis.RedisError as exc:
            pytest.fail(f"Redis does not answer at {url} ({exc}); the worker tests need it.")
        client.flushdb()  # tasks left by an earlier run would ring for rows that no longer exist
        with use_broker(url):
            yield url
    elif url.startswith("filesystem://"):
        # The worker makes the broker's folders when it starts, as in a fresh checkout.
        with use_filesystem_broker(tmp_path / "var") as url:
            yield url
    else:
        pytest.fail(f"No worker test set-up for the broker {url!r}.")


@pytest.fixture
def outbox_settings(settings):
    """This process rings a real broker and sweeps with the worker's short delays."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.OUTBOX_STALE_AFTER = STALE_AFTER
    settings.OUTBOX_RING_GRACE = 0
    settings.OUTBOX_BACKOFF_BASE = 1
    return settings


@pytest.fixture
def workers(transactional_db, outbox_settings, broker, smtp_server, tmp_path):
    """Start workers with ``workers.start()``; all of them are stopped after the test,
    before the database is flushed."""

    class Workers(list):
        def start(self, broker_url: str = broker) -> Worker:
            worker = Worker(
                log=tmp_path / f"worker-{len(self) + 1}.log",
                broker_url=broker_url,
                smtp_url=smtp_server.url,
                extra_env={
                    "OUTBOX_BACKOFF_BASE": "1",
                    "OUTBOX_BACKOFF_CAP": "4",
                    "OUTBOX_STALE_AFTER": str(STALE_AFTER),
                    "OUTBOX_RING_GRACE": "0",
                },
            )
            self.append(worker)
            return worker.start()

    started = Workers()
    yield started
    for worker in started:
        worker.stop()
