"""Consent progress per unit, counted in the database: one query for any number of units."""

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from consultations.models import Decision
from households.models import Household

AGREEMENT = [Decision.AGREE, Decision.AGREE_NOT_PAYING]


def _households_where(condition) -> Coalesce:
    """How many of the unit's households meet ``condition``, as a correlated subquery."""
    matching = (
        Household.objects.filter(unit=OuterRef("pk"))
        .filter(condition)
        .order_by()
        .values("unit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(matching, output_field=IntegerField()), Value(0))


def with_progress(units: QuerySet) -> QuerySet:
    """Annotate units with their households, how many were visited, how many signed the
    published proposal, and how many of those agreed (from the households' stored door
    status)."""
    return units.annotate(
        household_count=_households_where(Q()),
        visited_count=_households_where(Q(last_visit_at__isnull=False)),
        signed_count=_households_where(~Q(decision="")),
        agreed_count=_households_where(Q(decision__in=AGREEMENT)),
    )
