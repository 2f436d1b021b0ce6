"""Events through the API: who writes them, who reads them, their participants and bounds."""

import pytest
from rest_framework.test import APIClient

from campaigns.models import Event, Membership
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import CollectiveFactory, EventFactory, MembershipFactory, member_of

pytestmark = pytest.mark.django_db


def salon_gathering(collective, salon, **fields):
    return {
        "collective": collective.slug,
        "title": "Rencontre régionale des collectifs du Pacte",
        "kind": "regional_gathering",
        "start_date": "2023-03-04",
        "start_time": "09:30",
        "end_date": "2023-03-05",
        "end_time": "16:00",
        "municipality": salon.insee_code,
        "venue": "Salle Marcel Pagnol",
        "partners": ["Alternatiba", "Réseau Action Climat"],
        "participants": [{"category": "membres des collectifs", "count": 24}, {"category": "élu·es", "count": 3}],
        **fields,
    }


def test_a_member_records_a_gathering_with_its_participants_counted_by_category(as_role, collective, salon):
    partner = CollectiveFactory(slug="marseille", name="Marseille")
    body = salon_gathering(collective, salon, co_organisers=[partner.slug], attending_collectives=[partner.slug])

    response = as_role("member").post("/api/events/", body, format="json")

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["participants"] == [
        {"category": "membres des collectifs", "count": 24},
        {"category": "élu·es", "count": 3},
    ]
    assert data["participants_total"] == 27
    assert data["municipality_name"] == "Salon-de-Provence"
    assert data["kind_display"] == "rencontre régionale"
    event = Event.objects.get(pk=data["id"])
    assert list(event.co_organisers.all()) == [partner]
    assert event.created_by is not None


def test_changing_the_counts_replaces_them(as_role, collective):
    event = EventFactory(collective=collective)
    client = as_role("member")
    client.patch(f"/api/events/{event.pk}/", {"participants": [{"category": "agents", "count": 4}]}, format="json")

    response = client.patch(
        f"/api/events/{event.pk}/",
        {"participants": [{"category": "consultant·es", "count": 10}, {"category": "agents", "count": 4}]},
        format="json",
    )

    assert response.json()["participants_total"] == 14
    assert list(event.participant_counts.values_list("category", flat=True)) == ["consultant·es", "agents"]


def test_a_category_counted_twice_is_refused_and_nothing_changes(as_role, collective):
    event = EventFactory(collective=collective, title="Avant")
    response = as_role("member").patch(
        f"/api/events/{event.pk}/",
        {"title": "Après", "participants": [{"category": "Agents", "count": 4}, {"category": "agents ", "count": 1}]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"participants": ["La catégorie « agents » est comptée deux fois."]}
    event.refresh_from_db()
    assert event.title == "Avant"


def test_an_event_cannot_end_before_it_starts(as_role, collective, salon):
    response = as_role("member").post(
        "/api/events/", salon_gathering(collective, salon, end_date="2023-03-01"), format="json"
    )

    assert response.status_code == 400
    assert "La date de fin de la rencontre précède sa date de début." in str(response.json())


def test_an_event_cannot_follow_itself(as_role, collective):
    event = EventFactory(collective=collective)

    response = as_role("member").patch(f"/api/events/{event.pk}/", {"follows": event.pk}, format="json")

    assert response.status_code == 400
    assert response.json() == {"follows": ["Une rencontre ne peut pas être la suite d'elle-même."]}


def test_a_follow_up_names_the_earlier_meeting(as_role, collective):
    june = EventFactory(collective=collective, title="Rencontre de juin")
    response = as_role("member").post(
        "/api/events/",
        {"collective": collective.slug, "title": "Rencontre d'octobre", "kind": "practitioners_meeting",
         "start_date": "2022-10-04", "follows": june.pk, "next_subject": "Le cadre juridique de la commande publique"},
        format="json",
    )  # fmt: skip

    assert response.status_code == 201, response.json()
    assert list(june.follow_ups.values_list("title", flat=True)) == ["Rencontre d'octobre"]
    assert as_role("anonymous").get("/api/events/", {"follows": june.pk}).json()["count"] == 1


def test_a_non_member_cannot_record_an_event_for_a_collective(as_role, collective, salon):
    response = as_role("outsider").post("/api/events/", salon_gathering(collective, salon), format="json")

    assert response.status_code == 400
    assert response.json() == {"collective": ["Vous n'êtes pas membre du collectif « Pays Salonais »."]}
    assert not Event.objects.exists()


def test_a_member_cannot_hand_an_event_to_a_collective_they_are_not_in(as_role, collective, other_collective):
    event = EventFactory(collective=collective)

    response = as_role("member").patch(f"/api/events/{event.pk}/", {"collective": other_collective.slug}, format="json")

    assert response.status_code == 400
    assert response.json() == {"collective": ["Vous n'êtes pas membre du collectif « Pays d'Aix »."]}
    event.refresh_from_db()
    assert event.collective == collective


def test_a_members_event_may_move_beyond_the_territory(as_role, collective, outside):
    event = EventFactory(collective=collective)

    response = as_role("member").patch(f"/api/events/{event.pk}/", {"municipality": outside.insee_code}, format="json")

    assert response.status_code == 200, response.json()
    event.refresh_from_db()
    assert event.municipality == outside


@pytest.mark.parametrize(
    ("role", "sees_it"),
    [("anonymous", False), ("outsider", True), ("member", True), ("staff", True)],
)
def test_members_only_events_are_read_by_the_networks_members(as_role, collective, role, sees_it):
    EventFactory(collective=collective, title="Publique")
    private = EventFactory(collective=collective, title="Entre nous", is_public=False)

    client = as_role(role)
    titles = {event["title"] for event in client.get("/api/events/").json()["results"]}

    assert titles == ({"Publique", "Entre nous"} if sees_it else {"Publique"})
    assert client.get(f"/api/events/{private.pk}/").status_code == (200 if sees_it else 404)


def test_someone_in_no_collective_reads_public_events_only(api, collective):
    EventFactory(collective=collective, is_public=False)
    api.force_authenticate(UserFactory())

    assert api.get("/api/events/").json()["count"] == 0


def test_events_filter_by_organiser_co_organiser_attendance_kind_and_dates(api, collective, other_collective):
    EventFactory(collective=collective, title="Organisée")
    co_organised = EventFactory(collective=other_collective, title="Co-organisée")
    co_organised.co_organisers.add(collective)
    attended = EventFactory(collective=other_collective, title="Suivie", kind=Event.Kind.TRAINING)
    attended.attending_collectives.add(collective)
    EventFactory(collective=other_collective, title="Ailleurs", start_date="2024-01-10")

    def titles(**query):
        return sorted(event["title"] for event in api.get("/api/events/", query).json()["results"])

    assert titles(collective=collective.slug) == ["Co-organisée", "Organisée"]
    assert titles(attending=collective.slug) == ["Suivie"]
    assert titles(kind="training") == ["Suivie"]
    assert titles(date_after="2024-01-01") == ["Ailleurs"]


def test_a_coordinator_deletes_an_event_a_member_does_not(collective):
    event = EventFactory(collective=collective)
    member, coordinator = APIClient(), APIClient()
    member.force_authenticate(member_of(collective))
    coordinator.force_authenticate(MembershipFactory(collective=collective, role=Membership.Role.COORDINATOR).user)

    assert member.delete(f"/api/events/{event.pk}/").status_code == 403
    assert coordinator.delete(f"/api/events/{event.pk}/").status_code == 204
    assert not Event.objects.exists()


def test_partners_and_requests_are_bounded_lists_of_lines(as_role, collective, salon):
    response = as_role("member").post(
        "/api/events/", salon_gathering(collective, salon, requests=["x" * 301]), format="json"
    )

    assert response.status_code == 400
    assert "requests" in response.json()


def test_a_gathering_may_be_held_beyond_the_collectives_territory(as_role, collective, outside):
    response = as_role("member").post("/api/events/", salon_gathering(collective, outside), format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["municipality_name"] == "Aix-en-Provence"


def test_a_count_beyond_the_bound_is_refused(as_role, collective):
    event = EventFactory(collective=collective)

    response = as_role("member").patch(
        f"/api/events/{event.pk}/", {"participants": [{"category": "agents", "count": 10**20}]}, format="json"
    )

    assert response.status_code == 400
    assert "participants" in response.json()
    assert not event.participant_counts.exists()
