from works.models.daily import ActionItem, StandUp
from works.models.inspections import (
    Check,
    Inspection,
    InspectionPhoto,
    Issue,
    IssuePhoto,
    ResidentReport,
    StandingItem,
)
from works.models.review import Review, ReviewDocument, ReviewPacket, WorksContract
from works.models.sites import START_STEP, ScheduleStep, Site, StepKind, StepState

__all__ = [
    "START_STEP",
    "ActionItem",
    "Check",
    "Inspection",
    "InspectionPhoto",
    "Issue",
    "IssuePhoto",
    "ResidentReport",
    "Review",
    "ReviewDocument",
    "ReviewPacket",
    "ScheduleStep",
    "Site",
    "StandUp",
    "StandingItem",
    "StepKind",
    "StepState",
    "WorksContract",
]
