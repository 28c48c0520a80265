"""Breakdowns: how the counted rows are grouped, and the rows a report shows for each.

A dimension gives, for a date, the SQL expression of a row's key (an annotation on MemberPeriod
or MemberEvent rows, both of which reach the person through `member__person`) and the ordered
keys with their labels. "child" (the organization directly under the one reported on) is not an
expression: the engine groups by organization and rolls the counts up along the tree of the date.
"""

import datetime as dt

from django.db.models import Case, CharField, F, Value, When
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext_lazy as _

from coso.members.models import Status
from coso.organizations.models import Kind, Sector
from coso.people.choices import ETHNIC_GROUPS, KINH, RELIGIONS, Gender, Qualification, TheoryLevel
from coso.people.selectors import AGE_BANDS, years_before

from .catalog import Dimension

UNKNOWN = "?"
UNKNOWN_LABEL = _("Chưa rõ")

# Party age (tuổi đảng) bands: from the admission date; the upper bound is exclusive.
TENURE_BANDS = [
    ("0-5", 0, 5, _("Dưới 5 năm")),
    ("5-10", 5, 10, _("Từ 5 đến dưới 10 năm")),
    ("10-20", 10, 20, _("Từ 10 đến dưới 20 năm")),
    ("20-30", 20, 30, _("Từ 20 đến dưới 30 năm")),
    ("30-40", 30, 40, _("Từ 30 đến dưới 40 năm")),
    ("40+", 40, None, _("Từ 40 năm trở lên")),
]

P = "member__person__"

DIMENSIONS: dict[str, Dimension] = {
    d.name: d
    for d in [
        Dimension("child", _("Tổ chức trực thuộc")),
        Dimension("gender", _("Giới tính"), keys=[(k, v) for k, v in Gender.choices]),
        Dimension("ethnic_group", _("Dân tộc Kinh / thiểu số"),
                  keys=[("kinh", _("Dân tộc Kinh")), ("minority", _("Dân tộc thiểu số")), (UNKNOWN, UNKNOWN_LABEL)]),
        Dimension("ethnicity", _("Dân tộc"), keys=[*ETHNIC_GROUPS, (UNKNOWN, UNKNOWN_LABEL)]),
        Dimension("religion", _("Tôn giáo"), keys=[*RELIGIONS, (UNKNOWN, UNKNOWN_LABEL)]),
        Dimension("age", _("Độ tuổi"), keys=[("<18", _("Dưới 18 tuổi")), *[(k, v[2]) for k, v in AGE_BANDS.items()], (UNKNOWN, UNKNOWN_LABEL)]),
        Dimension("education", _("Giáo dục phổ thông")),  # keys are the values found, sorted
        Dimension("qualification", _("Trình độ chuyên môn"), keys=[*Qualification.choices, (UNKNOWN, UNKNOWN_LABEL)]),
        Dimension("theory", _("Lý luận chính trị"), keys=[*TheoryLevel.choices, (UNKNOWN, UNKNOWN_LABEL)]),
        Dimension("tenure", _("Tuổi đảng"), keys=[*[(k, label) for k, _lo, _hi, label in TENURE_BANDS], (UNKNOWN, UNKNOWN_LABEL)]),
        Dimension("status", _("Đảng viên chính thức / dự bị"),
                  keys=[(Status.OFFICIAL, Status.OFFICIAL.label), (Status.PROBATIONARY, Status.PROBATIONARY.label)]),
        Dimension("year", _("Năm")),  # keys are the years found
        Dimension("level", _("Mức xếp loại")),  # keys are the levels found
        Dimension("kind", _("Loại tổ chức"), keys=list(Kind.choices)),
        Dimension("sector", _("Loại hình"), keys=list(Sector.choices)),
    ]
}


def _known(field: str):
    """The field's value, with NULL and "" as UNKNOWN."""
    return Case(When(**{f"{field}__isnull": True}, then=Value(UNKNOWN)), When(**{field: ""}, then=Value(UNKNOWN)),
                default=F(field), output_field=CharField())


def key_expression(name: str, on: dt.date):
    """The SQL expression grouping member/event rows for the dimension, ages taken on `on`."""
    if name == "gender":
        return Coalesce(F(f"{P}gender"), Value(UNKNOWN))
    if name == "ethnic_group":
        return Case(When(**{f"{P}ethnicity": KINH}, then=Value("kinh")), When(**{f"{P}ethnicity": ""}, then=Value(UNKNOWN)),
                    default=Value("minority"), output_field=CharField())
    if name in ("ethnicity", "religion", "education", "qualification"):
        return _known(f"{P}{name}")
    if name == "theory":
        return _known(f"{P}theory_level")
    if name == "status":
        return F("status")
    if name == "year":
        return ExtractYear("effective_date")
    if name == "age":
        born = f"{P}birth_date"
        whens = [When(**{f"{born}__isnull": True}, then=Value(UNKNOWN)),
                 When(**{f"{born}__gt": years_before(on, 18)}, then=Value("<18"))]
        for key, (_low, high, _label) in AGE_BANDS.items():
            if high is None:
                whens.append(When(**{f"{born}__isnull": False}, then=Value(key)))
            else:
                whens.append(When(**{f"{born}__gt": years_before(on, high + 1)}, then=Value(key)))
        return Case(*whens, output_field=CharField())
    if name == "tenure":
        admitted = "member__admitted_on"
        whens = [When(**{f"{admitted}__isnull": True}, then=Value(UNKNOWN))]
        for key, _low, high, _label in TENURE_BANDS:
            if high is None:
                whens.append(When(**{f"{admitted}__isnull": False}, then=Value(key)))
            else:
                whens.append(When(**{f"{admitted}__gt": years_before(on, high)}, then=Value(key)))
        return Case(*whens, output_field=CharField())
    raise KeyError(name)


def _level_keys(found) -> list[tuple[str, str]]:
    """Rating levels, best first, labelled as the newest rule set using the code names them."""
    from coso.evaluation import rules

    labels, ranks = {}, {}
    for module in reversed(rules.RULE_SETS):
        for kind in ("member", "organization", "mass_org"):
            for level in module.levels_for(kind):
                labels.setdefault(level.code, level.label)
                ranks.setdefault(level.code, level.rank)
    return [(k, str(labels.get(k, k))) for k in sorted(found, key=lambda k: (-ranks.get(k, 0), k))]


def keys_for(name: str, found) -> list[tuple[str, str]]:
    """The report rows of the dimension: its fixed keys, plus any value found that is not one of
    them (education values are open text: sorted, "12/12" before "9/12")."""
    dim = DIMENSIONS[name]
    if name == "year":
        return [(k, str(k)) for k in sorted(found)]
    if name == "level":
        return _level_keys(found)
    if name == "education":
        def order(k):
            head = k.split("/")[0]
            return (k == UNKNOWN, -int(head) if head.isdigit() else 0, k)

        return [(k, UNKNOWN_LABEL if k == UNKNOWN else k) for k in sorted(found, key=order)]
    keys = list(dim.keys)
    known = {k for k, _label in keys}
    keys += [(k, str(k)) for k in sorted(found, key=str) if k not in known]
    return keys
