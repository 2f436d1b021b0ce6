"""In the admin too, a coordinator invites people (through the invitation service) and
cannot enrol an existing account by picking it in the collective's member rows."""

import pytest
from django.core import mail

from campaigns.models import Invitation, Membership
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import CollectiveFactory, MembershipFactory
from tests.officials.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(db):
    return CollectiveFactory(slug="pays-salonais", name="Pays Salonais", territory=[MunicipalityFactory()])


@pytest.fixture
def coordinator(client, home):
    client.force_login(MembershipFactory(collective=home, role=Membership.Role.COORDINATOR).user)
    return client


def test_a_coordinator_cannot_add_an_existing_account_as_member_in_the_collective_form(coordinator, home):
    person = UserFactory(email="camille@example.org")
    data = {
        "name": home.name,
        "slug": home.slug,
        "contact_email": home.contact_email,
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-0-user": person.pk,
        "memberships-0-role": "coordinator",
        "memberships-0-signs_letters": "on",
        "_save": "Enregistrer",
    }

    coordinator.post(f"/admin/campaigns/collective/{home.pk}/change/", data)

    assert not Membership.objects.filter(user=person).exists()


def test_a_coordinator_invites_through_the_admin(coordinator, home, django_capture_on_commit_callbacks):
    person = UserFactory(email="camille@example.org")
    data = {
        "collective": home.pk,
        "email": "camille@example.org",
        "role": "member",
        "title": "",
        "_save": "Enregistrer",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post("/admin/campaigns/invitation/add/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    invitation = Invitation.objects.get()
    assert (invitation.user, invitation.state) == (person, "pending")
    assert not Membership.objects.filter(user=person).exists()
    assert [message.to for message in mail.outbox] == [["camille@example.org"]]
    page = coordinator.get("/admin/campaigns/invitation/").content.decode()
    assert person.last_name not in page
