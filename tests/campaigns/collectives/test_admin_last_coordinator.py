"""In the admin too, a collective keeps at least one coordinator (the membership service's rule)."""

import pytest

from campaigns.models import Membership
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import CollectiveFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(db):
    return CollectiveFactory(slug="pays-salonais", name="Pays Salonais")


@pytest.fixture
def staff(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def form_data(collective, rows):
    data = {
        "name": collective.name,
        "slug": collective.slug,
        "contact_email": collective.contact_email,
        "memberships-TOTAL_FORMS": str(len(rows)),
        "memberships-INITIAL_FORMS": str(len(rows)),
        "_save": "Enregistrer",
    }
    for index, (membership, role, delete) in enumerate(rows):
        data |= {
            f"memberships-{index}-id": membership.pk,
            f"memberships-{index}-collective": collective.pk,
            f"memberships-{index}-user": membership.user_id,
            f"memberships-{index}-role": role,
            f"memberships-{index}-title": membership.title,
        }
        if delete:
            data[f"memberships-{index}-DELETE"] = "on"
    return data


def test_the_admin_cannot_remove_the_last_coordinator(staff, home):
    last = MembershipFactory(collective=home, role=Membership.Role.COORDINATOR)

    response = staff.post(
        f"/admin/campaigns/collective/{home.pk}/change/", form_data(home, [(last, "coordinator", True)]), follow=True
    )

    assert Membership.objects.filter(pk=last.pk, role="coordinator").exists()
    assert "Le collectif doit garder au moins un·e coordinateur·rice." in response.content.decode()


def test_the_admin_cannot_make_the_last_coordinator_a_member(staff, home):
    last = MembershipFactory(collective=home, role=Membership.Role.COORDINATOR)

    staff.post(f"/admin/campaigns/collective/{home.pk}/change/", form_data(home, [(last, "member", False)]))

    assert Membership.objects.get(pk=last.pk).role == "coordinator"


def test_the_admin_hands_over_coordination_in_one_save(staff, home):
    leaving = MembershipFactory(collective=home, role=Membership.Role.COORDINATOR)
    coming = MembershipFactory(collective=home, role=Membership.Role.MEMBER)

    response = staff.post(
        f"/admin/campaigns/collective/{home.pk}/change/",
        form_data(home, [(leaving, "member", True), (coming, "coordinator", False)]),
    )

    assert response.status_code == 302
    assert list(home.memberships.values_list("pk", "role")) == [(coming.pk, "coordinator")]
