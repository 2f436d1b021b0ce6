"""An event's programme: time slots, speakers (officials or named people), write-ups."""

import pytest

from campaigns.models import Speaker
from tests.campaigns.factories import EventFactory, ProgrammeItemFactory, in_office

pytestmark = pytest.mark.django_db


@pytest.fixture
def gathering(collective, salon):
    return EventFactory(collective=collective, municipality=salon, start_date="2023-03-04", end_date="2023-03-05")


def test_a_round_table_lists_an_official_and_association_speakers_in_order(as_role, gathering, salon):
    deputy = in_office(salon).official
    body = {
        "date": "2023-03-05",
        "start_time": "14:00",
        "end_time": "16:00",
        "title": "Table ronde sur la mobilité durable",
        "kind": "round_table",
        "question": "Comment développer le vélo au quotidien ?",
        "speakers": [
            {"official": deputy.pk, "role": "députée de la circonscription"},
            {"name": "Claire Martin", "organisation": "Vélo en Pays Salonais", "role": "présidente"},
        ],
    }

    response = as_role("member").post(f"/api/events/{gathering.pk}/programme/", body, format="json")

    assert response.status_code == 201, response.json()
    speakers = response.json()["speakers"]
    assert [speaker["official_name"] for speaker in speakers] == [str(deputy), None]
    assert speakers[1] == {
        "official": None,
        "official_name": None,
        "name": "Claire Martin",
        "organisation": "Vélo en Pays Salonais",
        "role": "présidente",
    }


def test_the_programme_is_read_in_time_order_by_anyone_for_a_public_event(as_role, gathering):
    ProgrammeItemFactory(event=gathering, date="2023-03-05", start_time="09:00", title="Dimanche")
    ProgrammeItemFactory(event=gathering, date="2023-03-04", start_time="14:00", title="Samedi après-midi")
    ProgrammeItemFactory(event=gathering, date="2023-03-04", start_time="09:30", title="Samedi matin")

    response = as_role("anonymous").get(f"/api/events/{gathering.pk}/programme/")

    assert [item["title"] for item in response.json()] == ["Samedi matin", "Samedi après-midi", "Dimanche"]


def test_a_members_only_events_programme_is_not_found_by_the_public(as_role, collective):
    event = EventFactory(collective=collective, is_public=False)
    ProgrammeItemFactory(event=event)

    assert as_role("anonymous").get(f"/api/events/{event.pk}/programme/").status_code == 404
    assert as_role("outsider").get(f"/api/events/{event.pk}/programme/").status_code == 200


def test_a_slot_outside_the_events_days_is_refused(as_role, gathering):
    response = as_role("member").post(
        f"/api/events/{gathering.pk}/programme/",
        {"date": "2023-03-06", "title": "Lundi", "kind": "workshop"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "date": ["Le 06/03/2023 n'est pas un jour de la rencontre (du 04/03/2023 au 05/03/2023)."]
    }


def test_a_speaker_without_official_nor_name_is_refused_and_nothing_is_written(as_role, gathering):
    item = ProgrammeItemFactory(event=gathering, title="Avant")
    response = as_role("member").patch(
        f"/api/events/{gathering.pk}/programme/{item.pk}/",
        {"title": "Après", "speakers": [{"organisation": "Alternatiba"}]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"speakers": ["Intervenant·e n° 1 : choisissez un·e élu·e ou donnez le nom."]}
    item.refresh_from_db()
    assert item.title == "Avant"


def test_the_write_up_is_added_after_the_event_and_speakers_are_replaced(as_role, gathering):
    item = ProgrammeItemFactory(event=gathering)
    Speaker.objects.create(item=item, name="Ancien nom")

    response = as_role("member").patch(
        f"/api/events/{gathering.pk}/programme/{item.pk}/",
        {"write_up": "Trois pistes retenues.", "speakers": [{"name": "Nadia Benali"}]},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["write_up"] == "Trois pistes retenues."
    assert list(item.speakers.values_list("name", flat=True)) == ["Nadia Benali"]


def test_members_of_another_collective_cannot_change_the_programme(as_role, gathering):
    item = ProgrammeItemFactory(event=gathering)

    assert (
        as_role("outsider")
        .patch(f"/api/events/{gathering.pk}/programme/{item.pk}/", {"title": "x"}, format="json")
        .status_code
        == 403
    )
    assert as_role("member").delete(f"/api/events/{gathering.pk}/programme/{item.pk}/").status_code == 403
    assert as_role("coordinator").delete(f"/api/events/{gathering.pk}/programme/{item.pk}/").status_code == 204


def test_an_item_of_another_event_is_not_found_under_this_one(as_role, gathering, collective):
    other = ProgrammeItemFactory(event=EventFactory(collective=collective))

    assert as_role("member").get(f"/api/events/{gathering.pk}/programme/{other.pk}/").status_code == 404
