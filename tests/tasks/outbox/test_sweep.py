"""The sweeper (beat, every minute): gives back rows a dead worker left in "sending" and
rings for every due e-mail. Tests run Celery eagerly: what is rung is sent at once."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from tasks.outbox.models import OutboundEmail
from tasks.outbox.services import sweep
from tasks.workers import outbox as outbox_tasks
from tests.tasks.factories import OutboundEmailFactory

pytestmark = pytest.mark.django_db
Status = OutboundEmail.Status


@pytest.fixture(autouse=True)
def sweeper_settings(settings):
    settings.OUTBOX_STALE_AFTER = 600
    settings.OUTBOX_RING_GRACE = 30
    settings.OUTBOX_MAX_ATTEMPTS = 8


def ago(**kwargs) -> dt.datetime:
    return timezone.now() - dt.timedelta(**kwargs)


def queued(created: dt.datetime, **kwargs) -> OutboundEmail:
    email = OutboundEmailFactory(**kwargs)
    OutboundEmail.objects.filter(pk=email.pk).update(created_at=created)
    return email


def test_a_row_left_sending_by_a_dead_worker_is_given_back_and_sent():
    abandoned = queued(ago(hours=1), status=Status.SENDING, attempts=1, claimed_at=ago(minutes=11))

    assert sweep() == [abandoned.pk]

    abandoned.refresh_from_db()
    assert abandoned.status == Status.SENT
    assert abandoned.attempts == 2
    assert [message.extra_headers["Message-ID"] for message in mail.outbox] == [abandoned.message_id]


def test_a_row_being_sent_right_now_is_left_alone():
    busy = queued(ago(hours=1), status=Status.SENDING, attempts=1, claimed_at=ago(minutes=2))

    assert sweep() == []

    busy.refresh_from_db()
    assert busy.status == Status.SENDING
    assert mail.outbox == []


def test_a_row_abandoned_at_its_last_attempt_fails():
    doomed = queued(ago(hours=1), status=Status.SENDING, attempts=8, claimed_at=ago(minutes=11))

    assert sweep() == []

    doomed.refresh_from_db()
    assert doomed.status == Status.FAILED
    assert doomed.last_error == "Envoi interrompu 8 fois (le processus d'envoi s'est arrêté)."


def test_it_rings_for_due_rows_only():
    never_rung = queued(ago(minutes=5))
    fresh = queued(ago(seconds=5))  # its own doorbell is probably ringing
    due_again = queued(ago(hours=1), attempts=1, next_attempt_at=ago(seconds=1))
    later = queued(ago(hours=1), attempts=1, next_attempt_at=timezone.now() + dt.timedelta(minutes=5))
    queued(ago(hours=1), status=Status.SENT)
    queued(ago(hours=1), status=Status.FAILED)
    queued(ago(hours=1), status=Status.CANCELLED)

    assert sweep() == [never_rung.pk, due_again.pk]

    assert {message.extra_headers["Message-ID"] for message in mail.outbox} == {
        never_rung.message_id,
        due_again.message_id,
    }
    fresh.refresh_from_db()
    later.refresh_from_db()
    assert (fresh.status, later.status) == (Status.QUEUED, Status.QUEUED)


def test_it_rings_in_batches(settings):
    settings.OUTBOX_BATCH_SIZE = 2
    emails = [queued(ago(minutes=5)) for _ in range(5)]

    assert sweep() == [email.pk for email in emails]

    assert len(mail.outbox) == 5
    assert OutboundEmail.objects.filter(status=Status.SENT).count() == 5


def test_the_beat_task_returns_how_many_it_rang():
    queued(ago(minutes=5))

    assert outbox_tasks.sweep.delay().get() == 1


def test_the_send_task_reports_its_batch():
    sent, failed = OutboundEmailFactory(), OutboundEmailFactory(subject="Objet\ncoupé")

    assert outbox_tasks.send.delay([sent.pk, failed.pk]).get() == {"sent": 1, "retry": 0, "failed": 1}
