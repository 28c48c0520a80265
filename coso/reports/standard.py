"""The standard statistical report: its tables, in the order of the Party's basic statistics
(11-HD/BTCTW 2021; the 2012 forms 1-TCTW, 3-TCTW, 4-TCTW for the dimensions, domain reference
§5). Each table is measures × one breakdown, computed by the measure engine; pages, Excel, PDF
and `coso report` all render this one structure.

The official forms' exact layouts are unconfirmed (reference §5.1), so the tables follow the
confirmed dimensions and name the form they correspond to where known.
"""

import datetime as dt
from dataclasses import dataclass, replace

from django.utils.translation import gettext_lazy as _

from coso.measures import engine
from coso.measures.catalog import MEASURES

MEMBER_COLUMNS = ["members", "members.female", "members.minority", "members.religious", "members.probationary"]
CHANGE_COLUMNS = ["events.admitted", "events.readmitted", "events.recognized", "events.transferred_in", "events.transferred_out",
                  "events.removed", "events.expelled", "events.left", "events.deceased"]
RATING_COLUMNS = ["ratings.members", "ratings.members.good_or_better", "ratings.members.failed",
                  "ratings.organizations", "ratings.organizations.good_or_better", "ratings.organizations.failed"]
ORGANIZATION_COLUMNS = ["orgs.grassroots", "orgs.grassroots_committees", "orgs.grassroots_cells", "orgs.partial_committees",
                        "orgs.subordinate_cells", "orgs.party_groups"]


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    measures: list
    by: str | None
    period: bool = False  # counts of events over the report's period
    form: str = ""  # the statistics form it corresponds to, where known


# the commune's political system (coso/measures/grassroots.py): posts, concurrent posts, vacancies
POLITICAL_SYSTEM_COLUMNS = ["posts.holders", "posts.holders.members", "posts.village_heads", "posts.village_heads.members",
                            "concurrent.secretary_ubnd_chair", "concurrent.secretary_hdnd_chair",
                            "concurrent.cell_secretary_village_head", "bodies.head_vacant"]

# cell work over the period (coso/measures/activities.py): meetings, attendance, dues, commendations
CELL_WORK_COLUMNS = ["meetings.regular", "meetings.thematic", "meetings.point_person", "attendance.present", "attendance.expected",
                     "absences.unexcused", "dues.due", "dues.paid", "commendations"]

SECTIONS = [
    Section("organizations", _("Tổ chức đảng theo đơn vị trực thuộc"), ORGANIZATION_COLUMNS, "child"),
    Section("organizations_by_sector", _("Tổ chức cơ sở đảng theo loại hình"), ["orgs.grassroots", "orgs.grassroots_committees", "orgs.grassroots_cells"], "sector"),
    Section("villages", _("Thôn, tổ dân phố có chi bộ"), ["villages", "villages.with_cell", "villages.without_cell", "villages.without_resident_member"], "child"),
    Section("members", _("Đảng viên theo đơn vị trực thuộc"), MEMBER_COLUMNS + ["members.exempted"], "child", form="1-TCTW"),
    Section("gender", _("Đảng viên theo giới tính"), ["members", "members.probationary"], "gender"),
    Section("age", _("Đảng viên theo độ tuổi"), ["members", "members.female"], "age"),
    Section("ethnicity", _("Đảng viên theo dân tộc"), ["members", "members.female"], "ethnicity", form="4-TCTW"),
    Section("religion", _("Đảng viên theo tôn giáo"), ["members", "members.female"], "religion", form="4-TCTW"),
    Section("education", _("Đảng viên theo trình độ giáo dục phổ thông"), ["members", "members.female"], "education", form="3-TCTW"),
    Section("qualification", _("Đảng viên theo trình độ chuyên môn"), ["members", "members.female"], "qualification", form="3-TCTW"),
    Section("theory", _("Đảng viên theo trình độ lý luận chính trị"), ["members", "members.female"], "theory", form="3-TCTW"),
    Section("tenure", _("Đảng viên theo tuổi đảng"), ["members", "members.female"], "tenure"),
    Section("changes", _("Biến động đảng viên trong kỳ"), CHANGE_COLUMNS, "child", period=True),
    Section("ratings", _("Kết quả đánh giá, xếp loại chất lượng (các kỳ đánh giá năm kết thúc trong kỳ)"), RATING_COLUMNS, "child",
            period=True),
    Section("cell_work", _("Sinh hoạt chi bộ, đảng phí, khen thưởng trong kỳ"), CELL_WORK_COLUMNS, "child", period=True),
    # the commune's political system: its posts first (coso/measures/grassroots.py), then its cadres
    # against quota, their theory levels, streamlining and training (coso/measures/political.py)
    Section("political_system", _("Hệ thống chính trị"), POLITICAL_SYSTEM_COLUMNS, "child"),
    Section("political_staffing", _("Hệ thống chính trị: cán bộ, công chức cấp xã so với biên chế"),
            ["staffing.cadres", "quotas.cadres", "staffing.part_time", "staffing.public_employees", "staffing.cadres.members",
             "staffing.cadres.master_or_above"], "child"),
    Section("political_theory", _("Hệ thống chính trị: cán bộ, công chức theo trình độ lý luận chính trị"),
            ["staffing.cadres", "staffing.cadres.theory_none", "staffing.cadres.theory_elementary", "staffing.cadres.theory_intermediate",
             "staffing.cadres.theory_advanced"], "child"),
    Section("political_changes", _("Hệ thống chính trị: tinh giản biên chế, đào tạo lý luận chính trị trong kỳ"),
            ["staff_exits", "staff_exits.streamlined", "training.enrolments", "training.completions", "training.completions.degree"],
            "child", period=True),
]


SECTION_BY_CODE = {s.code: s for s in SECTIONS}


@dataclass
class Report:
    organization_id: int | None
    organization_name: str
    on: dt.date
    period: tuple[dt.date, dt.date]
    tables: list  # [(Section, engine.Table)]
    scope: object = None  # the scope it was computed in: the summary's other figures use it too


def default_period(on: dt.date) -> tuple[dt.date, dt.date]:
    """The year up to the date: 1 January of its year to the date."""
    return dt.date(on.year, 1, 1), on


def build(organization, on: dt.date, period: tuple[dt.date, dt.date] | None = None, *, scope=None,
          sections=None, name: str = "", extra: dict | None = None) -> Report:
    """Every table of the report (or the chosen sections) for the organization's subtree; `extra`
    adds measures to sections by code (the political system's column for a pair of concurrent
    posts a user picks: {"political_system": ["concurrent.pair...."]})."""
    period = period or default_period(on)
    chosen = [SECTION_BY_CODE[c] for c in sections] if sections else SECTIONS
    if extra:
        chosen = [replace(s, measures=[*s.measures, *(m for m in extra[s.code] if m not in s.measures)]) if s.code in extra else s
                  for s in chosen]
    tree = engine.subtree(organization, on, scope)
    # the member breakdowns (not by child) come from a few grouped queries together
    together = [s for s in chosen if not s.period and s.by not in (None, "child")
                and all(MEASURES[m].family == "members" for m in s.measures)]
    union = sorted({m for s in together for m in s.measures}, key=lambda m: list(MEASURES).index(m))
    marginals = engine.tables(union, organization, [s.by for s in together], on=on, scope=scope, tree=tree) if together else {}
    tables = []
    for section in chosen:
        if section in together:
            t = _project(marginals[section.by], section.measures)
        elif section.period:
            # the tree of the period's last day: the page's own when the period ends on its date
            t = engine.table(section.measures, organization, by=section.by, period=period, scope=scope, tree=tree)
        else:
            t = engine.table(section.measures, organization, by=section.by, on=on, scope=scope, tree=tree)
        tables.append((section, t))
    org_id = getattr(organization, "pk", organization)
    return Report(organization_id=org_id, organization_name=name, on=on, period=period, tables=tables, scope=scope)


def _project(t: engine.Table, measures: list[str]) -> engine.Table:
    """The table restricted to some of its measures."""
    return engine.Table(measures=list(measures), by=t.by, total={m: t.total[m] for m in measures},
                        rows=[(k, label, {m: values[m] for m in measures}) for k, label, values in t.rows])
