"""Pages that span the apps: the home page and each role's start page."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from campaigns.access import secretary_required
from campaigns.models import Campaign, Role, Unit, roles_of
from consultations.progress import with_progress
from consultations.standing import votes_by_unit


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    campaigns = Campaign.objects.public().select_related("community")
    return render(request, "portal/home.html", {"campaigns": campaigns})


@require_safe
@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Send each role to its own start page after login."""
    roles = roles_of(request.user)
    if request.user.is_superuser or Role.SECRETARY in roles:
        return redirect("secretary")
    if roles & {Role.GRID_WORKER, Role.BUILDING_LEAD}:
        return redirect("consultations:my_doors")
    if Role.MAINTAINER in roles:
        return redirect("works:my_tickets")
    if Role.CONTRACTOR in roles and not roles & {Role.LAWYER, Role.REVIEWER}:
        try:  # the site team's issue list, where there is one
            return redirect(reverse("works:my_issues"))
        except NoReverseMatch:
            return redirect("works:review_home")
    if roles & {Role.LAWYER, Role.REVIEWER}:
        return redirect("works:review_home")
    return render(request, "portal/no_role.html", status=403)


@require_safe
@secretary_required
def secretary(request: HttpRequest) -> HttpResponse:
    campaigns = list(Campaign.objects.managed_by(request.user).select_related("community"))
    units = list(
        with_progress(
            Unit.objects.filter(building__campaign__in=campaigns).select_related("building")
        )
    )
    rules = {c.pk: c.consent_rule for c in campaigns}
    votes = votes_by_unit(units, lambda unit: rules[unit.building.campaign_id])
    by_campaign: dict[int, list] = {c.pk: [] for c in campaigns}
    for unit in units:
        unit.vote = votes[unit.pk]
        unit.published_proposal = unit.vote.proposal
        by_campaign[unit.building.campaign_id].append(unit)
    sections = [(campaign, by_campaign[campaign.pk]) for campaign in campaigns]
    return render(request, "portal/secretary.html", {"sections": sections})


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and uptime checks: the process is up and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_safe
@cache_control(public=True, max_age=24 * 60 * 60)
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers and chat apps that ask for /favicon.ico without reading the page's
    ``<link rel="icon">`` get the static icon instead of a 404. A temporary redirect: the
    static URL carries the file's hash in production, so it changes when the icon does."""
    return HttpResponseRedirect(static("favicon.ico"))
