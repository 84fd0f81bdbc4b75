"""The secretary's forms for a draft proposal: its figures and rule, one coefficient per floor,
for the fixed rule one amount per household, and each matter put to the owners. Every error
says what to fix; nothing typed is lost."""

from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from consultations.forms import PillRadioSelect
from consultations.models import Matter, Proposal
from consultations.models.matters import LEGAL_RULE, Item
from core.text import RefuseControlCharacters
from households.models import Household

MONEY_FIELDS = ("total_cost", "subsidy", "maintenance_fund", "ground_floor_amount")
NOT_NEGATIVE = _("不能为负数。")


def money_input() -> forms.NumberInput:
    return forms.NumberInput(attrs={"min": "0", "step": "0.01", "inputmode": "decimal"})


class ProposalForm(RefuseControlCharacters, forms.ModelForm):
    class Meta:
        model = Proposal
        fields = [
            "total_cost",
            "subsidy",
            "maintenance_fund",
            "rule",
            "ground_floor",
            "ground_floor_amount",
            "notes",
        ]
        widgets = {
            "rule": PillRadioSelect,
            "ground_floor": PillRadioSelect,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "ground_floor_amount": _("仅在一楼住户“象征性出资”时使用。"),
            "rule": _("“逐户定额”时，在下方逐户填写金额；楼层系数和一楼出资方式不再起作用。"),
        }

    def __init__(self, *args, ground_households: int = 0, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.ground_households = ground_households
        self.fields["rule"].choices = Proposal.Rule.choices
        self.fields["ground_floor"].choices = Proposal.GroundFloor.choices
        for name in MONEY_FIELDS:
            field = self.fields[name]
            field.validators.append(MinValueValidator(Decimal(0), message=NOT_NEGATIVE))
            field.widget = money_input()

    def clean(self):
        cleaned = super().clean()
        total, subsidy, fund = (cleaned.get(name) for name in MONEY_FIELDS[:3])
        if None in (total, subsidy, fund):
            return cleaned
        if subsidy + fund > total:
            raise forms.ValidationError(
                _("政府补贴和维修资金之和（%(parts)s 元）不能超过总费用（%(total)s 元）。"),
                params={"parts": f"{subsidy + fund:,.2f}", "total": f"{total:,.2f}"},
                code="parts_exceed_total",
            )
        token = cleaned.get("ground_floor_amount")
        if (
            token is not None
            and cleaned.get("rule") != Proposal.Rule.FIXED
            and cleaned.get("ground_floor") == Proposal.GroundFloor.TOKEN
            and token * self.ground_households > total - subsidy - fund
        ):
            self.add_error(
                "ground_floor_amount",
                _("一楼 %(count)s 户的象征性出资合计超过了居民自筹部分。")
                % {"count": self.ground_households},
            )
        return cleaned


class CoefficientForm(RefuseControlCharacters, forms.Form):
    coefficient = forms.DecimalField(
        max_digits=6,
        decimal_places=3,
        validators=[MinValueValidator(Decimal(0), message=_("系数不能为负数。"))],
        widget=forms.NumberInput(attrs={"min": "0", "step": "0.001", "inputmode": "decimal"}),
    )

    def __init__(self, *args, floor: int, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.floor = floor
        self.fields["coefficient"].label = _("%(floor)s 楼") % {"floor": floor}


class CoefficientFormSet(forms.BaseFormSet):
    """One coefficient per floor of the unit, floor 1 first. The floor is the row's position,
    never something posted."""

    def __init__(self, *args, floors: int, **kwargs) -> None:
        self.floors = floors
        self.min_num = self.max_num = floors
        kwargs.setdefault("prefix", "floors")
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"floor": index + 1}

    def clean(self) -> None:
        if self.total_form_count() != self.floors:
            raise forms.ValidationError(_("楼层数与本单元不一致，请刷新页面后重新填写。"))

    def coefficients(self) -> dict[int, Decimal]:
        return {form.floor: form.cleaned_data["coefficient"] for form in self.forms}


class AmountForm(RefuseControlCharacters, forms.Form):
    household = forms.IntegerField(widget=forms.HiddenInput)
    amount = forms.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        validators=[MinValueValidator(Decimal(0), message=NOT_NEGATIVE)],
        widget=money_input(),
    )

    def __init__(self, *args, household: Household | None, required: bool, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.household = household
        self.fields["amount"].required = required
        if household is not None:
            self.fields["amount"].label = _("%(room)s 应出资（元）") % {"room": household.room}

    def clean_household(self):
        posted = self.cleaned_data["household"]
        if self.household is None or posted != self.household.pk:
            raise forms.ValidationError(_("住户名单已变化，请刷新页面后重新填写。"))
        return posted


class AmountFormSet(forms.BaseFormSet):
    """For the fixed rule: one amount per household of the unit, in the preview's order."""

    def __init__(self, *args, households: list[Household], required: bool, **kwargs) -> None:
        self.households = households
        self.required = required
        self.min_num = self.max_num = len(households)
        kwargs.setdefault("prefix", "amounts")
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        household = self.households[index] if index < len(self.households) else None
        return {"household": household, "required": self.required}

    def clean(self) -> None:
        if self.total_form_count() != len(self.households):
            raise forms.ValidationError(_("住户名单已变化，请刷新页面后重新填写。"))

    def amounts(self) -> dict[int, Decimal]:
        return {
            form.household.pk: form.cleaned_data.get("amount") or Decimal("0.00")
            for form in self.forms
        }


# The row counts are checked by the formsets' clean(), with one message that says what to do.
coefficient_formset = forms.formset_factory(CoefficientForm, formset=CoefficientFormSet, extra=0)
amount_formset = forms.formset_factory(AmountForm, formset=AmountFormSet, extra=0)


def coefficient_initial(proposal: Proposal, floors: int) -> list[dict]:
    """The proposal's coefficients for floors 1..floors; a floor without one counts as 1."""
    known = proposal.coefficient_map()
    return [{"coefficient": known.get(floor, Decimal("1.000"))} for floor in range(1, floors + 1)]


def amount_initial(proposal: Proposal, households: list[Household]) -> list[dict]:
    """The draft's recorded amounts (fixed rule), blank for a household without one."""
    recorded = {share.household_id: share.amount for share in proposal.shares.all()}
    return [{"household": h.pk, "amount": recorded.get(h.pk)} for h in households]


class MatterForm(RefuseControlCharacters, forms.ModelForm):
    """One matter of a draft: its Art. 278 item, its rule and its title. A rule left blank is
    the item's legal minimum (LEGAL_RULE); a weaker one is refused on the rule field by
    ``Matter.clean``, with what was typed kept."""

    class Meta:
        model = Matter
        fields = ["title", "item", "rule"]
        widgets = {"item": PillRadioSelect, "rule": PillRadioSelect}
        help_texts = {
            "title": _("写给业主看的一句话，例如“使用本单元住宅专项维修资金更新电梯”。"),
            "rule": _(
                "不选则按法定要求：第五项、第九项过半数，第六至第八项四分之三以上。"
                "项目可以要求更高（例如全体同意），不能更低。"
            ),
        }

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = Item.choices
        rule = self.fields["rule"]
        rule.required = False
        rule.choices = [("", _("按法定要求（随所选事项）")), *rule.choices[1:]]

    def clean(self):
        cleaned = super().clean()
        item = cleaned.get("item")
        if not cleaned.get("rule") and item:
            cleaned["rule"] = LEGAL_RULE[Item(item)]
        return cleaned
