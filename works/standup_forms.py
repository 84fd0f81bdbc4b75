"""The daily stand-up's forms: the meeting, its new actions (a small formset), closing an
action carried over."""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.forms import bound_dates
from campaigns.models import Party
from core.text import RefuseControlCharacters
from works.models import ActionItem, StandUp

ACTIONS_PER_STAND_UP = 10


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StandUpForm(RefuseControlCharacters, forms.ModelForm):
    class Meta:
        model = StandUp
        fields = ["held_on", "attendees", "done_yesterday", "plan_today", "blockers"]
        widgets = {
            "held_on": date_input(),
            "attendees": forms.CheckboxSelectMultiple,
            "done_yesterday": forms.Textarea(attrs={"rows": 3}),
            "plan_today": forms.Textarea(attrs={"rows": 3}),
            "blockers": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, campaign, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign, self.today = campaign, today
        self.fields["attendees"].queryset = Party.objects.filter(campaign=campaign)
        self.fields["attendees"].error_messages["invalid_choice"] = _("请只勾选本项目的参建单位。")
        self.fields["held_on"].error_messages["required"] = _("请填写日期。")
        bound_dates(self, "held_on")
        self.fields["held_on"].widget.attrs["max"] = today.isoformat()

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > self.today:
            raise forms.ValidationError(_("碰头会日期不能晚于今天。"))
        if StandUp.objects.filter(campaign=self.campaign, held_on=held_on).exists():
            raise forms.ValidationError(_("这一天的碰头会已经记录过了。"))
        return held_on


class ActionItemForm(RefuseControlCharacters, forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["text", "owner", "due_on"]
        widgets = {"due_on": date_input()}

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Party.objects.filter(campaign=campaign)
        self.fields["owner"].error_messages["invalid_choice"] = _("请选择本项目的参建单位。")
        self.fields["due_on"].error_messages["required"] = _("请填写完成期限。")
        bound_dates(self, "due_on")


ActionFormSet = forms.inlineformset_factory(
    StandUp,
    ActionItem,
    form=ActionItemForm,
    fields=["text", "owner", "due_on"],
    extra=3,
    max_num=ACTIONS_PER_STAND_UP,
    validate_max=True,
    can_delete=False,
)


class CloseActionForm(RefuseControlCharacters, forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["closed_on", "closing_note"]
        widgets = {"closed_on": date_input()}

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["closed_on"].required = True
        self.fields["closed_on"].initial = today
        self.fields["closed_on"].error_messages["required"] = _("请填写完成日期。")
        self.fields["closing_note"].required = True
        self.fields["closing_note"].error_messages["required"] = _("请写一句完成情况。")
        bound_dates(self, "closed_on")
        self.fields["closed_on"].widget.attrs["max"] = today.isoformat()

    def clean_closed_on(self):
        closed_on = self.cleaned_data["closed_on"]
        if closed_on > self.today:
            raise forms.ValidationError(_("完成日期不能晚于今天。"))
        if closed_on < self.instance.stand_up.held_on:
            raise forms.ValidationError(_("完成日期不能早于布置这项工作的碰头会。"))
        return closed_on
