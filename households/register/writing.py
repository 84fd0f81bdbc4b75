"""Writing a clean check: all of it in one transaction, or nothing."""

import re

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from campaigns.models import Building, Question, Unit
from households.models import Household, Owner
from households.register.checking import Check

DIGITS = re.compile(r"\d+")


REASON = "导入台账"


def _sort_order(name: str) -> int:
    match = DIGITS.search(name)
    return min(int(match[0]), 32767) if match else 0


@transaction.atomic
def commit(checked: Check, user=None) -> dict[str, int]:
    """Write a clean check: new buildings and units, new households, changed households and
    their owners, all in one transaction; the households' and owners' history records who
    imported them (replaced owners show as new ones: the history keeps no bulk deletes)."""
    if not checked.clean:
        raise ValueError("a register with problems is never written")
    campaign = checked.campaign
    buildings = {b.name: b for b in Building.objects.filter(campaign=campaign)}
    units = {
        (u.building.name, u.name): u
        for u in Unit.objects.filter(building__campaign=campaign).select_related("building")
    }
    for building_name, unit_name, floors in checked.new_units:
        if building_name not in buildings:
            buildings[building_name] = Building.objects.create(
                campaign=campaign, name=building_name, sort_order=_sort_order(building_name)
            )
        units[(building_name, unit_name)] = Unit.objects.create(
            building=buildings[building_name], name=unit_name, floors=floors
        )
    history = {"default_user": user, "default_change_reason": REASON}
    created = bulk_create_with_history(
        [
            Household(
                unit=units[(row.building, row.unit)],
                room=row.room,
                floor=row.floor,
                area=row.area,
                area_source=row.area_source,
                occupancy=row.occupancy,
            )
            for row in checked.new
        ],
        Household,
        **history,
    )
    updated = checked.updated
    for row in updated:
        row.household.floor, row.household.area = row.floor, row.area
        row.household.occupancy, row.household.area_source = row.occupancy, row.area_source
    bulk_update_with_history(
        [row.household for row in updated],
        Household,
        ["floor", "area", "area_source", "occupancy"],
        batch_size=500,
        **history,
    )
    kept = {(row.household.pk, o.name): o for row in updated for o in row.household.owners.all()}
    Owner.objects.filter(household__in=[row.household for row in updated]).delete()
    owners = [
        _owner(household, i, name, phone, kept.get((household.pk, name)))
        for household, row in [
            *zip(created, checked.new, strict=True),
            *((r.household, r) for r in updated),
        ]
        for i, (name, phone) in enumerate(row.owners)
    ]
    bulk_create_with_history(owners, Owner, batch_size=500, **history)
    # the new owners' names are blanked out of the questions already asked, and their search
    Question.objects.filter(campaign=campaign).refresh_public_copies()
    return {
        "created": len(created),
        "updated": len(updated),
        "unchanged": len(checked.unchanged),
        "units": len(checked.new_units),
    }


def _owner(household, index: int, name: str, phone: str, before: Owner | None) -> Owner:
    """A co-owner as the file gives them; the ID tail, where they live and the person they
    were linked to carry over (a renamed owner is a new entry: any link is proposed anew)."""
    return Owner(
        household=household,
        name=name,
        phone=phone,
        is_primary=index == 0,
        id_tail=before.id_tail if before else "",
        lives_elsewhere=before.lives_elsewhere if before else False,
        person_id=before.person_id if before else None,
    )
