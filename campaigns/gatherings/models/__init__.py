from campaigns.gatherings.models.events import (
    Event,
    EventResource,
    ParticipantCount,
    ProgrammeItem,
    Speaker,
    resource_file_path,
)
from campaigns.gatherings.models.experience import ActionIdea, Lesson, Proposal
from campaigns.gatherings.models.feedback import FeedbackAnswer, FeedbackLink, FeedbackSurvey, FeedbackWord

__all__ = [
    "ActionIdea",
    "Event",
    "EventResource",
    "FeedbackAnswer",
    "FeedbackLink",
    "FeedbackSurvey",
    "FeedbackWord",
    "Lesson",
    "ParticipantCount",
    "ProgrammeItem",
    "Proposal",
    "Speaker",
    "resource_file_path",
]
