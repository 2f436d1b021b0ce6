"""A municipality's timeline shows the events held there, as their readers may see them."""

import datetime as dt

import pytest

from tests.campaigns.factories import EventFactory
from tests.openapi import assert_conforms

pytestmark = pytest.mark.django_db


def test_the_timeline_shows_the_events_held_in_the_municipality(as_role, collective, salon, outside):
    EventFactory(collective=collective, municipality=salon, start_date=dt.date(2023, 3, 4), title="Rencontre régionale")
    EventFactory(collective=collective, municipality=salon, start_date=dt.date(2023, 5, 2), title="Entre nous",
                 is_public=False)  # fmt: skip
    EventFactory(collective=collective, municipality=outside, title="Ailleurs")

    response = as_role("anonymous").get(f"/api/municipalities/{salon.insee_code}/timeline/")
    assert_conforms(response)
    public = response.json()
    members = as_role("member").get(f"/api/municipalities/{salon.insee_code}/timeline/").json()

    assert [(entry["date"], entry["kind"], entry["title"]) for entry in public] == [
        ("2023-03-04", "event", "Rencontre régionale")
    ]
    assert public[0]["summary"] == "rencontre régionale"
    assert public[0]["collective"] == collective.slug
    assert [entry["title"] for entry in members if entry["kind"] == "event"] == ["Rencontre régionale", "Entre nous"]
