"""Paper letters are "à poster" until a person gives the day they were posted: one letter,
some or all of an interpellation's, from the API or the admin. Reminders, reply rates and
the "courrier" action count from that day, never from the rendering."""

import datetime as dt

import pytest
from django.utils import timezone

from campaigns.letters.services.departures import letter_post
from campaigns.letters.services.reminders import reminders_due
from campaigns.models import Action, Letter
from tests.campaigns.factories import (
    InterpellationFactory,
    LetterFactory,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
    member_of,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
RENDERED = timezone.now() - dt.timedelta(days=20)


@pytest.fixture
def interpellation(collective):
    return InterpellationFactory(collective=collective, remind_after_days=7, max_reminders=1)


def to_post(interpellation, municipality, **fields) -> Letter:
    """A paper letter rendered 20 days ago, nobody said it was posted."""
    fields = {"status": Letter.Status.TO_POST, "sent_at": None, "rendered_at": RENDERED, **fields}
    return LetterFactory(interpellation=interpellation, official=in_office(municipality).official,
                         municipality=municipality, **fields)  # fmt: skip


def post(api, letter, date) -> dict:
    response = api.post(f"/api/letters/{letter.pk}/posted/", {"date": str(date)}, format="json")
    return response.status_code, response.json()


def test_a_letter_posted_leaves_on_the_day_given_and_logs_its_action_that_day(as_role, interpellation, salon):
    letter = to_post(interpellation, salon)
    posted_on = TODAY - dt.timedelta(days=3)

    status, body = post(as_role("member"), letter, posted_on)

    assert status == 200, body
    assert (body["status"], body["status_display"], body["posted_on"]) == ("posted", "posté", str(posted_on))
    letter.refresh_from_db()
    assert timezone.localdate(letter.sent_at) == posted_on
    action = letter.action
    assert (action.kind, action.date, action.outcome) == (Action.Kind.LETTER, posted_on, Action.Outcome.PENDING)
    assert list(action.officials.all()) == [letter.official]


@pytest.mark.parametrize(
    ("fields", "date", "field", "message"),
    [
        ({"channel": Letter.Channel.EMAIL, "status": Letter.Status.SENDING}, TODAY, "status",
         "Le courrier à {name} part par courriel : ce n'est pas un courrier papier."),
        ({"status": Letter.Status.POSTED, "posted_on": dt.date(2026, 11, 2)}, TODAY, "status",
         "Le courrier à {name} est déjà posté (le 02/11/2026)."),
        ({"status": Letter.Status.DRAFT, "rendered_at": None}, TODAY, "status",
         "Le courrier à {name} n'est pas à poster (état : brouillon)."),
        ({}, TODAY + dt.timedelta(days=1), "date", "La date de dépôt ne peut pas être dans le futur."),
        ({}, TODAY - dt.timedelta(days=30), "status",
         "Le courrier à {name} a été préparé le {rendered} : il ne peut pas avoir été posté avant."),
    ],
    ids=["e-mailed", "already posted", "not rendered", "in the future", "before its rendering"],
)  # fmt: skip
def test_a_letter_that_cannot_be_posted_that_day_is_refused_with_the_reason(
    as_role, interpellation, salon, fields, date, field, message
):
    letter = to_post(interpellation, salon, **fields)

    status, body = post(as_role("member"), letter, date)

    rendered = timezone.localdate(RENDERED).strftime("%d/%m/%Y")
    assert (status, body) == (400, {field: [message.format(name=letter.official, rendered=rendered)]})
    assert Letter.objects.get(pk=letter.pk).status == fields.get("status", Letter.Status.TO_POST)
    assert not Action.objects.exists()


def test_all_the_letters_of_an_interpellation_still_to_post_are_posted_at_once(as_role, interpellation, salon):
    letters = [to_post(interpellation, salon) for _ in range(3)]
    emailed = LetterFactory(interpellation=interpellation, channel=Letter.Channel.EMAIL, municipality=salon)

    response = as_role("member").post(
        f"/api/interpellations/{interpellation.pk}/posted/", {"date": str(TODAY)}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json() == {"posted": 3, "letters": [letter.pk for letter in letters]}
    assert set(Letter.objects.exclude(pk=emailed.pk).values_list("status", "posted_on")) == {
        (Letter.Status.POSTED, TODAY)
    }
    assert Action.objects.count() == 3


def test_some_letters_of_an_interpellation_are_posted_all_or_none(as_role, interpellation, salon):
    first, second, third = (to_post(interpellation, salon) for _ in range(3))
    Letter.objects.filter(pk=third.pk).update(status=Letter.Status.POSTED, posted_on=TODAY)
    api = as_role("member")
    url = f"/api/interpellations/{interpellation.pk}/posted/"

    refused = api.post(url, {"date": str(TODAY), "letters": [first.pk, third.pk]}, format="json")
    foreign = api.post(url, {"date": str(TODAY), "letters": [first.pk, 999_999]}, format="json")
    accepted = api.post(url, {"date": str(TODAY), "letters": [first.pk, second.pk]}, format="json")

    day = TODAY.strftime("%d/%m/%Y")
    assert (refused.status_code, refused.json()) == (
        400,
        {"letters": [f"Le courrier à {third.official} est déjà posté (le {day})."]},
    )
    assert (foreign.status_code, foreign.json()) == (
        400,
        {"letters": ["Ces courriers n'appartiennent pas à cette interpellation : 999999."]},
    )
    assert (accepted.status_code, accepted.json()["posted"]) == (200, 2)
    assert Action.objects.count() == 2


def test_an_interpellation_without_letter_to_post_says_so(as_role, interpellation):
    response = as_role("member").post(
        f"/api/interpellations/{interpellation.pk}/posted/", {"date": str(TODAY)}, format="json"
    )

    assert (response.status_code, response.json()) == (
        400,
        {"letters": ["Aucun courrier de cette interpellation n'est à poster."]},
    )


def test_reminders_count_from_the_posting_and_a_letter_never_posted_is_never_reminded(interpellation, salon):
    waiting, posted = to_post(interpellation, salon), to_post(interpellation, salon)

    letter_post(letter=posted, date=TODAY - dt.timedelta(days=5))

    assert reminders_due(now=timezone.now() + dt.timedelta(days=1)) == []
    assert reminders_due(now=timezone.now() + dt.timedelta(days=3)) == [posted]
    assert waiting not in reminders_due(now=timezone.now() + dt.timedelta(days=365))


def test_reply_rates_count_letters_posted_or_sent_never_those_still_to_post(as_role, interpellation, salon):
    to_post(interpellation, salon)
    LetterFactory(interpellation=interpellation, official=in_office(salon).official, municipality=salon,
                  status=Letter.Status.POSTED, posted_on=TODAY)  # fmt: skip

    response = as_role("member").get("/api/letters/reply-rates/?by=municipality")

    assert response.json() == [{"key": "13103", "label": "Salon-de-Provence", "sent": 1, "answered": 0, "rate": 0.0}]


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [("positive", Action.Outcome.SUCCESS), ("negative", Action.Outcome.FAILURE), ("", Action.Outcome.PARTIAL)],
)
def test_the_courrier_action_follows_the_reply(as_role, interpellation, salon, outcome, expected):
    letter = to_post(interpellation, salon)
    api = as_role("member")
    post(api, letter, TODAY)

    response = api.post(
        f"/api/letters/{letter.pk}/reply/",
        {"date": str(TODAY), "summary": "La maire nous reçoit.", "outcome": outcome},
        format="json",
    )

    assert response.status_code == 200, response.content
    action = Letter.objects.get(pk=letter.pk).action
    assert action.outcome == expected
    assert action.outcome_note == f"Réponse reçue le {TODAY:%d/%m/%Y} : La maire nous reçoit."


def test_a_letter_still_to_post_has_no_reply_to_record(as_role, interpellation, salon):
    letter = to_post(interpellation, salon)

    response = as_role("member").post(
        f"/api/letters/{letter.pk}/reply/", {"date": str(TODAY), "summary": "Réponse"}, format="json"
    )

    assert (response.status_code, response.json()) == (
        400,
        {"status": ["Ce courrier n'est pas parti : aucune réponse ne peut y être enregistrée."]},
    )


def test_the_admin_asks_for_the_date_then_marks_the_selected_letters_posted(client, collective, interpellation, salon):
    letters = [to_post(interpellation, salon) for _ in range(2)]
    client.force_login(member_of(collective))
    form = {"action": "mark_posted", "_selected_action": [letter.pk for letter in letters], "index": 0}

    asked = client.post("/admin/campaigns/letter/", form)
    without_date = client.post("/admin/campaigns/letter/", {**form, "apply": "1"})
    with_date = client.post(
        "/admin/campaigns/letter/", {**form, "apply": "1", "date": TODAY.strftime("%d/%m/%Y")}, follow=True
    )

    assert asked.status_code == 200 and "Date de dépôt à la poste" in asked.content.decode()
    assert "Indiquez la date de dépôt à la poste." in without_date.content.decode()
    assert "2 courriers marqués comme postés." in with_date.content.decode()
    assert set(Letter.objects.values_list("status", "posted_on")) == {(Letter.Status.POSTED, TODAY)}


def test_the_admin_marks_an_interpellations_letters_posted(client, collective, interpellation, salon):
    to_post(interpellation, salon)
    client.force_login(member_of(collective))

    response = client.post(
        "/admin/campaigns/interpellation/",
        {
            "action": "mark_posted",
            "_selected_action": [interpellation.pk],
            "date": TODAY.strftime("%d/%m/%Y"),
            "apply": "1",
        },
        follow=True,
    )

    assert "1 courrier marqué comme posté." in response.content.decode()
    assert Letter.objects.get().status == Letter.Status.POSTED
