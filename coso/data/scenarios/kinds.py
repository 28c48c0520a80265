"""What each figure of a scenario file counts: the one table the loader and the test share.

A scenario file (../shared/scenarios/seed_figures.yaml and any file in its format) states figures
in free text: {kind: "party members of Đảng bộ xã Quế Lộc", as_of: 2023-04-16, value: 127}.
RULES maps the text to a measure of the measure engine (coso.measures.catalog) and, where the
text names one, to a sub-organization of the scenario's committee ("Đảng bộ xã Quế Lộc"). The
loader builds records that satisfy the mapped figures; the test asks the engine for each of them.

A figure whose kind needs a capability the system does not have yet (posts, documents,
inspections, training, staffing, targets) is PENDING, with what it waits for. A kind no rule
maps is read by its meaning (meaning.py: the measure catalog's names and labels, and the words
of many phrasings, Vietnamese with or without diacritics and English); a kind that cannot be
read at all is UNKNOWN: the file's other figures load, and the loader reports it.

Figures about the annual quality evaluation count published annual ratings (the measures
"ratings.*": ratings of evaluation years that end within a period) and name no date of their own;
the years they hold for follow from the figure (evaluation_years):

- "each year": the years whose evaluations end within the figure's period when it gives one;
  else the five years before the year of its as_of, or, without as_of, of the scenario's latest
  figure date (the article's date): one five-year term of a committee, the round of the year of
  the date itself being held only at its end. Nông Sơn (article of 16/04/2023): 2018–2022.
  The records begin HISTORY_YEARS (10) years before the earliest figure, so every such year has
  members to rate.
- "in the latest year": the year before that of the as_of, or, without as_of, of the scenario's
  latest figure date: the last round held and published by then. Nghèn (17/02/2017): 2016.

A share ("value_at_least_percent: 90") is checked each year as the rated share of the figure's
measure over its base ("ratings.members.good_or_better" of "ratings.members"), with the base above
zero; a count of rated subjects ("value: 0" weak cells) is checked beside a second check that the
base ("ratings.organizations") is above zero: a zero about rated cells, not about nothing rated.

Figures can contradict each other in the source (Đắk Mil: 49 grassroots organizations, "31 chi
bộ and 17 đảng bộ"): SUMS names the totals that must equal the sum of their parts; the loader
builds the parts and the total is reported as a known inconsistency of the source.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coso.lib.dates import fmt
from coso.lib.text import clean

from . import meaning

# The project's copy of the team's shared/scenarios/seed_figures.yaml: it ships with the app, so
# the command and the test do not depend on a folder beside the checkout.
DEFAULT_FILE = Path(__file__).resolve().parent / "seed_figures.yaml"

# What the pending figures wait for (the road ahead of DESIGN.md).
POSTS = gettext_lazy("chờ chức năng chức vụ trong hệ thống chính trị cơ sở (bí thư kiêm chủ tịch, trưởng thôn)")
# documents have landed (coso/resolutions): a kind of document the catalog does not count yet
DOCUMENTS = gettext_lazy("chờ số liệu đếm loại văn bản này (hệ thống đếm nghị quyết, kết luận, chương trình hành động đã ban hành)")
INSPECTION = gettext_lazy("chờ chức năng kiểm tra, giám sát")
TRAINING = gettext_lazy("chờ chức năng đào tạo lý luận chính trị")
STAFFING = gettext_lazy("chờ chức năng biên chế và tinh giản biên chế")
# a target whose formula names figures the measure catalog does not have yet (documents.TARGET_FORMULAS)
TARGET_MEASURES = gettext_lazy("chờ số liệu “%(names)s”: chỉ tiêu chưa tính được từ dữ liệu")
# the sections other than "figures": registered by coso/data/scenarios/documents.py (the documents
# the articles name, and their targets evaluated from records)
SECTIONS = ("targets", "documents")
# fields of a figure that are not part of its kind's text
FIELDS = {"kind", "as_of", "period", "on", "value", "of_total", "before", "after", "names", "note",
          "value_at_least", "value_at_least_percent", "percent", "comparator", "by", "document",
          "number", "year", "title", "source", "url"}


@dataclass(frozen=True)
class Rule:
    pattern: str  # matched in full, case-insensitively, against the kind
    measure: str = ""
    total: str = ""  # the measure the figure's of_total counts
    change: bool = False  # before/after a dated restructuring
    pending: object = ""  # what the figure waits for
    base: str = ""  # ratings: what was rated (the base of a share; must be above zero)
    years: str = ""  # ratings: "each" year or the "latest" year (evaluation_years)
    values: tuple = ("value",)  # the keys that may give the figure's number
    around_change: bool = False  # counted over the year before a dated change (streamlining exits)

    def match(self, kind: str):
        return re.fullmatch(self.pattern, kind, flags=re.IGNORECASE)


_ORG = r"(?: (?:of|in) (?P<org>.+))?"
_ORG_IN = r" (?:of|in) (?P<org>.+?)"
_GOOD = r"[\"“]?Hoàn thành tốt nhiệm vụ[\"”]?"
_VILLAGES = r"villages(?: \([^)]*\))?(?: of the (?:district|commune))?"

RULES: list[Rule] = [
    Rule(r"(?:new )?members admitted" + _ORG, "events.admitted"),
    Rule(r"members recogni[sz]ed as official" + _ORG, "events.recognized"),
    Rule(r"members transferred in" + _ORG, "events.transferred_in"),
    Rule(r"members transferred out" + _ORG, "events.transferred_out"),
    Rule(r"members removed from the rolls(?: \(xóa tên\))?" + _ORG, "events.removed"),
    Rule(r"members expelled(?: \(khai trừ\))?" + _ORG, "events.expelled"),
    Rule(r"members who left the party" + _ORG, "events.left"),
    Rule(r"members who died" + _ORG, "events.deceased"),
    Rule(r"(?:number of )?party members(?: \(all statuses that count as members\))?" + _ORG, "members"),
    Rule(r"(?:female|women) party members" + _ORG, "members.female"),
    Rule(r"ethnic[- ]minority party members" + _ORG, "members.minority"),
    Rule(r"(?:party members who follow a religion|religious party members)" + _ORG, "members.religious"),
    Rule(r"probationary party members" + _ORG, "members.probationary"),
    Rule(r"official party members" + _ORG, "members.official"),
    Rule(r"(?:exempted party members|party members exempted from party activities)" + _ORG, "members.exempted"),
    Rule(r"grassroots party organi[sz]ations \(TCCS\)(?: directly under the committee)?" + _ORG, "orgs.grassroots"),
    Rule(r"(?:of which )?đảng bộ cơ sở" + _ORG, "orgs.grassroots_committees"),
    Rule(r"(?:of which )?chi bộ cơ sở" + _ORG, "orgs.grassroots_cells"),
    Rule(r"(?:of which )?chi bộ trực thuộc(?: đảng ủy cơ sở)?" + _ORG, "orgs.subordinate_cells"),
    Rule(_VILLAGES + r" that have (?:an independent chi bộ|a chi bộ|a party organi[sz]ation)", "villages.with_cell", total="villages"),
    Rule(_VILLAGES + r" with no party member who lives there", "villages.without_resident_member", total="villages"),
    Rule(_VILLAGES + r", before and after merging", "villages", change=True),
    Rule(_VILLAGES, "villages", total="villages"),
    # the annual quality evaluation (published ratings)
    Rule(r"share of (?:party )?members rated (?:at least " + _GOOD + r"|" + _GOOD + r" or (?:better|above))(?:" + _ORG_IN + r")?,? each year",
         "ratings.members.good_or_better", base="ratings.members", years="each", values=("value_at_least_percent",)),
    Rule(r"(?:chi bộ|party organi[sz]ations|party cells) rated (?:weak|yếu kém|failed)(?: \((?:yếu kém|không hoàn thành nhiệm vụ)"
         r"(?: / (?:yếu kém|không hoàn thành nhiệm vụ))?\))?(?:" + _ORG_IN + r")? in the latest year",
         "ratings.organizations.failed", base="ratings.organizations", years="latest"),
    # the political system's posts (coso/grassroots; built by posts.py)
    Rule(r"communes(?:/towns)? whose party secretary is also chair of the commune People's Committee", "concurrent.secretary_ubnd_chair"),
    Rule(r"village heads who are party members", "villages.head_member", total="villages"),
    Rule(r"chi bộ secretaries who are also village heads?", "villages.cell_secretary_head", total="villages"),
    # inspection and supervision cases over a period (coso/measures/inspection.py)
    Rule(r"inspections and supervisions(?: carried out)?" + _ORG_IN + r"(?: \([^)]*\))?", "inspection.cases",
         values=("value", "value_at_least")),
    # documents issued over a period (coso/resolutions; documents.py builds them)
    Rule(r"resolutions(?: \(nghị quyết\))? issued(?: by the committee)?" + _ORG, "documents.resolutions"),
    Rule(r"conclusions(?: \(kết luận\))? issued(?: by the committee)?" + _ORG, "documents.conclusions"),
    Rule(r"action programs(?: \(chương trình hành động\))? issued(?: by the committee)?" + _ORG, "documents.action_programs"),
    # capabilities to come; the first that matches says what the figure waits for
    # the commune political system: training, staffing and streamlining (coso/measures/political.py)
    Rule(r"cadres trained in political theory(?: \(course enrolments\))?" + _ORG, "training.enrolments"),
    Rule(r"commune-level cadres and civil servants(?: \(biên chế\))?", "staffing.cadres", change=True),
    Rule(r"commune-level part-time workers(?: \(người hoạt động không chuyên trách\))?", "staffing.part_time", change=True),
    Rule(r"staff reduced by streamlining(?: \(tinh giản biên chế\))?", "staff_exits.streamlined", around_change=True),
    Rule(r".*\b(?:inspections?|supervisions?)\b.*", pending=INSPECTION),
    Rule(r".*\bpolitical theory\b.*", pending=TRAINING),
    Rule(r".*\b(?:secretary|secretaries)\b.*\b(?:chair|head)\b.*|village heads?\b.*", pending=POSTS),
    Rule(r"(?:resolutions|conclusions|action programs|documents)\b.*", pending=DOCUMENTS),
    Rule(r".*\b(?:cadres|civil servants|part-time workers|streamlining|biên chế)\b.*", pending=STAFFING),
]

# totals that must equal the sum of their parts when a source states all three
SUMS = [
    ("orgs.grassroots", ("orgs.grassroots_committees", "orgs.grassroots_cells")),
    ("members", ("members.probationary", "members.official")),
]
STOCK_PREFIXES = ("members", "orgs.", "villages")
# measures counted over a period (a figure gives "period:")
PERIOD_MEASURES = ("events.", "training.", "staff_exits")
TERM_YEARS = 5  # "each year" without a period: the years of one term before the date


class FigureError(ValueError):
    """A figure the loader cannot read, map or build; the message names the figure."""


COMPARATORS = {"=": lambda a, b: a == b, ">=": lambda a, b: a >= b, ">": lambda a, b: a > b}


@dataclass(frozen=True)
class Check:
    """One number the engine must report: a measure of an organization on a date or over a period,
    equal to the figure (or at least it, or above it); with a base, the measure's share of the base
    in %, the base above zero."""

    measure: str
    expected: int | Decimal
    on: dt.date | None = None
    period: tuple[dt.date, dt.date] | None = None
    organization: str = ""  # the name of a sub-organization; "" for the scenario's committee
    role: str = "value"  # value, of_total, before, after, rated (the base of a count of rated subjects)
    comparator: str = "="  # =, >=, >
    base: str = ""  # a share: the measure whose count is 100 %

    def holds(self, got: int, base: int | None = None) -> bool:
        if self.base:
            return bool(base) and COMPARATORS[self.comparator](Decimal(got) * 100, Decimal(self.expected) * base)
        return COMPARATORS[self.comparator](got, self.expected)

    def describe(self) -> str:
        when = fmt(self.on) if self.on else f"{fmt(self.period[0])}–{fmt(self.period[1])}"
        where = f" [{self.organization}]" if self.organization else ""
        if self.base:
            return f"{self.measure}/{self.base}{where} {when} {self.comparator} {self.expected}%"
        return f"{self.measure}{where} {when} {self.comparator} {self.expected}"


@dataclass
class Figure:
    scenario: str
    section: str
    index: int  # 1-based, in its section
    kind: str
    data: dict
    rule: Rule | None = None
    organization: str = ""
    checks: list[Check] = field(default_factory=list)
    inconsistency: str = ""  # why the source contradicts itself on this figure
    unknown: str = ""  # why the loader cannot read or build this figure (it loads the others)

    @property
    def id(self) -> str:
        return f"{self.scenario}/{self.section}[{self.index}]"

    @property
    def pending(self) -> str:
        if self.section == "targets":
            return waiting_measures(self.kind)
        if self.section in SECTIONS:
            return ""  # a named document: registered
        return str(self.rule.pending) if self.rule and self.rule.pending else ""

    @property
    def measure(self) -> str:
        return self.rule.measure if self.rule else ""

    def shown_value(self) -> str:
        d = self.data
        if "before" in d or "after" in d:
            return f"{d.get('before')} → {d.get('after')}"
        for key in ("value", "value_at_least", "value_at_least_percent", "percent"):
            if key in d:
                text = {"value_at_least": "≥ ", "value_at_least_percent": "≥ "}.get(key, d.get("comparator", "") + " " if "comparator" in d else "")
                suffix = "%" if "percent" in key else ""
                total = f"/{d['of_total']}" if "of_total" in d else ""
                return f"{text}{d[key]}{total}{suffix}".strip()
        return ""


@dataclass
class Scenario:
    key: str
    committee: str
    source: str = ""
    note: str = ""
    figures: list[Figure] = field(default_factory=list)
    level: str = meaning.DISTRICT  # the committee's level (meaning.committee_level)
    unsourced: bool = False  # the file could not name a source it verified for its figures

    def mapped(self) -> list[Figure]:
        """The figures the loader builds and the engine reports (pending, unknown and contradicted ones left out)."""
        return [f for f in self.figures if f.checks and not f.pending and not f.inconsistency and not f.unknown]

    def checks(self) -> list[Check]:
        return [c for f in self.mapped() for c in f.checks]

    def latest(self) -> dt.date:
        days = [c.on or c.period[1] for f in self.figures if not f.pending for c in f.checks]
        if not days:
            raise FigureError(_("Kịch bản %(scenario)s không có số liệu nào để dựng dữ liệu.") % {"scenario": self.key})
        return max(days)


def _parse_period(value, figure: str) -> tuple[dt.date, dt.date]:
    text = str(value)
    match = re.fullmatch(r"\s*(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})\s*", text)
    if not match:
        raise FigureError(_("%(figure)s: khoảng thời gian “%(value)s” phải có dạng YYYY-MM-DD..YYYY-MM-DD.") % {
            "figure": figure, "value": text})
    start, end = dt.date.fromisoformat(match.group(1)), dt.date.fromisoformat(match.group(2))
    if start > end:
        raise FigureError(_("%(figure)s: ngày bắt đầu sau ngày kết thúc.") % {"figure": figure})
    return start, end


def _kind_text(data: dict) -> str:
    """The kind, with the pieces a comma cut off put back.

    Inside a flow mapping YAML reads "kind: villages (thôn, bon, bản) that ..." as the kind
    "villages (thôn" plus the keys "bon" and "bản) that ..." without values (any YAML library
    does). Keys without a value that are no known field continue the kind's text.
    """
    kind = data.get("kind")
    if not isinstance(kind, str):
        return ""
    pieces, after = [kind], False
    for key, value in data.items():
        if key == "kind":
            after = True
        elif after and value is None and str(key) not in FIELDS:
            pieces.append(str(key))
        elif after:
            after = False
    return clean(", ".join(pieces))


def classify(kind: str) -> Rule | None:
    for rule in RULES:
        if rule.match(kind):
            return rule
    return None


_CATALOG: dict[str, str] = {}


def catalog_names() -> dict[str, str]:
    """{measure name: label}, the labels in Vietnamese and in English, for meaning.understand."""
    if not _CATALOG:
        from django.utils import translation

        from coso.measures.catalog import MEASURES

        for language in ("en", "vi"):
            with translation.override(language):
                _CATALOG.update({f"{name}@{language}": str(m.label) for name, m in MEASURES.items()})
    return _CATALOG


def understand(kind: str, level: str, over_period: bool) -> tuple[Rule, str] | None:
    """(rule, organization named) for a kind: the rules above first, then its meaning."""
    rule = classify(kind)
    if rule is not None:
        if rule.measure and meaning.at_level(rule.measure, level) != rule.measure:
            rule = Rule(rule.pattern, meaning.at_level(rule.measure, level), rule.total, values=rule.values)
        match = rule.match(kind)
        return rule, clean((match.groupdict().get("org") if match else "") or "")
    labels = catalog_names()
    names = {key.split("@")[0]: label for key, label in labels.items() if key.endswith("@vi")}
    found = meaning.understand(kind, level=level, over_period=over_period, catalog=names)
    if found is None:  # an English label
        english = {label: key.split("@")[0] for key, label in labels.items() if key.endswith("@en")}
        if clean(kind) in english:
            found = (english[clean(kind)], "")
    if found is None:
        return None
    measure, organization = found
    return Rule(r".*", measure, total="villages" if measure.startswith("villages") else ""), organization


def default_change_on(latest: dt.date) -> dt.date:
    """The date of a restructuring the source does not date: 1 January two years before the
    scenario's latest figure. Đắk Mil's article (08/08/2022) gives its 140 → 125 villages without
    a date; the merges of villages under Thông tư 14/2018/TT-BNV took place in 2019-2020, before
    the congresses of the 2020-2025 term, so the loader dates it 01/01/2020."""
    return dt.date(latest.year - 2, 1, 1)


def waiting_measures(kind: str) -> str:
    """What a target of a scenario waits for: the figures its formula names that the catalog lacks ("" when none)."""
    from coso.measures.catalog import MEASURES

    from .documents import (
        formula,  # it registers through the services: read when a target is asked about
    )

    missing = [name for name in formula(kind)[:2] if name and name not in MEASURES]
    return str(TARGET_MEASURES) % {"names": ", ".join(missing)} if missing else ""


def _figure(scenario: str, section: str, index: int, data, level: str = meaning.DISTRICT) -> Figure:
    if not isinstance(data, dict):
        raise FigureError(_("Kịch bản %(scenario)s, mục %(section)s thứ %(n)s: mỗi số liệu phải là một bảng {kind: ..., ...}.") % {
            "scenario": scenario, "section": section, "n": index})
    kind = _kind_text(data)
    figure = Figure(scenario=scenario, section=section, index=index, kind=kind, data=data)
    name = _("Kịch bản %(scenario)s, số liệu thứ %(n)s “%(kind)s”") % {"scenario": scenario, "n": index, "kind": kind}
    if section in SECTIONS:
        return figure
    found = understand(kind, level, over_period="period" in data and "as_of" not in data) if kind else None
    if found is None:
        figure.unknown = _("không hiểu loại số liệu này (không ứng với chỉ tiêu nào; xem coso/data/scenarios/meaning.py)")
        return figure
    rule, figure.organization = found
    figure.rule = rule
    if rule.pending:
        return figure
    if rule.measure.startswith(PERIOD_MEASURES) and "period" not in data and not rule.around_change:
        figure.unknown = _("số liệu biến động (%(measure)s) cần “period: YYYY-MM-DD..YYYY-MM-DD”") % {"measure": rule.measure}
        return figure
    if rule.measure.startswith("inspection.") and "period" not in data:
        figure.unknown = _("số liệu kiểm tra, giám sát (%(measure)s) cần “period: YYYY-MM-DD..YYYY-MM-DD”") % {"measure": rule.measure}
        return figure
    if not rule.measure.startswith((*PERIOD_MEASURES, "ratings.", "inspection.", "documents.")) and not rule.change and "as_of" not in data:
        figure.unknown = _("số liệu tại một thời điểm (%(measure)s) cần “as_of: YYYY-MM-DD”") % {"measure": rule.measure}
        return figure
    for key in ("value", "value_at_least", "value_at_least_percent", "percent"):
        if key in data and key not in rule.values:
            if rule.values == ("value",):
                raise FigureError(_("%(figure)s: chỉ dựng được số liệu chính xác (value), không dựng được “%(key)s”.") % {
                    "figure": name, "key": key})
            raise FigureError(_("%(figure)s: loại số liệu này cần “%(keys)s”, không dùng “%(key)s”.") % {
                "figure": name, "keys": ", ".join(rule.values), "key": key})
    return figure


def _checks(figure: Figure, latest: dt.date) -> None:
    """The numbers the figure asks of the engine."""
    d, rule, org = figure.data, figure.rule, figure.organization
    name = _("Kịch bản %(scenario)s, số liệu thứ %(n)s “%(kind)s”") % {"scenario": figure.scenario, "n": figure.index, "kind": figure.kind}

    def number(key):
        value = d.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise FigureError(_("%(figure)s: “%(key)s” phải là một số nguyên không âm.") % {"figure": name, "key": key})
        return value

    if rule.around_change:
        on = d.get("on") or default_change_on(latest)
        if not isinstance(on, dt.date):
            raise FigureError(_("%(figure)s: ngày “on” phải có dạng YYYY-MM-DD.") % {"figure": name})
        before = dt.date(on.year - 1, on.month, min(on.day, 28))
        period = _parse_period(d["period"], name) if "period" in d else (before, on - dt.timedelta(days=1))
        figure.checks = [Check(rule.measure, number("value"), period=period, organization=org)]
        return
    if rule.change:
        on = d.get("on") or default_change_on(latest)
        if not isinstance(on, dt.date):
            raise FigureError(_("%(figure)s: ngày “on” phải có dạng YYYY-MM-DD.") % {"figure": name})
        figure.checks = [
            Check(rule.measure, number("before"), on=on - dt.timedelta(days=1), organization=org, role="before"),
            Check(rule.measure, number("after"), on=on, organization=org, role="after"),
        ]
        return
    if rule.measure.startswith("inspection."):  # cases over a period, at least so many or exactly
        key = "value_at_least" if "value_at_least" in d else "value"
        figure.checks = [Check(rule.measure, number(key), period=_parse_period(d["period"], name), organization=org,
                               comparator=">=" if key == "value_at_least" else "=")]
        return
    if rule.measure.startswith((*PERIOD_MEASURES, "documents.")):
        if "period" not in d:
            raise FigureError(_("%(figure)s: số liệu biến động cần “period: YYYY-MM-DD..YYYY-MM-DD”.") % {"figure": name})
        figure.checks = [Check(rule.measure, number("value"), period=_parse_period(d["period"], name), organization=org)]
        return
    on = d.get("as_of")
    if not isinstance(on, dt.date):
        raise FigureError(_("%(figure)s: số liệu tại một thời điểm cần “as_of: YYYY-MM-DD”.") % {"figure": name})
    figure.checks = [Check(rule.measure, number("value"), on=on, organization=org)]
    if "of_total" in d:
        if not rule.total:
            raise FigureError(_("%(figure)s: loại số liệu này không có tổng “of_total”.") % {"figure": name})
        figure.checks.append(Check(rule.total, number("of_total"), on=on, organization=org, role="of_total"))


def evaluation_years(figure: Figure, latest: dt.date) -> list[int]:
    """The evaluation years a figure on ratings holds for (the rules: this module's docstring)."""
    d, name = figure.data, _("Kịch bản %(scenario)s, số liệu thứ %(n)s “%(kind)s”") % {
        "scenario": figure.scenario, "n": figure.index, "kind": figure.kind}
    on = d.get("as_of", latest)
    if not isinstance(on, dt.date):
        raise FigureError(_("%(figure)s: ngày “as_of” phải có dạng YYYY-MM-DD.") % {"figure": name})
    if figure.rule.years == "latest":
        return [on.year - 1]
    if "period" in d:
        start, end = _parse_period(d["period"], name)
        years = [y for y in range(start.year, end.year + 1) if start <= dt.date(y, 12, 31) <= end]
        if not years:
            raise FigureError(_("%(figure)s: khoảng thời gian không chứa ngày kết thúc (31/12) của năm đánh giá nào.") % {"figure": name})
        return years
    return list(range(on.year - TERM_YEARS, on.year))


def _rating_checks(figure: Figure, latest: dt.date) -> None:
    """A share each year, or a count of rated subjects (with its base above zero) in the latest year."""
    d, rule, org = figure.data, figure.rule, figure.organization
    name = _("Kịch bản %(scenario)s, số liệu thứ %(n)s “%(kind)s”") % {"scenario": figure.scenario, "n": figure.index, "kind": figure.kind}
    key = next((k for k in rule.values if k in d), None)
    if key is None:
        raise FigureError(_("%(figure)s: thiếu “%(keys)s”.") % {"figure": name, "keys": ", ".join(rule.values)})
    try:
        value = Decimal(str(d[key]))
    except (InvalidOperation, ValueError):
        value = Decimal(-1)
    if not value.is_finite() or value < 0 or isinstance(d[key], bool) or ("percent" in key and value > 100) or ("percent" not in key and value != int(value)):
        raise FigureError(_("%(figure)s: “%(key)s” phải là một số không âm (tỷ lệ: không quá 100).") % {"figure": name, "key": key})
    value = int(value) if value == int(value) else value
    checks = []
    for year in evaluation_years(figure, latest):
        period = (dt.date(year, 1, 1), dt.date(year, 12, 31))
        if "percent" in key:
            checks.append(Check(rule.measure, value, period=period, organization=org, comparator=">=", base=rule.base))
        else:
            comparator = ">=" if key == "value_at_least" else "="
            checks += [Check(rule.measure, value, period=period, organization=org, comparator=comparator),
                       Check(rule.base, 0, period=period, organization=org, role="rated", comparator=">")]
    figure.checks = checks


def _contradictions(figures: list[Figure]) -> None:
    """Mark a total the source states beside parts that do not add up to it."""
    stated: dict = {}
    for f in figures:
        for c in f.checks:
            if c.role == "value" and c.on:
                stated[(c.measure, c.organization, c.on)] = (f, c.expected)
    for total, parts in SUMS:
        for (measure, org, on), (figure, value) in list(stated.items()):
            if measure != total:
                continue
            values = [stated.get((p, org, on)) for p in parts]
            if all(values) and sum(v for _f, v in values) != value:
                values.sort(key=lambda fv: fv[0].index)  # in the order the source states them
                figure.inconsistency = _("Số liệu của nguồn không khớp: %(total)s ≠ %(parts)s (%(names)s); dữ liệu dựng theo các thành phần.") % {
                    "total": value, "parts": " + ".join(str(v) for _f, v in values),
                    "names": " + ".join(f.kind for f, _v in values)}


def parse(text: str, origin: str = "") -> dict[str, Scenario]:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise FigureError(_("%(file)s: không đọc được tệp kịch bản: %(error)s") % {"file": origin, "error": error}) from None
    if not isinstance(document, dict) or not isinstance(document.get("scenarios"), dict):
        raise FigureError(_("%(file)s: tệp kịch bản phải có mục “scenarios:” gồm các kịch bản.") % {"file": origin})
    out: dict[str, Scenario] = {}
    for key, body in document["scenarios"].items():
        key = str(key)
        if not isinstance(body, dict) or not isinstance(body.get("committee"), str):
            raise FigureError(_("Kịch bản %(scenario)s: thiếu “committee:” (tên đảng bộ).") % {"scenario": key})
        scenario = Scenario(key=key, committee=clean(body["committee"]), source=str(body.get("source") or ""),
                            note=clean(str(body.get("note") or "")), unsourced=bool(body.get("unsourced")))
        scenario.level = meaning.committee_level(scenario.committee, _stated_latest(body.get("figures") or []))
        for section in ("figures", *SECTIONS):
            for index, data in enumerate(body.get(section) or [], start=1):
                scenario.figures.append(_figure(key, section, index, data, scenario.level))
        stocks = [f for f in scenario.figures if f.rule and f.measure and not f.rule.change and not f.rule.around_change and not f.rule.years
                  and not f.unknown]
        for f in stocks:
            _checks(f, dt.date.min)
        changes = [f for f in scenario.figures if f.rule and (f.rule.change or f.rule.around_change) and not f.pending and not f.unknown]
        if changes:
            latest = scenario.latest() if stocks else None
            for f in changes:
                if latest is None and not f.data.get("on"):
                    raise FigureError(_("Kịch bản %(scenario)s, số liệu thứ %(n)s “%(kind)s”: cần ngày “on” của việc sắp xếp.") % {
                        "scenario": key, "n": f.index, "kind": f.kind})
                _checks(f, latest)
        ratings = [f for f in scenario.figures if f.rule and f.rule.years and not f.pending and not f.unknown]
        if ratings:
            latest = scenario.latest()  # the dated figures' latest day (the article's date)
            for f in ratings:
                _rating_checks(f, latest)
        _contradictions(scenario.figures)
        out[key] = scenario
    return out


def _stated_latest(figures: list) -> dt.date | None:
    """The latest date a scenario's figures state (as_of, or a period's end), read before they are mapped."""
    days = []
    for data in figures:
        if not isinstance(data, dict):
            continue
        if isinstance(data.get("as_of"), dt.date):
            days.append(data["as_of"])
        match = re.search(r"\.\.\s*(\d{4}-\d{2}-\d{2})", str(data.get("period") or ""))
        if match:
            days.append(dt.date.fromisoformat(match.group(1)))
    return max(days) if days else None


def unknown(scenarios: dict[str, Scenario]) -> list[tuple[str, str, str, str]]:
    """(scenario, kind, value, why) of every figure the loader could not read or build."""
    return [(s.key, f.kind, f.shown_value(), f.unknown) for s in scenarios.values() for f in s.figures if f.unknown]


def read(path: Path | str | None = None) -> dict[str, Scenario]:
    path = Path(path or DEFAULT_FILE)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise FigureError(_("Không đọc được tệp kịch bản %(file)s: %(error)s") % {"file": path, "error": error.strerror}) from None
    return parse(text, str(path))


def pending(scenarios: dict[str, Scenario]) -> list[tuple[str, str, str, str]]:
    """(scenario, kind, value, what it waits for) of every figure the system cannot compute yet."""
    return [(s.key, _label(f), f.shown_value(), f.pending) for s in scenarios.values() for f in s.figures if f.pending]


def _label(f: Figure) -> str:
    d = f.data
    if f.section == "documents":
        text = " ".join(str(d[k]) for k in ("kind", "number") if d.get(k))
        return f"{text} ({d['year']}): {d.get('title', '')}" if d.get("year") else text
    if d.get("document"):
        return f"{f.kind} ({d['document']})"
    return f.kind


def inconsistencies(scenarios: dict[str, Scenario]) -> list[tuple[str, str, str]]:
    return [(s.key, f.kind, f.inconsistency) for s in scenarios.values() for f in s.figures if f.inconsistency]
