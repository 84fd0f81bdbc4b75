"""Linking owner entries as one person, where the count is made: a link is refused when one
owner's flats in a unit would then carry different in-force answers on the same matter, for
the count (``thresholds.heads``) could not be made. Nothing is changed then.

The linking itself is ``households.people``; this module sits above it because it reads the
signatures (households may not import consultations).
"""

from django.db import transaction
from django.utils.translation import gettext as _

from consultations.models import Consent
from consultations.thresholds import heads
from households import people
from households.models import Household, Owner, Person


class LinkRefused(Exception):
    """The link would make the count impossible; the message says where and why."""


def confirm_link(owners: list[Owner], *, kind: str = "", person: Person | None = None) -> Person:
    """Link the entries as one person or body (``households.people.link``), or change
    nothing and raise ``LinkRefused`` when the count could no longer be made."""
    with transaction.atomic():
        linked = people.link(owners, kind=kind, person=person)
        problem = count_problem(linked)
        if problem:
            raise LinkRefused(problem)  # leaves the atomic block: the link is rolled back
    return linked


def count_problem(person: Person) -> str:
    """Why the person's flats cannot be counted as they are now linked ("" if they can): in a
    unit, the flats of one owner key giving different in-force answers on one matter."""
    households = list(
        Household.objects.filter(owners__person=person)
        .distinct()
        .select_related("unit__building")
        .order_by("unit", "floor", "room")
    )
    keys = Owner.objects.keys_by_household(households)
    consents = {
        c.household_id: c
        for c in Consent.objects.in_force()
        .filter(household__in=households)
        .select_related("proposal")
        .prefetch_related("proposal__matters")
    }
    by_unit: dict[int, list[Household]] = {}
    for household in households:
        by_unit.setdefault(household.unit_id, []).append(household)
    for flats in by_unit.values():
        signed = [consents[h.pk] for h in flats if h.pk in consents]
        if len(signed) < 2:
            continue
        for matter in signed[0].proposal.ballot():
            answers = [
                (h.area, keys.get(h.pk), consents[h.pk].decision_on(matter.number))
                for h in flats
                if h.pk in consents
            ]
            try:
                heads(answers)
            except ValueError:
                return _(
                    "不能合并：%(unit)s 的 %(rooms)s 对“%(matter)s”的签字意见不同，合并后无法计票。"
                    "请先核实这些签字（必要时重新签字），再合并。"
                ) % {
                    "unit": flats[0].unit,
                    "rooms": "、".join(h.room for h in flats if h.pk in consents),
                    "matter": matter.title,
                }
    return ""
