"""The daily stand-up (碰头会/站班会): a phone-sized record of who came, what was done, what
is planned and what blocks it, with the actions agreed; open actions carry over to the next
stand-up until someone closes them, and the overdue ones are listed for the secretary."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from campaigns.access import PermsAt, get_campaign_for
from core.htmx import wants_fragment
from works.models import ActionItem, StandUp
from works.standup_forms import ActionFormSet, CloseActionForm, StandUpForm

STAND_UPS_SHOWN = 30


def open_actions(campaign):
    return (
        ActionItem.objects.open()
        .filter(stand_up__campaign=campaign)
        .select_related("owner", "stand_up")
    )


@require_safe
@login_required
def standups(request: HttpRequest, slug: str) -> HttpResponse:
    """The latest stand-ups, and every open action with the overdue ones first."""
    campaign = get_campaign_for(request.user, slug, "works.view_standup")
    today = timezone.localdate()
    actions = list(open_actions(campaign))
    context = {
        "campaign": campaign,
        "perms": PermsAt(request.user, campaign),
        "stand_ups": StandUp.objects.filter(campaign=campaign)
        .prefetch_related("attendees", "actions")
        .order_by("-held_on")[:STAND_UPS_SHOWN],
        "overdue": [a for a in actions if a.due_on < today],
        "pending": [a for a in actions if a.due_on >= today],
        "today": today,
    }
    return render(request, "works/standup/list.html", context)


@require_safe
@login_required
def standup_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    campaign = get_campaign_for(request.user, slug, "works.view_standup")
    stand_up = get_object_or_404(
        StandUp.objects.filter(campaign=campaign).prefetch_related("attendees"), pk=pk
    )
    context = {
        "campaign": campaign,
        "stand_up": stand_up,
        "actions": stand_up.actions.select_related("owner"),
        "today": timezone.localdate(),
    }
    return render(request, "works/standup/detail.html", context)


def new_page(request, campaign, *, form, actions, closing=None, status=200) -> HttpResponse:
    """The stand-up form, and below it every open action of earlier days with its close form
    (``closing``: a bound close form to show again)."""
    today = timezone.localdate()
    carried = list(open_actions(campaign))
    for action in carried:
        if closing is not None and closing.instance.pk == action.pk:
            action.close_form = closing
        else:
            action.close_form = close_form(action, today)
    context = {
        "campaign": campaign,
        "perms": PermsAt(request.user, campaign),
        "form": form,
        "actions": actions,
        "carried": carried,
        "today": today,
    }
    return render(request, "works/standup/new.html", context, status=status)


def close_form(action: ActionItem, today, data=None) -> CloseActionForm:
    return CloseActionForm(data, instance=action, today=today, prefix=f"close-{action.pk}")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def new_standup(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign_for(request.user, slug, "works.add_standup")
    today = timezone.localdate()
    data = request.POST or None
    stand_up = StandUp(campaign=campaign, recorded_by=request.user)
    form = StandUpForm(
        data, instance=stand_up, campaign=campaign, today=today, initial={"held_on": today}
    )
    actions = ActionFormSet(
        data, instance=stand_up, prefix="actions", form_kwargs={"campaign": campaign}
    )
    if request.method == "POST" and form.is_valid() and actions.is_valid():
        try:
            with transaction.atomic():
                stand_up = form.save()
                actions.instance = stand_up
                actions.save()
        except IntegrityError:  # the same day recorded by someone else meanwhile
            form.add_error("held_on", _("这一天的碰头会已经记录过了。"))
        else:
            messages.success(request, _("碰头会已记录。"))
            return redirect("works:standup", campaign.slug, stand_up.pk)
    status = 422 if request.method == "POST" else 200
    return new_page(request, campaign, form=form, actions=actions, status=status)


@require_POST
@login_required
@vary_on_headers("HX-Request")
def close_action(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Close an action carried over: the day it was done and a word on how."""
    campaign = get_campaign_for(request.user, slug, "works.change_actionitem")
    action = get_object_or_404(
        ActionItem.objects.filter(stand_up__campaign=campaign).select_related("stand_up", "owner"),
        pk=pk,
    )
    today = timezone.localdate()
    if action.closed_on is not None:
        messages.info(request, _("这项工作已经关闭了。"))
        return redirect("works:new_standup", campaign.slug)
    form = close_form(action, today, request.POST)
    if form.is_valid():
        action = form.save(commit=False)
        action.closed_by = request.user
        action.save(update_fields=["closed_on", "closing_note", "closed_by"])
        if wants_fragment(request):
            context = {"campaign": campaign, "action": action, "today": today}
            return render(request, "works/standup/new.html#action", context)
        messages.success(request, _("已关闭：%(action)s") % {"action": action})
        return redirect("works:new_standup", campaign.slug)
    if wants_fragment(request):
        action.close_form = form
        context = {"campaign": campaign, "action": action, "today": today}
        return render(request, "works/standup/new.html#action", context, status=422)
    stand_up = StandUp(campaign=campaign, recorded_by=request.user)
    return new_page(
        request,
        campaign,
        form=StandUpForm(campaign=campaign, today=today, initial={"held_on": today}),
        actions=ActionFormSet(
            instance=stand_up, prefix="actions", form_kwargs={"campaign": campaign}
        ),
        closing=form,
        status=422,
    )
