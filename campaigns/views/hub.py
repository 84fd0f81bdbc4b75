"""Where staff start: the campaigns they work on and what waits for them in each."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from campaigns.access import PermsAt, get_campaign_for
from campaigns.models import Campaign, ProgressUpdate, Question


@require_safe
@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = list(Campaign.objects.worked_on_by(request.user).select_related("community"))
    if len(campaigns) == 1:
        return redirect("campaigns:hub", campaigns[0].slug)
    return render(request, "campaigns/manage/list.html", {"campaigns": campaigns})


@require_safe
@login_required
def hub(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign_for(request.user, slug, "campaigns.view_campaign")
    waiting = {
        "new_questions": Question.objects.filter(
            campaign=campaign, status=Question.Status.NEW
        ).count(),
        "to_approve": Question.objects.filter(
            campaign=campaign, status=Question.Status.ANSWERED
        ).count(),
        "drafts": ProgressUpdate.objects.filter(
            campaign=campaign, status=ProgressUpdate.Status.DRAFT
        ).count(),
    }
    return render(
        request,
        "campaigns/manage/hub.html",
        {"campaign": campaign, "perms": PermsAt(request.user, campaign), **waiting},
    )
