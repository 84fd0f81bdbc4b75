"""What the residents' project page shows of the money, with nothing personal: the fund-use
notices while they run (rooms and amounts), and each published settlement as totals per
elevator (quote against final cost, subsidy, fund, residents). Three queries."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from consultations.models import Share
from money.models import FundApplication, Settlement


@dataclass(frozen=True)
class Notice:
    application: FundApplication
    rows: list[tuple[str, Decimal]]  # (room, amount)

    @property
    def total(self) -> Decimal:
        return sum((amount for _room, amount in self.rows), Decimal("0.00"))


def public_money(campaign) -> dict:
    today = timezone.localdate()
    applications = list(
        FundApplication.objects.filter(
            proposal__elevator__unit__building__campaign=campaign,
            proposal__status="published",
            notice_start__lte=today,
            notice_end__gte=today,
        )
        .select_related("proposal__elevator__unit__building")
        .order_by(
            "proposal__elevator__unit__building__sort_order", "proposal__elevator__unit__name"
        )
    )
    rows: dict[int, list] = {a.proposal_id: [] for a in applications}
    shares = (
        []
        if not rows
        else Share.objects.filter(proposal__in=list(rows))
        .order_by("household__floor", "household__room", "household__pk")
        .values_list("proposal", "household__room", "fund_amount")
    )
    for proposal, room, amount in shares:
        rows[proposal].append((room, amount))
    settlements = list(
        Settlement.objects.filter(
            proposal__elevator__unit__building__campaign=campaign, published_at__isnull=False
        )
        .select_related("proposal__elevator__unit__building")
        .order_by(
            "proposal__elevator__unit__building__sort_order", "proposal__elevator__unit__name"
        )
    )
    return {
        "notices": [Notice(a, rows[a.proposal_id]) for a in applications],
        "settlements": settlements,
    }
