"""Letters and replies in a municipality's timeline, for their collective's members only."""

import datetime as dt

import pytest
from django.utils import timezone

from campaigns.letters.services.departures import letter_post, reminder_post
from campaigns.letters.services.replies import letter_reply
from campaigns.models import Letter, LetterReminder
from tests.campaigns.factories import (
    InterpellationFactory,
    LetterFactory,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
)

pytestmark = pytest.mark.django_db

URL = "/api/municipalities/13103/timeline/"


@pytest.fixture
def correspondence(collective, other_collective, salon, outside):
    mayor = in_office(salon, "maire", first_name="Élodie", last_name="IMBERT").official
    sent_at = timezone.make_aware(dt.datetime(2026, 10, 2, 10, 0))
    answered = LetterFactory(
        interpellation=InterpellationFactory(collective=collective), official=mayor, municipality=salon,
        channel=Letter.Channel.EMAIL, sent_at=sent_at, status=Letter.Status.ANSWERED,
        reply_date=dt.date(2026, 10, 20), reply_summary="La maire accepte un rendez-vous.",
    )  # fmt: skip
    LetterFactory(interpellation=answered.interpellation, official=in_office(salon, "adjoint").official,
                  municipality=salon, status=Letter.Status.DRAFT, sent_at=None)  # fmt: skip
    elsewhere = LetterFactory(interpellation=InterpellationFactory(collective=collective),
                              official=in_office(outside, "maire").official, municipality=outside)  # fmt: skip
    theirs = LetterFactory(interpellation=InterpellationFactory(collective=other_collective), official=mayor,
                           municipality=salon, sent_at=sent_at)  # fmt: skip
    return {"answered": answered, "elsewhere": elsewhere, "theirs": theirs}


def letter_events(response):
    assert response.status_code == 200
    return [(event["date"], event["kind"], event["title"], event["summary"], event["collective"], event["object_id"])
            for event in response.json() if event["kind"] in ("letter", "reply")]  # fmt: skip


def test_members_see_their_collectives_letters_and_replies(as_role, correspondence):
    letter = correspondence["answered"]

    assert letter_events(as_role("member").get(URL)) == [
        ("2026-10-02", "letter", "Courrier à Élodie IMBERT", "réponse reçue — courriel", "pays-salonais", letter.pk),
        ("2026-10-20", "reply", "Réponse d'Élodie IMBERT", "La maire accepte un rendez-vous.", "pays-salonais",
         letter.pk),
    ]  # fmt: skip


@pytest.mark.parametrize("role", ["anonymous", "outsider"])
def test_others_do_not_see_a_collectives_letters(as_role, correspondence, role):
    events = letter_events(as_role(role).get(URL))

    assert correspondence["answered"].pk not in [event[-1] for event in events]
    if role == "anonymous":
        assert events == []
    else:  # the other collective sees its own letter only
        assert [(event[1], event[-1]) for event in events] == [("letter", correspondence["theirs"].pk)]


def test_staff_see_every_collectives_letters(as_role, correspondence):
    events = letter_events(as_role("staff").get(URL))

    assert sorted((kind, object_id) for _date, kind, _t, _s, _c, object_id in events) == sorted(
        [
            ("letter", correspondence["answered"].pk),
            ("reply", correspondence["answered"].pk),
            ("letter", correspondence["theirs"].pk),
        ]
    )


def test_a_letter_is_one_entry_with_its_state_its_reminders_and_its_reply(as_role, collective, salon):
    mayor = in_office(salon, "maire", first_name="Élodie", last_name="IMBERT").official
    letter = LetterFactory(interpellation=InterpellationFactory(collective=collective), official=mayor,
                           municipality=salon, status=Letter.Status.TO_POST, sent_at=None,
                           rendered_at=timezone.make_aware(dt.datetime(2026, 10, 1, 9)))  # fmt: skip
    letter_post(letter=letter, date=dt.date(2026, 10, 2))
    reminder = LetterReminder.objects.create(letter=letter, number=1, channel=Letter.Channel.PAPER,
                                             status=Letter.Status.TO_POST)  # fmt: skip
    LetterReminder.objects.filter(pk=reminder.pk).update(created_at=timezone.make_aware(dt.datetime(2026, 10, 20)))
    reminder_post(reminder=reminder, date=dt.date(2026, 10, 21))
    letter_reply(letter=letter, date=dt.date(2026, 10, 30), summary="La maire nous reçoit.", outcome="positive")

    response = as_role("member").get(URL)

    events = [(e["date"], e["kind"], e["title"], e["summary"]) for e in response.json() if e["kind"] != "pledge"]
    assert events == [
        ("2026-10-02", "letter", "Courrier à Élodie IMBERT", "réponse reçue — courrier papier"),
        ("2026-10-21", "reminder", "Relance n°1 à Élodie IMBERT", "posté — courrier papier"),
        ("2026-10-30", "reply", "Réponse d'Élodie IMBERT", "La maire nous reçoit."),
    ]
    # The "courrier" action is the letter's entry: not a second one, and its outcome followed the reply.
    letter.refresh_from_db()
    assert letter.action.outcome == "success"


def test_a_letter_still_to_post_shows_on_the_day_it_was_rendered(as_role, collective, salon):
    mayor = in_office(salon, "maire", first_name="Élodie", last_name="IMBERT").official
    LetterFactory(interpellation=InterpellationFactory(collective=collective), official=mayor, municipality=salon,
                  status=Letter.Status.TO_POST, sent_at=None,
                  rendered_at=timezone.make_aware(dt.datetime(2026, 10, 1, 9)))  # fmt: skip

    events = letter_events(as_role("member").get(URL))

    assert [(date, kind, summary) for date, kind, _title, summary, _c, _id in events] == [
        ("2026-10-01", "letter", "à poster — courrier papier")
    ]
