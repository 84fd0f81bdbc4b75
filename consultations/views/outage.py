"""The residents who need help while the lift is out, per unit: on screen and printed."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from campaigns.access import get_campaign_for
from consultations.outage import by_unit, needing_help
from core.pdf import pdf_response, render_pdf


def outage_context(request: HttpRequest, slug: str) -> dict:
    campaign = get_campaign_for(request.user, slug, "households.view_household")
    units = by_unit(needing_help(request.user, campaign))
    return {
        "campaign": campaign,
        "units": units,
        "total": sum(len(rows) for _unit, rows in units),
        "may_manage": campaign.is_managed_by(request.user),
        "printed_on": timezone.localdate(),
        "printed_by": request.user.get_full_name() or request.user.get_username(),
    }


@require_safe
@login_required
def outage_help(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff only, and each role sees its own households (a worker their units, a lead their
    building, the secretary the community)."""
    context = outage_context(request, slug)
    return render(request, "consultations/outage_help.html", context)


@require_safe
@login_required
def outage_help_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    context = outage_context(request, slug)
    pdf = render_pdf("consultations/print/outage_help.html", context, request)
    name = _("停梯期间需帮助的住户-%(campaign)s.pdf") % {"campaign": context["campaign"].title}
    return pdf_response(pdf, name)
