"""The paper desk of the letters admin: what a member's collectives have "à poster"
(letters and paper reminders), printed as one PDF, marked posted on a date asked on a page
of its own; and the reply rates, sortable."""

import datetime as dt
import html

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from campaigns.models import Letter, LetterReminder
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import (
    InterpellationFactory,
    LetterFactory,
    blank_pdf,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
    member_of,
    pdf_pages,
    with_pdf,
)
from tests.officials.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

DESK = "/admin/campaigns/letter/a-poster/"
RATES = "/admin/campaigns/letter/taux-de-reponse/"
TODAY = timezone.localdate()
RENDERED = timezone.now() - dt.timedelta(days=5)


def to_post(interpellation, municipality, pages=1, **fields) -> Letter:
    letter = LetterFactory(
        interpellation=interpellation,
        official=in_office(municipality, last_name=fields.pop("name", "Durand")).official,
        municipality=municipality,
        status=Letter.Status.TO_POST,
        sent_at=None,
        rendered_at=RENDERED,
        **fields,
    )
    return with_pdf(letter, pages)


def paper_reminder(letter, pages=1) -> LetterReminder:
    reminder = LetterReminder.objects.create(
        letter=letter, number=1, channel=Letter.Channel.PAPER, status=Letter.Status.TO_POST, subject="Relance"
    )
    LetterReminder.objects.filter(pk=reminder.pk).update(created_at=RENDERED)
    reminder.refresh_from_db()
    reminder.pdf.save("relance.pdf", ContentFile(blank_pdf(pages)))
    return reminder


@pytest.fixture
def interpellation(collective):
    return InterpellationFactory(collective=collective)


@pytest.fixture
def desk(interpellation, salon):
    """A letter to post (2 pages), and a paper reminder (1 page) of a letter posted before."""
    letter = to_post(interpellation, salon, pages=2, name="Bernard")
    posted = LetterFactory(
        interpellation=interpellation,
        official=in_office(salon, last_name="Martin").official,
        municipality=salon,
        status=Letter.Status.POSTED,
        posted_on=TODAY - dt.timedelta(days=30),
    )
    return letter, paper_reminder(posted)


def page(response) -> str:
    return html.unescape(response.content.decode())


def test_a_member_sees_what_their_collective_has_to_post_and_nothing_of_another(
    client, collective, other_collective, outside, desk
):
    letter, reminder = desk
    theirs = to_post(InterpellationFactory(collective=other_collective), outside, name="Aixois")
    client.force_login(member_of(collective))

    shown = page(client.get(DESK))

    assert f'value="letter-{letter.pk}"' in shown
    assert f'value="reminder-{reminder.pk}"' in shown
    assert f'value="letter-{theirs.pk}"' not in shown
    assert "2 à poster" in shown


def test_the_desk_filters_by_municipality_and_interpellation(client, collective, interpellation, desk):
    letter, reminder = desk
    elsewhere = MunicipalityFactory(insee_code="13097", name="Saint-Chamas")
    collective.territory.add(elsewhere)
    other = to_post(InterpellationFactory(collective=collective), elsewhere, name="Petit")
    client.force_login(member_of(collective))

    by_town = page(client.get(DESK, {"municipality": "13097"}))
    by_interpellation = page(client.get(DESK, {"interpellation": interpellation.pk}))

    assert f'value="letter-{other.pk}"' in by_town and f'value="letter-{letter.pk}"' not in by_town
    assert f'value="letter-{letter.pk}"' in by_interpellation
    assert f'value="reminder-{reminder.pk}"' in by_interpellation
    assert f'value="letter-{other.pk}"' not in by_interpellation


def test_a_selection_of_letters_and_reminders_prints_as_one_pdf_with_all_their_pages(client, collective, desk):
    letter, reminder = desk
    client.force_login(member_of(collective))

    response = client.post(DESK, {"do": "print", "items": [f"letter-{letter.pk}", f"reminder-{reminder.pk}"]})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert pdf_pages(response.content) == 3


def test_the_letters_list_prints_its_selection_as_one_pdf(client, collective, interpellation, salon):
    letters = [to_post(interpellation, salon, pages=pages, name=f"Nom{pages}") for pages in (1, 2, 3)]
    client.force_login(member_of(collective))

    response = client.post(
        "/admin/campaigns/letter/", {"action": "print_pdf", "_selected_action": [letters[0].pk, letters[2].pk]}
    )

    assert response["Content-Type"] == "application/pdf"
    assert pdf_pages(response.content) == 4


def test_another_collectives_letters_can_be_neither_printed_nor_posted(client, other_collective, desk):
    letter, reminder = desk
    client.force_login(member_of(other_collective))
    items = [f"letter-{letter.pk}", f"reminder-{reminder.pk}"]

    printed = client.post(DESK, {"do": "print", "items": items}, follow=True)
    posted = client.post(DESK, {"do": "post", "items": items, "apply": "1", "date": f"{TODAY:%d/%m/%Y}"}, follow=True)

    assert printed["Content-Type"].startswith("text/html")
    assert "Cochez au moins un courrier ou une relance." in page(posted)
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.TO_POST
    assert LetterReminder.objects.get(pk=reminder.pk).status == Letter.Status.TO_POST


def test_marking_posted_asks_for_the_date_and_takes_it_as_jj_mm_aaaa(client, collective, desk):
    letter, reminder = desk
    client.force_login(member_of(collective))
    items = {"do": "post", "items": [f"letter-{letter.pk}", f"reminder-{reminder.pk}"]}
    day = TODAY - dt.timedelta(days=2)

    asked = page(client.post(DESK, items))
    done = client.post(DESK, {**items, "apply": "1", "date": f"{day:%d/%m/%Y}"}, follow=True)

    assert "Date de dépôt à la poste" in asked and "ces 2 documents ont été déposés" in asked
    assert "1 courrier marqué comme posté. 1 relance marquée comme postée." in page(done)
    assert Letter.objects.filter(pk=letter.pk).values_list("status", "posted_on").get() == ("posted", day)
    assert LetterReminder.objects.filter(pk=reminder.pk).values_list("status", "posted_on").get() == ("posted", day)


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("", "Indiquez la date de dépôt à la poste."),
        ("31/02/2026", "Saisissez une date au format JJ/MM/AAAA."),
        (f"{TODAY + dt.timedelta(days=1):%d/%m/%Y}", "La date de dépôt ne peut pas être dans le futur."),
        (f"{TODAY - dt.timedelta(days=20):%d/%m/%Y}", "il ne peut pas avoir été posté avant"),
    ],
)
def test_a_missing_or_wrong_date_is_refused_on_the_page_and_nothing_is_posted(client, collective, desk, date, message):
    letter, reminder = desk
    client.force_login(member_of(collective))

    response = client.post(
        DESK, {"do": "post", "items": [f"letter-{letter.pk}", f"reminder-{reminder.pk}"], "apply": "1", "date": date}
    )

    assert response.status_code == 200
    assert message in page(response)
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.TO_POST
    assert LetterReminder.objects.get(pk=reminder.pk).status == Letter.Status.TO_POST


def test_the_reply_rates_are_listed_per_official_and_per_municipality_and_sorted(client, collective, interpellation):
    towns = [MunicipalityFactory(name=name) for name in ("Lançon-Provence", "Pélissanne")]
    for town, answered in ((towns[0], 1), (towns[1], 2)):
        for number in range(2):
            status = Letter.Status.ANSWERED if number < answered else Letter.Status.SENT
            LetterFactory(
                interpellation=interpellation,
                official=in_office(town, last_name=f"{town.name[:3]}{number}").official,
                municipality=town,
                status=status,
            )
    client.force_login(member_of(collective))

    lowest_first = page(client.get(RATES, {"by": "municipality"}))
    highest_first = page(client.get(RATES, {"by": "municipality", "o": "-rate"}))
    by_official = page(client.get(RATES, {"by": "official", "o": "label"}))

    assert lowest_first.index("Lançon-Provence") < lowest_first.index("Pélissanne")
    assert "50 %" in lowest_first and "100 %" in lowest_first
    assert highest_first.index("Pélissanne") < highest_first.index("Lançon-Provence")
    assert by_official.index("Lan0 ") < by_official.index("Lan1 ") < by_official.index("Pél0 ")


def test_the_reply_rates_count_only_the_users_collectives(client, other_collective, collective, interpellation, salon):
    LetterFactory(interpellation=interpellation, official=in_office(salon).official, municipality=salon)
    client.force_login(member_of(other_collective))

    assert "Salon-de-Provence" not in page(client.get(RATES, {"by": "municipality"}))


def test_a_rate_links_to_the_letters_it_counts(client, collective, interpellation, salon, outside):
    mayor = in_office(salon, last_name="Salonais").official
    LetterFactory(interpellation=interpellation, official=mayor, municipality=salon)
    LetterFactory(
        interpellation=interpellation, official=in_office(outside, last_name="Aixois").official, municipality=outside
    )
    client.force_login(member_of(collective))

    for by, key in (
        ("municipality", "municipality__insee_code__exact=13103"),
        ("official", f"official__id__exact={mayor.pk}"),
    ):
        rates = page(client.get(RATES, {"by": by}))
        listed = client.get(f"/admin/campaigns/letter/?{key}")

        assert f"?{key}" in rates
        assert listed.status_code == 200
        assert "Salonais" in page(listed) and "Aixois" not in page(listed)


@pytest.mark.parametrize("url", [DESK, RATES])
def test_someone_of_no_collective_is_sent_to_the_login_page(client, desk, url):
    client.force_login(UserFactory())

    response = client.get(url)

    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
