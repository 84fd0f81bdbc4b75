"""Coordination meetings (协调会): who took part, what was decided, what residents were promised,
and how far each decision has got."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from campaigns.access import PermsAt, get_campaign_for
from campaigns.forms import DecisionFormSet, DecisionStatusForm, MeetingForm
from campaigns.models import Meeting, MeetingDecision


@require_safe
@login_required
def meeting_list(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign_for(request.user, slug, "campaigns.view_meeting")
    meetings = (
        Meeting.objects.filter(campaign=campaign)
        .select_related("unit__building")
        .prefetch_related("decisions")
    )
    context = {
        "campaign": campaign,
        "perms": PermsAt(request.user, campaign),
        "meetings": meetings,
        "statuses": MeetingDecision.Status,
    }
    return render(request, "campaigns/manage/meetings.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def new_meeting(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign_for(request.user, slug, "campaigns.add_meeting")
    return edit(request, campaign, Meeting(campaign=campaign))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def edit_meeting(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    campaign = get_campaign_for(request.user, slug, "campaigns.change_meeting")
    meeting = get_object_or_404(Meeting.objects.filter(campaign=campaign), pk=pk)
    return edit(request, campaign, meeting)


def edit(request: HttpRequest, campaign, meeting: Meeting) -> HttpResponse:
    data = request.POST or None
    form = MeetingForm(data, instance=meeting, campaign=campaign)
    decisions = DecisionFormSet(data, instance=meeting, prefix="decisions")
    if request.method == "POST" and form.is_valid() and decisions.is_valid():
        with transaction.atomic():
            meeting = form.save(commit=False)
            if form.cleaned_data["publish"] and not meeting.published_at:
                meeting.published_at = timezone.now()
            elif not form.cleaned_data["publish"]:
                meeting.published_at = None
            meeting.save()
            decisions.instance = meeting
            decisions.save()
        messages.success(request, _("协调会记录已保存。"))
        return redirect("campaigns:meetings", campaign.slug)
    context = {
        "campaign": campaign,
        "perms": PermsAt(request.user, campaign),
        "form": form,
        "decisions": decisions,
        "meeting": meeting,
    }
    status = 422 if form.is_bound else 200
    return render(request, "campaigns/manage/meeting_form.html", context, status=status)


@require_POST
@login_required
@vary_on_headers("HX-Request")
def decision_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Move a decision on: 待落实 → 落实中 → 已落实 (or back, if it was marked too early)."""
    campaign = get_campaign_for(request.user, slug, "campaigns.change_meetingdecision")
    decision = get_object_or_404(MeetingDecision.objects.filter(meeting__campaign=campaign), pk=pk)
    form = DecisionStatusForm(request.POST, instance=decision)
    if form.is_valid():
        form.save()
    elif not request.htmx:
        messages.error(request, _("请选择一个状态。"))
    if request.htmx:
        context = {
            "campaign": campaign,
            "perms": PermsAt(request.user, campaign),
            "decision": decision,
            "statuses": MeetingDecision.Status,
        }
        status = 200 if form.is_valid() else 422
        return render(request, "campaigns/manage/meetings.html#decision", context, status=status)
    return redirect("campaigns:meetings", campaign.slug)
