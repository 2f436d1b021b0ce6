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
from django.db import connection as db_connection
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from tasks.dispatch import enqueue
from tasks.outbox.models import EmailAttachment, OutboundEmail

logger = logging.getLogger(__name__)
SEND_TASK = "tasks.outbox.send"
RATE_LIMIT_DELAY = dt.timedelta(minutes=1)
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


def email_queued_since(idempotency_prefix: str, since: dt.datetime) -> bool:
    """Whether an e-mail whose key starts with ``idempotency_prefix`` was queued since ``since``."""
    return OutboundEmail.objects.filter(idempotency_key__startswith=idempotency_prefix, created_at__gte=since).exists()


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
    )
    if cause is not None:
        email.cause = cause  # else cause_id stays "" (the field is not nullable)
    try:
        with transaction.atomic():
            email.save()
            for attachment in attachments:
                row = EmailAttachment(email=email, filename=attachment.filename, mimetype=attachment.mimetype)
                row.file.save(attachment.filename, ContentFile(attachment.content), save=True)
    except IntegrityError:
        # Two callers raced on the same key: the other one won, and that is the e-mail.
        winner = OutboundEmail.objects.filter(idempotency_key=idempotency_key).first()
        if winner is None:
            raise
        return winner
    _ring_after_commit(email.pk)
    return email


class _Doorbell:
    """The e-mails queued in one transaction, rung as one batch once it commits."""

    def __init__(self):
        self.ids: list[int] = []
        self.rung = False

    def __call__(self) -> None:
        self.rung = True
        ring(self.ids)


def _ring_after_commit(pk: int) -> None:
    # One send task for the e-mails of a transaction (an interpellation's chunk, a round of
    # reminders), up to OUTBOX_BATCH_SIZE: one SMTP session and one word to the outcome
    # listeners for the batch, where a task per e-mail cost the worker more than rendering.
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        ring([pk])
        return
    doorbell = getattr(connection, "outbox_doorbell", None)
    if (
        doorbell is None
        or doorbell.rung
        or len(doorbell.ids) >= settings.OUTBOX_BATCH_SIZE
        # A savepoint rolled back since took the doorbell off the commit's list.
        or not any(callback is doorbell for _savepoints, callback, _robust in connection.run_on_commit)
    ):
        doorbell = connection.outbox_doorbell = _Doorbell()
        transaction.on_commit(doorbell)
    # An e-mail rolled back with a savepoint may stay on a doorbell: ringing a row that does
    # not exist is harmless (send_batch skips it).
    doorbell.ids.append(pk)


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


# The two statements of every e-mail sent, in SQL: through the ORM, building them cost
# three times the CPU of running them, a third of a worker's time per e-mail (see
# docs/performance.md). Same conditions as the querysets they replace.
_CLAIM_SQL = (
    "UPDATE {table} SET status = %s, claimed_at = %s, attempts = attempts + 1"
    " WHERE id = %s AND status = %s AND (next_attempt_at IS NULL OR next_attempt_at <= %s)"
)
_MARK_SENT_SQL = "UPDATE {table} SET status = %s, sent_at = %s, last_error = '' WHERE id = %s AND status = %s"


def _execute(sql: str, params: list) -> int:
    table = db_connection.ops.quote_name(OutboundEmail._meta.db_table)
    with db_connection.cursor() as cursor:
        cursor.execute(sql.format(table=table), params)
        return cursor.rowcount


def _db_time(value: dt.datetime):
    return db_connection.ops.adapt_datetimefield_value(value)


def _claim(pk: int, now: dt.datetime) -> bool:
    """queued and due → sending, one more attempt; False when another worker has it."""
    at = _db_time(now)
    return _execute(_CLAIM_SQL, [Status.SENDING.value, at, pk, Status.QUEUED.value, at]) == 1


def _mark_sent(pk: int) -> None:
    _execute(_MARK_SENT_SQL, [Status.SENT.value, _db_time(timezone.now()), pk, Status.SENDING.value])


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
        return all(500 <= code < 600 for code, _reply in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 500 <= exc.smtp_code < 600
    return False


def _describe(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{address}: {code} {_text(message)}" for address, (code, message) in exc.recipients.items())
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return f"{type(exc).__name__}: {exc}"


def _text(message: bytes | str) -> str:
    return message.decode(errors="replace") if isinstance(message, bytes) else str(message)


def _rate_limited(email: OutboundEmail, now: dt.datetime) -> bool:
    limit = settings.OUTBOX_DOMAIN_RATE_LIMITS.get(email.domain)
    if not limit:
        return False
    recent = OutboundEmail.objects.filter(domain=email.domain, sent_at__gte=now - dt.timedelta(minutes=1)).count()
    return recent >= limit


def send_batch(ids: list[int]) -> BatchResult:
    """Send the queued e-mails among ``ids`` over one SMTP connection.

    Each row is claimed just before its SMTP transaction, and marked sent in the same
    database transaction that claims the next one: one commit per e-mail, and a worker
    killed at any point leaves at most one row in "sending" (the sweeper gives it back).
    """
    result = BatchResult()
    # Rows never change once queued but for their state: load them all at once.
    emails = OutboundEmail.objects.filter(pk__in=ids, status=Status.QUEUED).prefetch_related("attachments")
    by_pk = {email.pk: email for email in emails}
    connection = get_connection()
    sent_unmarked: int | None = None  # delivered; its "sent" commits with the next claim
    try:
        for pk in dict.fromkeys(ids):
            email = by_pk.get(pk)
            if email is None:
                result.skipped.append(pk)  # sent, cancelled, failed, or no such row
                continue
            now = timezone.now()
            if settings.OUTBOX_DOMAIN_RATE_LIMITS.get(email.domain):
                if sent_unmarked is not None:
                    _mark_sent(sent_unmarked)  # count it in the domain's rate
                    sent_unmarked = None
                if _rate_limited(email, now):
                    _postpone(email, now, result)
                    continue
            with transaction.atomic():
                if sent_unmarked is not None:
                    _mark_sent(sent_unmarked)
                    sent_unmarked = None
                claimed = _claim(pk, now)
            if not claimed:
                result.skipped.append(pk)  # not due, or another worker has it
                continue
            try:
                # Open explicitly: send_messages() would open and close a session per e-mail.
                connection.open()
                connection.send_messages([_message(email, connection)])
            except (smtplib.SMTPException, OSError) as exc:
                # After an error the SMTP session may be in any state: start a fresh one.
                _reset(connection)
                _record_failure(email, exc, result)
            except (ValueError, TypeError) as exc:
                # Not a delivery problem but a message that can never leave (a header with a
                # line break, an invalid address…): fail it rather than try it again and again.
                # Anything else (a time limit…) leaves the row "sending", for the sweeper.
                logger.exception("E-mail %s cannot be sent", pk)
                _fail(email, _("Courriel impossible à envoyer : %(error)s") % {"error": _describe(exc)}, result)
            else:
                sent_unmarked = pk
                result.sent.append(pk)
    finally:
        try:
            if sent_unmarked is not None:
                _mark_sent(sent_unmarked)
        finally:
            _reset(connection)
    outcome_tell([*result.sent, *result.failed])
    return result


def outcome_tell(ids: list[int]) -> None:
    """Tell OUTBOX_OUTCOME_LISTENERS (dotted paths: the domain apps whose rows wait on an
    e-mail, the outbox importing none) that ``ids`` reached their end, sent or failed. A
    listener that fails loses nothing: the rows say the truth, and listeners catch up."""
    if not ids:
        return
    for path in getattr(settings, "OUTBOX_OUTCOME_LISTENERS", ()):
        try:
            import_string(path)(ids)
        except Exception:
            logger.exception("Outcome of e-mails %s not told to %s", ids, path)


def _reset(connection) -> None:
    # Closing a broken session may fail in any way; what matters is to drop it.
    with contextlib.suppress(Exception):
        connection.close()
    connection.connection = None


def _postpone(email: OutboundEmail, now: dt.datetime, result: BatchResult) -> None:
    """The domain had its quota for this minute: try again in a minute, without an attempt."""
    OutboundEmail.objects.filter(pk=email.pk, status=Status.QUEUED).update(next_attempt_at=now + RATE_LIMIT_DELAY)
    result.retry.append(email.pk)
    _retry_in(result, RATE_LIMIT_DELAY)


def _retry_in(result: BatchResult, delay: dt.timedelta) -> None:
    seconds = delay.total_seconds()
    result.retry_in = seconds if result.retry_in is None else min(result.retry_in, seconds)


def _fail(email: OutboundEmail, reason: str, result: BatchResult) -> None:
    OutboundEmail.objects.filter(pk=email.pk, status=Status.SENDING).update(status=Status.FAILED, last_error=reason)
    result.failed.append(email.pk)
    logger.warning("E-mail %s failed: %s", email.pk, reason)


def _record_failure(email: OutboundEmail, exc: Exception, result: BatchResult) -> None:
    reason = _describe(exc)
    # The row was loaded before its claim: read the attempts the claim counted.
    attempts = OutboundEmail.objects.filter(pk=email.pk).values_list("attempts", flat=True).first() or 0
    if _is_permanent(exc):
        _fail(email, reason, result)
        return
    if attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        reason = _("%(attempts)s tentatives sans succès ; dernière erreur : %(reason)s") % {
            "attempts": attempts,
            "reason": reason,
        }
        _fail(email, reason, result)
        return
    delay = backoff(attempts)
    OutboundEmail.objects.filter(pk=email.pk, status=Status.SENDING).update(
        status=Status.QUEUED, last_error=reason, next_attempt_at=timezone.now() + delay
    )
    result.retry.append(email.pk)
    _retry_in(result, delay)
    logger.info("E-mail %s will be retried in %ss: %s", email.pk, delay.total_seconds(), reason)


def sweep() -> list[int]:
    """Give back what a dead worker left in "sending", and ring for every due e-mail.

    Returns the ids rung. Safe on several beat processes at once: sending claims rows.
    """
    now = timezone.now()
    stale = OutboundEmail.objects.filter(
        status=Status.SENDING, claimed_at__lt=now - dt.timedelta(seconds=settings.OUTBOX_STALE_AFTER)
    )
    # A message that kills its worker every time must not be tried for ever.
    given_up = list(stale.filter(attempts__gte=settings.OUTBOX_MAX_ATTEMPTS).values_list("pk", flat=True))
    OutboundEmail.objects.filter(pk__in=given_up, status=Status.SENDING).update(
        status=Status.FAILED,
        last_error=_("Envoi interrompu %(attempts)s fois (le processus d'envoi s'est arrêté).")
        % {"attempts": settings.OUTBOX_MAX_ATTEMPTS},
    )
    outcome_tell(given_up)
    stale.update(status=Status.QUEUED, next_attempt_at=now)
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
    cancelled = bool(OutboundEmail.objects.filter(pk=email.pk, status=Status.QUEUED).update(status=Status.CANCELLED))
    if cancelled:
        outcome_tell([email.pk])
    return cancelled
