"""The work itself: reverse-scheduled milestones, published progress and daily site inspections."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models.places import Campaign, Unit


class Milestone(models.Model):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("项目")
    )
    title = models.CharField(_("节点"), max_length=200)
    planned_on = models.DateField(_("计划日期"))
    done_on = models.DateField(_("实际完成日期"), null=True, blank=True)
    notes = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("工期节点")
        verbose_name_plural = _("工期节点")
        ordering = ["campaign", "planned_on"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "title"], name="milestone_title_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_on is not None


class ProgressUpdate(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已公示")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="updates", verbose_name=_("项目")
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发布人"),
    )

    class Meta:
        verbose_name = _("进度公示")
        verbose_name_plural = _("进度公示")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="update_published_has_time",
                condition=~Q(status="published") | Q(published_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Inspection(models.Model):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="inspections", verbose_name=_("项目")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("单元"),
    )
    inspected_at = models.DateTimeField(_("巡查时间"))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("巡查人"),
    )
    summary = models.TextField(_("巡查情况"), blank=True)

    class Meta:
        verbose_name = _("巡查记录")
        verbose_name_plural = _("巡查记录")
        ordering = ["-inspected_at"]

    def __str__(self) -> str:
        return f"{self.campaign} {self.inspected_at:%Y-%m-%d}"


class InspectionIssue(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        CLOSED = "closed", _("已整改")

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="issues", verbose_name=_("巡查记录")
    )
    description = models.TextField(_("问题"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(_("整改时间"), null=True, blank=True)
    resolution = models.TextField(_("整改情况"), blank=True)

    class Meta:
        verbose_name = _("巡查问题")
        verbose_name_plural = _("巡查问题")
        ordering = ["status", "pk"]
        constraints = [
            models.CheckConstraint(
                name="inspection_issue_closed_has_time",
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.description[:40]
