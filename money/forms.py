"""The money forms: the campaign's settings, the fund application's steps, a ledger entry, the
final settlement. Every amount is a Decimal of whole cents; files are checked by content."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.signing import SignatureError, scan_from_upload
from core import uploaded_pdf
from core.text import refuse_control_characters, refuse_control_characters_in_notes
from money.models import Books, Entry

MAX_AMOUNT = Decimal("9999999999.99")
PDF_LIMIT = 20 * 2**20
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def amount_field(label, **kw) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.00"),
        max_value=MAX_AMOUNT,
        **kw,
    )


def near_today(value):
    """A date within ten years of today: a typo such as 0202 or 2206 is refused."""
    today = timezone.localdate()
    if value and abs((value - today).days) > 3650:
        raise forms.ValidationError(_("日期不合理，请检查年份。"))
    return value


def pdf_upload(upload) -> tuple[bytes, int]:
    """The bytes and pages of an uploaded PDF document, or a ValidationError in words."""
    if upload.size > PDF_LIMIT:
        raise forms.ValidationError(_("文件不能超过 20 MB。"))
    data = upload.read()
    if not data.startswith(b"%PDF-"):
        raise forms.ValidationError(_("请上传 PDF 文件。"))
    try:
        pages = uploaded_pdf.check(data)
    except uploaded_pdf.UnusablePDF as error:
        raise forms.ValidationError(str(error)) from None
    return data, pages


class BooksForm(forms.ModelForm):
    class Meta:
        model = Books
        fields = ["fund_minimum_percent", "notice_days"]

    def clean_fund_minimum_percent(self):
        value = self.cleaned_data["fund_minimum_percent"]
        if value is not None and not 0 <= value <= 100:
            raise forms.ValidationError(_("请输入 0 到 100 之间的百分比。"))
        return value

    def clean_notice_days(self):
        value = self.cleaned_data["notice_days"]
        if value is not None and not 1 <= value <= 90:
            raise forms.ValidationError(_("公示天数应为 1 到 90 天。"))
        return value


class AccountsForm(forms.Form):
    rows = forms.CharField(
        label=_("各户维修资金账户"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
        help_text=_(
            "每行一户：房号,首次交存额,余额（可从维修资金管理中心的清单复制；不知道的留空）。"
        ),
        validators=[refuse_control_characters_in_notes],
    )


class NoticeForm(forms.Form):
    start = forms.DateField(label=_("公示开始日期"), widget=DATE, validators=[near_today])
    contract = forms.FileField(
        label=_("合同（PDF，可选）"),
        required=False,
        help_text=_("电梯更新改造合同，附在申请材料后。"),
    )

    def clean_contract(self):
        upload = self.cleaned_data.get("contract")
        return pdf_upload(upload) if upload else None


class ApprovalForm(forms.Form):
    approved_on = forms.DateField(label=_("批准日期"), widget=DATE, validators=[near_today])
    amount_released = amount_field(_("划拨金额（元）"))

    def __init__(self, *args, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application

    def clean_approved_on(self):
        value = self.cleaned_data["approved_on"]
        application = self.application
        if application is not None and application.notice_end and value <= application.notice_end:
            raise forms.ValidationError(_("批准日期不能早于公示期满。"))
        return value


class EntryForm(forms.Form):
    KINDS = [
        (Entry.Kind.PAYMENT, Entry.Kind.PAYMENT.label),
        (Entry.Kind.REFUND, Entry.Kind.REFUND.label),
    ]

    kind = forms.ChoiceField(label=_("类型"), choices=KINDS, initial=Entry.Kind.PAYMENT)
    paid_by = forms.ChoiceField(label=_("出资方"), choices=Entry.PaidBy.choices)
    amount = amount_field(_("金额（元）"), help_text=_("退款也填正数。"))
    paid_on = forms.DateField(label=_("日期"), widget=DATE, validators=[near_today])
    method = forms.ChoiceField(label=_("方式"), choices=Entry.Method.choices)
    note = forms.CharField(
        label=_("备注"),
        max_length=200,
        required=False,
        validators=[refuse_control_characters],
        help_text=_("代付的住户、捐助人等（不会公开）。"),
    )
    proof = forms.FileField(
        label=_("凭证扫描件（可选）"),
        required=False,
        help_text=_("转账截图、银行回单等：JPEG、PNG 或 PDF。"),
    )

    def clean_amount(self):
        value = self.cleaned_data["amount"]
        if value is not None and value <= 0:
            raise forms.ValidationError(_("金额须大于 0。"))
        return value

    def clean_proof(self):
        upload = self.cleaned_data.get("proof")
        if not upload:
            return None
        try:
            return scan_from_upload(upload)
        except SignatureError as error:
            raise forms.ValidationError(str(error)) from None

    def entry_fields(self) -> dict:
        data = self.cleaned_data
        amount = data["amount"] if data["kind"] == Entry.Kind.PAYMENT else -data["amount"]
        proof, proof_type = data["proof"] or (b"", "")
        return {
            "kind": data["kind"],
            "paid_by": data["paid_by"],
            "amount": amount,
            "paid_on": data["paid_on"],
            "method": data["method"],
            "note": data["note"],
            "proof": proof,
            "proof_type": proof_type,
        }


class ReverseForm(forms.Form):
    note = forms.CharField(
        label=_("冲正原因"), max_length=200, validators=[refuse_control_characters]
    )


class SettlementForm(forms.Form):
    final_cost = amount_field(_("决算总费用（元）"))
    document = forms.FileField(
        label=_("决算文件（PDF）"), required=False, help_text=_("审计或结算报告、发票汇总等。")
    )

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        return pdf_upload(upload) if upload else None
