"""Reminders ("relances") of letters left unanswered, each (letter, number) at most once.

Claim, then work: the (letter, number) row is claimed in a short transaction, the reminder
is rendered outside any transaction (WeasyPrint takes a while, and no lock waits on it),
then saved and queued in another short one. A reminder claimed by a process that died
before saving it is rendered again by the next run."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from html import unescape

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from campaigns.collectives.access import collective_recipients
from campaigns.collectives.models import Collective
from campaigns.letters.models import Letter, LetterReminder, rendered_subject
from campaigns.letters.services.delivery import email_parts, emails_per_official_per_day, emails_today
from campaigns.letters.services.downloads import interpellation_reminders_bundle
from campaigns.letters.services.merge_fields import batch_load, letter_context
from campaigns.letters.services.rendering import LETTER_CSS, letter_html
from officials.models import Mandate
from tasks.outbox import services as outbox
from tasks.pdf import html_sections_to_pdfs

logger = logging.getLogger(__name__)
Status = Letter.Status
# Reminders that have not left yet: the next one waits for them.
PENDING = (Status.DRAFT, Status.TO_POST, Status.SENDING)


def reminders_due(*, now: dt.datetime | None = None) -> list[Letter]:
    """Letters sent or posted and unanswered, whose last departure (the letter's, or its
    last reminder's) is older than their interpellation's delay, with reminders left and
    none waiting to leave, to officials still in office."""
    now = now or timezone.now()
    in_office = Mandate.objects.current().filter(official=OuterRef("official_id"))
    waiting = LetterReminder.objects.filter(letter=OuterRef("pk"), status__in=PENDING)
    candidates = (
        Letter.objects.filter(
            status__in=[Status.SENT, Status.POSTED],
            interpellation__remind_after_days__isnull=False,
            reminders_sent__lt=F("interpellation__max_reminders"),
        )
        .filter(Exists(in_office), ~Exists(waiting))
        .select_related("interpellation")
        .order_by("pk")
    )
    return [letter for letter in candidates.iterator(chunk_size=500) if _is_due(letter, now)]


def _is_due(letter: Letter, now: dt.datetime) -> bool:
    last = letter.last_reminder_at if letter.reminders_sent else letter.sent_at
    delay = letter.interpellation.remind_after_days
    return bool(last and delay is not None and last + dt.timedelta(days=delay) <= now)


def _claim(letter_id: int, now: dt.datetime) -> LetterReminder | None:
    """The next reminder's row, claimed in a short transaction; None when nothing is due
    any more (another run claimed it, a reply came, the maximum is reached)."""
    with transaction.atomic():
        letter = (
            # Lock the letter only: PostgreSQL refuses FOR UPDATE on the nullable side of the
            # outer join to the reminder template.
            Letter.objects.select_for_update(of=("self",))
            .select_related("interpellation", "official")
            .filter(pk=letter_id, status__in=[Status.SENT, Status.POSTED])
            .first()
        )
        # Due again under the lock: a run that listed the letter as due before another run
        # claimed its reminder must not claim the next number at once.
        if (
            letter is None
            or letter.reminders_sent >= letter.interpellation.max_reminders
            or not _is_due(letter, now)
            or letter.reminders.filter(status__in=PENDING).exists()
        ):
            return None
        number = letter.reminders_sent + 1
        channel = _channel(letter, now)
        try:
            with transaction.atomic():
                reminder = LetterReminder.objects.create(letter=letter, number=number, channel=channel, claimed_at=now)
        except IntegrityError:
            return None
        # An e-mail leaves within minutes: the next delay counts from now. A paper reminder
        # counts from its posting (departures.reminder_post).
        changes = {"reminders_sent": number}
        if channel == Letter.Channel.EMAIL:
            changes["last_reminder_at"] = now
        Letter.objects.filter(pk=letter.pk).update(**changes)
        return reminder


def _channel(letter: Letter, now: dt.datetime) -> str:
    """The letter's channel, or paper when e-mail is no longer possible or over the day's limit."""
    # The address the letter went to: the official's, or the town hall's at their attention.
    address = letter.recipient_email or letter.official.email
    if letter.channel != Letter.Channel.EMAIL or not address or outbox.refused_recipients([address]):
        return Letter.Channel.PAPER
    # The collective is locked, as at delivery, for the daily limit.
    list(Collective.objects.select_for_update().filter(pk=letter.interpellation.collective_id).values_list("pk"))
    sent_today = emails_today(
        collective_id=letter.interpellation.collective_id, official_ids=[letter.official_id], now=now
    )
    if sent_today[letter.official_id] >= emails_per_official_per_day():
        return Letter.Channel.PAPER
    return Letter.Channel.EMAIL


def _render(reminder: LetterReminder, now: dt.datetime) -> tuple[str, str, bytes]:
    """(subject, HTML section, PDF) of a claimed reminder; no transaction, no lock."""
    batch = batch_load([reminder.letter_id])
    (letter,) = batch.letters
    interpellation = letter.interpellation
    template = interpellation.reminder_template or interpellation.template
    subject, section = letter_html(
        template,
        letter_context(letter, batch, today=timezone.localdate(now)),
        subject="" if interpellation.reminder_template else interpellation.subject,
        reminder_number=reminder.number,
    )
    (pdf,), _pages = html_sections_to_pdfs([section], head=LETTER_CSS)
    return unescape(subject), section, pdf


def _save(reminder: LetterReminder, subject: str, section: str, pdf: bytes) -> LetterReminder | None:
    """Store the rendered reminder and queue its e-mail, in a short transaction; None when
    another run saved it first."""
    with transaction.atomic():
        claimed = LetterReminder.objects.select_for_update().filter(pk=reminder.pk, status=Status.DRAFT).first()
        if claimed is None or claimed.claimed_at != reminder.claimed_at:
            return None
        letter = Letter.objects.select_related("official", "interpellation__collective").get(pk=reminder.letter_id)
        reminder.pdf.save(f"relance-{letter.pk}-{reminder.number}.pdf", ContentFile(pdf), save=False)
        reminder.status = Status.TO_POST
        reminder.subject = rendered_subject(subject)
        if reminder.channel == Letter.Channel.EMAIL:
            collective = letter.interpellation.collective
            # A reminder template has its own subject; the letter's own is marked as a reminder.
            if not letter.interpellation.reminder_template_id:
                subject = _("Relance : %(subject)s") % {"subject": subject}
            subject, text, html = email_parts(letter, subject, section)
            reminder.email = outbox.email_queue(
                to=[letter.recipient_email or letter.official.email],
                reply_to=[collective.contact_email] if collective.contact_email else [],
                subject=subject,
                body_text=text,
                body_html=html,
                idempotency_key=f"reminder:{letter.interpellation_id}:{letter.pk}:{reminder.number}",
                attachments=[outbox.Attachment(f"relance-{letter.pk}-{reminder.number}.pdf", pdf, "application/pdf")],
                cause=letter,
            )
            reminder.status = Status.SENDING
        reminder.save(update_fields=["pdf", "subject", "status", "email"])
        return reminder


def _work(reminder: LetterReminder, now: dt.datetime) -> LetterReminder | None:
    try:
        subject, section, pdf = _render(reminder, now)
    except Exception as exc:
        error = _("La relance n'a pas pu être produite : %(error)s") % {"error": f"{type(exc).__name__}: {exc}"[:500]}
        LetterReminder.objects.filter(pk=reminder.pk, status=Status.DRAFT, claimed_at=reminder.claimed_at).update(
            status=Status.FAILED, error=error
        )
        logger.exception("Reminder %s of letter %s not rendered", reminder.number, reminder.letter_id)
        return None
    return _save(reminder, subject, section, pdf)


def reminder_send(*, letter_id: int, now: dt.datetime | None = None) -> LetterReminder | None:
    """Make the next reminder of a letter, once: claim its (letter, number) row, render it
    outside any transaction, then save it and queue its e-mail. None when nothing was due."""
    now = now or timezone.now()
    reminder = _claim(letter_id, now)
    return None if reminder is None else _work(reminder, now)


def reminders_resume_stalled(*, now: dt.datetime | None = None) -> int:
    """Render again the reminders claimed LETTERS_JOB_STALE_MINUTES ago and never saved (the
    process that claimed them died). Each is claimed again by a conditional update first."""
    now = now or timezone.now()
    stale = now - dt.timedelta(minutes=settings.LETTERS_JOB_STALE_MINUTES)
    done = 0
    for reminder in LetterReminder.objects.filter(status=Status.DRAFT).filter(
        Q(claimed_at__lt=stale) | Q(claimed_at__isnull=True)
    ):
        if not LetterReminder.objects.filter(
            pk=reminder.pk, status=Status.DRAFT, claimed_at=reminder.claimed_at
        ).update(claimed_at=now):
            continue  # another run took it
        reminder.claimed_at = now
        done += _work(reminder, now) is not None
    return done


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Make every reminder due, then build the print PDF of the interpellations that have
    new paper reminders and tell their collectives. Returns the number made."""
    now = now or timezone.now()
    made = [reminder_send(letter_id=letter.pk, now=now) for letter in reminders_due(now=now)]
    made = [reminder for reminder in made if reminder is not None]
    paper = [reminder for reminder in made if reminder.status == Status.TO_POST]
    for interpellation_id in sorted({reminder.letter.interpellation_id for reminder in paper}):
        interpellation_reminders_bundle(interpellation_id=interpellation_id)
    paper_reminders_notify(reminders=paper, today=timezone.localdate(now))
    return len(made)


def paper_reminders_notify(*, reminders: list[LetterReminder], today: dt.date) -> int:
    """Tell each collective, by one e-mail to its contact and coordinators, that paper
    reminders wait to be printed and posted (once a day per collective). Returns the
    number of e-mails queued."""
    by_collective = defaultdict(list)
    for reminder in reminders:
        by_collective[reminder.letter.interpellation.collective].append(reminder)
    queued = 0
    for collective, rows in by_collective.items():
        recipients = collective_recipients(collective, purpose="Paper reminders notice")
        if not recipients:
            continue
        interpellations = sorted({reminder.letter.interpellation for reminder in rows}, key=lambda i: i.pk)
        context = {
            "collective": collective,
            "count": len(rows),
            "interpellations": interpellations,
            "site_url": settings.SITE_URL,
        }
        with transaction.atomic():
            outbox.email_queue(
                to=recipients,
                subject=ngettext(
                    "%(count)s relance papier à poster",
                    "%(count)s relances papier à poster",
                    len(rows),
                )
                % {"count": len(rows)},
                body_text=render_to_string("campaigns/email/paper_reminders.txt", context),
                idempotency_key=f"paper-reminders:{collective.pk}:{today.isoformat()}",
                cause=collective,
            )
        queued += 1
    return queued
