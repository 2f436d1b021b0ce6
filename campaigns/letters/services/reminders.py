"""Reminders ("relances") of letters left unanswered, each (letter, number) at most once."""

from __future__ import annotations

import datetime as dt
from html import unescape

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.collectives.models import Collective
from campaigns.letters.models import Letter, LetterReminder, rendered_subject
from campaigns.letters.services.delivery import emails_per_official_per_day, emails_today, html_to_text
from campaigns.letters.services.merge_fields import batch_load, letter_context
from campaigns.letters.services.rendering import LETTER_CSS, letter_html
from officials.models import Mandate
from tasks.outbox import services as outbox
from tasks.pdf import html_sections_to_pdfs


def reminders_due(*, now: dt.datetime | None = None) -> list[Letter]:
    """Letters sent and unanswered, whose last sending is older than their interpellation's
    delay, with reminders left, to officials still in office."""
    now = now or timezone.now()
    in_office = Mandate.objects.current().filter(official=OuterRef("official_id"))
    candidates = (
        Letter.objects.filter(
            status=Letter.Status.SENT,
            interpellation__remind_after_days__isnull=False,
            reminders_sent__lt=F("interpellation__max_reminders"),
        )
        .filter(Exists(in_office))
        .select_related("interpellation")
        .order_by("pk")
    )
    return [letter for letter in candidates.iterator(chunk_size=500) if _is_due(letter, now)]


def _is_due(letter: Letter, now: dt.datetime) -> bool:
    last = letter.last_reminder_at or letter.sent_at
    delay = letter.interpellation.remind_after_days
    return bool(last and delay is not None and last + dt.timedelta(days=delay) <= now)


def reminder_send(*, letter_id: int, now: dt.datetime | None = None) -> LetterReminder | None:
    """Send the next reminder of a letter, once: the (letter, number) row is the lock, so
    two runs at once make one reminder. None when nothing was due any more."""
    now = now or timezone.now()
    with transaction.atomic():
        letter = (
            # Lock the letter only: PostgreSQL refuses FOR UPDATE on the nullable side of the
            # outer join to the reminder template.
            Letter.objects.select_for_update(of=("self",))
            .select_related(
                "interpellation__collective", "interpellation__template", "interpellation__reminder_template"
            )
            .filter(pk=letter_id, status=Letter.Status.SENT)
            .first()
        )
        # Due again under the lock: a run that listed the letter as due before another run
        # sent its reminder must not send the next number at once.
        if letter is None or letter.reminders_sent >= letter.interpellation.max_reminders or not _is_due(letter, now):
            return None
        number = letter.reminders_sent + 1
        channel = letter.channel
        # The address the letter went to: the official's, or the town hall's at their attention.
        address = letter.recipient_email or letter.official.email
        if channel == Letter.Channel.EMAIL and (not address or outbox.refused_recipients([address])):
            channel = Letter.Channel.PAPER
        if channel == Letter.Channel.EMAIL:
            # The reminder's letter is locked; the collective too, as at delivery, for the daily limit.
            list(
                Collective.objects.select_for_update().filter(pk=letter.interpellation.collective_id).values_list("pk")
            )
            sent_today = emails_today(
                collective_id=letter.interpellation.collective_id, official_ids=[letter.official_id], now=now
            )
            if sent_today[letter.official_id] >= emails_per_official_per_day():
                channel = Letter.Channel.PAPER
        try:
            with transaction.atomic():
                reminder = LetterReminder.objects.create(letter=letter, number=number, channel=channel)
        except IntegrityError:
            return None
        interpellation = letter.interpellation
        template = interpellation.reminder_template or interpellation.template
        batch = batch_load([letter.pk])
        subject, section = letter_html(
            template,
            letter_context(letter, batch, today=timezone.localdate(now)),
            subject="" if interpellation.reminder_template else interpellation.subject,
            reminder_number=number,
        )
        reminder.subject = rendered_subject(unescape(subject))
        (pdf,), _pages = html_sections_to_pdfs([section], head=LETTER_CSS)
        reminder.pdf.save(f"relance-{letter.pk}-{number}.pdf", ContentFile(pdf), save=False)
        if channel == Letter.Channel.EMAIL:
            collective = interpellation.collective
            reminder.email = outbox.email_queue(
                to=[address],
                reply_to=[collective.contact_email] if collective.contact_email else [],
                # A reminder template has its own subject; the letter's own is marked as a reminder.
                subject=unescape(subject)
                if interpellation.reminder_template
                else _("Relance : %(subject)s") % {"subject": unescape(subject)},
                body_text=html_to_text(section),
                idempotency_key=f"reminder:{interpellation.pk}:{letter.pk}:{number}",
                attachments=[outbox.Attachment(f"relance-{letter.pk}-{number}.pdf", pdf, "application/pdf")],
                cause=letter,
            )
        reminder.save()
        Letter.objects.filter(pk=letter.pk).update(reminders_sent=number, last_reminder_at=now)
        return reminder


def reminders_send(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    return sum(1 for letter in reminders_due(now=now) if reminder_send(letter_id=letter.pk, now=now))
