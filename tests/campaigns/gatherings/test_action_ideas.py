"""Action ideas: one call turns an idea into a campaign of each collective that takes it up,
through the advocacy services, and the idea keeps the link."""

import pytest

from campaigns.models import ActionIdea, Campaign
from tests.campaigns.factories import ActionIdeaFactory, CollectiveFactory, MembershipFactory

pytestmark = pytest.mark.django_db

QUESTION = "Comment obtenir que la mairie informe les habitant·es des mesures signées ?"


def test_a_member_records_an_idea_with_the_collectives_interested(as_role, collective, other_collective):
    response = as_role("member").post(
        "/api/action-ideas/",
        {"collective": collective.slug, "title": "Panneaux des engagements", "question": QUESTION,
         "interested_collectives": [collective.slug, other_collective.slug]},
        format="json",
    )  # fmt: skip

    assert response.status_code == 201, response.json()
    assert sorted(response.json()["interested_collectives"]) == ["pays-aixois", "pays-salonais"]
    assert response.json()["campaigns"] == []


def test_an_idea_becomes_a_campaign_of_each_collective_and_keeps_the_links(api, collective, other_collective):
    idea = ActionIdeaFactory(collective=collective, title="Panneaux des engagements", question=QUESTION)
    user = MembershipFactory(collective=collective).user
    MembershipFactory(collective=other_collective, user=user)
    api.force_authenticate(user)

    response = api.post(
        f"/api/action-ideas/{idea.pk}/campaigns/",
        {"collectives": [collective.slug, other_collective.slug]},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert [campaign["collective"] for campaign in response.json()] == ["pays-salonais", "pays-aixois"]
    campaigns = list(Campaign.objects.order_by("pk"))
    assert [campaign.title for campaign in campaigns] == ["Panneaux des engagements"] * 2
    assert all(campaign.objective == QUESTION and campaign.created_by == user for campaign in campaigns)
    assert set(idea.campaigns.all()) == set(campaigns)
    assert set(idea.interested_collectives.all()) == {collective, other_collective}
    assert api.get(f"/api/action-ideas/{idea.pk}/").json()["campaigns"] == [campaign.pk for campaign in campaigns]


def test_taking_an_idea_up_twice_creates_no_second_campaign(as_role, collective):
    idea = ActionIdeaFactory(collective=collective)
    client = as_role("member")

    first = client.post(f"/api/action-ideas/{idea.pk}/campaigns/", {}, format="json")
    second = client.post(f"/api/action-ideas/{idea.pk}/campaigns/", {"title": "Autre titre"}, format="json")

    assert first.json()[0]["id"] == second.json()[0]["id"]
    assert Campaign.objects.count() == 1


def test_another_collective_takes_an_idea_up_for_itself(as_role, collective, other_collective):
    idea = ActionIdeaFactory(collective=collective)

    response = as_role("outsider").post(
        f"/api/action-ideas/{idea.pk}/campaigns/", {"collectives": [other_collective.slug]}, format="json"
    )

    assert response.status_code == 201
    assert Campaign.objects.get().collective == other_collective


def test_nobody_starts_a_campaign_for_a_collective_they_are_not_in(as_role, collective, other_collective):
    idea = ActionIdeaFactory(collective=collective)

    response = as_role("member").post(
        f"/api/action-ideas/{idea.pk}/campaigns/",
        {"collectives": [collective.slug, other_collective.slug]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"collectives": ["Vous n'êtes pas membre du collectif « Pays d'Aix »."]}
    assert not Campaign.objects.exists()
    assert not ActionIdea.objects.get().interested_collectives.exists()


def test_ideas_filter_by_interested_collective(api, collective):
    interested = CollectiveFactory(slug="istres")
    ActionIdeaFactory(collective=collective, title="Suivie").interested_collectives.add(interested)
    ActionIdeaFactory(collective=collective, title="Seule")

    response = api.get("/api/action-ideas/", {"interested": "istres"})

    assert [idea["title"] for idea in response.json()["results"]] == ["Suivie"]
