"""Build a scenario: a party committee on its real legacy units, with records that satisfy its figures.

The loader reads the mapped figures of a scenario (kinds.py) as constraints and plans around
them, filling in what the article does not say with the usual shape of a district:

- the committee: a district committee (Kind.DISTRICT_COMMITTEE, area: the legacy district) under
  its province committee, or for a commune's committee ("Đảng bộ thị trấn Nghèn") the commune's
  grassroots committee under a district committee of its district;
- under a district committee: a đảng bộ cơ sở for each real legacy commune of the district (area:
  the commune), the district's agency committees and its grassroots cells (schools, agencies,
  enterprises), as many as the figures say;
- villages (AdminUnit level village, through places.services.create_village) in each commune, a
  chi bộ trực thuộc for each village that has one (Placement.villages = that village), and the
  commune's other cells (school, health station, military, police...); a dated merge of villages
  when the figures give counts before and after (villages closed, merged ones created, the
  cells renamed or closed and their members moved on that day);
- the members (members.py), written through members.bulk.record_members;
- for the figures on the annual quality evaluation, the published evaluations of the years they
  hold for (evaluations.py), step by step through coso.evaluation.services.

Other levels (meaning.committee_level):

- a province committee before 01/07/2025: the province committee, a district committee for each
  legacy district and, to reach a figure on district-level committees, the province's agency,
  enterprise and armed-forces committees; under them a grassroots committee for each legacy
  commune (with a few villages and their cells) and the other grassroots organizations a figure
  on them asks for (chi bộ cơ sở, or agency committees with two cells each);
- a province committee after 01/07/2025: a commune committee (Kind.COMMUNE_COMMITTEE) for each
  2025 commune, ward and special zone, each with a few villages and their grassroots cells and
  an office cell, and grassroots cells of the province's agencies directly under it, as many as a
  figure on grassroots organizations asks for;
- a commune, ward or special-zone committee after 01/07/2025 (Kind.COMMUNE_COMMITTEE, area: the
  2025 unit) under its 2025 province committee: a chi bộ cơ sở for each village (tổ dân phố) it
  creates in the 2025 commune, and the commune's school, health, police, military and office
  cells; its records begin on 01/07/2025, the day it was founded (earlier admissions are recorded
  with their dates).

Every write goes through the services (organizations, places, members.bulk), in one transaction,
deterministically from the seed. The records start HISTORY_YEARS before the earliest figure and
end on the latest one: the scenario is the committee as the article saw it.
"""

import datetime as dt
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from coso.data.demo.builder import _commune_party_name, village_names
from coso.lib.dates import fmt
from coso.lib.text import fold
from coso.measures import politicalledger
from coso.organizations import services as org
from coso.organizations.models import (
    GRASSROOTS_KINDS,
    Change,
    CloseReason,
    Kind,
    Organization,
    Placement,
    Sector,
)
from coso.places import services as places
from coso.places.models import AdminUnit, Generation, Level, UnitKind
from coso.places.services import REFORM_DATE, VILLAGE_PREFIXES

from . import catalog, evaluations, inspections, meaning, members, political, posts
from . import documents as scenario_documents
from .areas import Area, resolve
from .kinds import FigureError, Scenario
from .profiles import Profile, profile_for

HISTORY_YEARS = 10  # the records start this many years before the earliest figure
PARENTS_FROM = dt.date(2004, 1, 1)  # province and supporting district committees, unless earlier
SEED = 2025
CODE_PREFIX = "KB-"
# the measures the builder can satisfy, and whether a sub-organization may be named
BUILDABLE = {
    "members": True, "members.female": False, "members.minority": False, "members.religious": False,
    "members.probationary": False, "members.official": False, "members.exempted": False,
    "orgs.grassroots": False, "orgs.grassroots_committees": False, "orgs.grassroots_cells": False,
    "orgs.subordinate_cells": True, "villages": False, "villages.with_cell": False,
    "villages.without_resident_member": False, "events.admitted": False, "orgs.district_committees": False,
    "orgs.commune_committees": False,
    # the posts (posts.py): for the whole committee only
    "villages.head_member": False, "villages.cell_secretary_head": False, "concurrent.secretary_ubnd_chair": False,
}
# a province's committees at district level beside its districts: (name, sector, role of their cells, names of their units)
PROVINCE_AGENCIES = [
    ("Đảng bộ Khối các cơ quan tỉnh", Sector.AGENCY, "office",
     ["Văn phòng Tỉnh ủy", "Sở Tài chính", "Sở Nội vụ", "Sở Tư pháp", "Sở Xây dựng", "Sở Y tế", "Sở Giáo dục và Đào tạo",
      "Sở Nông nghiệp và Môi trường", "Sở Công Thương", "Sở Văn hóa, Thể thao và Du lịch", "Thanh tra tỉnh", "Văn phòng UBND tỉnh",
      "Ban Tổ chức Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy", "Ban Tuyên giáo Tỉnh ủy", "Sở Khoa học và Công nghệ"]),
    ("Đảng bộ Khối Doanh nghiệp tỉnh", Sector.ENTERPRISE, "office",
     ["Công ty Điện lực", "Công ty Cấp thoát nước", "Bưu điện tỉnh", "Viễn thông tỉnh", "Ngân hàng Nông nghiệp chi nhánh tỉnh",
      "Công ty Cổ phần Xây dựng", "Công ty Lâm nghiệp", "Công ty Môi trường đô thị"]),
    ("Đảng bộ Quân sự tỉnh", Sector.ARMED_FORCES, "military",
     ["Cơ quan Bộ Chỉ huy Quân sự tỉnh", "Trung đoàn Bộ binh", "Tiểu đoàn Huấn luyện", "Đại đội Trinh sát", "Kho Vũ khí"]),
    ("Đảng bộ Công an tỉnh", Sector.ARMED_FORCES, "police",
     ["Phòng Tham mưu", "Phòng An ninh chính trị nội bộ", "Phòng Cảnh sát hình sự", "Phòng Cảnh sát giao thông", "Trại tạm giam"]),
    ("Đảng bộ Bộ đội Biên phòng tỉnh", Sector.ARMED_FORCES, "military",
     ["Cơ quan Bộ Chỉ huy Bộ đội Biên phòng", "Đồn Biên phòng số 1", "Đồn Biên phòng số 2", "Đồn Biên phòng số 3"]),
]
VILLAGES_PER_COMMUNE = 3  # a province scenario: villages made per commune (enough to live in; no figure counts them)
# the rating measures evaluations.py builds (a figure may name a committee of the scenario)
RATINGS = {"ratings.members", "ratings.members.good_or_better", "ratings.organizations", "ratings.organizations.failed"}
TOWNS = (UnitKind.TOWNSHIP, UnitKind.WARD)
UNBOUNDED = 10**6


def committee_code(key: str) -> str:
    return (CODE_PREFIX + key.upper())[:40]


PARTY_WORDS = ("dang bo ", "chi bo ")


def names_match(full: str, wanted: str, exact: bool = True) -> bool:
    """A figure names an organization in full ("Đảng bộ xã Quế Lộc") or by its place alone ("in
    Quế Lộc"): exact compares the names, else a bare place name matches the end of the full one."""
    full, wanted = fold(full), fold(wanted)
    if exact:
        return full == wanted
    return bool(wanted) and not wanted.startswith(PARTY_WORDS) and full.endswith(" " + wanted)


@dataclass(eq=False)
class Village:
    commune: AdminUnit
    name: str
    kind: str
    minority: bool = False
    merged_into: "Village | None" = None  # closed on the change date; part of that village from then
    new: bool = False  # created on the change date by a merge
    no_resident: bool = False  # no counted member lives here (a figure says how many)
    unit: AdminUnit | None = None
    cell: "Cell | None" = None  # its chi bộ from the start (a merged village: none, its part's cell goes on)

    def in_force(self, day: dt.date, change_on: dt.date | None) -> bool:
        if change_on is None:
            return not self.new
        return (day >= change_on) if self.new else (self.merged_into is None or day < change_on)

    def on(self, day: dt.date, change_on: dt.date | None) -> "Village":
        """The village this one is (or has become) on the day."""
        if self.merged_into is not None and change_on is not None and day >= change_on:
            return self.merged_into
        return self

    @property
    def full_name(self) -> str:
        return self.unit.full_name if self.unit else self.name


@dataclass(eq=False)
class Committee:
    name: str
    kind: str
    sector: str
    area: AdminUnit | None
    commune: AdminUnit | None = None
    code: str | None = None
    role: str = ""  # an agency committee: the role of its cells
    cell_names: tuple = ()  # an agency committee: the names of its cells
    cells: list = field(default_factory=list)
    organization: Organization | None = None
    upper: "Committee | None" = None  # a province scenario: the district-level committee it sits under


@dataclass(eq=False)
class Cell:
    """A cell that holds members: a chi bộ trực thuộc, or a chi bộ cơ sở directly under the district.

    role and sector are what coso.data.demo.members.allocate sizes a cell by."""

    name: str
    role: str  # village, school, health, military, police, office, grassroots
    sector: str
    kind: str
    parent: Committee | None  # None: a grassroots cell directly under the district committee
    commune: AdminUnit | None = None
    area: AdminUnit | None = None
    village: Village | None = None
    closes_on: dt.date | None = None  # merged into successor on that day
    successor: "Cell | None" = None
    renamed_on: dt.date | None = None  # from that day it is the cell of village.merged_into
    organization: Organization | None = None
    upper: "Committee | None" = None  # a grassroots cell of a province scenario: its district-level committee

    def in_force(self, day: dt.date) -> bool:
        return self.closes_on is None or day < self.closes_on

    def village_on(self, day: dt.date) -> Village | None:
        if self.village is None:
            return None
        if self.renamed_on is not None and day >= self.renamed_on:
            return self.village.merged_into
        return self.village


@dataclass
class Needs:
    """The mapped figures of a scenario as constraints: stock values by (measure, organization),
    event counts over periods, and a dated change of the village count."""

    stock: dict = field(default_factory=dict)  # (measure, org name) -> Check
    events: list = field(default_factory=list)
    ratings: list = field(default_factory=list)  # checks on published annual ratings
    inspections: list = field(default_factory=list)  # checks on inspection and supervision cases
    documents: list = field(default_factory=list)  # checks on documents issued over a period (documents.py)
    change: tuple | None = None  # (before, after, on)
    political: list = field(default_factory=list)  # checks on staffing and training (political.py builds them)

    @classmethod
    def of(cls, scenario: Scenario) -> "Needs":
        needs = cls()
        before = after = None
        for figure in scenario.mapped():
            for c in figure.checks:
                label = _("Kịch bản %(scenario)s, số liệu thứ %(n)s “%(kind)s”") % {
                    "scenario": scenario.key, "n": figure.index, "kind": figure.kind}
                if c.measure in political.BUILDABLE:
                    if c.organization:
                        raise FigureError(_("%(figure)s: chỉ tiêu %(measure)s chỉ dựng được cho cả đảng bộ, không cho một tổ chức trực thuộc.") % {
                            "figure": label, "measure": c.measure})
                    needs.political.append(c)
                    continue
                if c.measure.startswith("ratings."):
                    if c.measure not in RATINGS or (c.base and c.base not in RATINGS):
                        raise FigureError(_("%(figure)s: trình nạp chưa dựng được dữ liệu cho chỉ tiêu %(measure)s.") % {
                            "figure": label, "measure": c.measure})
                    needs.ratings.append(c)
                    continue
                if c.measure.startswith("inspection."):
                    needs.inspections.append(c)
                    continue
                if c.measure in scenario_documents.MEASURES and not c.organization:
                    needs.documents.append(c)
                    continue
                if c.measure not in BUILDABLE or not _buildable_at(c.measure, scenario.level):
                    # understood, but not a figure the loader can build: reported, the others load
                    figure.unknown = _("trình nạp chưa dựng được dữ liệu cho chỉ tiêu %(measure)s") % {"measure": c.measure}
                    break
                if c.organization and not BUILDABLE[c.measure]:
                    raise FigureError(_("%(figure)s: chỉ tiêu %(measure)s chỉ dựng được cho cả đảng bộ, không cho một tổ chức trực thuộc.") % {
                        "figure": label, "measure": c.measure})
                if c.role == "before":
                    before = c
                elif c.role == "after":
                    after = c
                elif c.period:
                    if c.organization:
                        raise FigureError(_("%(figure)s: số liệu biến động chỉ dựng được cho cả đảng bộ.") % {"figure": label})
                    needs.events.append(c)
                else:
                    key = (c.measure, c.organization)
                    known = needs.stock.get(key)
                    if known and (known.on != c.on or known.expected != c.expected):
                        raise FigureError(_("%(figure)s: chỉ tiêu %(measure)s đã có số liệu %(value)s ngày %(date)s; trình nạp chỉ dựng một số liệu cho mỗi chỉ tiêu.") % {
                            "figure": label, "measure": c.measure, "value": known.expected, "date": fmt(known.on)})
                    needs.stock[key] = c
        if before and after:
            needs.change = (before.expected, after.expected, after.on)
        for key in [k for k in needs.stock if needs.stock[k] in [c for f in scenario.figures if f.unknown for c in f.checks]]:
            del needs.stock[key]
        return needs

    def get(self, measure: str, organization: str = "") -> int | None:
        c = self.stock.get((measure, organization))
        return c.expected if c else None

    def date(self, *measures: str) -> dt.date | None:
        days = {c.on for (m, _o), c in self.stock.items() if m in measures}
        if len(days) > 1:
            raise FigureError(_("Các số liệu %(measures)s phải cùng một ngày.") % {"measures": ", ".join(measures)})
        return days.pop() if days else None

    def named(self) -> set[str]:
        return {o for (_m, o) in self.stock if o} | {c.organization for c in self.ratings if c.organization}


# what the loader builds at each level beyond the members (the others: reported, not built)
LEVEL_MEASURES = {
    meaning.PROVINCE: {"members", "members.female", "members.minority", "members.religious", "members.probationary",
                       "members.official", "members.exempted", "orgs.grassroots", "orgs.grassroots_committees",
                       "orgs.grassroots_cells", "orgs.district_committees", "orgs.commune_committees", "events.admitted"},
    meaning.COMMUNE: {"members", "members.female", "members.minority", "members.religious", "members.probationary",
                      "members.official", "members.exempted", "orgs.grassroots", "orgs.grassroots_cells", "villages",
                      "villages.with_cell", "events.admitted"},
}


def _buildable_at(measure: str, level: str) -> bool:
    allowed = LEVEL_MEASURES.get(level)
    return (measure != "orgs.district_committees") if allowed is None else measure in allowed


@dataclass
class Plan:
    scenario: Scenario
    area: Area
    profile: Profile
    rng: random.Random
    needs: Needs
    start: dt.date
    end: dt.date
    count_day: dt.date  # the day the member figures hold
    change_on: dt.date | None = None
    committees: list[Committee] = field(default_factory=list)  # grassroots committees (communes first)
    grassroots_cells: list[Cell] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)  # every cell holding members
    villages: list[Village] = field(default_factory=list)
    minority_communes: set = field(default_factory=set)  # commune pks where minorities live
    main: Committee | None = None  # the scenario's committee
    districts: list[Committee] = field(default_factory=list)  # a province scenario: its district-level committees
    seat: AdminUnit | None = None  # the commune the district's agencies are in
    village_has_cell: set = field(default_factory=set)

    def committee(self, name: str) -> Committee:
        for exact in (True, False):
            for c in [self.main, *self.committees]:
                if c is not None and names_match(c.name, name, exact):
                    return c
        raise FigureError(_("Kịch bản %(scenario)s: không có tổ chức nào tên “%(name)s” trong đảng bộ.") % {
            "scenario": self.scenario.key, "name": name})

    def villages_on(self, day: dt.date) -> list[Village]:
        return [v for v in self.villages if v.in_force(day, self.change_on)]


# ---------------------------------------------------------------- planning


def spread(total: int, weights: list[float], low: list[int], high: list[int]) -> list[int]:
    """total split into integers near total * weight, each within [low, high]."""
    if total < sum(low) or total > sum(high):
        raise ValueError(total)
    out = list(low)
    scale = sum(weights) or 1
    for _i in range(total - sum(low)):
        k = max((i for i in range(len(out)) if out[i] < high[i]), key=lambda i: total * weights[i] / scale - out[i])
        out[k] += 1
    return out


def _dates(scenario: Scenario, needs: Needs) -> tuple[dt.date, dt.date, dt.date]:
    checks = [c for c in scenario.checks() if not c.measure.startswith(("ratings.", "inspection."))]  # evaluation years, inspections lie inside
    if not checks:
        raise FigureError(_("Kịch bản %(scenario)s không có số liệu nào để dựng dữ liệu.") % {"scenario": scenario.key})
    firsts = [c.on or c.period[0] for c in checks]
    lasts = [c.on or c.period[1] for c in checks]
    start = dt.date(min(firsts).year - HISTORY_YEARS, 1, 1)
    end = max(lasts)
    count_day = needs.date("members", "members.female", "members.minority", "members.religious",
                           "members.probationary", "members.official", "members.exempted")
    members_named = [c.on for (m, o), c in needs.stock.items() if m == "members" and o]
    if members_named and count_day and members_named[0] != count_day:
        raise FigureError(_("Kịch bản %(scenario)s: các số liệu đảng viên phải cùng một ngày.") % {"scenario": scenario.key})
    residents_on = needs.date("villages.without_resident_member")
    if count_day and residents_on and residents_on != count_day:
        raise FigureError(_("Kịch bản %(scenario)s: số thôn không có đảng viên cư trú phải cùng ngày với số liệu đảng viên.") % {
            "scenario": scenario.key})
    count_day = count_day or residents_on or end
    if scenario.level == meaning.COMMUNE or (scenario.level == meaning.PROVINCE and end >= REFORM_DATE):
        if min(firsts) < REFORM_DATE:
            raise FigureError(_("Kịch bản %(scenario)s: đảng bộ xã, phường mới thành lập từ ngày %(date)s; số liệu ngày %(first)s ở trước ngày đó.") % {
                "scenario": scenario.key, "date": fmt(REFORM_DATE), "first": fmt(min(firsts))})
        return REFORM_DATE, end, count_day
    if end >= REFORM_DATE:
        raise FigureError(_("Kịch bản %(scenario)s: trình nạp dựng đảng bộ trên đơn vị hành chính trước ngày %(date)s; số liệu ngày %(last)s ở sau ngày đó.") % {
            "scenario": scenario.key, "date": fmt(REFORM_DATE), "last": fmt(end)})
    return start, end, count_day


def plan(scenario: Scenario, area: Area, seed: int = SEED) -> Plan:
    needs = Needs.of(scenario)
    start, end, count_day = _dates(scenario, needs)
    rng = random.Random(f"{seed}:{scenario.key}")
    p = Plan(scenario=scenario, area=area, profile=profile_for(area.province.code, area.new_province_code), rng=rng,
             needs=needs, start=start, end=end, count_day=count_day, change_on=needs.change[2] if needs.change else None)
    if area.level in (meaning.PROVINCE, meaning.COMMUNE):
        if needs.change:
            raise FigureError(_("Kịch bản %(scenario)s: trình nạp chỉ dựng việc sáp nhập thôn cho đảng bộ huyện hoặc đảng bộ cơ sở.") % {
                "scenario": scenario.key})
        count = max(1, round(len(area.communes) * 0.3))
        p.minority_communes = {c.pk for c in rng.sample(area.communes, min(count, len(area.communes)))}
        if area.level == meaning.COMMUNE:
            _plan_commune_2025(p)
        elif area.province.generation == Generation.CURRENT:
            _plan_province_2025(p)
        else:
            _plan_province(p)
        for name in needs.named():
            p.committee(name)
        p.cells = [cell for c in p.committees for cell in c.cells] + p.grassroots_cells
        return p
    towns = [c for c in area.communes if c.kind in TOWNS]
    p.seat = (towns or area.communes)[0]
    count = max(1, round(len(area.communes) * 0.3))
    p.minority_communes = {c.pk for c in rng.sample([c for c in area.communes if c.kind not in TOWNS] or area.communes,
                                                     min(count, len(area.communes)))}
    _plan_committees(p)
    for name in needs.named():
        p.committee(name)
    _plan_villages(p)
    _plan_cells(p)
    return p


def _spread_or_fail(p: Plan, total: int, weights, low, high, what: str) -> list[int]:
    try:
        return spread(total, weights, low, high)
    except ValueError:
        raise FigureError(_("Kịch bản %(scenario)s: không chia được %(n)s %(what)s.") % {
            "scenario": p.scenario.key, "n": total, "what": what}) from None


def _few_villages(p: Plan, commune: AdminUnit, count: int, offset: int) -> list[Village]:
    kind, names = _village_names(p, commune, count, offset)
    return [Village(commune, name, kind) for name in names]


def _plan_province(p: Plan) -> None:
    """A province committee before 01/07/2025: districts, its agency committees, their grassroots organizations."""
    area, needs, rng = p.area, p.needs, p.rng
    province = area.province
    word = "thành phố" if province.kind == UnitKind.CITY else "tỉnh"
    p.main = Committee(f"Đảng bộ {word} {province.name}", Kind.PROVINCE_COMMITTEE, Sector.OTHER, province, code=committee_code(p.scenario.key))
    for district in area.districts:
        prefix = {UnitKind.URBAN_DISTRICT: "quận", UnitKind.TOWN: "thị xã", UnitKind.PROVINCIAL_CITY: "thành phố"}.get(district.kind, "huyện")
        p.districts.append(Committee(f"Đảng bộ {prefix} {district.name}", Kind.DISTRICT_COMMITTEE, Sector.OTHER, district))
    level = needs.get("orgs.district_committees")
    agencies = 3 if level is None else level - len(area.districts)
    if not 0 <= agencies <= len(PROVINCE_AGENCIES):
        raise FigureError(_("Kịch bản %(scenario)s: %(province)s có %(n)s huyện, thị xã, thành phố; số liệu %(level)s đảng bộ trực thuộc cần %(agencies)s đảng bộ khối, lực lượng vũ trang (dựng được 0–%(max)s).") % {
            "scenario": p.scenario.key, "province": province.full_name, "n": len(area.districts), "level": level, "agencies": agencies,
            "max": len(PROVINCE_AGENCIES)})
    agency_committees = []
    for name, sector, role, units in PROVINCE_AGENCIES[:agencies]:
        c = Committee(name, Kind.DISTRICT_COMMITTEE, sector, province, role=role, cell_names=tuple(units))
        p.districts.append(c)
        agency_committees.append(c)
    by_district = {c.area.pk: c for c in p.districts if c.area is not None and c.area.level == Level.DISTRICT}
    for commune in area.communes:
        p.committees.append(Committee(_commune_party_name(commune), Kind.GRASSROOTS_COMMITTEE, Sector.COMMUNE, commune, commune,
                                      upper=by_district[commune.parent_id]))
    n = len(area.communes)
    total, committees, cells = needs.get("orgs.grassroots"), needs.get("orgs.grassroots_committees"), needs.get("orgs.grassroots_cells")
    if total is None:
        total = (committees if committees is not None else n + len(p.districts)) + (cells if cells is not None else 3 * len(p.districts))
    if committees is None:
        committees = n + round(max(0, total - n - (cells or 0)) * 0.2) if cells is None else total - cells
    cells = total - committees if cells is None else cells
    if committees < n or cells < 0 or committees + cells != total:
        raise FigureError(_("Kịch bản %(scenario)s: %(province)s có %(n)s xã, phường, thị trấn, mỗi nơi một đảng bộ cơ sở; các số liệu tổ chức cơ sở đảng (%(total)s = %(committees)s + %(cells)s) không hợp với điều đó.") % {
            "scenario": p.scenario.key, "province": province.full_name, "n": n, "total": total, "committees": committees, "cells": cells})
    uppers = p.districts
    weights = [8.0 if c.role else 3.0 for c in uppers]
    other_committees = _spread_or_fail(p, committees - n, weights, [0] * len(uppers), [UNBOUNDED] * len(uppers), _("đảng bộ cơ sở"))
    other_cells = _spread_or_fail(p, cells, weights, [0] * len(uppers), [UNBOUNDED] * len(uppers), _("chi bộ cơ sở"))
    for upper, k_committees, k_cells in zip(uppers, other_committees, other_cells, strict=True):
        names = [*upper.cell_names] if upper.role else [
            name for name, _sector in catalog.grassroots_cells(k_committees + k_cells, upper.area.name,
                                                              [c.name for c in area.communes if c.parent_id == upper.area.pk])]
        while len(names) < k_committees + k_cells:
            names.append(f"Đơn vị số {len(names) + 1}")
        sector = upper.sector if upper.role else Sector.AGENCY
        role = upper.role or "office"
        for name in names[:k_committees]:
            c = Committee(f"Đảng bộ {name}", Kind.GRASSROOTS_COMMITTEE, sector, upper.area, role=role, upper=upper)
            c.cells = [Cell(f"Chi bộ {unit}", role, sector, Kind.SUBORDINATE_CELL, c, area=upper.area)
                       for unit in ("Văn phòng", "Bộ phận nghiệp vụ")]
            p.committees.append(c)
        for name in names[k_committees:k_committees + k_cells]:
            p.grassroots_cells.append(Cell(f"Chi bộ {name}", "grassroots", sector, Kind.GRASSROOTS_CELL, None, area=upper.area, upper=upper))
    # a few villages in each commune, each with its cell, and the commune's office cell
    offset = 0
    for c in p.committees:
        if c.commune is None:
            continue
        made = _few_villages(p, c.commune, VILLAGES_PER_COMMUNE, offset)
        offset += VILLAGES_PER_COMMUNE * 2 + 5
        p.villages += made
        for v in made:
            cell = Cell(_cell_name(v), "village", Sector.COMMUNE, Kind.SUBORDINATE_CELL, c, c.commune, c.commune, v)
            v.cell = cell
            c.cells.append(cell)
        c.cells += _other_cells(c, 1)
    p.village_has_cell = set(p.villages)
    rng.shuffle(p.grassroots_cells)


def _plan_province_2025(p: Plan) -> None:
    """A province committee after 01/07/2025: its commune committees and the grassroots cells of its agencies."""
    area, needs, rng = p.area, p.needs, p.rng
    province = area.province
    word = "thành phố" if province.kind == UnitKind.CITY else "tỉnh"
    p.main = Committee(f"Đảng bộ {word} {province.name}", Kind.PROVINCE_COMMITTEE, Sector.OTHER, province, code=committee_code(p.scenario.key))
    n = len(area.communes)
    stated = needs.get("orgs.commune_committees")
    if stated is not None and stated != n:
        raise FigureError(_("Kịch bản %(scenario)s: %(province)s có %(n)s xã, phường, đặc khu (đơn vị hành chính từ ngày 01/07/2025); số liệu ghi %(stated)s đảng bộ cấp xã.") % {
            "scenario": p.scenario.key, "province": province.full_name, "n": n, "stated": stated})
    for commune in area.communes:
        cword = {UnitKind.WARD: "phường", UnitKind.SPECIAL_ZONE: "đặc khu"}.get(commune.kind, "xã")
        p.committees.append(Committee(f"Đảng bộ {cword} {commune.name}", Kind.COMMUNE_COMMITTEE, Sector.COMMUNE, commune, commune))
    total = needs.get("orgs.grassroots") or needs.get("orgs.grassroots_cells")
    if total is None:
        total = n * (VILLAGES_PER_COMMUNE + 1) + 3 * len(PROVINCE_AGENCIES)
    agencies = min(total - 2 * n, max(0, round(total * 0.1)), sum(len(units) for *_x, units in PROVINCE_AGENCIES))
    if agencies < 0:
        raise FigureError(_("Kịch bản %(scenario)s: %(total)s tổ chức cơ sở đảng quá ít cho %(n)s đảng bộ xã, phường (mỗi nơi ít nhất hai chi bộ).") % {
            "scenario": p.scenario.key, "total": total, "n": n})
    per_commune = _spread_or_fail(p, total - agencies, [1.0] * n, [2] * n, [2 + len(catalog.COMMUNE_CELLS) + 40] * n, _("chi bộ cơ sở"))
    offset = 0
    for c, k in zip(p.committees, per_commune, strict=True):
        others = 1 if k <= 4 else min(len(catalog.COMMUNE_CELLS), round(k * 0.15))
        made = _few_villages(p, c.commune, k - others, offset)
        offset += (k - others) * 2 + 5
        p.villages += made
        cword = {UnitKind.WARD: "phường", UnitKind.SPECIAL_ZONE: "đặc khu"}.get(c.commune.kind, "xã")
        for v in made:
            cell = Cell(_cell_name(v), "village", Sector.COMMUNE, Kind.GRASSROOTS_CELL, c, c.commune, c.commune, v)
            v.cell = cell
            c.cells.append(cell)
        for role, name, sector in catalog.COMMUNE_CELLS[:others]:
            c.cells.append(Cell("Chi bộ " + name.format(c=c.commune.name, p=cword), role, sector, Kind.GRASSROOTS_CELL, c,
                                c.commune, c.commune))
    units = [(unit, sector, role) for _name, sector, role, names in PROVINCE_AGENCIES for unit in names]
    for unit, sector, _role in units[:agencies]:
        p.grassroots_cells.append(Cell(f"Chi bộ {unit}", "grassroots", sector, Kind.GRASSROOTS_CELL, None, area=province, upper=p.main))
    p.village_has_cell = set(p.villages)
    rng.shuffle(p.grassroots_cells)


def _plan_commune_2025(p: Plan) -> None:
    """A commune, ward or special-zone committee after 01/07/2025: its grassroots cells (villages, agencies)."""
    area, needs, rng = p.area, p.needs, p.rng
    commune = area.commune
    word = {UnitKind.WARD: "phường", UnitKind.SPECIAL_ZONE: "đặc khu"}.get(commune.kind, "xã")
    p.main = Committee(f"Đảng bộ {word} {commune.name}", Kind.COMMUNE_COMMITTEE, Sector.COMMUNE, commune, commune,
                       code=committee_code(p.scenario.key))
    p.committees = [p.main]
    total, cells = needs.get("orgs.grassroots"), needs.get("orgs.grassroots_cells")
    if total is not None and cells is not None and total != cells:
        raise FigureError(_("Kịch bản %(scenario)s: trình nạp dựng các tổ chức cơ sở đảng của đảng bộ xã, phường là chi bộ cơ sở; %(total)s tổ chức cơ sở đảng khác %(cells)s chi bộ cơ sở.") % {
            "scenario": p.scenario.key, "total": total, "cells": cells})
    total = total if total is not None else cells
    members_wanted = needs.get("members")
    if total is None:
        total = max(8, min(60, round(members_wanted / 22))) if members_wanted else rng.randint(18, 30)
    others = min(len(catalog.COMMUNE_CELLS), max(1, round(total * 0.15)))
    villages = needs.get("villages.with_cell") or needs.get("villages") or total - others
    others = total - villages
    if villages < 1 or not 0 <= others <= len(catalog.COMMUNE_CELLS):
        raise FigureError(_("Kịch bản %(scenario)s: không dựng được %(total)s chi bộ cơ sở với %(villages)s thôn, tổ dân phố.") % {
            "scenario": p.scenario.key, "total": total, "villages": villages})
    made = _few_villages(p, commune, villages, 0)
    p.villages = made
    for v in made:
        cell = Cell(_cell_name(v), "village", Sector.COMMUNE, Kind.GRASSROOTS_CELL, p.main, commune, commune, v)
        v.cell = cell
        p.main.cells.append(cell)
    for role, name, sector in catalog.COMMUNE_CELLS[:others]:
        p.main.cells.append(Cell("Chi bộ " + name.format(c=commune.name, p=word), role, sector, Kind.GRASSROOTS_CELL, p.main, commune, commune))
    p.village_has_cell = set(made)


def _plan_committees(p: Plan) -> None:
    area, needs, rng = p.area, p.needs, p.rng
    if area.commune_level:
        for measure in ("orgs.grassroots", "orgs.grassroots_committees", "orgs.grassroots_cells"):
            if needs.get(measure) is not None:
                raise FigureError(_("Kịch bản %(scenario)s: đảng bộ cấp xã không có tổ chức cơ sở đảng trực thuộc (%(measure)s).") % {
                    "scenario": p.scenario.key, "measure": measure})
        commune = area.commune
        p.main = Committee(_commune_party_name(commune), Kind.GRASSROOTS_COMMITTEE, Sector.COMMUNE, commune, commune,
                           code=committee_code(p.scenario.key))
        p.committees = [p.main]
        return
    p.main = Committee(f"Đảng bộ huyện {area.district_name}", Kind.DISTRICT_COMMITTEE, Sector.OTHER, area.district,
                       code=committee_code(p.scenario.key))
    if area.district is not None:
        prefix = {UnitKind.URBAN_DISTRICT: "quận", UnitKind.TOWN: "thị xã", UnitKind.PROVINCIAL_CITY: "thành phố"}.get(area.district.kind, "huyện")
        p.main.name = f"Đảng bộ {prefix} {area.district_name}"
    n = len(area.communes)
    total, committees, cells = needs.get("orgs.grassroots"), needs.get("orgs.grassroots_committees"), needs.get("orgs.grassroots_cells")
    inconsistent = any(f.inconsistency for f in p.scenario.figures)
    if total is not None and not inconsistent:
        if committees is None and cells is None:
            committees = min(total, n + max(3, min(5, round(n / 2))))
        committees = total - cells if committees is None else committees
        cells = total - committees if cells is None else cells
    committees = n + max(3, min(5, round(n / 2))) if committees is None else committees
    cells = 2 * n + 5 if cells is None else cells
    if committees < n or cells < 0:
        raise FigureError(_("Kịch bản %(scenario)s: %(district)s có %(n)s xã, thị trấn, mỗi nơi một đảng bộ cơ sở; số liệu chỉ có %(committees)s đảng bộ cơ sở.") % {
            "scenario": p.scenario.key, "district": p.main.name, "n": n, "committees": committees})
    agencies = committees - n
    if agencies > len(catalog.AGENCY_COMMITTEES):
        raise FigureError(_("Kịch bản %(scenario)s: không đủ tên cho %(n)s đảng bộ cơ quan (tối đa %(max)s).") % {
            "scenario": p.scenario.key, "n": agencies, "max": len(catalog.AGENCY_COMMITTEES)})
    agency_area = area.district or p.seat
    for commune in area.communes:
        p.committees.append(Committee(_commune_party_name(commune), Kind.GRASSROOTS_COMMITTEE, Sector.COMMUNE, commune, commune))
    for name, sector, role, cell_names in catalog.AGENCY_COMMITTEES[:agencies]:
        p.committees.append(Committee(name.format(d=area.district_name), Kind.GRASSROOTS_COMMITTEE, sector, agency_area,
                                      role=role, cell_names=tuple(cell_names)))
    for name, sector in catalog.grassroots_cells(cells, area.district_name, [c.name for c in area.communes]):
        p.grassroots_cells.append(Cell(f"Chi bộ {name}", "grassroots", sector, Kind.GRASSROOTS_CELL, None, area=agency_area))
    rng.shuffle(p.grassroots_cells)  # a mix in every position, the names stay as drawn


def _village_names(p: Plan, commune: AdminUnit, count: int, offset: int) -> tuple[str, list[str]]:
    """(kind, names) of the ordinary villages of a commune."""
    prof = p.profile
    if commune.kind in TOWNS:
        if prof.town_prefix:
            return prof.town_kind, [f"{prof.town_prefix} {i}" for i in range(1, count + 1)]
        return prof.town_kind, [str(i) for i in range(1, count + 1)]
    if prof.village_naming == "numbered":
        return prof.village_kind, [str(i) for i in range(1, count + 1)]
    names, seen = [], set()
    for name in village_names(count * 2 + 5, offset):
        if name not in seen and name.split(" ")[0] != name.split(" ")[-1]:
            seen.add(name)
            names.append(name)
    return prof.village_kind, names[:count]


def _plan_villages(p: Plan) -> None:
    area, needs, rng, prof = p.area, p.needs, p.rng, p.profile
    communes = area.communes
    change = needs.change
    total = needs.get("villages")
    at = needs.date("villages", "villages.with_cell", "villages.without_resident_member") or p.count_day
    if change:
        before, after, on = change
        if before < after:
            raise FigureError(_("Kịch bản %(scenario)s: trình nạp chỉ dựng việc sáp nhập thôn (số thôn giảm), không dựng việc chia tách.") % {
                "scenario": p.scenario.key})
        expected = after if at >= on else before
        if total is not None and total != expected:
            raise FigureError(_("Kịch bản %(scenario)s: số thôn ngày %(date)s (%(total)s) khác số thôn %(expected)s suy ra từ việc sáp nhập.") % {
                "scenario": p.scenario.key, "date": fmt(at), "total": total, "expected": expected})
        if not p.start < on <= p.end:
            raise FigureError(_("Kịch bản %(scenario)s: ngày sáp nhập thôn %(date)s phải trong khoảng dữ liệu (%(start)s–%(end)s).") % {
                "scenario": p.scenario.key, "date": fmt(on), "start": fmt(p.start), "end": fmt(p.end)})
        final, reductions = after, before - after
    else:
        final, reductions = total, 0
    # a commune whose subordinate cells a figure counts keeps room for one cell besides its villages
    # and no more other cells than it has names for
    caps, lows = [], []
    floor = 1 if final is None or final >= len(communes) else 0
    for commune in communes:
        wanted = _cells_wanted(p, next(c for c in p.committees if c.commune == commune))
        caps.append(UNBOUNDED if wanted is None else (wanted - 1 if wanted >= 2 else wanted))
        lows.append(floor if wanted is None else min(caps[-1], max(floor, wanted - len(catalog.COMMUNE_CELLS))))
    if final is None:
        counts = [max(low, min(cap, rng.randint(6, 14) if c.kind in TOWNS else rng.randint(5, 12)))
                  for c, low, cap in zip(communes, lows, caps, strict=True)]
    else:
        weights = [(1.2 if c.kind in TOWNS else 1.0) * rng.uniform(0.7, 1.3) for c in communes]
        try:
            counts = spread(final, weights, lows, caps)
        except ValueError:
            raise FigureError(_("Kịch bản %(scenario)s: không chia được %(n)s thôn cho %(m)s xã theo các số liệu.") % {
                "scenario": p.scenario.key, "n": final, "m": len(communes)}) from None
    # merges: pairs of villages, in communes whose cells no figure counts
    free = [0 if cap < UNBOUNDED else count for count, cap in zip(counts, caps, strict=True)]
    try:
        merges = spread(reductions, [max(f, 0) for f in free], [0] * len(communes), free)
    except ValueError:
        raise FigureError(_("Kịch bản %(scenario)s: không dựng được việc sáp nhập %(n)s thôn.") % {
            "scenario": p.scenario.key, "n": reductions}) from None
    offset = 0
    for commune, count, merged in zip(communes, counts, merges, strict=True):
        minority = commune.pk in p.minority_communes and prof.minority_village_kind and commune.kind not in TOWNS
        bons = round(count * 0.35) if minority else 0
        ordinary = count - bons
        # before the change: ordinary villages, of which the first `merged` pairs merge
        kind, names = _village_names(p, commune, ordinary + min(merged, ordinary), offset)
        offset += len(names) * 2 + 5
        pairs = min(merged, ordinary)
        made: list[Village] = []
        k = 0
        for _i in range(pairs):
            a, b = Village(commune, names[k], kind), Village(commune, names[k + 1], kind)
            numbered = names[k].split(" ")[-1].isdigit()
            m = Village(commune, names[k] if numbered else _merged_name(names, k), kind, new=True)
            a.merged_into = b.merged_into = m
            made += [a, b, m]
            k += 2
        made += [Village(commune, n, kind) for n in names[k:]]
        bon_names = list(prof.minority_village_names)
        rng.shuffle(bon_names)
        extra = merged - pairs
        for i in range(bons):
            name = bon_names[i] if i < len(bon_names) else f"{bon_names[i % len(bon_names)]} {i // len(bon_names) + 1}"
            made.append(Village(commune, name, prof.minority_village_kind, minority=True))
        if extra:
            raise FigureError(_("Kịch bản %(scenario)s: không đủ thôn để sáp nhập ở %(commune)s.") % {
                "scenario": p.scenario.key, "commune": commune.full_name})
        p.villages += made
    _choose_villages(p, at)


def _merged_name(names: list[str], k: int) -> str:
    """A merged village takes the first syllable of one name and the last of the other."""
    first, second = names[k].split(" ")[0], names[k + 1].split(" ")[-1]
    name = f"{first} {second}"
    return name if name not in names and first != second else f"{names[k]} - {names[k + 1]}"


def _choose_villages(p: Plan, at: dt.date) -> None:
    """Which villages have a cell and which have no member living there, on the figures' day."""
    rng, needs = p.rng, p.needs
    current = p.villages_on(at)
    with_cell = needs.get("villages.with_cell")
    with_cell = len(current) if with_cell is None else with_cell
    no_resident = needs.get("villages.without_resident_member") or 0
    if with_cell > len(current) or no_resident > len(current):
        raise FigureError(_("Kịch bản %(scenario)s: chỉ có %(n)s thôn ngày %(date)s.") % {
            "scenario": p.scenario.key, "n": len(current), "date": fmt(at)})

    def pick(pool, k, weight):
        keyed = sorted(pool, key=lambda v: rng.random() ** (1 / weight(v)), reverse=True)
        return set(keyed[:k])

    # "thôn trắng" (no cell) and villages without a member living there are mostly the remote ones
    without = pick(current, len(current) - with_cell, lambda v: 3.0 if v.minority else 1.0)
    for v in pick(current, no_resident, lambda v: 3.0 if v.minority else 1.0):
        v.no_resident = True
    has_cell = {v for v in current if v not in without}
    for v in p.villages:
        if v in current:
            continue
        if v.new:  # merged after the figures' day: a cell if one of its parts had one
            continue
        if v.merged_into in has_cell:  # before the merge, both parts had a cell
            has_cell.add(v)
    for v in p.villages:
        if v.new and v not in current:
            if any(o in has_cell for o in p.villages if o.merged_into is v):
                has_cell.add(v)
    p.village_has_cell = has_cell


def _plan_cells(p: Plan) -> None:
    rng, needs, area = p.rng, p.needs, p.area
    has_cell = p.village_has_cell
    by_commune = {c.commune.pk: c for c in p.committees if c.commune is not None}
    for v in p.villages:
        if v.new or v not in has_cell:
            continue
        committee = by_commune[v.commune.pk]
        cell = Cell(_cell_name(v), "village", Sector.COMMUNE, Kind.SUBORDINATE_CELL, committee, v.commune, v.commune, v)
        committee.cells.append(cell)
        v.cell = cell
    # merges: the first part's cell goes on as the merged village's; the second part's closes
    for m in [v for v in p.villages if v.new]:
        parts = [v for v in p.villages if v.merged_into is m and v.cell]
        if not parts:
            continue
        keeper, *others = parts
        keeper.cell.renamed_on = p.change_on
        for other in others:
            other.cell.closes_on, other.cell.successor = p.change_on, keeper.cell
    # the other cells of each committee, as many as the figures on subordinate cells leave
    day = needs.date("orgs.subordinate_cells") or p.count_day
    village_cells = {c: sum(1 for cell in c.cells if cell.in_force(day)) for c in p.committees}
    fixed, free = {}, []
    for c in p.committees:
        wanted = _cells_wanted(p, c)
        if wanted is not None:
            if wanted < village_cells[c] + (0 if c.commune else 1):
                raise FigureError(_("Kịch bản %(scenario)s: %(name)s cần ít nhất %(n)s chi bộ trực thuộc.") % {
                    "scenario": p.scenario.key, "name": c.name, "n": village_cells[c] + (0 if c.commune else 1)})
            fixed[c] = wanted - village_cells[c]
        else:
            free.append(c)
    total = None if area.commune_level else needs.get("orgs.subordinate_cells")
    limits = [len(catalog.COMMUNE_CELLS) if c.commune else 12 for c in free]
    lows = [0 if c.commune else 2 for c in free]
    if total is None:
        extra = [rng.randint(2, 5) if c.commune else rng.randint(4, 7) for c in free]
    else:
        rest = total - sum(village_cells.values()) - sum(fixed.values())
        if rest < sum(lows):
            lows = [0 if c.commune else 1 for c in free]
        try:
            extra = spread(rest, [3 if c.commune else 5 for c in free], lows, limits)
        except ValueError:
            raise FigureError(_("Kịch bản %(scenario)s: không dựng được %(n)s chi bộ trực thuộc với %(v)s chi bộ thôn.") % {
                "scenario": p.scenario.key, "n": total, "v": sum(village_cells.values())}) from None
    for c, n in [*fixed.items(), *zip(free, extra, strict=True)]:
        c.cells += _other_cells(c, n)
    p.cells = [cell for c in p.committees for cell in c.cells] + p.grassroots_cells
    rng.shuffle(p.cells)
    p.cells.sort(key=lambda cell: (p.committees.index(cell.parent) if cell.parent else len(p.committees)))


def _cells_wanted(p: Plan, c: Committee) -> int | None:
    """The subordinate cells a figure gives the committee (a commune's committee: its own figure)."""
    wanted = p.needs.get("orgs.subordinate_cells", c.name)
    if wanted is None and c is p.main:
        wanted = p.needs.get("orgs.subordinate_cells")
    return wanted


def _cell_name(v: Village) -> str:
    full = f"{VILLAGE_PREFIXES[v.kind]} {v.name}".strip()
    return f"Chi bộ {full[:1].lower()}{full[1:]}"


def _other_cells(c: Committee, n: int) -> list[Cell]:
    if c.commune is not None:
        word = {UnitKind.TOWNSHIP: "thị trấn", UnitKind.WARD: "phường"}.get(c.commune.kind, "xã")
        specs = catalog.COMMUNE_CELLS
        if n > len(specs):
            raise FigureError(_("%(name)s: không đủ tên cho %(n)s chi bộ cơ quan, trường học.") % {"name": c.name, "n": n})
        return [Cell("Chi bộ " + name.format(c=c.commune.name, p=word), role, sector, Kind.SUBORDINATE_CELL, c, c.commune, c.commune)
                for role, name, sector in specs[:n]]
    names = list(c.cell_names)
    k = 1
    while len(names) < n:
        names.append(catalog.EXTRA_CELL_NAMES[0].format(n=k))
        k += 1
    return [Cell(f"Chi bộ {name}", c.role, c.sector, Kind.SUBORDINATE_CELL, c, area=c.area) for name in names[:n]]


# ---------------------------------------------------------------- writing


def _parent(code: str, name: str, kind: str, area, parent, valid_from: dt.date, actor) -> Organization:
    existing = Organization.objects.filter(code=code).first()
    if existing is not None:
        return existing
    return org.create_organization(actor=actor, parent=parent, name=name, kind=kind, sector=Sector.OTHER, area=area,
                                   valid_from=valid_from, code=code)


def already_built(key: str) -> Organization | None:
    return Organization.objects.filter(code=committee_code(key)).first()


@transaction.atomic
def build(scenario: Scenario, *, seed: int = SEED, actor=None, say=print) -> Organization:
    # through the services, appointment after appointment: the political system's figures taken once per unit, at the end
    with politicalledger.batch():
        return _build(scenario, seed=seed, actor=actor, say=say)


def _build(scenario: Scenario, *, seed: int = SEED, actor=None, say=print) -> Organization:
    area = resolve(scenario.committee, scenario.key, scenario.level, current=scenario.latest() >= REFORM_DATE)
    p = plan(scenario, area, seed)
    taken = AdminUnit.objects.filter(parent__in=area.communes, level=Level.VILLAGE).select_related("parent").first()
    if taken is not None:
        raise FigureError(_("Kịch bản %(scenario)s: %(commune)s đã có thôn, tổ dân phố (của dữ liệu khác, ví dụ dữ liệu mẫu); hãy nạp kịch bản vào một cơ sở dữ liệu chưa có thôn ở địa bàn này.") % {
            "scenario": scenario.key, "commune": taken.parent.full_name})
    start = p.start
    province = area.province
    make = _maker(actor, start)
    if area.level == meaning.PROVINCE:
        p.main.organization = make(None, p.main)
        for c in p.committees:
            c.upper = c.upper or (p.main if area.province.generation == Generation.CURRENT else None)
        for c in p.districts:
            c.organization = make(p.main.organization, c)
        for c in p.committees:
            c.organization = make(c.upper.organization, c)
        _villages_and_cells(p, actor, start, make)
        for cell in p.grassroots_cells:
            cell.organization = make(cell.upper.organization, cell)
        return _finish(p, area, seed, actor, say)
    if area.level == meaning.COMMUNE:
        word = "thành phố" if province.kind == UnitKind.CITY else "tỉnh"
        top = _parent(f"{CODE_PREFIX}T2025-{province.code}", f"Đảng bộ {word} {province.name}", Kind.PROVINCE_COMMITTEE, province, None,
                      REFORM_DATE, actor)
        p.main.organization = make(top, p.main)
        _villages_and_cells(p, actor, start, make)
        return _finish(p, area, seed, actor, say)
    top = _parent(f"{CODE_PREFIX}T{province.code}", f"Đảng bộ tỉnh {province.name}", Kind.PROVINCE_COMMITTEE, province, None,
                  min(start, PARENTS_FROM), actor)
    if area.commune_level:
        district = _parent(f"{CODE_PREFIX}H{area.district.code}", f"Đảng bộ huyện {area.district.name}", Kind.DISTRICT_COMMITTEE,
                           area.district, top, min(start, PARENTS_FROM), actor)
        p.main.organization = make(district, p.main)
    else:
        p.main.organization = make(top, p.main)
        for c in p.committees:
            c.organization = make(p.main.organization, c)
    _villages_and_cells(p, actor, start, make)
    for cell in p.grassroots_cells:
        cell.organization = make(p.main.organization, cell)
    if p.change_on:
        _merge(p, actor)
    return _finish(p, area, seed, actor, say)


def _villages_and_cells(p: Plan, actor, start: dt.date, make) -> None:
    for v in p.villages:
        if not v.new:
            v.unit = places.create_village(actor=actor, commune=v.commune, name=v.name, kind=v.kind, valid_from=start)
    for c in p.committees:
        for cell in c.cells:
            cell.organization = make(c.organization, cell)


def _finish(p: Plan, area: Area, seed: int, actor, say) -> Organization:
    """The members and evaluations, then what was built, said."""
    start = p.start
    counts = members.populate(p, actor=actor)
    posts.build(p, actor=actor)
    rounds = evaluations.build(p, seed=seed, actor=actor)
    built_cases = inspections.build(p, organization_for, actor=actor)
    built = political.build(p, area, actor=actor)
    scenario_documents.build(p, actor=actor)
    on = p.count_day
    figures = {"name": p.main.name, "code": p.main.organization.code, "grassroots": len(p.committees) + len(p.grassroots_cells),
               "cells": sum(1 for c in p.cells if c.kind == Kind.SUBORDINATE_CELL and c.in_force(on)),
               "villages": len(p.villages_on(on)), "members": counts["present"], "date": fmt(on)}
    if area.level == meaning.PROVINCE:
        say(_("%(name)s (%(code)s): %(districts)s đảng bộ trực thuộc, %(grassroots)s tổ chức cơ sở đảng, %(members)s đảng viên ngày %(date)s.") % {
            **figures, "districts": len(p.districts), "grassroots": len(p.committees) + len(p.grassroots_cells)})
    elif area.level == meaning.COMMUNE:
        say(_("%(name)s (%(code)s): %(grassroots)s chi bộ cơ sở, %(villages)s thôn, tổ dân phố, %(members)s đảng viên ngày %(date)s.") % {
            **figures, "grassroots": len(p.main.cells)})
    elif area.commune_level:
        say(_("%(name)s (%(code)s): %(cells)s chi bộ trực thuộc, %(villages)s thôn, tổ dân phố, %(members)s đảng viên ngày %(date)s.") % figures)
    else:
        say(_("%(name)s (%(code)s): %(grassroots)s tổ chức cơ sở đảng, %(cells)s chi bộ trực thuộc, %(villages)s thôn, tổ dân phố, "
              "%(members)s đảng viên ngày %(date)s.") % figures)
    say(_("%(records)s hồ sơ đảng viên, lịch sử từ ngày %(start)s đến ngày %(end)s.") % {
        "records": counts["records"], "start": fmt(start), "end": fmt(p.end)})
    if p.change_on:
        say(_("Sáp nhập thôn ngày %(date)s: %(before)s thôn, tổ dân phố còn %(after)s.") % {
            "date": fmt(p.change_on), "before": len(p.villages_on(p.change_on - dt.timedelta(days=1))),
            "after": len(p.villages_on(p.change_on))})
    for r in rounds:
        say(r.describe())
    for line in [*built_cases, *built]:
        say(line)
    return p.main.organization


def _maker(actor, start: dt.date):
    def make(parent: Organization, node) -> Organization:
        villages = [node.village.unit] if isinstance(node, Cell) and node.village is not None else ()
        return org.create_organization(actor=actor, parent=parent, name=node.name, kind=node.kind, sector=node.sector,
                                       area=node.area, villages=villages, valid_from=start, code=getattr(node, "code", None))
    return make


def _merge(p: Plan, actor) -> None:
    """The dated merge: the parts close, the merged villages open, the cells follow."""
    on = p.change_on
    decision = ""  # the article names no decision
    for m in [v for v in p.villages if v.new]:
        parts = [v for v in p.villages if v.merged_into is m]
        for part in parts:
            places.close_village(actor=actor, village=part.unit, valid_to=on, decision_number=decision)
        m.unit = places.create_village(actor=actor, commune=m.commune, name=m.name, kind=m.kind, valid_from=on, decision_number=decision)
        for part in parts:
            cell = part.cell
            if cell is None:
                continue
            if cell.renamed_on:
                org.change_organization(actor=actor, organization=cell.organization, valid_from=on, name=_cell_name(m),
                                        area=m.commune, villages=[m.unit], change=Change.RENAMED, decision_number=decision)
            elif cell.closes_on:
                org.close_organization(actor=actor, organization=cell.organization, closed_on=on, reason=CloseReason.MERGED,
                                       decision_number=decision)



def organization_for(committee: Organization, check) -> Organization:
    """The organization a figure's check counts: the committee, or the one of its subtree it names."""
    if not check.organization:
        return committee

    on = check.on or check.period[1]
    root = Placement.objects.on(on).get(organization=committee)
    under = Placement.objects.on(on).under(root.path).select_related("organization")
    placements = list(under.filter(name_folded=fold(check.organization))[:2])
    if not placements and not fold(check.organization).startswith(PARTY_WORDS):  # a place name: its party organization
        placements = list(under.filter(kind__in=GRASSROOTS_KINDS, name_folded__endswith=" " + fold(check.organization))[:2])
    if len(placements) != 1:
        raise FigureError(_("Không có đúng một tổ chức tên “%(name)s” trong %(committee)s ngày %(date)s.") % {
            "name": check.organization, "committee": root.name, "date": fmt(on)})
    return placements[0].organization
