import html

import pytest
from django.test import Client

from campaigns.initiatives.models import Initiative
from tests.campaigns.factories import InitiativeFactory, MembershipFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/campaigns/initiative/"


def signed_in(user) -> Client:
    user.is_staff = False
    client = Client()
    client.force_login(user)
    return client


def test_a_coordinator_validates_the_proposed_initiatives_of_the_collective(collective, salon):
    proposed = InitiativeFactory(collective=collective, municipality=salon, status=Initiative.Status.PROPOSED)
    coordinator = MembershipFactory(collective=collective, role="coordinator").user

    response = signed_in(coordinator).post(
        CHANGELIST, {"action": "validate", "_selected_action": [proposed.pk]}, follow=True
    )

    proposed.refresh_from_db()
    assert proposed.status == Initiative.Status.VALIDATED and proposed.validated_by == coordinator
    assert "1 initiative validée." in response.text


def test_a_member_s_validation_is_refused_with_a_message(collective, salon):
    proposed = InitiativeFactory(collective=collective, municipality=salon, status=Initiative.Status.PROPOSED)
    member = MembershipFactory(collective=collective).user

    response = signed_in(member).post(
        CHANGELIST, {"action": "validate", "_selected_action": [proposed.pk]}, follow=True
    )

    proposed.refresh_from_db()
    assert proposed.status == Initiative.Status.PROPOSED
    assert "non validée" in response.text


def test_a_member_proposes_one_through_the_admin_form_within_the_territory(collective, salon, outside):
    member = MembershipFactory(collective=collective).user
    client = signed_in(member)
    form = {"name": "Repair café", "kind": "association", "collective": collective.pk, "links": ""}

    refused = client.post(f"{CHANGELIST}add/", {**form, "municipality": outside.pk})
    created = client.post(f"{CHANGELIST}add/", {**form, "municipality": salon.pk})

    assert "ne fait pas partie du territoire" in refused.text
    assert created.status_code == 302
    initiative = Initiative.objects.get()
    assert initiative.status == Initiative.Status.PROPOSED and initiative.created_by == member


def test_the_admin_form_refuses_links_that_are_not_web_addresses(collective, salon):
    member = MembershipFactory(collective=collective).user
    form = {"name": "Repair café", "kind": "association", "collective": collective.pk, "municipality": salon.pk}

    response = signed_in(member).post(
        f"{CHANGELIST}add/", {**form, "links": ["https://repair.example.org", "ftp://exemple.org"]}
    )

    assert response.status_code == 200 and not Initiative.objects.exists()
    assert "Ligne 2 : « ftp://exemple.org » n'est pas une adresse web (http ou https)." in html.unescape(response.text)
