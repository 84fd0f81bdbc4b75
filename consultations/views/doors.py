"""My doors: a worker's households, where each stands, who to see next."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from consultations.doors import (
    DoorFilter,
    door_counts,
    door_status,
    filter_doors,
    with_door_status,
)
from core.htmx import wants_fragment
from households.models import Household


def doors_for(user):
    """The user's households with their door status, ready to list."""
    return with_door_status(
        Household.objects.for_user(user).select_related("unit__building")
    ).order_by("unit__building__sort_order", "unit__building__name", "unit__name", "floor", "room")


def with_status(households) -> list:
    rows = list(households)
    for household in rows:
        household.status = door_status(household)
    return rows


@require_GET
@login_required
@vary_on_headers("HX-Request")
def my_doors(request: HttpRequest) -> HttpResponse:
    choice = request.GET.get("show", "")
    if choice not in DoorFilter.values:
        choice = ""
    today = timezone.localdate()
    doors = doors_for(request.user)
    context = {
        "households": with_status(filter_doors(doors, choice, today)),
        "counts": door_counts(Household.objects.for_user(request.user)),
        "filters": DoorFilter.choices,
        "choice": choice,
        "today": today,
        "may_log": request.user.has_perm("consultations.add_visit"),
    }
    if wants_fragment(request):
        return render(request, "consultations/my_doors.html#door-list", context)
    return render(request, "consultations/my_doors.html", context)


@require_GET
@login_required
def follow_ups(request: HttpRequest) -> HttpResponse:
    """Who to go back to: follow-ups due today and overdue, oldest first."""
    today = timezone.localdate()
    due = with_status(
        filter_doors(doors_for(request.user), DoorFilter.FOLLOW_UP, today).order_by(
            "follow_up_on", "unit__name", "floor", "room"
        )
    )
    context = {
        "overdue": [h for h in due if h.follow_up_on < today],
        "due_today": [h for h in due if h.follow_up_on == today],
        "today": today,
    }
    return render(request, "consultations/follow_ups.html", context)
