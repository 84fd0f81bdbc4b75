"""Who may see or change the money of a unit, a household or an entry: the one place views ask.

Strangers get a 404 whatever the id; a role that may see the place but lacks the permission
gets a 403 (``campaigns.roles`` says which role has which)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from campaigns.access import may
from campaigns.models import Unit
from households.access import get_household_for
from money.models import Entry


def get_unit_for(user, pk: int, perm: str) -> Unit:
    units = Unit.objects.for_user(user).select_related("building__campaign__community", "elevator")
    unit = get_object_or_404(units, pk=pk)
    if not may(user, perm, unit):
        raise PermissionDenied
    return unit


def get_money_household_for(user, pk: int, perm: str):
    return get_household_for(user, pk, write=True, perm=perm)


def get_entry_for(user, pk: int, perm: str) -> Entry:
    entry = get_object_or_404(Entry.objects.select_related("household"), pk=pk)
    household = get_household_for(user, entry.household_id, write=True, perm=perm)
    entry.household = household
    return entry
