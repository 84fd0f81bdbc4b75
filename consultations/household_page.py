"""What the household page shows: its facts, owners, share, owner trace and visits."""

from django.http import HttpRequest

from campaigns.access import PermsAt, may
from consultations.costs import explain_share
from consultations.doors import door_status
from consultations.forms import TraceAttemptForm, VisitForm
from consultations.models import Consent, Proposal, Share
from households.access import works_on
from households.models import Household

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
        "owners": household.owners.all(),
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
