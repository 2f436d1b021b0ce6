"""The outbox tells the letters what became of their e-mails: sent when the SMTP server
accepted it, failed with the reason otherwise; a word lost on the way is caught up."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from campaigns.letters.services.departures import emails_outcome_catch_up
from campaigns.models import Letter, LetterReminder
from tasks.outbox import services as outbox
from tasks.outbox.models import OutboundEmail
from tests.campaigns.factories import (
    InterpellationFactory,
    LetterFactory,
    letter_settings,  # noqa: F401 - autouse fixture
)
from tests.tasks.factories import OutboundEmailFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sending(collective, salon):
    """A letter whose e-mail waits in the outbox."""
    email = OutboundEmailFactory()
    return LetterFactory(interpellation=InterpellationFactory(collective=collective, delivery="email"),
                         municipality=salon, channel=Letter.Channel.EMAIL, status=Letter.Status.SENDING,
                         sent_at=None, email=email)  # fmt: skip


def test_a_cancelled_email_fails_its_letter(sending):
    assert outbox.email_cancel(sending.email)

    sending.refresh_from_db()
    assert (sending.status, sending.error) == (Letter.Status.FAILED, "Courriel non remis : cancelled")


def test_a_word_lost_between_the_outbox_and_the_letters_is_caught_up(sending):
    sent_at = timezone.now()
    # What a worker killed after marking the e-mail sent, before telling the letters, leaves.
    OutboundEmail.objects.filter(pk=sending.email_id).update(status=OutboundEmail.Status.SENT, sent_at=sent_at)
    reminder = LetterReminder.objects.create(letter=sending, number=1, channel=Letter.Channel.EMAIL,
                                             status=Letter.Status.SENDING,
                                             email=OutboundEmailFactory(status=OutboundEmail.Status.FAILED,
                                                                        last_error="550 Boîte inconnue"))  # fmt: skip

    assert emails_outcome_catch_up() == 2
    assert emails_outcome_catch_up() == 0

    sending.refresh_from_db()
    reminder.refresh_from_db()
    assert (sending.status, sending.sent_at) == (Letter.Status.SENT, sent_at)
    assert sending.action.date == timezone.localdate(sent_at)
    assert (reminder.status, reminder.error) == (Letter.Status.FAILED, "Courriel non remis : 550 Boîte inconnue")


def test_the_migration_makes_rendered_paper_letters_to_post_and_its_reversal_puts_them_back(collective, salon):
    migration = importlib.import_module("campaigns.migrations.0014_paper_letters_to_post")
    rendered = timezone.now().replace(microsecond=0)
    paper = LetterFactory(interpellation__collective=collective, municipality=salon, sent_at=rendered,
                          rendered_at=None)  # fmt: skip
    emailed = LetterFactory(interpellation=paper.interpellation, municipality=salon, channel=Letter.Channel.EMAIL,
                            sent_at=rendered, rendered_at=None, email=OutboundEmailFactory())  # fmt: skip

    migration.forward(apps, None)

    paper.refresh_from_db()
    emailed.refresh_from_db()
    assert (paper.status, paper.sent_at, paper.rendered_at) == (Letter.Status.TO_POST, None, rendered)
    assert (emailed.status, emailed.sent_at) == (Letter.Status.SENDING, None)

    migration.backward(apps, None)

    assert set(Letter.objects.values_list("status", "sent_at")) == {(Letter.Status.SENT, rendered)}
