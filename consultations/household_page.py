"""What the household page shows: its facts, owners, share, owner trace and visits."""

from django.http import HttpRequest

from campaigns.access import PermsAt, may
from consultations.costs import explain_share
from consultations.doors import door_status
from consultations.forms import TraceAttemptForm, VisitForm
from consultations.models import Consent, Proposal, Share
from households.access import works_on
from households.models import Household, Owner

ADD_VISIT = "consultations.add_visit"
CHANGE_VISIT = "consultations.change_visit"
ADD_TRACE = "households.add_traceattempt"


def household_context(request: HttpRequest, household: Household, **extra) -> dict:
    published = Proposal.objects.published().for_household(household)
    share = (
        Share.objects.filter(household=household, proposal__in=published)
        .select_related("proposal")
        .first()
    )
    consent = (
        Consent.objects.current()
        .filter(household=household, proposal=share.proposal)
        .select_related("witness")
        .first()
        if share
        else None
    )
    return {
        "household": household,
        "status": door_status(household),
        "owners": with_other_flats(household),
        "may_call": works_on(request.user, household),
        "share": share,
        "explanation": explain_share(share.proposal, household) if share else None,
        "consent": consent,
        "visits": household.visits.select_related("visitor").prefetch_related("concerns")[:100],
        "trace_attempts": household.trace_attempts.select_related("worker")[:20],
        "may_log": may(request.user, ADD_VISIT, household),
        "may_trace": may(request.user, ADD_TRACE, household),
        "perms": PermsAt(request.user, household),  # the role held at this door
        "form": VisitForm(),
        "trace_form": TraceAttemptForm(),
        **extra,
    }


def with_other_flats(household: Household) -> list[Owner]:
    """The household's owner entries, each linked one carrying ``other_flats``: the places of
    the other flats its person or body holds (places only: nothing else about them), in two
    queries."""
    owners = list(household.owners.select_related("person"))
    persons = {owner.person_id for owner in owners if owner.person_id}
    places: dict[int, list[str]] = {}
    titles = (
        Owner.objects.filter(person__in=persons)
        .exclude(household=household)
        .select_related("household__unit__building")
        .order_by("household__unit__building__sort_order", "household__unit", "household__room")
    )
    for title in titles if persons else []:
        place = f"{title.household.unit.building.name}{title.household.unit.name} {title.household.room}"
        if place not in places.setdefault(title.person_id, []):
            places[title.person_id].append(place)
    for owner in owners:
        owner.other_flats = places.get(owner.person_id, []) if owner.person_id else []
    return owners
