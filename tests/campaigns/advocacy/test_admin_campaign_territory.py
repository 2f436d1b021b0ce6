"""In the admin too, a campaign's municipalities are within its collective's territory (the
rule the API applies, from campaigns.collectives.access)."""

import pytest

from campaigns.models import Campaign, Membership
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def form_data(collective, municipalities):
    return {
        "collective": collective.pk,
        "title": "Mobilités durables",
        "objective": "",
        "municipalities": [municipality.pk for municipality in municipalities],
        "status": "planned",
        "is_public": "on",
        "_save": "Enregistrer",
    }


def test_a_member_cannot_target_a_municipality_outside_the_territory(client, collective, salon, outside):
    client.force_login(MembershipFactory(collective=collective, role=Membership.Role.MEMBER).user)

    response = client.post("/admin/campaigns/campaign/add/", form_data(collective, [salon, outside]))

    assert response.status_code == 200
    assert "La commune 13001 ne fait pas partie du territoire du collectif « Pays Salonais »." in (
        response.content.decode()
    )
    assert not Campaign.objects.exists()


def test_a_member_targets_municipalities_of_the_territory(client, collective, salon):
    client.force_login(MembershipFactory(collective=collective, role=Membership.Role.MEMBER).user)

    response = client.post("/admin/campaigns/campaign/add/", form_data(collective, [salon]))

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(Campaign.objects.get().municipalities.values_list("pk", flat=True)) == [salon.pk]


def test_staff_may_go_beyond_the_territory(client, collective, outside):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.post("/admin/campaigns/campaign/add/", form_data(collective, [outside]))

    assert response.status_code == 302, response.context["adminform"].form.errors


def test_an_action_cannot_join_another_collectives_campaign_in_the_admin(client, collective, other_collective):
    from campaigns.models import Action
    from tests.campaigns.factories import CampaignFactory

    user = MembershipFactory(collective=collective, role=Membership.Role.MEMBER).user
    MembershipFactory(collective=other_collective, user=user)
    theirs = CampaignFactory(collective=other_collective)
    client.force_login(user)

    response = client.post(
        "/admin/campaigns/action/add/",
        {
            "collective": collective.pk,
            "campaign": theirs.pk,
            "kind": "letter",
            "date": "2026-10-01",
            "title": "Courrier",
            "outcome": "pending",
            "links": "",
            "is_public": "on",
            "_save": "Enregistrer",
        },
    )

    assert response.status_code == 200
    assert "Cette campagne appartient à un autre collectif." in response.content.decode()
    assert not Action.objects.exists()


# The admin writes through the same services as the API (campaigns.advocacy.services).


def test_a_campaign_added_in_the_admin_is_written_by_the_service(client, collective, salon):
    user = MembershipFactory(collective=collective, role=Membership.Role.MEMBER).user
    client.force_login(user)

    response = client.post("/admin/campaigns/campaign/add/", form_data(collective, [salon]))

    assert response.status_code == 302, response.context["adminform"].form.errors
    campaign = Campaign.objects.get()
    # Who created it is the service's to record, as through the API.
    assert campaign.created_by == user
    assert list(campaign.municipalities.values_list("pk", flat=True)) == [salon.pk]


def test_a_campaign_changed_in_the_admin_keeps_its_creator_and_takes_the_new_targets(client, collective, salon):
    from tests.campaigns.factories import CampaignFactory

    creator = MembershipFactory(collective=collective).user
    campaign = CampaignFactory(collective=collective, created_by=creator)
    client.force_login(MembershipFactory(collective=collective, role=Membership.Role.MEMBER).user)

    response = client.post(
        f"/admin/campaigns/campaign/{campaign.pk}/change/", {**form_data(collective, [salon]), "title": "Vélo"}
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    campaign.refresh_from_db()
    assert (campaign.title, campaign.created_by) == ("Vélo", creator)
    assert list(campaign.municipalities.values_list("pk", flat=True)) == [salon.pk]


def test_an_action_added_in_the_admin_is_written_by_the_service(client, collective, salon):
    from campaigns.models import Action
    from tests.campaigns.factories import CampaignFactory

    user = MembershipFactory(collective=collective, role=Membership.Role.MEMBER).user
    ours = CampaignFactory(collective=collective)
    client.force_login(user)

    response = client.post(
        "/admin/campaigns/action/add/",
        {
            "collective": collective.pk,
            "campaign": ours.pk,
            "kind": "letter",
            "date": "2026-10-01",
            "title": "Courrier",
            "municipality": salon.pk,
            "outcome": "pending",
            "links": "",
            "is_public": "on",
            "_save": "Enregistrer",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    action = Action.objects.get()
    assert (action.campaign, action.created_by, action.municipality) == (ours, user, salon)
