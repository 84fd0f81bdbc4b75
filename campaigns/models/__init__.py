from campaigns.models.deliberation import Meeting, MeetingDecision, Question
from campaigns.models.parties import Party, PartyKind
from campaigns.models.places import Building, Campaign, Community, ConsentRule, Elevator, Unit
from campaigns.models.roles import (
    PARTY_ROLES,
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
    Milestone,
    ProgressUpdate,
    UpdatePhoto,
)

__all__ = [
    "PARTY_ROLES",
    "PHOTOS_PER_UPDATE",
    "Assignment",
    "Building",
    "Campaign",
    "Community",
    "ConsentRule",
    "Elevator",
    "Meeting",
    "MeetingDecision",
    "Milestone",
    "Party",
    "PartyKind",
    "Place",
    "ProgressUpdate",
    "Question",
    "Role",
    "Unit",
    "UpdatePhoto",
    "assignments_of",
    "communities_managed_by",
    "roles_of",
    "unit_ids_for",
]
