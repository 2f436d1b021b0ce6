"""Replies: recorded on a letter (with the scanned answer if any), and who answers, counted."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.models import Letter
from tests.campaigns.factories import (
    CampaignFactory,
    InterpellationFactory,
    LetterFactory,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
)
from tests.officials.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter(collective, salon):
    mayor = in_office(salon, "maire")
    return LetterFactory(interpellation__collective=collective, official=mayor.official, municipality=salon)


def test_a_reply_is_recorded_and_marks_the_letter_answered(as_role, letter):
    response = as_role("member").post(
        f"/api/letters/{letter.pk}/reply/",
        {"date": "2026-11-20", "summary": "La maire propose un rendez-vous en décembre.", "outcome": "positive"},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "answered"
    assert response.json()["reply_outcome"] == "positive"
    letter.refresh_from_db()
    assert letter.status == Letter.Status.ANSWERED
    assert letter.reply_date == dt.date(2026, 11, 20)
    assert letter.reply_summary == "La maire propose un rendez-vous en décembre."
    assert letter.reply_outcome == Letter.ReplyOutcome.POSITIVE
    assert not letter.reply_file


def test_a_reply_may_come_with_its_scanned_answer(as_role, letter):
    scan = SimpleUploadedFile("reponse-mairie.pdf", b"%PDF-1.4 reponse", content_type="application/pdf")

    response = as_role("member").post(
        f"/api/letters/{letter.pk}/reply/",
        {"date": "2026-11-21", "summary": "Réponse sans engagement.", "outcome": "neutral", "file": scan},
        format="multipart",
    )

    assert response.status_code == 200, response.content
    letter.refresh_from_db()
    assert letter.status == Letter.Status.ANSWERED
    assert letter.reply_outcome == Letter.ReplyOutcome.NEUTRAL
    assert letter.reply_file.name.startswith(f"replies/{letter.interpellation_id}/{letter.pk}-reponse-mairie")
    with letter.reply_file.open("rb") as handle:
        assert handle.read() == b"%PDF-1.4 reponse"


def test_the_outcome_may_be_left_out(as_role, letter):
    response = as_role("member").post(
        f"/api/letters/{letter.pk}/reply/", {"date": "2026-11-21", "summary": "Accusé de réception."}, format="json"
    )

    assert response.status_code == 200, response.content
    letter.refresh_from_db()
    assert (letter.status, letter.reply_outcome) == (Letter.Status.ANSWERED, "")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"summary": "Sans date."}, "date"),
        ({"date": "2026-11-21"}, "summary"),
        ({"date": "21/11/2026x", "summary": "Date illisible."}, "date"),
        ({"date": "2026-11-21", "summary": "Teneur inconnue.", "outcome": "enthousiaste"}, "outcome"),
    ],
)
def test_an_incomplete_reply_is_refused_and_the_letter_left_unanswered(as_role, letter, payload, field):
    response = as_role("member").post(f"/api/letters/{letter.pk}/reply/", payload, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SENT


# Reply rates


@pytest.fixture
def answers(collective, other_collective, salon):
    """Salon: the mayor got 3 letters and answered 2; a deputy got 1 and never answered.
    Lançon: its mayor answered 1 of 1. Drafts, failures and another collective's letters don't count."""
    lancon = MunicipalityFactory(name="Lançon-Provence")
    mayor = in_office(salon, "maire", last_name="IMBERT").official
    deputy = in_office(salon, "adjoint", last_name="BENALI").official
    other_mayor = in_office(lancon, "maire", last_name="ARNAUD").official
    bikes = CampaignFactory(collective=collective, title="Plan vélo")
    canteens = CampaignFactory(collective=collective, title="Cantines bio")
    by_campaign = {campaign: InterpellationFactory(collective=collective, campaign=campaign)
                   for campaign in (bikes, canteens)}  # fmt: skip
    rows = [
        (bikes, mayor, salon, Letter.Status.ANSWERED),
        (canteens, mayor, salon, Letter.Status.ANSWERED),
        (bikes, deputy, salon, Letter.Status.SENT),
        (canteens, other_mayor, lancon, Letter.Status.ANSWERED),
    ]
    for campaign, official, municipality, status in rows:
        LetterFactory(interpellation=by_campaign[campaign], official=official, municipality=municipality,
                      status=status)  # fmt: skip
    third = InterpellationFactory(collective=collective, campaign=bikes)
    LetterFactory(interpellation=third, official=mayor, municipality=salon, status=Letter.Status.SENT)
    LetterFactory(interpellation=third, official=deputy, municipality=salon, status=Letter.Status.DRAFT, sent_at=None)
    LetterFactory(interpellation=third, official=other_mayor, municipality=lancon, status=Letter.Status.FAILED,
                  sent_at=None)  # fmt: skip
    elsewhere = InterpellationFactory(collective=other_collective)
    LetterFactory(interpellation=elsewhere, official=deputy, municipality=salon, status=Letter.Status.ANSWERED)
    return {"mayor": mayor, "deputy": deputy, "other_mayor": other_mayor, "lancon": lancon,
            "bikes": bikes, "canteens": canteens}  # fmt: skip


def rates(api, by):
    response = api.get("/api/letters/reply-rates/", {"by": by})
    assert response.status_code == 200, response.content
    return [(row["key"], row["label"], row["sent"], row["answered"], row["rate"]) for row in response.json()]


def test_reply_rates_by_official(as_role, answers):
    assert rates(as_role("member"), "official") == [
        (answers["deputy"].pk, "BENALI", 1, 0, 0.0),
        (answers["mayor"].pk, "IMBERT", 3, 2, 0.667),
        (answers["other_mayor"].pk, "ARNAUD", 1, 1, 1.0),
    ]


def test_reply_rates_by_municipality(as_role, answers):
    assert rates(as_role("member"), "municipality") == [
        ("13103", "Salon-de-Provence", 4, 2, 0.5),
        (answers["lancon"].pk, "Lançon-Provence", 1, 1, 1.0),
    ]


def test_reply_rates_by_campaign(as_role, answers):
    assert rates(as_role("member"), "campaign") == [
        (answers["bikes"].pk, "Plan vélo", 3, 1, 0.333),
        (answers["canteens"].pk, "Cantines bio", 2, 2, 1.0),
    ]


def test_reply_rates_group_by_official_unless_told(as_role, answers):
    assert as_role("member").get("/api/letters/reply-rates/").json() == [
        {"key": row[0], "label": row[1], "sent": row[2], "answered": row[3], "rate": row[4]}
        for row in rates(as_role("member"), "official")
    ]


def test_reply_rates_count_only_your_collectives_letters(as_role, answers):
    assert rates(as_role("outsider"), "official") == [(answers["deputy"].pk, "BENALI", 1, 1, 1.0)]


def test_reply_rates_refuse_an_unknown_grouping(as_role, answers):
    response = as_role("member").get("/api/letters/reply-rates/", {"by": "department"})

    assert response.status_code == 400
    assert response.json() == {"by": ["Choisissez parmi : campaign, municipality, official."]}


def test_reply_rates_are_for_signed_in_users(as_role):
    assert as_role("anonymous").get("/api/letters/reply-rates/").status_code == 401
