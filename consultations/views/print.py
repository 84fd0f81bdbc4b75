"""Printed documents for the door: walk sheets (走访表) and a household's cost sheet.

A walk sheet lists only the households the user may see, so a worker printing a building that
they share with others gets their own doors only; a unit or building with none of them is a 404.
The cost sheet (费用分摊明细单) shows one household how its share of the published proposal
was computed, for the resident to keep.
"""

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from consultations.costs import explain_share
from consultations.doors import door_counts_by_unit, door_status
from consultations.models import Proposal
from core.pages import not_printable
from core.pdf import pdf_response, render_pdf
from households.access import get_household_for
from households.models import Household


def walk_sheets(households) -> list[dict]:
    """One sheet per unit: its households in floor order with their status, and the counts.
    Three queries, however many households and units there are."""
    doors = (
        households.select_related("unit__building__campaign__community")
        .prefetch_related("owners")
        .order_by(
            "unit__building__sort_order",
            "unit__building__name",
            "unit__name",
            "floor",
            "room",
        )
    )
    sheets = []
    counts = door_counts_by_unit(households)
    for unit, rows in groupby(doors, key=lambda household: household.unit):
        rows = list(rows)
        for household in rows:
            household.status = door_status(household)
        sheets.append({"unit": unit, "households": rows, "counts": counts[unit.pk]})
    if not sheets:
        raise Http404(_("没有可打印的住户。"))
    return sheets


def walk_sheet_response(request: HttpRequest, sheets: list[dict], place: str) -> HttpResponse:
    context = {
        "sheets": sheets,
        "place": place,
        "printed_on": timezone.localdate(),
        "printed_by": request.user.get_full_name() or request.user.get_username(),
    }
    pdf = render_pdf("consultations/print/walk_sheet.html", context, request)
    return pdf_response(pdf, _("走访表-%(place)s.pdf") % {"place": place})


@require_safe
@login_required
def unit_walk_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    sheets = walk_sheets(Household.objects.for_user(request.user).filter(unit_id=pk))
    unit = sheets[0]["unit"]
    return walk_sheet_response(request, sheets, f"{unit.building.name}{unit.name}")


@require_safe
@login_required
def building_walk_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    sheets = walk_sheets(Household.objects.for_user(request.user).filter(unit__building_id=pk))
    return walk_sheet_response(request, sheets, sheets[0]["unit"].building.name)


@require_safe
@login_required
def household_cost_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """One page for the resident: the elevator's cost, its parts, how this household's share
    was computed, and the amount. Owners' names masked, no phone numbers."""
    household = get_household_for(request.user, pk)
    proposal = Proposal.objects.published().for_household(household).first()
    if proposal is None:
        return not_printable(request, _("该单元还没有已公示的费用分摊方案，暂无分摊明细单可打印。"))
    try:
        explanation = explain_share(proposal, household)
    except ValueError:  # not in the published list, and no split to work out for it either
        return not_printable(request, _("本户不在已公示的费用分摊方案中，暂无分摊明细单可打印。"))
    unit = household.unit
    context = {
        "household": household,
        "unit": unit,
        "campaign": unit.building.campaign,
        "owners": [owner.masked_name for owner in household.owners.all()],
        "proposal": proposal,
        "explanation": explanation,
        "printed_on": timezone.localdate(),
    }
    pdf = render_pdf("consultations/print/cost_sheet.html", context, request)
    place = f"{unit.building.name}{unit.name}{household.room}"
    return pdf_response(pdf, _("费用分摊明细单-%(place)s.pdf") % {"place": place})
