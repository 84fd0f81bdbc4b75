"""Every form field of the site is drawn by one template, templates/forms/field.html
(core.forms.FormRenderer): the label tied to the input, the help text and the errors named by
the input's aria-describedby, the wrapper marked has-error."""

from pathlib import Path

import pytest
from django import forms
from django.forms.renderers import get_default_renderer
from django.urls import reverse
from pytest_django.asserts import assertInHTML

from core.forms import FormRenderer
from tests.factories import make_campaign

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


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


@pytest.mark.django_db
def test_a_page_of_the_site_draws_its_fields_with_the_project_template(client):
    campaign = make_campaign()
    html = client.post(reverse("ask", args=[campaign.slug]), {"body": ""}).text
    assertInHTML(
        '<div class="field has-error"><label for="id_body">您的问题</label>'
        '<textarea name="body" cols="40" rows="5" maxlength="1000" required aria-invalid="true"'
        ' aria-describedby="id_body_helptext id_body_error" id="id_body"></textarea>'
        '<p class="helptext" id="id_body_helptext">请不要填写姓名、电话等个人信息。'
        "问题经工作人员回复并审核后公开。</p>"
        '<ul class="errorlist" id="id_body_error"><li>请写下您的问题。</li></ul></div>',
        html,
    )


def test_no_page_template_writes_the_field_wrapper_by_hand():
    copies = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if path != TEMPLATES / "forms" / "field.html" and 'class="field' in path.read_text()
    ]
    assert not copies, "render fields with {{ field.as_field_group }}: " + ", ".join(copies)
