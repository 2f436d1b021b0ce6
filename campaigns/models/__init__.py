from campaigns.models.actions import Action, Campaign
from campaigns.models.collectives import Collective, Invitation, Membership, TerritoryRequest
from campaigns.models.letters import Interpellation, Letter, LetterReminder, LetterTemplate
from campaigns.models.pacts import Measure, MeasureLevel, Pact, Theme
from campaigns.models.pledges import Pledge, PledgedMeasure
from campaigns.models.reviews import (
    DEFAULT_PROGRESS,
    Assessment,
    AssessmentChange,
    AssessmentStatus,
    ReviewCycle,
    ScoringScale,
    StatusWeight,
)

__all__ = [
    "DEFAULT_PROGRESS",
    "Action",
    "Assessment",
    "AssessmentChange",
    "AssessmentStatus",
    "Campaign",
    "Collective",
    "Interpellation",
    "Invitation",
    "Letter",
    "LetterReminder",
    "LetterTemplate",
    "Measure",
    "MeasureLevel",
    "Membership",
    "Pact",
    "Pledge",
    "PledgedMeasure",
    "ReviewCycle",
    "ScoringScale",
    "StatusWeight",
    "TerritoryRequest",
    "Theme",
]
