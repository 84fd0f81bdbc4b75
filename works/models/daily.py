"""The daily stand-up (碰头会/站班会) of the work group and the actions it agrees."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Party
from core.text import refuse_control_characters


class StandUp(models.Model):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="stand_ups", verbose_name=_("项目")
    )
    held_on = models.DateField(_("日期"))
    attendees = models.ManyToManyField(
        Party, blank=True, related_name="stand_ups", verbose_name=_("参会单位")
    )
    done_yesterday = models.TextField(_("昨日完成"), blank=True)
    plan_today = models.TextField(_("今日计划"), blank=True)
    blockers = models.TextField(_("存在问题"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("记录人"),
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("碰头会")
        verbose_name_plural = _("碰头会")
        ordering = ["campaign", "-held_on"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "held_on"], name="stand_up_once_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} {self.held_on}"


class ActionItemQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_on__isnull=True)

    def overdue(self, today):
        return self.open().filter(due_on__lt=today)


class ActionItem(models.Model):
    """An action agreed at a stand-up; it carries over, day after day, until closed."""

    stand_up = models.ForeignKey(
        StandUp, on_delete=models.PROTECT, related_name="actions", verbose_name=_("碰头会")
    )
    text = models.CharField(_("事项"), max_length=300, validators=[refuse_control_characters])
    owner = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("责任单位"),
    )
    due_on = models.DateField(_("完成期限"))
    closed_on = models.DateField(_("完成日期"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("关闭人"),
    )
    closing_note = models.CharField(_("完成情况"), max_length=300, blank=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("待办事项")
        verbose_name_plural = _("待办事项")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="action_closed_by_someone",
                condition=Q(closed_on__isnull=True) | Q(closed_by__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:40]
