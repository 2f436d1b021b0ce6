"""Delivery of rendered letters: by e-mail through the outbox (within the daily limit per
official) or on paper, and the "courrier" actions they log."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from html import unescape

from django.conf import settings
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from campaigns.advocacy.models import Action, Campaign
from campaigns.collectives.models import Collective
from campaigns.letters.models import Interpellation, Letter, LetterReminder
from campaigns.letters.services.addressing import Addressing, attention_line, letter_addressing
from tasks.outbox import services as outbox


def emails_per_official_per_day() -> int:
    return int(getattr(settings, "LETTERS_EMAILS_PER_OFFICIAL_PER_DAY", 2))


def emails_today(*, collective_id: int, official_ids, now: dt.datetime | None = None) -> dict[int, int]:
    """{official id: e-mails (letters and reminders) the collective queued for them since midnight}."""
    local = timezone.localtime(now or timezone.now())
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    counts = defaultdict(int)
    letters = Letter.objects.filter(
        interpellation__collective_id=collective_id,
        official_id__in=list(official_ids),
        channel=Letter.Channel.EMAIL,
        rendered_at__gte=midnight,
    )
    reminders = LetterReminder.objects.filter(
        letter__interpellation__collective_id=collective_id,
        letter__official_id__in=list(official_ids),
        channel=Letter.Channel.EMAIL,
        created_at__gte=midnight,
    )
    for official_id, count in (
        letters.values("official_id").annotate(count=Count("pk")).values_list("official_id", "count")
    ):
        counts[official_id] += count
    for official_id, count in (
        reminders.values("letter__official_id").annotate(count=Count("pk")).values_list("letter__official_id", "count")
    ):
        counts[official_id] += count
    return counts


def _over_limit_note(limit: int) -> str:
    return ngettext(
        "limite de %(limit)s courriel par jour du collectif à cet·te élu·e atteinte",
        "limite de %(limit)s courriels par jour du collectif à cet·te élu·e atteinte",
        limit,
    ) % {"limit": limit}


def letters_deliver(rendered: list[tuple[Letter, bytes]]) -> None:
    """Hand rendered letters over, each with its PDF: to the outbox (PDF attached, the
    collective as reply-to) when asked and possible, "à poster" otherwise. Nothing is sent
    yet: a letter is "envoyé" when the SMTP server accepts it, "posté" when a person says so.
    Saves the letters (with their rendering) in one query."""
    now = timezone.now()
    allowance = _email_allowance(rendered, now)
    for letter, pdf in rendered:
        _deliver(letter, pdf, allowance)
        letter.status = Letter.Status.SENDING if letter.channel == Letter.Channel.EMAIL else Letter.Status.TO_POST
        letter.rendered_at = now
    Letter.objects.bulk_update(
        [letter for letter, _pdf in rendered],
        [
            "subject",
            "html",
            "pdf",
            "pages",
            "status",
            "channel",
            "channel_reason",
            "channel_note",
            "recipient_email",
            "rendered_at",
            "email",
        ],
    )


def _email_allowance(rendered: list[tuple[Letter, bytes]], now: dt.datetime) -> dict[tuple[int, int], int]:
    """{(collective id, official id): e-mails left today} for the letters to e-mail. Called in
    the delivery's transaction, with the collectives locked, so that two workers delivering
    for one collective at once count each other's e-mails."""
    wanted = defaultdict(set)
    for letter, _pdf in rendered:
        if letter.interpellation.delivery == Interpellation.Delivery.EMAIL:
            wanted[letter.interpellation.collective_id].add(letter.official_id)
    if not wanted:
        return {}
    list(Collective.objects.select_for_update().filter(pk__in=list(wanted)).order_by("pk").values_list("pk"))
    limit = emails_per_official_per_day()
    allowance = {}
    for collective_id, official_ids in wanted.items():
        counts = emails_today(collective_id=collective_id, official_ids=official_ids, now=now)
        for official_id in official_ids:
            allowance[(collective_id, official_id)] = limit - counts[official_id]
    return allowance


def _deliver(letter: Letter, pdf: bytes, allowance: dict[tuple[int, int], int]) -> None:
    interpellation = letter.interpellation
    collective = interpellation.collective
    choice = letter_addressing(letter)
    key = (collective.pk, letter.official_id)
    if choice.by_email and allowance.get(key, 0) <= 0:
        # Over the day's limit, the letter is still sent, on paper: the reason says why.
        note = _over_limit_note(emails_per_official_per_day())
        choice = Addressing(Letter.Channel.PAPER, Letter.ChannelReason.DAILY_LIMIT, note=note)
    if choice.by_email:
        allowance[key] -= 1
        letter.channel_reason = choice.reason
        subject, text, html = email_parts(letter, letter.subject or str(interpellation), letter.html)
        letter.email = outbox.email_queue(
            to=[choice.address],
            reply_to=[collective.contact_email] if collective.contact_email else [],
            subject=subject,
            body_text=text,
            body_html=html,
            idempotency_key=f"letter:{letter.pk}",
            attachments=[outbox.Attachment(f"courrier-{letter.pk}.pdf", pdf, "application/pdf")],
            cause=letter,
        )
    letter.channel, letter.channel_reason, letter.channel_note = choice.channel, choice.reason, choice.note
    letter.recipient_email = choice.address


def email_parts(letter: Letter, subject: str, section: str) -> tuple[str, str, str]:
    """(subject, text, HTML) of an e-mail carrying a letter's section (the letter or one of its
    reminders): to the town hall, both parts open on the line "à l'attention de" the official
    and the subject says it too."""
    attention = ""
    if letter.channel_reason == Letter.ChannelReason.TOWN_HALL_EMAIL:
        attention = attention_line(letter)
        subject = f"{subject} ({attention[:1].lower()}{attention[1:]})"
    text = html_to_text(section)
    return subject, f"{attention}\n\n{text}" if attention else text, email_html(section, attention)


def html_to_text(html: str) -> str:
    """The plain-text part of a letter e-mail: its section without tags, each block on its
    own lines and a blank line between paragraphs and blocks, as on the printed page."""
    blocks = []
    for block in _BLOCK_END.split(html):
        text = unescape(strip_tags(block))
        lines = [line.strip() for line in text.splitlines()]
        # A blank line inside a block (between paragraphs of the body) stays one blank line.
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
        if text.strip():
            blocks.append(text)
    return "\n\n".join(blocks) + "\n"


# The end of a paragraph or of a block of the letter's section (letter_section.html).
_BLOCK_END = re.compile(r"</p>|</div>|<br\s*/?>")


def email_html(section: str, attention: str = "") -> str:
    """The HTML part of a letter e-mail: the letter's section, styled inline (mail readers
    drop style sheets and links to them), as it reads on paper; the line "à l'attention de"
    first when it goes to the town hall."""
    return render_to_string("campaigns/letter_email.html", {"section": mark_safe(section), "attention": attention})


def letters_log_actions(letters: list[Letter]) -> None:
    """Log a "courrier" action for each letter that left (e-mail accepted or posted), on
    the day it left, and link it to the letter: the action then follows the letter."""
    actions = Action.objects.bulk_create(
        [
            Action(
                collective=letter.interpellation.collective,
                campaign=letter.interpellation.campaign,
                kind=Action.Kind.LETTER,
                date=timezone.localdate(letter.sent_at),
                title=(
                    _("Courrier à %(name)s : %(subject)s")
                    % {"name": letter.official, "subject": letter.subject or letter.interpellation}
                )[:200],
                municipality=letter.municipality,
                is_public=False,
                created_by=letter.interpellation.created_by,
            )
            for letter in letters
        ]
    )
    for letter, action in zip(letters, actions, strict=True):
        letter.action = action
    Letter.objects.bulk_update(letters, ["action"])
    Action.officials.through.objects.bulk_create(
        [
            Action.officials.through(action_id=action.pk, official_id=letter.official_id)
            for action, letter in zip(actions, letters, strict=True)
        ]
    )
    campaigns = {letter.interpellation.campaign_id for letter in letters} - {None}
    measures = defaultdict(list)
    for campaign_id, measure_id in Campaign.measures.through.objects.filter(campaign__in=campaigns).values_list(
        "campaign_id", "measure_id"
    ):
        measures[campaign_id].append(measure_id)
    Action.measures.through.objects.bulk_create(
        [
            Action.measures.through(action_id=action.pk, measure_id=measure_id)
            for action, letter in zip(actions, letters, strict=True)
            for measure_id in measures[letter.interpellation.campaign_id]
        ]
    )
