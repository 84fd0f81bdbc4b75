"""The secretary's forms on the people screen: link owner entries as one person or body, say
what a person is. Only entries and people of the screen's community can be chosen."""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Community
from households.models import Owner, Person


def owners_of(community: Community):
    return Owner.objects.filter(household__unit__building__campaign__community=community)


class LinkForm(forms.Form):
    """Which entries are one person or body, and (optionally) what it is."""

    owners = forms.ModelMultipleChoiceField(
        queryset=Owner.objects.none(),
        label=_("产权人条目"),
        error_messages={
            "required": _("请勾选要合并的产权人条目。"),
            "invalid_choice": _("所选的产权人条目不在本社区，或已被删除，请刷新页面。"),
            "invalid_pk_value": _("所选的产权人条目不在本社区，或已被删除，请刷新页面。"),
        },
    )
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=[("", _("不改变")), *Person.Kind.choices],
        required=False,
    )

    def __init__(self, community: Community, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owners"].queryset = owners_of(community).select_related(
            "household__unit__building__campaign__community", "person"
        )

    def clean(self):
        data = super().clean()
        owners = list(data.get("owners") or [])
        if not owners:
            return data
        kind = data.get("kind", "")
        persons = {o.person_id for o in owners if o.person_id}
        body = kind and kind != Person.Kind.PERSON
        if len(owners) < 2 and not body and not persons:
            raise forms.ValidationError(
                _("请至少勾选两套房的产权人条目；只有一套房时，请选择单位或开发商等类型。")
            )
        households = [o.household_id for o in owners]
        households += list(
            Owner.objects.filter(person__in=persons)
            .exclude(pk__in=[o.pk for o in owners])
            .values_list("household", flat=True)
        )
        if len(households) != len(set(households)):
            raise forms.ValidationError(
                _("同一套房的两位共有人不能合并为同一产权主体：共有人本来就只计一人。")
            )
        return data


class KindForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=Person.Kind.choices)
