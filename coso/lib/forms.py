"""Form helpers shared by the apps: dd/mm/yyyy date fields, search pickers, service errors, the form renderer."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _


class StyledForm(forms.Form):
    """Bootstrap classes on every widget; Django adds aria-describedby and aria-invalid itself."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                # Django puts the class on the list's wrapper as well as on each box: not Bootstrap's
                # 1em box class there (a commune's villages were drawn in a 1em-wide column over the
                # fields below), our list class, styled as columns in app.css
                widget.attrs.setdefault("class", "check-list")
            elif isinstance(widget, forms.RadioSelect):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")

    def full_clean(self):
        super().full_clean()
        first = True
        for name in self.fields:
            if name not in self.errors:
                continue
            attrs = self.fields[name].widget.attrs
            if "is-invalid" not in attrs.get("class", ""):
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
            if first:
                attrs["autofocus"] = True  # after a failed save the cursor lands on the first error
                first = False


class DateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, attrs=None):
        base = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off", "class": "form-control"}
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y")


class DateField(forms.DateField):
    widget = DateInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"])
        kwargs.setdefault("error_messages", {"invalid": _("Ngày không hợp lệ: hãy nhập một ngày có thật theo dạng dd/mm/yyyy, ví dụ 31/03/2024.")})
        super().__init__(*args, **kwargs)


class SearchSelect(forms.Select):
    """A select that renders only its chosen option, with a search box filling it through htmx.

    The field's queryset still decides what is valid (for organizations: the user's scope), so
    a value typed into the request by hand is refused like any other invalid choice.

    A picker beside a date box (date_field: the box's name) sends the box's value with what is
    typed, so that it searches the organizations as they stood on the chosen date.
    """

    template_name = "widgets/search_select.html"

    def __init__(self, search_url: str, attrs=None, date_field: str = ""):
        self.search_url = search_url
        self.date_field = date_field
        super().__init__(attrs={"class": "form-select", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["search_url"] = self.search_url
        context["widget"]["date_field"] = self.date_field
        return context


def limit_picker(form: forms.Form, name: str, label_for) -> None:
    """Give a SearchSelect only the option currently chosen (bound data or initial), labelled."""
    field = form.fields[name]
    value = form.data.get(form.add_prefix(name)) if form.is_bound else form.initial.get(name, field.initial)
    value = getattr(value, "pk", value)
    choices = [("", "---------")]
    if value not in (None, ""):
        try:
            obj = field.queryset.get(pk=value)
        except (field.queryset.model.DoesNotExist, ValueError, TypeError, ValidationError):
            obj = None
        if obj is not None:
            choices.append((obj.pk, label_for(obj)))
    field.widget.choices = choices


def apply_service_error(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html in Python."""
    return "".join(f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
                   for name, value in attrs.items() if value is not False)


def render_select(widget: dict) -> str:
    """django/forms/widgets/select.html (with select_option.html per option) in Python, character
    for character: the template includes one template per option, which cost 3–5 ms for the 58
    ethnic groups, a dozen milliseconds for the member list's filters; this costs a tenth."""
    out = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            out.append(f'\n  <option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                       f'{conditional_escape(option["label"])}</option>\n')  # the included file's last newline
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


class FormRenderer(TemplatesSetting):
    """The project's templates for widgets (FORM_RENDERER), with Django's select written in Python
    (a widget with its own option template goes through the templates)."""

    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE and all(
                option["template_name"] == OPTION_TEMPLATE for _n, group, _i in context["widget"]["optgroups"] for option in group):
            return mark_safe(render_select(context["widget"]))
        return super().render(template_name, context, request)
