"""A household's personal data on request (PIPL): everything kept about it, or erased.

``export_household`` gathers every record about one household, full names and numbers
included, for the household that asked. ``erase_household`` removes the personal data of a
household that left the campaign: owners' names, phones and ID digits, needs and vulnerability
flags, visit and trace notes, the signer's name and signature image (and an agent's ID digits
and power of attorney), in the records and in their audit history alike. The rows stay (the unit's counts, the vote and the printed QR codes
keep working) and every consent still verifies: its hash covers the name and the signature
through digests kept with the record (hash version 2). Both are recorded as audit events.
"""

import base64
import uuid
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import Consent, Share, Visit, refresh_door_status_of
from consultations.models.consents import ERASED_NAME, ImmutableRecordError
from households.models import AuditEvent, Household, Owner, TraceAttempt


class ErasureRefused(Exception):
    """The household's data cannot be erased without breaking a record; says why."""


def export_household(household: Household, actor) -> dict:
    """Everything kept about the household, as plain JSON values. Recorded as an export."""
    AuditEvent.record(
        actor, AuditEvent.Action.EXPORTED, f"{household} · 住户个人信息", household=household
    )
    consents = Consent.objects.filter(household=household).select_related("proposal", "witness")
    return {
        "exported_at": timezone.now().isoformat(),
        "household": plain(household, exclude={"id"}),
        "unit": str(household.unit),
        "owners": [
            {**plain(o, exclude={"household"}), **person_link(o)}
            for o in household.owners.select_related("person")
        ],
        "visits": [
            {
                **plain(v, exclude={"household", "idempotency_key"}),
                "visitor": v.visitor.get_username(),
                "concerns": [c.get_concern_display() for c in v.concerns.all()],
            }
            for v in Visit.objects.filter(household=household)
            .select_related("visitor")
            .prefetch_related("concerns")
        ],
        "owner_trace": [
            plain(t, exclude={"household"})
            for t in TraceAttempt.objects.filter(household=household)
        ],
        "shares": [
            {"proposal_version": s.proposal.version, "amount": str(s.amount)}
            for s in Share.objects.filter(household=household).select_related("proposal")
        ],
        "consents": [
            {
                **plain(c, exclude={"household", "signature", "signer_salt"}),
                "proposal_version": c.proposal.version,
                "witness": c.witness.get_username(),
                "signature_base64": base64.b64encode(bytes(c.signature)).decode("ascii"),
                "attorney_letter_base64": base64.b64encode(bytes(c.attorney_letter)).decode(
                    "ascii"
                ),
            }
            for c in consents
        ],
    }


def person_link(owner: Owner) -> dict:
    """The person or body the owner entry is linked to, and the other flats it holds (their
    places): part of what is kept about this owner."""
    if owner.person is None:
        return {"person": None}
    others = (
        Owner.objects.filter(person=owner.person_id)
        .exclude(household=owner.household_id)
        .select_related("household__unit__building")
    )
    return {
        "person": {
            "id": owner.person_id,
            "kind": owner.person.get_kind_display(),
            "other_flats": [f"{o.household.unit} {o.household.room}" for o in others],
        }
    }


def plain(record, exclude=frozenset()) -> dict:
    """A record's stored fields as JSON values."""
    values = {}
    for field in record._meta.concrete_fields:
        if field.name in exclude or field.attname in exclude:
            continue
        value = getattr(record, field.attname)
        if isinstance(value, datetime | date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, bytes | memoryview):
            continue
        elif isinstance(value, uuid.UUID):
            value = str(value)
        values[field.attname] = value
    return values


# What a household's needs become on erasure, in its record and its history alike.
ERASED_NEEDS = {
    "elderly": False,
    "mobility_impaired": False,
    "lives_alone": False,
    "needs_outage_help": False,
    "urgency": "",
    "needs_note": "",
}


def erase_household(household: Household, actor, reason: str) -> None:
    """Erase the household's personal data, in its records and their history, at once:
    all of it or, when a consent would no longer verify, none of it."""
    try:
        with transaction.atomic():
            _erase(household, actor, reason)
    except ImmutableRecordError as refusal:
        raise ErasureRefused(
            _("本户的签字记录按旧版方式保存（摘要包含姓名本身），删除姓名后将无法核验。")
        ) from refusal


def _erase(household: Household, actor, reason: str) -> None:
    """The owner entries keep their link to a person: who holds which flats is what the count
    rests on (one owner of several flats is one head), not a name, and stays lawful without
    one."""
    pk = household.pk
    Consent.objects.filter(household=pk).erase_personal_data()  # refuses version 1
    for owner in household.owners.all():
        owner.name, owner.phone, owner.id_tail = ERASED_NAME, "", ""
        owner.save()
    for name, value in ERASED_NEEDS.items():
        setattr(household, name, value)
    household.save()
    Visit.objects.filter(household=pk).update(notes="", next_step="")
    refresh_door_status_of(household)  # the next step shown on the door lists went too
    TraceAttempt.objects.filter(household=pk).update(note="")
    # what the audit history kept of the same data
    Owner.history.filter(household_id=pk).update(name=ERASED_NAME, phone="", id_tail="")
    Household.history.filter(id=pk).update(**ERASED_NEEDS)
    Visit.history.filter(household_id=pk).update(notes="", next_step="")
    TraceAttempt.history.filter(household_id=pk).update(note="")
    Consent.history.filter(household_id=pk).update(
        signer_name=ERASED_NAME, signer_salt="", agent_id_tail=""
    )
    AuditEvent.record(
        actor, AuditEvent.Action.ERASED, f"{household} · {reason}"[:200], household=household
    )
