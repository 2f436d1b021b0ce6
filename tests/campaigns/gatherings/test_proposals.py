"""Proposals: cells of the "we could / they could / we need" grid, shown as the grid per event."""

import pytest

from campaigns.models import Proposal
from tests.campaigns.factories import EventFactory, ProposalFactory

pytestmark = pytest.mark.django_db

HOW = "Comment associer les habitant·es aux décisions ?"
WHERE = "Où trouver les moyens ?"


def test_the_grid_has_a_row_per_question_and_the_three_columns(api, collective, other_collective):
    event = EventFactory(collective=collective)
    ProposalFactory(
        event=event, collective=collective, question=HOW, kind=Proposal.Kind.WE_COULD, text="Un porte-à-porte"
    )
    ProposalFactory(event=event, collective=other_collective, question=HOW, kind=Proposal.Kind.THEY_COULD,
                    text="Des budgets participatifs")  # fmt: skip
    ProposalFactory(
        event=event, collective=collective, question=WHERE, kind=Proposal.Kind.WE_NEED, text="Une formation"
    )
    ProposalFactory(event=event, collective=collective, question=HOW, kind=Proposal.Kind.WE_COULD, text="Un journal")
    ProposalFactory(event=EventFactory(collective=collective), question=HOW, text="Autre rencontre")

    grid = api.get(f"/api/events/{event.pk}/proposal-grid/").json()

    assert [row["question"] for row in grid] == [HOW, WHERE]
    assert [cell["text"] for cell in grid[0]["we_could"]] == ["Un porte-à-porte", "Un journal"]
    assert [cell["text"] for cell in grid[0]["they_could"]] == ["Des budgets participatifs"]
    assert grid[0]["they_could"][0]["collective"] == other_collective.slug
    assert grid[0]["we_need"] == []
    assert [cell["text"] for cell in grid[1]["we_need"]] == ["Une formation"]


def test_a_member_adds_a_cell_to_an_event_of_another_collective_they_attended(as_role, other_collective, collective):
    event = EventFactory(collective=other_collective)

    response = as_role("member").post(
        "/api/proposals/",
        {"collective": collective.slug, "event": event.pk, "question": HOW, "kind": "we_need", "text": "Des outils"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["kind_display"] == "ce dont nous avons besoin"


def test_a_proposal_needs_its_event(as_role, collective):
    response = as_role("member").post(
        "/api/proposals/", {"collective": collective.slug, "kind": "we_need", "text": "Des outils"}, format="json"
    )

    assert response.status_code == 400
    assert "event" in response.json()


def test_proposals_filter_by_event_and_kind(api, collective):
    event = EventFactory(collective=collective)
    ProposalFactory(event=event, kind=Proposal.Kind.WE_COULD, text="A")
    ProposalFactory(event=event, kind=Proposal.Kind.WE_NEED, text="B")
    ProposalFactory(kind=Proposal.Kind.WE_NEED, text="C")

    response = api.get("/api/proposals/", {"event": event.pk, "kind": "we_need"})

    assert [proposal["text"] for proposal in response.json()["results"]] == ["B"]


def test_the_grid_of_a_members_only_event_is_not_found_by_the_public(as_role, collective):
    event = EventFactory(collective=collective, is_public=False)

    assert as_role("anonymous").get(f"/api/events/{event.pk}/proposal-grid/").status_code == 404
    assert as_role("outsider").get(f"/api/events/{event.pk}/proposal-grid/").status_code == 200
