"""A reply is recorded from the letter's page in the admin, through the replies service:
the letter is answered, its "courrier" action follows, and a bad entry says what is wrong."""

import datetime as dt
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campaigns.models import Action, Letter
from tests.campaigns.factories import (
    ActionFactory,
    LetterFactory,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
    member_of,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def letter(collective, salon):
    action = ActionFactory(collective=collective, municipality=salon)
    return LetterFactory(
        interpellation__collective=collective,
        official=in_office(salon).official,
        municipality=salon,
        status=Letter.Status.POSTED,
        posted_on=TODAY - dt.timedelta(days=12),
        action=action,
    )


def change(client, letter, **fields):
    return client.post(f"/admin/campaigns/letter/{letter.pk}/change/", {**fields, "_save": "Enregistrer"}, follow=True)


def test_a_member_records_a_reply_with_its_file_and_the_action_follows(client, collective, letter):
    client.force_login(member_of(collective))
    scan = SimpleUploadedFile("reponse.pdf", b"%PDF-1.4 reponse", content_type="application/pdf")
    day = TODAY - dt.timedelta(days=2)

    response = change(
        client,
        letter,
        reply_date=f"{day:%d/%m/%Y}",
        reply_summary="La maire nous reçoit.",
        reply_outcome="positive",
        reply_file=scan,
    )

    assert response.status_code == 200
    letter.refresh_from_db()
    assert (letter.status, letter.reply_date, letter.reply_outcome) == (Letter.Status.ANSWERED, day, "positive")
    assert letter.reply_file.name.endswith(".pdf")
    action = Action.objects.get(pk=letter.action_id)
    assert (action.outcome, action.outcome_note) == (
        Action.Outcome.SUCCESS,
        f"Réponse reçue le {day:%d/%m/%Y} : La maire nous reçoit.",
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reply_date": "32/11/2026", "reply_summary": "Réponse"}, "Saisissez une date au format JJ/MM/AAAA."),
        ({"reply_date": f"{TODAY:%d/%m/%Y}"}, "Résumez la réponse en quelques mots."),
        ({"reply_summary": "Réponse sans date"}, "Indiquez la date de la réponse (JJ/MM/AAAA)."),
        (
            {"reply_date": f"{TODAY + dt.timedelta(days=3):%d/%m/%Y}", "reply_summary": "Réponse"},
            "La date de la réponse ne peut pas être dans le futur.",
        ),
    ],
)
def test_a_bad_reply_is_refused_with_what_is_wrong_and_nothing_changes(client, collective, letter, fields, message):
    client.force_login(member_of(collective))

    response = change(client, letter, **fields)

    assert message in html.unescape(response.content.decode())
    letter.refresh_from_db()
    assert (letter.status, letter.reply_date, letter.reply_summary) == (Letter.Status.POSTED, None, "")
    assert Action.objects.get(pk=letter.action_id).outcome == Action.Outcome.PENDING


def test_a_member_of_another_collective_cannot_open_the_letter(client, other_collective, letter):
    client.force_login(member_of(other_collective))

    response = client.post(
        f"/admin/campaigns/letter/{letter.pk}/change/", {"reply_date": f"{TODAY:%d/%m/%Y}", "reply_summary": "x"}
    )

    assert response.status_code in (302, 403, 404)
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.POSTED
