"""A reply is recorded by one service, from the API and the admin alike: it marks a sent
letter answered, and a letter never sent (draft, failed) has no reply to record."""

import html

import pytest

from campaigns.models import Letter, Membership
from tests.campaigns.factories import (
    LetterFactory,
    MembershipFactory,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter(collective, salon):
    mayor = in_office(salon, "maire")
    return LetterFactory(interpellation__collective=collective, official=mayor.official, municipality=salon)


@pytest.fixture
def member(client, collective):
    client.force_login(MembershipFactory(collective=collective, role=Membership.Role.MEMBER).user)
    return client


REPLY = {"reply_date": "2026-11-20", "reply_summary": "Le maire propose un rendez-vous.", "reply_outcome": "positive"}


def test_the_admin_records_a_reply_that_marks_the_letter_answered(member, letter):
    response = member.post(f"/admin/campaigns/letter/{letter.pk}/change/", {**REPLY, "_save": "Enregistrer"})

    assert response.status_code == 302
    letter.refresh_from_db()
    assert (letter.status, letter.reply_summary, letter.reply_outcome) == (
        "answered",
        "Le maire propose un rendez-vous.",
        "positive",
    )


def test_the_admin_refuses_a_reply_to_a_letter_that_was_never_sent(member, letter):
    Letter.objects.filter(pk=letter.pk).update(status=Letter.Status.FAILED, error="adresse refusée")

    response = member.post(
        f"/admin/campaigns/letter/{letter.pk}/change/", {**REPLY, "_save": "Enregistrer"}, follow=True
    )

    page = html.unescape(response.content.decode())
    assert "Ce courrier n'est pas parti : aucune réponse ne peut y être enregistrée." in page
    letter.refresh_from_db()
    assert (letter.status, letter.reply_date, letter.reply_summary) == ("failed", None, "")


def test_the_api_refuses_a_reply_to_a_letter_that_was_never_sent(as_role, letter):
    Letter.objects.filter(pk=letter.pk).update(status=Letter.Status.FAILED, error="adresse refusée")

    response = as_role("member").post(
        f"/api/letters/{letter.pk}/reply/", {"date": "2026-11-20", "summary": "Réponse"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"status": ["Ce courrier n'est pas parti : aucune réponse ne peut y être enregistrée."]}
    letter.refresh_from_db()
    assert (letter.status, letter.reply_date) == ("failed", None)
