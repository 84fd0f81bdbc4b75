"""The forms of the daily inspection and of the issues it opens: phone-sized, every field
checked, uploads checked by content (campaigns.photos.prepare_photo)."""

from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.forms import MultipleFileInput
from campaigns.photos import PhotoError, prepare_photo
from consultations.forms import PillRadioSelect
from core.text import RefuseControlCharacters
from works.inspecting import IssueDraft, Line, Mark, default_deadline, issue_text
from works.models import Check, Issue

PHOTOS_PER_INSPECTION = 9
PHOTOS_PER_CLOSING = 3
EXTRA_ISSUES = 2
DEADLINE_DAYS_LIMIT = 365
SUMMARY_LIMIT = 2000
DESCRIPTION_LIMIT = 1000


class PhotosField(forms.FileField):
    """Up to ``limit`` photos, each checked and re-encoded by prepare_photo()."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def __init__(self, *args, limit: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit = limit

    def clean(self, data, initial=None):
        if isinstance(data, list):
            uploads = [each for each in data if each]
        else:
            uploads = [data] if data else []
        if self.required and not uploads:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(uploads) > self.limit:
            raise forms.ValidationError(_("最多 %(count)s 张照片。") % {"count": self.limit})
        prepared, errors = [], []
        for upload in uploads:
            try:
                prepared.append(prepare_photo(upload))
            except PhotoError as error:
                errors.append(str(error))
        if errors:
            raise forms.ValidationError(errors)
        return prepared


def photos_field(limit: int, *, required: bool = False, label=None) -> PhotosField:
    return PhotosField(
        label=label or _("照片（选填）"),
        required=required,
        limit=limit,
        help_text=_(
            "最多 %(count)s 张，自动缩小并去除拍摄地点等信息；请不要拍到居民的脸。"
            "表单出错时需要重新选择照片。"
        )
        % {"count": limit},
        error_messages={"required": _("请上传整改后的照片。")},
    )


def deadline_field(**kwargs) -> forms.DateField:
    return forms.DateField(
        label=_("整改期限"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("请填写整改期限。"), "invalid": _("日期格式不对。")},
        **kwargs,
    )


def check_deadline(day: date | None, today: date) -> None:
    if day is None:
        return
    if day < today:
        raise forms.ValidationError(_("整改期限不能早于今天。"))
    if day > today + timedelta(days=DEADLINE_DAYS_LIMIT):
        raise forms.ValidationError(_("整改期限最长一年，请检查年份。"))


class InspectionForm(RefuseControlCharacters, forms.Form):
    """One inspection of one site: a result and a note for each line of its checklist (an item
    marked 不符合 opens an issue, prefilled, unless the inspector unticks it; a broken commitment
    always opens one), a summary, photos, and up to EXTRA_ISSUES further issues."""

    summary = forms.CharField(
        label=_("巡查情况"),
        required=False,
        max_length=SUMMARY_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": SUMMARY_LIMIT}),
    )

    def __init__(self, *args, lines: list[Line], parties, today: date, **kwargs):
        self.lines, self.today = lines, today
        parties = list(parties)
        contractor = next((p for p in parties if p.kind == "contractor"), None)
        self.base_fields = dict(self.base_fields)  # this form's own copy
        for line in lines:
            self.base_fields.update(line_fields(line, parties, contractor, today))
        for n in range(1, EXTRA_ISSUES + 1):
            self.base_fields.update(extra_issue_fields(n, parties, contractor, today))
        self.base_fields["photos"] = photos_field(PHOTOS_PER_INSPECTION)
        super().__init__(*args, **kwargs)

    def line_groups(self):
        """(line, its result and note, its issue's fields, whether it is marked broken) for
        the template, in checklist order."""
        for line in self.lines:
            key = line.key
            main = [self[f"{key}-result"], self[f"{key}-note"]]
            issue = [
                self[n]
                for n in self.fields
                if n.startswith(f"{key}-") and n not in (f"{key}-result", f"{key}-note")
            ]
            broken = self[f"{key}-result"].value() == Check.Result.BROKEN
            yield line, main, issue, broken

    def extra_groups(self):
        for n in range(1, EXTRA_ISSUES + 1):
            yield n, [self[name] for name in self.fields if name.startswith(f"issue{n}-")]

    def clean(self):
        data = super().clean()
        for line in self.lines:
            key = line.key
            if data.get(f"{key}-result") != Check.Result.BROKEN:
                continue
            opens = line.commitment is not None or data.get(f"{key}-open_issue")
            if opens:
                self.check_deadline(f"{key}-deadline")
        for n in range(1, EXTRA_ISSUES + 1):
            if data.get(f"issue{n}-description"):
                self.check_deadline(f"issue{n}-deadline")
            elif data.get(f"issue{n}-photo"):
                self.add_error(f"issue{n}-description", _("请写明问题。"))
        return data

    def check_deadline(self, name: str) -> None:
        day = self.cleaned_data.get(name)
        if name in self.errors:
            return
        if day is None:  # left empty: the usual three days
            self.cleaned_data[name] = default_deadline(self.today)
            return
        try:
            check_deadline(day, self.today)
        except forms.ValidationError as error:
            self.add_error(name, error)

    def marks(self) -> list[Mark]:
        data, marks = self.cleaned_data, []
        for line in self.lines:
            key = line.key
            result, note = data[f"{key}-result"], data.get(f"{key}-note", "").strip()
            issue = None
            if result == Check.Result.BROKEN and (
                line.commitment is not None or data.get(f"{key}-open_issue")
            ):
                issue = IssueDraft(
                    issue_text(line, note),
                    data[f"{key}-severity"] or Issue.Severity.MEDIUM,
                    data.get(f"{key}-responsible"),
                    data[f"{key}-deadline"],
                )
            marks.append(Mark(line, result, note, issue))
        return marks

    def issues(self) -> list[IssueDraft]:
        data, drafts = self.cleaned_data, []
        for n in range(1, EXTRA_ISSUES + 1):
            if description := data.get(f"issue{n}-description", "").strip():
                drafts.append(
                    IssueDraft(
                        description,
                        data[f"issue{n}-severity"] or Issue.Severity.LOW,
                        data.get(f"issue{n}-responsible"),
                        data[f"issue{n}-deadline"],
                        photos=data.get(f"issue{n}-photo") or [],
                    )
                )
        return drafts


class PartyField(forms.ChoiceField):
    """One of the site's parties, chosen by id from the list given (no query to draw it)."""

    def __init__(self, *, parties, **kwargs):
        self.by_id = {str(p.pk): p for p in parties}
        choices = [("", _("（未指定）")), *((str(p.pk), p.name) for p in parties)]
        super().__init__(choices=choices, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return self.by_id.get(value) if value else None


def party_field(parties, contractor) -> PartyField:
    return PartyField(
        label=_("责任单位"),
        parties=parties,
        required=False,
        initial=str(contractor.pk) if contractor else "",
        error_messages={"invalid_choice": _("请从列表中选择责任单位。")},
    )


def severity_field(initial: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("严重程度"),
        choices=Issue.Severity.choices,
        initial=initial,
        required=False,
        error_messages={"invalid_choice": _("请选择严重程度。")},
    )


def line_fields(line: Line, parties, contractor, today: date) -> dict:
    key = line.key
    fields = {
        f"{key}-result": forms.ChoiceField(
            label=line.label,
            choices=Check.Result.choices,
            widget=PillRadioSelect,
            error_messages={
                "required": _("请选择“%(item)s”的检查结果。") % {"item": line.label},
                "invalid_choice": _("请选择检查结果。"),
            },
        ),
        f"{key}-note": forms.CharField(
            label=_("说明"),
            required=False,
            max_length=300,
            widget=forms.TextInput(attrs={"maxlength": 300}),
        ),
    }
    if line.commitment is None:
        fields[f"{key}-open_issue"] = forms.BooleanField(
            label=_("不符合时登记整改问题"), required=False, initial=True
        )
    fields[f"{key}-severity"] = severity_field(Issue.Severity.MEDIUM)
    fields[f"{key}-responsible"] = party_field(parties, contractor)
    fields[f"{key}-deadline"] = deadline_field(required=False, initial=default_deadline(today))
    return fields


def extra_issue_fields(n: int, parties, contractor, today: date) -> dict:
    prefix = f"issue{n}"
    return {
        f"{prefix}-description": forms.CharField(
            label=_("问题描述"),
            required=False,
            max_length=DESCRIPTION_LIMIT,
            widget=forms.Textarea(attrs={"rows": 2, "maxlength": DESCRIPTION_LIMIT}),
        ),
        f"{prefix}-severity": severity_field(Issue.Severity.LOW),
        f"{prefix}-responsible": party_field(parties, contractor),
        f"{prefix}-deadline": deadline_field(required=False, initial=default_deadline(today)),
        f"{prefix}-photo": PhotosField(
            label=_("问题照片（选填）"),
            required=False,
            limit=1,
            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        ),
    }


class CloseIssueForm(RefuseControlCharacters, forms.Form):
    """Closing an issue: what was done, and the photo of the site after it."""

    resolution = forms.CharField(
        label=_("整改情况"),
        max_length=DESCRIPTION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": DESCRIPTION_LIMIT}),
        error_messages={"required": _("请写明整改情况。")},
    )
    photos = photos_field(PHOTOS_PER_CLOSING, required=True, label=_("整改后照片"))


class ReopenIssueForm(RefuseControlCharacters, forms.Form):
    reason = forms.CharField(
        label=_("重新打开的原因"),
        max_length=300,
        widget=forms.TextInput(attrs={"maxlength": 300}),
        error_messages={"required": _("请写明重新打开的原因。")},
    )
