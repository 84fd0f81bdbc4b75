"""The final settlement (决算) of one elevator: its final cost with the documents, each
household's share recomputed under the same published rule, and what each is refunded or owes."""

import copy
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from consultations.allocation import allocate
from consultations.models import Proposal, Share
from households.models import Household
from money import ledger
from money.models.fund import MONEY


class SettlementError(Exception):
    """Why a settlement cannot be computed or published, in words for the secretary."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = str(message)


@dataclass(frozen=True)
class SettledLine:
    household: Household
    planned: Decimal
    final: Decimal

    @property
    def change(self) -> Decimal:
        return self.final - self.planned


def released_fund(proposal: Proposal) -> Decimal:
    """What the fund pays: the amount the fund office released, or the planned part."""
    application = getattr(proposal, "fund_application", None)
    if application is not None and application.amount_released is not None:
        return application.amount_released
    return proposal.maintenance_fund


def reallocate(proposal: Proposal, self_funded: Decimal) -> list[SettledLine]:
    """Each household's share of a new self-funded total under ``proposal``'s published rule,
    through the proposal's own ``allocate`` (the same coefficients, ground-floor policy and
    order as when it was published). Fixed amounts are scaled in proportion to the signed ones.
    SettlementError when the total cannot be shared (token amounts above it, nobody paying)."""
    shares = list(
        Share.objects.filter(proposal=proposal)
        .select_related("household")
        .order_by("household__floor", "household__room", "household__pk")
    )
    households = [share.household for share in shares]
    planned = [share.amount for share in shares]
    try:
        if proposal.rule == Proposal.Rule.FIXED:
            amounts = allocate(self_funded, planned)
        else:
            final = copy.copy(proposal)  # in memory only, never saved: the rule with a new total
            final.self_funded = self_funded
            amounts = [line.amount for line in final.allocate(households)]
    except ValueError:
        raise SettlementError(
            gettext("按已公示的分摊规则无法分摊这个决算金额，请检查决算金额。")
        ) from None
    if sum(amounts, Decimal("0.00")) != self_funded or any(a < 0 for a in amounts):
        raise SettlementError(gettext("按已公示的分摊规则无法分摊这个决算金额，请检查决算金额。"))
    return [SettledLine(h, p, a) for h, p, a in zip(households, planned, amounts, strict=True)]


class Settlement(models.Model):
    proposal = models.OneToOneField(
        Proposal, on_delete=models.PROTECT, related_name="settlement", verbose_name=_("方案")
    )
    final_cost = models.DecimalField(_("决算总费用（元）"), **MONEY)
    subsidy = models.DecimalField(_("政府补贴（元）"), **MONEY, editable=False)
    maintenance_fund = models.DecimalField(_("维修资金（元）"), **MONEY, editable=False)
    self_funded = models.DecimalField(_("居民自筹（元）"), **MONEY, editable=False)
    document = models.BinaryField(_("决算文件"), blank=True, default=b"", editable=False)
    document_pages = models.PositiveSmallIntegerField(_("决算文件页数"), default=0, editable=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("录入人"),
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("决算")
        verbose_name_plural = _("决算")
        constraints = [
            models.CheckConstraint(
                name="settlement_not_negative",
                condition=Q(final_cost__gte=0, subsidy__gte=0, maintenance_fund__gte=0)
                & Q(self_funded__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return str(self.proposal.elevator)

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            stored = Settlement.objects.filter(pk=self.pk).values("published_at").first()
            if (
                stored
                and stored["published_at"] is not None
                and "published_at" not in (kwargs.get("update_fields") or ())
            ):
                raise SettlementError(gettext("决算已经公布，不能再修改。"))
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def quote(self) -> Decimal:
        return self.proposal.total_cost

    def set_final_cost(self, final_cost: Decimal) -> None:
        """Split the final cost into subsidy, fund and residents (not saved)."""
        parts = ledger.final_parts(final_cost, self.proposal.subsidy, released_fund(self.proposal))
        self.final_cost = final_cost
        self.subsidy, self.maintenance_fund, self.self_funded = parts

    def lines(self) -> list[SettledLine]:
        """The published shares as written, or (before) the shares as they would be now."""
        if self.is_published:
            return [
                SettledLine(s.household, s.planned, s.amount)
                for s in self.shares.select_related("household").order_by(
                    "household__floor", "household__room", "household__pk"
                )
            ]
        return reallocate(self.proposal, self.self_funded)

    def publish(self) -> None:
        """Write each household's final share and make the settlement public, once."""
        with transaction.atomic():
            me = Settlement.objects.select_for_update().get(pk=self.pk)
            if me.is_published:
                raise SettlementError(gettext("决算已经公布。"))
            lines = reallocate(me.proposal, me.self_funded)
            SettledShare.objects.bulk_create(
                SettledShare(
                    settlement=me, household=line.household, planned=line.planned, amount=line.final
                )
                for line in lines
            )
            me.published_at = timezone.now()
            me.save(update_fields=["published_at"])
            self.published_at = me.published_at
            from money.closing import close_if_complete  # it reads the settlements

            close_if_complete(me.proposal.elevator.unit.building.campaign)


class SettledShare(models.Model):
    """A household's share at the final settlement, beside the share it signed."""

    settlement = models.ForeignKey(
        Settlement, on_delete=models.PROTECT, related_name="shares", verbose_name=_("决算")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="settled_shares", verbose_name=_("住户")
    )
    planned = models.DecimalField(_("方案应出资（元）"), **MONEY)
    amount = models.DecimalField(_("决算应出资（元）"), **MONEY)

    class Meta:
        verbose_name = _("决算分摊")
        verbose_name_plural = _("决算分摊")
        default_permissions = ("add", "view")
        constraints = [
            models.UniqueConstraint(
                fields=["settlement", "household"], name="settled_share_household_unique"
            ),
            models.CheckConstraint(name="settled_share_not_negative", condition=Q(amount__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.household} ¥{self.amount}"

    @property
    def change(self) -> Decimal:
        return self.amount - self.planned
