"""Where letters go: the town hall's postal address on the letter, and the channel of each
letter with its reason (the official's e-mail, the town hall's at their attention, paper)."""

import datetime as dt

import pytest
from django.contrib.admin.sites import site
from django.core import mail
from django.utils import timezone

from campaigns.letters.services.reminders import reminders_send
from campaigns.models import Letter, LetterReminder
from tasks.outbox.models import OutboundEmail
from tests.campaigns.factories import (
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
    member_of,
    pdf_of,
    pdf_text,
)
from tests.campaigns.letters.conftest import letter_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def town_hall(salon):
    """Salon's town hall as the directory gives it: a postal address with a PO box."""
    salon.town_hall_address = "Hôtel de ville\nBP 00000"
    salon.town_hall_postal_code, salon.town_hall_town = "13651", "Salon-de-Provence Cedex"
    salon.town_hall_email = "mairie@salon.example.org"
    salon.save()
    return salon


@pytest.fixture
def deputy(town_hall):
    """A deputy mayor without an e-mail address of her own."""
    return in_office(town_hall, "adjoint", first_name="Inès", last_name="ROUX", email="").official


def test_the_recipient_block_has_the_officials_title_and_the_town_halls_postal_address(send, deputy):
    send([deputy], delivery="pdf")

    letter = letter_to(deputy)
    block = letter.html.split('<div class="recipient">', 1)[1].split("</div>", 1)[0]
    assert block.splitlines() == [
        "Madame Inès ROUX",
        "Adjointe au maire de Salon-de-Provence",
        "Hôtel de ville",
        "BP 00000",
        "13651 Salon-de-Provence Cedex",
    ]
    assert "BP 00000 13651 Salon-de-Provence Cedex" in pdf_text(pdf_of(letter))


def test_without_a_postal_address_the_block_ends_with_the_town(send, salon):
    salon.town_hall_address = salon.town_hall_postal_code = ""
    salon.save()
    official = in_office(salon, "maire", first_name="Élodie", last_name="IMBERT").official

    send([official], delivery="pdf", confirmed=True)

    block = letter_to(official).html.split('<div class="recipient">', 1)[1].split("</div>", 1)[0]
    assert block.splitlines()[-2:] == ["Hôtel de ville", "Salon-de-Provence"]


def test_an_official_with_an_address_gets_the_email_and_the_reason_says_so(send, town_hall):
    mayor = in_office(town_hall, "maire", email="maire@salon.example").official

    send([mayor], delivery="email")

    letter = letter_to(mayor)
    assert (letter.channel, letter.channel_reason) == (Letter.Channel.EMAIL, Letter.ChannelReason.OFFICIAL_EMAIL)
    assert letter.recipient_email == "maire@salon.example"
    assert [email.to for email in mail.outbox] == [["maire@salon.example"]]


def test_without_an_address_of_their_own_the_letter_goes_to_the_town_hall_at_their_attention(send, deputy):
    send([deputy], delivery="email")

    letter = letter_to(deputy)
    assert (letter.channel, letter.channel_reason) == (Letter.Channel.EMAIL, Letter.ChannelReason.TOWN_HALL_EMAIL)
    assert letter.get_channel_reason_display() == "courriel à la mairie, à l'attention de l'élu·e"
    [email] = mail.outbox
    assert email.to == ["mairie@salon.example.org"]
    assert email.subject.endswith("(à l'attention de Madame Inès ROUX, Adjointe au maire de Salon-de-Provence)")
    assert email.body.startswith("À l'attention de Madame Inès ROUX, Adjointe au maire de Salon-de-Provence\n\n")


def test_the_interpellation_may_keep_to_paper_when_only_the_town_hall_has_an_address(send, deputy):
    send([deputy], delivery="email", town_hall_email=False)

    letter = letter_to(deputy)
    assert (letter.channel, letter.channel_reason) == (Letter.Channel.PAPER, Letter.ChannelReason.TOWN_HALL_NOT_CHOSEN)
    assert not OutboundEmail.objects.exists()


def test_the_setting_gives_the_default_choice(send, deputy, settings):
    settings.LETTERS_TOWN_HALL_EMAIL = False

    interpellation, _job = send([deputy], delivery="email")

    assert interpellation.town_hall_email is False
    assert letter_to(deputy).channel_reason == Letter.ChannelReason.TOWN_HALL_NOT_CHOSEN


def test_an_official_who_refuses_email_is_not_written_to_at_the_town_hall_either(send, deputy):
    deputy.do_not_email = True
    deputy.save()

    send([deputy], delivery="email")

    assert letter_to(deputy).channel_reason == Letter.ChannelReason.OFFICIAL_REFUSES_EMAIL
    assert not OutboundEmail.objects.exists()


def test_no_address_anywhere_means_paper_with_the_reason(send, salon):
    salon.town_hall_email = ""
    salon.save()
    official = in_office(salon, "adjoint", email="").official

    send([official], delivery="email")

    assert letter_to(official).channel_reason == Letter.ChannelReason.NO_EMAIL


def test_over_the_daily_limit_the_town_hall_letter_goes_on_paper(send, deputy, settings):
    settings.LETTERS_EMAILS_PER_OFFICIAL_PER_DAY = 1
    send([deputy], delivery="email")

    second, _job = send([deputy], delivery="email")

    assert second.letters.get().channel_reason == Letter.ChannelReason.DAILY_LIMIT


def test_the_api_shows_the_channel_and_its_reason_in_french(send, deputy, collective, api):
    send([deputy], delivery="email")
    api.force_authenticate(member_of(collective))

    [row] = api.get("/api/letters/").json()["results"]

    assert row["channel_reason"] == "town_hall_email"
    assert row["channel_reason_display"] == "courriel à la mairie, à l'attention de l'élu·e"
    assert row["recipient_email"] == "mairie@salon.example.org"


def test_letters_are_signed_with_full_names_never_a_username(send, deputy, collective):
    unnamed = member_of(collective, signs_letters=True, title="trésorière")
    unnamed.first_name = unnamed.last_name = ""
    unnamed.save()
    signed = member_of(collective, signs_letters=True, title="co-présidente")
    signed.first_name, signed.last_name = "Camille", "Martin"
    signed.save()

    send([deputy], delivery="pdf", confirmed=True)

    html = letter_to(deputy).html
    assert "Camille Martin" in html
    assert "trésorière" not in html
    assert unnamed.username not in html


def test_letters_and_interpellations_are_named_by_their_rendered_subject(send, deputy, collective, api):
    interpellation, _job = send([deputy], delivery="pdf")
    letter = letter_to(deputy)

    assert interpellation.title == "Le plan vélo à Salon-de-Provence"
    assert str(interpellation) == "Le plan vélo à Salon-de-Provence"
    assert str(letter) == "Le plan vélo à Salon-de-Provence → Inès ROUX"
    api.force_authenticate(member_of(collective))
    assert api.get(f"/api/letters/{letter.pk}/").json()["subject"] == "Le plan vélo à Salon-de-Provence"
    assert api.get(f"/api/interpellations/{interpellation.pk}/").json()["title"] == "Le plan vélo à Salon-de-Provence"
    assert "subject" in site._registry[Letter].list_display


def test_a_reminder_is_named_by_its_subject_and_goes_where_its_letter_went(send, deputy):
    send([deputy], delivery="email", remind_after_days=7, max_reminders=1)
    mail.outbox.clear()

    reminders_send(now=timezone.now() + dt.timedelta(days=8))

    reminder = LetterReminder.objects.get()
    assert str(reminder) == "Relance n°1 : Le plan vélo à Salon-de-Provence"
    assert [email.to for email in OutboundEmail.objects.filter(idempotency_key__startswith="reminder:")] == [
        ["mairie@salon.example.org"]
    ]


def test_the_timeline_names_a_letter_by_its_subject(send, deputy, collective, api):
    send([deputy], delivery="pdf")
    api.force_authenticate(member_of(collective))

    events = api.get("/api/municipalities/13103/timeline/").json()

    assert "Courrier à Inès ROUX : Le plan vélo à Salon-de-Provence" in [event["title"] for event in events]
