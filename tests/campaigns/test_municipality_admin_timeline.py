"""The municipality's page in the admin shows its timeline: letters with their state,
replies, reminders, actions, each linked to its page, as the user may see them."""

import datetime as dt
import html

import pytest
from django.utils import timezone

from campaigns.models import Letter, LetterReminder
from tests.campaigns.factories import (
    ActionFactory,
    InterpellationFactory,
    LetterFactory,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
    member_of,
)

pytestmark = pytest.mark.django_db

PAGE = "/admin/officials/municipality/13103/change/"


@pytest.fixture
def history(collective, other_collective, salon):
    mayor = in_office(salon, first_name="Élodie", last_name="IMBERT").official
    letter = LetterFactory(
        interpellation=InterpellationFactory(collective=collective),
        official=mayor,
        municipality=salon,
        status=Letter.Status.ANSWERED,
        posted_on=dt.date(2026, 10, 2),
        sent_at=timezone.make_aware(dt.datetime(2026, 10, 2, 12)),
        reply_date=dt.date(2026, 10, 20),
        reply_summary="La maire accepte un rendez-vous.",
    )
    reminder = LetterReminder.objects.create(
        letter=letter,
        number=1,
        channel=Letter.Channel.PAPER,
        status=Letter.Status.POSTED,
        posted_on=dt.date(2026, 10, 12),
        sent_at=timezone.make_aware(dt.datetime(2026, 10, 12, 12)),
    )
    action = ActionFactory(
        collective=collective,
        municipality=salon,
        title="Question au conseil sur le vélo",
        kind="council_question",
        date=dt.date(2026, 9, 15),
    )
    theirs = ActionFactory(
        collective=other_collective, municipality=salon, title="Pétition du Pays d'Aix", is_public=False
    )
    return {"letter": letter, "reminder": reminder, "action": action, "theirs": theirs}


def test_a_member_reads_the_municipalitys_timeline_with_links_to_each_entry(client, collective, history):
    client.force_login(member_of(collective))

    page = html.unescape(client.get(PAGE).content.decode())

    timeline = page[page.index("Chronologie") :]
    entries = [
        "15/09/2026",
        "Question au conseil sur le vélo",
        "02/10/2026",
        "Courrier à Élodie IMBERT",
        "réponse reçue — courrier papier",
        "12/10/2026",
        "Relance n°1 à Élodie IMBERT",
        "20/10/2026",
        "Réponse d'Élodie IMBERT",
        "La maire accepte un rendez-vous.",
    ]
    positions = [timeline.index(entry) for entry in entries]
    assert positions == sorted(positions)
    assert f'href="/admin/campaigns/letter/{history["letter"].pk}/change/"' in timeline
    assert f'href="/admin/campaigns/letterreminder/{history["reminder"].pk}/change/"' in timeline
    assert f'href="/admin/campaigns/action/{history["action"].pk}/change/"' in timeline
    assert "Pétition du Pays d'Aix" not in timeline


def test_another_collectives_member_does_not_see_the_letters(client, other_collective, history):
    client.force_login(member_of(other_collective))

    page = html.unescape(client.get(PAGE).content.decode())

    assert "Chronologie" in page
    assert "Courrier à Élodie IMBERT" not in page and "Réponse de Élodie IMBERT" not in page
    assert "Pétition du Pays d'Aix" in page
