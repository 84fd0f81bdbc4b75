"""The money of one demo unit, complete: the fund drawn after a public notice, every share paid
with a receipt (one household that agreed but will not pay covered by the community fund), one
mistaken entry reversed, and the settlement published with a small refund paid back."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from money.accounts import unit_accounts
from money.fund import fund_vote
from money.models import Books, Entry, FundAccount, FundApplication, Settlement

SAVING = Decimal("1200.00")  # the final cost came in this much under the quote


def seed_money_demo(campaign, unit, by=None) -> Settlement:
    """Seed ``unit``'s money (its published proposal must have passed the fund-use matter).
    ``by`` records everything (the campaign's secretary by default: whoever created the
    proposal). Returns the published settlement."""
    proposal, result = fund_vote(unit)
    if proposal is None or result is None or not result.passed:
        raise ValueError(f"the fund-use matter of {unit} has not passed")
    by = by or proposal.created_by
    today = timezone.localdate()
    with transaction.atomic():
        books = Books.of(campaign)
        money = unit_accounts([unit])[0]
        for i, each in enumerate(money.households):
            first = (each.household.area * Decimal("120.00")).quantize(Decimal("0.01"))
            # the third household's account has been drawn before: it must top up
            balance = first * (Decimal("0.45") if i == 2 else Decimal("0.90"))
            FundAccount.objects.update_or_create(
                household=each.household,
                defaults={
                    "first_deposit": first,
                    "balance": balance.quantize(Decimal("0.01")),
                    "updated_by": by,
                },
            )
        application, _ = FundApplication.objects.get_or_create(
            proposal=proposal, defaults={"created_by": by}
        )
        application.post_notice(today - timedelta(days=60), books.notice_days)
        application.record_approval(today - timedelta(days=50), proposal.maintenance_fund, by)

        paid_on = today - timedelta(days=45)
        covered = mistaken = False
        for i, each in enumerate(money.households):
            if each.due <= 0:
                continue
            method = Entry.Method.TRANSFER if i % 2 else Entry.Method.CASH
            if each.agreed_not_paying and not covered:
                Entry.objects.record(
                    household=each.household,
                    by=by,
                    amount=each.due,
                    paid_on=paid_on,
                    method=Entry.Method.TRANSFER,
                    paid_by=Entry.PaidBy.COMMUNITY_FUND,
                    note="社区基金代付",
                )
                covered = True
                continue
            if not mistaken:  # typed twice by mistake, then reversed
                mistaken = True
                mistake = Entry.objects.record(
                    household=each.household, by=by, amount=each.due, paid_on=paid_on, method=method
                )
                mistake.reverse(by, note="重复登记")
            Entry.objects.record(
                household=each.household, by=by, amount=each.due, paid_on=paid_on, method=method
            )

        settlement = Settlement(proposal=proposal, entered_by=by)
        settlement.set_final_cost(proposal.total_cost - min(SAVING, proposal.self_funded))
        settlement.save()
        settlement.publish()
        refund_on = today - timedelta(days=5)
        for each in unit_accounts([unit])[0].households:
            if each.outstanding >= 0:
                continue
            paid_by = Entry.PaidBy.HOUSEHOLD if each.paid > 0 else Entry.PaidBy.COMMUNITY_FUND
            Entry.objects.record(
                household=each.household,
                by=by,
                kind=Entry.Kind.REFUND,
                paid_by=paid_by,
                amount=each.outstanding,
                paid_on=refund_on,
                method=Entry.Method.TRANSFER,
                note="决算退款",
            )
    return settlement
