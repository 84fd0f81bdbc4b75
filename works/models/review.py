"""Review and approval: the unit's packet frozen once its vote passed, the lawyer's and the
sub-district office's reviews of it, and the works contract. Together with the vote they are
the gate construction waits for (works.gate)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models import Party, Unit
from consultations.models import Proposal
from works.models.sites import Site


def kept_path(instance, filename: str) -> str:
    """A name nobody can guess; files are served only through views that check access."""
    return f"works/{instance._meta.model_name}/{uuid.uuid4().hex}"


class ReviewPacket(models.Model):
    """The unit's consent packet as it stood when its vote passed, kept for the reviewers:
    the file and its SHA-256. A later freeze (after a returned review) replaces it for the
    gate; the earlier ones stay as the record."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="review_packets", verbose_name=_("单元")
    )
    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, related_name="+", verbose_name=_("方案")
    )
    file = models.FileField(_("文件"), upload_to=kept_path)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    frozen_at = models.DateTimeField(_("封存时间"), auto_now_add=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("封存人"),
    )

    class Meta:
        verbose_name = _("送审材料")
        verbose_name_plural = _("送审材料")
        ordering = ["unit", "-frozen_at", "-pk"]
        get_latest_by = ["frozen_at", "pk"]

    def __str__(self) -> str:
        return f"{self.unit} {self.sha256[:12]}"


class Review(models.Model):
    class Kind(models.TextChoices):
        LAWYER = "lawyer", _("律师审核")
        SUBDISTRICT = "subdistrict", _("街道办审核")

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("审核通过")
        CONDITIONS = "conditions", _("附条件通过")
        RETURNED = "returned", _("退回修改")

    APPROVING = (Outcome.APPROVED, Outcome.CONDITIONS)

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("单元")
    )
    packet = models.ForeignKey(
        ReviewPacket,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("送审材料"),
        help_text=_("审核所依据的送审材料；为空的是启用本功能前记录的审核"),
    )
    kind = models.CharField(_("审核类型"), max_length=20, choices=Kind.choices)
    outcome = models.CharField(_("结论"), max_length=20, choices=Outcome.choices)
    comments = models.TextField(_("意见"), blank=True)
    reviewer = models.CharField(_("审核人"), max_length=100)
    organisation = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("审核单位"),
    )
    reviewed_on = models.DateField(_("审核日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("记录人"),
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审核")
        verbose_name_plural = _("审核")
        ordering = ["unit", "-reviewed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="review_returned_gives_reasons",
                condition=~Q(outcome="returned") | ~Q(comments=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_kind_display()} {self.get_outcome_display()}"

    @property
    def approves(self) -> bool:
        return self.outcome in self.APPROVING


class ReviewDocument(models.Model):
    """A document attached to a review: a contract version, the review opinion; PDF or image,
    checked by content when uploaded."""

    class Kind(models.TextChoices):
        CONTRACT = "contract", _("合同文本")
        OPINION = "opinion", _("审核意见书")
        OTHER = "other", _("其他")

    review = models.ForeignKey(
        Review, on_delete=models.PROTECT, related_name="documents", verbose_name=_("审核")
    )
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("文件"), upload_to=kept_path)
    content_type = models.CharField(_("文件类型"), max_length=50)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    title = models.CharField(_("名称"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审核文件")
        verbose_name_plural = _("审核文件")
        ordering = ["review", "pk"]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()


class WorksContract(models.Model):
    """The signed works contract of one elevator (one per site; a new version replaces it)."""

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("工地")
    )
    contractor = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("承包单位")
    )
    signed_on = models.DateField(_("签订日期"))
    amount = models.DecimalField(_("合同金额（元）"), max_digits=12, decimal_places=2)
    file = models.FileField(_("合同文件"), upload_to=kept_path, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=50, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("记录人"),
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("施工合同")
        verbose_name_plural = _("施工合同")
        ordering = ["site", "-signed_on", "-pk"]
        get_latest_by = ["signed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="works_contract_amount_positive", condition=Q(amount__gt=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.contractor} {self.signed_on}"
