"""Who needs help while the lift is out: the residents a worker recorded at the door as
needing help during the works (stairs, meals, doctor visits), per unit, for the people who
will organise it. Staff only, each role its own households; phones masked."""

from itertools import groupby

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When

from campaigns.models import Campaign
from households.models import Household, Owner, Urgency

# The most urgent first within a unit; "not known yet" before "no need", which is last.
URGENCY_ORDER = Case(
    When(urgency=Urgency.URGENT, then=Value(0)),
    When(urgency=Urgency.HIGH, then=Value(1)),
    When(urgency=Urgency.NORMAL, then=Value(2)),
    When(urgency="", then=Value(3)),
    default=Value(4),
    output_field=IntegerField(),
)


def needing_help(user, campaign: Campaign) -> QuerySet:
    """The campaign's households in the user's scope that need help during the outage, each
    with its primary owner (``primary``, a list of at most one), in two queries."""
    return (
        Household.objects.for_user(user)
        .in_campaign(campaign)
        .needing_outage_help()
        .select_related("unit__building")
        .prefetch_related(
            Prefetch("owners", Owner.objects.filter(is_primary=True), to_attr="primary")
        )
        .annotate(urgency_rank=URGENCY_ORDER)
        .order_by(
            "unit__building__sort_order",
            "unit__building__name",
            "unit__name",
            "urgency_rank",
            "-floor",
            "room",
        )
    )


def by_unit(households) -> list[tuple]:
    """(unit, its households) in the order given."""
    return [(unit, list(rows)) for unit, rows in groupby(households, key=lambda h: h.unit)]
