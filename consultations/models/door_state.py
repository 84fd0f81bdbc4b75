"""Where each door stands, worked out from the records and stored on the household.

``door_state()`` is the reference computation: for each household, correlated subqueries over
its visits (the latest one, how many, whether anyone was ever reached) and its consents (the
decision in force). ``refresh_door_status`` writes it into the household's columns (see
``households.models.DOOR_STATUS_FIELDS``) in one UPDATE; the domain methods that record a visit,
correct one, record or supersede a consent, erase personal data or publish a proposal call it
for the households they touched, inside their own transaction. A follow-up (the latest
visit's next step) is closed by a signature recorded after that visit. ``computed_door_status``
puts the computation next to the stored columns, for ``manage.py recompute_door_status``.
"""

from django.db import models, transaction
from django.db.models import Case, Count, Exists, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from consultations.models.consents import Consent
from consultations.models.visits import Visit
from households.models import DOOR_STATUS_FIELDS, Household

LATEST_FIRST = Visit._meta.ordering  # the latest visit first; ties broken by the later row


def latest_visit(field: str) -> Subquery:
    """A field of the latest visit of the household an outer queryset is on (or NULL)."""
    latest = Visit.objects.filter(household=OuterRef("pk")).order_by(*LATEST_FIRST)
    return Subquery(latest.values(field)[:1])


def signed_since_latest_visit() -> Exists:
    """Whether the household an outer queryset is on has a consent in force recorded after its
    latest visit was: the signature closes the follow-up that visit set (a follow-up set by a
    visit recorded after the signature stays open)."""
    latest = Visit.objects.filter(household=OuterRef(OuterRef("pk"))).order_by(*LATEST_FIRST)
    return Exists(
        Consent.objects.in_force().filter(
            household=OuterRef("pk"), created_at__gte=Subquery(latest.values("created_at")[:1])
        )
    )


def door_state() -> dict:
    """Each door status column as an expression over a household's visits and consents."""
    visit_count = (
        Visit.objects.filter(household=OuterRef("pk"))
        .order_by()
        .values("household")
        .annotate(n=Count("pk"))
        .values("n")
    )
    reached = Visit.objects.filter(household=OuterRef("pk")).exclude(reached=Visit.Reached.NOBODY)
    return {
        "last_visit_at": latest_visit("visited_at"),
        "last_reached": Coalesce(latest_visit("reached"), Value("")),
        "last_attitude": Coalesce(latest_visit("attitude"), Value("")),
        "follow_up_on": Case(
            When(signed_since_latest_visit(), then=Value(None)),
            default=latest_visit("next_step_on"),
        ),
        "follow_up_step": Case(
            When(signed_since_latest_visit(), then=Value("")),
            default=Coalesce(latest_visit("next_step"), Value("")),
        ),
        "visit_count": Coalesce(
            Subquery(visit_count, output_field=models.IntegerField()), Value(0)
        ),
        "ever_reached": Exists(reached),
        "decision": Coalesce(Consent.objects.decision_of_outer_household(), Value("")),
    }


def computed(name: str) -> str:
    return f"computed_{name}"


def computed_door_status(households: QuerySet) -> QuerySet:
    """The households with each column worked out afresh beside it, as ``computed_<column>``."""
    return households.annotate(**{computed(name): e for name, e in door_state().items()})


def refresh_door_status(households: QuerySet) -> None:
    """Write these households' door status columns from their visits and consents.

    Call it inside the transaction that changed them. The rows are locked first (and the
    UPDATE, a statement of its own, then sees everything committed before the lock was
    granted), so two visits to one door at the same moment both count. The lock is the one an
    UPDATE takes: it lets others insert visits and consents of these households meanwhile.
    """
    with transaction.atomic(savepoint=False):
        ids = list(
            households.order_by("pk")
            .select_for_update(of=("self",), no_key=True)
            .values_list("pk", flat=True)
        )
        Household.objects.filter(pk__in=ids).update(**door_state())


def refresh_door_status_of(household: Household) -> None:
    """``refresh_door_status`` of one household, shown on the object passed in as well."""
    refresh_door_status(Household.objects.filter(pk=household.pk))
    household.refresh_from_db(fields=DOOR_STATUS_FIELDS)
