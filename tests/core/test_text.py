"""Control characters are refused wherever text comes in; notes keep their line breaks."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from core.text import (
    RefuseControlCharacters,
    has_control_characters,
    refuse_control_characters,
    refuse_control_characters_in_notes,
    without_control_characters,
)
from households.models import Owner

CONTROLS = [chr(code) for code in (*range(0x20), *range(0x7F, 0xA0))]
CONTROL = st.sampled_from(CONTROLS)
PRINTABLE = st.text(st.characters(blacklist_categories=["Cc", "Cs"]))


@given(before=PRINTABLE, control=CONTROL, after=PRINTABLE)
def test_a_single_line_with_any_c0_or_c1_control_character_is_refused(before, control, after):
    with pytest.raises(ValidationError, match="控制字符"):
        refuse_control_characters(before + control + after)


@given(text=PRINTABLE)
def test_text_without_control_characters_passes_both_validators(text):
    refuse_control_characters(text)
    refuse_control_characters_in_notes(text)


@given(
    before=PRINTABLE,
    control=CONTROL.filter(lambda c: c not in "\t\r\n"),
    after=PRINTABLE,
)
def test_notes_refuse_every_control_character_but_line_breaks_and_tabs(before, control, after):
    refuse_control_characters_in_notes(f"{before}\r\n\t{after}")
    with pytest.raises(ValidationError):
        refuse_control_characters_in_notes(before + control + after)


@given(text=st.text(), multiline=st.booleans())
def test_cleaning_leaves_text_the_validators_accept(text, multiline):
    cleaned = without_control_characters(text, multiline=multiline)
    assert not has_control_characters(cleaned, multiline=multiline)
    if not has_control_characters(text, multiline=multiline):
        assert cleaned == text


class Note(RefuseControlCharacters, forms.Form):
    name = forms.CharField()
    notes = forms.CharField(widget=forms.Textarea, required=False)
    count = forms.IntegerField(required=False)


def test_the_form_mixin_refuses_control_characters_in_every_text_field_with_a_field_message():
    form = Note({"name": "张\x01三", "notes": "第一行\n\x1b第二行"})
    assert not form.is_valid()
    assert "控制字符" in form.errors["name"][0]
    assert "控制字符" in form.errors["notes"][0]


def test_the_form_mixin_lets_notes_keep_their_line_breaks_and_tabs():
    form = Note({"name": "张三", "notes": "第一行\r\n\t第二行"})
    assert form.is_valid(), form.errors


def test_the_form_mixin_refuses_a_line_break_in_a_single_line_field():
    assert "控制字符" in Note({"name": "张\n三"}).errors["name"][0]


class OwnerName(RefuseControlCharacters, forms.ModelForm):
    class Meta:
        model = Owner
        fields = ["name"]


@pytest.mark.django_db
def test_a_model_fields_own_validator_is_not_run_twice_by_the_mixin():
    assert OwnerName({"name": "张\x01三"}).errors["name"] == [
        "含有不可见的控制字符，请删除后重新输入。"
    ]
