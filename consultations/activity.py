"""Who did the work: visits per worker per day, counted in the database."""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

DAYS = 14


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


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
