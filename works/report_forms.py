"""The forms of the residents' side of the works: a resident reports a problem; staff turn a
report into an issue or decline it, choose the photos the public sees, and post the notice of
working hours."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.forms import bound_dates, refuse_links
from campaigns.models import Party
from campaigns.photos import PhotoError, prepare_photo
from core.text import RefuseControlCharacters
from works.models import Issue, Site

REPORT_LIMIT = 1000
REASON_LIMIT = 300


def site_choice_label(site: Site) -> str:
    unit = site.elevator.unit
    return f"{unit.building.name}{unit.name}"


class SiteChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return site_choice_label(obj)


class ReportForm(RefuseControlCharacters, forms.Form):
    """A problem on site, reported by a resident without an account. Nothing of it is shown
    publicly; staff read it with names and numbers hidden."""

    site = SiteChoiceField(
        label=_("哪个单元的工地（选填）"),
        queryset=Site.objects.none(),
        required=False,
        empty_label=_("不确定 / 其他"),
    )
    body = forms.CharField(
        label=_("发生了什么"),
        max_length=REPORT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": REPORT_LIMIT}),
        help_text=_(
            "例如：中午还在施工、围挡倒了、材料堆在草坪上。请写清地点和时间，不要写姓名、电话。"
        ),
        error_messages={
            "required": _("请写下您看到的问题。"),
            "max_length": _("最多 %(limit_value)d 字，您写了 %(show_value)d 字，请精简后再提交。"),
        },
    )
    photo = forms.FileField(
        label=_("照片（选填）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("一张现场照片，请不要拍到人脸。表单出错时需要重新选择照片。"),
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(
            elevator__unit__building__campaign=campaign
        ).select_related("elevator__unit__building")

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("请写下您看到的问题。"))
        return refuse_links(body)

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        try:
            return prepare_photo(upload)
        except PhotoError as error:
            raise forms.ValidationError(str(error)) from None


class AcceptReportForm(RefuseControlCharacters, forms.Form):
    """What the issue made of a report says: staff's own words, for the responsible party."""

    site = SiteChoiceField(label=_("工地"), queryset=Site.objects.none())
    description = forms.CharField(
        label=_("问题（转给责任单位的文字）"),
        max_length=REPORT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请写明要整改的问题。")},
    )
    severity = forms.ChoiceField(
        label=_("严重程度"), choices=Issue.Severity.choices, initial=Issue.Severity.LOW
    )
    responsible = forms.ModelChoiceField(
        label=_("责任单位"), queryset=Party.objects.none(), required=False
    )
    deadline = forms.DateField(
        label=_("整改期限"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("请填写整改期限。"), "invalid": _("请填写有效的日期。")},
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(
            elevator__unit__building__campaign=campaign
        ).select_related("elevator__unit__building")
        self.fields["responsible"].queryset = Party.objects.filter(campaign=campaign)
        self.fields["deadline"].initial = timezone.localdate() + timedelta(days=3)
        bound_dates(self, "deadline")

    def clean_description(self) -> str:
        text = self.cleaned_data["description"].strip()
        if not text:
            raise forms.ValidationError(_("请写明要整改的问题。"))
        return text

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("整改期限不能早于今天。"))
        return deadline


class DeclineReportForm(RefuseControlCharacters, forms.Form):
    reason = forms.CharField(
        label=_("不予处理的理由"),
        max_length=REASON_LIMIT,
        error_messages={
            "required": _("请写明不予处理的理由。"),
            "max_length": _("理由最多 %(limit_value)d 字。"),
        },
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("请写明不予处理的理由。"))
        return reason


class NoiseNoticeForm(RefuseControlCharacters, forms.ModelForm):
    class Meta:
        model = Site
        fields = ["noise_notice"]
