"""A target's value, expected value and status on a date, from the measure engine.

Why this sits on floor 9 (beside reports): a target's value is a figure, and every figure comes
from the measure engine (floor 8); the register of documents (coso/resolutions, floor 7) sits
below the engine so that the engine can count documents by kind (coso/measures/resolutions.py).

How a value is read (one engine call per target, or one for all the targets of a page counted over
the same period or on the same date (`share_calls`), all targets of a page sharing the subtree of
each date, never one query per organization):

- a count: the numerator measure; a percentage: numerator / denominator × 100 of the same call;
- on a date for measures counted on a date (members, organizations, villages), over a period for
  those counted over one (events, ratings, documents): the term's horizon counts from the
  target's start to the date; "each year" counts each calendar year of the term (one call broken
  down by year when the families allow it, else one call per year);
- a target whose measure the catalog does not know yet (another capability's) is "chưa tính
  được", saying which figure is missing; a target without a formula takes the last value
  reported on or before the date.

The statuses, in the words of the reviews (domain political-system.md §F.3): "đạt và vượt"
(exceed_from % of the target reached or more), "đạt" (the target reached), "gần đạt" (near_from
% or more at the due date, or behind the straight path before it), "chưa đạt", "đang trong lộ
trình" (not due yet, on or above the straight path from the baseline to the target). Both
thresholds are settings of the target (defaults 105 % and 90 %: UNCONFIRMED local practice, no
central guidance was found). A document's count "14/21 chỉ tiêu đạt và vượt" counts the targets
reached, exceeded or not (the reports' usage: "đạt và vượt" as one bucket).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coso.lib.dates import fmt
from coso.lib.numbers import num
from coso.measures import engine
from coso.measures.catalog import FAMILIES, MEASURES
from coso.organizations.models import Placement
from coso.restructuring.models import Lineage

from .models import Comparator, Horizon, ReportedValue, Target


class Status(models.TextChoices):
    EXCEEDED = "exceeded", gettext_lazy("Đạt và vượt")
    MET = "met", gettext_lazy("Đạt")
    NEAR = "near", gettext_lazy("Gần đạt")
    NOT_MET = "not_met", gettext_lazy("Chưa đạt")
    ON_TRACK = "on_track", gettext_lazy("Đang trong lộ trình")
    PENDING = "pending", gettext_lazy("Chưa tính được")


REACHED = {Status.EXCEEDED, Status.MET}
HUNDRED = Decimal(100)


@dataclass
class Year:
    year: int
    value: Decimal | None
    status: str
    complete: bool

    @property
    def status_label(self) -> str:
        return Status(self.status).label


@dataclass
class Progress:
    target: Target
    on: dt.date
    organization_id: int
    value: Decimal | None = None
    numerator: int | None = None
    denominator: int | None = None
    expected: Decimal | None = None
    achievement: Decimal | None = None
    status: str = Status.PENDING
    pending: str = ""  # why it cannot be computed
    computed: bool = True
    source: str = ""  # a reported value's source, who and when
    period: tuple | None = None  # the period counted (drill-down)
    as_of: dt.date | None = None  # the date counted on
    years: list[Year] = field(default_factory=list)
    followed: list = field(default_factory=list)  # [(successor name, from date)]: the organization ended, followed through the lineage

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def reached(self) -> bool:
        return self.status in REACHED

    def sentence(self) -> str:
        """The review's sentence: "Kết nạp 412 đảng viên, đạt 103% chỉ tiêu nhiệm kỳ." """
        t = self.target
        if self.value is None:
            return _("%(text)s: %(why)s.") % {"text": t.text, "why": self.pending or self.status_label.lower()}
        values = {"text": t.text, "value": num(self.value, 1 if self.value % 1 else 0), "unit": t.unit_text,
                  "sign": t.sign, "threshold": num(t.threshold),
                  "status": self.status_label.lower()}
        if self.achievement is not None:
            values["achievement"] = num(whole(self.achievement))
            return _("%(text)s: %(value)s%(unit)s, đạt %(achievement)s%% chỉ tiêu (%(sign)s %(threshold)s%(unit)s) — %(status)s.") % values
        return _("%(text)s: %(value)s%(unit)s (chỉ tiêu %(sign)s %(threshold)s%(unit)s) — %(status)s.") % values


def whole(value: Decimal) -> Decimal:
    """A percentage of the target as the reviews write it, rounded half up (166,7% → 167%; the
    number formatter cuts the decimals off)."""
    return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def q1(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def missing_measures(target: Target) -> list[str]:
    return [n for n in (target.numerator, target.denominator) if n and n not in MEASURES]


def over_period(target: Target) -> bool:
    return any(FAMILIES[MEASURES[n].family].over_period for n in (target.numerator, target.denominator) if n)


def satisfied(value: Decimal, comparator: str, threshold: Decimal) -> bool:
    return {
        Comparator.GT: value > threshold, Comparator.GE: value >= threshold, Comparator.EQ: value == threshold,
        Comparator.LE: value <= threshold, Comparator.LT: value < threshold,
    }[comparator]


def achievement(value: Decimal, comparator: str, threshold: Decimal) -> Decimal | None:
    """How much of the target is reached, in %: value / threshold, or threshold / value for an
    upper bound ("không quá 2%": 1% reached is 200%)."""
    if comparator in (Comparator.LE, Comparator.LT):
        if not value:
            return None
        return q1(threshold * HUNDRED / value)
    if not threshold:
        return None
    return q1(value * HUNDRED / threshold)


def status_of(target: Target, value: Decimal | None, *, due: bool, expected: Decimal | None = None) -> tuple[str, Decimal | None]:
    """(status, achievement) of a value against the target, due or not yet due."""
    if value is None:
        return (Status.ON_TRACK if not due else Status.NOT_MET), None
    reached = achievement(value, target.comparator, target.threshold)
    if satisfied(value, target.comparator, target.threshold):
        if reached is not None and reached >= target.exceed_from and target.comparator != Comparator.EQ:
            return Status.EXCEEDED, reached
        if reached is None and target.comparator in (Comparator.LE, Comparator.LT):
            return Status.EXCEEDED, reached
        return Status.MET, reached
    if not due:
        upper = target.comparator in (Comparator.LE, Comparator.LT)
        if expected is None or (value <= expected if upper else value >= expected):
            return Status.ON_TRACK, reached
        if expected and value * HUNDRED / expected >= target.near_from and not upper:
            return Status.NEAR, reached
        return Status.NOT_MET, reached
    if reached is not None and reached >= target.near_from:
        return Status.NEAR, reached
    return Status.NOT_MET, reached


def expected_on(target: Target, on: dt.date, baseline: Decimal | None = None) -> Decimal | None:
    """The value expected on the date on a straight path from the baseline on the start date to the
    threshold on the due date (each year: the threshold)."""
    if target.horizon == Horizon.EACH_YEAR:
        return target.threshold
    start = baseline if baseline is not None else (target.baseline if target.baseline is not None else Decimal(0))
    span = (target.due_on - target.starts_on).days
    done = min(max((on - target.starts_on).days, 0), span)
    return q1(start + (target.threshold - start) * Decimal(done) / Decimal(span))


class Trees:
    """The subtree of one organization on each date asked, resolved once and shared by every
    target of the page (engine.subtree).

    An organization that ended in a restructuring (coso/restructuring: merged into another,
    dissolved into one receiver) is followed on its successor through the lineage from the day
    it ended (`follow`): a target's figures over a period that straddles the change count the
    organization's own subtree before that day and its successor's from it (_figures), a figure
    on a later date the successor's. An organization whose parts went to several successors (a
    split) is not followed: no successor is the target's alone, and the target says so."""

    def __init__(self, organization_id: int, scope=None):
        self.organization_id = organization_id
        self.scope = scope
        self._trees: dict = {}
        self._ends: list | None = None  # [(the day it ended, successor ids)] from the lineage, read once
        self.reported: dict | None = None  # target id → its last reported value, read for a whole page (evaluate_all)
        self.totals: dict = {}  # (periodic, start, end) → the totals of every measure a page's targets ask there
        self.years: dict = {}  # (start, end) → (names, rows by year) of the page's "each year" targets

    def on(self, day: dt.date):
        if day not in self._trees:
            self._trees[day] = engine.subtree(self.organization_id, day, self.scope)
        return self._trees[day]

    def follow(self, day: dt.date) -> "tuple[dt.date, Trees] | None":
        """(the day the organization ended, its successor's Trees) when it had ended in a
        restructuring by the day; None while it is in force (one query per organization)."""
        if self._ends is None:
            ends: dict = {}
            for effective, successor in (Lineage.objects.filter(predecessor_id=self.organization_id).order_by("effective_date")
                                         .values_list("effective_date", "successor_id")):
                ends.setdefault(effective, set()).add(successor)
            self._ends = sorted(ends.items())
            self._next: dict = {}
        ended = [(effective, successors) for effective, successors in self._ends if effective <= day]
        if not ended:
            return None
        effective, successors = ended[0]
        if len(successors) > 1:
            raise engine.MeasureError(_("Tổ chức thực hiện chỉ tiêu đã được chia tách từ ngày %(date)s; số liệu sau ngày đó không thuộc riêng "
                                        "tổ chức kế thừa nào.") % {"date": fmt(effective)})
        successor = next(iter(successors))
        if successor not in self._next:
            self._next[successor] = Trees(successor, self.scope)
        return effective, self._next[successor]

    def followed(self, day: dt.date) -> list[tuple[int, dt.date]]:
        """The successors the figures of the day were followed to, in order, with their dates."""
        out, trees = [], self
        while True:
            try:
                step = trees.follow(day)
            except engine.MeasureError:
                return out
            if step is None or len(out) > 20:
                return out
            out.append((step[1].organization_id, step[0]))
            trees = step[1]


def _names(target: Target) -> list[str]:
    return list(dict.fromkeys(n for n in (target.numerator, target.denominator) if n))


def _key(target: Target, start: dt.date, end: dt.date) -> tuple:
    periodic = over_period(target)
    return periodic, start if periodic else None, end


def _figures(target: Target, trees: Trees, start: dt.date, end: dt.date, by: str | None = None):
    names = _names(target)
    periodic = over_period(target)
    followed = trees.follow(end)
    if followed is not None:  # the organization ended in a restructuring: its successor from that day (Trees)
        ended_on, successor = followed
        if not periodic or start >= ended_on:
            return _figures(target, successor, max(start, ended_on), end, by)
        last = ended_on - dt.timedelta(days=1)
        before = engine.table(names, trees.organization_id, by=by, on=last, period=(start, last), scope=trees.scope, tree=trees.on(last))
        return _added(before, _figures(target, successor, ended_on, end, by))
    return engine.table(names, trees.organization_id, by=by, on=end, period=(start, end) if periodic else None,
                        scope=trees.scope, tree=trees.on(end))


def _added(first: engine.Table, second: engine.Table) -> engine.Table:
    """Two tables of the same measures added up, row by row (the same key) and in total."""
    rows: dict = {}
    for key, label, values in [*first.rows, *second.rows]:
        _label, sums = rows.setdefault(key, (label, defaultdict(int)))
        for name, value in values.items():
            sums[name] += value
    total = {name: first.total.get(name, 0) + second.total.get(name, 0) for name in first.measures}
    return engine.Table(measures=first.measures, by=first.by, rows=[(k, label, dict(v)) for k, (label, v) in rows.items()], total=total)


def _totals(target: Target, trees: Trees, start: dt.date, end: dt.date) -> dict:
    """The target's measures' totals: from the page's shared call when evaluate_all made one for
    the same period, else its own engine call."""
    shared = trees.totals.get(_key(target, start, end))
    if shared is not None and all(n in shared for n in _names(target)):
        return shared
    return _figures(target, trees, start, end).total


def share_calls(targets, on: dt.date, trees: Trees) -> None:
    """One engine call for all the targets counted over the same period (or on the same date):
    a congress resolution's targets mostly share the term, so a dashboard of 25 targets makes a
    few calls, not 25; the term's counts and the "each year" counts over the same period share
    one call broken down by year. A call that fails leaves its targets to their own calls (and
    messages)."""
    groups: dict[tuple, list] = {}
    yearly: dict[tuple, list] = {}
    for t in targets:
        if not t.computed or missing_measures(t) or on < t.starts_on:
            continue
        end = min(on, t.due_on)
        if t.horizon != Horizon.EACH_YEAR:
            groups.setdefault(_key(t, t.starts_on, end), []).extend(_names(t))
        elif _by_year(t):
            yearly.setdefault((t.starts_on, end), []).extend(_names(t))
    for (start, end), names in yearly.items():
        # the term's totals over the same period, when they too break down by year, come from the
        # same statement: the years partition the period's rows, so the table's total is theirs
        term = groups.get((True, start, end))
        joined = term is not None and all("year" in FAMILIES[MEASURES[n].family].breakdowns for n in term)
        names = list(dict.fromkeys(names + term if joined else names))
        try:
            table = engine.table(names, trees.organization_id, by="year", on=end, period=(start, end), scope=trees.scope,
                                 tree=trees.on(end))
        except engine.MeasureError:
            continue
        trees.years[(start, end)] = (set(names), [(key, row) for key, _label, row in table.rows])
        if joined:
            trees.totals[(True, start, end)] = table.total
            del groups[(True, start, end)]
    for (periodic, start, end), names in groups.items():
        try:
            table = engine.table(list(dict.fromkeys(names)), trees.organization_id, on=end, period=(start, end) if periodic else None,
                                 scope=trees.scope, tree=trees.on(end))
        except engine.MeasureError:
            continue
        trees.totals[(periodic, start, end)] = table.total


def _value(target: Target, numerator: int, denominator: int | None) -> Decimal | None:
    if not target.denominator:
        return Decimal(numerator)
    if not denominator:
        return None
    return q1(Decimal(numerator) * HUNDRED / Decimal(denominator))


def _pair(target: Target, values: dict) -> tuple[int, int | None]:
    return values.get(target.numerator, 0), (values.get(target.denominator, 0) if target.denominator else None)


def evaluate(target: Target, on: dt.date, trees: Trees) -> Progress:
    """The target's progress on the date for trees' organization (see the module docstring)."""
    p = Progress(target=target, on=on, organization_id=trees.organization_id, computed=target.computed)
    if not target.computed:
        return _reported(target, on, p, trees.reported)
    if followed := trees.followed(min(on, target.due_on)):
        names = _last_names([org for org, _day in followed])
        p.followed = [(names.get(org, ""), day) for org, day in followed]
    if missing := missing_measures(target):
        p.pending = _("chưa tính được: hệ thống chưa có số liệu “%(names)s”") % {"names": ", ".join(missing)}
        return p
    if on < target.starts_on:
        p.pending = _("chỉ tiêu tính từ ngày %(date)s") % {"date": fmt(target.starts_on)}
        p.status = Status.ON_TRACK
        return p
    try:
        if target.horizon == Horizon.EACH_YEAR:
            return _each_year(target, on, trees, p)
        end = min(on, target.due_on)
        totals = _totals(target, trees, target.starts_on, end)
    except engine.MeasureError as error:
        p.pending = _("chưa tính được: %(why)s") % {"why": " ".join(error.messages)}
        return p
    p.numerator, p.denominator = _pair(target, totals)
    p.value = _value(target, p.numerator, p.denominator)
    p.period, p.as_of = (target.starts_on, end), end
    due = on >= target.due_on
    p.expected = None if due else expected_on(target, on, Decimal(0) if over_period(target) else None)
    p.status, p.achievement = status_of(target, p.value, due=due, expected=p.expected)
    return p


def _by_year(target: Target) -> bool:
    """Whether every family the target names breaks down by year (one call for all its years)."""
    return over_period(target) and all("year" in FAMILIES[MEASURES[n].family].breakdowns for n in _names(target))


def year_bounds(target: Target, year: int, on: dt.date) -> tuple[dt.date, dt.date]:
    return max(dt.date(year, 1, 1), target.starts_on), min(dt.date(year, 12, 31), on, target.due_on)


def _each_year(target: Target, on: dt.date, trees: Trees, p: Progress) -> Progress:
    """Each calendar year of the horizon up to the date: one call broken down by year when every
    family involved can be, else one call per year. The status: the worst of the complete years
    (đang trong lộ trình before the first is complete)."""
    last = min(on, target.due_on)
    years = list(range(target.starts_on.year, last.year + 1))
    values: dict[int, tuple] = {}
    if _by_year(target):
        names, rows = trees.years.get((target.starts_on, last), (set(), []))
        if not set(_names(target)) <= names:  # not read with the page's other "each year" targets
            rows = [(key, row) for key, _label, row in _figures(target, trees, target.starts_on, last, by="year").rows]
        for key, row in rows:
            values[int(key)] = _pair(target, row)
    else:
        for year in years:
            start, end = year_bounds(target, year, last)
            values[year] = _pair(target, _figures(target, trees, start, end).total)
    rank = [Status.NOT_MET, Status.NEAR, Status.MET, Status.EXCEEDED]
    worst = None
    for year in years:
        numerator, denominator = values.get(year, (0, 0 if target.denominator else None))
        value = _value(target, numerator, denominator)
        complete = dt.date(year, 12, 31) <= on
        status, reached = status_of(target, value, due=complete)
        if not complete and status not in REACHED:
            status = Status.ON_TRACK
        p.years.append(Year(year, value, status, complete))
        if complete and value is not None:
            worst = status if worst is None or rank.index(status) < rank.index(worst) else worst
            p.value, p.numerator, p.denominator, p.achievement = value, numerator, denominator, reached
            p.period, p.as_of = year_bounds(target, year, last), year_bounds(target, year, last)[1]
    p.expected = target.threshold
    if worst is None:
        p.status = Status.ON_TRACK
        current = p.years[-1] if p.years else None
        if current is not None and current.value is not None:
            p.value, p.numerator, p.denominator = current.value, *values.get(current.year, (None, None))
            p.period = year_bounds(target, current.year, last)
            p.as_of = p.period[1]
    else:
        p.status = worst
    return p


def _last_names(org_ids) -> dict[int, str]:
    """Each organization's last name (one query)."""
    names = {}
    for org_id, name in Placement.objects.filter(organization_id__in=org_ids).order_by("valid_from").values_list("organization_id", "name"):
        names[org_id] = name
    return names


def last_reported(target_ids, on: dt.date) -> dict:
    """Each target's last value reported on or before the date: one query for all of them."""
    found: dict = {}
    rows = (ReportedValue.objects.filter(target_id__in=list(target_ids), on__lte=on).select_related("reported_by")
            .order_by("target_id", "-on", "-id"))
    for row in rows:
        found.setdefault(row.target_id, row)
    return found


def _reported(target: Target, on: dt.date, p: Progress, known: dict | None = None) -> Progress:
    if known is not None:
        last = known.get(target.pk)
    else:
        last = ReportedValue.objects.filter(target=target, on__lte=on).select_related("reported_by").order_by("-on", "-id").first()
    if last is None:
        p.pending = _("chưa có số liệu báo cáo đến ngày %(date)s") % {"date": fmt(on)}
        p.status = Status.PENDING  # no figure is not "on track": the dashboard says none was reported
        return p
    p.value, p.as_of = last.value, last.on
    p.source = _("%(source)s, số liệu đến ngày %(on)s (%(who)s ghi ngày %(at)s)") % {
        "source": last.source, "on": fmt(last.on), "who": last.reported_by.get_username() if last.reported_by else _("hệ thống"),
        "at": fmt(last.reported_at.date())}
    due = on >= target.due_on
    p.expected = None if due or target.horizon == Horizon.EACH_YEAR else expected_on(target, on)
    p.status, p.achievement = status_of(target, p.value, due=due, expected=p.expected)
    return p


def evaluate_all(targets, organization_id: int, on: dt.date, scope=None) -> list[Progress]:
    """Every target on the date for the organization's subtree (within the scope), the subtree of
    each date resolved once."""
    targets = list(targets)
    trees = Trees(organization_id, scope)
    trees.reported = last_reported([t.pk for t in targets if not t.computed], on) if any(not t.computed for t in targets) else {}
    share_calls(targets, on, trees)
    return [evaluate(t, on, trees) for t in targets]


def baseline(target: Target, scope=None) -> Decimal | None:
    """The value on the start date (a stock measure; counts over a period start from 0)."""
    if not target.computed or missing_measures(target) or over_period(target):
        return None if not target.computed or missing_measures(target) else Decimal(0)
    try:
        table = engine.table([n for n in dict.fromkeys((target.numerator, target.denominator)) if n], target.organization_id,
                             on=target.starts_on, scope=scope)
    except engine.MeasureError:
        return None
    return _value(target, *_pair(target, table.total))


def series(target: Target, on: dt.date, trees: Trees) -> list[tuple[dt.date, Decimal | None, Decimal | None]]:
    """(date, value, expected) at the start, each year's end up to the date, and the date: the chart."""
    if not target.computed or missing_measures(target):
        return []
    last = min(on, target.due_on)
    dates = [target.starts_on] + [dt.date(y, 12, 31) for y in range(target.starts_on.year, last.year + 1)
                                  if target.starts_on < dt.date(y, 12, 31) < last] + [last]
    points = []
    flow = over_period(target)
    for d in dict.fromkeys(dates):
        if target.horizon == Horizon.EACH_YEAR:
            start = max(dt.date(d.year, 1, 1), target.starts_on)
        else:
            start = target.starts_on
        try:
            value = _value(target, *_pair(target, _figures(target, trees, start, d).total))
        except engine.MeasureError:
            value = None
        points.append((d, value, expected_on(target, d, Decimal(0) if flow else None)))
    return points


@dataclass
class Lower:
    """One lower organization's figure against the target (the superior's view)."""

    organization_id: int
    name: str
    value: Decimal | None
    threshold: Decimal
    own: bool  # its own (stricter) threshold, inherited with `inherit_target`
    status: str
    achievement: Decimal | None

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def reached(self) -> bool:
        return self.status in REACHED


def cascade(target: Target, root_id: int, on: dt.date, scope=None) -> tuple[list[Lower], tuple | None]:
    """Each child of root against the target (its own stricter threshold where it set one): one
    engine call broken down by child. Each year: the last complete year, else the current one.
    Returns the rows and the period (or date) counted."""
    if not target.computed or missing_measures(target):
        return [], None
    trees = Trees(root_id, scope)
    last = min(on, target.due_on)
    if target.horizon == Horizon.EACH_YEAR:
        year = last.year - 1 if last < dt.date(last.year, 12, 31) and last.year > target.starts_on.year else last.year
        start, end = year_bounds(target, year, last)
        due = end == dt.date(year, 12, 31)
    else:
        start, end, due = target.starts_on, last, on >= target.due_on
    table = _figures(target, trees, start, end, by="child")
    own = dict(Target.objects.filter(parent=target).values_list("organization_id", "threshold"))
    rows = []
    for key, label, values in table.rows:
        if key == root_id or not isinstance(key, int):
            continue  # the root's own rows, organizations moved away during the period
        value = _value(target, *_pair(target, values))
        threshold = own.get(key, target.threshold)
        local = Target(comparator=target.comparator, threshold=threshold, exceed_from=target.exceed_from,
                       near_from=target.near_from, horizon=target.horizon, starts_on=target.starts_on, due_on=target.due_on)
        expected = None if due else expected_on(local, end, Decimal(0) if over_period(target) else None)
        status, reached = status_of(local, value, due=due, expected=expected)
        rows.append(Lower(key, label, value, threshold, key in own, status, reached))
    return rows, (start, end)
