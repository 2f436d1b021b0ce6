"""The participants' counts by category of the listed events, as a CSV file."""

import datetime as dt

import pytest

from campaigns.gatherings.services.events import ParticipantInput, participants_set
from tests.campaigns.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_the_export_has_a_line_per_event_and_category_of_the_filtered_events(as_role, collective, salon):
    october = EventFactory(collective=collective, title="Rencontre des praticien·nes", kind="practitioners_meeting",
                           start_date=dt.date(2022, 10, 4), municipality=salon)  # fmt: skip
    participants_set(
        by=None,
        event=october,
        participants=[
            ParticipantInput("agents", 4),
            ParticipantInput("consultant·es", 10),
            ParticipantInput("=salarié·es", 2),
        ],
    )
    other = EventFactory(collective=collective, kind="training", start_date=dt.date(2023, 1, 10))
    participants_set(by=None, event=other, participants=[ParticipantInput("membres", 12)])
    hidden = EventFactory(collective=collective, kind="practitioners_meeting", is_public=False)
    participants_set(by=None, event=hidden, participants=[ParticipantInput("membres", 99)])

    response = as_role("anonymous").get("/api/events/participants/", {"kind": "practitioners_meeting"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    meeting = "04/10/2022;Rencontre des praticien·nes;rencontre de praticien·nes;Salon-de-Provence;Pays Salonais"
    assert response.content.decode("utf-8-sig").splitlines() == [
        "Date;Rencontre;Type;Commune;Collectif organisateur;Catégorie;Nombre",
        f"{meeting};agents;4",
        f"{meeting};consultant·es;10",
        f"{meeting};'=salarié·es;2",
    ]
    member_lines = as_role("member").get("/api/events/participants/").content.decode("utf-8-sig").splitlines()
    assert len(member_lines) == 1 + 3 + 1 + 1
