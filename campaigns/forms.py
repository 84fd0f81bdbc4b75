"""Forms for the campaign's public record: residents' questions, and what staff publish."""

import re
from datetime import date

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from campaigns.models import (
    PHOTOS_PER_UPDATE,
    Meeting,
    MeetingDecision,
    Milestone,
    ProgressUpdate,
    Question,
)
from campaigns.photos import PhotoError, prepare_photo
from core.text import RefuseControlCharacters

QUESTION_LIMIT = 1000
ANSWER_LIMIT = 3000
LINK = re.compile(
    r"(https?://|www\.|\b[\w-]+\.(com|cn|net|org|info|top|xyz|cc|vip|io|me|tv|shop|site)\b)",
    re.IGNORECASE,
)
ROOM = re.compile(r"^[\w\-#－—]*$")
# Reverse scheduling counts back from the target date: bounded, so the dates stay real.
LEAD_DAYS_LIMIT = 3650
TARGET_DATES = (date(2000, 1, 1), date(2100, 12, 31))


def within_target_dates(day: date) -> None:
    """A date of the schedule lies where a target opening date may (TARGET_DATES)."""
    first, last = TARGET_DATES
    if not first <= day <= last:
        raise forms.ValidationError(
            _("日期须在 %(first)s 至 %(last)s 之间，请检查年份。")
            % {"first": first.isoformat(), "last": last.isoformat()}
        )


def bound_dates(form: forms.Form, *names: str) -> None:
    """Bound the named date fields of ``form`` to TARGET_DATES, in the field and its picker."""
    for name in names:
        field = form.fields[name]
        field.validators.append(within_target_dates)
        field.widget.attrs.update(min=TARGET_DATES[0].isoformat(), max=TARGET_DATES[1].isoformat())


def refuse_links(text: str) -> str:
    if LINK.search(text):
        raise forms.ValidationError(_("为防止广告，内容中不能包含网址链接，请删除后再提交。"))
    return text


class QuestionForm(RefuseControlCharacters, forms.ModelForm):
    """What a resident asks, without an account. Shown as text wherever it appears."""

    body = forms.CharField(
        label=_("您的问题"),
        max_length=QUESTION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": QUESTION_LIMIT}),
        help_text=_("请不要填写姓名、电话等个人信息。问题经工作人员回复并审核后公开。"),
        error_messages={
            "required": _("请写下您的问题。"),
            "max_length": _(
                "问题最多 %(limit_value)d 字，您写了 %(show_value)d 字，请精简后再提交。"
            ),
        },
    )
    room = forms.CharField(
        label=_("房号（选填）"),
        required=False,
        max_length=20,
        help_text=_("例如 1栋1单元302；只有工作人员能看到。"),
        error_messages={"max_length": _("房号最多 %(limit_value)d 个字。")},
    )

    class Meta:
        model = Question
        fields = ["body", "room"]

    def clean_body(self) -> str:
        return refuse_links(self.cleaned_data["body"].strip())

    def clean_room(self) -> str:
        room = self.cleaned_data["room"].strip()
        if not ROOM.match(room):
            raise forms.ValidationError(_("房号只能包含汉字、字母、数字和“-”。"))
        return room


class AnswerForm(RefuseControlCharacters, forms.Form):
    answer = forms.CharField(
        label=_("回复"),
        max_length=ANSWER_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写回复内容。")},
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to PHOTOS_PER_UPDATE photos, each checked and re-encoded by prepare_photo()."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data, initial=None):
        uploads = [each for each in (data or []) if each] if isinstance(data, list) else []
        if data and not isinstance(data, list):
            uploads = [data]
        if len(uploads) > PHOTOS_PER_UPDATE:
            raise forms.ValidationError(
                _("每条公示最多 %(count)s 张照片。") % {"count": PHOTOS_PER_UPDATE}
            )
        prepared, errors = [], []
        for upload in uploads:
            try:
                prepared.append(prepare_photo(upload))
            except PhotoError as error:
                errors.append(str(error))
        if errors:
            raise forms.ValidationError(errors)
        return prepared


class UpdateForm(RefuseControlCharacters, forms.ModelForm):
    photos = PhotosField(
        label=_("照片（选填）"),
        required=False,
        help_text=_("最多 6 张，自动缩小并去除拍摄地点等信息。表单出错时需要重新选择照片。"),
    )

    class Meta:
        model = ProgressUpdate
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, existing_photos: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_photos = existing_photos

    def clean_photos(self):
        photos = self.cleaned_data["photos"]
        room = PHOTOS_PER_UPDATE - self.existing_photos
        if len(photos) > room:
            raise forms.ValidationError(
                _("这条公示已有 %(have)s 张照片，最多还能添加 %(room)s 张。")
                % {"have": self.existing_photos, "room": room}
            )
        return photos


class MeetingForm(RefuseControlCharacters, forms.ModelForm):
    held_at = forms.DateTimeField(
        label=_("召开时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    publish = forms.BooleanField(label=_("在项目页公开会议决定"), required=False, initial=True)

    class Meta:
        model = Meeting
        fields = ["title", "held_at", "place", "unit", "attendees", "summary"]
        widgets = {
            "attendees": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            self.fields["unit"]
            .queryset.filter(building__campaign=campaign)
            .select_related("building")
        )
        if self.instance.pk:
            self.fields["publish"].initial = self.instance.is_published

    def clean_held_at(self):
        held_at = self.cleaned_data["held_at"]
        if held_at.year < TARGET_DATES[0].year:  # and year 1 could not even be stored in UTC
            raise forms.ValidationError(_("年份不对：请填写 2000 年以后的时间。"))
        return held_at


class DecisionForm(RefuseControlCharacters, forms.ModelForm):
    class Meta:
        model = MeetingDecision
        fields = ["text", "is_commitment", "status"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


DecisionFormSet = forms.inlineformset_factory(
    Meeting,
    MeetingDecision,
    form=DecisionForm,
    extra=3,
    max_num=20,
    can_delete=False,
)


class DecisionStatusForm(RefuseControlCharacters, forms.ModelForm):
    class Meta:
        model = MeetingDecision
        fields = ["status"]


class MilestoneForm(RefuseControlCharacters, forms.ModelForm):
    """Either a number of days before the target opening date, or a planned date."""

    class Meta:
        model = Milestone
        fields = ["title", "lead_days", "planned_on", "done_on", "notes"]
        widgets = {
            "planned_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "done_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.instance.campaign = campaign
        self.fields["planned_on"].required = False
        self.fields["lead_days"].widget.attrs["max"] = LEAD_DAYS_LIMIT
        self.fields["lead_days"].validators.append(MaxValueValidator(LEAD_DAYS_LIMIT))
        bound_dates(self, "planned_on", "done_on")

    def clean(self):
        data = super().clean()
        lead_days, planned = data.get("lead_days"), data.get("planned_on")
        target = self.campaign.target_open_date
        title = data.get("title")
        others = Milestone.objects.filter(campaign=self.campaign).exclude(pk=self.instance.pk)
        if title and others.filter(title=title).exists():
            self.add_error("title", _("已经有同名的节点了。"))
        if lead_days is not None and target is None:
            self.add_error(
                "lead_days", _("项目还没有设定目标启用日期，请先设定，或直接填写计划日期。")
            )
        elif lead_days is None and planned is None:
            self.add_error("planned_on", _("请填写计划日期，或填写启用前天数。"))
        return data

    def save(self, commit=True):
        self.instance.schedule_from(self.campaign.target_open_date)
        return super().save(commit)


class MilestoneReachedForm(forms.ModelForm):
    """What a grid worker may change on a milestone: the day it was reached. Its title, plan
    and notes are the secretary's (MilestoneForm)."""

    class Meta:
        model = Milestone
        fields = ["done_on"]
        widgets = {"done_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        bound_dates(self, "done_on")


class TargetDateForm(RefuseControlCharacters, forms.Form):
    target_open_date = forms.DateField(
        label=_("目标启用日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("请填写目标启用日期。")},
        validators=[within_target_dates],
    )
