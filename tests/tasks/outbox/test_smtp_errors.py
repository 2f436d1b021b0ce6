"""What send_batch() makes of SMTP replies, against a real SMTP server on loopback:
4xx and lost connections are retried later, 5xx fail with the server's reason."""

import datetime as dt

import pytest
from django.utils import timezone

from tasks.outbox.models import OutboundEmail
from tasks.outbox.services import send_batch
from tests.tasks.factories import OutboundEmailFactory

pytestmark = pytest.mark.django_db
Status = OutboundEmail.Status


@pytest.fixture(autouse=True)
def fast_backoff(settings):
    settings.OUTBOX_BACKOFF_BASE = 30
    settings.OUTBOX_BACKOFF_CAP = 3600
    settings.OUTBOX_MAX_ATTEMPTS = 4


def answer_data_once(reply):
    """The server answers ``reply`` to the first copy of each message, then 250."""
    return lambda message_id, copies: reply if copies == 1 else None


def test_a_batch_goes_through_one_smtp_session(smtp_backend):
    emails = OutboundEmailFactory.create_batch(3)

    result = send_batch([email.pk for email in emails])

    assert len(result.sent) == 3
    assert smtp_backend.handler.accepted == [email.message_id for email in emails]
    assert smtp_backend.handler.connections == 1


def test_a_4xx_reply_is_retried_later_then_the_message_arrives_once(smtp_backend):
    smtp_backend.handler.data_reply = answer_data_once("451 4.3.0 Réessayez plus tard")
    email = OutboundEmailFactory()

    before = timezone.now()
    result = send_batch([email.pk])

    assert result.retry == [email.pk]
    assert result.retry_in == 30.0
    email.refresh_from_db()
    assert email.status == Status.QUEUED
    assert email.attempts == 1
    assert email.last_error == "451 4.3.0 Réessayez plus tard"
    assert before + dt.timedelta(seconds=30) <= email.next_attempt_at <= timezone.now() + dt.timedelta(seconds=30)
    assert send_batch([email.pk]).skipped == [email.pk]  # not due yet

    OutboundEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    assert send_batch([email.pk]).sent == [email.pk]

    email.refresh_from_db()
    assert email.status == Status.SENT
    assert email.attempts == 2
    assert email.last_error == ""
    assert smtp_backend.handler.received == [email.message_id, email.message_id]
    assert smtp_backend.handler.accepted == [email.message_id]


def test_a_5xx_reply_fails_the_e_mail_and_keeps_the_reason(smtp_backend):
    smtp_backend.handler.data_reply = lambda message_id, copies: "550 5.7.1 Message refusé par la politique locale"
    email = OutboundEmailFactory()

    result = send_batch([email.pk])

    assert result.failed == [email.pk]
    email.refresh_from_db()
    assert email.status == Status.FAILED
    assert email.attempts == 1
    assert email.last_error == "550 5.7.1 Message refusé par la politique locale"
    assert email.next_attempt_at is None
    assert smtp_backend.handler.accepted == []


def test_a_recipient_refused_with_5xx_fails_and_the_reason_names_it(smtp_backend):
    smtp_backend.handler.rcpt_replies = {"absente@mairie.example": "550 5.1.1 Boîte aux lettres inconnue"}
    refused = OutboundEmailFactory(to=["absente@mairie.example"])
    other = OutboundEmailFactory()

    result = send_batch([refused.pk, other.pk])

    assert result.failed == [refused.pk]
    assert result.sent == [other.pk]
    refused.refresh_from_db()
    assert refused.last_error == "absente@mairie.example: 550 5.1.1 Boîte aux lettres inconnue"
    assert smtp_backend.handler.accepted == [other.message_id]


def test_a_recipient_refused_with_4xx_is_retried(smtp_backend):
    smtp_backend.handler.rcpt_replies = {"pleine@mairie.example": "452 4.2.2 Boîte pleine"}
    email = OutboundEmailFactory(to=["pleine@mairie.example"])

    assert send_batch([email.pk]).retry == [email.pk]
    email.refresh_from_db()
    assert email.status == Status.QUEUED
    assert email.last_error == "pleine@mairie.example: 452 4.2.2 Boîte pleine"


def test_a_server_that_refuses_connections_is_retried(smtp_backend):
    smtp_backend.stop()
    emails = OutboundEmailFactory.create_batch(2)

    result = send_batch([email.pk for email in emails])

    assert result.retry == [email.pk for email in emails]
    for email in emails:
        email.refresh_from_db()
        assert email.status == Status.QUEUED
        assert email.last_error.startswith("ConnectionRefusedError")


def test_the_next_message_of_the_batch_goes_after_an_error(smtp_backend):
    first, second = OutboundEmailFactory.create_batch(2)
    smtp_backend.handler.data_reply = lambda message_id, copies: "451 4.3.0" if message_id == first.message_id else None

    result = send_batch([first.pk, second.pk])

    assert result.retry == [first.pk]
    assert result.sent == [second.pk]
    assert smtp_backend.handler.accepted == [second.message_id]


def test_the_delay_doubles_with_each_attempt(smtp_backend):
    smtp_backend.handler.data_reply = lambda message_id, copies: "421 4.4.2 Service indisponible"
    email = OutboundEmailFactory(attempts=2)

    before = timezone.now()
    send_batch([email.pk])

    email.refresh_from_db()
    assert email.attempts == 3
    assert email.next_attempt_at - before >= dt.timedelta(seconds=120)
    assert email.next_attempt_at - timezone.now() <= dt.timedelta(seconds=120)


def test_after_the_last_attempt_the_e_mail_fails_with_the_last_error(smtp_backend):
    smtp_backend.handler.data_reply = lambda message_id, copies: "451 4.3.0 Réessayez plus tard"
    email = OutboundEmailFactory(attempts=3)

    assert send_batch([email.pk]).failed == [email.pk]

    email.refresh_from_db()
    assert email.status == Status.FAILED
    assert email.attempts == 4
    assert email.last_error == "4 tentatives sans succès ; dernière erreur : 451 4.3.0 Réessayez plus tard"
