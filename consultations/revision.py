"""Change counters per unit, so that a rendered door list or dashboard can be kept until
something under it changes (portal/fragments.py).

``Unit.revision`` goes up by one, in the same transaction, with every change to one of the
unit's households, their owners, the search for those owners, their visits and the concerns
raised, their consents, the proposals for the unit's elevator, and to the unit, its building or
its campaign: simple-history signals each save and delete of the tracked models
(``count_history_record``), post_save signals the places (``count_place``), and the register
import, which writes its rows in bulk, counts its units itself (``UnitQuerySet.count_change``).

The counters only grow (``Unit.save`` never writes one back), so their sum over a scope's
units (``UnitQuerySet.stamp``), read before the data, names the data: what was rendered
under that stamp may be served until the stamp moves. Two transactions committing in either
order both move it.

Not counted, so seen once a kept part times out (settings.FRAGMENT_SECONDS): a
worker's display name, and a community's name.
"""

from functools import cache

from django.db import connection

from campaigns.models import Building, Campaign, Unit
from consultations.models import Consent, Proposal, Visit, VisitConcern
from households.models import Household, Owner, TraceAttempt

# Which units a tracked record belongs to, from the foreign keys it carries: these still
# exist when the record itself has just been deleted. Records of one household count its
# unit through HOUSEHOLD_RECORDS; the others through UNITS_OF.
HOUSEHOLD_RECORDS = (Owner, TraceAttempt, Visit, Consent)
UNITS_OF = {
    Household: lambda household: Unit.objects.filter(pk=household.unit_id),
    VisitConcern: lambda concern: Unit.objects.filter(households__visits=concern.visit_id),
    Proposal: lambda proposal: Unit.objects.filter(elevator=proposal.elevator_id),
}


def count_history_record(sender, instance, **kwargs) -> None:
    """simple-history's post_create_historical_record: a tracked record was saved or deleted."""
    if isinstance(instance, HOUSEHOLD_RECORDS):
        count_change_of_households_unit(instance.household_id)
        return
    units_of = UNITS_OF.get(type(instance))
    if units_of is not None:
        units_of(instance).count_change()


def count_change_of_households_unit(household_id: int) -> None:
    """``count_change`` of the unit the household is in now, in one statement written once
    per process: every saved visit runs it, and building the ORM's update (with its
    subquery) cost several times what running it does."""
    with connection.cursor() as cursor:
        cursor.execute(_households_unit_sql(), [household_id])


@cache
def _households_unit_sql() -> str:
    quote = connection.ops.quote_name
    unit, household = Unit._meta, Household._meta
    revision = quote(unit.get_field("revision").column)
    return (
        f"UPDATE {quote(unit.db_table)} SET {revision} = {revision} + 1 "
        f"WHERE {quote(unit.pk.column)} = (SELECT {quote(household.get_field('unit').column)} "
        f"FROM {quote(household.db_table)} WHERE {quote(household.pk.column)} = %s)"
    )


def count_household_move(sender, instance: Household, raw=False, **kwargs) -> None:
    """pre_save of a household: the unit it is leaving counts the change too."""
    if instance.pk and not raw:
        Unit.objects.filter(households=instance.pk).exclude(pk=instance.unit_id).count_change()


def count_place(sender, instance, raw=False, **kwargs) -> None:
    """post_save of a unit, building or campaign: its name or rule shows on the pages."""
    if raw:
        return
    if isinstance(instance, Unit):
        Unit.objects.filter(pk=instance.pk).count_change()
    elif isinstance(instance, Building):
        Unit.objects.filter(building=instance.pk).count_change()
    elif isinstance(instance, Campaign):
        Unit.objects.filter(building__campaign=instance.pk).count_change()
