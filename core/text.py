"""Text people type or import: control characters are refused wherever text comes in.

No one means to type a control character; one arrives by copy and paste, a broken export or on
purpose, and then breaks what reads the text later (Excel refuses the register, PostgreSQL a NUL).
A single line of text (a name, a room, a next step) takes none of them (C0, DEL and C1); notes
written over several lines take a line break and a tab, nothing else.

``refuse_control_characters`` / ``refuse_control_characters_in_notes`` are the validators the
models name; ``RefuseControlCharacters`` puts the right one on every text field of a form;
``without_control_characters`` cleans a value already stored, for an export that must not fail.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_IN_NOTES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    return bool((CONTROL_IN_NOTES if multiline else CONTROL).search(text))


def without_control_characters(text: str, *, multiline: bool = False) -> str:
    return (CONTROL_IN_NOTES if multiline else CONTROL).sub("", text)


@deconstructible
class ControlCharacterValidator:
    message = _("含有不可见的控制字符，请删除后重新输入。")
    code = "control_characters"

    def __init__(self, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, value) -> None:
        if isinstance(value, str) and has_control_characters(value, multiline=self.multiline):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, ControlCharacterValidator) and self.multiline == other.multiline

    def __hash__(self) -> int:
        return hash((type(self), self.multiline))


refuse_control_characters = ControlCharacterValidator()
refuse_control_characters_in_notes = ControlCharacterValidator(multiline=True)


class RefuseControlCharacters:
    """A form mixin: every text field refuses control characters; a field drawn as a textarea
    (notes over several lines) accepts line breaks and tabs."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field, forms.CharField):
                continue
            multiline = isinstance(field.widget, forms.Textarea)
            validator = ControlCharacterValidator(multiline=multiline)
            if validator not in field.validators:
                field.validators = [
                    *(v for v in field.validators if not isinstance(v, ControlCharacterValidator)),
                    validator,
                ]
