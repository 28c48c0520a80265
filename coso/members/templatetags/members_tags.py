from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.simple_tag
def party_age(years: int, months: int) -> str:
    """ "42 năm 8 tháng" with each part in its plural form ("1 year 1 month" in English)."""
    return _("%(years)s %(months)s") % {
        "years": ngettext("%(n)s năm", "%(n)s năm", years) % {"n": years},
        "months": ngettext("%(n)s tháng", "%(n)s tháng", months) % {"n": months},
    }
