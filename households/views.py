"""The grid worker's and building lead's pages: their doors, one household."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from households.access import get_household_for
from households.models import Household


@require_GET
@login_required
def my_doors(request: HttpRequest) -> HttpResponse:
    households = (
        Household.objects.for_user(request.user)
        .select_related("unit__building")
        .annotate(visit_count=Count("visits"), last_visit=Max("visits__visited_at"))
    )
    return render(request, "households/my_doors.html", {"households": households})


@require_GET
@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_household_for(request.user, pk)
    context = {
        "household": household,
        "owners": household.owners.all(),
        "visits": household.visits.select_related("visitor").prefetch_related("concerns")[:50],
    }
    return render(request, "households/detail.html", context)
