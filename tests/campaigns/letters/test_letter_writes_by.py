"""Letters are posted and answered by members of their collective: the letter services take
who acts, and a reply moves the "courrier" action through the actions' own service."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from campaigns.letters.services.departures import letter_post, paper_post
from campaigns.letters.services.replies import letter_reply
from campaigns.models import Action, Letter, LetterReminder
from tests.campaigns.factories import (
    ActionFactory,
    InterpellationFactory,
    LetterFactory,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
    member_of,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def interpellation(collective):
    return InterpellationFactory(collective=collective)


@pytest.fixture
def answerable(interpellation, salon):
    """A letter posted ten days ago, with its "courrier" action."""
    action = ActionFactory(collective=interpellation.collective, municipality=salon)
    return LetterFactory(
        interpellation=interpellation,
        official=in_office(salon).official,
        municipality=salon,
        status=Letter.Status.POSTED,
        posted_on=TODAY - dt.timedelta(days=10),
        action=action,
    )


def test_a_reply_by_someone_outside_the_collective_changes_neither_the_letter_nor_its_action(
    answerable, other_collective
):
    outsider = member_of(other_collective)

    with pytest.raises(ValidationError) as refused:
        letter_reply(letter=answerable, date=TODAY, summary="Réponse", outcome="positive", by=outsider)

    assert refused.value.message_dict == {"status": ["Vous n'êtes pas membre du collectif « Pays Salonais »."]}
    answerable.refresh_from_db()
    assert (answerable.status, answerable.reply_date) == (Letter.Status.POSTED, None)
    assert Action.objects.get(pk=answerable.action_id).outcome == Action.Outcome.PENDING


def test_a_reply_by_a_member_moves_the_action_through_its_service(answerable, collective):
    before = Action.objects.get(pk=answerable.action_id).updated_at

    letter_reply(
        letter=answerable, date=TODAY, summary="Rendez-vous proposé.", outcome="negative", by=member_of(collective)
    )

    action = Action.objects.get(pk=answerable.action_id)
    assert (action.outcome, action.outcome_note) == (
        Action.Outcome.FAILURE,
        f"Réponse reçue le {TODAY:%d/%m/%Y} : Rendez-vous proposé.",
    )
    assert action.updated_at > before
    assert Letter.objects.get(pk=answerable.pk).status == Letter.Status.ANSWERED


def test_posting_by_someone_outside_the_collective_is_refused(interpellation, salon, other_collective):
    letter = LetterFactory(
        interpellation=interpellation,
        official=in_office(salon).official,
        municipality=salon,
        status=Letter.Status.TO_POST,
        sent_at=None,
    )

    with pytest.raises(ValidationError) as refused:
        letter_post(letter=letter, date=TODAY, by=member_of(other_collective))

    assert refused.value.message_dict == {"status": ["Vous n'êtes pas membre du collectif « Pays Salonais »."]}
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.TO_POST


def test_a_printed_batch_is_posted_whole_or_not_at_all(interpellation, salon, collective):
    rendered = timezone.now() - dt.timedelta(days=3)
    to_post = LetterFactory(
        interpellation=interpellation,
        official=in_office(salon).official,
        municipality=salon,
        status=Letter.Status.TO_POST,
        sent_at=None,
        rendered_at=rendered,
    )
    posted = LetterFactory(
        interpellation=interpellation,
        official=in_office(salon).official,
        municipality=salon,
        status=Letter.Status.POSTED,
        posted_on=TODAY,
    )
    reminder = LetterReminder.objects.create(
        letter=posted, number=1, channel=Letter.Channel.PAPER, status=Letter.Status.POSTED, posted_on=TODAY
    )

    with pytest.raises(ValidationError) as refused:
        paper_post(letters=[to_post], reminders=[reminder], date=TODAY, by=member_of(collective))

    assert refused.value.message_dict == {"items": [f"{reminder} : La relance n°1 est déjà postée."]}
    assert Letter.objects.get(pk=to_post.pk).status == Letter.Status.TO_POST
