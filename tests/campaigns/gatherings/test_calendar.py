"""The iCalendar feed of public events (RFC 5545), national and per collective, read back
with the icalendar parser as a calendar application would."""

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest

from tests.campaigns.factories import EventFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def feed(api, **query) -> icalendar.Calendar:
    response = api.get("/api/events/calendar/", query)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def entries(calendar) -> dict[str, icalendar.Event]:
    return {str(entry["summary"]): entry for entry in calendar.walk("VEVENT")}


def test_the_feed_is_a_valid_calendar_of_the_public_events_only(api, collective, salon):
    EventFactory(
        collective=collective,
        title="Rencontre régionale",
        start_date=dt.date(2023, 3, 4),
        start_time=dt.time(9, 30),
        end_date=dt.date(2023, 3, 5),
        end_time=dt.time(16, 0),
        municipality=salon,
        venue="Salle Marcel Pagnol",
        description="Deux jours d'échanges.",
    )
    EventFactory(collective=collective, title="Entre membres", is_public=False)

    calendar = feed(api)

    assert str(calendar["version"]) == "2.0"
    assert str(calendar["prodid"]) == "-//Pacte tracker//Rencontres//FR"
    [entry] = calendar.walk("VEVENT")
    assert str(entry["summary"]) == "Rencontre régionale"
    assert entry.decoded("dtstart") == dt.datetime(2023, 3, 4, 9, 30, tzinfo=PARIS)
    assert entry.decoded("dtend") == dt.datetime(2023, 3, 5, 16, 0, tzinfo=PARIS)
    assert entry["dtstart"].params["TZID"] == "Europe/Paris"
    assert str(entry["location"]) == "Salle Marcel Pagnol, Salon-de-Provence"
    assert str(entry["description"]) == "Deux jours d'échanges."
    assert str(entry["uid"]).startswith("event-")
    assert "dtstamp" in entry
    # Every TZID used is defined by a VTIMEZONE of the calendar (RFC 5545, 3.2.19).
    assert [str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_an_event_without_times_is_a_whole_day_ending_the_day_after(api, collective):
    EventFactory(collective=collective, title="Journée", start_date=dt.date(2022, 10, 4))

    entry = entries(feed(api))["Journée"]

    assert entry.decoded("dtstart") == dt.date(2022, 10, 4)
    assert entry.decoded("dtend") == dt.date(2022, 10, 5)
    assert entry["dtstart"].params["VALUE"] == "DATE"


def test_a_collectives_feed_has_the_events_it_organises_or_co_organises(api, collective, other_collective):
    EventFactory(collective=collective, title="Organisée")
    co_organised = EventFactory(collective=other_collective, title="Co-organisée")
    co_organised.co_organisers.add(collective)
    EventFactory(collective=other_collective, title="Ailleurs")

    calendar = feed(api, collective=collective.slug)

    assert sorted(entries(calendar)) == ["Co-organisée", "Organisée"]
    assert str(calendar["x-wr-calname"]) == "Rencontres — Pays Salonais"
    assert sorted(entries(feed(api))) == ["Ailleurs", "Co-organisée", "Organisée"]


def test_the_feed_of_an_unknown_collective_is_not_found(api):
    response = api.get("/api/events/calendar/", {"collective": "inconnu"})

    assert response.status_code == 404
    assert response.json() == {"detail": "Aucun collectif n'a l'identifiant « inconnu »."}


def test_a_members_only_event_stays_out_of_the_feed_even_for_members(as_role, collective):
    EventFactory(collective=collective, is_public=False)

    response = as_role("member").get("/api/events/calendar/")

    assert icalendar.Calendar.from_ical(response.content).walk("VEVENT") == []


def test_a_one_day_event_with_a_start_time_only_is_a_moment_without_end(api, collective):
    EventFactory(collective=collective, title="Réunion publique", start_date=dt.date(2023, 5, 2),
                 start_time=dt.time(18, 30))  # fmt: skip

    entry = entries(feed(api))["Réunion publique"]

    assert entry.decoded("dtstart") == dt.datetime(2023, 5, 2, 18, 30, tzinfo=PARIS)
    assert "dtend" not in entry
