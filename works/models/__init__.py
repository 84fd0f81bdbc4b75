from works.models.completion import (
    AcceptanceInspection,
    FaultReport,
    Handover,
    Opening,
    UseRegistration,
)
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
    "AcceptanceInspection",
    "ActionItem",
    "Check",
    "FaultReport",
    "Handover",
    "Inspection",
    "InspectionPhoto",
    "Issue",
    "IssuePhoto",
    "Opening",
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
    "UseRegistration",
    "WorksContract",
]
