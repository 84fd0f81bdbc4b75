"""Where the campaign happens: community → campaign → building → unit (stairwell) → elevator."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

SUBSIDY_PER_ELEVATOR = Decimal("150000.00")


class Community(models.Model):
    name = models.CharField(_("社区"), max_length=100, unique=True)
    subdistrict = models.CharField(_("街道"), max_length=100)
    district = models.CharField(_("区"), max_length=100)
    city = models.CharField(_("市"), max_length=50, default="武汉市")

    class Meta:
        verbose_name = _("社区")
        verbose_name_plural = _("社区")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ConsentRule(models.TextChoices):
    """How many owners must agree (Civil Code Art. 278); quorum is 2/3 of area and headcount."""

    MAJORITY = "majority", _("过半数（使用维修资金等一般事项）")
    THREE_QUARTERS = "three_quarters", _("四分之三（筹集维修资金、改建重建）")
    UNANIMOUS = "unanimous", _("全体同意")

    @property
    def legal_basis(self) -> str:
        return str(LEGAL_BASIS[self])


LEGAL_BASIS = {
    ConsentRule.MAJORITY: _(
        "《民法典》第二百七十八条：专有部分面积占比三分之二以上且人数占比三分之二以上的业主参与表决，"
        "经参与表决专有部分面积过半数且参与表决人数过半数的业主同意。"
    ),
    ConsentRule.THREE_QUARTERS: _(
        "《民法典》第二百七十八条：专有部分面积占比三分之二以上且人数占比三分之二以上的业主参与表决，"
        "经参与表决专有部分面积四分之三以上且参与表决人数四分之三以上的业主同意。"
    ),
    ConsentRule.UNANIMOUS: _("本项目约定：本单元全体业主签字同意。"),
}


class CampaignQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)

    def managed_by(self, user):
        """The campaigns of the communities the user is secretary of (all for a superuser)."""
        from campaigns.models.roles import communities_managed_by  # roles build on places

        if user.is_superuser:
            return self
        return self.filter(community__in=communities_managed_by(user))

    def worked_on_by(self, user):
        """The campaigns of every community the user has a place in, in any role."""
        from campaigns.models.roles import assignments_of

        if user.is_superuser:
            return self
        return self.filter(community__in=sorted({p.community for p in assignments_of(user)}))


class Campaign(models.Model):
    class Status(models.TextChoices):
        PLANNING = "planning", _("筹备中")
        CONSULTING = "consulting", _("意愿征询中")
        CONSTRUCTION = "construction", _("施工中")
        COMPLETED = "completed", _("已完工")

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("社区")
    )
    slug = models.SlugField(_("网址标识"), max_length=60, unique=True)
    title = models.CharField(_("项目名称"), max_length=200)
    summary = models.TextField(_("项目简介"), blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.PLANNING
    )
    consent_rule = models.CharField(
        _("表决规则"), max_length=20, choices=ConsentRule.choices, default=ConsentRule.MAJORITY
    )
    subsidy_per_elevator = models.DecimalField(
        _("每部电梯政府补贴（元）"),
        max_digits=12,
        decimal_places=2,
        default=SUBSIDY_PER_ELEVATOR,
    )
    target_open_date = models.DateField(_("目标启用日期"), null=True, blank=True)
    is_public = models.BooleanField(_("公开项目页"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="campaign_subsidy_not_negative", condition=Q(subsidy_per_elevator__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("public_campaign", args=[self.slug])

    def is_managed_by(self, user) -> bool:
        """Whether the user is this campaign's community secretary (or a superuser)."""
        from campaigns.models.roles import communities_managed_by

        return user.is_superuser or self.community_id in communities_managed_by(user)

    def owner_names(self):
        """Every owner's name in the campaign, for the Redactor: one query. (Owners live in
        households, which campaigns does not import: the lookup goes by the relations' names.)"""
        return Unit.objects.filter(
            building__campaign=self, households__owners__isnull=False
        ).values_list("households__owners__name", flat=True)

    @property
    def rule(self) -> ConsentRule:
        return ConsentRule(self.consent_rule)

    def reschedule(self) -> int:
        """Reverse scheduling: plan every milestone that counts days back from the target
        opening date again from the current target. Returns how many moved."""
        moved = []
        for milestone in self.milestones.filter(lead_days__isnull=False):
            before = milestone.planned_on
            milestone.schedule_from(self.target_open_date)
            if milestone.planned_on != before:
                moved.append(milestone)
        self.milestones.model.objects.bulk_update(moved, ["planned_on"])
        return len(moved)


class Building(models.Model):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="buildings", verbose_name=_("项目")
    )
    name = models.CharField(_("楼栋"), max_length=50, help_text=_("例如：1栋"))
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("楼栋")
        verbose_name_plural = _("楼栋")
        ordering = ["campaign", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="building_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class UnitQuerySet(models.QuerySet):
    def for_user(self, user):
        """The units whose households the user may see (``unit_ids_for``)."""
        from campaigns.models.roles import unit_ids_for

        unit_ids = unit_ids_for(user)
        return self if unit_ids is None else self.filter(pk__in=unit_ids)


class Unit(models.Model):
    """A stairwell (单元): the owners who share one elevator vote together."""

    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, related_name="units", verbose_name=_("楼栋")
    )
    name = models.CharField(_("单元"), max_length=50, help_text=_("例如：1单元"))
    floors = models.PositiveSmallIntegerField(_("楼层数"))

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("单元")
        verbose_name_plural = _("单元")
        ordering = ["building__sort_order", "building__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["building", "name"], name="unit_name_unique"),
            models.CheckConstraint(name="unit_floors_positive", condition=Q(floors__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.building.name}{self.name}"


class Elevator(models.Model):
    unit = models.OneToOneField(
        Unit, on_delete=models.PROTECT, related_name="elevator", verbose_name=_("单元")
    )
    install_year = models.PositiveSmallIntegerField(_("安装年份"))
    floors_served = models.PositiveSmallIntegerField(_("服务楼层数"))
    quote = models.DecimalField(
        _("更新报价（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    maker = models.CharField(_("电梯公司"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("电梯")
        verbose_name_plural = _("电梯")
        ordering = ["unit__building__sort_order", "unit__building__name", "unit__name"]
        constraints = [
            models.CheckConstraint(
                name="elevator_install_year_plausible",
                condition=Q(install_year__gte=1950, install_year__lte=2100),
            ),
            models.CheckConstraint(
                name="elevator_floors_served_positive", condition=Q(floors_served__gt=0)
            ),
            models.CheckConstraint(
                name="elevator_quote_not_negative",
                condition=Q(quote__isnull=True) | Q(quote__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return _("%(unit)s电梯") % {"unit": self.unit}
