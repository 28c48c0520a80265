"""`{{ count|num }}`: 5.612, a builtin of every template (settings.TEMPLATES)."""

from django import template

from coso.lib.numbers import num as _num

register = template.Library()


@register.filter(is_safe=True)
def num(value, decimals=None):
    return _num(value, int(decimals) if decimals not in (None, "") else None)
