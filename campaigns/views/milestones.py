"""The reverse-scheduled timeline (倒排工期): the target opening date, and each milestone
planned so many days before it, with the date it was actually reached."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from campaigns.access import PermsAt, get_campaign_for
from campaigns.forms import MilestoneForm, MilestoneReachedForm, TargetDateForm
from campaigns.models import Milestone


def page(request, campaign, *, form=None, target_form=None, status=200) -> HttpResponse:
    context = {
        "campaign": campaign,
        "perms": PermsAt(request.user, campaign),
        "milestones": campaign.milestones.all(),
        "form": form or MilestoneForm(campaign=campaign),
        "target_form": target_form
        or TargetDateForm(initial={"target_open_date": campaign.target_open_date}),
        "today": timezone.localdate(),
    }
    return render(request, "campaigns/manage/milestones.html", context, status=status)


@require_safe
@login_required
def milestone_list(request: HttpRequest, slug: str) -> HttpResponse:
    return page(request, get_campaign_for(request.user, slug, "campaigns.view_milestone"))


@require_POST
@login_required
def add_milestone(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign_for(request.user, slug, "campaigns.add_milestone")
    form = MilestoneForm(request.POST, campaign=campaign)
    if not form.is_valid():
        return page(request, campaign, form=form, status=422)
    form.save()
    messages.success(request, _("节点已添加。"))
    return redirect("campaigns:milestones", campaign.slug)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def edit_milestone(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    campaign = get_campaign_for(request.user, slug, "campaigns.change_milestone")
    milestone = get_object_or_404(Milestone.objects.filter(campaign=campaign), pk=pk)
    # The secretary plans the timeline; the others who may change a milestone mark it reached.
    form_class = MilestoneForm if campaign.is_managed_by(request.user) else MilestoneReachedForm
    form = form_class(request.POST or None, instance=milestone, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("节点已更新。"))
        return redirect("campaigns:milestones", campaign.slug)
    context = {
        "campaign": campaign,
        "perms": PermsAt(request.user, campaign),
        "form": form,
        "milestone": milestone,
    }
    status = 422 if form.is_bound else 200
    return render(request, "campaigns/manage/milestone_form.html", context, status=status)


@require_POST
@login_required
def set_target(request: HttpRequest, slug: str) -> HttpResponse:
    """Move the target opening date; every milestone planned "N days before" moves with it."""
    campaign = get_campaign_for(request.user, slug, "campaigns.change_campaign")
    form = TargetDateForm(request.POST)
    if not form.is_valid():
        return page(request, campaign, target_form=form, status=422)
    with transaction.atomic():
        campaign.target_open_date = form.cleaned_data["target_open_date"]
        campaign.save(update_fields=["target_open_date"])
        moved = campaign.reschedule()
    messages.success(
        request, _("目标启用日期已更新，%(count)s 个节点随之调整。") % {"count": moved}
    )
    return redirect("campaigns:milestones", campaign.slug)
