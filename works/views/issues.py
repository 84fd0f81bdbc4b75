"""The issues inspections find (整改问题): the contractor's own list, the campaign's list for
staff, one issue with its photos, closing it with an "after" photo, reopening it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from campaigns.access import get_campaign_for, may
from works import inspecting
from works.models import Issue, IssuePhoto
from works.site_forms import CloseIssueForm, ReopenIssueForm

ISSUE_RELATED = ("site__elevator__unit__building__campaign__community", "responsible")
CLOSED_SHOWN = 20
FILTERS = ("open", "overdue", "closed", "all")


def get_issue_for(user, pk: int) -> Issue:
    """The issue ``pk`` for its responsible contractor and the staff who see its site; 404 for
    everyone else."""
    issue = Issue.objects.select_related(*ISSUE_RELATED).filter(pk=pk).first()
    if issue is None:
        raise Http404
    if not (inspecting.is_contractor_for(user, issue) or may(user, "works.view_issue", issue)):
        raise Http404
    return issue


def may_close(user, issue: Issue) -> bool:
    """Its responsible contractor, and the secretary (works.change_issue where it is)."""
    if issue.status != Issue.Status.OPEN:
        return False
    return inspecting.is_contractor_for(user, issue) or may(user, "works.change_issue", issue)


def may_reopen(user, issue: Issue) -> bool:
    """Only the community's secretary reopens a closed issue (the fix did not hold)."""
    campaign = issue.site.elevator.unit.building.campaign
    return issue.status == Issue.Status.CLOSED and campaign.is_managed_by(user)


@require_safe
@login_required
def my_issues(request: HttpRequest) -> HttpResponse:
    """The contractor's page: the open issues of its party, then the latest it closed."""
    issues = inspecting.issues_of_contractor(request.user).select_related(*ISSUE_RELATED)
    context = {
        "open_issues": issues.open().order_by("deadline", "pk"),
        "closed_issues": issues.filter(status=Issue.Status.CLOSED).order_by("-closed_at")[
            :CLOSED_SHOWN
        ],
        "today": timezone.localdate(),
        "is_contractor": bool(inspecting.party_ids_of(request.user)),
    }
    return render(request, "works/site/my_issues.html", context)


@require_safe
@login_required
def issue_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The campaign's issues for its staff: open, overdue, closed or all, on their sites."""
    # the staff of the sites (the contractor has its own page, my_issues)
    campaign = get_campaign_for(request.user, slug, "works.view_inspection")
    sites = [
        s
        for s in inspecting.sites_for(request.user, "works.view_issue")
        if s.elevator.unit.building.campaign_id == campaign.pk
    ]
    today = timezone.localdate()
    show = request.GET.get("show", "open")
    if show not in FILTERS:
        show = "open"
    issues = Issue.objects.filter(site__in=[s.pk for s in sites]).select_related(*ISSUE_RELATED)
    issues = {
        "open": issues.open().order_by("deadline", "pk"),
        "overdue": issues.overdue(today).order_by("deadline", "pk"),
        "closed": issues.filter(status=Issue.Status.CLOSED).order_by("-closed_at", "-pk"),
        "all": issues.order_by("status", "deadline", "pk"),
    }[show]
    context = {
        "campaign": campaign,
        "issues": issues,
        "show": show,
        "filters": [
            ("open", _("待整改")),
            ("overdue", _("已逾期")),
            ("closed", _("已整改")),
            ("all", _("全部")),
        ],
        "today": today,
    }
    return render(request, "works/site/issues.html", context)


@require_safe
@login_required
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_issue_for(request.user, pk)
    return show_issue(request, issue, CloseIssueForm(), ReopenIssueForm())


def show_issue(request, issue: Issue, close_form, reopen_form, status: int = 200) -> HttpResponse:
    user = request.user
    context = {
        "issue": issue,
        "photos": issue.photos.all(),
        "today": timezone.localdate(),
        "may_close": may_close(user, issue),
        "may_reopen": may_reopen(user, issue),
        "staff": may(user, "works.view_inspection", issue),
        "close_form": close_form,
        "reopen_form": reopen_form,
    }
    return render(request, "works/site/issue.html", context, status=status)


@require_POST
@login_required
def close_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the issue with what was done and the photo after: its contractor or the secretary."""
    issue = get_issue_for(request.user, pk)
    if not may_close(request.user, issue):
        if issue.status == Issue.Status.CLOSED:
            messages.info(request, _("这个问题已经整改完毕。"))
            return redirect("works:issue", issue.pk)
        raise PermissionDenied
    form = CloseIssueForm(request.POST, request.FILES)
    if not form.is_valid():
        return show_issue(request, issue, form, ReopenIssueForm(), status=422)
    try:
        inspecting.close_issue(
            issue,
            request.user,
            resolution=form.cleaned_data["resolution"],
            after_photos=form.cleaned_data["photos"],
        )
    except inspecting.CannotClose as error:
        form.add_error(None, str(error))
        return show_issue(request, issue, form, ReopenIssueForm(), status=422)
    messages.success(request, _("已整改，问题已关闭。"))
    if inspecting.is_contractor_for(request.user, issue):
        return redirect("works:my_issues")
    return redirect("works:issue", issue.pk)


@require_POST
@login_required
def reopen_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a closed issue again (the secretary), with the reason kept on its record."""
    issue = get_issue_for(request.user, pk)
    if not may_reopen(request.user, issue):
        if (
            issue.status == Issue.Status.OPEN
            and issue.site.elevator.unit.building.campaign.is_managed_by(request.user)
        ):
            messages.info(request, _("这个问题尚未关闭。"))
            return redirect("works:issue", issue.pk)
        raise PermissionDenied
    form = ReopenIssueForm(request.POST)
    if not form.is_valid():
        return show_issue(request, issue, CloseIssueForm(), form, status=422)
    inspecting.reopen_issue(issue, request.user, reason=form.cleaned_data["reason"])
    messages.success(request, _("问题已重新打开，等待整改。"))
    return redirect("works:issue", issue.pk)


@require_safe
@login_required
def issue_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A photo of an issue, for its contractor and the staff who see its site."""
    photo = IssuePhoto.objects.select_related("issue").filter(pk=pk).first()
    if photo is None:
        raise Http404
    get_issue_for(request.user, photo.issue_id)
    return inspecting.private_image(photo.image)
