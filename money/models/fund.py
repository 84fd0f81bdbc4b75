"""The maintenance fund (住宅专项维修资金): each household's own account, the campaign's money
settings, and one unit's application to the fund office, from the public notice to approval."""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from consultations.models import Proposal
from households.models import Household

MONEY = {"max_digits": 12, "decimal_places": 2}
HUNDRED = Decimal(100)


class Books(models.Model):
    """A campaign's money settings and its receipt counter: one row per campaign, locked while a
    receipt number is taken, so numbers run 1, 2, 3 … with no gap and no repeat."""

    campaign = models.OneToOneField(
        Campaign, on_delete=models.PROTECT, related_name="books", verbose_name=_("项目")
    )
    fund_minimum_percent = models.DecimalField(
        _("维修资金最低余额（首次交存额的百分比）"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("30.00"),
        help_text=_("分户账余额低于首次交存额的这一比例时，需要续交。"),
    )
    notice_days = models.PositiveSmallIntegerField(
        _("公示天数"), default=7, help_text=_("维修资金使用公示的天数，一般不少于 7 天。")
    )
    last_receipt = models.PositiveIntegerField(_("最后一张收据编号"), default=0, editable=False)

    class Meta:
        verbose_name = _("项目账簿")
        verbose_name_plural = _("项目账簿")
        constraints = [
            models.CheckConstraint(
                name="books_minimum_percent_range",
                condition=Q(fund_minimum_percent__gte=0, fund_minimum_percent__lte=100),
            ),
            models.CheckConstraint(
                name="books_notice_days_positive", condition=Q(notice_days__gt=0)
            ),
        ]

    def __str__(self) -> str:
        return str(self.campaign)

    @classmethod
    def of(cls, campaign) -> "Books":
        books, _created = cls.objects.get_or_create(campaign_id=campaign.pk)
        return books

    @classmethod
    def next_receipt(cls, campaign) -> int:
        """The campaign's next receipt number. Call inside the transaction that saves the entry:
        the row stays locked until it commits, and a rollback gives the number back."""
        cls.of(campaign)
        books = cls.objects.select_for_update().get(campaign_id=campaign.pk)
        books.last_receipt += 1
        books.save(update_fields=["last_receipt"])
        return books.last_receipt

    def minimum_for(self, first_deposit: Decimal | None) -> Decimal | None:
        if first_deposit is None:
            return None
        return (first_deposit * self.fund_minimum_percent / HUNDRED).quantize(Decimal("0.01"))


class FundAccount(models.Model):
    """What the fund office says is in a household's own account (分户账), where known:
    entered by hand or imported from the office's list. Not signed: corrected in place."""

    household = models.OneToOneField(
        Household, on_delete=models.CASCADE, related_name="fund_account", verbose_name=_("住户")
    )
    first_deposit = models.DecimalField(_("首次交存额（元）"), **MONEY, null=True, blank=True)
    balance = models.DecimalField(_("账户余额（元）"), **MONEY, null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("更新人"),
    )

    class Meta:
        verbose_name = _("维修资金分户账")
        verbose_name_plural = _("维修资金分户账")
        constraints = [
            models.CheckConstraint(
                name="fund_account_not_negative",
                condition=(Q(first_deposit__gte=0) | Q(first_deposit__isnull=True))
                & (Q(balance__gte=0) | Q(balance__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        return str(self.household)


class FundApplication(models.Model):
    """One unit's application to draw its owners' fund, for its published proposal: the public
    notice (公示) with its dates, the contract, and the fund office's approval."""

    proposal = models.OneToOneField(
        Proposal, on_delete=models.PROTECT, related_name="fund_application", verbose_name=_("方案")
    )
    notice_start = models.DateField(_("公示开始"), null=True, blank=True)
    notice_end = models.DateField(_("公示结束"), null=True, blank=True)
    contract = models.BinaryField(_("合同"), blank=True, default=b"", editable=False)
    contract_pages = models.PositiveSmallIntegerField(_("合同页数"), default=0, editable=False)
    approved_on = models.DateField(_("批准日期"), null=True, blank=True)
    amount_released = models.DecimalField(_("划拨金额（元）"), **MONEY, null=True, blank=True)
    approval_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("登记人"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("申请人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("维修资金使用申请")
        verbose_name_plural = _("维修资金使用申请")
        constraints = [
            models.CheckConstraint(
                name="fund_notice_dates_in_order",
                condition=Q(notice_start__isnull=True, notice_end__isnull=True)
                | Q(notice_start__isnull=False, notice_end__gte=models.F("notice_start")),
            ),
            models.CheckConstraint(
                name="fund_approval_complete",
                condition=Q(approved_on__isnull=True, amount_released__isnull=True)
                | Q(approved_on__isnull=False, amount_released__gte=0),
            ),
            models.CheckConstraint(
                name="fund_approved_after_notice",
                condition=Q(approved_on__isnull=True) | Q(notice_end__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return str(self.proposal.elevator)

    def notice_running(self, today: date) -> bool:
        return bool(self.notice_start and self.notice_start <= today <= self.notice_end)

    def notice_over(self, today: date) -> bool:
        return bool(self.notice_end and today > self.notice_end)

    @property
    def approved(self) -> bool:
        return self.approved_on is not None

    def post_notice(self, start: date, days: int) -> None:
        """Post the notice from ``start`` for ``days`` days: ``notice_end`` is its last day.
        Not once the fund office has approved."""
        if self.approved:
            raise ValueError("approved")
        self.notice_start, self.notice_end = start, start + timedelta(days=days - 1)
        self.save(update_fields=["notice_start", "notice_end"])

    def record_approval(self, on: date, amount: Decimal, by) -> None:
        with transaction.atomic():
            self.approved_on, self.amount_released, self.approval_recorded_by = on, amount, by
            self.save(update_fields=["approved_on", "amount_released", "approval_recorded_by"])
