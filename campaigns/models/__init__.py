from campaigns.models.deliberation import Meeting, MeetingDecision, Question, Review
from campaigns.models.places import Building, Campaign, Community, ConsentRule, Elevator, Unit
from campaigns.models.roles import (
    Assignment,
    Place,
    Role,
    assignments_of,
    communities_managed_by,
    roles_of,
    unit_ids_for,
)
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
    "Assignment",
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
    "Place",
    "ProgressUpdate",
    "Question",
    "Review",
    "Role",
    "Unit",
    "UpdatePhoto",
    "assignments_of",
    "communities_managed_by",
    "roles_of",
    "unit_ids_for",
]
