"""The load benchmark's baseline: a bare Django view doing one indexed query.

``make bench`` (benchmarks/load/) measures the portal's pages next to this view in the same
run, so their figures read as "how many times a minimal page". The URL exists only when the
``BENCH_BASELINE`` setting is on when the URL conf is loaded (the benchmark's gunicorn sets
it); the view answers 404 as well whenever the setting is off, so it never leaks into a real
deployment. portal/urls.py includes this module; with the flag off it adds no URL at all.
"""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from households.models import Household


@require_GET
def baseline(request: HttpRequest, pk: int) -> HttpResponse:
    """One primary-key lookup, a few bytes of plain text: the floor under every page."""
    if not settings.BENCH_BASELINE:
        raise Http404
    # order_by("pk"): not the model's default ordering, which would join unit and building.
    room = Household.objects.filter(pk=pk).order_by("pk").values_list("room", flat=True).first()
    return HttpResponse(room or "-", content_type="text/plain; charset=utf-8")


def patterns(enabled: bool) -> list:
    return [path("bench/baseline/<id:pk>/", baseline, name="bench_baseline")] if enabled else []


urlpatterns = patterns(settings.BENCH_BASELINE)
