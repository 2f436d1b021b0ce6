"""An initiative is linked to events and campaigns through its service (only those the writer
may read); an event shows its initiatives; the map and the GeoJSON export name the public
events linked, and a change of one serves a new map."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from campaigns.gatherings.services.events import event_update
from campaigns.initiatives.models import Initiative
from campaigns.initiatives.services import initiative_create, initiative_update
from tests.campaigns.factories import CampaignFactory, EventFactory, InitiativeFactory, member_of
from tests.officials.factories import DepartmentFactory
from tests.openapi import assert_conforms

pytestmark = pytest.mark.django_db


@pytest.fixture
def gathering(collective):
    return EventFactory(collective=collective, title="Rencontre régionale", start_date=dt.date(2023, 3, 4))


def test_a_member_links_an_initiative_to_events_and_the_event_shows_it(as_role, collective, salon, gathering):
    members_only = EventFactory(collective=collective, title="Entre nous", is_public=False)
    member = as_role("member")

    created = member.post(
        "/api/initiatives/",
        {"name": "Vélo-école", "kind": "association", "municipality": salon.pk, "collective": collective.slug,
         "events": [gathering.pk, members_only.pk]},
        format="json",
    )  # fmt: skip

    assert created.status_code == 201, created.json()
    assert_conforms(created)
    assert sorted(created.json()["events"]) == sorted([gathering.pk, members_only.pk])
    initiative = Initiative.objects.get()
    # Proposed: not on the map yet, nor on the event.
    assert as_role("anonymous").get(f"/api/events/{gathering.pk}/").json()["initiatives"] == []
    initiative.status = Initiative.Status.VALIDATED
    initiative.save()
    shown = as_role("anonymous").get(f"/api/events/{gathering.pk}/")
    assert_conforms(shown)
    assert shown.json()["initiatives"] == [{"id": initiative.pk, "name": "Vélo-école", "kind": "association"}]
    listed = as_role("member").get("/api/events/")
    assert_conforms(listed)
    assert {row["title"]: [i["name"] for i in row["initiatives"]] for row in listed.json()["results"]} == {
        "Rencontre régionale": ["Vélo-école"],
        "Entre nous": ["Vélo-école"],
    }


def test_a_private_campaign_of_another_collective_is_not_found_and_the_service_refuses_it(
    as_role, collective, other_collective, salon
):
    hidden = CampaignFactory(collective=other_collective, title="Stratégie interne", is_public=False)
    public = CampaignFactory(collective=other_collective, title="Un vélo par école", is_public=True)
    body = {"name": "Vélo-école", "kind": "association", "municipality": salon.pk, "collective": collective.slug}

    refused = as_role("member").post("/api/initiatives/", {**body, "campaigns": [hidden.pk]}, format="json")
    accepted = as_role("member").post("/api/initiatives/", {**body, "campaigns": [public.pk]}, format="json")

    assert refused.status_code == 400
    assert "campaigns" in refused.json()
    assert accepted.status_code == 201, accepted.json()
    assert list(Initiative.objects.get().campaigns.all()) == [public]
    member = member_of(collective)
    with pytest.raises(ValidationError) as caught:
        initiative_create(by=member, collective=collective, municipality=salon, name="X", kind="project",
                          campaigns=[hidden])  # fmt: skip
    assert caught.value.message_dict == {"campaigns": ["La campagne « Stratégie interne » ne vous est pas visible."]}


def test_a_link_kept_is_not_checked_again_and_the_system_links_anything(collective, other_collective, salon):
    hidden = CampaignFactory(collective=other_collective, is_public=False)
    initiative = initiative_create(by=None, collective=collective, municipality=salon, name="Ferme", kind="project",
                                   campaigns=[hidden])  # fmt: skip
    member = member_of(collective)

    initiative_update(initiative=initiative, by=member, description="Ouverte le samedi", campaigns=[hidden])

    assert list(initiative.campaigns.all()) == [hidden]
    assert initiative.description == "Ouverte le samedi"


def test_the_map_and_the_geojson_name_the_public_events_linked(
    as_role, collective, salon, gathering, django_capture_on_commit_callbacks
):
    DepartmentFactory(code="13")
    salon.department_id, salon.centroid_longitude, salon.centroid_latitude = "13", 5.1, 43.64
    salon.save()
    members_only = EventFactory(collective=collective, title="Entre nous", is_public=False)
    initiative = InitiativeFactory(name="Vélo-école", municipality=salon, collective=collective)
    initiative.events.set([gathering, members_only])

    def events_on_map():
        response = as_role("anonymous").get("/api/map/", {"department": "13"})
        assert_conforms(response)
        [feature] = [f for f in response.json()["features"] if f["properties"]["layer"] == "initiative"]
        return feature["properties"]["events"]

    assert events_on_map() == [{"id": gathering.pk, "title": "Rencontre régionale", "start_date": "2023-03-04"}]
    geojson = as_role("anonymous").get("/api/initiatives/geojson/")
    assert_conforms(geojson)
    assert [e["title"] for e in geojson.json()["features"][0]["properties"]["events"]] == ["Rencontre régionale"]

    with django_capture_on_commit_callbacks(execute=True):
        event_update(event=gathering, by=None, title="Rencontre régionale de Salon")
    assert [event["title"] for event in events_on_map()] == ["Rencontre régionale de Salon"]

    with django_capture_on_commit_callbacks(execute=True):
        response = as_role("coordinator").delete(f"/api/events/{gathering.pk}/")
    assert response.status_code == 204
    assert events_on_map() == []


def test_the_admin_links_events_through_the_service_and_the_event_page_lists_its_initiatives(
    collective, salon, gathering
):
    client = Client()
    client.force_login(member_of(collective))
    form = {"name": "Repair café", "kind": "association", "collective": collective.pk, "links": "",
            "municipality": salon.pk, "events": [gathering.pk]}  # fmt: skip

    response = client.post("/admin/campaigns/initiative/add/", form)

    assert response.status_code == 302, response.context["adminform"].form.errors
    initiative = Initiative.objects.get()
    assert list(initiative.events.all()) == [gathering]
    assert initiative.status == Initiative.Status.PROPOSED
    initiative.status = Initiative.Status.VALIDATED
    initiative.save()
    page = client.get(f"/admin/campaigns/event/{gathering.pk}/change/").content.decode()
    assert "Repair café" in page
