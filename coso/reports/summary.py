"""The written summary: the paragraph an office would otherwise type, generated from the measures.

In the style of the articles: "Tính đến ngày 31/3/2024, Đảng bộ huyện Núi Thành có 61 tổ chức cơ
sở đảng trực thuộc, gồm 22 đảng bộ và 39 chi bộ; 223 chi bộ trực thuộc đảng ủy cơ sở với tổng số
5.400 đảng viên." Then, for the resolutions whose targets the organization carries out, how many
are met and a sentence per target (coso/targets/summary.py). Every number comes from the engine; a
clause whose figure is zero is left out rather than printed as "0 đảng bộ". Numbers follow the
active language (5.400 and 35,6% in Vietnamese), dates are written d/m/yyyy as administrative prose
writes them.
"""

import datetime as dt
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coso.lib.numbers import num
from coso.measures import engine
from coso.organizations.models import GRASSROOTS_KINDS, Kind, Placement
from coso.targets import summary as targets

from . import political

AS_OF = ["orgs.grassroots", "orgs.grassroots_committees", "orgs.grassroots_cells", "orgs.subordinate_cells",
         "members", "members.female", "members.minority", "members.religious", "members.probationary",
         "villages", "villages.with_cell"]
CHANGES = ["events.admitted", "events.readmitted", "events.transferred_in", "events.transferred_out",
           "events.removed", "events.expelled", "events.left", "events.deceased"]


def number(n) -> str:
    return num(n)


def percent(value: Decimal | None) -> str:
    return formats.number_format(value, decimal_pos=1, use_l10n=True) + "%" if value is not None else ""


def day(value: dt.date) -> str:
    return f"{value.day}/{value.month}/{value.year}"


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return _("%(head)s và %(last)s") % {"head": ", ".join(parts[:-1]), "last": parts[-1]}


def _totals(names, known: dict, organization, **when) -> dict:
    """The totals of the measures: those already computed taken as they are, the engine asked
    for the others only (in one table)."""
    missing = [n for n in names if n not in known]
    computed = engine.table(missing, organization, **when).total if missing else {}
    return {n: known[n] if n in known else computed[n] for n in names}


def write(organization, on: dt.date, period: tuple[dt.date, dt.date] | None = None, *, scope=None,
          known_on: dict | None = None, known_period: dict | None = None) -> str:
    """The paragraph for the organization's subtree on the date (changes over the period: by
    default from 1 January of that year).

    known_on, known_period: totals the caller already has from the engine for the same
    organization, scope and date (period): {measure: n}; they are not asked again."""
    period = period or (dt.date(on.year, 1, 1), on)
    tree = engine.subtree(organization, on, scope)
    placement = Placement.objects.on(on).get(organization_id=tree.root_id) if tree.root_id else None
    name = placement.name if placement else _("Toàn Đảng bộ")
    v = _totals(AS_OF, known_on or {}, organization, on=on, scope=scope)
    c = _totals(CHANGES, known_period or {}, organization, period=period, scope=scope)
    sentences = [_structure(name, placement, on, v)]
    sentences.append(_composition(v))
    if placement is None or placement.kind not in (Kind.GRASSROOTS_CELL, Kind.SUBORDINATE_CELL, Kind.PARTY_GROUP):
        sentences.append(_villages(v))
    sentences.append(_political_system(known_on or {}))
    sentences.append(_changes(period, c))
    sentences.append(_cell_work(known_period or {}))
    sentences.append(political.sentence(_totals(political.ON, known_on or {}, organization, on=on, scope=scope),
                                        _totals(political.PERIOD, known_period or {}, organization, period=period, scope=scope), period))
    sentences.append(_year_on_year(organization, on, scope, v["members"]))
    sentences.append(targets.sentences(tree.root_id, on, scope))
    return " ".join(s for s in sentences if s)


def paragraph(report) -> str:
    """The summary of a standard report (coso/reports/standard.py), for the PDF and the page: the
    figures its tables already hold (each table's total is the whole subtree's) are not asked of
    the engine again; only the year-before count is new."""
    known_on, known_period = {}, {}
    for section, table in report.tables:
        (known_period if section.period else known_on).update(table.total)
    return write(report.organization_id, report.on, report.period, scope=report.scope,
                 known_on=known_on, known_period=known_period)


def _structure(name: str, placement, on: dt.date, v: dict) -> str:
    members = ngettext("%(n)s đảng viên", "%(n)s đảng viên", v["members"]) % {"n": number(v["members"])}
    head = _("Tính đến ngày %(date)s, %(name)s") % {"date": day(on), "name": name}
    if v["orgs.grassroots"]:
        kinds = []
        if v["orgs.grassroots_committees"]:
            kinds.append(_("%(n)s đảng bộ") % {"n": number(v["orgs.grassroots_committees"])})
        if v["orgs.grassroots_cells"]:
            kinds.append(_("%(n)s chi bộ") % {"n": number(v["orgs.grassroots_cells"])})
        text = _("%(head)s có %(n)s tổ chức cơ sở đảng trực thuộc, gồm %(kinds)s") % {
            "head": head, "n": number(v["orgs.grassroots"]), "kinds": _join(kinds)}
        if v["orgs.subordinate_cells"]:
            text += _("; %(cells)s chi bộ trực thuộc đảng ủy cơ sở với tổng số %(members)s.") % {
                "cells": number(v["orgs.subordinate_cells"]), "members": members}
        else:
            text += _(" với tổng số %(members)s.") % {"members": members}
        return text
    if v["orgs.subordinate_cells"] and placement and placement.kind in (*GRASSROOTS_KINDS, Kind.COMMUNE_COMMITTEE):
        return _("%(head)s có %(cells)s chi bộ trực thuộc với tổng số %(members)s.") % {
            "head": head, "cells": number(v["orgs.subordinate_cells"]), "members": members}
    return _("%(head)s có %(members)s.") % {"head": head, "members": members}


def _composition(v: dict) -> str:
    total = v["members"]
    if not total:
        return ""
    parts = []
    for key, label in (("members.female", _("đảng viên nữ")), ("members.minority", _("đảng viên người dân tộc thiểu số")),
                       ("members.religious", _("đảng viên theo tôn giáo")), ("members.probationary", _("đảng viên dự bị"))):
        if v[key]:
            parts.append(_("%(label)s %(n)s đồng chí (chiếm %(pct)s)") % {
                "label": label, "n": number(v[key]), "pct": percent(engine.ratio(v[key], total))})
    if not parts:
        return ""
    return _("Trong đó, %(parts)s.") % {"parts": "; ".join(parts)}


def _villages(v: dict) -> str:
    if not v["villages"]:
        return ""
    return _("%(with)s/%(total)s thôn, tổ dân phố có chi bộ (%(pct)s).") % {
        "with": number(v["villages.with_cell"]), "total": number(v["villages"]),
        "pct": percent(engine.ratio(v["villages.with_cell"], v["villages"]))}


def _political_system(v: dict) -> str:
    """"58/125 trưởng thôn, tổ trưởng tổ dân phố là đảng viên, chiếm 46,4%; 7 bí thư chi bộ đồng thời
    là trưởng thôn...": from the political-system section's totals when the report has them (no
    query of its own); each clause only when its figure is not zero."""
    if not v.get("posts.village_heads") and not any(v.get(k) for k in ("concurrent.secretary_ubnd_chair", "concurrent.secretary_hdnd_chair")):
        return ""
    parts = []
    if v.get("posts.village_heads.members"):
        parts.append(_("%(m)s/%(n)s trưởng thôn, tổ trưởng tổ dân phố là đảng viên, chiếm %(pct)s") % {
            "m": number(v["posts.village_heads.members"]), "n": number(v["posts.village_heads"]),
            "pct": percent(engine.ratio(v["posts.village_heads.members"], v["posts.village_heads"]))})
    for key, label in (("concurrent.cell_secretary_village_head", _("%(n)s bí thư chi bộ đồng thời là trưởng thôn, tổ trưởng tổ dân phố")),
                       ("concurrent.secretary_ubnd_chair", _("%(n)s bí thư đồng thời là chủ tịch UBND")),
                       ("concurrent.secretary_hdnd_chair", _("%(n)s bí thư đồng thời là chủ tịch HĐND"))):
        if v.get(key):
            parts.append(label % {"n": number(v[key])})
    if not parts:
        return ""
    return _("Về hệ thống chính trị, %(parts)s.") % {"parts": "; ".join(parts)}


def _changes(period, c: dict) -> str:
    labels = {
        "events.admitted": _("kết nạp %(n)s đảng viên mới"),
        "events.readmitted": _("kết nạp lại %(n)s đồng chí"),
        "events.transferred_in": _("tiếp nhận %(n)s đảng viên chuyển đến"),
        "events.transferred_out": _("chuyển đi %(n)s đồng chí"),
        "events.removed": _("xóa tên %(n)s đồng chí"),
        "events.expelled": _("khai trừ %(n)s đồng chí"),
        "events.left": _("cho ra khỏi Đảng %(n)s đồng chí"),
        "events.deceased": _("%(n)s đồng chí từ trần"),
    }
    parts = [labels[k] % {"n": number(c[k])} for k in CHANGES if c[k]]
    if not parts:
        return ""
    return _("Từ ngày %(start)s đến ngày %(end)s, %(parts)s.") % {"start": day(period[0]), "end": day(period[1]), "parts": "; ".join(parts)}


def _year_on_year(organization, on: dt.date, scope, members: int) -> str:
    before = engine.year_before(on)
    try:
        then = engine.count("members", organization, on=before, scope=scope)
    except engine.MeasureError:
        return ""
    if then == members:
        return _("Số đảng viên không đổi so với cùng kỳ năm trước.")
    if members > then:
        return _("So với cùng kỳ năm trước, số đảng viên tăng %(n)s đồng chí.") % {"n": number(members - then)}
    return _("So với cùng kỳ năm trước, số đảng viên giảm %(n)s đồng chí.") % {"n": number(then - members)}


def _cell_work(v: dict) -> str:
    """"Trong kỳ, các chi bộ sinh hoạt 96 buổi thường kỳ và 24 buổi chuyên đề …": from the report's
    cell-work section when it has it (the standalone paragraph does not ask for it)."""
    if "meetings.regular" not in v:
        return ""
    parts = []
    if v["meetings.regular"] or v["meetings.thematic"]:
        parts.append(_("các chi bộ sinh hoạt %(regular)s buổi thường kỳ và %(thematic)s buổi chuyên đề (%(pp)s buổi có cấp ủy viên phụ trách dự)")
                     % {"regular": number(v["meetings.regular"]), "thematic": number(v["meetings.thematic"]),
                        "pp": number(v["meetings.point_person"])})
        if v["attendance.expected"]:
            parts.append(_("tỉ lệ đảng viên dự sinh hoạt %(pct)s") % {"pct": percent(engine.ratio(v["attendance.present"], v["attendance.expected"]))})
        if v["absences.unexcused"]:
            parts.append(_("%(n)s lượt vắng không lý do") % {"n": number(v["absences.unexcused"])})
    if v["dues.due"]:
        parts.append(_("đã thu %(paid)s/%(due)s đồng đảng phí") % {"paid": number(v["dues.paid"]), "due": number(v["dues.due"])})
    if v["commendations"]:
        parts.append(_("%(n)s lượt khen thưởng") % {"n": number(v["commendations"])})
    if not parts:
        return ""
    return _("Trong kỳ, %(parts)s.") % {"parts": "; ".join(parts)}
