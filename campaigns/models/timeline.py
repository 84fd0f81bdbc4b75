"""The campaign's timeline: reverse-scheduled milestones and published progress. (The works of
each elevator, its schedule and inspections, are in the works app.)"""

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models.places import Campaign

PHOTOS_PER_UPDATE = 6


class Milestone(models.Model):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("项目")
    )
    title = models.CharField(_("节点"), max_length=200)
    lead_days = models.PositiveIntegerField(
        _("启用前天数"),
        null=True,
        blank=True,
        help_text=_("倒排工期：目标启用日期之前多少天完成；填写后计划日期随目标日期自动调整"),
    )
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

    def schedule_from(self, target: date | None) -> None:
        """Reverse scheduling: planned ``lead_days`` before the target opening date."""
        if target is not None and self.lead_days is not None:
            self.planned_on = target - timedelta(days=self.lead_days)

    @property
    def days_late(self) -> int:
        return (self.done_on - self.planned_on).days if self.done_on else 0


class ProgressUpdateQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ProgressUpdate.Status.PUBLISHED)


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

    objects = ProgressUpdateQuerySet.as_manager()

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

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def publish(self) -> None:
        if not self.is_published:
            self.status = self.Status.PUBLISHED
            self.published_at = timezone.now()
            self.save(update_fields=["status", "published_at"])


def photo_path(photo: "UpdatePhoto", filename: str) -> str:
    """A name nobody can guess: a draft's photos are not reachable before it is published."""
    return f"updates/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.jpg"


class UpdatePhoto(models.Model):
    """A photo of a progress update, stored resized and re-encoded without any EXIF data."""

    update = models.ForeignKey(
        ProgressUpdate, on_delete=models.CASCADE, related_name="photos", verbose_name=_("进度公示")
    )
    image = models.ImageField(
        _("照片"), upload_to=photo_path, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(_("宽"), default=0)
    height = models.PositiveIntegerField(_("高"), default=0)
    caption = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("公示照片")
        verbose_name_plural = _("公示照片")
        ordering = ["update", "pk"]

    def __str__(self) -> str:
        return self.caption or self.image.name
