"""Reminders are claimed, then rendered outside any transaction, then saved: WeasyPrint never
runs while a lock is held, and processes racing on one letter make one reminder.

Real concurrent connections: on PostgreSQL (services mode) the probe takes the letter's and
the collective's row locks with NOWAIT; on SQLite it takes the database's write lock."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections, transaction
from django.db.utils import OperationalError
from django.utils import timezone

from campaigns.letters.services import reminders
from campaigns.letters.services.reminders import reminder_send, reminders_resume_stalled
from campaigns.models import Collective, Letter, LetterReminder
from tasks.outbox.models import OutboundEmail
from tests.campaigns.factories import (
    InterpellationFactory,
    LetterFactory,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
)

pytestmark = pytest.mark.django_db(transaction=True)

NOW = timezone.now()


@pytest.fixture
def letter(collective, salon):
    mayor = in_office(salon, "maire", last_name="IMBERT", email="maire@salon.example").official
    interpellation = InterpellationFactory(collective=collective, delivery="email", remind_after_days=7,
                                           max_reminders=1)  # fmt: skip
    return LetterFactory(interpellation=interpellation, official=mayor, municipality=salon,
                         channel=Letter.Channel.EMAIL, days_ago=10)  # fmt: skip


def can_lock_from_another_connection(letter) -> bool:
    """True when a second connection gets, at once, the locks a reminder's claim takes."""
    other = connections.create_connection("default")
    try:
        other.set_autocommit(False)
        with other.cursor() as cursor:
            if other.vendor == "postgresql":
                for model, pk in ((Letter, letter.pk), (Collective, letter.interpellation.collective_id)):
                    table = other.ops.quote_name(model._meta.db_table)
                    cursor.execute(f"SELECT id FROM {table} WHERE id = %s FOR UPDATE NOWAIT", [pk])
            else:
                cursor.execute("PRAGMA busy_timeout = 0")
                cursor.execute("UPDATE campaigns_letter SET error = error WHERE id = %s", [letter.pk])
        other.rollback()
        return True
    except OperationalError:
        return False
    finally:
        other.close()


def test_the_reminder_renders_outside_any_transaction_and_lock(letter, monkeypatch):
    seen = []
    render = reminders.html_sections_to_pdfs

    def watched(*args, **kwargs):
        seen.append((connection.in_atomic_block, can_lock_from_another_connection(letter)))
        return render(*args, **kwargs)

    monkeypatch.setattr(reminders, "html_sections_to_pdfs", watched)

    reminder = reminder_send(letter_id=letter.pk, now=NOW)

    assert seen == [(False, True)]
    assert (reminder.number, bool(reminder.pdf)) == (1, True)


def test_the_probe_sees_a_lock_held_by_another_transaction(letter):
    """The probe of the test above does fail when a lock is held."""
    with transaction.atomic():
        list(Letter.objects.select_for_update().filter(pk=letter.pk))
        if connection.vendor == "sqlite":
            Letter.objects.filter(pk=letter.pk).update(error="")
        assert not can_lock_from_another_connection(letter)


def test_processes_racing_on_one_letter_make_one_reminder_and_one_email(letter):
    racers = 4
    start = threading.Barrier(racers)
    made, errors = [], []

    def race():
        try:
            start.wait(timeout=10)
            made.append(reminder_send(letter_id=letter.pk, now=NOW))
        except Exception as exc:  # reported below: a racer must never fail
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=race) for _ in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len([reminder for reminder in made if reminder is not None]) == 1
    # Queued once, and (no broker in between here) accepted by the mail server once.
    assert list(LetterReminder.objects.values_list("number", "status")) == [(1, Letter.Status.SENT)]
    assert OutboundEmail.objects.count() == 1
    assert Letter.objects.get(pk=letter.pk).reminders_sent == 1


def test_a_reminder_claimed_by_a_process_that_died_is_rendered_by_the_next_run(letter, settings):
    settings.LETTERS_JOB_STALE_MINUTES = 15
    claimed = NOW - dt.timedelta(minutes=20)
    # What a process leaves when it dies between the claim and the save.
    LetterReminder.objects.create(letter=letter, number=1, channel=Letter.Channel.EMAIL, claimed_at=claimed)
    Letter.objects.filter(pk=letter.pk).update(reminders_sent=1, last_reminder_at=claimed)

    assert reminders_resume_stalled(now=claimed + dt.timedelta(minutes=10)) == 0
    assert reminders_resume_stalled(now=NOW) == 1
    assert reminders_resume_stalled(now=NOW + dt.timedelta(hours=1)) == 0

    reminder = LetterReminder.objects.get()
    assert (reminder.status, bool(reminder.pdf)) == (Letter.Status.SENT, True)
    assert OutboundEmail.objects.get().idempotency_key == f"reminder:{letter.interpellation_id}:{letter.pk}:1"
