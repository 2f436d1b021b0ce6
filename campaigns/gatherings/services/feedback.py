"""The feedback survey: its questions, the links sent to participants, and the answers.

A link's token is shown once, in the e-mail the outbox sends; the database keeps only its
SHA-256 digest. An answer claims its link with a conditional update (answered_at still
empty), in the transaction that writes the answer: a link answers once, even when two
requests race, and an answer refused leaves the link unused."""

from __future__ import annotations

import hashlib
import re
import secrets

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.gatherings.models import Event, FeedbackAnswer, FeedbackLink, FeedbackSurvey, FeedbackWord
from campaigns.gatherings.models.feedback import WORD_MAX_LENGTH, WORDS_MAX_COUNT
from campaigns.gatherings.services.events import organiser_check, organiser_delete_check
from core.writes import author
from tasks.outbox.services import RecipientRefused, email_queue

_SPACES = re.compile(r"\s+")
LINKS_MAX_PER_SENDING = 500  # as many as the participants of a large gathering


class LinkAlreadyUsed(Exception):
    """The link has answered already (409)."""


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_of_token(token: str) -> FeedbackLink | None:
    return FeedbackLink.objects.select_related("survey__event").filter(token_digest=token_digest(token)).first()


@transaction.atomic
def survey_set(*, event: Event, by, **fields) -> FeedbackSurvey:
    """Create the event's survey, or change its questions, by ``by`` (None: the system), an
    organiser."""
    organiser_check(event=event, by=by)
    survey = FeedbackSurvey.objects.filter(event=event).first() or FeedbackSurvey(event=event)
    for name, value in fields.items():
        setattr(survey, name, value)
    survey.full_clean(exclude=["event"], validate_unique=False)
    if survey.pk and survey.answers.filter(score__gt=survey.scale_max).exists():
        raise ValidationError({"scale_max": [_("Des réponses ont déjà une note plus haute que cette note maximale.")]})
    survey.save()
    return survey


@transaction.atomic
def survey_delete(*, event: Event, by) -> None:
    """Remove the event's survey with its links and answers: its coordinators only."""
    organiser_delete_check(event=event, by=by)
    FeedbackSurvey.objects.filter(event=event).delete()


def answer_url(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('feedback-answer', kwargs={'token': token})}"


@transaction.atomic
def feedback_links_send(*, event: Event, emails: list[str], by) -> tuple[list[FeedbackLink], list[str]]:
    """A link per new address, each e-mailed through the outbox in this transaction; the
    addresses that already have a link are returned apart (nobody gets a second one). Sent
    by ``by`` (None: the system), an organiser."""
    organiser_check(event=event, by=by)
    survey = FeedbackSurvey.objects.filter(event=event).first()
    if survey is None:
        raise ValidationError({"emails": [_("Cette rencontre n'a pas encore de questionnaire : créez-le d'abord.")]})
    wanted = list(dict.fromkeys(email.strip().lower() for email in emails if email.strip()))
    known = set(survey.links.filter(email__in=wanted).values_list("email", flat=True))
    created = []
    for email in wanted:
        if email in known:
            continue
        token = secrets.token_urlsafe(32)
        link = FeedbackLink.objects.create(
            survey=survey, email=email, token_digest=token_digest(token), created_by=author(by)
        )
        context = {"event": event, "survey": survey, "url": answer_url(token)}
        try:
            link.outbound_email = email_queue(
                to=[email],
                subject=_("Votre avis sur « %(title)s »") % {"title": event.title},
                body_text=render_to_string("campaigns/email/feedback_link.txt", context),
                idempotency_key=f"feedback-link:{link.pk}",
                cause=event,
            )
        except RecipientRefused as exc:
            # The whole sending stops (nothing is written): the organiser removes the address.
            raise ValidationError({"emails": [str(exc)]}) from exc
        link.save(update_fields=["outbound_email"])
        created.append(link)
    return created, sorted(known)


def feedback_words(words: list[str]) -> list[str]:
    """The words as counted: trimmed, lower case, spaces collapsed, each once."""
    cleaned = [_SPACES.sub(" ", word).strip().lower() for word in words]
    cleaned = list(dict.fromkeys(word for word in cleaned if word))
    if len(cleaned) > WORDS_MAX_COUNT:
        raise ValidationError({"words": [_("%(max)s mots au plus.") % {"max": WORDS_MAX_COUNT}]})
    too_long = [word for word in cleaned if len(word) > WORD_MAX_LENGTH]
    if too_long:
        raise ValidationError(
            {"words": [_("« %(word)s » dépasse %(max)s caractères.") % {"word": too_long[0], "max": WORD_MAX_LENGTH}]}
        )
    return cleaned


@transaction.atomic
def feedback_record(*, survey: FeedbackSurvey, score: int, words: list[str] = (), comment: str = "") -> FeedbackAnswer:
    """Write an answer to ``survey`` (a link's, or one collected on paper at the event)."""
    if not 1 <= score <= survey.scale_max:
        raise ValidationError({"score": [_("La note va de 1 à %(max)s.") % {"max": survey.scale_max}]})
    words = feedback_words(list(words))
    answer = FeedbackAnswer(survey=survey, score=score, comment=comment.strip())
    answer.full_clean(exclude=["survey"])
    answer.save()
    FeedbackWord.objects.bulk_create(FeedbackWord(answer=answer, word=word) for word in words)
    return answer


@transaction.atomic
def feedback_answer(*, link: FeedbackLink, score: int, words: list[str] = (), comment: str = "") -> FeedbackAnswer:
    """Record a participant's answer through their link, once."""
    survey = link.survey
    if survey.closes_on is not None and timezone.localdate() > survey.closes_on:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _("Ce questionnaire est clos depuis le %(date)s.") % {"date": survey.closes_on.strftime("%d/%m/%Y")}
                ]
            }
        )
    answer = feedback_record(survey=survey, score=score, words=words, comment=comment)
    # Claimed after the answer is checked and written, in the same transaction: a refused
    # answer leaves the link unused, and of two racing answers the second rolls back here.
    claimed = FeedbackLink.objects.filter(pk=link.pk, answered_at__isnull=True).update(answered_at=timezone.now())
    if not claimed:
        raise LinkAlreadyUsed(_("Ce lien a déjà servi : une seule réponse par lien."))
    return answer
