"""Lessons: practices to keep, stop and start, listed and filtered across the network."""

import pytest

from campaigns.models import Lesson
from tests.campaigns.factories import EventFactory, LessonFactory, ThemeFactory, make_pact

pytestmark = pytest.mark.django_db


def test_a_member_records_what_their_collective_keeps(as_role, collective, pact):
    event = EventFactory(collective=collective)
    mobility = ThemeFactory(pact=pact, code="mobilites", name="mobilités")

    response = as_role("member").post(
        "/api/lessons/",
        {"collective": collective.slug, "event": event.pk, "kind": "keep", "text": "Un binôme par commune",
         "themes": [mobility.pk]},
        format="json",
    )  # fmt: skip

    assert response.status_code == 201, response.json()
    assert response.json()["kind_display"] == "à garder"
    lesson = Lesson.objects.get()
    assert (lesson.event, list(lesson.themes.all())) == (event, [mobility])


def test_what_do_others_keep_lists_every_collectives_lessons_filtered(api, collective, other_collective, pact):
    mobility = ThemeFactory(pact=pact, code="mobilites")
    event = EventFactory(collective=collective)
    kept = LessonFactory(collective=other_collective, event=event, kind=Lesson.Kind.KEEP, text="Gardé à Aix")
    kept.themes.add(mobility)
    LessonFactory(collective=collective, event=event, kind=Lesson.Kind.KEEP, text="Gardé à Salon")
    LessonFactory(collective=collective, event=event, kind=Lesson.Kind.STOP, text="Cessé à Salon")
    LessonFactory(
        collective=collective, event=EventFactory(collective=collective), kind=Lesson.Kind.START, text="Ailleurs"
    )

    def texts(**query):
        return sorted(lesson["text"] for lesson in api.get("/api/lessons/", query).json()["results"])

    assert texts(kind="keep") == ["Gardé à Aix", "Gardé à Salon"]
    assert texts(kind="keep", theme=mobility.pk) == ["Gardé à Aix"]
    assert texts(collective=collective.slug, event=event.pk) == ["Cessé à Salon", "Gardé à Salon"]
    assert texts(search="Aix") == ["Gardé à Aix"]


def test_lessons_of_a_members_only_event_or_of_no_event_are_for_the_network(as_role, collective):
    LessonFactory(collective=collective, text="Publique")
    LessonFactory(collective=collective, event=EventFactory(collective=collective, is_public=False), text="Privée")
    LessonFactory(collective=collective, event=None, text="Sans rencontre")

    public = {lesson["text"] for lesson in as_role("anonymous").get("/api/lessons/").json()["results"]}
    network = {lesson["text"] for lesson in as_role("outsider").get("/api/lessons/").json()["results"]}

    assert public == {"Publique"}
    assert network == {"Publique", "Privée", "Sans rencontre"}


def test_themes_of_two_pacts_are_refused(as_role, collective, pact):
    first, second = ThemeFactory(pact=pact), ThemeFactory(pact=make_pact())
    response = as_role("member").post(
        "/api/lessons/",
        {"collective": collective.slug, "kind": "start", "text": "Un atelier vélo", "themes": [first.pk, second.pk]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"themes": ["Choisissez les thématiques d'un même pacte."]}
    assert not Lesson.objects.exists()


def test_an_empty_lesson_is_refused(as_role, collective):
    response = as_role("member").post(
        "/api/lessons/", {"collective": collective.slug, "kind": "keep", "text": ""}, format="json"
    )

    assert response.status_code == 400


def test_another_collectives_member_cannot_change_a_lesson(as_role, collective):
    lesson = LessonFactory(collective=collective)

    assert as_role("outsider").patch(f"/api/lessons/{lesson.pk}/", {"text": "x"}, format="json").status_code == 403
    assert as_role("member").delete(f"/api/lessons/{lesson.pk}/").status_code == 403
    assert as_role("coordinator").delete(f"/api/lessons/{lesson.pk}/").status_code == 204


def test_a_member_cannot_hand_a_lesson_to_a_collective_they_are_not_in(as_role, collective, other_collective):
    lesson = LessonFactory(collective=collective, event=EventFactory(collective=collective))
    body = {"collective": other_collective.slug}

    response = as_role("member").patch(f"/api/lessons/{lesson.pk}/", body, format="json")

    assert response.status_code == 400
    assert response.json() == {"collective": ["Vous n'êtes pas membre du collectif « Pays d'Aix »."]}
    lesson.refresh_from_db()
    assert lesson.collective == collective
