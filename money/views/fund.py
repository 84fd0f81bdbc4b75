"""The maintenance-fund application of one unit: the amounts, the accounts, the public notice,
the packet for the fund office, and its approval. The secretary prepares it; the unit's grid
workers may read it."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from campaigns.access import PermsAt
from consultations.standing import votes_by_unit
from core.pages import not_printable
from core.pdf import merge_pdfs, pdf_response, render_pdf
from money.access import get_unit_for
from money.forms import AccountsForm, ApprovalForm, NoticeForm
from money.fund import fund_lines, fund_vote, parse_accounts, save_accounts
from money.models import Books, FundApplication

ZERO = Decimal("0.00")


def fund_context(request: HttpRequest, unit, **forms) -> dict:
    campaign = unit.building.campaign
    books = Books.of(campaign)
    proposal, result = fund_vote(unit)
    application = FundApplication.objects.filter(proposal=proposal).first() if proposal else None
    lines = fund_lines(proposal, books) if proposal else []
    accounts = "\n".join(
        f"{line.household.room},{'' if line.first_deposit is None else line.first_deposit},"
        f"{'' if line.balance is None else line.balance}"
        for line in lines
    )
    return {
        "unit": unit,
        "campaign": campaign,
        "books": books,
        "proposal": proposal,
        "result": result,
        "passed": bool(result and result.passed),
        "application": application,
        "lines": lines,
        "total": sum((line.amount for line in lines), ZERO),
        "top_ups": sum(1 for line in lines if line.needs_top_up),
        "today": timezone.localdate(),
        "perms": PermsAt(request.user, unit),
        "accounts_form": forms.get("accounts_form") or AccountsForm(initial={"rows": accounts}),
        "notice_form": forms.get("notice_form")
        or NoticeForm(initial={"start": timezone.localdate()}),
        "approval_form": forms.get("approval_form")
        or ApprovalForm(
            initial={"amount_released": proposal.maintenance_fund if proposal else None}
        ),
    }


def page(request, unit, status=200, **forms) -> HttpResponse:
    return render(request, "money/fund.html", fund_context(request, unit, **forms), status=status)


@require_safe
@login_required
def unit_fund(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for(request.user, pk, "money.view_fundapplication")
    return page(request, unit)


@require_POST
@login_required
def fund_accounts(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for(request.user, pk, "money.change_fundaccount")
    form = AccountsForm(request.POST)
    if form.is_valid():
        households = [line.household for line in fund_context(request, unit)["lines"]]
        found, errors = parse_accounts(form.cleaned_data["rows"], households)
        for error in errors:
            form.add_error("rows", error)
        if not errors:
            count = save_accounts(found, request.user)
            messages.success(request, _("已更新 %(count)s 户的维修资金账户。") % {"count": count})
            return redirect("money:fund", unit.pk)
    return page(request, unit, status=422, accounts_form=form)


@require_POST
@login_required
def post_notice(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for(request.user, pk, "money.add_fundapplication")
    context = fund_context(request, unit)
    form = NoticeForm(request.POST, request.FILES)
    if not context["passed"]:
        messages.error(request, _("“使用维修资金”事项尚未表决通过，不能公示。"))
        return page(request, unit, status=422, notice_form=form)
    application = context["application"]
    if application is not None and application.approved:
        messages.error(request, _("维修资金已经批准划拨，公示不能再改。"))
        return page(request, unit, status=422, notice_form=form)
    if not form.is_valid():
        return page(request, unit, status=422, notice_form=form)
    if application is None:
        application = FundApplication.objects.create(
            proposal=context["proposal"], created_by=request.user
        )
    if form.cleaned_data["contract"]:
        application.contract, application.contract_pages = form.cleaned_data["contract"]
        application.save(update_fields=["contract", "contract_pages"])
    application.post_notice(form.cleaned_data["start"], context["books"].notice_days)
    messages.success(
        request,
        _("公示期为 %(start)s 至 %(end)s。")
        % {"start": application.notice_start, "end": application.notice_end},
    )
    return redirect("money:fund", unit.pk)


@require_POST
@login_required
def record_approval(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for(request.user, pk, "money.change_fundapplication")
    context = fund_context(request, unit)
    application = context["application"]
    form = ApprovalForm(request.POST, application=application)
    if application is None or not application.notice_over(context["today"]):
        messages.error(request, _("公示期满后才能登记维修资金中心的批准。"))
        return page(request, unit, status=422, approval_form=form)
    if not form.is_valid():
        return page(request, unit, status=422, approval_form=form)
    application.record_approval(
        form.cleaned_data["approved_on"], form.cleaned_data["amount_released"], request.user
    )
    messages.success(request, _("已登记维修资金划拨。"))
    return redirect("money:fund", unit.pk)


def printable(request, unit):
    context = fund_context(request, unit)
    application = context["application"]
    if application is None or application.notice_start is None:
        return context, not_printable(request, _("还没有公示，暂无可打印的公示。"))
    return context, None


@require_safe
@login_required
def notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The public notice (公示): rooms and amounts, no names."""
    unit = get_unit_for(request.user, pk, "money.view_fundapplication")
    context, refusal = printable(request, unit)
    if refusal:
        return refusal
    pdf = render_pdf("money/print/notice.html", context, request)
    place = f"{unit.building.name}{unit.name}"
    return pdf_response(pdf, _("维修资金使用公示-%(place)s.pdf") % {"place": place})


@require_safe
@login_required
def fund_packet(request: HttpRequest, pk: int) -> HttpResponse:
    """For the fund office: the vote on each matter, the notice and its dates, the amounts,
    then the contract as uploaded."""
    unit = get_unit_for(request.user, pk, "money.add_fundapplication")
    context, refusal = printable(request, unit)
    if refusal:
        return refusal
    context["vote"] = votes_by_unit([unit], lambda u: u.building.campaign.consent_rule)[unit.pk]
    title = _("维修资金使用申请-%(place)s") % {"place": f"{unit.building.name}{unit.name}"}
    parts = [(render_pdf("money/print/fund_packet.html", context, request), title)]
    application = context["application"]
    if application.contract:
        parts.append((bytes(application.contract), _("合同")))
    return pdf_response(merge_pdfs(parts, title), f"{title}.pdf")


@require_safe
@login_required
def contract_file(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for(request.user, pk, "money.add_fundapplication")
    application = fund_context(request, unit)["application"]
    if application is None or not application.contract:
        return not_printable(request, _("还没有上传合同。"))
    return pdf_response(bytes(application.contract), _("合同.pdf"))
