"""What the household page shows: its facts, owners, share, owner trace and visits."""

from django.http import HttpRequest

from campaigns.access import PermsAt, may
from campaigns.roles import RECORD_NEEDS
from consultations.costs import explain_share
from consultations.doors import door_status
from consultations.forms import NeedsForm, TraceAttemptForm, VisitForm
from consultations.models import Consent, Proposal, Share
from households.access import works_on
from households.models import Household, Owner
from households.people import matches_among

ADD_VISIT = "consultations.add_visit"
CHANGE_VISIT = "consultations.change_visit"
ADD_TRACE = "households.add_traceattempt"
LINK_OWNERS = "households.change_person"  # the people screen's permission


def needs_fold(user, household: Household, data=None) -> NeedsForm | None:
    """The 需求 fold of the visit form, for whoever may record needs at this door."""
    if not may(user, RECORD_NEEDS, household):
        return None
    if data is not None:
        return NeedsForm.posted(data, household)
    return NeedsForm(instance=household, prefix=NeedsForm.PREFIX)


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
        "owners": with_other_flats(household, proposals=may(request.user, LINK_OWNERS, household)),
        "may_call": works_on(request.user, household),
        "share": share,
        "explanation": explain_share(share.proposal, household) if share else None,
        "consent": consent,
        "visits": household.visits.select_related("visitor").prefetch_related("concerns")[:100],
        "trace_attempts": household.trace_attempts.select_related("worker")[:20],
        "may_log": may(request.user, ADD_VISIT, household),
        "may_trace": may(request.user, ADD_TRACE, household),
        "may_record_needs": may(request.user, RECORD_NEEDS, household),
        "needs_form": NeedsForm(instance=household),
        "needs_fold": needs_fold(request.user, household),
        "perms": PermsAt(request.user, household),  # the role held at this door
        "form": VisitForm(),
        "trace_form": TraceAttemptForm(),
        **extra,
    }


def with_other_flats(household: Household, *, proposals: bool = False) -> list[Owner]:
    """The household's owner entries, each linked one carrying ``other_flats``: the places of
    the other flats its person or body holds (places only: nothing else about them), in two
    queries. With ``proposals`` (for whoever links owners) each also carries
    ``maybe_same``: the places of other flats whose entry is probably the same person and not
    linked yet, to confirm on the people screen (one more query)."""
    owners = list(household.owners.select_related("person"))
    found = maybe_same(household, owners) if proposals and owners else {}
    for owner in owners:
        owner.maybe_same = found.get(owner.pk, [])
    persons = {owner.person_id for owner in owners if owner.person_id}
    places: dict[int, list[str]] = {}
    titles = (
        Owner.objects.filter(person__in=persons)
        .exclude(household=household)
        .select_related("household__unit__building")
        .order_by("household__unit__building__sort_order", "household__unit", "household__room")
    )
    for title in titles if persons else []:
        place = str(title.household)  # the unit as shown (building and unit) and the room
        if place not in places.setdefault(title.person_id, []):
            places[title.person_id].append(place)
    for owner in owners:
        owner.other_flats = places.get(owner.person_id, []) if owner.person_id else []
    return owners


def maybe_same(household: Household, owners: list[Owner]) -> dict[int, list[str]]:
    """For each of the household's entries, the places of the community's other flats whose
    entry ``households.people`` proposes as the same person (never linked here)."""
    community = household.unit.building.campaign.community_id
    names = {owner.name.strip() for owner in owners}
    elsewhere = (
        Owner.objects.filter(
            name__in=names, household__unit__building__campaign__community=community
        )
        .exclude(household=household)
        .select_related("household__unit__building")
    )
    found: dict[int, list[str]] = {}
    mine = {owner.pk for owner in owners}
    for first, second, _on in matches_among([*owners, *elsewhere]):
        if (first.pk in mine) == (second.pk in mine):
            continue
        owner, other = (first, second) if first.pk in mine else (second, first)
        found.setdefault(owner.pk, []).append(str(other.household))
    return found
