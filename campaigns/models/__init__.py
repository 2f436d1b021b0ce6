from campaigns.advocacy.models import Action, Campaign
from campaigns.collectives.models import Collective, Invitation, Membership, TerritoryRequest
from campaigns.gatherings.models import (
    ActionIdea,
    Event,
    EventResource,
    FeedbackAnswer,
    FeedbackLink,
    FeedbackSurvey,
    FeedbackWord,
    Lesson,
    ParticipantCount,
    ProgrammeItem,
    Proposal,
    Speaker,
)
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
    "ActionIdea",
    "Assessment",
    "AssessmentChange",
    "AssessmentStatus",
    "Campaign",
    "Collective",
    "Event",
    "EventResource",
    "FeedbackAnswer",
    "FeedbackLink",
    "FeedbackSurvey",
    "FeedbackWord",
    "Initiative",
    "Interpellation",
    "Invitation",
    "Lesson",
    "Letter",
    "LetterReminder",
    "LetterTemplate",
    "Measure",
    "MeasureLevel",
    "Membership",
    "Pact",
    "ParticipantCount",
    "Pledge",
    "PledgedMeasure",
    "ProgrammeItem",
    "Proposal",
    "ReviewCycle",
    "ScoringScale",
    "Speaker",
    "StatusWeight",
    "TerritoryRequest",
    "Theme",
]
