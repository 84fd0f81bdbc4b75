"""Consent progress per unit, counted in the database: one query for any number of units."""

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from consultations.models import Consent, Decision, Visit
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


def _current_consent(**filters) -> Exists:
    return Exists(Consent.objects.in_force().filter(household=OuterRef("pk"), **filters))


def with_progress(units: QuerySet) -> QuerySet:
    """Annotate units with their households, how many were visited, how many signed the
    published proposal, and how many of those agreed."""
    return units.annotate(
        household_count=_households_where(Q()),
        visited_count=_households_where(Exists(Visit.objects.filter(household=OuterRef("pk")))),
        signed_count=_households_where(_current_consent()),
        agreed_count=_households_where(_current_consent(decision__in=AGREEMENT)),
    )
