"""The measure engine: the only place a figure is computed.

Every page, export, command and test asks this module, so a number on a dashboard, in a PDF and
in `coso report` is the same number. Inputs are an organization (or None for the whole tree the
scope allows), an as-of date or a period, a set of measures and at most one breakdown.

How a subtree is read: the placements in force on the date under the organization's path of that
date (one indexed prefix query; decision 0001), so the answer follows the tree as it stood then,
before or after any restructuring. Each family of measures is one grouped query with a
conditional count per measure; a breakdown by child organization groups by organization and rolls
the counts up in memory along the paths of the date. Never one query per organization.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from coso.lib.dates import fmt
from coso.members.models import Candidate, MemberEvent, MemberPeriod
from coso.organizations.models import Organization, Placement, path_prefix_q
from coso.places.models import AdminUnit, Level

from .catalog import (
    ARRIVING,
    CANDIDATES,
    EVENTS,
    INDICATORS,
    MEASURES,
    MEMBERS,
    ORGANIZATIONS,
    RATINGS,
    VILLAGES,
    Measure,
    UnknownMeasure,
)
from .dimensions import DIMENSIONS, UNKNOWN, key_expression, keys_for


class MeasureError(ValidationError):
    pass


@dataclass
class Subtree:
    """The organization (None: the whole tree in scope) as it stood on a date."""

    on: dt.date
    root_id: int | None
    path: str  # "" for the whole tree
    scope: object = None
    _child_of: dict | None = field(default=None, repr=False, compare=False)

    def placements(self, on: dt.date | None = None):
        qs = Placement.objects.on(on or self.on)
        if self.path:
            qs = qs.filter(path_prefix_q(self.path, connection.vendor))
        if self.scope is not None:
            qs = qs.filter(self.scope.placement_q())
        return qs

    def placements_on_ref(self, date_ref: str, org_ref: str):
        """Correlated: a placement of the organization in org_ref, in force on date_ref, in the subtree."""
        qs = Placement.objects.filter(organization_id=OuterRef(org_ref), valid_from__lte=OuterRef(date_ref)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=OuterRef(date_ref))
        )
        if self.path:
            qs = qs.filter(path_prefix_q(self.path, connection.vendor))
        if self.scope is not None:
            qs = qs.filter(self.scope.placement_q())
        return qs

    def organization_ids(self):
        return self.placements().values("organization_id")

    def span_ids(self, start: dt.date, end: dt.date):
        """Subquery: organizations under the root at any time between start and end (a superset
        that lets the indexes narrow a period's rows before the exact test of each date)."""
        qs = Placement.objects.filter(valid_from__lte=end).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=start))
        if self.root_id is not None:
            paths = set(Placement.objects.filter(organization_id=self.root_id, valid_from__lte=end)
                        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=start)).values_list("path", flat=True)) or {self.path}
            under = Q()
            for path in paths:
                under |= path_prefix_q(path, connection.vendor)
            qs = qs.filter(under)
        if self.scope is not None:
            qs = qs.filter(self.scope.placement_q())
        return qs.values("organization_id")

    def child_of(self) -> dict[int, int]:
        """organization id → the id of the child of the root it lies under (the root maps to itself).
        Read once per subtree: a table with several families rolls each up with the same map."""
        if self._child_of is not None:
            return self._child_of
        depth = len(self.path.strip("/").split("/")) if self.path else 0
        result = {}
        for org_id, path in self.placements().values_list("organization_id", "path"):
            parts = path.strip("/").split("/")
            result[org_id] = int(parts[depth]) if len(parts) > depth else org_id
        self._child_of = result
        return result

    def child_labels(self) -> list[tuple[int, str]]:
        qs = Placement.objects.on(self.on)
        qs = qs.filter(parent_id=self.root_id) if self.root_id else qs.filter(parent__isnull=True)
        if self.scope is not None:
            qs = qs.filter(self.scope.placement_q())
        return list(qs.order_by("name_folded").values_list("organization_id", "name"))


def subtree(organization, on: dt.date, scope=None) -> Subtree:
    """The subtree of the organization on the date; MeasureError if it did not exist then."""
    if organization is None:
        return Subtree(on=on, root_id=None, path="", scope=None if scope is None or scope.is_global else scope)
    org_id = organization.pk if isinstance(organization, Organization) else int(organization)
    placement = Placement.objects.on(on).filter(organization_id=org_id).only("path").first()
    if placement is None:
        raise MeasureError(_("Tổ chức không tồn tại vào ngày %(date)s.") % {"date": fmt(on)})
    if scope is not None and not scope.is_global and not scope.placements().filter(pk=placement.pk).exists():
        raise MeasureError(_("Tổ chức nằm ngoài phạm vi quản lý của bạn vào ngày %(date)s.") % {"date": fmt(on)})
    return Subtree(on=on, root_id=org_id, path=placement.path, scope=None if scope is None or scope.is_global else scope)


@dataclass
class Table:
    """Counts of several measures broken down by one dimension: rows in report order, a total."""

    measures: list[str]
    by: str | None
    rows: list[tuple[object, str, dict]] = field(default_factory=list)  # (key, label, {measure: n})
    total: dict = field(default_factory=dict)

    def value(self, measure: str, key=None) -> int:
        if key is None:
            return self.total.get(measure, 0)
        for k, _label, values in self.rows:
            if k == key:
                return values.get(measure, 0)
        return 0


def _check(names, on, period):
    families = set()
    for name in names:
        if name not in MEASURES:
            raise UnknownMeasure(name)
        families.add(MEASURES[name].family)
    if families & {EVENTS, RATINGS} and period is None:
        raise MeasureError(_("Chỉ tiêu về biến động cần một khoảng thời gian (từ ngày … đến ngày …)."))
    if families - {EVENTS, RATINGS} and on is None:
        raise MeasureError(_("Chỉ tiêu tại một thời điểm cần ngày thống kê."))
    if period is not None and period[0] > period[1]:
        raise MeasureError(_("Ngày bắt đầu sau ngày kết thúc của kỳ thống kê."))
    return families


def _check_breakdown(by: str | None, families: set) -> None:
    if by is None:
        return
    if by not in DIMENSIONS:
        raise MeasureError(_("Không có cách phân tổ “%(name)s”.") % {"name": by})
    if families - set(DIMENSIONS[by].families):
        raise MeasureError(_("Không phân tổ được các chỉ tiêu này theo “%(dim)s”.") % {"dim": DIMENSIONS[by].label})


def table(names, organization=None, *, by: str | None = None, on: dt.date | None = None,
          period: tuple[dt.date, dt.date] | None = None, scope=None, tree: Subtree | None = None) -> Table:
    """Counts of the measures (any families) for the organization's subtree, optionally by a dimension.

    tree: the subtree already resolved by subtree() for the same organization, date and scope
    (a page asking several tables of one organization resolves it once)."""
    names = list(names)
    families = _check(names, on, period)
    _check_breakdown(by, families)
    as_of = on or period[1]
    if tree is None or tree.on != as_of:
        tree = subtree(organization, as_of, scope)
    counts: dict = defaultdict(dict)  # key → {measure: n}
    by_family = defaultdict(list)
    for name in names:
        by_family[MEASURES[name].family].append(MEASURES[name])
    for family, measures in by_family.items():
        if family == MEMBERS:
            part = _members(tree, measures, by)
        elif family == ORGANIZATIONS:
            part = _organizations(tree, measures, by)
        elif family == VILLAGES:
            part = _villages(tree, measures, by)
        elif family == CANDIDATES:
            part = _candidates(tree, measures, by)
        elif family == RATINGS:
            part = _ratings(tree, measures, by, period)
        else:
            part = _events(tree, measures, by, period)
        for key, values in part.items():
            counts[key].update(values)
    return _assemble(tree, names, by, counts)


def _assemble(tree: Subtree, names, by, counts) -> Table:
    result = Table(measures=names, by=by)
    total = {n: 0 for n in names}
    for values in counts.values():
        for n, v in values.items():
            total[n] += v
    result.total = total
    if by is None:
        return result
    if by == "child":
        keys = tree.child_labels()
        if tree.root_id is not None and tree.root_id in counts:
            keys = [(tree.root_id, _("Trực tiếp tại tổ chức")), *keys]
        if UNKNOWN in counts:  # events of organizations no longer under the root at the period's ends
            keys.append((UNKNOWN, _("Tổ chức đã chuyển đi hoặc giải thể trong kỳ")))
    else:
        keys = keys_for(by, [k for k in counts if k is not None])
    for key, label in keys:
        values = counts.get(key, {})
        result.rows.append((key, str(label), {n: values.get(n, 0) for n in names}))
    return result


def _roll_up(tree: Subtree, per_org: dict, by: str | None) -> dict:
    """{(org, key): {m: n}} → {key: {m: n}}, the key being the child when by == "child"."""
    out: dict = defaultdict(lambda: defaultdict(int))
    child = tree.child_of() if by == "child" else None
    for (org_id, key), values in per_org.items():
        if child is not None:
            key = child.get(org_id)
            if key is None:
                continue
        for m, v in values.items():
            out[key][m] += v
    return out


def _grouped(qs, group: list, counts: dict) -> list[dict]:
    """Rows of the grouped counts; a single row (an aggregate) when there is nothing to group by."""
    if not group:
        return [qs.aggregate(**counts)]
    return list(qs.values(*group).annotate(**counts).order_by())


def _conditional_counts(measures: list[Measure], label: str = "id"):
    return {f"m{i}": Count(label, filter=m.q) if m.q is not None else Count(label) for i, m in enumerate(measures)}


def _members(tree: Subtree, measures: list[Measure], by: str | None) -> dict:
    qs = MemberPeriod.objects.filter(valid_from__lte=tree.on).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=tree.on))
    if tree.path or tree.scope is not None:
        qs = qs.filter(organization_id__in=tree.organization_ids())
    group = ["organization_id"] if by == "child" else []
    if by not in (None, "child"):
        qs = qs.annotate(k=key_expression(by, tree.on))
        group = ["k"]
    rows = _grouped(qs, group, _conditional_counts(measures))
    per = {}
    for row in rows:
        org_id = row.get("organization_id")
        per[(org_id, row.get("k"))] = {m.name: row[f"m{i}"] for i, m in enumerate(measures)}
    return _roll_up(tree, per, by)


def _organizations(tree: Subtree, measures: list[Measure], by: str | None) -> dict:
    qs = tree.placements()
    if tree.root_id is not None:
        qs = qs.exclude(organization_id=tree.root_id)
    counts = {f"m{i}": Count("id", filter=Q(kind__in=m.kinds)) for i, m in enumerate(measures)}
    group = {"child": ["organization_id"], "kind": ["kind"], "sector": ["sector"]}.get(by, [])
    per = {}
    for row in _grouped(qs, group, counts):
        key = row.get("kind") or row.get("sector")
        per[(row.get("organization_id"), key)] = {m.name: row[f"m{i}"] for i, m in enumerate(measures)}
    return _roll_up(tree, per, by)


def _villages_detail(tree: Subtree) -> dict[int, tuple]:
    """{village id: (organization whose area holds it, has a cell, has a resident member)} for the
    villages in force on the date whose commune, or the commune's district, is the area of a
    placement of the subtree."""
    areas = dict(tree.placements().filter(area__isnull=False).values_list("area_id", "organization_id"))
    village_qs = AdminUnit.objects.on(tree.on).filter(level=Level.VILLAGE)
    if tree.root_id is not None or tree.scope is not None:
        village_qs = village_qs.filter(Q(parent_id__in=list(areas)) | Q(parent__parent_id__in=list(areas)))
    villages = list(village_qs.values_list("id", "parent_id", "parent__parent_id"))
    if not villages:
        return {}
    ids = [v[0] for v in villages]
    through = Placement.villages.through
    with_cell = set(
        through.objects.filter(placement__in=tree.placements(), adminunit_id__in=ids).values_list("adminunit_id", flat=True)
    )
    periods = MemberPeriod.objects.filter(valid_from__lte=tree.on).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=tree.on))
    if tree.path or tree.scope is not None:
        periods = periods.filter(organization_id__in=tree.organization_ids())
    resident = set(
        periods.filter(member__person__residence_village_id__in=ids)
        .values_list("member__person__residence_village_id", flat=True).distinct()
    )
    return {
        village_id: (areas.get(commune_id) or areas.get(district_id), village_id in with_cell, village_id in resident)
        for village_id, commune_id, district_id in villages
    }


def _village_hit(measure: Measure, has_cell: bool, has_resident: bool) -> bool:
    return {
        "": True,
        "with_cell": has_cell,
        "without_cell": not has_cell,
        "without_resident_member": not has_resident,
    }[measure.special]


def _villages(tree: Subtree, measures: list[Measure], by: str | None) -> dict:
    """Villages, each belonging to the child whose subtree holds the area it lies in."""
    per: dict = defaultdict(lambda: defaultdict(int))
    for org_id, has_cell, has_resident in _villages_detail(tree).values():
        for m in measures:
            if _village_hit(m, has_cell, has_resident):
                per[(org_id, None)][m.name] += 1
    return _roll_up(tree, per, by)


def _candidates(tree: Subtree, measures: list[Measure], by: str | None) -> dict:
    """Candidates listed on or before the date and not yet admitted then (dropped candidates carry
    no end date and are left out)."""
    qs = Candidate.objects.filter(listed_on__lte=tree.on).filter(
        Q(state=Candidate.State.PREPARING) | Q(state=Candidate.State.ADMITTED, member__admitted_on__gt=tree.on)
    )
    if tree.path or tree.scope is not None:
        qs = qs.filter(organization_id__in=tree.organization_ids())
    group = ["organization_id"] if by == "child" else []
    per = {}
    for row in _grouped(qs, group, {"n": Count("id")}):
        per[(row.get("organization_id"), None)] = {m.name: row["n"] for m in measures}
    return _roll_up(tree, per, by)


def _rating_rows(tree: Subtree, period):
    """Published results of annual evaluations whose year ends within the period, each counted
    under its organization (a member's cell, the rated organization) as the tree stood on the
    evaluation's reference date; the organization reported on is not counted among its own."""
    from coso.evaluation.choices import PeriodKind, SubjectKind
    from coso.evaluation.models import Rating

    start, end = period
    qs = Rating.objects.filter(state=Rating.State.PUBLISHED, period__kind=PeriodKind.YEAR,
                               period__ends_on__gte=start, period__ends_on__lte=end)
    if tree.root_id is not None:
        qs = qs.exclude(subject_kind=SubjectKind.ORGANIZATION, organization_id=tree.root_id)
    if tree.path or tree.scope is not None:
        qs = qs.filter(organization_id__in=tree.span_ids(start, end))
        qs = qs.filter(Exists(tree.placements_on_ref("period__reference_date", "organization_id")))
    return qs


def _ratings(tree: Subtree, measures: list[Measure], by: str | None, period) -> dict:
    qs = _rating_rows(tree, period)
    group = []
    if by == "child":
        group = ["organization_id"]
    elif by == "year":
        qs, group = qs.annotate(k=F("period__year")), ["k"]
    elif by == "level":
        qs, group = qs.annotate(k=F("level")), ["k"]
    per = {}
    for row in _grouped(qs, group, _conditional_counts(measures)):
        per[(row.get("organization_id"), row.get("k"))] = {m.name: row[f"m{i}"] for i, m in enumerate(measures)}
    if by == "child":
        return _roll_up_events(tree, per, period)
    return _roll_up(tree, per, by)


def _events(tree: Subtree, measures: list[Measure], by: str | None, period) -> dict:
    """Events in the period, each counted under the organization it belongs to on its date:
    where the member arrives for admissions and receipts, where the member was the day before
    for the others; the organization must lie in the subtree on that date."""
    start, end = period
    types = sorted({t for m in measures for t in m.event_types})
    before, on_day = _owners()
    arriving = sorted(set(types) & ARRIVING)
    others = sorted(set(types) - ARRIVING)
    per: dict = defaultdict(lambda: defaultdict(int))
    for group_types, owner, incoming in ((arriving, Coalesce("organization_id", Subquery(on_day), output_field=IntegerField()), True),
                                         (others, Coalesce(Subquery(before), "organization_id", output_field=IntegerField()), False)):
        if not group_types:
            continue
        qs = MemberEvent.objects.filter(type__in=group_types, effective_date__gte=start, effective_date__lte=end)
        if tree.path or tree.scope is not None:
            qs = qs.filter(_near(tree, start, end, arriving=incoming))
        qs = qs.annotate(owner=owner)
        if tree.path or tree.scope is not None:
            qs = qs.filter(Exists(tree.placements_on_ref("effective_date", "owner")))
        group = []
        if by == "child":
            group.append("owner")
        elif by is not None:
            qs = qs.annotate(k=key_expression(by, end))
            group.append("k")
        mine = [m for m in measures if set(m.event_types) & set(group_types)]
        counts = {f"m{i}": Count("id", filter=Q(type__in=m.event_types) & (m.q or Q())) for i, m in enumerate(mine)}
        for row in _grouped(qs, group, counts):
            for i, m in enumerate(mine):
                per[(row.get("owner"), row.get("k"))][m.name] += row[f"m{i}"]
    if by == "child":
        return _roll_up_events(tree, per, period)
    return _roll_up(tree, per, by)


def _owners():
    """Correlated subqueries on an event: the member's organization the day before its date (the
    period covering date − 1) and on its date."""
    before = MemberPeriod.objects.filter(member_id=OuterRef("member_id"), valid_from__lt=OuterRef("effective_date")).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=OuterRef("effective_date"))
    ).order_by("-valid_from").values("organization_id")[:1]
    on_day = MemberPeriod.objects.filter(member_id=OuterRef("member_id"), valid_from__lte=OuterRef("effective_date")).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=OuterRef("effective_date"))
    ).order_by("-valid_from").values("organization_id")[:1]
    return before, on_day


NEAR_LIST = 5000


def _near(tree: Subtree, start: dt.date, end: dt.date, arriving: bool) -> Q:
    """A superset of the period's events that belong to the subtree, served by indexes: events
    naming an organization of the subtree, or of members who had a period there."""
    span = tree.span_ids(start, end)
    ids = list(span[:NEAR_LIST + 1])
    if len(ids) <= NEAR_LIST:
        # a short list of ids: both planners then start from the organization index rather than
        # from every event of the types in the period (SQLite, given the subquery, does the latter)
        span = [row["organization_id"] for row in ids]
    if arriving:  # they name their organization (members.services fills a receipt's)
        return Q(organization_id__in=span)
    members = MemberPeriod.objects.filter(organization_id__in=span, valid_from__lte=end).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=start)).values("member_id")
    return Q(member_id__in=members)


def _child_map(tree: Subtree, period) -> dict[int, int]:
    """organization → child of the root, from the tree at the period's end, then its start."""
    child = dict(tree.child_of())
    if period[0] != tree.on:
        start_tree = Subtree(on=period[0], root_id=tree.root_id, path=tree.path, scope=tree.scope)
        for org_id, c in start_tree.child_of().items():
            child.setdefault(org_id, c)
    return child


def _roll_up_events(tree: Subtree, per: dict, period) -> dict:
    """Events by child: an event belongs to the child its organization lay under on the event's
    date; children are taken on the period's end, the usual case, and on its start otherwise."""
    child = _child_map(tree, period)
    out: dict = defaultdict(lambda: defaultdict(int))
    for (org_id, _key), values in per.items():
        key = child.get(org_id, UNKNOWN)
        for m, v in values.items():
            out[key][m] += v
    return out


def tables(names, organization=None, bys=(), *, on: dt.date, scope=None, tree: Subtree | None = None) -> dict[str, Table]:
    """Member measures by several breakdowns at once: one query grouped by every breakdown's key,
    each table the marginal of that result. For breakdowns with few keys (gender, ethnic group,
    age band, education, status...) the combinations stay few whatever the number of members."""
    names, bys = list(names), list(bys)
    families = _check(names, on, None)
    for by in bys:
        _check_breakdown(by, families)
    if families != {MEMBERS} or "child" in bys or len(bys) < 2:
        return {by: table(names, organization, by=by, on=on, scope=scope, tree=tree) for by in bys}
    if tree is None or tree.on != on:
        tree = subtree(organization, on, scope)
    result = {}
    for chunk in _chunks(bys):
        result.update(_marginals(tree, names, chunk))
    return {by: result[by] for by in bys}


# combinations a grouped query may return before it costs more than separate queries
MAX_COMBINATIONS = 5000


def _size(by: str) -> int:
    return len(DIMENSIONS[by].keys) or 12


def _chunks(bys: list[str]) -> list[list[str]]:
    """The breakdowns in groups whose key combinations stay under MAX_COMBINATIONS."""
    chunks: list[list[str]] = []
    for by in sorted(bys, key=_size):
        for chunk in chunks:
            product = 1
            for other in chunk:
                product *= _size(other)
            if product * _size(by) <= MAX_COMBINATIONS:
                chunk.append(by)
                break
        else:
            chunks.append([by])
    return chunks


def _marginals(tree: Subtree, names: list[str], bys: list[str]) -> dict[str, Table]:
    measures = [MEASURES[n] for n in names]
    qs = MemberPeriod.objects.filter(valid_from__lte=tree.on).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=tree.on))
    if tree.path or tree.scope is not None:
        qs = qs.filter(organization_id__in=tree.organization_ids())
    qs = qs.annotate(**{f"k{i}": key_expression(by, tree.on) for i, by in enumerate(bys)})
    marginals = {by: defaultdict(lambda: defaultdict(int)) for by in bys}
    for row in _grouped(qs, [f"k{i}" for i in range(len(bys))], _conditional_counts(measures)):
        for i, by in enumerate(bys):
            for j, m in enumerate(measures):
                marginals[by][row[f"k{i}"]][m.name] += row[f"m{j}"]
    return {by: _assemble(tree, names, by, marginals[by]) for by in bys}


def count(name: str, organization=None, *, on: dt.date | None = None, period=None, scope=None) -> int:
    """One measure for the organization's subtree on a date (or over a period, for events)."""
    return table([name], organization, on=on, period=period, scope=scope).total[name]


def breakdown(name: str, organization=None, by: str = "child", *, on=None, period=None, scope=None) -> list[tuple]:
    """[(key, label, n)] in report order."""
    t = table([name], organization, by=by, on=on, period=period, scope=scope)
    return [(k, label, values[name]) for k, label, values in t.rows]


def ratio(numerator: int, denominator: int, percent: bool = True) -> Decimal | None:
    if not denominator:
        return None
    value = Decimal(numerator) * (100 if percent else 1) / Decimal(denominator)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def indicators(names, organization=None, *, on: dt.date, scope=None, measures: dict | None = None) -> dict:
    """Indicator values ({name: Decimal | None}), from measures already computed when given."""
    wanted = {n for name in names for n in (INDICATORS[name].numerator, INDICATORS[name].denominator)}
    values = dict(measures or {})
    missing = sorted(wanted - set(values))
    if missing:
        values.update(table(missing, organization, on=on, scope=scope).total)
    return {name: ratio(values[INDICATORS[name].numerator], values[INDICATORS[name].denominator], INDICATORS[name].percent)
            for name in names}


def series(name: str, organization=None, dates=(), *, scope=None) -> list[int | None]:
    """A member measure on each of several dates (None where the organization did not exist), in
    one query: a conditional count per date, each over the subtree as it stood on that date."""
    measure = MEASURES.get(name)
    if measure is None:
        raise UnknownMeasure(name)
    if measure.family != MEMBERS:
        raise MeasureError(_("Chuỗi theo thời gian hiện chỉ có cho các chỉ tiêu về đảng viên."))
    dates = list(dates)
    trees = {}
    if organization is None:
        for d in dates:
            trees[d] = subtree(None, d, scope)
    else:
        org_id = organization.pk if isinstance(organization, Organization) else int(organization)
        placements = list(Placement.objects.filter(organization_id=org_id).only("id", "path", "valid_from", "valid_to"))
        allowed = None
        if scope is not None and not scope.is_global:
            allowed = set(scope.placements().filter(organization_id=org_id).values_list("pk", flat=True))
        for d in dates:
            here = next((p for p in placements if p.valid_from <= d and (p.valid_to is None or p.valid_to > d)), None)
            if here is not None and (allowed is None or here.pk in allowed):
                trees[d] = Subtree(on=d, root_id=org_id, path=here.path, scope=None if scope is None or scope.is_global else scope)
    if not trees:
        return [None for _d in dates]
    counts = {}
    for i, (d, tree) in enumerate(trees.items()):
        condition = Q(valid_from__lte=d) & (Q(valid_to__isnull=True) | Q(valid_to__gt=d))
        if tree.path or tree.scope is not None:
            condition &= Q(organization_id__in=tree.organization_ids())
        if measure.q is not None:
            condition &= measure.q
        counts[f"d{i}"] = Count("id", filter=condition)
    span = Q(valid_from__lte=max(trees)) & (Q(valid_to__isnull=True) | Q(valid_to__gt=min(trees)))
    base = MemberPeriod.objects.filter(span)
    some = next(iter(trees.values()))
    if some.root_id is not None or some.scope is not None:
        base = base.filter(organization_id__in=some.span_ids(min(trees), max(trees)))
    row = base.aggregate(**counts)
    values = {d: row[f"d{i}"] for i, d in enumerate(trees)}
    return [values.get(d) for d in dates]


def year_before(on: dt.date) -> dt.date:
    try:
        return on.replace(year=on.year - 1)
    except ValueError:
        return on.replace(year=on.year - 1, day=28)


# -- the rows behind a figure ----------------------------------------------------------------------


def _child_subtree(tree: Subtree, key) -> Subtree:
    """The part of the tree a "child" breakdown key stands for (the root itself: its own rows)."""
    if key == tree.root_id:
        return None
    placement = tree.placements().filter(organization_id=key).only("path").first()
    if placement is None:
        raise MeasureError(_("Tổ chức không thuộc tổ chức đang thống kê vào ngày %(date)s.") % {"date": fmt(tree.on)})
    return Subtree(on=tree.on, root_id=int(key), path=placement.path, scope=tree.scope)


def rows(name: str, organization=None, *, by: str | None = None, key=None, on: dt.date | None = None,
         period=None, scope=None):
    """The records counted by a figure (a cell of a table: measure × breakdown key), as a queryset
    of MemberPeriod, Placement, AdminUnit, Candidate or MemberEvent rows: its length is the figure."""
    families = _check([name], on, period)
    _check_breakdown(by, families)
    measure = MEASURES[name]
    tree = subtree(organization, on or period[1], scope)
    part = tree
    orphans = by == "child" and key == UNKNOWN and measure.family == EVENTS
    if by == "child" and key is not None and not orphans:
        part = _child_subtree(tree, key)
    family = measure.family
    if family == MEMBERS:
        qs = MemberPeriod.objects.filter(valid_from__lte=tree.on).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=tree.on))
        if part is None:
            qs = qs.filter(organization_id=tree.root_id)
        elif part.path or part.scope is not None:
            qs = qs.filter(organization_id__in=part.organization_ids())
        if measure.q is not None:
            qs = qs.filter(measure.q)
        if by not in (None, "child") and key is not None:
            qs = qs.annotate(k=key_expression(by, tree.on)).filter(k=key)
        return qs
    if family == ORGANIZATIONS:
        if part is None:
            return Placement.objects.none()
        qs = part.placements().filter(kind__in=measure.kinds)
        if tree.root_id is not None:
            qs = qs.exclude(organization_id=tree.root_id)
        if by in ("kind", "sector") and key is not None:
            qs = qs.filter(**{by: key})
        return qs
    if family == VILLAGES:
        ids = _village_ids(part or tree, measure)
        return AdminUnit.objects.filter(pk__in=ids)
    if family == RATINGS:
        qs = _rating_rows(tree, period).filter(measure.q)
        if by == "child" and key is not None:  # the organizations _roll_up_events puts under that key
            qs = qs.filter(organization_id__in=[o for o, c in _child_map(tree, period).items() if c == key])
        if by == "year" and key is not None:
            qs = qs.filter(period__year=key)
        elif by == "level" and key is not None:
            qs = qs.filter(level=key)
        return qs
    if family == CANDIDATES:
        qs = Candidate.objects.filter(listed_on__lte=tree.on).filter(
            Q(state=Candidate.State.PREPARING) | Q(state=Candidate.State.ADMITTED, member__admitted_on__gt=tree.on)
        )
        if part is None:
            return qs.filter(organization_id=tree.root_id)
        if part.path or part.scope is not None:
            qs = qs.filter(organization_id__in=part.organization_ids())
        return qs
    start, end = period
    before, on_day = _owners()
    arriving = set(measure.event_types) <= ARRIVING
    owner = (Coalesce("organization_id", Subquery(on_day), output_field=IntegerField()) if arriving
             else Coalesce(Subquery(before), "organization_id", output_field=IntegerField()))
    qs = MemberEvent.objects.filter(type__in=measure.event_types, effective_date__gte=start, effective_date__lte=end)
    if measure.q is not None:
        qs = qs.filter(measure.q)
    if tree.path or tree.scope is not None:
        qs = qs.filter(_near(tree, start, end, arriving=arriving))
    qs = qs.annotate(owner=owner)
    if part is None:
        qs = qs.filter(owner=tree.root_id)
    elif part.path or part.scope is not None:
        qs = qs.filter(Exists(part.placements_on_ref("effective_date", "owner")))
    if by not in (None, "child") and key is not None:
        qs = qs.annotate(k=key_expression(by, end)).filter(k=key)
    if orphans:  # the events _roll_up_events could not place under a child
        placed = set(tree.child_of())
        placed |= set(Subtree(on=start, root_id=tree.root_id, path=tree.path, scope=tree.scope).child_of())
        qs = qs.exclude(owner__in=placed)
    return qs


def _village_ids(tree: Subtree, measure: Measure) -> list[int]:
    return [v for v, (_org, has_cell, has_resident) in _villages_detail(tree).items() if _village_hit(measure, has_cell, has_resident)]
