"""Replies received to a letter: the one rule the API and the admin record them by."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.letters.models import Letter

ANSWERABLE = (Letter.Status.SENT, Letter.Status.ANSWERED)


@transaction.atomic
def letter_reply(*, letter: Letter, date: dt.date, summary: str, outcome: str = "", file=None) -> Letter:
    """Record the official's reply; it marks the letter answered, which stops its reminders.
    A letter never sent (draft, failed) has no reply to record."""
    status = Letter.objects.filter(pk=letter.pk).values_list("status", flat=True).first()
    if status not in ANSWERABLE:
        raise ValidationError(
            {"status": [_("Ce courrier n'a pas été envoyé : aucune réponse ne peut y être enregistrée.")]}
        )
    letter.reply_date, letter.reply_summary, letter.reply_outcome = date, summary, outcome
    if file is not None:
        letter.reply_file.save(file.name, file, save=False)
    letter.status = Letter.Status.ANSWERED
    letter.save()
    return letter
