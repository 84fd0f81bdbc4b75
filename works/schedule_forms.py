"""The schedule's forms: starting a site's schedule, a step's plan and responsible party, the
dates a step really started and finished."""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.forms import bound_dates
from campaigns.models import Elevator, Party
from core.text import RefuseControlCharacters
from works import schedule
from works.models import ScheduleStep

DATE = {"type": "date"}
MARK_PROBLEMS = {
    "future": _("实际日期不能晚于今天。"),
    "end_without_start": _("请先填写实际开始日期。"),
    "end_before_start": _("实际完成日期不能早于实际开始日期。"),
}


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs=DATE, format="%Y-%m-%d")


class StartScheduleForm(forms.Form):
    """An elevator of the campaign without a schedule, and its target opening date."""

    elevator = forms.ModelChoiceField(
        label=_("电梯"),
        queryset=Elevator.objects.none(),
        error_messages={
            "required": _("请选择电梯。"),
            "invalid_choice": _("请选择本项目中尚未排期的电梯。"),
        },
    )
    target_open_date = forms.DateField(
        label=_("目标开通日期"),
        widget=date_input(),
        error_messages={"required": _("请填写目标开通日期。")},
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        elevators = Elevator.objects.filter(unit__building__campaign=campaign)
        elevators = elevators.exclude(site__steps__isnull=False).select_related("unit__building")
        self.fields["elevator"].queryset = elevators.order_by(
            "unit__building__sort_order", "unit__building__name", "unit__name", "pk"
        )
        self.fields["elevator"].label_from_instance = lambda e: str(e.unit)
        bound_dates(self, "target_open_date")


class StepForm(RefuseControlCharacters, forms.ModelForm):
    """What the secretary plans for a step: its dates, who answers for it, a note."""

    class Meta:
        model = ScheduleStep
        fields = ["planned_start", "planned_end", "responsible", "note"]
        widgets = {"planned_start": date_input(), "planned_end": date_input()}

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = Party.objects.filter(campaign=campaign)
        self.fields["responsible"].error_messages["invalid_choice"] = _("请选择本项目的参建单位。")
        bound_dates(self, "planned_start", "planned_end")

    def clean(self):
        data = super().clean()
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", _("计划完成日期不能早于计划开始日期。"))
        return data


class MarkForm(forms.Form):
    """When the step really started and finished (blank: not yet)."""

    actual_start = forms.DateField(label=_("实际开始"), required=False, widget=date_input())
    actual_end = forms.DateField(label=_("实际完成"), required=False, widget=date_input())

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        bound_dates(self, "actual_start", "actual_end")
        for name in ("actual_start", "actual_end"):
            self.fields[name].widget.attrs["max"] = today.isoformat()

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        problem = schedule.mark_problem(
            data.get("actual_start"), data.get("actual_end"), self.today
        )
        if problem:
            start = data.get("actual_start")
            late_start = problem == "future" and start is not None and start > self.today
            self.add_error("actual_start" if late_start else "actual_end", MARK_PROBLEMS[problem])
        return data
