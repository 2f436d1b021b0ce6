"""Dates as people type them, JJ/MM/AAAA, as well as AAAA-MM-JJ, in the API and the admin;
a date the reader cannot read is refused with a message that gives the format."""

import datetime

import pytest

from campaigns.models import Action, Membership
from tests.campaigns.factories import MembershipFactory
from tests.openapi import openapi

pytestmark = pytest.mark.django_db


def action_payload(collective, date: str) -> dict:
    return {"collective": collective.slug, "kind": "letter", "date": date, "title": "Courrier au maire"}


@pytest.mark.parametrize("typed", ["25/12/2026", "2026-12-25"])
def test_the_api_reads_a_date_typed_either_way_and_sends_it_as_iso(as_role, collective, typed):
    response = as_role("member").post("/api/actions/", action_payload(collective, typed), format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["date"] == "2026-12-25"
    assert Action.objects.get().date == datetime.date(2026, 12, 25)


@pytest.mark.parametrize("typed", ["31/02/2026", "12-25-2026", "25.12.26", "demain"])
def test_the_api_refuses_an_unreadable_date_and_gives_the_format(as_role, collective, typed):
    response = as_role("member").post("/api/actions/", action_payload(collective, typed), format="json")

    assert response.status_code == 400
    assert response.json() == {"date": ["Date au mauvais format : écrivez-la JJ/MM/AAAA (ou AAAA-MM-JJ)."]}
    assert not Action.objects.exists()


def test_the_schema_still_sends_dates_as_iso():
    action = openapi()["components"]["schemas"]["Action"]["properties"]["date"]

    assert action == {"type": "string", "format": "date"}


def admin_action(collective, date: str) -> dict:
    return {"collective": collective.pk, "kind": "letter", "date": date, "title": "Courrier", "outcome": "pending",
            "links": "", "_save": "Enregistrer"}  # fmt: skip


@pytest.mark.parametrize("typed", ["01/10/2026", "2026-10-01"])
def test_the_admin_reads_a_date_typed_either_way(client, collective, typed):
    client.force_login(MembershipFactory(collective=collective, role=Membership.Role.MEMBER).user)

    response = client.post("/admin/campaigns/action/add/", admin_action(collective, typed))

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Action.objects.get().date == datetime.date(2026, 10, 1)


def test_the_admin_refuses_an_unreadable_date_and_gives_the_format(client, collective):
    client.force_login(MembershipFactory(collective=collective, role=Membership.Role.MEMBER).user)

    response = client.post("/admin/campaigns/action/add/", admin_action(collective, "32/10/2026"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["date"] == [
        "Saisissez une date valide, au format JJ/MM/AAAA (ou AAAA-MM-JJ)."
    ]
    assert not Action.objects.exists()
