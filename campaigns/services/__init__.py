"""Writes of the campaigns app, by sub-domain."""

from campaigns.services.members import (
    invitation_accept,
    invitation_decline,
    membership_invite,
    membership_remove,
    membership_update,
)
from campaigns.services.pledges import PledgedMeasureInput, pledge_create, pledge_update, pledged_measures_check
from campaigns.services.reviews import (
    AssessmentInput,
    assessments_save,
    cycle_close,
    cycle_create,
    cycle_open,
    cycle_publish,
    pledged_measures_in_scope,
)
from campaigns.services.territory import territory_request_create, territory_request_decide, territory_set

__all__ = [
    "AssessmentInput",
    "PledgedMeasureInput",
    "assessments_save",
    "cycle_close",
    "cycle_create",
    "cycle_open",
    "cycle_publish",
    "invitation_accept",
    "invitation_decline",
    "membership_invite",
    "membership_remove",
    "membership_update",
    "pledge_create",
    "pledge_update",
    "pledged_measures_check",
    "pledged_measures_in_scope",
    "territory_request_create",
    "territory_request_decide",
    "territory_set",
]
