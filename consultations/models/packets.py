"""A campaign's consent packet, generated in the background and kept until the data changes.

The secretary asks for the packet; a ``PacketFile`` row is queued and a task renders it (see
``consultations.packet_files``). The finished PDF is written under ``settings.PACKET_ROOT``
with its SHA-256, and served again for as long as the data it was printed from (its
``fingerprint``) has not changed. The rows stay as the record of who printed what, when.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign

# A running job whose worker has said nothing for this long has died (a restart, a crash).
STALLED_AFTER = timedelta(minutes=10)


class PacketFileQuerySet(models.QuerySet):
    def live(self):
        """Queued, running or finished: a job that stands for its data (not failed, not
        replaced by a newer file)."""
        return self.filter(status__in=PacketFile.LIVE)

    def stalled(self):
        return self.filter(
            status=PacketFile.Status.RUNNING, updated_at__lt=timezone.now() - STALLED_AFTER
        )


class PacketFile(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已生成")
        FAILED = "failed", _("生成失败")
        REPLACED = "replaced", _("已被新版本替换")

    LIVE = (Status.QUEUED, Status.RUNNING, Status.DONE)

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="packet_files", verbose_name=_("项目")
    )
    fingerprint = models.CharField(_("数据指纹"), max_length=64)
    base_url = models.CharField(_("核验网址"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    parts_done = models.PositiveIntegerField(_("已完成部分"), default=0)
    parts_total = models.PositiveIntegerField(_("总部分"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("申请人"),
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("最近进展"), auto_now=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    task_id = models.CharField(_("后台任务"), max_length=64, blank=True)
    file_name = models.CharField(_("文件"), max_length=100, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("文件大小"), default=0)
    pages = models.PositiveIntegerField(_("页数"), default=0)
    error = models.TextField(_("失败原因"), blank=True)

    objects = PacketFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("签字材料文件")
        verbose_name_plural = _("签字材料文件")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "fingerprint"],
                condition=Q(status__in=["queued", "running", "done"]),
                name="packet_file_one_live_per_data",
            ),
            models.CheckConstraint(
                name="packet_file_done_has_file",
                condition=~Q(status="done")
                | (Q(Exact(Length("sha256"), 64), pages__gt=0, size__gt=0) & ~Q(file_name="")),
            ),
            models.CheckConstraint(
                name="packet_file_progress_within_total",
                condition=Q(parts_done__lte=models.F("parts_total")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def path(self):
        return settings.PACKET_ROOT / self.file_name

    @property
    def percent(self) -> int:
        return 100 * self.parts_done // self.parts_total if self.parts_total else 0

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    def start(self, parts_total: int) -> None:
        self.status, self.parts_total, self.parts_done = self.Status.RUNNING, parts_total, 0
        self.save(update_fields=["status", "parts_total", "parts_done", "updated_at"])

    def advance(self) -> None:
        """One more part rendered (a unit's section, or the joined file)."""
        PacketFile.objects.filter(pk=self.pk, parts_done__lt=models.F("parts_total")).update(
            parts_done=models.F("parts_done") + 1, updated_at=timezone.now()
        )

    def finish(self, pdf: bytes, pages: int) -> None:
        """Keep the file (written whole or not at all) and retire the campaign's older ones."""
        self.file_name = f"packet-{self.campaign_id}-{self.pk}.pdf"
        folder = settings.PACKET_ROOT
        folder.mkdir(parents=True, exist_ok=True)
        part = folder / f".{self.file_name}.part"
        part.write_bytes(pdf)
        part.chmod(0o600)  # it names every owner
        part.replace(self.path)
        self.sha256 = hashlib.sha256(pdf).hexdigest()
        self.size, self.pages = len(pdf), pages
        self.status, self.parts_done = self.Status.DONE, self.parts_total
        self.finished_at = timezone.now()
        with transaction.atomic():
            older = list(
                PacketFile.objects.select_for_update()
                .filter(campaign=self.campaign_id, status=self.Status.DONE)
                .exclude(pk=self.pk)
            )
            PacketFile.objects.filter(pk__in=[o.pk for o in older]).update(
                status=self.Status.REPLACED
            )
            self.save()
        for old in older:
            old.path.unlink(missing_ok=True)

    def fail(self, error: str) -> None:
        self.status, self.error, self.finished_at = self.Status.FAILED, error, timezone.now()
        self.save(update_fields=["status", "error", "finished_at", "updated_at"])

    @property
    def is_stalled(self) -> bool:
        return (
            self.status == self.Status.RUNNING and self.updated_at < timezone.now() - STALLED_AFTER
        )
