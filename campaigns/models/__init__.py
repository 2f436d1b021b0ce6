from campaigns.advocacy.models import Action, Campaign
from campaigns.collectives.models import Collective, Invitation, Membership, TerritoryRequest
from campaigns.initiatives.models import Initiative
from campaigns.letters.models import Interpellation, Letter, LetterReminder, LetterTemplate
from campaigns.pacts.models import Measure, MeasureLevel, Pact, Theme
from campaigns.pledges.models import Pledge, PledgedMeasure
from campaigns.reviews.models import (
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
    "Initiative",
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
