"""The forms of acceptance, handover and after-sales: what staff record per elevator, the
resident's fault report, and the maintenance company's answer."""

import re
import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.forms import ROOM, refuse_links
from campaigns.models import Party, PartyKind
from core.text import RefuseControlCharacters
from works.models import AcceptanceInspection

FAULT_LIMIT = 1000
NOTE_LIMIT = 1000
# A switchboard or hotline: digits, with the separators people write; an extension after 转.
PHONE = re.compile(r"^[0-9０-９(（][0-9０-９ \-()（）转]{2,28}$")
# A mainland mobile number is a person's: it never goes on the public page.
MOBILE = re.compile(r"^(?:86)?1[3-9]\d{9}$")


def date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("请填写日期。"),
            "invalid": _("请按 2026-05-01 的格式填写日期。"),
        },
    )


class InspectionForm(RefuseControlCharacters, forms.Form):
    result = forms.ChoiceField(
        label=_("检验结论"),
        choices=AcceptanceInspection.Result.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择检验结论。")},
    )
    inspected_on = date_field(_("检验日期"))
    inspecting_body = forms.CharField(
        label=_("检验机构"), max_length=200, help_text=_("例如：市特种设备检验检测研究院")
    )
    report_number = forms.CharField(label=_("报告编号"), max_length=100)
    report = forms.FileField(
        label=_("检验报告"),
        help_text=_("PDF 扫描件或照片"),
        error_messages={"required": _("请上传检验报告。")},
    )
    corrects = forms.BooleanField(
        label=_("这是对上一条检验记录的更正"),
        required=False,
        help_text=_("不勾选表示又做了一次检验（例如上次不合格后复检）。"),
    )


class RegistrationForm(RefuseControlCharacters, forms.Form):
    certificate_number = forms.CharField(label=_("使用登记证编号"), max_length=100)
    registered_on = date_field(_("登记日期"))


class OpeningForm(forms.Form):
    opened_on = date_field(_("开通日期"))


class HandoverForm(RefuseControlCharacters, forms.Form):
    maintainer = forms.ModelChoiceField(
        label=_("维保单位"),
        queryset=Party.objects.none(),
        error_messages={
            "required": _("请选择维保单位。"),
            "invalid_choice": _("请选择列表中的维保单位。"),
        },
    )
    contract_start = date_field(_("维保合同开始"))
    contract_end = date_field(_("维保合同结束"))
    emergency_phone = forms.CharField(
        label=_("应急救援电话"),
        max_length=30,
        help_text=_("维保单位的 24 小时应急电话，会公开在项目页上；不要填写个人手机号。"),
    )
    warranty_end = date_field(_("质保期至"))

    def __init__(self, *args, campaign, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["maintainer"].queryset = Party.objects.filter(
            campaign=campaign, kind=PartyKind.MAINTAINER
        )

    def clean_emergency_phone(self) -> str:
        phone = self.cleaned_data["emergency_phone"].strip()
        if not PHONE.match(phone):
            raise forms.ValidationError(_("请填写电话号码，例如 027-84001234 或 400-800-1234。"))
        if MOBILE.match(re.sub(r"\D", "", unicodedata.normalize("NFKC", phone))):
            raise forms.ValidationError(
                _(
                    "这个号码会公开，请填写维保单位的座机或热线（如 96333、400 电话），不要填写个人手机号。"
                )
            )
        return phone

    def clean(self):
        data = super().clean()
        start, end = data.get("contract_start"), data.get("contract_end")
        if start and end and end < start:
            self.add_error("contract_end", _("结束日期不能早于开始日期。"))
        return data


class FaultForm(RefuseControlCharacters, forms.Form):
    """What a resident reports, without an account."""

    site = forms.ChoiceField(
        label=_("哪部电梯"),
        error_messages={
            "required": _("请选择出故障的电梯。"),
            "invalid_choice": _("请选择列表中的电梯。"),
        },
    )
    body = forms.CharField(
        label=_("发生了什么"),
        max_length=FAULT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": FAULT_LIMIT}),
        help_text=_("例如：停在 5 楼不动、门关不上、有异响。请不要填写姓名、电话等个人信息。"),
        error_messages={
            "required": _("请写下电梯出了什么问题。"),
            "max_length": _("最多 %(limit_value)d 字，您写了 %(show_value)d 字，请精简后再提交。"),
        },
    )
    room = forms.CharField(
        label=_("房号（选填）"),
        required=False,
        max_length=20,
        help_text=_("方便维保单位上门了解情况；只有维保单位和工作人员能看到。"),
        error_messages={"max_length": _("房号最多 %(limit_value)d 个字。")},
    )

    def __init__(self, *args, sites, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sites = {str(site.pk): site for site in sites}
        choices = [(pk, str(site.elevator.unit)) for pk, site in self.sites.items()]
        self.fields["site"].choices = [("", _("请选择")), *choices]

    def clean_site(self):
        return self.sites[self.cleaned_data["site"]]

    def clean_body(self) -> str:
        return refuse_links(self.cleaned_data["body"].strip())

    def clean_room(self) -> str:
        room = self.cleaned_data["room"].strip()
        if not ROOM.match(room):
            raise forms.ValidationError(_("房号只能包含汉字、字母、数字和“-”。"))
        return room


class NoteForm(RefuseControlCharacters, forms.Form):
    note = forms.CharField(
        label=_("说明"),
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_LIMIT}),
        error_messages={"required": _("请写一句说明。")},
    )
