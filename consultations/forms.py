"""Forms a worker fills in at the door. Every error says what to fix; nothing typed is lost."""

import uuid
from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.models import Concern, Consent, Decision, Visit
from consultations.signing import SignatureError, scan_from_upload, signature_from_data_url
from core.text import RefuseControlCharacters
from households.models import OwnerTrace, TraceAttempt

NOTE_LIMIT = 5000
CLOCK_SKEW = timedelta(minutes=5)
EARLIEST_YEAR = 2000


class PillRadioSelect(forms.RadioSelect):
    """Radio buttons drawn as large tap targets."""

    template_name = "consultations/widgets/pills.html"
    option_template_name = "django/forms/widgets/radio_option.html"


class PillCheckboxSelect(forms.CheckboxSelectMultiple):
    template_name = "consultations/widgets/pills.html"
    option_template_name = "django/forms/widgets/checkbox_option.html"


class SignaturePad(forms.Widget):
    """A pad to sign on: static/js/signature.js puts the drawing into the hidden input as a PNG
    data URL. Like the pills, a fieldset whose legend is the field's label."""

    template_name = "consultations/widgets/signature_pad.html"
    use_fieldset = True


class VisitForm(RefuseControlCharacters, forms.ModelForm):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    visited_at = forms.DateTimeField(
        label=_("走访时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    concerns = forms.MultipleChoiceField(
        label=_("顾虑（可多选）"),
        choices=Concern.choices,
        required=False,
        widget=PillCheckboxSelect,
    )
    notes = forms.CharField(
        label=_("记录"),
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_LIMIT}),
    )
    next_step_on = forms.DateField(
        label=_("下一步日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        model = Visit
        fields = ["channel", "reached", "attitude", "notes", "next_step", "next_step_on"]
        widgets = {
            "channel": PillRadioSelect,
            "reached": PillRadioSelect,
            "attitude": PillRadioSelect,
            "next_step": forms.TextInput(attrs={"placeholder": _("例如：周末再来，带上分摊明细")}),
        }

    field_order = [
        "channel",
        "reached",
        "attitude",
        "concerns",
        "notes",
        "next_step",
        "next_step_on",
        "visited_at",
        "idempotency_key",
    ]

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        # Pills offer the real choices only: no "---------".
        self.fields["channel"].choices = Visit.Channel.choices
        self.fields["reached"].choices = Visit.Reached.choices
        self.fields["attitude"].choices = Visit.Attitude.choices
        self.fields["attitude"].required = False
        if self.instance.pk:
            self.fields["idempotency_key"].required = False
            self.initial.setdefault("concerns", self.instance.concern_values)
            self.initial.setdefault(
                "visited_at", timezone.localtime(self.instance.visited_at).replace(tzinfo=None)
            )
        else:
            self.initial.setdefault("idempotency_key", uuid.uuid4())
            self.initial.setdefault(
                "visited_at", timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)
            )
            self.initial.setdefault("channel", Visit.Channel.DOOR)
            self.initial.setdefault("reached", Visit.Reached.OWNER)

    def clean_visited_at(self):
        visited_at = self.cleaned_data["visited_at"]
        if visited_at > timezone.now() + CLOCK_SKEW:
            raise forms.ValidationError(_("走访时间不能晚于现在。"))
        if visited_at.year < EARLIEST_YEAR:  # and year 1 could not even be stored in UTC
            raise forms.ValidationError(_("年份不对：请填写 2000 年以后的时间。"))
        return visited_at

    def clean_next_step_on(self):
        next_step_on = self.cleaned_data["next_step_on"]
        if next_step_on and next_step_on < timezone.localdate():
            raise forms.ValidationError(_("下一步日期不能早于今天。"))
        return next_step_on

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reached") == Visit.Reached.NOBODY and cleaned.get("attitude"):
            self.add_error("attitude", _("无人在家时无法记录态度，请不要选择态度。"))
        return cleaned

    def visit_fields(self) -> dict:
        """What ``Visit.objects.record`` takes for a new visit, from the cleaned form."""
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        return {
            **fields,
            "visited_at": self.cleaned_data["visited_at"],
            "idempotency_key": self.cleaned_data["idempotency_key"],
            "concerns": self.cleaned_data.get("concerns") or [],
        }

    def corrected_fields(self) -> dict:
        """What ``visit.correct`` takes: the same, but a visit keeps its submission key."""
        fields = self.visit_fields()
        del fields["idempotency_key"]
        return fields


class TraceAttemptForm(RefuseControlCharacters, forms.ModelForm):
    class Meta:
        model = TraceAttempt
        fields = ["method", "result", "note"]
        widgets = {"method": PillRadioSelect, "result": PillRadioSelect}

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["result"].choices = OwnerTrace.choices
        self.fields["method"].choices = TraceAttempt.Method.choices


class ConsentForm(RefuseControlCharacters, forms.Form):
    """One household's signed answer: on the tablet's pad or as a scanned paper form."""

    decision = forms.ChoiceField(
        label=_("业主意见"), choices=Decision.choices, widget=PillRadioSelect
    )
    signer_name = forms.CharField(
        label=_("签字人姓名（按业主本人书写）"),
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("请填写签字人姓名。")},
    )
    method = forms.ChoiceField(
        label=_("签字方式"),
        choices=Consent.Method.choices,
        initial=Consent.Method.TABLET,
        widget=PillRadioSelect,
    )
    signature = forms.CharField(
        label=_("业主签名（在框内书写）"), required=False, widget=SignaturePad
    )
    scan = forms.FileField(
        label=_("纸质签字表扫描件（JPEG、PNG 或 PDF，10 MB 以内）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )
    expected_current = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_signer_name(self) -> str:
        name = self.cleaned_data["signer_name"].strip()
        if not name:
            raise forms.ValidationError(_("请填写签字人姓名。"))
        return name

    def clean(self):
        cleaned = super().clean()
        method = cleaned.get("method")
        try:
            if method == Consent.Method.TABLET:
                cleaned["signature_bytes"] = signature_from_data_url(cleaned.get("signature", ""))
                cleaned["signature_type"] = "image/png"
            elif method == Consent.Method.PAPER:
                if not cleaned.get("scan"):
                    raise SignatureError(_("请上传纸质签字表的扫描件。"))
                cleaned["signature_bytes"], cleaned["signature_type"] = scan_from_upload(
                    cleaned["scan"]
                )
        except SignatureError as error:
            self.add_error("signature" if method == Consent.Method.TABLET else "scan", str(error))
        return cleaned


class ErasureForm(RefuseControlCharacters, forms.Form):
    """Erasing a household's personal data cannot be undone: the room is typed to confirm."""

    room = forms.CharField(label=_("请输入房号确认"), max_length=10)
    reason = forms.CharField(
        label=_("申请原因"),
        max_length=150,
        help_text=_("例如：房屋已出售，原业主申请删除个人信息。"),
    )

    def __init__(self, household, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.household = household

    def clean_room(self) -> str:
        room = self.cleaned_data["room"].strip()
        if room != self.household.room:
            raise forms.ValidationError(
                _("房号不符，请输入本户的房号 %(room)s。"), params={"room": self.household.room}
            )
        return room
