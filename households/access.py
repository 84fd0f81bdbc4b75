"""The one place that decides who may see or change a household."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from households.models import Household


def get_household_for(user, pk: int, *, write: bool = False) -> Household:
    """The household if it is in the user's scope (404 otherwise, whatever the id);
    PermissionDenied when they may only read it and asked to write."""
    household = get_object_or_404(
        Household.objects.for_user(user).select_related("unit__building__campaign__community"),
        pk=pk,
    )
    if write and not user.has_perm("households.change_household"):
        raise PermissionDenied
    return household
