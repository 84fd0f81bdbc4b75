"""The daily site inspection (巡查): a checklist per site (standing items and the commitments
made to residents), photos, and the issues found, each fixed by its responsible party; and
the problems residents report from the public page."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, MeetingDecision, Party
from works.models.sites import Site


class Inspection(models.Model):
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("工地")
    )
    inspected_on = models.DateField(_("巡查日期"))
    inspected_at = models.DateTimeField(_("巡查时间"), default=timezone.now)
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
        ordering = ["-inspected_on", "-inspected_at", "-pk"]
        indexes = [models.Index(fields=["site", "inspected_on"], name="inspection_site_day")]

    def __str__(self) -> str:
        return f"{self.site} {self.inspected_on}"


class StandingItem(models.TextChoices):
    """What every inspection checks on every site."""

    FENCING = "fencing", _("安全围挡")
    DUST = "dust", _("扬尘控制")
    NOISE = "noise", _("噪音与施工时间")
    MATERIAL_ROUTE = "material_route", _("材料运输路线")
    LAWN = "lawn", _("草坪与绿化保护")


class Check(models.Model):
    """One line of an inspection's checklist: a standing item or a commitment."""

    class Result(models.TextChoices):
        OK = "ok", _("符合")
        BROKEN = "broken", _("不符合")
        NOT_APPLICABLE = "na", _("不适用")

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="checks", verbose_name=_("巡查记录")
    )
    item = models.CharField(_("检查项"), max_length=20, choices=StandingItem.choices, blank=True)
    commitment = models.ForeignKey(
        MeetingDecision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checks",
        verbose_name=_("承诺事项"),
    )
    result = models.CharField(_("结果"), max_length=20, choices=Result.choices)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("检查项结果")
        verbose_name_plural = _("检查项结果")
        ordering = ["inspection", "pk"]
        constraints = [
            models.CheckConstraint(
                name="check_is_item_or_commitment",
                condition=(Q(commitment__isnull=True) & ~Q(item=""))
                | (Q(commitment__isnull=False) & Q(item="")),
            ),
            models.UniqueConstraint(
                fields=["inspection", "item"],
                condition=~Q(item=""),
                name="check_item_once",
            ),
            models.UniqueConstraint(
                fields=["inspection", "commitment"],
                condition=Q(commitment__isnull=False),
                name="check_commitment_once",
            ),
        ]

    def __str__(self) -> str:
        return self.get_item_display() if self.item else str(self.commitment)


def photo_path(instance, filename: str) -> str:
    """A name nobody can guess: unpublished photos are served only through staff views."""
    return f"works/photos/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.jpg"


class InspectionPhoto(models.Model):
    """A site photo, stored resized and without EXIF (campaigns.photos.prepare_photo). Staff
    choose which ones the public page shows; photos showing people are never chosen."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="photos", verbose_name=_("巡查记录")
    )
    image = models.ImageField(
        _("照片"), upload_to=photo_path, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(_("宽"), default=0)
    height = models.PositiveIntegerField(_("高"), default=0)
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    published_at = models.DateTimeField(
        _("公开时间"), null=True, blank=True, help_text=_("留空表示仅工作人员可见")
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("公开人"),
    )

    class Meta:
        verbose_name = _("工地照片")
        verbose_name_plural = _("工地照片")
        ordering = ["inspection", "pk"]

    def __str__(self) -> str:
        return self.caption or self.image.name


class IssueQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Issue.Status.OPEN)

    def overdue(self, today):
        return self.open().filter(deadline__lt=today)


class Issue(models.Model):
    """A problem on site, found in an inspection, a broken commitment, or reported by a
    resident; its responsible party fixes it by the deadline and closes it with a photo."""

    class Status(models.TextChoices):
        OPEN = "open", _("待整改")
        CLOSED = "closed", _("已整改")

    class Severity(models.TextChoices):
        LOW = "low", _("一般")
        MEDIUM = "medium", _("较重")
        HIGH = "high", _("严重")

    class Source(models.TextChoices):
        INSPECTION = "inspection", _("巡查发现")
        COMMITMENT = "commitment", _("违反承诺")
        RESIDENT = "resident", _("居民反映")

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="issues", verbose_name=_("工地")
    )
    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issues",
        verbose_name=_("巡查记录"),
    )
    commitment = models.ForeignKey(
        MeetingDecision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issues",
        verbose_name=_("违反的承诺"),
    )
    source = models.CharField(
        _("来源"), max_length=20, choices=Source.choices, default=Source.INSPECTION
    )
    description = models.TextField(_("问题"))
    severity = models.CharField(
        _("严重程度"), max_length=20, choices=Severity.choices, default=Severity.LOW
    )
    responsible = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issues",
        verbose_name=_("责任单位"),
    )
    deadline = models.DateField(_("整改期限"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("登记人"),
    )
    opened_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    closed_at = models.DateTimeField(_("整改时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("整改确认人"),
    )
    resolution = models.TextField(_("整改情况"), blank=True)

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改问题")
        verbose_name_plural = _("整改问题")
        ordering = ["status", "deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                name="issue_closed_has_time",
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.description[:40]


class IssuePhoto(models.Model):
    """A photo of an issue: as found, or after it was fixed (closing needs one)."""

    class Stage(models.TextChoices):
        BEFORE = "before", _("整改前")
        AFTER = "after", _("整改后")

    issue = models.ForeignKey(
        Issue, on_delete=models.PROTECT, related_name="photos", verbose_name=_("整改问题")
    )
    stage = models.CharField(_("阶段"), max_length=20, choices=Stage.choices)
    image = models.ImageField(
        _("照片"), upload_to=photo_path, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(_("宽"), default=0)
    height = models.PositiveIntegerField(_("高"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("上传人"),
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("问题照片")
        verbose_name_plural = _("问题照片")
        ordering = ["issue", "pk"]

    def __str__(self) -> str:
        return f"{self.issue} {self.get_stage_display()}"


class ResidentReport(models.Model):
    """A problem a resident reported on the public page, without an account. Nothing of it is
    public; staff read it (redacted of names and numbers) and turn it into an issue or not."""

    class Status(models.TextChoices):
        NEW = "new", _("待处理")
        ACCEPTED = "accepted", _("已转为整改问题")
        DECLINED = "declined", _("不予处理")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="site_reports", verbose_name=_("项目")
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("工地"),
    )
    body = models.TextField(_("反映内容"), max_length=2000)
    photo = models.ImageField(
        _("照片（选填）"),
        upload_to=photo_path,
        blank=True,
        width_field="width",
        height_field="height",
    )
    width = models.PositiveIntegerField(_("宽"), default=0)
    height = models.PositiveIntegerField(_("高"), default=0)
    reported_at = models.DateTimeField(_("反映时间"), auto_now_add=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.NEW)
    issue = models.OneToOneField(
        Issue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report",
        verbose_name=_("整改问题"),
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("处理人"),
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decline_reason = models.CharField(_("不予处理的理由"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("居民反映")
        verbose_name_plural = _("居民反映")
        ordering = ["-reported_at"]
        constraints = [
            models.CheckConstraint(
                name="report_accepted_has_issue",
                condition=~Q(status="accepted") | Q(issue__isnull=False),
            ),
            models.CheckConstraint(
                name="report_declined_gives_reason",
                condition=~Q(status="declined") | ~Q(decline_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return self.body[:40]
