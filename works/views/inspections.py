"""The daily inspection (每日巡查) on a phone: the user's sites with today's state, a site's
record, the inspection form, one inspection, and its photos (served to staff only)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from campaigns.access import PermsAt, may
from works import commitments, inspecting
from works.models import Inspection, InspectionPhoto, Issue, Site
from works.site_forms import InspectionForm

INSPECTIONS_SHOWN = 30
SITE_RELATED = "elevator__unit__building__campaign__community"


def get_site_for(user, pk: int, permission: str = "works.view_inspection") -> Site:
    """The site ``pk`` if the user works where it is (404 otherwise); 403 if their role there
    lacks ``permission``."""
    site = Site.objects.select_related(SITE_RELATED).filter(pk=pk).first()
    if site is None or not may(user, "works.view_inspection", site):
        raise Http404
    if not may(user, permission, site):
        raise PermissionDenied
    return site


@require_safe
@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    """The user's sites, each with today's inspection (done or not) and the days missed."""
    today = timezone.localdate()
    days = inspecting.site_days(inspecting.sites_for(request.user), today)
    campaigns: dict = {}
    for row in days:
        campaigns.setdefault(row.site.elevator.unit.building.campaign, []).append(row)
    return render(
        request,
        "works/site/inspections.html",
        {"campaigns": list(campaigns.items()), "today": today},
    )


@require_safe
@login_required
def site_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One site: today's state and missed days, its open issues, its commitments as kept, and
    its latest inspections."""
    site = get_site_for(request.user, pk)
    today = timezone.localdate()
    (days,) = inspecting.site_days([site], today)
    inspections = (
        Inspection.objects.filter(site=site)
        .select_related("inspector")
        .prefetch_related("checks")[:INSPECTIONS_SHOWN]
    )
    context = {
        "site": site,
        "days": days,
        "today": today,
        "inspections": inspections,
        "open_issues": Issue.objects.open().filter(site=site).select_related("responsible"),
        "commitments": commitments.records(inspecting.commitments_for(site)),
        "perms": PermsAt(request.user, site),
    }
    return render(request, "works/site/site.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def new_inspection(request: HttpRequest, pk: int) -> HttpResponse:
    """The inspection form. A refused upload or a missing answer shows the form again with
    everything typed kept (the photos must be chosen again: a browser cannot keep them)."""
    site = get_site_for(request.user, pk, "works.add_inspection")
    today = timezone.localdate()
    posted = request.method == "POST"
    form = InspectionForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        lines=inspecting.checklist(site),
        parties=site.parties.all() or site.elevator.unit.building.campaign.parties.all(),
        today=today,
    )
    if posted and form.is_valid():
        inspection = inspecting.record_inspection(
            site,
            request.user,
            marks=form.marks(),
            summary=form.cleaned_data["summary"].strip(),
            photos=form.cleaned_data["photos"],
            issues=form.issues(),
            day=today,
        )
        opened = inspection.issues.count()
        messages.success(
            request,
            _("巡查已记录，登记整改问题 %(count)s 项。") % {"count": opened},
        )
        return redirect("works:inspection", inspection.pk)
    status = 422 if form.is_bound else 200
    if form.is_bound:
        messages.error(request, _("没有保存：请按提示修改后再提交（照片需要重新选择）。"))
    context = {"site": site, "form": form, "today": today}
    return render(request, "works/site/inspection_form.html", context, status=status)


@require_safe
@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = (
        Inspection.objects.select_related(f"site__{SITE_RELATED}", "inspector")
        .filter(pk=pk)
        .first()
    )
    if inspection is None or not may(request.user, "works.view_inspection", inspection):
        raise Http404
    context = {
        "inspection": inspection,
        "site": inspection.site,
        "checks": inspection.checks.select_related("commitment"),
        "photos": inspection.photos.all(),
        "issues": inspection.issues.select_related("responsible"),
    }
    return render(request, "works/site/inspection.html", context)


@require_safe
@login_required
def inspection_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A site photo, for the staff who may see its inspection (it may show people: it reaches
    the public page only when staff publish it)."""
    photo = (
        InspectionPhoto.objects.select_related(f"inspection__site__{SITE_RELATED}")
        .filter(pk=pk)
        .first()
    )
    if photo is None or not may(request.user, "works.view_inspection", photo.inspection):
        raise Http404
    return inspecting.private_image(photo.image)
