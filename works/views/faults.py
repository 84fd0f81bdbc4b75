"""After-sales: a resident reports a fault from the public page, without an account; the
maintenance company sees the tickets of its own elevators, answers each and marks it fixed;
the secretary sees every ticket of the community."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from campaigns.models import Campaign
from core import ratelimit
from core.redaction import Redactor
from works import completion
from works.completion_forms import FaultForm, NoteForm

TICKETS_PER_PAGE = 50
# A report is at most 1,000 characters (3 bytes each in UTF-8) plus a room number and a
# choice: anything much larger is refused before it is even parsed.
FAULT_BODY_LIMIT = 16 * 1024


def content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def report_fault(request: HttpRequest, slug: str) -> HttpResponse:
    """Report a fault of an elevator in service: no account, room number optional. Refused
    with a message (the text kept in the form) when invalid, too long, or too frequent."""
    campaign = get_object_or_404(Campaign.objects.public().select_related("community"), slug=slug)
    standings = completion.standings(completion.campaign_sites(campaign))
    in_service = [each.site for each in standings if each.in_service]
    context = {"campaign": campaign, "sent": request.GET.get("sent") == "1"}
    if request.method in ("GET", "HEAD"):
        context["form"] = FaultForm(sites=in_service)
        return render(request, "works/completion/report_fault.html", context)
    if content_length(request) > FAULT_BODY_LIMIT:
        context["form"] = FaultForm(sites=in_service)
        context["problem"] = _("提交的内容太长了。最多 1000 字，请精简后再提交。")
        return render(request, "works/completion/report_fault.html", context, status=413)
    form = FaultForm(request.POST, sites=in_service)
    context["form"] = form
    if not form.is_valid():
        return render(request, "works/completion/report_fault.html", context, status=422)
    if not ratelimit.public_post_allowed(f"fault:{campaign.pk}", request):
        context["problem"] = (
            _(
                "报修太频繁了：同一网络 %(minutes)s 分钟内最多提交 %(limit)s 条，请稍后再试；"
                "紧急情况请直接拨打应急救援电话。"
            )
            % ratelimit.public_post_limit()
        )
        return render(request, "works/completion/report_fault.html", context, status=429)
    data = form.cleaned_data
    completion.report_fault(campaign, data["site"], body=data["body"], room=data["room"])
    return redirect(reverse("works:report_fault", args=[campaign.slug]) + "?sent=1")


def redacted(faults) -> list:
    """The reports' text blanked of names and numbers, one Redactor per campaign."""
    redactors: dict[int, Redactor] = {}
    for fault in faults:
        if fault.campaign_id not in redactors:
            redactors[fault.campaign_id] = Redactor.for_campaign(fault.campaign)
        redact = redactors[fault.campaign_id]
        fault.body = redact(fault.body)
        fault.answer_note = redact(fault.answer_note)
        fault.fix_note = redact(fault.fix_note)
    return faults


@require_safe
@login_required
def my_tickets(request: HttpRequest) -> HttpResponse:
    """The fault tickets the user may see, those still open first."""
    tickets = (
        completion.tickets_for(request.user)
        .select_related("campaign", "site__elevator__unit__building", "maintainer")
        .order_by("fixed_at", "-reported_at", "-pk")
    )
    page = Paginator(tickets, TICKETS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "tickets": redacted(list(page.object_list))}
    return render(request, "works/completion/tickets.html", context)


def ticket_for(user, pk: int):
    return get_object_or_404(
        completion.tickets_for(user).select_related(
            "campaign", "site__elevator__unit__building", "maintainer"
        ),
        pk=pk,
    )


def ticket_page(request, fault, status=200, **forms) -> HttpResponse:
    context = {
        "fault": redacted([fault])[0],
        "answer_form": forms.get("answer_form") or NoteForm(prefix="answer"),
        "fix_form": forms.get("fix_form") or NoteForm(prefix="fix"),
    }
    return render(request, "works/completion/ticket.html", context, status=status)


@require_safe
@login_required
def ticket(request: HttpRequest, pk: int) -> HttpResponse:
    return ticket_page(request, ticket_for(request.user, pk))


@require_POST
@login_required
def answer_ticket(request: HttpRequest, pk: int) -> HttpResponse:
    fault = ticket_for(request.user, pk)
    form = NoteForm(request.POST, prefix="answer")
    if form.is_valid():
        try:
            completion.answer_fault(fault, by=request.user, note=form.cleaned_data["note"])
        except completion.Refused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已记录响应。"))
            return redirect("works:ticket", fault.pk)
    return ticket_page(request, fault, 422, answer_form=form)


@require_POST
@login_required
def fix_ticket(request: HttpRequest, pk: int) -> HttpResponse:
    fault = ticket_for(request.user, pk)
    form = NoteForm(request.POST, prefix="fix")
    if form.is_valid():
        try:
            completion.fix_fault(fault, by=request.user, note=form.cleaned_data["note"])
        except completion.Refused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已标记为修复。"))
            return redirect("works:ticket", fault.pk)
    return ticket_page(request, fault, 422, fix_form=form)
