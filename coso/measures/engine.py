"""The measure engine: the only place a figure is computed.

Every page, export, command and test asks this module, so a number on a dashboard, in a PDF and
in `coso report` is the same number. Inputs are an organization (or None for the whole tree the
scope allows), an as-of date or a period, a set of measures and at most one breakdown.

How a subtree is read: the placements in force on the date under the organization's path of that
date (one indexed prefix query; decision 0001), so the answer follows the tree as it stood then,
before or after any restructuring (coso/measures/tree.py). Each family of measures is a class
(coso/measures/families.py) that answers all its measures in one grouped query with a
conditional count per measure; a breakdown by child organization groups by organization and rolls
the counts up in memory along the paths of the date. Never one query per organization. The engine
checks the question and hands each family its measures: it knows no family by name.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from coso.organizations.models import Organization, Placement

from .catalog import FAMILIES, INDICATORS, MEASURES, RATINGS, UnknownMeasure
from .dimensions import DIMENSIONS, UNKNOWN, keys_for
from .families import Family
from .tree import MeasureError, Subtree, subtree

__all__ = ["MeasureError", "Subtree", "Table", "breakdown", "count", "evaluation_levels", "indicators", "ratio", "rows",
           "series", "subtree", "table", "tables", "year_before"]


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


def _families(names) -> dict[str, Family]:
    """The families of the measures (UnknownMeasure for a name not in the catalog)."""
    found = {}
    for name in names:
        if name not in MEASURES:
            raise UnknownMeasure(name)
        found[MEASURES[name].family] = FAMILIES[MEASURES[name].family]
    return found


def _check(names, on, period) -> set[str]:
    families = _families(names)
    if any(f.over_period for f in families.values()) and period is None:
        raise MeasureError(_("Chỉ tiêu về biến động cần một khoảng thời gian (từ ngày … đến ngày …)."))
    if any(not f.over_period for f in families.values()) and on is None:
        raise MeasureError(_("Chỉ tiêu tại một thời điểm cần ngày thống kê."))
    if period is not None and period[0] > period[1]:
        raise MeasureError(_("Ngày bắt đầu sau ngày kết thúc của kỳ thống kê."))
    return set(families)


def _check_breakdown(by: str | None, families: set) -> None:
    if by is None:
        return
    if by not in DIMENSIONS:
        raise MeasureError(_("Không có cách phân tổ “%(name)s”.") % {"name": by})
    if any(by not in FAMILIES[f].breakdowns for f in families):
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
        for key, values in FAMILIES[family].count(tree, measures, by, period).items():
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
        listed = {k for k, _label in keys}
        # over a period: children of the root at its start that are not at its end (ended or
        # moved out in the period; a restructuring), their events under them, named as they were
        earlier = [k for k in counts if k not in listed and k not in (None, UNKNOWN)]
        if earlier:
            last = {}
            for org_id, name in Placement.objects.filter(organization_id__in=earlier).order_by("valid_from").values_list("organization_id", "name"):
                last[org_id] = name
            keys += [(k, _("%(name)s (kết thúc hoặc chuyển đi trong kỳ)") % {"name": last.get(k, k)})
                     for k in sorted(earlier, key=lambda k: str(last.get(k, k)))]
        if UNKNOWN in counts:  # events of organizations no longer under the root at the period's ends
            keys.append((UNKNOWN, _("Tổ chức đã chuyển đi hoặc giải thể trong kỳ")))
    else:
        keys = keys_for(by, [k for k in counts if k is not None])
    for key, label in keys:
        values = counts.get(key, {})
        result.rows.append((key, str(label), {n: values.get(n, 0) for n in names}))
    return result


def tables(names, organization=None, bys=(), *, on: dt.date, scope=None, tree: Subtree | None = None) -> dict[str, Table]:
    """Member measures by several breakdowns at once: one query grouped by every breakdown's key,
    each table the marginal of that result. For breakdowns with few keys (gender, ethnic group,
    age band, education, status...) the combinations stay few whatever the number of members."""
    names, bys = list(names), list(bys)
    families = _check(names, on, None)
    for by in bys:
        _check_breakdown(by, families)
    family = FAMILIES[next(iter(families))]
    if len(families) != 1 or not family.marginals_in_one_query or "child" in bys or len(bys) < 2:
        return {by: table(names, organization, by=by, on=on, scope=scope, tree=tree) for by in bys}
    if tree is None or tree.on != on:
        tree = subtree(organization, on, scope)
    result = {}
    for chunk in _chunks(bys):
        marginals = family.marginals(tree, [MEASURES[n] for n in names], chunk)
        result.update({by: _assemble(tree, names, by, marginals[by]) for by in chunk})
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
    family = FAMILIES[measure.family]
    if not family.series_in_one_query:
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
    values = family.series(measure, trees)
    return [values.get(d) for d in dates]


def year_before(on: dt.date) -> dt.date:
    try:
        return on.replace(year=on.year - 1)
    except ValueError:
        return on.replace(year=on.year - 1, day=28)


# -- the rows behind a figure ----------------------------------------------------------------------


def rows(name: str, organization=None, *, by: str | None = None, key=None, on: dt.date | None = None,
         period=None, scope=None):
    """The records counted by a figure (a cell of a table: measure × breakdown key), as a queryset
    of MemberPeriod, Placement, AdminUnit, Candidate, MemberEvent or Rating rows: its length is the
    figure. catalog.family(name).order(qs) lists them in the family's order."""
    families = _check([name], on, period)
    _check_breakdown(by, families)
    measure = MEASURES[name]
    tree = subtree(organization, on or period[1], scope)
    return FAMILIES[measure.family].rows(tree, measure, by, key, period)


# -- the figures of one evaluation period ----------------------------------------------------------


def evaluation_levels(evaluation, organization=None, *, scope=None, working: bool = False) -> dict[str, dict[str, int]]:
    """{subject kind: {level code: n}} of one evaluation period under the organization (default:
    the period's), as the tree stood on its reference date, within the scope: one grouped query
    after the organization's path.

    working=False: the published results, the official figures. working=True: each subject with
    its decided level, else its proposal (the figures while the period is worked on).
    Organizations count those under the organization, not itself (like the organization
    figures); members count those placed in its cells; collectives, leaders and mass
    organizations those of its subtree."""
    root = evaluation.organization_id if organization is None else organization
    tree = subtree(root, evaluation.reference_date, scope)
    return FAMILIES[RATINGS].levels(tree, evaluation, working=working)
