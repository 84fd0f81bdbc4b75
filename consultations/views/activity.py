"""Who did the work: a worker's own day, and visits per worker per day for the secretary."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from campaigns.access import is_secretary
from campaigns.models import Campaign
from consultations.activity import start_of, team_table
from consultations.models import Visit
from households.models import TraceAttempt


@require_safe
@login_required
def activity(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    start = start_of(today)
    mine_today = (
        Visit.objects.for_user(request.user)
        .filter(visitor=request.user, created_at__gte=start)
        .select_related("household__unit__building")
        .prefetch_related("concerns")
        .order_by("-created_at")
    )
    traces_today = TraceAttempt.objects.filter(
        worker=request.user, attempted_at__gte=start
    ).select_related("household__unit__building")
    context = {
        "today": today,
        "mine_today": mine_today,
        "traces_today": traces_today,
        "team": team_table(managed_visits(request.user), today)
        if is_secretary(request.user)
        else None,
    }
    return render(request, "consultations/activity.html", context)


def managed_visits(user):
    """The visits in the communities the user is secretary of: where they also work as a grid
    worker, the team's visits are not theirs to watch."""
    campaigns = Campaign.objects.managed_by(user)
    return Visit.objects.filter(household__unit__building__campaign__in=campaigns)
