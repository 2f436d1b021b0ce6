"""The outbox end to end: a real Celery worker process, a real broker, a real SMTP server.

Services mode (CI): PostgreSQL test database, Redis (database 15, flushed before each test).
Embedded mode: the SQLite test database (a file) and the filesystem broker. The worker is
``celery -A backend worker --pool=solo`` started for each test; the SMTP server is aiosmtpd
on loopback, and every test counts exactly what it received.

Beat is not started: the tests call ``tasks.outbox.sweep()`` themselves where beat would,
so that they decide when the sweeper passes.
"""

from __future__ import annotations

import time
from collections import Counter
from email import message_from_bytes

import pytest
from django.db import transaction

from backend.celery import app as celery_app
from tasks.outbox import services as outbox
from tasks.outbox.models import OutboundEmail
from tests.support.processes import RedisServer, use_broker, wait_until
from tests.tasks.factories import OutboundEmailFactory

pytestmark = pytest.mark.worker
Status = OutboundEmail.Status


def queue_emails(count: int, prefix: str = "integration") -> list[OutboundEmail]:
    """Queue ``count`` e-mails in one transaction, as a service does: rung after commit."""
    with transaction.atomic():
        return [
            outbox.email_queue(
                to=[f"elu{n}@mairie{n % 3}.example"],
                subject=f"Bilan de mi-mandat : vos engagements (n° {n})",
                body_text="Madame la Maire,\n\nVoici le bilan de vos engagements.\n",
                idempotency_key=f"{prefix}:{n}",
            )
            for n in range(count)
        ]


def statuses() -> Counter:
    return Counter(OutboundEmail.objects.values_list("status", flat=True))


def until_all(status: str, count: int, workers, *, sweep: bool = False):
    """Wait until ``count`` rows are in ``status``; with ``sweep``, the sweeper passes
    every half second, as beat would (every minute) in production."""

    def done():
        if sweep:
            outbox.sweep()
        return statuses()[status] == count

    what = lambda: f"{count} e-mails {status} (now {dict(statuses())})"  # noqa: E731
    wait_until(done, what, every=0.5 if sweep else 0.05, logs=workers)


def test_every_e_mail_queued_arrives_once_with_its_message_id(workers, smtp_server):
    workers.start()
    with transaction.atomic():
        emails = queue_emails(8)
        emails.append(
            outbox.email_queue(
                to=["maire@salon.example"],
                subject="Courrier au maire de Salon-de-Provence",
                body_text="Veuillez trouver notre courrier ci-joint.\n",
                idempotency_key="integration:letter",
                attachments=[outbox.Attachment("courrier-salon.pdf", b"%PDF-1.7 courrier", "application/pdf")],
            )
        )

    until_all(Status.SENT, 9, workers)

    handler = smtp_server.handler
    assert sorted(handler.received) == sorted(email.message_id for email in emails)
    assert Counter(handler.accepted) == {email.message_id: 1 for email in emails}
    letter = message_from_bytes(handler.messages[emails[-1].message_id])
    (attachment,) = [part for part in letter.walk() if part.get_filename()]
    assert attachment.get_filename() == "courrier-salon.pdf"
    assert attachment.get_payload(decode=True) == b"%PDF-1.7 courrier"


def test_a_server_that_refuses_connections_then_comes_back_gets_every_message_once(workers, smtp_server):
    smtp_server.stop()
    workers.start()
    emails = queue_emails(5)

    wait_until(
        lambda: all(row.last_error.startswith("ConnectionRefusedError") for row in OutboundEmail.objects.all()),
        "every e-mail tried once against the closed port",
        logs=workers,
    )
    assert statuses()[Status.SENT] == 0
    smtp_server.start()

    # No sweeper here: the worker rings its own retries, after the backoff.
    until_all(Status.SENT, 5, workers)
    assert Counter(smtp_server.handler.received) == {email.message_id: 1 for email in emails}
    assert Counter(smtp_server.handler.accepted) == {email.message_id: 1 for email in emails}
    assert all(attempts >= 2 for attempts in OutboundEmail.objects.values_list("attempts", flat=True))


def test_a_4xx_reply_is_retried_and_the_message_arrives_once(workers, smtp_server):
    smtp_server.handler.data_reply = lambda message_id, copies: "451 4.3.0 Réessayez plus tard" if copies == 1 else None
    workers.start()
    emails = queue_emails(3)

    until_all(Status.SENT, 3, workers)

    assert Counter(smtp_server.handler.received) == {email.message_id: 2 for email in emails}
    assert Counter(smtp_server.handler.accepted) == {email.message_id: 1 for email in emails}
    assert set(OutboundEmail.objects.values_list("attempts", "last_error")) == {(2, "")}


def test_a_5xx_reply_fails_the_e_mail_and_keeps_the_reason(workers, smtp_server):
    smtp_server.handler.data_reply = lambda message_id, copies: "554 5.7.1 Refusé par la politique du domaine"
    workers.start()
    emails = queue_emails(2)

    until_all(Status.FAILED, 2, workers)

    assert Counter(smtp_server.handler.received) == {email.message_id: 1 for email in emails}
    assert smtp_server.handler.accepted == []
    assert set(OutboundEmail.objects.values_list("attempts", "last_error")) == {
        (1, "554 5.7.1 Refusé par la politique du domaine")
    }


def test_a_worker_killed_in_the_middle_of_a_batch_loses_nothing_and_repeats_only_the_cut_message(workers, smtp_server):
    emails = OutboundEmailFactory.create_batch(12)
    handler = smtp_server.handler
    handler.hold_at = 5  # the server keeps the 5th message without answering it
    first = workers.start()

    assert outbox.ring([email.pk for email in emails])  # one batch
    wait_until(handler.holding.is_set, "the 5th message at the server", logs=workers)
    cut = handler.received[4]
    first.kill()  # SIGKILL in the middle of the SMTP transaction of the 5th message
    handler.released.set()

    sent_before = {email.message_id for email in emails[:4]}
    assert set(OutboundEmail.objects.filter(status=Status.SENT).values_list("message_id", flat=True)) == sent_before
    assert list(OutboundEmail.objects.filter(status=Status.SENDING).values_list("message_id", flat=True)) == [cut]
    assert statuses()[Status.QUEUED] == 7

    workers.start()
    until_all(Status.SENT, 12, workers, sweep=True)

    # Every message arrived; only the cut one twice, with the same Message-ID.
    assert Counter(handler.received) == {email.message_id: 2 if email.message_id == cut else 1 for email in emails}
    assert len(handler.received) == 13
    assert OutboundEmail.objects.get(message_id=cut).attempts == 2


class RedisOutage:
    """Services mode: a private redis-server for this process and the worker, stopped
    (and everything it held lost) then started again."""

    def __init__(self, tmp_path) -> None:
        self.server = RedisServer(tmp_path / "redis.log").start()
        self.url = self.server.url
        self.switch = use_broker(self.url)
        self.switch.__enter__()

    def down(self) -> None:
        self.server.stop()

    def up(self) -> None:
        self.server.start()

    def close(self) -> None:
        self.switch.__exit__(None, None, None)
        self.server.stop()


class FolderOutage:
    """Embedded mode: the filesystem broker's folder is missing for this process, so the
    message cannot be written. (The worker keeps its folder: kombu's filesystem transport
    stops a worker whose folder disappears, which is not what this test is about.)"""

    def __init__(self, url: str, tmp_path) -> None:
        self.url = url
        self.missing = {**celery_app.conf.broker_transport_options, "data_folder_out": str(tmp_path / "missing")}
        self.switch = None

    def down(self) -> None:
        self.switch = use_broker(self.url, self.missing)
        self.switch.__enter__()

    def up(self) -> None:
        self.switch.__exit__(None, None, None)
        self.switch = None

    def close(self) -> None:
        if self.switch is not None:
            self.up()


@pytest.fixture
def broker_outage(broker, tmp_path):
    """Stops and brings back the broker of the mode, as seen by the test process."""
    outage = RedisOutage(tmp_path) if broker.startswith("redis://") else FolderOutage(broker, tmp_path)
    yield outage
    outage.close()


def test_with_the_broker_down_the_caller_succeeds_and_the_sweeper_sends_later(broker_outage, workers, smtp_server):
    workers.start(broker_url=broker_outage.url)
    broker_outage.down()

    started = time.monotonic()
    (email,) = queue_emails(1, prefix="outage")  # rings after commit: the broker fails
    assert time.monotonic() - started < 30

    email.refresh_from_db()
    assert email.status == Status.QUEUED
    broker_outage.up()

    until_all(Status.SENT, 1, workers, sweep=True)
    assert smtp_server.handler.received == [email.message_id]
