"""The form renderer: every form field of the site is drawn by one template.

``{{ field.as_field_group }}`` (or ``{{ form.name.as_field_group }}``) renders
``templates/forms/field.html``: the label tied to the input, the widget, the help text and the
errors, with the ids the widget's ``aria-describedby`` names. A field that needs another layout
names its own template (``forms.Field(template_name=...)``) rather than a page copying the
wrapper."""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Django's renderer over the project's templates (so widgets may live in ``templates/``,
    such as ``consultations/widgets/pills.html``), with the project's field template."""

    field_template_name = "forms/field.html"
