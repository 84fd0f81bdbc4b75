"""Each elevator's reverse schedule (倒排工期): the secretary starts it, plans its steps, marks
them started and done, and moves the opening date; grid workers and leads read their sites'
schedules; the timeline shows every elevator at once, on the page and printable."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from campaigns.access import PermsAt, get_campaign_for, may
from campaigns.forms import TargetDateForm
from core.htmx import wants_fragment
from works import gate, scheduling
from works.models import START_STEP, ScheduleStep, Site
from works.schedule_forms import MarkForm, StartScheduleForm, StepForm

VIEW = "works.view_schedulestep"
CHANGE = "works.change_schedulestep"


def get_site_for(user, slug: str, pk: int, permission: str = ""):
    """The campaign and its site ``pk`` if ``user`` may see the site's schedule (404 for
    anyone else); 403 if they may see it but lack ``permission``."""
    campaign = get_campaign_for(user, slug)
    site = get_object_or_404(scheduling.sites_of(campaign), pk=pk)
    if not may(user, VIEW, site):
        raise Http404
    if permission and not may(user, permission, site):
        raise PermissionDenied
    return campaign, site


def get_step_for(user, slug: str, pk: int, permission: str):
    campaign = get_campaign_for(user, slug)
    steps = ScheduleStep.objects.filter(site__elevator__unit__building__campaign=campaign)
    step = get_object_or_404(
        steps.select_related("site__elevator__unit__building__campaign", "responsible"), pk=pk
    )
    if not may(user, VIEW, step.site):
        raise Http404
    if not may(user, permission, step.site):
        raise PermissionDenied
    return campaign, step


@require_safe
@login_required
def schedules(request: HttpRequest, slug: str) -> HttpResponse:
    """Every elevator's schedule the user may see, drawn as one timeline."""
    campaign = get_campaign_for(request.user, slug, VIEW)
    return schedules_page(request, campaign)


def schedules_page(request, campaign, *, form=None, status=200) -> HttpResponse:
    today = timezone.localdate()
    sites = scheduling.sites_of(campaign)
    chart = scheduling.timeline(sites, today, shown=lambda site: may(request.user, VIEW, site))
    perms = PermsAt(request.user, campaign)
    if form is None and perms["works"]["add_schedulestep"]:
        form = StartScheduleForm(campaign=campaign)
    context = {"campaign": campaign, "perms": perms, "chart": chart, "form": form}
    return render(request, "works/schedule/list.html", context, status=status)


@require_safe
@login_required
def timeline_print(request: HttpRequest, slug: str) -> HttpResponse:
    """The secretary's timeline of every elevator on a page of its own, to print."""
    campaign = get_campaign_for(request.user, slug, VIEW, manage=True)
    chart = scheduling.timeline(scheduling.sites_of(campaign), timezone.localdate())
    return render(request, "works/schedule/print.html", {"campaign": campaign, "chart": chart})


@require_POST
@login_required
def start_schedule(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign_for(request.user, slug, "works.add_schedulestep")
    form = StartScheduleForm(request.POST, campaign=campaign)
    if not form.is_valid():
        return schedules_page(request, campaign, form=form, status=422)
    site = scheduling.create_schedule(
        form.cleaned_data["elevator"], form.cleaned_data["target_open_date"], request.user
    )
    messages.success(request, _("已按目标开通日期倒排工期。"))
    return redirect("works:site_schedule", campaign.slug, site.pk)


def site_page(request, campaign, site: Site, *, forms=None, refused=None, status=200):
    """The site's schedule: each step with its plan, real dates and state; the mark forms and
    the opening date for those who may change them; why the works may not start yet."""
    today = timezone.localdate()
    perms = PermsAt(request.user, site)
    may_change = perms["works"]["change_schedulestep"]
    steps = list(scheduling.steps_of(site))
    forms = forms or {}
    for step in steps:
        step.state = step.state_on(today)
        if may_change:
            step.mark_form = forms.get(step.pk) or mark_form(step, today)
        step.refused = refused if refused and refused[0] == step.pk else None
    start_open = any(s.kind == START_STEP and s.actual_start is None for s in steps)
    context = {
        "campaign": campaign,
        "site": site,
        "perms": perms,
        "steps": steps,
        "today": today,
        "opening_form": forms.get("opening")
        or TargetDateForm(initial={"target_open_date": site.target_open_date}),
        "missing": gate.missing(site) if start_open else [],
    }
    return render(request, "works/schedule/site.html", context, status=status)


def mark_form(step: ScheduleStep, today, data=None) -> MarkForm:
    initial = {"actual_start": step.actual_start, "actual_end": step.actual_end}
    return MarkForm(data, initial=initial, today=today, prefix=f"step-{step.pk}")


@require_safe
@login_required
def site_schedule(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    campaign, site = get_site_for(request.user, slug, pk)
    return site_page(request, campaign, site)


@require_POST
@login_required
@vary_on_headers("HX-Request")
def mark_step(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Record when a step really started and finished; the start step only once the gate is
    open (works.gate), else every missing condition is said on the page."""
    campaign, step = get_step_for(request.user, slug, pk, CHANGE)
    today = timezone.localdate()
    form = mark_form(step, today, request.POST)
    refused = None
    saved = False
    if form.is_valid():
        try:
            scheduling.mark(
                step,
                form.cleaned_data["actual_start"],
                form.cleaned_data["actual_end"],
                request.user,
                today,
            )
        except gate.GateClosed as closed:
            refused = (step.pk, closed.conditions)
        else:
            if not wants_fragment(request):
                messages.success(request, _("“%(step)s”的实际日期已保存。") % {"step": step})
                return redirect("works:site_schedule", campaign.slug, step.site_id)
            saved = True
            form = mark_form(step, today)
    status = 200 if saved else 422
    if wants_fragment(request):
        step.state = step.state_on(today)
        step.mark_form = form
        step.refused = refused
        context = {"campaign": campaign, "site": step.site, "step": step, "today": today}
        context["perms"] = PermsAt(request.user, step.site)
        return render(request, "works/schedule/site.html#step", context, status=status)
    return site_page(
        request, campaign, step.site, forms={step.pk: form}, refused=refused, status=status
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def edit_step(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The secretary plans a step: its dates, its responsible party, a note."""
    campaign, step = get_step_for(request.user, slug, pk, CHANGE)
    form = StepForm(request.POST or None, instance=step, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        step = form.save(commit=False)
        step.marked_by = request.user
        step.save()
        messages.success(request, _("“%(step)s”的计划已保存。") % {"step": step})
        return redirect("works:site_schedule", campaign.slug, step.site_id)
    context = {"campaign": campaign, "step": step, "form": form}
    status = 422 if form.is_bound else 200
    return render(request, "works/schedule/step_form.html", context, status=status)


@require_POST
@login_required
def move_opening(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Move the site's opening date: the open steps move with it, the done ones stay."""
    campaign, site = get_site_for(request.user, slug, pk, CHANGE)
    form = TargetDateForm(request.POST)
    if not form.is_valid():
        return site_page(request, campaign, site, forms={"opening": form}, status=422)
    moved = scheduling.move_opening(site, form.cleaned_data["target_open_date"], request.user)
    messages.success(
        request, _("目标开通日期已更新，%(count)s 个未完成的步骤随之调整。") % {"count": moved}
    )
    return redirect("works:site_schedule", campaign.slug, site.pk)
