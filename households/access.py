"""The one place that decides who may see or change a household."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from campaigns.access import may
from campaigns.models import assignments_of
from households.models import Household


def get_household_for(
    user, pk: int, *, write: bool = False, perm: str = "households.change_household"
) -> Household:
    """The household if it is in the user's scope (404 otherwise, whatever the id);
    PermissionDenied when asked to write and the role the user holds at its door lacks
    ``perm``."""
    in_scope = Household.objects.for_user(user)
    household = get_object_or_404(
        in_scope.select_related("unit__building__campaign__community"), pk=pk
    )
    if write and not may(user, perm, household):
        raise PermissionDenied
    return household


def works_on(user, household: Household) -> bool:
    """Whether the user is assigned to this household's unit or building: the people who
    knock on this door and may see the owners' full phone numbers to call them."""
    building = household.unit.building_id
    return any(p.unit == household.unit_id or p.building == building for p in assignments_of(user))
