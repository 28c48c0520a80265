"""What each figure of a scenario file counts: the one table the loader and the test share.

A scenario file (../shared/scenarios/seed_figures.yaml and any file in its format) states figures
in free text: {kind: "party members of Đảng bộ xã Quế Lộc", as_of: 2023-04-16, value: 127}.
RULES maps the text to a measure of the measure engine (coso.measures.catalog) and, where the
text names one, to a sub-organization of the scenario's committee ("Đảng bộ xã Quế Lộc"). The
loader builds records that satisfy the mapped figures; the test asks the engine for each of them.

A figure whose kind needs a capability the system does not have yet (evaluations, posts,
documents, inspections, training, staffing, targets) is PENDING, with what it waits for. A figure
whose kind no rule maps is an error naming the figure: a file of unknown kinds fails loudly.

Figures can contradict each other in the source (Đắk Mil: 49 grassroots organizations, "31 chi
bộ and 17 đảng bộ"): SUMS names the totals that must equal the sum of their parts; the loader
builds the parts and the total is reported as a known inconsistency of the source.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coso.lib.dates import fmt
from coso.lib.text import clean

DEFAULT_FILE = Path(settings.BASE_DIR).parent / "shared" / "scenarios" / "seed_figures.yaml"

# What the pending figures wait for (the road ahead of DESIGN.md).
EVALUATION = gettext_lazy("chờ chức năng đánh giá, xếp loại chất lượng")
POSTS = gettext_lazy("chờ chức năng chức vụ trong hệ thống chính trị cơ sở (bí thư kiêm chủ tịch, trưởng thôn)")
DOCUMENTS = gettext_lazy("chờ chức năng văn bản (nghị quyết, kết luận, chương trình hành động)")
INSPECTION = gettext_lazy("chờ chức năng kiểm tra, giám sát")
TRAINING = gettext_lazy("chờ chức năng đào tạo lý luận chính trị")
STAFFING = gettext_lazy("chờ chức năng biên chế và tinh giản biên chế")
TARGETS = gettext_lazy("chờ chức năng nghị quyết và chỉ tiêu")
# the sections other than "figures": every entry waits for its capability
SECTIONS = {"targets": TARGETS, "documents": DOCUMENTS}
# fields of a figure that are not part of its kind's text
FIELDS = {"kind", "as_of", "period", "on", "value", "of_total", "before", "after", "names", "note",
          "value_at_least", "value_at_least_percent", "percent", "comparator", "by", "document",
          "number", "year", "title"}


@dataclass(frozen=True)
class Rule:
    pattern: str  # matched in full, case-insensitively, against the kind
    measure: str = ""
    total: str = ""  # the measure the figure's of_total counts
    change: bool = False  # before/after a dated restructuring
    pending: object = ""  # what the figure waits for

    def match(self, kind: str):
        return re.fullmatch(self.pattern, kind, flags=re.IGNORECASE)


_ORG = r"(?: (?:of|in) (?P<org>.+))?"
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
    # capabilities to come; the first that matches says what the figure waits for
    Rule(r".*\b(?:rated|rating|xếp loại)\b.*", pending=EVALUATION),
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


class FigureError(ValueError):
    """A figure the loader cannot read, map or build; the message names the figure."""


@dataclass(frozen=True)
class Check:
    """One number the engine must report: a measure of an organization on a date or over a period."""

    measure: str
    expected: int
    on: dt.date | None = None
    period: tuple[dt.date, dt.date] | None = None
    organization: str = ""  # the name of a sub-organization; "" for the scenario's committee
    role: str = "value"  # value, of_total, before, after

    def describe(self) -> str:
        when = fmt(self.on) if self.on else f"{fmt(self.period[0])}–{fmt(self.period[1])}"
        where = f" [{self.organization}]" if self.organization else ""
        return f"{self.measure}{where} {when} = {self.expected}"


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

    @property
    def id(self) -> str:
        return f"{self.scenario}/{self.section}[{self.index}]"

    @property
    def pending(self) -> str:
        if self.section in SECTIONS:
            return str(SECTIONS[self.section])
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

    def mapped(self) -> list[Figure]:
        """The figures the loader builds and the engine reports (pending and contradicted ones left out)."""
        return [f for f in self.figures if f.checks and not f.pending and not f.inconsistency]

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


def default_change_on(latest: dt.date) -> dt.date:
    """The date of a restructuring the source does not date: 1 January two years before the
    scenario's latest figure. Đắk Mil's article (08/08/2022) gives its 140 → 125 villages without
    a date; the merges of villages under Thông tư 14/2018/TT-BNV took place in 2019-2020, before
    the congresses of the 2020-2025 term, so the loader dates it 01/01/2020."""
    return dt.date(latest.year - 2, 1, 1)


def _figure(scenario: str, section: str, index: int, data) -> Figure:
    if not isinstance(data, dict):
        raise FigureError(_("Kịch bản %(scenario)s, mục %(section)s thứ %(n)s: mỗi số liệu phải là một bảng {kind: ..., ...}.") % {
            "scenario": scenario, "section": section, "n": index})
    kind = _kind_text(data)
    figure = Figure(scenario=scenario, section=section, index=index, kind=kind, data=data)
    name = _("Kịch bản %(scenario)s, số liệu thứ %(n)s “%(kind)s”") % {"scenario": scenario, "n": index, "kind": kind}
    if section in SECTIONS:
        return figure
    rule = classify(kind) if kind else None
    if rule is None:
        raise FigureError(_("%(figure)s: không có chỉ tiêu nào ứng với loại số liệu này (bảng ánh xạ: coso/scenarios/kinds.py).") % {
            "figure": name})
    figure.rule = rule
    if rule.pending:
        return figure
    match = rule.match(kind)
    figure.organization = clean(match.groupdict().get("org") or "")
    for key in ("value_at_least", "value_at_least_percent", "percent"):
        if key in data:
            raise FigureError(_("%(figure)s: chỉ dựng được số liệu chính xác (value), không dựng được “%(key)s”.") % {
                "figure": name, "key": key})
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

    if rule.change:
        on = d.get("on") or default_change_on(latest)
        if not isinstance(on, dt.date):
            raise FigureError(_("%(figure)s: ngày “on” phải có dạng YYYY-MM-DD.") % {"figure": name})
        figure.checks = [
            Check(rule.measure, number("before"), on=on - dt.timedelta(days=1), organization=org, role="before"),
            Check(rule.measure, number("after"), on=on, organization=org, role="after"),
        ]
        return
    if rule.measure.startswith("events."):
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
                            note=clean(str(body.get("note") or "")))
        for section in ("figures", *SECTIONS):
            for index, data in enumerate(body.get(section) or [], start=1):
                scenario.figures.append(_figure(key, section, index, data))
        stocks = [f for f in scenario.figures if f.rule and f.measure and not f.rule.change]
        for f in stocks:
            _checks(f, dt.date.min)
        changes = [f for f in scenario.figures if f.rule and f.rule.change and not f.pending]
        if changes:
            latest = scenario.latest() if stocks else None
            for f in changes:
                if latest is None and not f.data.get("on"):
                    raise FigureError(_("Kịch bản %(scenario)s, số liệu thứ %(n)s “%(kind)s”: cần ngày “on” của việc sắp xếp.") % {
                        "scenario": key, "n": f.index, "kind": f.kind})
                _checks(f, latest)
        _contradictions(scenario.figures)
        out[key] = scenario
    return out


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
