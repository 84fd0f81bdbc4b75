"""The portal as an installable web app that works in a stairwell without signal: the web
app manifest, the service worker (static/js/sw.js, served at the site's root so it may
answer for every page), and the list of what a field worker's tablet keeps for offline use.

What is kept is the worker's own scope only: their door list, each of their households' pages
(with the visit form open), their follow-ups and their units' walk sheets. static/js/offline.js
fetches the list whenever the tablet is online and hands it to the service worker, which
drops what left the scope (an assignment ended) and stores what is new. Visits and owner-trace
attempts saved offline wait in the tablet's IndexedDB and are sent again, with their
idempotency keys, when the network returns. Logging out removes it all (``Clear-Site-Data``).
"""

import math
import re

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import Context
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe
from django_htmx.templatetags.django_htmx import htmx_script

from campaigns.models import Role, roles_of
from consultations.views.doors import DOORS_PER_PAGE
from households.models import Household

FIELD_ROLES = {Role.GRID_WORKER, Role.BUILDING_LEAD}
# A worker's scope is a stairwell or a building: a few dozen doors. A scope larger than this
# (a lead of a very large building) keeps only its first households, in door-list order.
MOST_HOUSEHOLDS_OFFLINE = 300
STATIC_FILES = [
    "css/portal.css",
    "js/offline.js",
    "js/visits.js",
    "js/filters.js",
    "favicon.ico",
    "favicon.svg",
    "icons/icon-192.png",
]
CACHE_PREFIX = "portal-offline-"  # static/js/sw.js and offline.js use the same prefix


def offline_households(user):
    """The households a field worker's tablet keeps offline: their own scope, for grid
    workers and building leads only (a secretary's whole community is not carried around)."""
    if user.is_superuser or not roles_of(user) & FIELD_ROLES or Role.SECRETARY in roles_of(user):
        return Household.objects.none()
    return Household.objects.for_user(user).order_by("unit", "floor", "room")


def offline_urls(user) -> list[str]:
    """The pages the tablet keeps for ``user``: no other worker's household ever appears."""
    households = list(
        offline_households(user).values_list("pk", "unit_id")[:MOST_HOUSEHOLDS_OFFLINE]
    )
    if not households:
        return []
    doors = reverse("consultations:my_doors")
    pages = math.ceil(len(households) / DOORS_PER_PAGE)
    urls = [doors, *(f"{doors}?page={n}" for n in range(2, pages + 1))]
    urls += [reverse("consultations:follow_ups"), reverse("offline_page")]
    for pk, _unit in households:
        page = reverse("consultations:household", args=[pk])
        urls += [page, f"{page}?log=1"]  # the page, and the page with the visit form open
    for unit in sorted({unit for _pk, unit in households}):
        urls.append(reverse("consultations:unit_walk_sheet", args=[unit]))
    return urls


def static_urls() -> list[str]:
    """The files every kept page needs: the stylesheet, the scripts, htmx, the icons."""
    htmx = re.findall(r'src="([^"]+)"', str(htmx_script(Context())))
    return [*(static(name) for name in STATIC_FILES), *htmx]


@require_safe
@login_required
@never_cache
def scope(request: HttpRequest) -> JsonResponse:
    """What this user's tablet keeps offline, under a cache of this user's own, and a fresh
    CSRF token to send what waits in the queue."""
    return JsonResponse(
        {
            "user": request.user.pk,
            "cache": f"{CACHE_PREFIX}{request.user.pk}",
            "urls": offline_urls(request.user),
            "static": static_urls(),
            "csrf": get_token(request),
        }
    )


@require_safe
@login_required
def offline_page(request: HttpRequest) -> HttpResponse:
    """What the tablet shows, offline, for a page it did not keep."""
    return render(request, "portal/offline.html")


@require_safe
@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    """static/js/sw.js at the root, so that its scope is the whole site; checked for a new
    version on every visit (no-cache)."""
    with open(finders.find("js/sw.js"), "rb") as source:
        script = source.read()
    return HttpResponse(script, content_type="application/javascript; charset=utf-8")


@require_safe
@cache_control(max_age=60 * 60)
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: the tablet installs the portal and opens it on the door list."""
    icons = [
        {"src": static(f"icons/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
        for size in (192, 512)
    ]
    data = {
        "name": _("社区电梯更新工作台"),
        "short_name": _("电梯更新"),
        "lang": "zh-Hans",
        "start_url": reverse("consultations:my_doors"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#b3261e",
        "icons": icons,
    }
    return JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )
