"""The organisations a campaign works with: the elevator company, the construction contractor,
the property manager (物业), the lawyer, the sub-district office and the maintenance company.
Each may have a contact; some of their people log in (campaigns.models.roles.Role)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.models.places import Campaign
from core.text import refuse_control_characters


class PartyKind(models.TextChoices):
    ELEVATOR_COMPANY = "elevator_company", _("电梯公司")
    CONTRACTOR = "contractor", _("施工单位")
    PROPERTY_MANAGER = "property_manager", _("物业")
    LAWYER = "lawyer", _("律师事务所")
    SUBDISTRICT = "subdistrict", _("街道办")
    MAINTAINER = "maintainer", _("维保单位")
    OTHER = "other", _("其他")


class Party(models.Model):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="parties", verbose_name=_("项目")
    )
    kind = models.CharField(_("类别"), max_length=20, choices=PartyKind.choices)
    name = models.CharField(_("单位名称"), max_length=200, validators=[refuse_control_characters])
    contact_name = models.CharField(
        _("联系人"), max_length=100, blank=True, validators=[refuse_control_characters]
    )
    contact_phone = models.CharField(
        _("联系电话"), max_length=30, blank=True, validators=[refuse_control_characters]
    )
    notes = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("参建单位")
        verbose_name_plural = _("参建单位")
        ordering = ["campaign", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="party_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name
