"""The iCalendar feed (RFC 5545) of public events, that calendar applications subscribe to."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from campaigns.gatherings.models import Event

FEED_MAX_EVENTS = 500  # the latest ones: a feed stays small enough for any calendar application
PRODUCT_ID = "-//Pacte tracker//Rencontres//FR"


def _uid(event: Event) -> str:
    return f"event-{event.pk}@{urlsplit(settings.SITE_URL).hostname or 'localhost'}"


def _location(event: Event) -> str:
    parts = [event.venue, event.address]
    if event.municipality_id and event.municipality.name not in event.address:
        parts.append(event.municipality.name)
    return ", ".join(part for part in parts if part)


def _dates(event: Event) -> tuple[dt.date | dt.datetime, dt.date | dt.datetime | None]:
    """Start and end as RFC 5545 wants them: local times with their zone, or whole days
    (the end of a whole-day event is the day after its last day, not included). A one-day
    event with a start time and no end time has no end: it is a moment (RFC 5545, 3.6.1)."""
    if event.start_time is None:
        return event.start_date, event.last_date + dt.timedelta(days=1)
    zone = ZoneInfo(settings.TIME_ZONE)
    start = dt.datetime.combine(event.start_date, event.start_time, tzinfo=zone)
    if event.end_time is not None:
        return start, max(start, dt.datetime.combine(event.last_date, event.end_time, tzinfo=zone))
    if event.last_date > event.start_date:
        return start, dt.datetime.combine(event.last_date, dt.time(23, 59), tzinfo=zone)
    return start, None


def calendar_feed(*, events: QuerySet[Event], name: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    for event in events.select_related("municipality").order_by("-start_date", "-id")[:FEED_MAX_EVENTS]:
        start, end = _dates(event)
        entry = icalendar.Event()
        entry.add("uid", _uid(event))
        entry.add("dtstamp", stamp)
        entry.add("last-modified", event.updated_at)
        entry.add("dtstart", start)
        if end is not None:
            entry.add("dtend", end)
        entry.add("summary", event.title)
        entry.add("categories", [event.get_kind_display()])
        entry.add("status", "CONFIRMED")
        if event.description:
            entry.add("description", event.description)
        location = _location(event)
        if location:
            entry.add("location", location)
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()
