from consultations.models.consents import Consent, Decision
from consultations.models.door_state import (
    computed_door_status,
    refresh_door_status,
    refresh_door_status_of,
)
from consultations.models.matters import Item, Matter
from consultations.models.packets import PacketFile
from consultations.models.proposals import FloorCoefficient, Proposal, Share
from consultations.models.visits import Concern, Visit, VisitConcern

__all__ = [
    "Concern",
    "Consent",
    "Decision",
    "FloorCoefficient",
    "Item",
    "Matter",
    "PacketFile",
    "Proposal",
    "Share",
    "Visit",
    "VisitConcern",
    "computed_door_status",
    "refresh_door_status",
    "refresh_door_status_of",
]
