"""Reminders ("relances") of letters without reply: after N days, at most K times, each
(letter, number) once, by e-mail through the outbox or on paper."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from campaigns.letters.services.reminders import reminder_send, reminders_due, reminders_send
from campaigns.letters.services.replies import letter_reply
from campaigns.models import Letter, LetterReminder
from tasks.outbox.models import OutboundEmail
from tasks.workers.letters import send_reminders
from tests.campaigns.factories import (
    InterpellationFactory,
    LetterFactory,
    LetterTemplateFactory,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
    pdf_of,
    pdf_text,
    shared_templates,
)

pytestmark = pytest.mark.django_db

SENT = timezone.make_aware(dt.datetime(2026, 9, 1, 10, 0))


def days(count: float) -> dt.datetime:
    return SENT + dt.timedelta(days=count)


@pytest.fixture
def mayor(salon):
    return in_office(salon, "maire", first_name="Élodie", last_name="IMBERT", email="maire@salon.example")


@pytest.fixture
def interpellation(collective):
    template = LetterTemplateFactory(collective=collective, subject="Le plan vélo à {{ municipality.name }}",
                                     body="Où en est le plan vélo ?")  # fmt: skip
    return InterpellationFactory(collective=collective, template=template, delivery="email", remind_after_days=7,
                                 max_reminders=2)  # fmt: skip


@pytest.fixture
def letter(interpellation, mayor, salon):
    return LetterFactory(interpellation=interpellation, official=mayor.official, municipality=salon,
                         channel=Letter.Channel.EMAIL, sent_at=SENT)  # fmt: skip


def send_due(now, capture) -> int:
    with capture(execute=True):
        return reminders_send(now=now)


def test_a_letter_is_due_once_the_delay_has_passed_without_reply(letter):
    assert reminders_due(now=days(6.9)) == []
    assert reminders_due(now=days(7)) == [letter]


def test_an_email_reminder_goes_through_the_outbox_with_its_key(
    letter, interpellation, django_capture_on_commit_callbacks
):
    assert send_due(days(8), django_capture_on_commit_callbacks) == 1

    reminder = LetterReminder.objects.get()
    assert (reminder.letter, reminder.number, reminder.channel) == (letter, 1, Letter.Channel.EMAIL)
    email = OutboundEmail.objects.get()
    assert email.idempotency_key == f"reminder:{interpellation.pk}:{letter.pk}:1"
    assert reminder.email == email
    assert email.to == ["maire@salon.example"]
    assert email.reply_to == ["pays-salonais@example.org"]
    assert email.subject == "Relance : Le plan vélo à Salon-de-Provence"
    [attachment] = email.attachments.all()
    assert attachment.filename == f"relance-{letter.pk}-1.pdf"
    [sent] = mail.outbox
    assert "Madame la Maire," in sent.body and "Où en est le plan vélo ?" in sent.body
    assert "RELANCE N°1" in pdf_text(sent.attachments[0][1])  # the mark is in capitals
    letter.refresh_from_db()
    assert (letter.reminders_sent, letter.last_reminder_at) == (1, days(8))


def test_the_next_reminder_waits_for_the_delay_after_the_previous_one(letter, django_capture_on_commit_callbacks):
    assert send_due(days(8), django_capture_on_commit_callbacks) == 1

    assert reminders_due(now=days(14)) == []
    assert send_due(days(14), django_capture_on_commit_callbacks) == 0
    assert send_due(days(15), django_capture_on_commit_callbacks) == 1
    assert list(LetterReminder.objects.values_list("number", flat=True)) == [1, 2]


def test_reminders_stop_at_the_maximum(letter, django_capture_on_commit_callbacks):
    sent = [send_due(days(day), django_capture_on_commit_callbacks) for day in (8, 16, 24, 60, 365)]

    assert sent == [1, 1, 0, 0, 0]
    assert reminders_due(now=days(365)) == []
    assert list(OutboundEmail.objects.order_by("pk").values_list("idempotency_key", flat=True)) == [
        f"reminder:{letter.interpellation_id}:{letter.pk}:1",
        f"reminder:{letter.interpellation_id}:{letter.pk}:2",
    ]
    assert len(mail.outbox) == 2


def test_running_the_reminders_twice_sends_each_reminder_once(letter, django_capture_on_commit_callbacks):
    assert send_due(days(8), django_capture_on_commit_callbacks) == 1
    assert send_due(days(8), django_capture_on_commit_callbacks) == 0

    assert LetterReminder.objects.count() == 1
    assert OutboundEmail.objects.count() == 1
    assert len(mail.outbox) == 1


def test_two_runs_racing_on_the_same_due_letter_make_one_reminder(letter, django_capture_on_commit_callbacks):
    # Both runs listed the letter as due before either sent anything.
    first_run, second_run = reminders_due(now=days(8)), reminders_due(now=days(8))
    assert first_run == second_run == [letter]

    with django_capture_on_commit_callbacks(execute=True):
        first = reminder_send(letter_id=letter.pk, now=days(8))
        second = reminder_send(letter_id=letter.pk, now=days(8))

    assert first is not None and first.number == 1
    assert second is None
    assert LetterReminder.objects.count() == 1
    assert OutboundEmail.objects.count() == 1
    letter.refresh_from_db()
    assert letter.reminders_sent == 1


def test_a_reminder_number_already_made_is_not_made_again(letter):
    LetterReminder.objects.create(letter=letter, number=1, channel=Letter.Channel.EMAIL)

    assert reminder_send(letter_id=letter.pk, now=days(8)) is None

    assert LetterReminder.objects.count() == 1
    assert not OutboundEmail.objects.exists()
    letter.refresh_from_db()
    assert letter.reminders_sent == 0


def test_a_reply_stops_the_reminders(letter, django_capture_on_commit_callbacks):
    assert send_due(days(8), django_capture_on_commit_callbacks) == 1
    letter_reply(letter=Letter.objects.get(pk=letter.pk), date=dt.date(2026, 9, 10), summary="Réponse reçue.")

    assert reminders_due(now=days(30)) == []
    assert reminder_send(letter_id=letter.pk, now=days(30)) is None
    assert LetterReminder.objects.count() == 1


def test_no_reminder_goes_to_an_official_whose_mandate_ended(letter, mayor):
    mayor.end_date = dt.date(2026, 9, 5)
    mayor.save()

    assert reminders_due(now=days(8)) == []
    assert reminders_send(now=days(8)) == 0
    assert not LetterReminder.objects.exists()


def test_an_interpellation_without_delay_is_never_reminded(interpellation, letter):
    interpellation.remind_after_days = None
    interpellation.save()

    assert reminders_due(now=days(365)) == []


def test_letters_not_sent_are_not_reminded(interpellation, mayor, salon):
    LetterFactory(interpellation=interpellation, official=mayor.official, municipality=salon,
                  status=Letter.Status.FAILED, sent_at=SENT)  # fmt: skip

    assert reminders_due(now=days(30)) == []


def test_a_paper_reminder_gets_a_pdf_and_no_email(letter):
    Letter.objects.filter(pk=letter.pk).update(channel=Letter.Channel.PAPER)

    reminder = reminder_send(letter_id=letter.pk, now=days(8))

    assert reminder.channel == Letter.Channel.PAPER
    assert reminder.email is None
    text = pdf_text(pdf_of(reminder))
    assert "RELANCE N°1" in text
    assert "Madame la Maire," in text
    assert "Objet : Le plan vélo à Salon-de-Provence" in text
    assert not OutboundEmail.objects.exists()


def test_an_official_who_asked_for_paper_since_gets_the_reminder_on_paper(letter, mayor):
    mayor.official.do_not_email = True
    mayor.official.save()

    reminder = reminder_send(letter_id=letter.pk, now=days(8))

    assert reminder.channel == Letter.Channel.PAPER
    assert reminder.pdf
    assert not OutboundEmail.objects.exists()


def test_the_reminder_template_writes_the_reminder_under_its_own_subject(
    letter, interpellation, django_capture_on_commit_callbacks
):
    interpellation.reminder_template = next(t for t in shared_templates() if t.kind == "follow_up")
    interpellation.save()

    assert send_due(days(8), django_capture_on_commit_callbacks) == 1

    [email] = mail.outbox
    assert email.subject == "Relance : suivi du Pacte pour la Transition à Salon-de-Provence"
    assert "Nous nous permettons de revenir vers vous" in email.body
    assert "Où en est le plan vélo ?" not in email.body


def test_the_daily_task_sends_the_reminders_due(letter, django_capture_on_commit_callbacks):
    Letter.objects.filter(pk=letter.pk).update(sent_at=timezone.now() - dt.timedelta(days=8))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders.apply().get() == 1

    assert LetterReminder.objects.get().number == 1
    assert len(mail.outbox) == 1
