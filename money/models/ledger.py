"""The residents' payment ledger: every yuan received for a household's share or paid back, one
entry each, with a receipt numbered per campaign without gaps. Entries are never edited or
deleted; a mistake is undone by a reversing entry (冲正), as in bookkeeping. The rules are
``money.ledger``'s; this is where they meet the database."""

from decimal import Decimal

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from households.models import Household
from money import ledger
from money.models.fund import MONEY, Books

RULE_MESSAGES = {
    "cents": _("金额须为非零的整数分。"),
    "sign": _("缴款金额须为正数，退款金额须为负数。"),
    "reverses": _("冲正只能撤销一笔尚未冲正的记录，金额相反。"),
    "refund": _("退款不能超过该出资方已缴的净额。"),
}


class LedgerRefused(Exception):
    """An entry the ledger's rules refuse, in words for staff."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = str(message)


class EntryQuerySet(models.QuerySet):
    def for_campaign(self, campaign):
        return self.filter(campaign=campaign)

    def received_by_household(self) -> dict[int, Decimal]:
        """Net received per household id, one query."""
        rows = self.values("household").annotate(total=Sum("amount")).order_by()
        return {row["household"]: row["total"] for row in rows}

    def record(self, *, household: Household, by, **fields) -> "Entry":
        """Record an entry for ``household`` with the next receipt number of its campaign, in
        one transaction: the household's row is locked first (so two clerks cannot both refund
        the same money), then the campaign's counter. LedgerRefused when the rules say no."""
        campaign = household.unit.building.campaign
        with transaction.atomic():
            Household.objects.select_for_update(of=("self",)).filter(pk=household.pk).first()
            entry = Entry(household=household, campaign=campaign, recorded_by=by, **fields)
            lines = [e.line() for e in Entry.objects.filter(household=household)]
            try:
                ledger.check(lines, entry.line())
            except ledger.LedgerError as error:
                raise LedgerRefused(RULE_MESSAGES[error.code]) from None
            entry.receipt_number = Books.next_receipt(campaign)
            entry.save()
            return entry


class Entry(models.Model):
    class Kind(models.TextChoices):
        PAYMENT = ledger.PAYMENT, _("缴款")
        REFUND = ledger.REFUND, _("退款")
        REVERSAL = ledger.REVERSAL, _("冲正")

    class Method(models.TextChoices):
        CASH = "cash", _("现金")
        TRANSFER = "transfer", _("转账")

    class PaidBy(models.TextChoices):
        HOUSEHOLD = ledger.HOUSEHOLD, _("本户")
        OTHER_HOUSEHOLD = "other_household", _("其他住户代付")
        DONOR = "donor", _("捐助")
        COMMUNITY_FUND = "community_fund", _("社区基金")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="+", verbose_name=_("项目")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="entries", verbose_name=_("住户")
    )
    receipt_number = models.PositiveIntegerField(_("收据编号"), editable=False)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.PAYMENT)
    paid_by = models.CharField(
        _("出资方"), max_length=20, choices=PaidBy.choices, default=PaidBy.HOUSEHOLD
    )
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    paid_on = models.DateField(_("日期"))
    method = models.CharField(_("方式"), max_length=20, choices=Method.choices)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    proof = models.BinaryField(_("凭证扫描件"), blank=True, default=b"", editable=False)
    proof_type = models.CharField(max_length=40, blank=True, editable=False)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("冲正的记录"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("经办人"),
    )
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("收退款记录")
        verbose_name_plural = _("收退款记录")
        ordering = ["receipt_number"]
        # Entries are never changed or deleted: nobody is given those permissions.
        default_permissions = ("add", "view")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "receipt_number"], name="entry_receipt_unique"
            ),
            models.CheckConstraint(name="entry_not_zero", condition=~Q(amount=0)),
            models.CheckConstraint(
                name="entry_sign_matches_kind",
                condition=Q(kind="payment", amount__gt=0, reverses__isnull=True)
                | Q(kind="refund", amount__lt=0, reverses__isnull=True)
                | Q(kind="reversal", reverses__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["household", "receipt_number"], name="entry_household")]

    def __str__(self) -> str:
        return gettext("收据 %(number)s") % {"number": self.number}

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise LedgerRefused(gettext("收退款记录不能修改：如有差错，请登记一笔冲正。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerRefused(gettext("收退款记录不能删除：如有差错，请登记一笔冲正。"))

    @property
    def number(self) -> str:
        """The receipt number as printed: 000042."""
        return f"{self.receipt_number:06d}"

    def line(self) -> ledger.Line:
        return ledger.Line(self.kind, self.amount, self.paid_by, self.pk, self.reverses_id)

    def reverse(self, by, note: str = "") -> "Entry":
        """A reversing entry that undoes this one, with its own receipt number."""
        return Entry.objects.record(
            household=self.household,
            by=by,
            kind=self.Kind.REVERSAL,
            paid_by=self.paid_by,
            amount=-self.amount,
            paid_on=timezone.localdate(),
            method=self.method,
            note=note,
            reverses=self,
        )

    @property
    def is_reversed(self) -> bool:
        try:
            return self.reversed_by is not None
        except Entry.DoesNotExist:
            return False
