"""Printing the legal record: a unit's or a campaign's consent packet, and one household's form.

The packets (业主签字同意材料) carry every owner's full name: only the secretary of the
campaign's community (or a superuser) may print them; anyone else gets a 404. A household's
consent form (业主意见表) may be printed by whoever may see the household (its grid worker,
building lead, secretary): blank for signing on paper, or as signed.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from campaigns.models import Campaign, Unit
from consultations.models import Proposal
from consultations.packet import (
    FORM_TEMPLATE,
    build_packet,
    decision_choices,
    household_pages,
    render_packet,
)
from core.pages import not_printable
from core.pdf import pdf_response, render_pdf
from households.access import get_household_for


@require_safe
@login_required
def unit_packet(request: HttpRequest, pk: int) -> HttpResponse:
    """One unit's packet: its vote on the published proposal, every household's form."""
    unit = get_object_or_404(
        Unit.objects.select_related("building__campaign__community").filter(
            building__campaign__in=Campaign.objects.managed_by(request.user)
        ),
        pk=pk,
    )
    campaign = unit.building.campaign
    packet = build_packet(
        campaign, [unit], base_url=request.build_absolute_uri("/"), whole_campaign=False
    )
    if not packet.sections:
        return not_printable(request, _("该单元还没有已公示的费用分摊方案，暂无签字材料可打印。"))
    pdf, _pages = render_packet(packet, request)
    place = f"{unit.building.name}{unit.name}"
    return pdf_response(pdf, _("签字材料-%(place)s.pdf") % {"place": place})


@require_safe
@login_required
def consent_form(request: HttpRequest, pk: int) -> HttpResponse:
    """One household's consent form for the published proposal. As signed when the household
    has signed it (``?signed=1`` insists: 404 if it has not), blank and pre-filled otherwise
    (``?blank=1`` asks for a blank one even after signing)."""
    household = get_household_for(request.user, pk)
    proposal = (
        Proposal.objects.published().for_household(household).select_related("elevator").first()
    )
    if proposal is None:
        return not_printable(request, _("该单元还没有已公示的费用分摊方案，暂无意见表可打印。"))
    pages, _changes = household_pages(
        {household.unit_id: proposal}, [household], request.build_absolute_uri("/")
    )
    page = pages[household.pk]
    blank = request.GET.get("blank") == "1"
    if page.record and not blank:
        mode = "signed"
    elif request.GET.get("signed") == "1" and not blank:
        return not_printable(request, _("本户还没有签字，只能打印空白意见表。"))
    elif page.share is None:
        return not_printable(request, _("本户不在已公示的费用分摊方案中，暂无意见表可打印。"))
    else:
        mode = "blank"
    unit = household.unit
    context = {
        "page": page,
        "unit": unit,
        "campaign": unit.building.campaign,
        "proposal": proposal,
        "mode": mode,
        "decisions": decision_choices(),
        "printed_at": timezone.localtime(),
    }
    pdf = render_pdf(FORM_TEMPLATE, context, request)
    place = f"{unit.building.name}{unit.name}{household.room}"
    name = _("签字意见表-%(place)s.pdf") if mode == "signed" else _("空白意见表-%(place)s.pdf")
    return pdf_response(pdf, name % {"place": place})
