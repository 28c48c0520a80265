"""The select written in Python (coso.lib.forms.FormRenderer) is Django's template, character for
character, at a fraction of its cost."""

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy
from hypothesis import given, settings
from hypothesis import strategies as st

from coso.lib.forms import FormRenderer

TEXT = st.text(alphabet=st.sampled_from("aĐđ ế<>&\"'0-9ữ"), max_size=6)
CHOICE = st.tuples(TEXT, TEXT)
CHOICES = st.lists(st.one_of(CHOICE, st.tuples(TEXT.filter(bool), st.lists(CHOICE, min_size=1, max_size=3))), max_size=6)


def both(widget, name, value, attrs=None):
    return widget.render(name, value, attrs, renderer=FormRenderer()), widget.render(name, value, attrs, renderer=TemplatesSetting())


@settings(max_examples=150, deadline=None)
@given(choices=CHOICES, value=TEXT, multiple=st.booleans(), disabled=st.booleans(), extra=TEXT)
def test_the_python_select_is_djangos_markup(choices, value, multiple, disabled, extra):
    widget = (forms.SelectMultiple if multiple else forms.Select)(attrs={"class": "form-select", "data-x": extra})
    widget.choices = choices
    widget.disabled = disabled
    fast, django = both(widget, "f" + extra, [value] if multiple else value, {"id": "id_f", "required": True, "disabled": disabled})
    assert fast == django


def test_lazy_labels_integers_and_none_render_alike():
    widget = forms.Select(choices=[("", gettext_lazy("Tất cả")), (1, "Một"), (None, "Không")])
    for value in ("", 1, "1", None):
        fast, django = both(widget, "x", value)
        assert fast == django
    fast, django = both(forms.NullBooleanSelect(), "y", True)
    assert fast == django


def test_a_widget_with_its_own_option_template_keeps_it():
    class Marked(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    fast, django = both(Marked(choices=[("a", "A")]), "z", "a")
    assert fast == django
