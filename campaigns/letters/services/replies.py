"""Replies received to a letter: the one rule the API and the admin record them by."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from campaigns.advocacy.models import Action
from campaigns.advocacy.services import action_update
from campaigns.collectives.access import require_member
from campaigns.letters.models import Letter

# Letters that left (sent or posted), and those answered already (a reply corrected).
ANSWERABLE = (Letter.Status.SENT, Letter.Status.POSTED, Letter.Status.ANSWERED)

# The "courrier" action's outcome once the official replied.
ACTION_OUTCOMES = {
    Letter.ReplyOutcome.POSITIVE: Action.Outcome.SUCCESS,
    Letter.ReplyOutcome.PARTIAL: Action.Outcome.PARTIAL,
    Letter.ReplyOutcome.NEGATIVE: Action.Outcome.FAILURE,
}


@transaction.atomic
def letter_reply(*, letter: Letter, date: dt.date, summary: str, outcome: str = "", file=None, by=None) -> Letter:
    """Record the official's reply, by ``by`` (None: the system); it marks the letter
    answered, which stops its reminders, and its "courrier" action follows through the
    actions' own service (a reply without a stance is a partial success: the official
    answered). A letter that never left (draft, to post, failed) has no reply."""
    if by is not None:
        require_member(by, letter.interpellation.collective, field="status")
    if date > timezone.localdate():
        raise ValidationError({"date": [_("La date de la réponse ne peut pas être dans le futur.")]})
    # Read again under lock: ``letter`` may be a copy older than its posting or its sending.
    status, action_id = Letter.objects.select_for_update().filter(pk=letter.pk).values_list(
        "status", "action_id"
    ).first() or (None, None)
    if status not in ANSWERABLE:
        raise ValidationError(
            {"status": [_("Ce courrier n'est pas parti : aucune réponse ne peut y être enregistrée.")]}
        )
    letter.reply_date, letter.reply_summary, letter.reply_outcome = date, summary, outcome
    if file is not None:
        letter.reply_file.save(file.name, file, save=False)
    letter.status, letter.action_id = Letter.Status.ANSWERED, action_id
    letter.save(update_fields=["reply_date", "reply_summary", "reply_outcome", "reply_file", "status"])
    if action_id:
        note = _("Réponse reçue le %(date)s : %(summary)s") % {
            "date": formats.date_format(date, "SHORT_DATE_FORMAT"),
            "summary": summary,
        }
        action_update(
            action=Action.objects.select_for_update().get(pk=action_id),
            by=by,
            outcome=ACTION_OUTCOMES.get(outcome, Action.Outcome.PARTIAL),
            outcome_note=note,
        )
    return letter
