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

from campaigns.models import Building, Campaign, Unit
from consultations.models import Consent, Proposal, Visit, VisitConcern
from households.models import Household, Owner, TraceAttempt

# Which units a tracked record belongs to, from the foreign keys it carries: these still
# exist when the record itself has just been deleted.
UNITS_OF = {
    Household: lambda household: Unit.objects.filter(pk=household.unit_id),
    Owner: lambda owner: Unit.objects.filter(households=owner.household_id),
    TraceAttempt: lambda attempt: Unit.objects.filter(households=attempt.household_id),
    Visit: lambda visit: Unit.objects.filter(households=visit.household_id),
    VisitConcern: lambda concern: Unit.objects.filter(households__visits=concern.visit_id),
    Consent: lambda consent: Unit.objects.filter(households=consent.household_id),
    Proposal: lambda proposal: Unit.objects.filter(elevator=proposal.elevator_id),
}


def count_history_record(sender, instance, **kwargs) -> None:
    """simple-history's post_create_historical_record: a tracked record was saved or deleted."""
    units_of = UNITS_OF.get(type(instance))
    if units_of is not None:
        units_of(instance).count_change()


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
