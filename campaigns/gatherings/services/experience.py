"""Writes of the shared experience: lessons, proposals and action ideas, and the call that
turns an action idea into campaigns through the advocacy services."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.advocacy.models import Campaign
from campaigns.advocacy.services import campaign_create
from campaigns.collectives.access import content_check, require_member
from campaigns.collectives.models import Collective
from campaigns.gatherings.models import ActionIdea, Lesson, Proposal
from core.writes import author, save_with_relations

RELATIONS = {Lesson: ("themes",), Proposal: ("themes",), ActionIdea: ("themes", "interested_collectives")}


def _themes_check(fields: dict) -> None:
    """Themes of one pact at a time: a lesson tagged with two editions' themes means nothing."""
    themes = fields.get("themes")
    if themes and len({theme.pact_id for theme in themes}) > 1:
        raise ValidationError({"themes": [_("Choisissez les thématiques d'un même pacte.")]})


def _write(model, *, instance=None, by, **fields):
    """Write a lesson, proposal or idea by ``by`` (None: the system), a member of its
    collective (and, on update, of the one it had); it names no municipality."""
    instance = instance or model()
    stored = instance.collective if instance.pk is not None else None
    collective = fields.pop("collective", stored)
    content_check(by=by, collective=collective, before=(stored, ()))
    instance.collective = collective
    if instance.pk is None:
        instance.created_by = author(by)
    _themes_check(fields)
    for name, value in fields.items():
        if name not in RELATIONS[model]:
            setattr(instance, name, value)
    instance.full_clean(exclude=["collective", "event", "created_by"], validate_unique=False)
    save_with_relations(instance, fields, RELATIONS[model])
    return instance


@transaction.atomic
def lesson_create(*, collective: Collective, by, lesson: Lesson | None = None, **fields) -> Lesson:
    return _write(Lesson, instance=lesson, collective=collective, by=by, **fields)


@transaction.atomic
def lesson_update(*, lesson: Lesson, by, **fields) -> Lesson:
    return _write(Lesson, instance=lesson, by=by, **fields)


@transaction.atomic
def proposal_create(*, collective: Collective, by, proposal: Proposal | None = None, **fields) -> Proposal:
    return _write(Proposal, instance=proposal, collective=collective, by=by, **fields)


@transaction.atomic
def proposal_update(*, proposal: Proposal, by, **fields) -> Proposal:
    return _write(Proposal, instance=proposal, by=by, **fields)


@transaction.atomic
def action_idea_create(*, collective: Collective, by, idea: ActionIdea | None = None, **fields) -> ActionIdea:
    return _write(ActionIdea, instance=idea, collective=collective, by=by, **fields)


@transaction.atomic
def action_idea_update(*, idea: ActionIdea, by, **fields) -> ActionIdea:
    return _write(ActionIdea, instance=idea, by=by, **fields)


@transaction.atomic
def action_idea_launch(
    *, idea: ActionIdea, collectives: list[Collective], by, title: str = "", objective: str = ""
) -> list[Campaign]:
    """Turn the idea into a campaign of each of ``collectives`` (one campaign per collective,
    as a campaign belongs to one), linked to the idea; those collectives become interested.
    ``by`` must be a member of each. A collective that launched the idea already keeps its
    campaign: calling again creates nothing twice."""
    if not collectives:
        raise ValidationError({"collectives": [_("Choisissez au moins un collectif.")]})
    for collective in collectives:
        require_member(by, collective, field="collectives")
    existing = {campaign.collective_id: campaign for campaign in idea.campaigns.all()}
    campaigns = []
    for collective in collectives:
        campaign = existing.get(collective.pk)
        if campaign is None:
            campaign = campaign_create(
                collective=collective,
                by=by,
                title=title or idea.title,
                objective=objective or "\n\n".join(part for part in (idea.question, idea.description) if part),
                status=Campaign.Status.PLANNED,
            )
            idea.campaigns.add(campaign)
        campaigns.append(campaign)
    idea.interested_collectives.add(*collectives)
    return campaigns
