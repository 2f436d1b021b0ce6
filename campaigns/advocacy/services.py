"""Writes of campaigns and actions: the API and the admin save them through these."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.advocacy.models import Action, Campaign
from campaigns.collectives.access import content_check, content_update_check
from campaigns.collectives.models import Collective
from core.writes import author, save_with_relations

RELATIONS = {Campaign: ("measures", "municipalities", "officials"), Action: ("officials", "measures")}


def campaign_of_collective_check(*, campaign: Campaign | None, collective: Collective) -> None:
    """A campaign is its collective's: another collective's actions and letters cannot join it."""
    if campaign is not None and campaign.collective_id != collective.pk:
        raise ValidationError({"campaign": [_("Cette campagne appartient à un autre collectif.")]})


@transaction.atomic
def campaign_create(*, collective: Collective, by, campaign: Campaign | None = None, **fields) -> Campaign:
    """A new campaign of ``collective`` by ``by`` (None: the system); ``campaign`` is an
    unsaved one to fill in (the admin's form gives one, and goes on with it)."""
    content_check(by=by, collective=collective, municipalities=fields.get("municipalities", ()), field="municipalities")
    campaign = campaign or Campaign()
    campaign.collective, campaign.created_by = collective, author(by)
    save_with_relations(campaign, fields, RELATIONS[Campaign])
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, by, **fields) -> Campaign:
    """Change ``campaign`` (as stored) by ``by`` (None: the system)."""
    content_update_check(by=by, row=campaign, fields=fields, field="municipalities")
    save_with_relations(campaign, fields, RELATIONS[Campaign])
    return campaign


@transaction.atomic
def action_create(*, collective: Collective, by, action: Action | None = None, **fields) -> Action:
    """A new action of ``collective`` by ``by`` (None: the system); ``action`` is an unsaved
    one to fill in (the admin's)."""
    content_check(by=by, collective=collective, municipalities=[fields.get("municipality")])
    campaign_of_collective_check(campaign=fields.get("campaign"), collective=collective)
    action = action or Action()
    action.collective, action.created_by = collective, author(by)
    save_with_relations(action, fields, RELATIONS[Action])
    return action


@transaction.atomic
def action_update(*, action: Action, by, **fields) -> Action:
    """Change ``action`` (as stored) by ``by`` (None: the system)."""
    content_update_check(by=by, row=action, fields=fields)
    collective = fields.get("collective", action.collective)
    campaign_of_collective_check(campaign=fields.get("campaign", action.campaign), collective=collective)
    save_with_relations(action, fields, RELATIONS[Action])
    return action
