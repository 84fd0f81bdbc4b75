"""Forms a worker fills in at the door. Every error says what to fix; nothing typed is lost."""

import re
import uuid
from datetime import timedelta

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.models import Concern, Consent, Decision, Visit
from consultations.models.consents import Capacity
from consultations.signing import SignatureError, scan_from_upload, signature_from_data_url
from core.text import RefuseControlCharacters
from households.models import Household, OwnerTrace, TraceAttempt, Urgency

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
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "enterkeyhint": "next"}, format="%Y-%m-%dT%H:%M"
        ),
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
        widget=forms.DateInput(attrs={"type": "date", "enterkeyhint": "next"}, format="%Y-%m-%d"),
    )

    class Meta:
        model = Visit
        fields = ["channel", "reached", "attitude", "notes", "next_step", "next_step_on"]
        widgets = {
            "channel": PillRadioSelect,
            "reached": PillRadioSelect,
            "attitude": PillRadioSelect,
            "next_step": forms.TextInput(
                attrs={"placeholder": _("例如：周末再来，带上分摊明细"), "enterkeyhint": "next"}
            ),
        }
        error_messages = {
            "reached": {"required": _("请选择接触对象：见到的是谁，或无人在家。")},
        }

    field_order = [
        "channel",
        "reached",
        "owner_confirmed",
        "attitude",
        "concerns",
        "notes",
        "next_step",
        "next_step_on",
        "visited_at",
        "idempotency_key",
    ]

    def __init__(self, *args, household=None, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if self.asks_owner_confirmation(household):
            self.fields["owner_confirmed"] = forms.BooleanField(
                label=_("我确认见到的就是产权人本人"), required=False
            )
            self.order_fields(self.field_order)
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
            # 接触对象 is not pre-selected: a default "产权人" was saved unread at many doors.

    def asks_owner_confirmation(self, household) -> bool:
        """Whether this post says it reached an owner the records say lives elsewhere and has
        not been reached: then the worker confirms it (a tenant is often taken for one)."""
        return (
            household is not None
            and self.is_bound
            and self.data.get("reached") == Visit.Reached.OWNER
            and household.owner_lives_elsewhere
            and household.owner_trace != OwnerTrace.REACHED
        )

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
        if cleaned.get("reached") == Visit.Reached.NOBODY:
            cleaned["attitude"] = ""  # nobody said anything: a stray tap is not an attitude
        if "owner_confirmed" in self.fields and not cleaned.get("owner_confirmed"):
            self.add_error(
                "owner_confirmed",
                _(
                    "记录显示这户的产权人住在别处，还没有联系上。如果见到的确实是产权人本人，"
                    "请勾选确认；否则请选择实际接触的人（家属或租户）。"
                ),
            )
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


class NeedsForm(RefuseControlCharacters, forms.ModelForm):
    """What a worker or lead hears at the door about a household's needs. Drawn on the
    household page and, with the prefix ``needs``, folded into the visit form; ``present``
    says the fold was in the post (a post without it leaves the needs as they are)."""

    PREFIX = "needs"
    present = forms.BooleanField(widget=forms.HiddenInput, initial=True, required=False)

    class Meta:
        model = Household
        fields = [
            "elderly",
            "mobility_impaired",
            "lives_alone",
            "needs_outage_help",
            "urgency",
            "needs_note",
        ]
        widgets = {
            "urgency": PillRadioSelect,
            "needs_note": forms.Textarea(attrs={"rows": 2, "maxlength": NOTE_LIMIT}),
        }

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["urgency"].choices = [("", _("尚未了解")), *Urgency.choices]
        self.fields["needs_note"].label = _("需求备注")
        self.fields["needs_note"].validators.append(MaxLengthValidator(NOTE_LIMIT))

    @classmethod
    def posted(cls, data, household: Household) -> "NeedsForm | None":
        """The needs fold of a posted visit form, or None when the post carried none."""
        if not data.get(f"{cls.PREFIX}-present"):
            return None
        return cls(data, instance=household, prefix=cls.PREFIX)

    def save_needs(self) -> bool:
        """Save the needs only (never the household's other columns, which a visit or a
        signature may have changed since the page was read); whether anything changed."""
        changed = [name for name in self.changed_data if name in self._meta.fields]
        if changed:
            self.instance.save(update_fields=changed)
        return bool(changed)


class TraceAttemptForm(RefuseControlCharacters, forms.ModelForm):
    # Hidden: a post sent again (a tablet replaying what it saved offline) carries the same
    # key, and the time the attempt was made on the device (now when left out).
    idempotency_key = forms.UUIDField(required=False, widget=forms.HiddenInput)
    attempted_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = TraceAttempt
        fields = ["method", "result", "note"]
        widgets = {"method": PillRadioSelect, "result": PillRadioSelect}

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["result"].choices = OwnerTrace.choices
        self.fields["method"].choices = TraceAttempt.Method.choices
        self.initial.setdefault("idempotency_key", uuid.uuid4())

    def clean_attempted_at(self):
        attempted_at = self.cleaned_data["attempted_at"]
        if attempted_at and attempted_at > timezone.now() + CLOCK_SKEW:
            raise forms.ValidationError(_("时间不能晚于现在。"))
        if attempted_at and attempted_at.year < EARLIEST_YEAR:
            raise forms.ValidationError(_("年份不对：请填写 2000 年以后的时间。"))
        return attempted_at

    def trace_fields(self) -> dict:
        """What ``household.record_trace`` takes."""
        data = self.cleaned_data
        return {
            "method": data["method"],
            "result": data["result"],
            "note": data["note"],
            "at": data["attempted_at"],
            "key": data["idempotency_key"],
        }


class ConsentForm(RefuseControlCharacters, forms.Form):
    """One household's signed answer, one decision per matter of the published proposal, on
    the tablet's pad or as a scanned paper form. The signer is one of the flat's registered
    owners, chosen from the list, or an agent for one of them who shows a power of attorney
    (授权委托书): there is no free-text signer, so a tenant cannot sign.

    ``owners`` are the flat's owner entries; ``also_for`` says, by owner id, which other flats of
    the unit that owner signs for at once (a multi-flat owner signs once); ``ballot`` is the
    proposal's matters. The decision fields are ``decision_<number>``."""

    capacity = forms.ChoiceField(
        label=_("签字人身份"),
        choices=Capacity.choices,
        initial=Capacity.OWNER,
        widget=PillRadioSelect,
        error_messages={"required": _("请选择签字人身份。")},
    )
    signer_owner = forms.ChoiceField(
        label=_("产权人（本人签字，或委托代理人签字）"),
        widget=PillRadioSelect,
        error_messages={
            "required": _("请选择签字的产权人（由代理人签字时，选择委托人）。"),
            "invalid_choice": _("请从本户登记的产权人中选择。"),
        },
    )
    agent_name = forms.CharField(
        label=_("代理人姓名"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    agent_id_tail = forms.CharField(
        label=_("代理人身份证号后4位"),
        required=False,
        max_length=4,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "size": 6}),
    )
    attorney_letter = forms.FileField(
        label=_("授权委托书扫描件（JPEG、PNG 或 PDF，10 MB 以内）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )
    method = forms.ChoiceField(
        label=_("签字方式"),
        choices=Consent.Method.choices,
        initial=Consent.Method.PAPER,  # signature.js offers the pad first once it can work
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
    expected_others = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def __init__(self, *args, owners, ballot, also_for=None, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.owners = {str(owner.pk): owner for owner in owners}
        also_for = also_for or {}
        self.fields["signer_owner"].choices = [
            (key, owner_label(owner, also_for.get(owner.pk, "")))
            for key, owner in self.owners.items()
        ]
        if len(self.owners) == 1:
            self.initial.setdefault("signer_owner", next(iter(self.owners)))
        self.ballot = list(ballot)
        decisions = {}
        for matter in self.ballot:
            decisions[decision_field(matter.number)] = forms.ChoiceField(
                label=matter_label(matter, len(self.ballot)),
                help_text=matter.get_item_display() if len(self.ballot) > 1 else "",
                choices=Decision.choices,
                widget=PillRadioSelect,
                error_messages={"required": _("请选择业主对这一事项的意见。")},
            )
        self.fields = {**decisions, **self.fields}

    def decision_fields(self) -> list:
        """The bound decision fields, one per matter, in the ballot's order."""
        return [self[decision_field(matter.number)] for matter in self.ballot]

    def clean_expected_others(self) -> dict[int, int | None]:
        text = self.cleaned_data["expected_others"].strip()
        if not text:
            return {}
        if not EXPECTED_OTHERS.fullmatch(text):
            raise forms.ValidationError(STALE_PAGE)
        pairs = (pair.split(":") for pair in text.split(","))
        return {int(flat): int(consent) if consent else None for flat, consent in pairs}

    def clean(self):
        cleaned = super().clean()
        for name in ("expected_current", "expected_others"):
            if name in self.errors:  # a hidden field: say it where it shows
                self.add_error(None, STALE_PAGE)
                break
        answers = {
            str(matter.number): cleaned[decision_field(matter.number)]
            for matter in self.ballot
            if cleaned.get(decision_field(matter.number))
        }
        if len(answers) == len(self.ballot):
            cleaned["answers"] = answers
        owner = self.owners.get(cleaned.get("signer_owner", ""))
        if owner is not None:
            cleaned["owner"] = owner
        if cleaned.get("capacity") == Capacity.AGENT:
            self.check_agent(cleaned)
        elif owner is not None:
            cleaned["signer_name"] = owner.name
        self.check_signature(cleaned)
        return cleaned

    def check_agent(self, cleaned: dict) -> None:
        """An agent signs with their name, the last four characters of their ID number and a
        scan of the power of attorney, checked by its content like a paper form."""
        name = (cleaned.get("agent_name") or "").strip()
        if name:
            cleaned["signer_name"] = name
        elif "agent_name" not in self.errors:
            self.add_error("agent_name", _("请填写代理人姓名。"))
        tail = (cleaned.get("agent_id_tail") or "").strip().upper()
        if ID_TAIL.fullmatch(tail):
            cleaned["agent_id_tail"] = tail
        elif "agent_id_tail" not in self.errors:
            self.add_error(
                "agent_id_tail", _("请填写代理人身份证号的后4位（数字，最后一位可以是 X）。")
            )
        if not cleaned.get("attorney_letter"):
            if "attorney_letter" not in self.errors:
                self.add_error("attorney_letter", _("请上传授权委托书的扫描件。"))
            return
        try:
            letter, kind = scan_from_upload(cleaned["attorney_letter"])
        except SignatureError as error:
            self.add_error("attorney_letter", str(error))
        else:
            cleaned["attorney_letter_bytes"], cleaned["attorney_letter_type"] = letter, kind

    def check_signature(self, cleaned: dict) -> None:
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

    def consent_fields(self) -> dict:
        """What ``record_consent`` takes from the cleaned form (besides the household, the
        proposal, the witness and the time)."""
        cleaned = self.cleaned_data
        agent = cleaned["capacity"] == Capacity.AGENT
        return {
            "expected_current": cleaned["expected_current"],
            "expected_others": cleaned["expected_others"],
            "answers": cleaned["answers"],
            "signer_capacity": cleaned["capacity"],
            "signer_owner": cleaned["owner"],
            "signer_name": cleaned["signer_name"],
            "agent_id_tail": cleaned["agent_id_tail"] if agent else "",
            "attorney_letter": cleaned["attorney_letter_bytes"] if agent else b"",
            "attorney_letter_type": cleaned["attorney_letter_type"] if agent else "",
            "method": cleaned["method"],
            "signature": cleaned["signature_bytes"],
            "signature_type": cleaned["signature_type"],
        }


EXPECTED_OTHERS = re.compile(r"[0-9]{1,18}:[0-9]{0,18}(,[0-9]{1,18}:[0-9]{0,18}){0,200}")
ID_TAIL = re.compile(r"[0-9]{3}[0-9X]")
STALE_PAGE = _("签字页面已过期，请刷新页面后重新签字。")


def decision_field(number: int) -> str:
    return f"decision_{number}"


def matter_label(matter, matters: int) -> str:
    """A single matter is asked as before (业主意见); several are numbered with their titles."""
    if matters == 1:
        return _("业主意见")
    return _("第 %(number)s 项：%(title)s") % {"number": matter.number, "title": matter.title}


def owner_label(owner, also_for: str) -> str:
    """How the worker at the door tells the owners apart: the full name as the household page
    shows it, a co-owner marked, and the other flats the same person signs for at once."""
    label = owner.name
    if not owner.is_primary:
        label += str(_("（共有人）"))
    if also_for:
        label += str(_("（同时为 %(flats)s 签字）") % {"flats": also_for})
    return label


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
