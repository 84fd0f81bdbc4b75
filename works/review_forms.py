"""Forms of the review pages: the campaign's parties and their logins, a review with its
documents, the works contract. Uploads are checked by content (works.review.keep_document);
a refused file keeps every typed field on the page."""

from datetime import date
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Elevator, Party, PartyKind, Role
from core.text import RefuseControlCharacters, without_control_characters
from works.models import Review, ReviewDocument, WorksContract
from works.review import ACCOUNT_ROLES, keep_document

EARLIEST = date(2000, 1, 1)


def not_in_future(day: date) -> None:
    if day > timezone.localdate():
        raise forms.ValidationError(_("日期不能晚于今天。"))
    if day < EARLIEST:
        raise forms.ValidationError(_("日期不能早于 2000 年，请检查年份。"))


class PartyForm(RefuseControlCharacters, forms.ModelForm):
    """A party of the campaign, and the elevators whose works it takes part in."""

    elevators = forms.ModelMultipleChoiceField(
        label=_("参与的电梯工地"),
        queryset=Elevator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Party
        fields = ["kind", "name", "contact_name", "contact_phone", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.instance.campaign = campaign
        self.fields["elevators"].queryset = Elevator.objects.filter(
            unit__building__campaign=campaign
        ).select_related("unit__building")
        self.fields["elevators"].label_from_instance = lambda elevator: str(elevator.unit)
        if self.instance.pk:
            self.fields["elevators"].initial = list(
                self.instance.sites.values_list("elevator", flat=True)
            )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        others = Party.objects.filter(campaign=self.campaign, name=name)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("本项目已有同名的单位。"))
        return name


class AccountForm(RefuseControlCharacters, forms.Form):
    """A login for a party's person: the secretary gives it a role, and a party for the
    contractor's and the maintainer's people."""

    username = forms.CharField(
        label=_("登录名"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("字母、数字或 @ . + - _，例如 lawyer-wang"),
    )
    name = forms.CharField(label=_("姓名"), max_length=150)
    role = forms.ChoiceField(
        label=_("角色"), choices=[(r.value, r.label) for r in map(Role, ACCOUNT_ROLES)]
    )
    party = forms.ModelChoiceField(
        label=_("所属单位"),
        queryset=Party.objects.none(),
        required=False,
        help_text=_("施工单位、维保单位的账号必须选择其单位"),
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = Party.objects.filter(campaign=campaign)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("这个登录名已被使用，请换一个。"))
        return username

    def clean(self):
        cleaned = super().clean()
        role, party = cleaned.get("role"), cleaned.get("party")
        if role in (Role.CONTRACTOR, Role.MAINTAINER) and party is None:
            self.add_error("party", _("施工单位、维保单位的账号必须选择其单位。"))
        if role in (Role.LAWYER, Role.REVIEWER) and party is not None:
            self.add_error("party", _("律师和街道审核人的账号不选单位。"))
        return cleaned


class ReviewForm(RefuseControlCharacters, forms.ModelForm):
    """A review of the unit's latest frozen packet, with its documents."""

    packet = forms.IntegerField(widget=forms.HiddenInput)
    contract_file = forms.FileField(
        label=_("合同文本（选填）"),
        required=False,
        help_text=_("PDF，或 JPEG、PNG 扫描件"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
    opinion_file = forms.FileField(
        label=_("审核意见书（选填）"),
        required=False,
        help_text=_("PDF，或 JPEG、PNG 扫描件。表单出错时需要重新选择文件。"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    class Meta:
        model = Review
        fields = ["kind", "outcome", "comments", "reviewer", "organisation", "reviewed_on"]
        widgets = {
            "comments": forms.Textarea(attrs={"rows": 5}),
            "reviewed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "outcome": forms.RadioSelect,
        }

    def __init__(self, *args, campaign, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, Review.Kind(k).label) for k in kinds]
        self.fields["organisation"].queryset = Party.objects.filter(
            campaign=campaign, kind__in=[PartyKind.LAWYER, PartyKind.SUBDISTRICT]
        )
        self.fields["reviewed_on"].validators.append(not_in_future)
        self.fields["comments"].help_text = _("退回修改时必须写明理由")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == Review.Outcome.RETURNED and not cleaned.get("comments"):
            self.add_error("comments", _("退回修改时请写明需要修改的地方。"))
        self.kept = []
        for name, kind in (
            ("contract_file", ReviewDocument.Kind.CONTRACT),
            ("opinion_file", ReviewDocument.Kind.OPINION),
        ):
            upload = cleaned.get(name)
            if upload:
                try:
                    title = without_control_characters(upload.name or "")[:200]
                    self.kept.append((kind, title, keep_document(upload)))
                except ValueError as error:
                    self.add_error(name, str(error))
        return cleaned


class ContractForm(RefuseControlCharacters, forms.ModelForm):
    """The signed works contract of one elevator, its PDF checked by content."""

    amount = forms.DecimalField(
        label=_("合同金额（元）"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    contract_pdf = forms.FileField(
        label=_("合同文件（PDF）"),
        help_text=_("表单出错时需要重新选择文件。"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    class Meta:
        model = WorksContract
        fields = ["contractor", "signed_on", "amount"]
        widgets = {"signed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contractor"].queryset = Party.objects.filter(
            campaign=campaign, kind__in=[PartyKind.CONTRACTOR, PartyKind.ELEVATOR_COMPANY]
        )
        self.fields["signed_on"].validators.append(not_in_future)

    def clean_contract_pdf(self):
        upload = self.cleaned_data["contract_pdf"]
        try:
            self.kept = keep_document(upload, pdf_only=True)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        return upload
