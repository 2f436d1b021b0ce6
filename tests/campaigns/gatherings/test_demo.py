"""The demo's gatherings: the Salon-de-Provence regional gathering of March 2023 and the
Marseille practitioners' meeting of October 2022, as the field reports tell them."""

import io

import pytest
from django.core.management import call_command

from campaigns.gatherings.demo import MAP_REQUEST, MARSEILLE_TITLE, SALON_TITLE
from campaigns.gatherings.selectors import feedback_summary, proposal_grid
from campaigns.models import ActionIdea, Event, Lesson, ProgrammeItem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("setup_demo", "--no-admin", stdout=io.StringIO())


def test_the_salon_gathering_has_its_programme_lessons_ideas_resources_and_feedback():
    event = Event.objects.get(title=SALON_TITLE)

    assert (event.start_date.isoformat(), event.end_date.isoformat()) == ("2023-03-04", "2023-03-05")
    assert event.municipality.name == "Salon-de-Provence"
    assert sum(event.participant_counts.values_list("count", flat=True)) == 30
    kinds = set(event.programme.values_list("kind", flat=True))
    assert {ProgrammeItem.Kind.WORKSHOP, ProgrammeItem.Kind.TRAINING, ProgrammeItem.Kind.SHOW,
            ProgrammeItem.Kind.ROUND_TABLE} <= kinds  # fmt: skip
    round_table = event.programme.get(kind=ProgrammeItem.Kind.ROUND_TABLE)
    assert round_table.question and round_table.speakers.filter(role="député·e").exists()
    assert set(event.lessons.values_list("kind", flat=True)) == set(Lesson.Kind.values)
    assert ActionIdea.objects.filter(event=event, question__startswith="Comment obtenir que la mairie").exists()
    assert event.resources.count() == 4
    figures = feedback_summary(survey=event.survey)
    assert round(figures["recommend_share"]) == 86
    assert [word["word"] for word in figures["words"][:2]] == ["constructive", "inspirante"]


def test_the_marseille_meeting_follows_june_counts_its_participants_and_fills_its_grid():
    event = Event.objects.get(title=MARSEILLE_TITLE, start_date="2022-10-04")

    assert event.follows.start_date.month == 6
    assert list(event.participant_counts.values_list("count", flat=True)) == [4, 10, 2]
    assert event.next_subject == "Le cadre juridique de la commande publique"
    assert event.requests == [MAP_REQUEST]
    [row] = proposal_grid(proposals=event.proposals.all())
    assert [len(row[kind]) for kind in ("we_could", "they_could", "we_need")] == [2, 2, 2]


def test_running_the_demo_again_adds_no_gathering():
    before = (Event.objects.count(), Lesson.objects.count(), ActionIdea.objects.count())

    call_command("setup_demo", "--no-admin", stdout=io.StringIO())

    assert (Event.objects.count(), Lesson.objects.count(), ActionIdea.objects.count()) == before
