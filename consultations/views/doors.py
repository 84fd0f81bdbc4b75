"""My doors: a worker's households, where each stands, who to see next."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from campaigns.models import Building, Unit
from consultations.doors import DoorFilter, door_counts, door_rows, filter_doors
from core.htmx import wants_fragment
from households.models import Household

DOORS_PER_PAGE = 60  # a long stairwell or two on a tablet


def doors_for(user):
    """The user's households (their door status is stored on them), ready to list (with
    their campaign, for ``may``)."""
    return Household.objects.for_user(user).select_related("unit__building__campaign")


@require_safe
@login_required
@vary_on_headers("HX-Request")
def my_doors(request: HttpRequest) -> HttpResponse:
    """The user's doors, a page at a time: a secretary's whole community is thousands of
    households, so the list is narrowed by building, room and filter, and paginated."""
    choice = request.GET.get("show", "")
    if choice not in DoorFilter.values:
        choice = ""
    today = timezone.localdate()
    buildings = list(
        Building.objects.filter(units__in=Unit.objects.for_user(request.user))
        .distinct()
        .order_by("campaign", "sort_order", "name")
    )
    building = next((b for b in buildings if str(b.pk) == request.GET.get("building")), None)
    room = request.GET.get("room", "").strip()[: Household._meta.get_field("room").max_length]
    doors = filter_doors(doors_for(request.user), choice, today)
    if building:
        doors = doors.filter(unit__building=building)
    if room:
        doors = doors.filter(room__istartswith=room)
    page = Paginator(doors, DOORS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "households": door_rows(page.object_list, request.user),
        "page": page,
        "counts": door_counts(Household.objects.for_user(request.user)),
        "filters": DoorFilter.choices,
        "choice": choice,
        "buildings": buildings,
        "building": building,
        "room": room,
        "today": today,
    }
    if wants_fragment(request):  # the results, and the filter links (outside them) anew
        return render(
            request, "consultations/my_doors.html#door-list", {**context, "fragment": True}
        )
    return render(request, "consultations/my_doors.html", context)


@require_safe
@login_required
def follow_ups(request: HttpRequest) -> HttpResponse:
    """Who to go back to: follow-ups due today and overdue, oldest first."""
    today = timezone.localdate()
    due = door_rows(
        filter_doors(doors_for(request.user), DoorFilter.FOLLOW_UP, today).order_by(
            "follow_up_on", "unit__name", "floor", "room"
        ),
        request.user,
    )
    context = {
        "overdue": [h for h in due if h.follow_up_on < today],
        "due_today": [h for h in due if h.follow_up_on == today],
        "today": today,
    }
    return render(request, "consultations/follow_ups.html", context)
