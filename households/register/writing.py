"""Writing a clean check: all of it in one transaction, or nothing."""

import re

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from campaigns.models import Building, Question, Unit
from households.models import Household, Owner
from households.register.checking import Check
from households.register.columns import NEEDS

DIGITS = re.compile(r"\d+")


REASON = "导入台账"


def _sort_order(name: str) -> int:
    match = DIGITS.search(name)
    return min(int(match[0]), 32767) if match else 0


@transaction.atomic
def commit(checked: Check, user=None) -> dict[str, int]:
    """Write a clean check: new buildings and units, new households, changed households and
    their owners, all in one transaction; the households' and owners' history records who
    imported them (owners the file no longer names are deleted without a history row: the
    history keeps no bulk deletes). Owners the file names again are kept as they are, with
    their links (see ``_reconciled``)."""
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
                **row.needs,
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
        for name, value in row.needs.items():
            setattr(row.household, name, value)
    bulk_update_with_history(
        [row.household for row in updated],
        Household,
        ["floor", "area", "area_source", "occupancy", *NEEDS],
        batch_size=500,
        **history,
    )
    new, kept, gone = [], [], []
    for household, row, before in [
        *((household, row, []) for household, row in zip(created, checked.new, strict=True)),
        *((row.household, row, list(row.household.owners.all())) for row in updated),
    ]:
        entering, staying, leaving = _reconciled(household, row.owners, before)
        new.extend(entering)
        kept.extend(staying)
        gone.extend(leaving)
    Owner.objects.filter(pk__in=[o.pk for o in gone]).delete()  # none of them signed (checked)
    demoted = [o.pk for o in kept if o.is_primary is False and o.was_primary]
    Owner.objects.filter(pk__in=demoted).update(is_primary=False)  # one primary at a time
    changed = [o for o in kept if o.changed]
    bulk_update_with_history(changed, Owner, ["phone", "is_primary"], batch_size=500, **history)
    bulk_create_with_history(new, Owner, batch_size=500, **history)
    # the new owners' names are blanked out of the questions already asked, and their search
    Question.objects.filter(campaign=campaign).refresh_public_copies()
    return {
        "created": len(created),
        "updated": len(updated),
        "unchanged": len(checked.unchanged),
        "units": len(checked.new_units),
    }


def _reconciled(household, listed, before: list[Owner]):
    """The household's owner entries as the file lists them: (new, kept, gone). An entry on
    record whose name the file gives again is kept, with its ID tail, where they live, the
    person it is linked to and the consents that name it as signer; its phone and whether it
    is the primary contact follow the file. A name not on record is a new entry; an entry the
    file no longer names goes."""
    on_record: dict[str, Owner] = {}
    for owner in before:
        on_record.setdefault(owner.name, owner)
    gone = [owner for owner in before if on_record[owner.name] is not owner]
    new, kept = [], []
    for index, (name, phone) in enumerate(listed):
        owner = on_record.pop(name, None)
        if owner is None:
            new.append(Owner(household=household, name=name, phone=phone, is_primary=index == 0))
            continue
        owner.was_primary = owner.is_primary
        owner.changed = (owner.phone, owner.is_primary) != (phone, index == 0)
        owner.phone, owner.is_primary = phone, index == 0
        kept.append(owner)
    return new, kept, [*gone, *on_record.values()]
