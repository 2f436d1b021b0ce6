import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from campaigns.models import Membership
from tests.campaigns.factories import MembershipFactory

pytestmark = pytest.mark.django_db

URL = "/api/collectives/pays-salonais/members/"


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("outsider", 403), ("member", 200), ("coordinator", 200), ("staff", 200)],
)
def test_members_personal_data_is_shown_to_the_collective_only(as_role, collective, role, status):
    MembershipFactory(collective=collective, user__email="camille@example.org")
    response = as_role(role).get(URL)
    assert response.status_code == status
    if status == 200:
        assert "camille@example.org" in [member["email"] for member in response.json()]


def test_the_public_profile_has_no_member_data_nor_postal_address(as_role, collective):
    MembershipFactory(collective=collective, user__email="camille@example.org")
    body = as_role("anonymous").get(f"/api/collectives/{collective.slug}/").json()
    assert "camille@example.org" not in str(body)
    assert "postal_address" not in body
    assert "postal_address" in as_role("member").get(f"/api/collectives/{collective.slug}/").json()


def test_a_coordinator_adds_a_newcomer_who_gets_an_invitation_to_set_a_password(
    as_role, collective, client, django_capture_on_commit_callbacks
):
    coordinator = as_role("coordinator")
    # The invitation leaves only once the membership is committed.
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(
            URL, {"email": "Nouvelle@Example.org", "first_name": "Léa", "role": "member"}, format="json"
        )

    assert response.status_code == 201, response.json()
    user = get_user_model().objects.get(email="Nouvelle@example.org")
    assert not user.has_usable_password()
    # A member once the invitation is accepted, not before.
    assert not Membership.objects.filter(user=user).exists()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Nouvelle@example.org"]
    assert message.subject == "Invitation à rejoindre le collectif « Pays Salonais »"
    link = re.search(r"https?://\S+/accounts/reset/\S+/", message.body).group(0)
    path = link.split("127.0.0.1:8000", 1)[1]
    page = client.get(path, follow=True)
    assert page.status_code == 200
    set_password = client.post(
        page.redirect_chain[-1][0], {"new_password1": "un-mot-de-passe-long", "new_password2": "un-mot-de-passe-long"}
    )
    assert set_password.status_code == 302
    user.refresh_from_db()
    assert user.check_password("un-mot-de-passe-long")
    assert "/api/invitations/" in message.body
    assert client.login(username=user.username, password="un-mot-de-passe-long")
    [invitation] = client.get("/api/invitations/").json()["results"]
    assert client.post(f"/api/invitations/{invitation['id']}/accept/").status_code == 200
    assert Membership.objects.get(user=user).collective == collective


def test_adding_someone_twice_is_a_clear_error(as_role, collective):
    MembershipFactory(collective=collective, user__email="camille@example.org")
    response = as_role("coordinator").post(URL, {"email": "camille@example.org"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"email": ["camille@example.org est déjà membre de ce collectif."]}


@pytest.mark.parametrize(("role", "status"), [("member", 403), ("outsider", 403), ("anonymous", 401)])
def test_only_coordinators_and_staff_manage_members(as_role, collective, role, status):
    target = MembershipFactory(collective=collective)
    client = as_role(role)
    assert client.post(URL, {"email": "x@example.org"}, format="json").status_code == status
    assert client.patch(f"{URL}{target.pk}/", {"role": "coordinator"}, format="json").status_code == status
    assert client.delete(f"{URL}{target.pk}/").status_code == status


def test_a_coordinator_changes_a_role_and_removes_a_member(as_role, collective):
    target = MembershipFactory(collective=collective)
    client = as_role("coordinator")

    assert (
        client.patch(f"{URL}{target.pk}/", {"role": "coordinator", "signs_letters": True}, format="json").status_code
        == 200
    )
    target.refresh_from_db()
    assert (target.role, target.signs_letters) == ("coordinator", True)
    assert client.delete(f"{URL}{target.pk}/").status_code == 204
    assert not Membership.objects.filter(pk=target.pk).exists()


def test_the_last_coordinator_cannot_leave_nor_step_down(as_role, collective):
    last = MembershipFactory(collective=collective, role=Membership.Role.COORDINATOR)
    staff = as_role("staff")

    response = staff.patch(f"{URL}{last.pk}/", {"role": "member"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"role": ["Le collectif doit garder au moins un·e coordinateur·rice."]}
    assert staff.delete(f"{URL}{last.pk}/").status_code == 400
    assert Membership.objects.filter(pk=last.pk, role="coordinator").exists()


def test_me_lists_my_collectives_and_roles(collective, other_collective):
    from rest_framework.test import APIClient

    membership = MembershipFactory(collective=collective, role=Membership.Role.COORDINATOR, title="co-présidente")
    MembershipFactory(collective=other_collective, user=membership.user)
    client = APIClient()
    client.force_authenticate(membership.user)

    body = client.get("/api/me/").json()

    assert body["username"] == membership.user.username
    assert sorted((c["slug"], c["role"]) for c in body["collectives"]) == [
        ("pays-aixois", "member"),
        ("pays-salonais", "coordinator"),
    ]


def test_me_needs_to_be_signed_in(api):
    assert api.get("/api/me/").status_code == 401
