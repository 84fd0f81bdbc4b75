"""Each elevator's works site (工地) and its reverse schedule (倒排工期)."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from campaigns.models import Elevator, Party


class Site(models.Model):
    """The works of one elevator: who takes part, the target opening date, the notices."""

    elevator = models.OneToOneField(
        Elevator, on_delete=models.PROTECT, related_name="site", verbose_name=_("电梯")
    )
    parties = models.ManyToManyField(
        Party, blank=True, related_name="sites", verbose_name=_("参建单位")
    )
    target_open_date = models.DateField(_("目标开通日期"), null=True, blank=True)
    noise_notice = models.CharField(
        _("施工时间公告"),
        max_length=300,
        blank=True,
        help_text=_("例如：每日 8:00–12:00、14:00–18:00 施工，中午及夜间不施工"),
    )

    class Meta:
        verbose_name = _("工地")
        verbose_name_plural = _("工地")
        ordering = [
            "elevator__unit__building__sort_order",
            "elevator__unit__building__name",
            "elevator__unit__name",
        ]

    def __str__(self) -> str:
        return str(self.elevator.unit)


class StepKind(models.TextChoices):
    """The steps of every schedule, in order (works.schedule.TEMPLATE gives their lengths)."""

    SURVEY_DESIGN = "survey_design", _("勘察设计")
    CONTRACT = "contract", _("合同签订")
    MOBILISE = "mobilise", _("进场")
    DEMOLISH = "demolish", _("拆除")
    INSTALL = "install", _("安装")
    COMMISSION = "commission", _("调试")
    INSPECTION = "inspection", _("监督检验")
    REGISTRATION = "registration", _("使用登记")
    OPENING = "opening", _("开通")


# Construction starts when this step starts: it is the gate (works.gate).
START_STEP = StepKind.MOBILISE


class StepState(models.TextChoices):
    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("进行中")
    DONE = "done", _("已完成")
    LATE = "late", _("已逾期")


class ScheduleStep(models.Model):
    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="steps", verbose_name=_("工地")
    )
    kind = models.CharField(_("步骤"), max_length=20, choices=StepKind.choices)
    order = models.PositiveSmallIntegerField(_("顺序"))
    responsible = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="steps",
        verbose_name=_("责任单位"),
    )
    planned_start = models.DateField(_("计划开始"))
    planned_end = models.DateField(_("计划完成"))
    actual_start = models.DateField(_("实际开始"), null=True, blank=True)
    actual_end = models.DateField(_("实际完成"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("最后更新人"),
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("工期步骤")
        verbose_name_plural = _("工期步骤")
        ordering = ["site", "order"]
        constraints = [
            models.UniqueConstraint(fields=["site", "kind"], name="schedule_step_once_per_site"),
            models.CheckConstraint(
                name="schedule_step_planned_in_order",
                condition=Q(planned_end__gte=F("planned_start")),
            ),
            models.CheckConstraint(
                name="schedule_step_ends_after_start",
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=False, actual_end__gte=F("actual_start")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.get_kind_display()}"

    def state_on(self, today: date) -> StepState:
        """Done once finished; late when its planned end has passed unfinished; in progress
        once started; else not started."""
        if self.actual_end is not None:
            return StepState.DONE
        if today > self.planned_end:
            return StepState.LATE
        if self.actual_start is not None:
            return StepState.IN_PROGRESS
        return StepState.NOT_STARTED
