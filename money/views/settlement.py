"""The final settlement (决算) of one unit's elevator: the final cost with its documents, every
household's share recomputed under the published rule, the refund or extra of each, and
publishing it. The secretary enters and publishes; the unit's grid workers may read it."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from campaigns.access import PermsAt
from consultations.models import Proposal
from core.pages import not_printable
from core.pdf import pdf_response
from money import ledger
from money.access import get_unit_for
from money.accounts import unit_accounts
from money.forms import SettlementForm
from money.models import Settlement
from money.models.settlement import SettlementError

ZERO = Decimal("0.00")


def settlement_context(request, unit, form=None) -> dict:
    proposal = (
        Proposal.objects.published()
        .filter(elevator__unit=unit)
        .select_related("fund_application", "settlement")
        .first()
    )
    settlement = getattr(proposal, "settlement", None) if proposal else None
    rows, error = [], ""
    if settlement is not None:
        accounts = {
            h.household.pk: h.paid + h.covered
            for money in unit_accounts([unit])
            for h in money.households
        }
        try:
            lines = settlement.lines()
        except SettlementError as refusal:
            lines, error = [], refusal.message
        rows = [
            (
                line,
                ledger.Difference(line.planned, line.final, accounts.get(line.household.pk, ZERO)),
            )
            for line in lines
        ]
    initial = {"final_cost": settlement.final_cost} if settlement else {}
    return {
        "unit": unit,
        "campaign": unit.building.campaign,
        "proposal": proposal,
        "settlement": settlement,
        "rows": rows,
        "error": error,
        "planned_total": sum((line.planned for line, _d in rows), ZERO),
        "final_total": sum((line.final for line, _d in rows), ZERO),
        "form": form or SettlementForm(initial=initial),
        "perms": PermsAt(request.user, unit),
    }


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def unit_settlement(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        unit = get_unit_for(request.user, pk, "money.view_settlement")
        return render(request, "money/settlement.html", settlement_context(request, unit))
    unit = get_unit_for(request.user, pk, "money.add_settlement")
    form = SettlementForm(request.POST, request.FILES)
    context = settlement_context(request, unit, form)
    proposal, settlement = context["proposal"], context["settlement"]
    if proposal is None:
        messages.error(request, _("该单元还没有已公示的费用分摊方案。"))
    elif settlement is not None and settlement.is_published:
        messages.error(request, _("决算已经公布，不能再修改。"))
    elif form.is_valid():
        settlement = settlement or Settlement(proposal=proposal, entered_by=request.user)
        settlement.entered_by = request.user
        settlement.set_final_cost(form.cleaned_data["final_cost"])
        if form.cleaned_data["document"]:
            settlement.document, settlement.document_pages = form.cleaned_data["document"]
        settlement.save()
        messages.success(request, _("决算已保存，请核对各户的退补金额后公布。"))
        return redirect("money:settlement", unit.pk)
    return render(request, "money/settlement.html", context, status=422)


@require_POST
@login_required
def publish_settlement(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for(request.user, pk, "money.change_settlement")
    settlement = Settlement.objects.filter(
        proposal__elevator__unit=unit, proposal__status="published"
    ).first()
    if settlement is None:
        messages.error(request, _("还没有录入决算。"))
        return redirect("money:settlement", unit.pk)
    try:
        settlement.publish()
    except SettlementError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, _("决算已公布：各户退补金额见下表，退款和补缴请在缴费记录中登记。")
        )
    return redirect("money:settlement", unit.pk)


@require_safe
@login_required
def settlement_document(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for(request.user, pk, "money.view_settlement")
    settlement = Settlement.objects.filter(
        proposal__elevator__unit=unit, proposal__status="published"
    ).first()
    if settlement is None or not settlement.document:
        return not_printable(request, _("还没有上传决算文件。"))
    return pdf_response(bytes(settlement.document), _("决算文件.pdf"))
