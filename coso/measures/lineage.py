"""Figures across a restructuring (issue #17 point 4): records counted where they were on their
date, carried to today's organizations through the lineage.

A figure on a date before a change answers on the old tree and after it on the new one: that is
the engine as it is (the subtree of the date). Two questions need the lineage
(coso/restructuring, `Lineage`: predecessor → successor with a share, 1 for a merge):

- **by successor**: the events of a period that straddles a change, grouped by the organization
  each event's organization became (a merged commune's admissions of June counted under the new
  commune), instead of the organization of its date (the engine's "child" breakdown);
- **the same area before**: a figure on an earlier date (a year before, by default) or over an
  earlier period, mapped onto today's organizations, so a commune established on 01/07/2025 has
  a "same area last year" figure: the members of its predecessor communes on 01/07/2024.

How: the records are counted per organization (the family's own grouped query, the one it rolls
up by child) over the organizations that lie under the organization asked on the target date and
every predecessor they have through lineage rows dated in the window; each organization's counts
go to its successors on the target date, multiplied by the shares (a split's parts), and roll up
to the target tree's children. An organization that did not end keeps its counts, wherever it was
moved. Splits make fractions: values are Decimal, shown with one decimal where not whole.

Scope: today's part of the tree is the user's scope (the subtree of the organization asked,
limited by it); the predecessors' records are counted even when they lie outside it (a commune's
user sees what its area had before the change, as a figure: never the rows nor the names of an
organization outside the scope; decision 0013).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import F, OuterRef, Q
from django.utils.translation import gettext as _

from coso.lib.dated import in_force_day_before_q, in_force_q
from coso.organizations.models import Placement
from coso.restructuring.models import Lineage

from .catalog import FAMILIES, MEASURES
from .engine import _check, _families, table, year_before
from .tree import Subtree, subtree

BY_TIME = "thoi_diem"  # the organization of the record's date (the engine's breakdown)
BY_SUCCESSOR = "ke_thua"  # the organization it became on the target date
GROUPINGS = (BY_TIME, BY_SUCCESSOR)

CHUNK = 2000


@dataclass
class Organizations(Subtree):
    """Explicitly named organizations, each its own key (the family's per-organization counts,
    not rolled up by path): the records of these organizations on the date, whatever their place
    in the tree. Never answered by the ledger of counts (it sums subtrees)."""

    ids: tuple = ()
    explicit: bool = True

    @property
    def limited(self) -> bool:
        return True

    def placements(self, on: dt.date | None = None):
        return Placement.objects.on(on or self.on).filter(organization_id__in=self.ids)

    def placements_on_ref(self, date_ref: str, org_ref: str):
        return Placement.objects.filter(in_force_q(OuterRef(date_ref)), organization_id=OuterRef(org_ref), organization_id__in=self.ids)

    def placement_q(self, prefix: str):
        return Q(**{f"{prefix}organization_id__in": self.ids})

    def placed_on_ref(self, date_ref: str, org_ref: str, *, day_before: bool = False):
        day = in_force_day_before_q(OuterRef(date_ref)) if day_before else in_force_q(OuterRef(date_ref))
        return Placement.objects.filter(day, organization_id=OuterRef(org_ref), organization_id__in=self.ids)

    def child_on_ref(self, date_ref: str, org_ref: str, *, day_before: bool = False):
        return F(org_ref)  # each organization its own key

    def organization_ids(self):
        return list(self.ids)

    def span_ids(self, start: dt.date, end: dt.date):
        return Placement.objects.during(start, end).filter(organization_id__in=self.ids).values("organization_id")

    def at(self, on: dt.date) -> "Organizations":
        return replace(self, on=on)

    def child_of(self) -> dict[int, int]:
        return {i: i for i in self.ids}


@dataclass
class Through:
    """Figures of the children of an organization on `to`, with records carried through the lineage."""

    measures: list[str]
    rows: list[tuple[int, str, dict]] = field(default_factory=list)  # (child id, name, {measure: Decimal})
    total: dict = field(default_factory=dict)
    estimated: bool = False  # a split's share made a fraction somewhere


def _links(since: dt.date, to: dt.date) -> list[tuple[int, int, Decimal, dt.date]]:
    """The lineage rows dated after `since` and up to `to` (one query)."""
    return list(Lineage.objects.filter(effective_date__gt=since, effective_date__lte=to)
                .values_list("predecessor_id", "successor_id", "share", "effective_date"))


def carried(org_ids, links) -> dict[int, dict[int, Decimal]]:
    """Each organization → {its successor at the end of the links' window: weight} (itself, 1,
    when it did not end in the window). A pure function of the lineage rows."""
    forward = defaultdict(list)
    for pred, succ, share, _day in links:
        forward[pred].append((succ, Decimal(share)))
    out: dict = {}

    def walk(org, seen=()):
        if org in out:
            return out[org]
        if org in seen or org not in forward:
            return {org: Decimal(1)}
        result: dict = defaultdict(Decimal)
        for succ, share in forward[org]:
            for final, w in walk(succ, (*seen, org)).items():
                result[final] += share * w
        out[org] = dict(result)
        return out[org]

    return {o: walk(o) for o in org_ids}


def _predecessors(targets: set, links) -> set:
    """Every organization whose lineage leads into one of the targets (the targets included)."""
    back = defaultdict(list)
    for pred, succ, _share, _day in links:
        back[succ].append(pred)
    found, todo = set(targets), list(targets)
    while todo:
        for pred in back.get(todo.pop(), ()):
            if pred not in found:
                found.add(pred)
                todo.append(pred)
    return found


def through(names, organization=None, *, to: dt.date, on: dt.date | None = None, period=None, scope=None) -> Through:
    """The measures counted on `on` (or over `period`), each record at the organization of its
    date, carried to its successor on `to` and rolled up to the children of `organization` on
    `to` (its own records under itself). A few queries whatever the number of organizations."""
    names = list(names)
    _check(names, on, period)
    target = subtree(organization, to, scope)
    child = target.child_of()  # today's organizations under the one asked → its child
    labels = target.child_labels()
    if target.root_id is not None:
        labels = [(target.root_id, _("Trực tiếp tại tổ chức")), *labels]
    since = on if on is not None else period[0]
    links = _links(since, to) if since < to else []
    region = sorted(_predecessors(set(child), links))
    weights = carried(region, links)
    per_org: dict = defaultdict(lambda: defaultdict(int))
    by_family = defaultdict(list)
    for name in names:
        by_family[MEASURES[name].family].append(MEASURES[name])
    for i in range(0, len(region), CHUNK):
        part = Organizations(on=on or period[1], root_id=None, path="", ids=tuple(region[i:i + CHUNK]))
        for family, measures in by_family.items():
            for org_id, values in FAMILIES[family].count(part, measures, "child", period).items():
                for m, v in values.items():
                    per_org[org_id][m] += v
    sums: dict = defaultdict(lambda: defaultdict(Decimal))
    estimated = False
    for org_id, values in per_org.items():
        for succ, w in weights.get(org_id, {}).items():
            key = child.get(succ)
            if key is None:
                continue  # carried out of the organization asked (moved elsewhere)
            estimated |= w != 1
            for m, v in values.items():
                sums[key][m] += v * w
    result = Through(measures=names, estimated=estimated)
    for key, label in labels:
        if key in sums or key != target.root_id:
            result.rows.append((key, str(label), {n: sums.get(key, {}).get(n, Decimal(0)) for n in names}))
    result.total = {n: sum((values.get(n, Decimal(0)) for values in sums.values()), Decimal(0)) for n in names}
    return result


@dataclass
class Comparison:
    """Today's figures of each child beside the same area's figures before (through the lineage)."""

    measures: list[str]
    on: dt.date | None
    before: dt.date | None
    period: tuple | None
    period_before: tuple | None
    grouping: str
    rows: list[dict] = field(default_factory=list)  # {"id", "name", "now": {m: n}, "before": {m: n}}
    total: dict = field(default_factory=dict)
    estimated: bool = False


def compare(names, organization=None, *, on: dt.date | None = None, before: dt.date | None = None, period=None,
            period_before=None, grouping: str = BY_TIME, scope=None, to: dt.date | None = None) -> Comparison:
    """The comparison table: measures on `on` (or over `period`) by child of the organization on
    that date, and the same area on `before` (or over `period_before`; default a year earlier),
    mapped through the lineage. Period measures are grouped by the organization of the event's
    date (BY_TIME, the engine's breakdown: an ended organization's events under the child it lay
    under then, or apart) or by its successor (BY_SUCCESSOR). to: the tree the period's records
    are carried to, by successor (default the period's end; a later date: last year's ratings of
    ended organizations on today's organizations)."""
    names = list(names)
    _families(names)
    if grouping not in GROUPINGS:
        grouping = BY_TIME
    if period is not None:
        to = to or period[1]
        if to != period[1]:
            grouping = BY_SUCCESSOR  # the engine's breakdown is on the period's own tree
        period_before = period_before or (year_before(period[0]), year_before(period[1]))
        old = through(names, organization, to=to, period=period_before, scope=scope)
        if grouping == BY_SUCCESSOR:
            now = through(names, organization, to=to, period=period, scope=scope)
            now_rows = {k: v for k, _label, v in now.rows}
            now_total = now.total
        else:
            t = table(names, organization, by="child", period=period, scope=scope)
            now_rows = {k: v for k, _label, v in t.rows}
            now_total = t.total
    else:
        to = on
        before = before or year_before(on)
        old = through(names, organization, to=to, on=before, scope=scope)
        t = table(names, organization, by="child", on=on, scope=scope)
        now_rows = {k: v for k, _label, v in t.rows}
        now_total = t.total
    result = Comparison(measures=names, on=on, before=before, period=period, period_before=period_before, grouping=grouping,
                        estimated=old.estimated)
    for key, label, values in old.rows:
        result.rows.append({"id": key, "name": label, "now": {n: now_rows.get(key, {}).get(n, 0) for n in names}, "before": values})
    known = {r["id"] for r in result.rows}
    for key, values in now_rows.items():  # the engine's rows no lineage row names (events of ended organizations)
        if key not in known and any(values.values()):
            label = _("Tổ chức đã chuyển đi hoặc giải thể trong kỳ") if not isinstance(key, int) else _names([key]).get(key, str(key))
            result.rows.append({"id": key, "name": label, "now": values, "before": {n: Decimal(0) for n in names}})
    result.total = {"now": now_total, "before": old.total}
    return result


def _names(org_ids) -> dict[int, str]:
    """The last name of each organization (one query)."""
    names = {}
    for org_id, name in Placement.objects.filter(organization_id__in=list(org_ids)).order_by("valid_from").values_list("organization_id", "name"):
        names[org_id] = name
    return names


__all__ = ["BY_SUCCESSOR", "BY_TIME", "GROUPINGS", "Comparison", "Organizations", "Through", "carried", "compare", "through"]
