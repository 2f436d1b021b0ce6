"""The e-mail outbox: queue an e-mail in the caller's transaction, send it from a worker.

Guarantees: a message queued is never lost (its row is committed with the caller's work,
and a periodic sweeper picks up what the broker never delivered) and never sent twice by
two workers (a row is claimed by a conditional update before sending). Transient SMTP
failures are retried with exponential backoff; permanent ones (5xx) fail with the reason.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.utils import make_msgid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from tasks.dispatch import enqueue
from tasks.models import EmailAttachment, OutboundEmail

logger = logging.getLogger(__name__)
SEND_TASK = "tasks.outbox.send"
Status = OutboundEmail.Status


class RecipientRefused(Exception):
    """A recipient may not be e-mailed (an official flagged do-not-e-mail…): use paper."""

    def __init__(self, address: str, reason: str):
        self.address, self.reason = address, reason
        super().__init__(
            _("%(address)s ne peut pas recevoir de courriel : %(reason)s") % {"address": address, "reason": reason}
        )


@dataclass
class Attachment:
    filename: str
    content: bytes
    mimetype: str = "application/octet-stream"


def refused_recipients(addresses: Iterable[str]) -> dict[str, str]:
    """{address: reason} from every policy of OUTBOX_RECIPIENT_POLICIES (dotted paths, so
    that domain apps can refuse addresses without the outbox importing them)."""
    addresses = [address for address in addresses if address]
    refused: dict[str, str] = {}
    for path in settings.OUTBOX_RECIPIENT_POLICIES:
        refused.update(import_string(path)(addresses))
    return refused


def email_queued(idempotency_key: str) -> bool:
    return OutboundEmail.objects.filter(idempotency_key=idempotency_key).exists()


def email_queue(
    *,
    to: list[str],
    subject: str,
    body_text: str,
    idempotency_key: str,
    body_html: str = "",
    cc: list[str] = (),
    reply_to: list[str] = (),
    from_email: str = "",
    attachments: list[Attachment] = (),
    cause=None,
) -> OutboundEmail:
    """Queue one e-mail; the same ``idempotency_key`` returns the row already queued.

    Call it inside the transaction that decides to send: the row commits (or rolls back)
    with it, and the worker is rung only after commit.
    """
    existing = OutboundEmail.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    to, cc, reply_to = [a.strip() for a in to if a.strip()], list(cc), list(reply_to)
    if not to:
        raise ValueError("an e-mail needs a recipient")
    refused = refused_recipients([*to, *cc])
    if refused:
        address, reason = next(iter(refused.items()))
        raise RecipientRefused(address, reason)
    email = OutboundEmail(
        idempotency_key=idempotency_key,
        to=to,
        cc=cc,
        reply_to=reply_to,
        from_email=from_email,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        domain=to[0].rsplit("@", 1)[-1].lower(),
        message_id=make_msgid(domain=settings.OUTBOX_MESSAGE_ID_DOMAIN),
        cause=cause,
    )
    try:
        with transaction.atomic():
            email.save()
            for attachment in attachments:
                row = EmailAttachment(email=email, filename=attachment.filename, mimetype=attachment.mimetype)
                row.file.save(attachment.filename, ContentFile(attachment.content), save=True)
    except IntegrityError:
        # Two callers raced on the same key: the other one won, and that is the e-mail.
        return OutboundEmail.objects.get(idempotency_key=idempotency_key)
    transaction.on_commit(lambda: ring([email.pk]))
    return email


def ring(ids: list[int], *, countdown: float | None = None) -> bool:
    """Ask a worker to send ``ids``. A broker that is down loses nothing: the rows are
    committed and the sweeper sends them later."""
    return enqueue(SEND_TASK, [ids], countdown=countdown)


def backoff(attempts: int) -> dt.timedelta:
    seconds = min(settings.OUTBOX_BACKOFF_BASE * 2 ** max(attempts - 1, 0), settings.OUTBOX_BACKOFF_CAP)
    return dt.timedelta(seconds=seconds)


@dataclass
class BatchResult:
    sent: list[int] = field(default_factory=list)
    retry: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    retry_in: float | None = None


def _claim(pk: int, now: dt.datetime) -> bool:
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return bool(
        OutboundEmail.objects.filter(due, pk=pk, status=Status.QUEUED).update(
            status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def _message(email: OutboundEmail, connection) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=email.from_email or settings.DEFAULT_FROM_EMAIL,
        to=email.to,
        cc=email.cc,
        reply_to=email.reply_to,
        headers={"Message-ID": email.message_id},
        connection=connection,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments.all():
        with attachment.file.open("rb") as handle:
            message.attach(attachment.filename, handle.read(), attachment.mimetype)
    return message


def _is_permanent(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _message in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 500 <= exc.smtp_code < 600
    return False


def _describe(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{address}: {code} {message!r}" for address, (code, message) in exc.recipients.items())
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {text}"
    return f"{type(exc).__name__}: {exc}"


def _rate_limited(email: OutboundEmail, now: dt.datetime) -> bool:
    limit = settings.OUTBOX_DOMAIN_RATE_LIMITS.get(email.domain)
    if not limit:
        return False
    recent = OutboundEmail.objects.filter(domain=email.domain, sent_at__gte=now - dt.timedelta(minutes=1)).count()
    return recent >= limit


def send_batch(ids: list[int]) -> BatchResult:
    """Send the queued e-mails among ``ids`` over one SMTP connection."""
    result = BatchResult()
    connection = get_connection()
    try:
        for pk in ids:
            now = timezone.now()
            if not _claim(pk, now):
                result.skipped.append(pk)  # sent, cancelled, not due, or another worker has it
                continue
            email = OutboundEmail.objects.prefetch_related("attachments").get(pk=pk)
            if _rate_limited(email, now):
                OutboundEmail.objects.filter(pk=pk).update(
                    status=Status.QUEUED, attempts=F("attempts") - 1, next_attempt_at=now + dt.timedelta(minutes=1)
                )
                result.retry.append(pk)
                result.retry_in = 60.0
                continue
            try:
                connection.send_messages([_message(email, connection)])
            except (smtplib.SMTPException, OSError) as exc:
                # After an error the SMTP session may be in any state: start a fresh one.
                _reset(connection)
                _record_failure(email, exc, result)
            else:
                OutboundEmail.objects.filter(pk=pk, status=Status.SENDING).update(
                    status=Status.SENT, sent_at=timezone.now(), last_error=""
                )
                result.sent.append(pk)
    finally:
        _reset(connection)
    return result


def _reset(connection) -> None:
    # Closing a broken session may fail in any way; what matters is to drop it.
    with contextlib.suppress(Exception):
        connection.close()
    connection.connection = None


def _record_failure(email: OutboundEmail, exc: Exception, result: BatchResult) -> None:
    reason = _describe(exc)
    if _is_permanent(exc) or email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        if not _is_permanent(exc):
            reason = _("%(attempts)s tentatives sans succès ; dernière erreur : %(reason)s") % {
                "attempts": email.attempts,
                "reason": reason,
            }
        OutboundEmail.objects.filter(pk=email.pk).update(status=Status.FAILED, last_error=reason)
        result.failed.append(email.pk)
        logger.warning("E-mail %s failed: %s", email.pk, reason)
        return
    delay = backoff(email.attempts)
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=Status.QUEUED, last_error=reason, next_attempt_at=timezone.now() + delay
    )
    result.retry.append(email.pk)
    result.retry_in = min(result.retry_in or delay.total_seconds(), delay.total_seconds())
    logger.info("E-mail %s will be retried in %ss: %s", email.pk, delay.total_seconds(), reason)


def sweep() -> list[int]:
    """Give back what a dead worker left in "sending", and ring for every due e-mail.

    Returns the ids rung. Safe on several beat processes at once: sending claims rows.
    """
    now = timezone.now()
    stale = now - dt.timedelta(seconds=settings.OUTBOX_STALE_AFTER)
    OutboundEmail.objects.filter(status=Status.SENDING, claimed_at__lt=stale).update(
        status=Status.QUEUED, next_attempt_at=now
    )
    due = Q(next_attempt_at__isnull=True, created_at__lt=now - dt.timedelta(seconds=settings.OUTBOX_RING_GRACE))
    due |= Q(next_attempt_at__lte=now)
    ids = list(
        OutboundEmail.objects.filter(due, status=Status.QUEUED).order_by("pk").values_list("pk", flat=True)[:10_000]
    )
    size = settings.OUTBOX_BATCH_SIZE
    for start in range(0, len(ids), size):
        ring(ids[start : start + size])
    return ids


def email_retry(email: OutboundEmail) -> bool:
    """Staff asked to send a failed or cancelled e-mail again."""
    updated = OutboundEmail.objects.filter(pk=email.pk, status__in=[Status.FAILED, Status.CANCELLED]).update(
        status=Status.QUEUED, attempts=0, next_attempt_at=None, last_error=""
    )
    if updated:
        transaction.on_commit(lambda: ring([email.pk]))
    return bool(updated)


def email_cancel(email: OutboundEmail) -> bool:
    return bool(OutboundEmail.objects.filter(pk=email.pk, status=Status.QUEUED).update(status=Status.CANCELLED))
