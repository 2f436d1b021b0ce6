"""When letters and reminders leave: an e-mail when the outbox's SMTP server accepted it
(the outbox tells), a paper letter when a person says it was posted, on the date they give.
Reminders, reply rates and "courrier" actions count from then, never from the rendering."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from campaigns.collectives.access import require_member
from campaigns.letters.models import Interpellation, Letter, LetterReminder
from campaigns.letters.services.delivery import letters_log_actions
from tasks.outbox.models import OutboundEmail

Status = Letter.Status
FINAL = (OutboundEmail.Status.SENT, OutboundEmail.Status.FAILED, OutboundEmail.Status.CANCELLED)


def _departure(day: dt.date) -> dt.datetime:
    """The moment a letter posted on ``day`` left: noon, so that the local date never shifts."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def _date_check(day: dt.date) -> None:
    if day > timezone.localdate():
        raise ValidationError({"date": [_("La date de dépôt ne peut pas être dans le futur.")]})


def _refusal(letter: Letter, day: dt.date) -> str:
    """Why ``letter`` cannot be marked posted on ``day`` ("" when it can)."""
    name = {"name": letter.official}
    if letter.channel != Letter.Channel.PAPER:
        return _("Le courrier à %(name)s part par courriel : ce n'est pas un courrier papier.") % name
    if letter.status in (Status.POSTED, Status.ANSWERED) and letter.posted_on:
        return _("Le courrier à %(name)s est déjà posté (le %(date)s).") % {
            **name,
            "date": formats.date_format(letter.posted_on, "SHORT_DATE_FORMAT"),
        }
    if letter.status != Status.TO_POST:
        return _("Le courrier à %(name)s n'est pas à poster (état : %(status)s).") % {
            **name,
            "status": letter.get_status_display(),
        }
    if letter.rendered_at and day < timezone.localdate(letter.rendered_at):
        return _("Le courrier à %(name)s a été préparé le %(rendered)s : il ne peut pas avoir été posté avant.") % {
            **name,
            "rendered": formats.date_format(timezone.localdate(letter.rendered_at), "SHORT_DATE_FORMAT"),
        }
    return ""


def _members_check(by, collectives, field: str) -> None:
    """``by`` (None: the system) is a member of each collective whose letters it marks."""
    if by is None:
        return
    for collective in {collective.pk: collective for collective in collectives}.values():
        require_member(by, collective, field=field)


@transaction.atomic
def letters_post(*, letters: Iterable[Letter], date: dt.date, by=None, field: str = "letters") -> list[Letter]:
    """Mark paper letters posted on ``date`` by ``by`` (None: the system): all of them, or
    none with every reason (under ``field``). Each gets its "courrier" action, dated that day."""
    _date_check(date)
    locked = list(
        Letter.objects.select_for_update(of=("self",))
        .filter(pk__in=[letter.pk for letter in letters])
        .select_related("official", "municipality", "interpellation__collective", "interpellation__campaign")
        .order_by("pk")
    )
    _members_check(by, [letter.interpellation.collective for letter in locked], field)
    problems = [problem for letter in locked if (problem := _refusal(letter, date))]
    if problems:
        raise ValidationError({field: problems})
    for letter in locked:
        letter.status, letter.posted_on, letter.sent_at = Status.POSTED, date, _departure(date)
    Letter.objects.bulk_update(locked, ["status", "posted_on", "sent_at"])
    letters_log_actions(locked)
    return locked


def letter_post(*, letter: Letter, date: dt.date, by=None) -> Letter:
    """Mark one paper letter posted on ``date``."""
    (posted,) = letters_post(letters=[letter], date=date, by=by, field="status")
    return posted


def interpellation_post(*, interpellation: Interpellation, date: dt.date, letter_ids: list[int] | None = None, by=None):
    """Mark posted on ``date`` the given letters of the interpellation, or all its letters
    still to post."""
    if letter_ids is None:
        letters = list(interpellation.letters.filter(status=Status.TO_POST))
        if not letters:
            raise ValidationError({"letters": [_("Aucun courrier de cette interpellation n'est à poster.")]})
    else:
        letters = list(interpellation.letters.filter(pk__in=letter_ids))
        foreign = sorted(set(letter_ids) - {letter.pk for letter in letters})
        if foreign:
            raise ValidationError(
                {
                    "letters": [
                        _("Ces courriers n'appartiennent pas à cette interpellation : %(ids)s.")
                        % {"ids": ", ".join(map(str, foreign))}
                    ]
                }
            )
    return letters_post(letters=letters, date=date, by=by)


@transaction.atomic
def reminder_post(*, reminder: LetterReminder, date: dt.date, by=None) -> LetterReminder:
    """Mark a paper reminder posted on ``date`` by ``by`` (None: the system): the next one
    counts from then."""
    _date_check(date)
    reminder = LetterReminder.objects.select_for_update().get(pk=reminder.pk)
    _members_check(by, [Interpellation.objects.get(letters=reminder.letter_id).collective], "status")
    number = {"number": reminder.number}
    if reminder.channel != Letter.Channel.PAPER:
        raise ValidationError({"status": [_("La relance n°%(number)s part par courriel.") % number]})
    if reminder.status == Status.POSTED:
        raise ValidationError({"status": [_("La relance n°%(number)s est déjà postée.") % number]})
    if reminder.status != Status.TO_POST:
        raise ValidationError(
            {
                "status": [
                    _("La relance n°%(number)s n'est pas à poster (état : %(status)s).")
                    % {**number, "status": reminder.get_status_display()}
                ]
            }
        )
    if date < timezone.localdate(reminder.created_at):
        raise ValidationError({"date": [_("La relance a été préparée après cette date.")]})
    reminder.status, reminder.posted_on, reminder.sent_at = Status.POSTED, date, _departure(date)
    reminder.save(update_fields=["status", "posted_on", "sent_at"])
    Letter.objects.filter(pk=reminder.letter_id).update(last_reminder_at=reminder.sent_at)
    return reminder


@transaction.atomic
def paper_post(
    *, letters: Iterable[Letter] = (), reminders: Iterable[LetterReminder] = (), date: dt.date, by=None
) -> tuple[list[Letter], list[LetterReminder]]:
    """Mark a printed batch posted on ``date``: paper letters and reminders together, all
    of them or none, with every reason (under ``items``)."""
    _date_check(date)
    letters, reminders = list(letters), sorted(reminders, key=lambda reminder: reminder.pk)
    problems, posted_letters, posted_reminders = [], [], []
    if letters:
        try:
            posted_letters = letters_post(letters=letters, date=date, by=by, field="items")
        except ValidationError as exc:
            problems += exc.messages
    for reminder in reminders:
        try:
            posted_reminders.append(reminder_post(reminder=reminder, date=date, by=by))
        except ValidationError as exc:
            problems += [f"{reminder} : {message}" for message in exc.messages]
    if problems:
        # Rolls back what was marked before the first refusal: all or none.
        raise ValidationError({"items": list(dict.fromkeys(problems))})
    return posted_letters, posted_reminders


def emails_outcome(email_ids: list[int]) -> None:
    """The outbox's word on e-mails that reached their end (OUTBOX_OUTCOME_LISTENERS): the
    letters and reminders they carry are sent (when the server accepted them) or failed
    (with its reply). Safe to hear twice: only what is still "en cours d'envoi" changes."""
    if not email_ids:
        return
    emails = {email.pk: email for email in OutboundEmail.objects.filter(pk__in=list(email_ids), status__in=FINAL)}
    with transaction.atomic():
        letters = list(
            Letter.objects.select_for_update(of=("self",))
            .filter(email_id__in=list(emails), status=Status.SENDING)
            .select_related("official", "municipality", "interpellation__collective", "interpellation__campaign")
            .order_by("pk")
        )
        left = []
        for letter in letters:
            email = emails[letter.email_id]
            if email.status == OutboundEmail.Status.SENT:
                letter.status, letter.sent_at = Status.SENT, email.sent_at or timezone.now()
                left.append(letter)
            elif email.status in (OutboundEmail.Status.FAILED, OutboundEmail.Status.CANCELLED):
                letter.status = Status.FAILED
                letter.error = _("Courriel non remis : %(reason)s") % {"reason": email.last_error or email.status}
        Letter.objects.bulk_update(letters, ["status", "sent_at", "error"])
        letters_log_actions(left)
        reminders = list(
            LetterReminder.objects.select_for_update().filter(email_id__in=list(emails), status=Status.SENDING)
        )
        for reminder in reminders:
            email = emails[reminder.email_id]
            if email.status == OutboundEmail.Status.SENT:
                reminder.status, reminder.sent_at = Status.SENT, email.sent_at or timezone.now()
            elif email.status in (OutboundEmail.Status.FAILED, OutboundEmail.Status.CANCELLED):
                reminder.status = Status.FAILED
                reminder.error = _("Courriel non remis : %(reason)s") % {"reason": email.last_error or email.status}
        LetterReminder.objects.bulk_update(reminders, ["status", "sent_at", "error"])


def emails_outcome_catch_up() -> int:
    """Apply the outcome of e-mails whose word was lost (a worker killed between marking an
    e-mail sent and telling the letters). Returns the number of e-mails looked at."""
    final = OutboundEmail.objects.filter(pk=OuterRef("email_id"), status__in=FINAL)
    ids = set(Letter.objects.filter(Exists(final), status=Status.SENDING).values_list("email_id", flat=True)[:5000])
    ids |= set(
        LetterReminder.objects.filter(Exists(final), status=Status.SENDING).values_list("email_id", flat=True)[:5000]
    )
    emails_outcome(sorted(ids))
    return len(ids)
