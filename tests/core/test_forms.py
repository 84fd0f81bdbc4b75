"""Every form field of the site is drawn by one template, templates/forms/field.html
(core.forms.FormRenderer): the label tied to the input, the help text and the errors named by
the input's aria-describedby, the wrapper marked has-error."""

from django import forms
from django.forms.renderers import get_default_renderer
from pytest_django.asserts import assertInHTML

from core.forms import FormRenderer


class RoomForm(forms.Form):
    room = forms.CharField(
        label="房号",
        help_text="例如 302",
        error_messages={"required": "请填写房号。"},
    )
    agree = forms.BooleanField(label="同意公开", required=False)
    floor = forms.ChoiceField(
        label="楼层",
        choices=[("1", "一楼"), ("2", "二楼")],
        widget=forms.RadioSelect,
        help_text="选一项",
        error_messages={"required": "请选择楼层。"},
    )


def test_the_site_renders_forms_with_the_project_field_template():
    assert isinstance(get_default_renderer(), FormRenderer)
    assert RoomForm()["room"].template_name == "forms/field.html"


def test_a_field_group_ties_its_label_to_the_input_and_names_its_help_text():
    html = RoomForm()["room"].as_field_group()
    assertInHTML('<label for="id_room">房号</label>', html)
    assertInHTML(
        '<input type="text" name="room" id="id_room" required aria-describedby="id_room_helptext">',
        html,
    )
    assertInHTML('<p class="helptext" id="id_room_helptext">例如 302</p>', html)
    assert html.startswith('<div class="field">')


def test_a_field_with_errors_is_marked_has_error_and_its_input_names_the_errors():
    html = RoomForm(data={})["room"].as_field_group()
    assert html.startswith('<div class="field has-error">')
    assertInHTML(
        '<input type="text" name="room" id="id_room" required aria-invalid="true"'
        ' aria-describedby="id_room_helptext id_room_error">',
        html,
    )
    assertInHTML('<ul class="errorlist" id="id_room_error"><li>请填写房号。</li></ul>', html)


def test_a_checkbox_sits_inside_its_label():
    html = RoomForm()["agree"].as_field_group()
    assertInHTML(
        '<label for="id_agree"><input type="checkbox" name="agree" id="id_agree"> 同意公开</label>',
        html,
    )


def test_choices_drawn_as_radio_buttons_are_a_fieldset_described_by_its_help_text_and_errors():
    html = RoomForm(data={})["floor"].as_field_group()
    assert html.startswith('<div class="field has-error">')
    assert '<fieldset aria-describedby="id_floor_helptext id_floor_error">' in html
    assertInHTML("<legend>楼层</legend>", html)
    assertInHTML('<ul class="errorlist" id="id_floor_error"><li>请选择楼层。</li></ul>', html)
