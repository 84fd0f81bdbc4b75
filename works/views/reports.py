"""Residents' reports of a problem on site, staff side (the secretary: works.change_
residentreport). New reports are listed, redacted of names and numbers; each is turned into an
inspection issue (source: resident) for its responsible party, or declined with a reason.
Nothing of a report is ever public."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from campaigns.access import PermsAt, get_campaign_for
from core.pdf import private_document
from core.redaction import Redactor
from works.models import ResidentReport
from works.report_forms import AcceptReportForm, DeclineReportForm
from works.reporting import AlreadyHandled, accept_report, decline_report

PERMISSION = "works.change_residentreport"
PER_PAGE = 30


def reports_of(campaign):
    return ResidentReport.objects.filter(campaign=campaign).select_related(
        "site__elevator__unit__building", "issue", "handled_by"
    )


def report_for(request, slug: str, pk: int):
    campaign = get_campaign_for(request.user, slug, PERMISSION)
    return campaign, get_object_or_404(reports_of(campaign), pk=pk)


def redacted(reports, campaign) -> list[ResidentReport]:
    """The reports with names and numbers hidden (in memory only): what staff read."""
    redactor = Redactor.for_campaign(campaign)
    reports = list(reports)
    for report in reports:
        report.body = redactor(report.body)
    return reports


@require_safe
@login_required
def report_list(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign_for(request.user, slug, PERMISSION)
    show = request.GET.get("show", ResidentReport.Status.NEW)
    if show not in ResidentReport.Status.values:
        show = ResidentReport.Status.NEW
    page = Paginator(reports_of(campaign).filter(status=show), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "campaign": campaign,
        "perms": PermsAt(request.user, campaign),
        "page": page,
        "reports": redacted(page.object_list, campaign),
        "show": show,
        "statuses": ResidentReport.Status.choices,
    }
    return render(request, "works/residents/reports.html", context)


def handle_page(request, campaign, report, *, accept=None, decline=None, status=200):
    if accept is None:
        accept = AcceptReportForm(
            campaign=campaign,
            initial={"site": report.site_id, "description": report.body},
        )
    context = {
        "campaign": campaign,
        "perms": PermsAt(request.user, campaign),
        "report": report,
        "accept": accept,
        "decline": decline or DeclineReportForm(),
    }
    return render(request, "works/residents/report.html", context, status=status)


@require_safe
@login_required
def report_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    campaign, report = report_for(request, slug, pk)
    (report,) = redacted([report], campaign)
    return handle_page(request, campaign, report)


def back_to_list(campaign) -> HttpResponse:
    return redirect(reverse("works:reports", args=[campaign.slug]))


@require_POST
@login_required
def accept(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    campaign, report = report_for(request, slug, pk)
    form = AcceptReportForm(request.POST, campaign=campaign)
    if not form.is_valid():
        (shown,) = redacted([report], campaign)
        return handle_page(request, campaign, shown, accept=form, status=422)
    try:
        issue = accept_report(report, request.user, **form.cleaned_data)
    except AlreadyHandled:
        messages.error(request, _("这条反映已经处理过了。"))
        return back_to_list(campaign)
    messages.success(
        request,
        _("已转为整改问题：%(site)s，整改期限 %(deadline)s。")
        % {"site": issue.site, "deadline": issue.deadline.isoformat()},
    )
    return back_to_list(campaign)


@require_POST
@login_required
def decline(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    campaign, report = report_for(request, slug, pk)
    form = DeclineReportForm(request.POST)
    if not form.is_valid():
        (shown,) = redacted([report], campaign)
        return handle_page(request, campaign, shown, decline=form, status=422)
    try:
        decline_report(report, request.user, form.cleaned_data["reason"])
    except AlreadyHandled:
        messages.error(request, _("这条反映已经处理过了。"))
        return back_to_list(campaign)
    messages.success(request, _("已记录为不予处理。"))
    return back_to_list(campaign)


@require_safe
@login_required
def report_photo(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The photo a resident sent with a report: staff only, never public."""
    _campaign, report = report_for(request, slug, pk)
    if not report.photo:
        raise Http404
    try:
        image = report.photo.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(image, content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    return private_document(response, f"report-{report.pk}.jpg")
