"""My doors: a worker's households, where each stands, who to see next."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from consultations.doors import (
    DoorFilter,
    door_counts_of,
    door_status,
    filter_doors,
    with_door_status,
)
from core.htmx import wants_fragment
from households.models import Household, unit_scope_of
from portal.fragments import kept, kept_page


def doors_for(user, unit_ids: list[int] | None = None):
    """The user's households with their door status, ready to list (``unit_ids``: the user's
    ``unit_ids_for``, if read already)."""
    return with_door_status(
        Household.objects.for_user(user, unit_ids).select_related("unit__building")
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
    """The list is kept, rendered, until a visit, consent or household in it changes."""
    choice = request.GET.get("show", "")
    if choice not in DoorFilter.values:
        choice = ""
    today = timezone.localdate()
    scope = unit_scope_of(request.user)
    unit_ids = scope.unit_ids
    may_log = request.user.has_perm("consultations.add_visit")  # the list's buttons

    def draw() -> dict:
        doors = doors_for(request.user, unit_ids)
        context = {
            "households": with_status(filter_doors(doors, choice, today)),
            "filters": DoorFilter.choices,
            "choice": choice,
            "today": today,
            "may_log": may_log,
        }  # rendered without the request: nothing in the list depends on more than this
        door_list = render_to_string("consultations/my_doors.html#door-list", context)
        return {"counts": door_counts_of(scope), "door_list": door_list}

    key = (request.user.pk, unit_ids, scope.stamp(), choice, today, may_log)
    if wants_fragment(request):
        return HttpResponse(kept("my-doors", key, draw)["door_list"])
    return kept_page(request, "consultations/my_doors.html", "my-doors", key, draw)


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
