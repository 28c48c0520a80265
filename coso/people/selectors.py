"""The read side of persons: which fields a user may see, name search, age bands.

Persons are scoped through the roles they hold (a membership, a candidacy...): the app that
holds the role decides whether a person is visible (members.permissions.visible_persons). This
module only knows the person's own fields.
"""

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coso.lib.text import fold

from .models import SENSITIVE_FIELDS, Person

SENSITIVE = "people.sensitive"

# Age bands of the party statistics forms; the upper bound is inclusive, None = no bound.
AGE_BANDS = {
    "18-30": (18, 30, _("Từ 18 đến 30 tuổi")),
    "31-40": (31, 40, _("Từ 31 đến 40 tuổi")),
    "41-50": (41, 50, _("Từ 41 đến 50 tuổi")),
    "51-60": (51, 60, _("Từ 51 đến 60 tuổi")),
    "61-70": (61, 70, _("Từ 61 đến 70 tuổi")),
    "71+": (71, None, _("Trên 70 tuổi")),
}


def can_see_sensitive(scope) -> bool:
    """National ID, ethnicity and religion of individual persons (DESIGN principle 4)."""
    return scope.can(SENSITIVE)


def visible_fields(scope, fields=None) -> list[str]:
    """The person fields the user may see, in the given (or the model's) order."""
    if fields is None:
        fields = [f.name for f in Person._meta.concrete_fields]
    if can_see_sensitive(scope):
        return list(fields)
    return [f for f in fields if f not in SENSITIVE_FIELDS]


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def age_band_q(band: str, on: dt.date, field: str = "birth_date") -> Q:
    """Persons whose age in whole years on the date lies in the band (birth date known)."""
    low, high, _label = AGE_BANDS[band]
    q = Q(**{f"{field}__lte": years_before(on, low)})
    if high is not None:
        q &= Q(**{f"{field}__gt": years_before(on, high + 1)})
    return q


def name_q(query: str, field: str = "name_folded") -> Q | None:
    """Names containing the query typed with or without diacritics ("nguyen van an")."""
    needle = fold(query)
    if not needle:
        return None
    return Q(**{f"{field}__contains": needle})


def age_on(person: Person, on: dt.date) -> int | None:
    if not person.birth_date:
        return None
    born = person.birth_date
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
