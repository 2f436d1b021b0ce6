"""The campaign and action services hold the collective's rules (membership, territory): the
API and the admin both get them from there, with the same French messages."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from campaigns.advocacy.services import action_create, action_update, campaign_create, campaign_update
from campaigns.models import Action, Campaign, Membership
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import ActionFactory, CampaignFactory, MembershipFactory
from tests.officials.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

OUTSIDE = "La commune 13001 ne fait pas partie du territoire du collectif « Pays Salonais »."
NOT_A_MEMBER = "Vous n'êtes pas membre du collectif « Pays Salonais »."


def test_a_campaign_is_refused_to_a_writer_who_is_not_a_member(collective, other_collective):
    with pytest.raises(ValidationError) as refused:
        campaign_create(collective=collective, by=MembershipFactory(collective=other_collective).user, title="Vélo")

    assert refused.value.message_dict == {"collective": [NOT_A_MEMBER]}
    assert not Campaign.objects.exists()


def test_the_system_writes_a_campaign_within_the_territory_only(collective, salon, outside):
    with pytest.raises(ValidationError) as refused:
        campaign_create(collective=collective, by=None, title="Vélo", municipalities=[salon, outside])

    assert refused.value.message_dict == {"municipalities": [OUTSIDE]}
    assert not Campaign.objects.exists()
    assert campaign_create(collective=collective, by=None, title="Vélo", municipalities=[salon]).created_by is None


def test_staff_may_target_municipalities_beyond_the_territory(collective, outside):
    campaign = campaign_create(
        collective=collective, by=UserFactory(is_staff=True), title="Vélo", municipalities=[outside]
    )

    assert list(campaign.municipalities.all()) == [outside]


def test_a_campaign_update_checks_only_the_municipalities_it_adds(collective, salon, outside):
    member = MembershipFactory(collective=collective).user
    campaign = campaign_create(collective=collective, by=member, title="Vélo", municipalities=[salon])
    pelissanne = MunicipalityFactory(insee_code="13069", name="Pélissanne")
    collective.territory.set([pelissanne])  # Salon has left the territory

    campaign_update(campaign=campaign, by=member, municipalities=[salon, pelissanne], title="Vélo partout")
    assert set(Campaign.objects.get().municipalities.all()) == {salon, pelissanne}

    with pytest.raises(ValidationError) as refused:
        campaign_update(campaign=Campaign.objects.get(), by=member, municipalities=[salon, outside])
    assert refused.value.message_dict == {"municipalities": [OUTSIDE]}
    assert set(Campaign.objects.get().municipalities.all()) == {salon, pelissanne}


def test_an_action_is_refused_outside_the_territory_even_to_the_system(collective, outside):
    with pytest.raises(ValidationError) as refused:
        action_create(
            collective=collective, by=None, kind="letter", date=dt.date(2026, 10, 1), title="Courrier",
            municipality=outside,
        )  # fmt: skip

    assert refused.value.message_dict == {"municipality": [OUTSIDE]}
    assert not Action.objects.exists()


def test_an_action_update_keeps_its_municipality_and_refuses_a_non_member(collective, other_collective, salon):
    action = ActionFactory(collective=collective, municipality=salon)
    collective.territory.clear()
    member = MembershipFactory(collective=collective).user

    action_update(action=action, by=member, title="Courrier envoyé")
    assert Action.objects.get().title == "Courrier envoyé"

    with pytest.raises(ValidationError) as refused:
        action_update(action=Action.objects.get(), by=MembershipFactory(collective=other_collective).user, title="X")
    assert refused.value.message_dict == {"collective": [NOT_A_MEMBER]}
    assert Action.objects.get().title == "Courrier envoyé"


# The API and the admin answer the services' refusals on the field they name.


def test_the_api_refuses_a_campaign_outside_the_territory_on_its_field(as_role, collective, salon, outside):
    response = as_role("member").post(
        "/api/campaigns/",
        {"collective": collective.slug, "title": "Vélo", "municipalities": [salon.pk, outside.pk]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"municipalities": [OUTSIDE]}
    assert not Campaign.objects.exists()


def test_the_api_refuses_an_action_to_a_non_member(as_role, collective):
    response = as_role("outsider").post(
        "/api/actions/",
        {"collective": collective.slug, "kind": "letter", "date": "2026-10-01", "title": "Courrier"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"collective": [NOT_A_MEMBER]}
    assert not Action.objects.exists()


def test_the_api_keeps_an_actions_municipality_the_territory_no_longer_holds(as_role, collective, salon):
    action = ActionFactory(collective=collective, municipality=salon)
    collective.territory.clear()

    response = as_role("member").patch(f"/api/actions/{action.pk}/", {"title": "Relance"}, format="json")

    assert response.status_code == 200, response.json()
    assert Action.objects.get().title == "Relance"


def test_the_admin_shows_the_territory_refusal_on_the_campaigns_field(client, collective, salon, outside):
    campaign = CampaignFactory(collective=collective)
    campaign.municipalities.add(salon)
    client.force_login(MembershipFactory(collective=collective, role=Membership.Role.MEMBER).user)

    response = client.post(
        f"/admin/campaigns/campaign/{campaign.pk}/change/",
        {
            "collective": collective.pk,
            "title": "Vélo",
            "objective": "",
            "municipalities": [salon.pk, outside.pk],
            "status": "planned",
            "is_public": "on",
            "_save": "Enregistrer",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["municipalities"] == [OUTSIDE]
    campaign.refresh_from_db()
    assert campaign.title != "Vélo"
    assert list(campaign.municipalities.all()) == [salon]
