"""Adding a person is an invitation that the person accepts: a coordinator learns nothing
about an existing account (neither its name nor that it exists) and enrols nobody by force."""

import re

import pytest
from django.core import mail
from rest_framework.test import APIClient

from campaigns.models import Invitation, Membership
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import MembershipFactory

pytestmark = pytest.mark.django_db

URL = "/api/collectives/pays-salonais/members/"


def invite(client, email, **fields):
    return client.post(URL, {"email": email, "role": "member", "signs_letters": True, **fields}, format="json")


def client_of(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_an_existing_account_is_not_enrolled_nor_named_before_it_accepts(as_role, collective):
    person = UserFactory(email="camille@example.org", first_name="Camille", last_name="Secrète")

    response = invite(as_role("coordinator"), "camille@example.org")

    assert response.status_code == 201, response.json()
    assert "Camille" not in response.content.decode() and "Secrète" not in response.content.decode()
    assert not Membership.objects.filter(user=person).exists()
    members = as_role("coordinator").get(URL).json()
    assert "camille@example.org" not in [member["email"] for member in members]


def test_an_existing_and_a_new_address_get_answers_of_the_same_shape(as_role, collective):
    UserFactory(email="camille@example.org")
    coordinator = as_role("coordinator")

    existing = invite(coordinator, "camille@example.org", first_name="Léa").json()
    new = invite(coordinator, "nouvelle@example.org", first_name="Léa").json()

    ignore = {"id", "email", "created_at"}
    assert {k: v for k, v in existing.items() if k not in ignore} == {k: v for k, v in new.items() if k not in ignore}
    assert set(existing) == set(new)


def test_the_invitee_gets_an_email_with_a_link_and_accepts(as_role, collective, django_capture_on_commit_callbacks):
    person = UserFactory(email="camille@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        invite(as_role("coordinator"), "camille@example.org", title="trésorière")

    [message] = mail.outbox
    assert message.to == ["camille@example.org"]
    assert message.subject == "Invitation à rejoindre le collectif « Pays Salonais »"
    assert re.search(r"https?://\S+/api/invitations/", message.body)

    invitee = client_of(person)
    [listed] = invitee.get("/api/invitations/").json()["results"]
    assert (listed["collective"], listed["collective_name"], listed["state"]) == (
        "pays-salonais",
        "Pays Salonais",
        "pending",
    )
    response = invitee.post(f"/api/invitations/{listed['id']}/accept/")

    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "accepted"
    membership = Membership.objects.get(user=person, collective=collective)
    assert (membership.role, membership.title, membership.signs_letters) == ("member", "trésorière", True)
    # Once accepted, the collective sees the person.
    assert "camille@example.org" in [m["email"] for m in as_role("coordinator").get(URL).json()]


def test_the_invitee_may_decline(as_role, collective):
    person = UserFactory(email="camille@example.org")
    invite(as_role("coordinator"), "camille@example.org")
    invitation = Invitation.objects.get()

    response = client_of(person).post(f"/api/invitations/{invitation.pk}/decline/")

    assert response.status_code == 200
    assert response.json()["state"] == "declined"
    assert not Membership.objects.filter(user=person).exists()
    assert client_of(person).post(f"/api/invitations/{invitation.pk}/accept/").status_code == 400


def test_nobody_else_sees_or_accepts_an_invitation(as_role, collective):
    UserFactory(email="camille@example.org")
    invite(as_role("coordinator"), "camille@example.org")
    invitation = Invitation.objects.get()
    stranger = client_of(UserFactory())

    assert stranger.get("/api/invitations/").json()["results"] == []
    assert stranger.post(f"/api/invitations/{invitation.pk}/accept/").status_code == 404
    assert as_role("coordinator").post(f"/api/invitations/{invitation.pk}/accept/").status_code == 404
    assert APIClient().get("/api/invitations/").status_code == 401
    assert not Membership.objects.filter(user__email="camille@example.org").exists()


def test_inviting_twice_while_pending_is_a_clear_error(as_role, collective):
    UserFactory(email="camille@example.org")
    coordinator = as_role("coordinator")
    invite(coordinator, "camille@example.org")

    response = invite(coordinator, "Camille@example.org")

    assert response.status_code == 400
    assert response.json() == {"email": ["Une invitation attend déjà la réponse de Camille@example.org."]}


def test_a_member_already_there_is_a_clear_error(as_role, collective):
    MembershipFactory(collective=collective, user__email="camille@example.org")

    response = invite(as_role("coordinator"), "camille@example.org")

    assert response.status_code == 400
    assert response.json() == {"email": ["camille@example.org est déjà membre de ce collectif."]}


@pytest.mark.parametrize(("role", "status"), [("anonymous", 401), ("outsider", 403), ("member", 200)])
def test_the_collective_lists_its_invitations_without_the_accounts_data(as_role, collective, role, status):
    UserFactory(email="camille@example.org", last_name="Secrète")
    invite(as_role("coordinator"), "camille@example.org")

    response = as_role(role).get("/api/collectives/pays-salonais/invitations/")

    assert response.status_code == status
    if status == 200:
        assert [(row["email"], row["state"]) for row in response.json()] == [("camille@example.org", "pending")]
        assert "Secrète" not in response.content.decode()
