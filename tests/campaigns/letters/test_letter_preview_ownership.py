"""The template preview takes only the caller's collective's campaign and templates, by the
rule interpellations follow."""

import pytest

from tests.campaigns.factories import (
    CampaignFactory,
    LetterTemplateFactory,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
)

pytestmark = pytest.mark.django_db


def test_it_refuses_a_campaign_of_another_collective(as_role, collective, other_collective, salon):
    secret = CampaignFactory(collective=other_collective, title="Plan secret", objective="Objectif interne")
    mayor = in_office(salon, "maire")
    template = LetterTemplateFactory(collective=collective, body="{{ campaign.title }} {{ campaign.objective }}")

    response = as_role("member").post(
        f"/api/letter-templates/{template.pk}/preview/",
        {"official": mayor.official_id, "campaign": secret.pk},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"campaign": ["Cette campagne appartient à un autre collectif."]}
    assert "Plan secret" not in response.content.decode()


def test_interpellation_creation_refuses_it_with_the_same_message(as_role, collective, other_collective, salon):
    secret = CampaignFactory(collective=other_collective)
    mayor = in_office(salon, "maire")
    template = LetterTemplateFactory(collective=collective)

    response = as_role("member").post(
        "/api/interpellations/",
        {
            "collective": collective.slug,
            "template": template.pk,
            "campaign": secret.pk,
            "officials": [mayor.official_id],
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"campaign": ["Cette campagne appartient à un autre collectif."]}


def test_it_previews_the_collectives_own_campaign(as_role, collective, salon):
    campaign = CampaignFactory(collective=collective, title="Mobilités douces")
    mayor = in_office(salon, "maire")
    template = LetterTemplateFactory(collective=collective, body="Campagne : {{ campaign.title }}")

    response = as_role("member").post(
        f"/api/letter-templates/{template.pk}/preview/",
        {"official": mayor.official_id, "campaign": campaign.pk},
        format="json",
    )

    assert response.status_code == 200
    assert "Campagne : Mobilités douces" in response.json()["html"]


def test_it_refuses_to_preview_a_template_for_another_collective_of_the_caller(collective, other_collective, salon):
    from rest_framework.test import APIClient

    from tests.campaigns.factories import MembershipFactory

    user = MembershipFactory(collective=collective).user
    MembershipFactory(collective=other_collective, user=user)
    client = APIClient()
    client.force_authenticate(user)
    template = LetterTemplateFactory(collective=collective)

    response = client.post(
        f"/api/letter-templates/{template.pk}/preview/",
        {"official": in_office(salon, "maire").official_id, "collective": other_collective.slug},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"template": ["Ce modèle appartient à un autre collectif."]}
