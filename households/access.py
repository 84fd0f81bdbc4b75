"""The one place that decides who may see or change a household."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from households.models import Household, assignments_of, unit_ids_for
from portal import compiled


def get_household_for(
    user,
    pk: int,
    *,
    write: bool = False,
    perm: str = "households.change_household",
    unit_ids: list[int] | None = None,
    alone: bool = False,
) -> Household:
    """The household if it is in the user's scope (404 otherwise, whatever the id);
    PermissionDenied when asked to write and the user lacks ``perm``. ``unit_ids``: the
    user's ``unit_ids_for``, when the caller has read them already. ``alone``: only the
    household's own row, not its unit, building and campaign (they are read if asked for),
    from a query built once per process: for a page that shows the household alone."""
    if alone:
        household = _household_alone(user, pk, unit_ids)
    else:
        in_scope = Household.objects.for_user(user, unit_ids)
        household = get_object_or_404(
            in_scope.select_related("unit__building__campaign__community"), pk=pk
        )
    if write and not user.has_perm(perm):
        raise PermissionDenied
    return household


def _household_alone(user, pk: int, unit_ids: list[int] | None) -> Household:
    if unit_ids is None:
        unit_ids = unit_ids_for(user)  # None for a superuser: every unit
    found = compiled.objects(_households_by_pk, [pk])
    if not found or (unit_ids is not None and found[0].unit_id not in unit_ids):
        raise Http404  # as get_object_or_404: nothing says whether the id exists
    return found[0]


def _households_by_pk(pks: list[int]):
    return Household.objects.filter(pk__in=pks)


def works_on(user, household: Household) -> bool:
    """Whether the user is assigned to this household's unit or building: the people who
    knock on this door and may see the owners' full phone numbers to call them."""
    building = household.unit.building_id
    return any(p.unit == household.unit_id or p.building == building for p in assignments_of(user))
