"""One household: its facts, owners, share, owner trace and visits; logging a visit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from campaigns.roles import RECORD_NEEDS
from consultations.doors import door_counts, door_rows
from consultations.forms import NeedsForm, TraceAttemptForm, VisitForm
from consultations.household_page import (
    ADD_TRACE,
    ADD_VISIT,
    CHANGE_VISIT,
    household_context,
    needs_fold,
)
from consultations.models import Visit
from households.access import get_household_for
from households.models import Household


@require_safe
@login_required
def household_page(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_household_for(request.user, pk)
    return render(request, "consultations/household.html", household_context(request, household))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def log_visit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the visit form (an HTMX fragment, or the household page with the form open).
    POST: save the visit once, then show the updated timeline or list row."""
    from_list = request.POST.get("return_to", request.GET.get("return_to")) == "list"
    household = household_to_record_at(request, pk, ADD_VISIT)
    if isinstance(household, HttpResponse):
        return household
    if request.method in ("GET", "HEAD"):
        if not request.htmx:
            return redirect(household.get_absolute_url() + "?log=1#log")
        return render_visit_slot(request, household, VisitForm(), from_list, open_form=True)

    form = VisitForm(request.POST, household=household)
    needs = needs_fold(request.user, household, request.POST)  # the 需求 fold, if posted
    if not form.is_valid() or (needs is not None and not needs.is_valid()):
        household.refresh_from_db(fields=NeedsForm.Meta.fields)  # shown as on record
        return render_visit_slot(
            request, household, form, from_list, open_form=True, status=422, needs=needs
        )
    with transaction.atomic():
        visit, created = Visit.objects.record(household, request.user, **form.visit_fields())
        if visit.household_id != household.pk:
            return HttpResponse(_("这个表单已经提交给了另一户，请刷新页面后重新填写。"), status=409)
        if created and needs is not None:
            needs.save_needs()
    if not request.htmx:
        if created:
            messages.success(request, _("已保存 %(room)s 的走访记录。") % {"room": household.room})
        return redirect(household.get_absolute_url() + "#visits")
    fresh = None if from_list else VisitForm()  # a saved list row shows no form
    return render_visit_slot(request, household, fresh, from_list, saved=visit)


OFFLINE_REPLAY = "X-Offline-Replay"  # sent by static/js/offline.js with what it queued


def household_to_record_at(request: HttpRequest, pk: int, perm: str) -> Household | HttpResponse:
    """The household a visit or trace is recorded at (``get_household_for``). A tablet
    sending what it saved offline, for a household that has left the worker's scope since
    (an assignment ended) or that they may no longer record at, hears why in a sentence it
    shows the worker, with 403: nothing is saved."""
    try:
        return get_household_for(request.user, pk, write=True, perm=perm)
    except (Http404, PermissionDenied):
        if not request.headers.get(OFFLINE_REPLAY):
            raise
    message = _("这一户已不在您负责的范围内，这条离线记录没有保存。请与社区书记核对分工。")
    return HttpResponse(message, status=403, content_type="text/plain; charset=utf-8")


def render_visit_slot(
    request, household, form, from_list, *, open_form=False, saved=None, status=200, needs=None
) -> HttpResponse:
    """The part of the page that holds the visit form: the list row (with the list's counts
    once saved) or the visits panel."""
    needs = needs or needs_fold(request.user, household)
    if from_list:
        door_rows([household], request.user)  # stored: the visit just saved shows
        context = {
            "household": household,
            "form": form,
            "needs_fold": needs,
            "open_form": open_form,
            "saved": saved,
            "counts": door_counts(Household.objects.for_user(request.user)) if saved else None,
            "today": timezone.localdate(),
        }
        return render(request, "consultations/my_doors.html#door-row", context, status=status)
    context = household_context(
        request, household, form=form, open_form=open_form, saved=saved, needs_fold=needs
    )
    return render(request, "consultations/household.html#visits", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def record_needs(request: HttpRequest, pk: int) -> HttpResponse:
    """The household's needs as heard at the door: over 70, limited mobility, living alone,
    help needed while the lift is out, how urgent, a note. GET without HTMX: the household
    page with the form open."""
    household = get_household_for(request.user, pk, write=True, perm=RECORD_NEEDS)
    if request.method in ("GET", "HEAD"):
        return redirect(household.get_absolute_url() + "?needs=1#needs")
    form = NeedsForm(request.POST, instance=household)
    if form.is_valid():
        changed = form.save_needs()
        if not request.htmx:
            if changed:
                messages.success(request, _("已更新本户的需求。"))
            return redirect(household.get_absolute_url() + "#needs")
        context = household_context(request, household, needs_saved=True)
        return render(request, "consultations/household.html#needs", context)
    household.refresh_from_db(fields=NeedsForm.Meta.fields)  # shown as on record, not as typed
    context = household_context(request, household, needs_form=form)
    if not request.htmx:
        return render(request, "consultations/household.html", context, status=422)
    return render(request, "consultations/household.html#needs", context, status=422)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def edit_visit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a visit. Nothing is deleted; the history keeps who changed what and when."""
    visit = get_object_or_404(
        Visit.objects.for_user(request.user).select_related("household"), pk=pk
    )
    household = get_household_for(request.user, visit.household_id, write=True, perm=CHANGE_VISIT)
    form = VisitForm(request.POST or None, instance=visit)
    if request.method == "POST" and form.is_valid():
        visit.correct(**form.corrected_fields())
        messages.success(request, _("走访记录已更正。"))
        return redirect(household.get_absolute_url() + "#visits")
    status = 422 if request.method == "POST" else 200
    history = visit.history.select_related("history_user").order_by("-history_date")[:20]
    context = {"visit": visit, "household": household, "form": form, "history": history}
    return render(request, "consultations/visit_edit.html", context, status=status)


@require_POST
@login_required
def log_trace(request: HttpRequest, pk: int) -> HttpResponse:
    """Record one try at finding or reaching an owner who lives elsewhere."""
    household = household_to_record_at(request, pk, ADD_TRACE)
    if isinstance(household, HttpResponse):
        return household
    form = TraceAttemptForm(request.POST)
    if form.is_valid():
        household.record_trace(request.user, **form.trace_fields())
        if not request.htmx:
            messages.success(request, _("已记录寻找产权人的情况。"))
            return redirect(household.get_absolute_url() + "#trace")
        form = TraceAttemptForm()
    elif not request.htmx:
        context = household_context(request, household, trace_form=form)
        return render(request, "consultations/household.html", context, status=422)
    context = household_context(request, household, trace_form=form)
    status = 200 if not form.errors else 422
    return render(request, "consultations/household.html#trace", context, status=status)
