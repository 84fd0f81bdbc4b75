from campaigns.models.deliberation import Meeting, MeetingDecision, Question, Review
from campaigns.models.places import Building, Campaign, Community, ConsentRule, Elevator, Unit
from campaigns.models.timeline import (
    PHOTOS_PER_UPDATE,
    Inspection,
    InspectionIssue,
    Milestone,
    ProgressUpdate,
    UpdatePhoto,
)

__all__ = [
    "PHOTOS_PER_UPDATE",
    "Building",
    "Campaign",
    "Community",
    "ConsentRule",
    "Elevator",
    "Inspection",
    "InspectionIssue",
    "Meeting",
    "MeetingDecision",
    "Milestone",
    "ProgressUpdate",
    "Question",
    "Review",
    "Unit",
    "UpdatePhoto",
]
