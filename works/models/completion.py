"""Acceptance and handover (验收与移交): each elevator's special-equipment inspection (监督检验),
its use registration (使用登记) and its opening (开通), after which it is in service; the
maintenance company (维保单位) that takes it over; and the faults residents report afterwards.

The records of acceptance and handover are never edited or deleted: a mistake is corrected by a
new record that supersedes the wrong one (``supersedes``), and each keeps who recorded it."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Party
from works.models.review import kept_path
from works.models.sites import Site


class RecordQuerySet(models.QuerySet):
    def current(self):
        """The records no later record supersedes."""
        return self.filter(superseded_by__isnull=True)


class Record(models.Model):
    """What every acceptance and handover record keeps: who recorded it, when, and which
    earlier record it corrects."""

    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("更正的记录"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("记录人"),
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True


class AcceptanceInspection(Record):
    """The special-equipment supervisory inspection (监督检验) of one elevator. A failed one may
    be followed by another; the latest current one is the result that counts."""

    class Result(models.TextChoices):
        PASSED = "passed", _("合格")
        FAILED = "failed", _("不合格")

    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        related_name="acceptance_inspections",
        verbose_name=_("工地"),
    )
    result = models.CharField(_("检验结论"), max_length=20, choices=Result.choices)
    inspected_on = models.DateField(_("检验日期"))
    inspecting_body = models.CharField(_("检验机构"), max_length=200)
    report_number = models.CharField(_("报告编号"), max_length=100)
    report = models.FileField(_("检验报告"), upload_to=kept_path)
    content_type = models.CharField(_("文件类型"), max_length=50)
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("监督检验")
        verbose_name_plural = _("监督检验")
        ordering = ["site", "-inspected_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.site} {self.inspected_on} {self.get_result_display()}"

    @property
    def passed(self) -> bool:
        return self.result == self.Result.PASSED


class UseRegistration(Record):
    """The use registration (使用登记) of one elevator, after a passed inspection."""

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("工地")
    )
    certificate_number = models.CharField(_("使用登记证编号"), max_length=100)
    registered_on = models.DateField(_("登记日期"))

    class Meta:
        verbose_name = _("使用登记")
        verbose_name_plural = _("使用登记")
        ordering = ["site", "-registered_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.site} {self.certificate_number}"


class Opening(Record):
    """The day the elevator opened to residents (开通), after its registration."""

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="openings", verbose_name=_("工地")
    )
    opened_on = models.DateField(_("开通日期"))

    class Meta:
        verbose_name = _("开通")
        verbose_name_plural = _("开通")
        ordering = ["site", "-opened_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.site} {self.opened_on}"


class Handover(Record):
    """The elevator handed over to its maintenance company: the contract period, the number
    residents call in an emergency (the company's, never a person's), the warranty's end."""

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="handovers", verbose_name=_("工地")
    )
    maintainer = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        related_name="maintained",
        verbose_name=_("维保单位"),
    )
    contract_start = models.DateField(_("维保合同开始"))
    contract_end = models.DateField(_("维保合同结束"))
    emergency_phone = models.CharField(
        _("应急救援电话"),
        max_length=30,
        help_text=_("维保单位的 24 小时应急电话，会公开在项目页上；不要填写个人手机号。"),
    )
    warranty_end = models.DateField(_("质保期至"))

    class Meta:
        verbose_name = _("维保移交")
        verbose_name_plural = _("维保移交")
        ordering = ["site", "-contract_start", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="handover_contract_in_order",
                condition=Q(contract_end__gte=F("contract_start")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.maintainer}"


class FaultReportQuerySet(models.QuerySet):
    def unanswered(self):
        return self.filter(answered_at__isnull=True)

    def unfixed(self):
        return self.filter(fixed_at__isnull=True)


class FaultReport(models.Model):
    """A fault a resident reported on the public page, without an account: a ticket for the
    elevator's maintenance company, which answers it and marks it fixed. Its text is shown to
    staff redacted; only counts and times ever reach the public page."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="fault_reports", verbose_name=_("项目")
    )
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="fault_reports", verbose_name=_("电梯")
    )
    maintainer = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fault_reports",
        verbose_name=_("维保单位"),
        help_text=_("报修时负责这部电梯的维保单位"),
    )
    body = models.TextField(_("故障情况"), max_length=1000)
    room = models.CharField(_("房号"), max_length=20, blank=True)
    reported_at = models.DateTimeField(_("报修时间"), default=timezone.now)
    answered_at = models.DateTimeField(_("响应时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("响应人"),
    )
    answer_note = models.TextField(_("响应说明"), blank=True)
    fixed_at = models.DateTimeField(_("修复时间"), null=True, blank=True)
    fixed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("修复确认人"),
    )
    fix_note = models.TextField(_("修复说明"), blank=True)

    objects = FaultReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("故障报修")
        verbose_name_plural = _("故障报修")
        ordering = ["-reported_at", "-pk"]
        indexes = [models.Index(fields=["maintainer", "reported_at"], name="fault_maintainer")]
        constraints = [
            models.CheckConstraint(
                name="fault_answered_after_report",
                condition=Q(answered_at__isnull=True) | Q(answered_at__gte=F("reported_at")),
            ),
            models.CheckConstraint(
                name="fault_fixed_after_answer",
                condition=Q(fixed_at__isnull=True)
                | Q(answered_at__isnull=False, fixed_at__gte=F("answered_at")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.reported_at:%Y-%m-%d %H:%M}"
