from campaigns.models.actions import Action, Campaign
from campaigns.models.collectives import Collective, Membership
from campaigns.models.pacts import Measure, MeasureLevel, Pact, Theme
from campaigns.models.pledges import Pledge, PledgedMeasure

__all__ = [
    "Action",
    "Campaign",
    "Collective",
    "Measure",
    "MeasureLevel",
    "Membership",
    "Pact",
    "Pledge",
    "PledgedMeasure",
    "Theme",
]
