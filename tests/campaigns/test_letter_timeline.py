"""Letters and replies in a municipality's timeline, for their collective's members only."""

import datetime as dt

import pytest
from django.utils import timezone

from campaigns.models import Letter
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
        ("2026-10-20", "reply", "Réponse de Élodie IMBERT", "La maire accepte un rendez-vous.", "pays-salonais",
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
