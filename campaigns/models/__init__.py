from campaigns.models.deliberation import Meeting, MeetingDecision, Question, Review
from campaigns.models.places import Building, Campaign, Community, ConsentRule, Elevator, Unit
from campaigns.models.timeline import Inspection, InspectionIssue, Milestone, ProgressUpdate

__all__ = [
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
]
