"""Payments: a household's ledger, recording an entry, reversing one, the receipt and the proof;
and the secretary's list of what is outstanding in the campaign, unit by unit.

Who: the secretary (or whoever the community has them act for: the secretary's account) records
payments and refunds; the grid workers of a unit see its households' balances and receipts, to
answer residents at the door, but record nothing: money is handled by one accountable person."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from campaigns.access import PermsAt, get_campaign_for
from campaigns.models import Unit
from core.pages import not_printable
from core.pdf import pdf_response, private_document, render_pdf
from money.access import get_entry_for, get_money_household_for
from money.accounts import household_account, unit_accounts
from money.forms import EntryForm, ReverseForm
from money.models import Entry, LedgerRefused


def household_context(request, household, form=None) -> dict:
    entries = list(
        Entry.objects.filter(household=household)
        .select_related("recorded_by", "reversed_by")
        .defer("proof")
    )
    return {
        "household": household,
        "unit": household.unit,
        "campaign": household.unit.building.campaign,
        "account": household_account(household),
        "entries": entries,
        "form": form or EntryForm(initial={"paid_on": timezone.localdate()}),
        "reverse_form": ReverseForm(),
        "perms": PermsAt(request.user, household),
    }


@require_safe
@login_required
def household_money(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_money_household_for(request.user, pk, "money.view_entry")
    return render(request, "money/household.html", household_context(request, household))


@require_POST
@login_required
def record_entry(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_money_household_for(request.user, pk, "money.add_entry")
    form = EntryForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            entry = Entry.objects.record(
                household=household, by=request.user, **form.entry_fields()
            )
        except LedgerRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("已登记，收据编号 %(number)s。") % {"number": entry.number})
            return redirect("money:household", household.pk)
    context = household_context(request, household, form)
    return render(request, "money/household.html", context, status=422)


@require_POST
@login_required
def reverse_entry(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_entry_for(request.user, pk, "money.add_entry")
    form = ReverseForm(request.POST)
    if form.is_valid():
        try:
            reversal = entry.reverse(request.user, form.cleaned_data["note"])
        except LedgerRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request, _("已冲正，冲正收据编号 %(number)s。") % {"number": reversal.number}
            )
            return redirect("money:household", entry.household_id)
    else:
        messages.error(request, _("请填写冲正原因。"))
    context = household_context(request, entry.household)
    return render(request, "money/household.html", context, status=422)


@require_safe
@login_required
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_entry_for(request.user, pk, "money.view_entry")
    household = entry.household
    context = {
        "entry": entry,
        "household": household,
        "unit": household.unit,
        "campaign": household.unit.building.campaign,
        "owners": [owner.masked_name for owner in household.owners.all()],
        "account": household_account(household),
        "printed_on": timezone.localdate(),
    }
    pdf = render_pdf("money/print/receipt.html", context, request)
    return pdf_response(pdf, _("收据-%(number)s.pdf") % {"number": entry.number})


@require_safe
@login_required
def proof(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_entry_for(request.user, pk, "money.view_entry")
    if not entry.proof:
        return not_printable(request, _("这笔记录没有凭证扫描件。"))
    response = HttpResponse(bytes(entry.proof), content_type=entry.proof_type)
    extension = {"application/pdf": "pdf", "image/png": "png"}.get(entry.proof_type, "jpg")
    return private_document(response, f"proof-{entry.number}.{extension}")


@require_safe
@login_required
def outstanding(request: HttpRequest, slug: str) -> HttpResponse:
    """What each unit and household still owes, those who agreed but will not pay marked, and
    whether each unit's money reconciles. A fixed number of queries, whatever the size."""
    campaign = get_campaign_for(request.user, slug, "money.view_entry", manage=True)
    units = list(
        Unit.objects.filter(building__campaign=campaign)
        .select_related("building")
        .order_by("building__sort_order", "building__name", "name")
    )
    accounts = unit_accounts(units)
    context = {
        "campaign": campaign,
        "accounts": accounts,
        "owing_only": request.GET.get("owing") == "1",
        "perms": PermsAt(request.user, campaign),
    }
    return render(request, "money/outstanding.html", context)
