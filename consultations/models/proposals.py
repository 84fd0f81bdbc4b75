"""Cost-sharing proposals (费用分摊方案), versioned per elevator, and each household's share."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.utils.translation import gettext_lazy as _

from campaigns.models import Elevator
from consultations.allocation import allocate
from households.models import Household

MONEY = {"max_digits": 12, "decimal_places": 2}
PARTS = F("subsidy") + F("maintenance_fund") + F("self_funded")
HALF_CENT = Value(Decimal("0.005"))


class ProposalQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Proposal.Status.PUBLISHED)


@dataclass(frozen=True)
class ShareLine:
    household: Household
    weight: Decimal
    amount: Decimal


class Proposal(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草案")
        PUBLISHED = "published", _("已公示（签字版本）")
        SUPERSEDED = "superseded", _("已被新版本取代")

    class Rule(models.TextChoices):
        FLOOR_AREA = "floor_area", _("楼层系数 × 面积")
        AREA = "area", _("按面积")
        EQUAL = "equal", _("按户均摊")
        FIXED = "fixed", _("逐户定额")

    class GroundFloor(models.TextChoices):
        PAYS = "pays", _("与其他楼层同样分摊")
        EXEMPT = "exempt", _("免出资")
        TOKEN = "token", _("象征性出资")

    elevator = models.ForeignKey(
        Elevator, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("电梯")
    )
    version = models.PositiveSmallIntegerField(_("版本"))
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    total_cost = models.DecimalField(_("总费用（元）"), **MONEY)
    subsidy = models.DecimalField(_("政府补贴（元）"), **MONEY)
    maintenance_fund = models.DecimalField(_("维修资金（元）"), **MONEY)
    self_funded = models.DecimalField(_("居民自筹（元）"), **MONEY, editable=False)
    rule = models.CharField(
        _("分摊规则"), max_length=20, choices=Rule.choices, default=Rule.FLOOR_AREA
    )
    ground_floor = models.CharField(
        _("一楼住户"), max_length=20, choices=GroundFloor.choices, default=GroundFloor.EXEMPT
    )
    ground_floor_amount = models.DecimalField(
        _("一楼象征性出资（元/户）"), **MONEY, default=Decimal("0.00")
    )
    notes = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("起草人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("费用分摊方案")
        verbose_name_plural = _("费用分摊方案")
        ordering = ["elevator", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["elevator", "version"], name="proposal_version_unique"),
            models.UniqueConstraint(
                fields=["elevator"],
                condition=Q(status="published"),
                name="proposal_one_published_per_elevator",
            ),
            models.CheckConstraint(name="proposal_version_positive", condition=Q(version__gt=0)),
            models.CheckConstraint(
                name="proposal_amounts_not_negative",
                condition=Q(
                    total_cost__gte=0,
                    subsidy__gte=0,
                    maintenance_fund__gte=0,
                    self_funded__gte=0,
                    ground_floor_amount__gte=0,
                ),
            ),
            # Within half a cent rather than "equal": SQLite does this sum in binary floating
            # point, and with amounts stored to the cent the two mean the same.
            models.CheckConstraint(
                name="proposal_parts_add_up",
                condition=Q(total_cost__gt=PARTS - HALF_CENT, total_cost__lt=PARTS + HALF_CENT),
            ),
            models.CheckConstraint(
                name="proposal_published_has_time",
                condition=Q(status="draft") | Q(published_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return _("%(elevator)s 方案 v%(version)s") % {
            "elevator": self.elevator,
            "version": self.version,
        }

    def save(self, *args, **kwargs) -> None:
        self.self_funded = self.total_cost - self.subsidy - self.maintenance_fund
        super().save(*args, **kwargs)

    def coefficient_map(self) -> dict[int, Decimal]:
        return {c.floor: c.coefficient for c in self.coefficients.all()}

    def allocate(self, households=None) -> list[ShareLine]:
        """Every household's share of the self-funded part under this proposal's rule.

        Ground-floor households are exempt, pay a token amount first, or share like the rest.
        Fixed-amount proposals keep the amounts already recorded as shares.
        """
        if households is None:
            households = list(Household.objects.filter(unit=self.elevator.unit_id))
        if self.rule == self.Rule.FIXED:
            recorded = {s.household_id: s.amount for s in self.shares.all()}
            return [
                ShareLine(h, Decimal(0), recorded.get(h.pk, Decimal("0.00"))) for h in households
            ]
        coefficients = self.coefficient_map()
        token = self.ground_floor == self.GroundFloor.TOKEN
        remainder = self.self_funded
        weights = []
        for household in households:
            on_ground = household.floor == 1
            if on_ground and self.ground_floor != self.GroundFloor.PAYS:
                weights.append(Decimal(0))
                if token:
                    remainder -= self.ground_floor_amount
            elif self.rule == self.Rule.FLOOR_AREA:
                weights.append(coefficients.get(household.floor, Decimal(1)) * household.area)
            elif self.rule == self.Rule.AREA:
                weights.append(household.area)
            else:
                weights.append(Decimal(1))
        amounts = allocate(remainder, weights)
        return [
            ShareLine(
                h,
                w,
                self.ground_floor_amount if token and h.floor == 1 else amount,
            )
            for h, w, amount in zip(households, weights, amounts, strict=True)
        ]


class FloorCoefficient(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="coefficients", verbose_name=_("方案")
    )
    floor = models.PositiveSmallIntegerField(_("楼层"))
    coefficient = models.DecimalField(_("系数"), max_digits=6, decimal_places=3)

    class Meta:
        verbose_name = _("楼层系数")
        verbose_name_plural = _("楼层系数")
        ordering = ["proposal", "floor"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "floor"], name="coefficient_floor_unique"),
            models.CheckConstraint(name="coefficient_floor_positive", condition=Q(floor__gt=0)),
            models.CheckConstraint(
                name="coefficient_not_negative", condition=Q(coefficient__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.floor}F × {self.coefficient}"


class Share(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, related_name="shares", verbose_name=_("方案")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="shares", verbose_name=_("住户")
    )
    amount = models.DecimalField(_("应出资（元）"), **MONEY)

    class Meta:
        verbose_name = _("分摊份额")
        verbose_name_plural = _("分摊份额")
        ordering = ["proposal", "household__floor", "household__room"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "household"], name="share_household_unique"
            ),
            models.CheckConstraint(name="share_not_negative", condition=Q(amount__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.household} ¥{self.amount}"
