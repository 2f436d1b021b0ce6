"""send_batch(): claim each row, send it with its own Message-ID, record the outcome.

pytest-django's locmem backend stands for the SMTP server here; SMTP replies are tested
against a real server in test_smtp_errors.py.
"""

import datetime as dt

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core import mail
from django.core.files.base import ContentFile
from django.core.mail.backends import locmem
from django.utils import timezone

from tasks.outbox.models import EmailAttachment, OutboundEmail
from tasks.outbox.services import backoff, send_batch
from tests.tasks.factories import OutboundEmailFactory

pytestmark = pytest.mark.django_db
Status = OutboundEmail.Status


def test_it_sends_and_marks_the_row_sent_with_its_message_id():
    email = OutboundEmailFactory(
        to=["maire@salon.example"],
        cc=["adjoint@salon.example"],
        reply_to=["collectif@example.org"],
        from_email="Collectif de Salon <collectif@example.org>",
        body_html="<p>Madame la Maire,</p>",
    )

    result = send_batch([email.pk])

    assert result.sent == [email.pk]
    (message,) = mail.outbox
    assert message.extra_headers["Message-ID"] == email.message_id
    assert message.message()["Message-ID"] == email.message_id
    assert message.to == ["maire@salon.example"]
    assert message.cc == ["adjoint@salon.example"]
    assert message.reply_to == ["collectif@example.org"]
    assert message.from_email == "Collectif de Salon <collectif@example.org>"
    assert message.subject == email.subject
    assert message.alternatives[0][0] == "<p>Madame la Maire,</p>"
    email.refresh_from_db()
    assert email.status == Status.SENT
    assert email.attempts == 1
    assert email.sent_at is not None


def test_without_sender_it_uses_the_default_one(settings):
    settings.DEFAULT_FROM_EMAIL = "Pacte tracker <noreply@pacte.example>"
    email = OutboundEmailFactory()

    send_batch([email.pk])

    assert mail.outbox[0].from_email == "Pacte tracker <noreply@pacte.example>"


def test_stored_files_are_attached():
    email = OutboundEmailFactory()
    attachment = EmailAttachment(email=email, filename="courrier-salon.pdf", mimetype="application/pdf")
    attachment.file.save("courrier-salon.pdf", ContentFile(b"%PDF-1.7 courrier"), save=True)

    send_batch([email.pk])

    (message,) = mail.outbox
    assert message.attachments == [("courrier-salon.pdf", b"%PDF-1.7 courrier", "application/pdf")]


def test_a_batch_sends_each_row_once_in_order():
    emails = OutboundEmailFactory.create_batch(3)
    ids = [email.pk for email in emails]

    result = send_batch([*ids, ids[0]])

    assert result.sent == ids
    assert [message.extra_headers["Message-ID"] for message in mail.outbox] == [email.message_id for email in emails]


@pytest.mark.parametrize("status", [Status.SENDING, Status.SENT, Status.FAILED, Status.CANCELLED])
def test_a_row_that_is_not_queued_is_skipped(status):
    email = OutboundEmailFactory(status=status, attempts=1)

    result = send_batch([email.pk])

    assert result.skipped == [email.pk]
    assert mail.outbox == []
    email.refresh_from_db()
    assert email.status == status
    assert email.attempts == 1


class ColleagueBackend(locmem.EmailBackend):
    """While this worker sends a message, another worker claims the row ``taken``."""

    taken: int | None = None

    def send_messages(self, messages):
        OutboundEmail.objects.filter(pk=self.taken).update(status=Status.SENDING)
        return super().send_messages(messages)


def test_a_row_claimed_by_another_worker_meanwhile_is_skipped(settings, monkeypatch):
    """The rows are read first, then claimed one by one: the claim decides."""
    first, second = OutboundEmailFactory.create_batch(2)
    settings.EMAIL_BACKEND = f"{__name__}.ColleagueBackend"
    monkeypatch.setattr(ColleagueBackend, "taken", second.pk)

    result = send_batch([first.pk, second.pk])

    assert result.sent == [first.pk]
    assert result.skipped == [second.pk]
    assert len(mail.outbox) == 1


class TimeLimitBackend(locmem.EmailBackend):
    """The task's soft time limit strikes during the second message."""

    def send_messages(self, messages):
        if mail.outbox:
            raise SoftTimeLimitExceeded()
        return super().send_messages(messages)


def test_a_time_limit_leaves_the_message_in_flight_to_the_sweeper_and_records_the_one_sent(settings):
    first, second, third = OutboundEmailFactory.create_batch(3)
    settings.EMAIL_BACKEND = f"{__name__}.TimeLimitBackend"

    with pytest.raises(SoftTimeLimitExceeded):
        send_batch([first.pk, second.pk, third.pk])

    assert dict(OutboundEmail.objects.values_list("pk", "status")) == {
        first.pk: Status.SENT,
        second.pk: Status.SENDING,
        third.pk: Status.QUEUED,
    }


def test_a_row_not_due_yet_waits():
    email = OutboundEmailFactory(next_attempt_at=timezone.now() + dt.timedelta(minutes=5))

    assert send_batch([email.pk]).skipped == [email.pk]
    assert mail.outbox == []


def test_a_row_due_again_is_sent():
    email = OutboundEmailFactory(attempts=2, next_attempt_at=timezone.now() - dt.timedelta(seconds=1))

    assert send_batch([email.pk]).sent == [email.pk]
    email.refresh_from_db()
    assert email.attempts == 3


def test_an_unknown_id_is_skipped():
    assert send_batch([987654]).skipped == [987654]


def test_a_message_that_cannot_be_built_fails_at_once_with_the_reason():
    bad = OutboundEmailFactory(subject="Objet\nInjecté: en-tête")
    good = OutboundEmailFactory()

    result = send_batch([bad.pk, good.pk])

    assert result.failed == [bad.pk]
    assert result.sent == [good.pk]
    bad.refresh_from_db()
    assert bad.status == Status.FAILED
    assert bad.last_error.startswith("Courriel impossible à envoyer : BadHeaderError")


def test_a_domain_over_its_rate_limit_waits_a_minute_without_spending_an_attempt(settings):
    settings.OUTBOX_DOMAIN_RATE_LIMITS = {"orange.example": 2}
    emails = [OutboundEmailFactory(to=[f"elu{n}@orange.example"]) for n in range(3)]
    other = OutboundEmailFactory(to=["elu@autre.example"])

    before = timezone.now()
    result = send_batch([email.pk for email in emails] + [other.pk])

    assert result.sent == [emails[0].pk, emails[1].pk, other.pk]
    assert result.retry == [emails[2].pk]
    assert result.retry_in == 60.0
    late = OutboundEmail.objects.get(pk=emails[2].pk)
    assert late.status == Status.QUEUED
    assert late.attempts == 0
    assert late.next_attempt_at >= before + dt.timedelta(seconds=59)
    assert len(mail.outbox) == 3


def test_sent_e_mails_of_the_last_minute_count_in_the_rate(settings):
    settings.OUTBOX_DOMAIN_RATE_LIMITS = {"orange.example": 1}
    OutboundEmailFactory(to=["avant@orange.example"], status=Status.SENT, sent_at=timezone.now())
    earlier = OutboundEmailFactory(
        to=["hier@orange.example"], status=Status.SENT, sent_at=timezone.now() - dt.timedelta(minutes=2)
    )
    email = OutboundEmailFactory(to=["elu@orange.example"])

    assert send_batch([email.pk]).retry == [email.pk]
    assert earlier.pk


def test_backoff_doubles_from_the_base_up_to_the_cap(settings):
    settings.OUTBOX_BACKOFF_BASE = 30
    settings.OUTBOX_BACKOFF_CAP = 3600

    seconds = [backoff(attempts).total_seconds() for attempts in range(1, 10)]

    assert seconds == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert backoff(0).total_seconds() == 30
