"""Who did the work: a worker's own day, and visits per worker per day for the secretary."""

from datetime import date, datetime, time, timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from consultations.models import Visit
from households.models import TraceAttempt
from portal.access import is_secretary

DAYS = 14


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@require_GET
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
        "team": team_table(Visit.objects.for_user(request.user), today)
        if is_secretary(request.user)
        else None,
    }
    return render(request, "consultations/activity.html", context)


def team_table(visits: QuerySet, today) -> dict:
    """Visits per worker per day over the last two weeks, counted in the database: ``visits``
    are the user's (the activity page) or one campaign's (its dashboard)."""
    days = [today - timedelta(days=n) for n in range(DAYS)]
    since = start_of(days[-1])
    counts = (
        visits.filter(visited_at__gte=since)
        .annotate(day=TruncDate("visited_at", tzinfo=timezone.get_current_timezone()))
        .values("visitor", "visitor__username", "visitor__first_name", "day")
        .annotate(n=Count("pk"))
        .order_by("visitor__username")
    )
    workers: dict[int, dict] = {}
    for row in counts:
        worker = workers.setdefault(
            row["visitor"],
            {
                "name": row["visitor__first_name"] or row["visitor__username"],
                "per_day": dict.fromkeys(days, 0),
                "total": 0,
            },
        )
        worker["per_day"][row["day"]] += row["n"]
        worker["total"] += row["n"]
    rows = [
        {"name": w["name"], "cells": [w["per_day"][d] for d in days], "total": w["total"]}
        for w in workers.values()
    ]
    return {"days": days, "rows": rows}
