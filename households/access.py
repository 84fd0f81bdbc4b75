"""The one place that decides who may see or change a household."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from households.models import Household, assignments_of


def get_household_for(
    user,
    pk: int,
    *,
    write: bool = False,
    perm: str = "households.change_household",
    unit_ids: list[int] | None = None,
) -> Household:
    """The household if it is in the user's scope (404 otherwise, whatever the id);
    PermissionDenied when asked to write and the user lacks ``perm``. ``unit_ids``: the
    user's ``unit_ids_for``, when the caller has read them already."""
    in_scope = Household.objects.for_user(user, unit_ids)
    household = get_object_or_404(
        in_scope.select_related("unit__building__campaign__community"), pk=pk
    )
    if write and not user.has_perm(perm):
        raise PermissionDenied
    return household


def works_on(user, household: Household) -> bool:
    """Whether the user is assigned to this household's unit or building: the people who
    knock on this door and may see the owners' full phone numbers to call them."""
    building = household.unit.building_id
    return any(p.unit == household.unit_id or p.building == building for p in assignments_of(user))
