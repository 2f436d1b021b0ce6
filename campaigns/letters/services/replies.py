"""Replies received to a letter."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from campaigns.letters.models import Letter


@transaction.atomic
def letter_reply(*, letter: Letter, date: dt.date, summary: str, outcome: str = "", file=None) -> Letter:
    letter.reply_date, letter.reply_summary, letter.reply_outcome = date, summary, outcome
    if file is not None:
        letter.reply_file.save(file.name, file, save=False)
    letter.status = Letter.Status.ANSWERED
    letter.save()
    return letter
