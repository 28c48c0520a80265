"""Measure families: what a family of measures counts, and how.

A family is one class, registered in the catalog (`catalog.register_family`), that knows:

- `base(tree, period)`: the rows it counts for a subtree, before any measure's condition or
  breakdown. The one place a family reads its rows: a summary layer (the ledger of counts,
  docs/design/ledger.md) answers here instead of the row tables;
- `count(tree, measures, by, period)`: {breakdown key: {measure: n}}, every measure of the family
  in one grouped query (a conditional count per measure), never one query per organization;
- `rows(tree, measure, by, key, period)`: the records behind one figure (as many as the figure);
- `order(qs)`: how the records behind a figure are listed;
- `breakdowns`: the dimensions it can be broken down by; `over_period`: counted over a period of
  dates rather than on one date; `organization_attr`: the attribute of a row naming its
  organization (the records page shows its name).

The engine only dispatches to the family of each measure: a new capability adds a family by adding
one class here (or in its own module), not a branch in the engine or in the report pages.
"""

import datetime as dt
from collections import defaultdict
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf

from coso.evaluation.choices import PeriodKind, SubjectKind
from coso.evaluation.models import Rating
from coso.lib.dated import in_force_q
from coso.members.models import Candidate, MemberEvent, MemberPeriod
from coso.members.owners import ARRIVING
from coso.organizations.models import Placement
from coso.places.models import AdminUnit, Level
from coso.places.models import Lineage as PlaceLineage

from . import eventledger, ledger, politicalledger
from .catalog import (
    CANDIDATES,
    EVENTS,
    MEMBERS,
    ORGANIZATIONS,
    RATINGS,
    VILLAGES,
    Measure,
    register_family,
)
from .dimensions import UNKNOWN, key_expression
from .models import VillageResidence
from .tree import Subtree
from .villageposts import VILLAGE_POST_FLAGS, village_posts

PERSON_BREAKDOWNS = ("gender", "ethnic_group", "ethnicity", "religion", "age", "education", "qualification", "theory", "tenure")


# -- shared pieces ---------------------------------------------------------------------------------


def grouped(qs, group: list, counts: dict) -> list[dict]:
    """Rows of the grouped counts; a single row (an aggregate) when there is nothing to group by."""
    if not group:
        return [qs.aggregate(**counts)]
    return list(qs.values(*group).annotate(**counts).order_by())


def conditional_counts(measures: list[Measure], label: str = "id") -> dict:
    return {f"m{i}": Count(label, filter=m.q) if m.q is not None else Count(label) for i, m in enumerate(measures)}


def roll_up(tree: Subtree, per_org: dict, by: str | None) -> dict:
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


def roll_up_owners(tree: Subtree, per_org: dict, by: str | None) -> dict:
    """roll_up for rows grouped per organization holding an area (the commune-level families: a few
    thousand organizations for the country): the children of those organizations alone, one query,
    where roll_up reads the child of every organization of the subtree (360,000 for the country)."""
    if by != "child" or not sql_roll_ups(tree):
        return roll_up(tree, per_org, by)
    child = children_of(tree, [org_id for org_id, _key in per_org if org_id is not None])
    out: dict = defaultdict(lambda: defaultdict(int))
    for (org_id, _key), values in per_org.items():
        if org_id in child:
            for m, v in values.items():
                out[child[org_id]][m] += v
    return out


def children_of(tree: Subtree, org_ids) -> dict[int, int]:
    """{organization: the child of the root it lies under on the tree's date} for these
    organizations alone (one query per 2,000), those outside the subtree left out."""
    ids = sorted(set(org_ids))
    child: dict = {}
    for i in range(0, len(ids), 2000):
        child.update(tree.placements().filter(organization_id__in=ids[i:i + 2000]).annotate(rollup_child=tree.child_expression())
                     .values_list("organization_id", "rollup_child"))
    return child


def children_over_period(tree: Subtree, org_ids, period) -> dict[int, int]:
    """child_map for these organizations alone: the tree at the period's end, then at its start."""
    child = children_of(tree, org_ids)
    if period[0] != tree.on:
        missing = [o for o in org_ids if o not in child]
        if missing:
            for org_id, c in children_of(tree.at(period[0]), missing).items():
                child.setdefault(org_id, c)
    return child


def child_map(tree: Subtree, period) -> dict[int, int]:
    """organization → child of the root, from the tree at the period's end, then its start."""
    child = dict(tree.child_of())
    if period[0] != tree.on:
        for org_id, c in tree.at(period[0]).child_of().items():
            child.setdefault(org_id, c)
    return child


def roll_up_over_period(tree: Subtree, per: dict, period) -> dict:
    """By child over a period: a row belongs to the child its organization lay under on its date;
    children are taken on the period's end, the usual case, and on its start otherwise."""
    child = child_map(tree, period)
    out: dict = defaultdict(lambda: defaultdict(int))
    for (org_id, _key), values in per.items():
        key = child.get(org_id, UNKNOWN)
        for m, v in values.items():
            out[key][m] += v
    return out


# -- roll-ups by child in the database (issue #12 point 3) ------------------------------------------
#
# roll_up and roll_up_over_period read the child of every organization of the subtree into Python
# (Subtree.child_of: 360,000 rows for the whole country) and receive one row per organization from
# the grouped query. The same sums taken in one statement: the rows grouped per organization, joined
# to the subtree's placements at the end of the period (and at its start) whose path gives the
# child (Subtree.child_expression), summed per child. Same keys, same numbers (tests: the families'
# answers with and without, tests/test_ledger.py); taken when the summary reads are on
# (COSO_LEDGER, as the ledger of counts) and the tree is a subtree (not measures.lineage's list).


def sql_roll_ups(tree: Subtree) -> bool:
    return bool(getattr(settings, "COSO_LEDGER", False)) and not getattr(tree, "explicit", False)


def _compiled(qs) -> tuple[str, list]:
    sql, params = qs.query.get_compiler(connection=connection).as_sql()
    return sql, list(params)


def rolled_up(tree: Subtree, qs, org_field: str, counts: dict, period=None) -> dict:
    """{child: {alias: n}} of `counts` over qs's rows, each under the child of the root its
    organization (org_field) lies under: on the tree's date (a row of an organization outside
    the subtree then is left out, as roll_up does), or over a period as roll_up_over_period puts
    it (the tree at the period's end, then at its start, else UNKNOWN)."""
    qn = connection.ops.quote_name
    try:
        inner, params = _compiled(qs.values(org_field).annotate(**counts).order_by())
    except EmptyResultSet:  # a condition that matches nothing (an empty list of organizations)
        return {}
    maps = [tree] if period is None else [tree] if period[0] == tree.on else [tree, tree.at(period[0])]
    joins, children = [], []
    for i, t in enumerate(maps):
        try:
            sql, more = _compiled(t.placements().annotate(rollup_child=tree.child_expression()).values("organization_id", "rollup_child"))
        except EmptyResultSet:  # no placement: no child on that date
            if period is None:
                return {}
            continue
        kind = "INNER" if period is None else "LEFT"
        joins.append(f"{kind} JOIN ({sql}) c{i} ON c{i}.{qn('organization_id')} = g.{qn(org_field)}")
        children.append(f"c{i}.{qn('rollup_child')}")
        params += more
    child = "NULL" if not children else children[0] if len(children) == 1 else f"COALESCE({', '.join(children)})"
    sums = ", ".join(f"SUM(g.{qn(alias)})" for alias in counts)
    out: dict = {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {child}, {sums} FROM ({inner}) g {' '.join(joins)} GROUP BY {child}", params)
        for key, *values in cursor.fetchall():
            out[UNKNOWN if key is None else key] = {alias: int(v or 0) for alias, v in zip(counts, values, strict=True)}
    return out


def _in_part(qs, tree: Subtree, part: Subtree | None, field: str = "organization_id"):
    """Rows of the part of the tree a breakdown key stands for (None: the root's own rows)."""
    if part is None:
        return qs.filter(**{field: tree.root_id})
    if part.limited:
        return qs.filter(**{f"{field}__in": part.organization_ids()})
    return qs


# -- the base class --------------------------------------------------------------------------------


class Family:
    """A family of measures (see the module docstring). Subclasses set `name` and implement
    `base`, `count`, `rows` and `order`."""

    name: ClassVar[str] = ""
    breakdowns: ClassVar[tuple[str, ...]] = ("child",)
    over_period: ClassVar[bool] = False
    organization_attr: ClassVar[str | None] = "organization_id"
    # several breakdowns from one query grouped by all their keys (marginals()); one measure on
    # several dates in one query (series())
    marginals_in_one_query: ClassVar[bool] = False
    series_in_one_query: ClassVar[bool] = False

    def base(self, tree: Subtree, period=None):
        raise NotImplementedError

    def count(self, tree: Subtree, measures: list[Measure], by: str | None, period=None) -> dict:
        raise NotImplementedError

    def rows(self, tree: Subtree, measure: Measure, by: str | None, key, period=None):
        raise NotImplementedError

    def order(self, qs):
        return qs

    def part(self, tree: Subtree, by: str | None, key) -> Subtree | None:
        """The subtree a breakdown key limits the rows to (None: the root's own rows)."""
        if by == "child" and key is not None:
            return tree.child(key)
        return tree


# -- the families ----------------------------------------------------------------------------------


@register_family
class Members(Family):
    """Member periods in force on the date (probationary and official members, the exempted
    included, those in transit counted by the sender, temporary members at home).

    The counts of a summarized root (the whole tree, the top two levels) come from the ledger of
    counts (coso/measures/ledger.py) when it can answer; rows() always reads the periods."""

    name = MEMBERS
    breakdowns = ("child", *PERSON_BREAKDOWNS, "status")
    marginals_in_one_query = True
    series_in_one_query = True

    def dated(self, on: dt.date):
        return MemberPeriod.objects.on(on)

    def base(self, tree: Subtree, period=None):
        qs = self.dated(tree.on)
        if tree.limited:
            qs = qs.filter(organization_id__in=tree.organization_ids())
        return qs

    def count(self, tree, measures, by, period=None):
        if (answer := ledger.answer(tree, measures, by)) is not None:
            return answer
        qs = self.base(tree)
        group = ["organization_id"] if by == "child" else []
        if by not in (None, "child"):
            qs = qs.annotate(k=key_expression(by, tree.on))
            group = ["k"]
        per = {}
        for row in grouped(qs, group, conditional_counts(measures)):
            per[(row.get("organization_id"), row.get("k"))] = {m.name: row[f"m{i}"] for i, m in enumerate(measures)}
        return roll_up(tree, per, by)

    def marginals(self, tree: Subtree, measures: list[Measure], bys: list[str]) -> dict[str, dict]:
        """{by: {key: {measure: n}}} for several breakdowns, from one query grouped by all their keys
        (from the ledger, one query per breakdown, when it answers)."""
        if (answers := ledger.answers_for(tree, measures, bys)) is not None:
            return answers
        qs = self.base(tree).annotate(**{f"k{i}": key_expression(by, tree.on) for i, by in enumerate(bys)})
        marginals = {by: defaultdict(lambda: defaultdict(int)) for by in bys}
        for row in grouped(qs, [f"k{i}" for i in range(len(bys))], conditional_counts(measures)):
            for i, by in enumerate(bys):
                for j, m in enumerate(measures):
                    marginals[by][row[f"k{i}"]][m.name] += row[f"m{j}"]
        return marginals

    def series(self, measure: Measure, trees: dict[dt.date, Subtree]) -> dict[dt.date, int]:
        """The measure on each date, one conditional count per date over the rows in force at
        some time between the first and the last (one query; the ledger's when it answers)."""
        if (answer := ledger.series(measure, trees)) is not None:
            return answer
        counts = {}
        for i, (d, tree) in enumerate(trees.items()):
            condition = in_force_q(d)
            if tree.limited:
                condition &= Q(organization_id__in=tree.organization_ids())
            if measure.q is not None:
                condition &= measure.q
            counts[f"d{i}"] = Count("id", filter=condition)
        base = MemberPeriod.objects.during(min(trees), max(trees))
        some = next(iter(trees.values()))
        if some.root_id is not None or some.scope is not None:
            base = base.filter(organization_id__in=some.span_ids(min(trees), max(trees)))
        row = base.aggregate(**counts)
        return {d: row[f"d{i}"] for i, d in enumerate(trees)}

    def rows(self, tree, measure, by, key, period=None):
        qs = _in_part(self.dated(tree.on), tree, self.part(tree, by, key))
        if measure.q is not None:
            qs = qs.filter(measure.q)
        if by not in (None, "child") and key is not None:
            qs = qs.annotate(k=key_expression(by, tree.on)).filter(k=key)
        return qs

    def order(self, qs):
        return qs.select_related("member__person").order_by("member__person__name_order", "member_id")


@register_family
class Events(Family):
    """Member events whose effective date falls in the period (both ends inclusive), each counted
    under the organization it belongs to on its date (MemberEvent.owner, written with the event:
    coso/members/owners.py): where the member arrives for admissions and receipts, where the member
    was the day before for the others.

    The one rule for a period (issue #12 point 3): an event counts for every organization its owner
    lay under on the event's date (by identity: the root's id in the owner's path that day), and by
    child under the child of the root it lay under that day, not the child it lies under at the
    period's end. The ledger of events (coso/measures/eventledger.py) answers the top of the tree
    by this rule; the rows below. A subtree's events are read by (owner, type, date) from
    members_event_owner_idx: the span of organizations under the root during the period, then the
    placement of each owner on each event's date."""

    name = EVENTS
    breakdowns = ("child", *PERSON_BREAKDOWNS, "year")
    over_period = True
    organization_attr = "owner_id"
    # a span of organizations up to this many ids is passed as a list (see near())
    NEAR_LIST = 5000

    def near(self, tree: Subtree, start: dt.date, end: dt.date) -> Q:
        """A superset of the period's events that belong to the subtree, served by the owner index:
        events whose owner lay under the root at some time in the period or on the day before it
        (where an exit on its first day is read: Subtree.span_ids)."""
        span = tree.span_ids(start, end)
        ids = list(span[:self.NEAR_LIST + 1])
        if len(ids) <= self.NEAR_LIST:
            # a short list of ids: both planners then walk the owner index per organization rather
            # than every event of the types in the period
            span = [row["organization_id"] for row in ids]
        return Q(owner_id__in=span)

    def base(self, tree: Subtree, period=None, *, types=()):
        """The period's events of the types, in the subtree on their date."""
        start, end = period
        qs = MemberEvent.objects.filter(type__in=types, effective_date__gte=start, effective_date__lte=end)
        if tree.limited:
            qs = qs.filter(self.near(tree, start, end))
            qs = qs.filter(self._by_owner_day(types, lambda day_before: Q(Exists(tree.placed_on_ref("effective_date", "owner_id", day_before=day_before))),
                                              condition=True))
        return qs

    @staticmethod
    def _by_owner_day(types, form, *, condition: bool = False):
        """`form(day_before)` for the events' types: the owner's placement read on the event's
        date for an arrival, on the day before for the others (where the member was that day:
        members/owners.py); where the types are of both sorts, a condition (Q) or a Case."""
        arriving = [t for t in types if t in ARRIVING]
        if len(arriving) == len(types):
            return form(False)
        if not arriving:
            return form(True)
        if condition:
            return (Q(type__in=arriving) & form(False)) | (~Q(type__in=arriving) & form(True))
        return Case(When(type__in=arriving, then=form(False)), default=form(True))

    def _child(self, tree, types):
        return self._by_owner_day(types, lambda day_before: tree.child_on_ref("effective_date", "owner_id", day_before=day_before))

    def count(self, tree, measures, by, period=None):
        if (answer := eventledger.answer(tree, measures, by, period)) is not None:
            return answer
        end = period[1]
        types = sorted({t for m in measures for t in m.event_types})
        qs = self.base(tree, period, types=types)
        # member_id (never null) rather than id: the count reads only columns of the owner and type
        # indexes (members_event_owner_idx, members_event_type_cover), not the table
        counts = {f"m{i}": Count("member_id", filter=Q(type__in=m.event_types) & (m.q or Q())) for i, m in enumerate(measures)}
        group = []
        if by == "child":
            qs = qs.annotate(k=self._child(tree, types))
            group.append("k")
        elif by is not None:
            qs = qs.annotate(k=key_expression(by, end))
            group.append("k")
        out: dict = defaultdict(lambda: defaultdict(int))
        for row in grouped(qs, group, counts):
            key = row.get("k")
            if by == "child" and key is None:
                key = UNKNOWN  # the whole tree's events whose owner lay nowhere in it that day
            for i, m in enumerate(measures):
                out[key][m.name] += row[f"m{i}"]
        return out

    def rows(self, tree, measure, by, key, period=None):
        end = period[1]
        qs = self.base(tree, period, types=measure.event_types)
        if measure.q is not None:
            qs = qs.filter(measure.q)
        if by == "child":
            qs = qs.annotate(k=self._child(tree, measure.event_types))
            qs = qs.filter(k__isnull=True) if key == UNKNOWN else qs.filter(k=key)
        elif by is not None and key is not None:
            qs = qs.annotate(k=key_expression(by, end)).filter(k=key)
        return qs

    def order(self, qs):
        return qs.select_related("member__person").order_by("effective_date", "sequence", "id")


@register_family
class Organizations(Family):
    """Placements in force on the date under the organization (itself excluded)."""

    name = ORGANIZATIONS
    breakdowns = ("child", "kind", "sector")
    organization_attr = None

    def base(self, tree: Subtree, period=None):
        qs = tree.placements()
        if tree.root_id is not None:
            qs = qs.exclude(organization_id=tree.root_id)
        return qs

    def count(self, tree, measures, by, period=None):
        """By child with the summary on (sql_roll_ups): each placement's child from its path, grouped
        in the database (the country's placements never reach Python). Otherwise from the subtree's
        placements as the page read them once (Subtree.rows): the rows of base() counted in memory,
        grouped as a grouped query would (a group of zeros included)."""
        if sql_roll_ups(tree) and (by == "child" or not tree.limited):
            # by child, or the whole tree by anything: grouped in the database (the country's 360,000
            # placements never reach Python), once per subtree by child, kind and sector together:
            # the report's two tables of organizations read the placements once
            out: dict = {} if by is not None else {None: {m.name: 0 for m in measures}}
            for child, kind, sector, n in tree.placement_groups():
                key = {"child": child, "kind": kind or None, "sector": sector}.get(by)
                values = out.setdefault(key, {m.name: 0 for m in measures})
                for m in measures:
                    if kind in m.kinds:
                        values[m.name] += n
            return out
        per: dict = {}
        if by is None:
            per[(None, None)] = {m.name: 0 for m in measures}
        for org_id, _path, kind, sector, _area in tree.rows():
            if org_id == tree.root_id:
                continue
            group = (org_id if by == "child" else None, (kind or None) if by == "kind" else sector if by == "sector" else None)
            values = per.setdefault(group, {m.name: 0 for m in measures})
            for m in measures:
                if kind in m.kinds:
                    values[m.name] += 1
        return roll_up(tree, per, by)

    def rows(self, tree, measure, by, key, period=None):
        part = self.part(tree, by, key)
        if part is None:
            return Placement.objects.none()
        qs = part.placements().filter(kind__in=measure.kinds)
        if tree.root_id is not None:
            qs = qs.exclude(organization_id=tree.root_id)
        if by in ("kind", "sector") and key is not None:
            qs = qs.filter(**{by: key})
        return qs

    def order(self, qs):
        return qs.order_by("depth", "name_order", "organization_id")


@register_family
class Villages(Family):
    """Villages in force on the date in the areas of the subtree's organizations, each belonging
    to the child whose subtree holds the area it lies in."""

    name = VILLAGES
    organization_attr = None

    def base(self, tree: Subtree, period=None, *, needs=("with_cell", "resident", "posts")) -> dict[int, tuple]:
        """{village id: (organization whose area holds it, has a cell, has a resident member, the
        flags of its posts)} for the villages in force on the date whose commune, or the commune's
        district, is the area of a placement of the subtree. The flags (village_posts) say whether
        it has a head, a head who is a party member, a cell secretary who is also its head, a cell
        with a cell committee. Only the parts named in `needs` are read (the others: False, empty):
        each village's cell and resident member are tested in the villages' own query (an indexed
        probe per village, not a pass over every member period of the subtree)."""
        areas = tree.areas()
        village_qs = self.probed(tree, needs)
        villages = list(village_qs.values_list("id", "parent_id", "parent__parent_id", "has_cell", "has_resident"))
        if not villages:
            return {}
        # the villages' posts (coso/measures/grassroots.py)
        posts = village_posts(tree.on, [v[0] for v in villages]) if "posts" in needs else {}
        return {
            village_id: (areas.get(commune_id) or areas.get(district_id), bool(has_cell), bool(has_resident),
                         posts.get(village_id, frozenset()))
            for village_id, commune_id, district_id, has_cell, has_resident in villages
        }

    def probed(self, tree: Subtree, needs):
        """The villages in force on the date in the subtree's units, each with has_cell and
        has_resident (False where not needed): one indexed probe each."""
        village_qs = AdminUnit.objects.on(tree.on).filter(level=Level.VILLAGE)
        if tree.root_id is not None or tree.scope is not None:
            village_qs = village_qs.filter(parent_id__in=tree.units())
        through = Placement.villages.through
        # the link's own placement in force and in the subtree (Subtree.placement_q)
        links = through.objects.filter(in_force_q(tree.on, prefix="placement__"), tree.placement_q("placement__"), adminunit_id=OuterRef("pk"))
        with_cell = Exists(links) if "with_cell" in needs else Value(False)
        resident = self.residents(tree.on) if "resident" in needs else Value(False)
        return village_qs.annotate(has_cell=with_cell, has_resident=resident)

    @staticmethod
    def residents(on: dt.date):
        """A correlated probe (a condition): some party member lives in the village (OuterRef
        "pk") on the date, a member of any organization (recorded there or in a village merged into
        it by the date). From the villages' resident spans kept beside the ledger
        (coso/measures/residence.py) when it is on and built, else from the member periods."""
        if ledger.enabled() is not None:
            return Exists(VillageResidence.objects.on(on).filter(village_id=OuterRef("pk")))
        # recorded there, or in a village merged into it by the date (residence.py)
        merged = PlaceLineage.objects.filter(new_id=OuterRef(OuterRef("pk")), partial=False, effective__lte=on).values("old_id")
        return (Exists(MemberPeriod.objects.on(on).filter(member__person__residence_village_id=OuterRef("pk")))
                | Exists(MemberPeriod.objects.on(on).filter(member__person__residence_village_id__in=merged)))

    @staticmethod
    def needs(measures) -> tuple[str, ...]:
        """The parts of base() the measures read."""
        specials = {m.special for m in measures}
        return tuple(part for part, used in (("with_cell", specials & {"with_cell", "without_cell"}),
                                             ("resident", specials & {"without_resident_member"}),
                                             ("posts", specials & set(VILLAGE_POST_FLAGS))) if used)

    @staticmethod
    def hit(measure: Measure, has_cell: bool, has_resident: bool, posts: frozenset = frozenset()) -> bool:
        if measure.special in VILLAGE_POST_FLAGS:
            return measure.special in posts
        return {
            "": True,
            "with_cell": has_cell,
            "without_cell": not has_cell,
            "without_resident_member": not has_resident,
        }[measure.special]

    def count(self, tree, measures, by, period=None):
        kept = [m for m in measures if politicalledger.kept(m)]
        if kept and (found := politicalledger.answer(tree, kept, by)) is not None:
            # the villages and the flags of their posts from the ledger of the political system, the rest here
            rest = [m for m in measures if not politicalledger.kept(m)]
            result: dict = defaultdict(dict)
            for part in (found, self.count(tree, rest, by, period) if rest else {}):
                for key, values in part.items():
                    result[key].update(values)
            return result
        per: dict = defaultdict(lambda: defaultdict(int))
        needs = self.needs(measures)
        if sql_roll_ups(tree) and not tree.limited and "posts" not in needs:
            # the whole tree: the villages counted per commune in the database (99,483 villages of the
            # country never reach Python), each commune's under the organization holding its area
            areas = tree.areas()
            def ones(flag):
                return Sum(Case(When(**{flag: True}, then=1), default=0))

            for commune_id, district_id, n, cells, residents in (
                    self.probed(tree, needs).values("parent_id", "parent__parent_id")
                    .annotate(n=Count("id"), cells=ones("has_cell"), residents=ones("has_resident")).order_by()
                    .values_list("parent_id", "parent__parent_id", "n", "cells", "residents")):
                org_id = areas.get(commune_id) or areas.get(district_id)
                found = {"": n, "with_cell": cells, "without_cell": n - cells, "without_resident_member": n - residents}
                for m in measures:
                    per[(org_id, None)][m.name] += found[m.special]
        else:
            for org_id, has_cell, has_resident, posts in self.base(tree, needs=needs).values():
                for m in measures:
                    if self.hit(m, has_cell, has_resident, posts):
                        per[(org_id, None)][m.name] += 1
        return roll_up_owners(tree, per, by)  # the children of the few organizations holding an area, not of every one

    def rows(self, tree, measure, by, key, period=None):
        part = self.part(tree, by, key) or tree
        ids = [v for v, (_org, has_cell, has_resident, posts) in self.base(part).items() if self.hit(measure, has_cell, has_resident, posts)]
        return AdminUnit.objects.filter(pk__in=ids)

    def order(self, qs):
        return qs.select_related("parent").order_by("parent__name_folded", "name_folded", "id")


@register_family
class Candidates(Family):
    """Candidates listed on or before the date and not yet admitted then (dropped candidates carry
    no end date and are left out)."""

    name = CANDIDATES

    def dated(self, on: dt.date):
        return Candidate.objects.filter(Candidate.state_on_q(Candidate.State.PREPARING, on))

    def base(self, tree: Subtree, period=None):
        qs = self.dated(tree.on)
        if tree.limited:
            qs = qs.filter(organization_id__in=tree.organization_ids())
        return qs

    def count(self, tree, measures, by, period=None):
        if by == "child" and sql_roll_ups(tree):
            rolled = rolled_up(tree, self.base(tree), "organization_id", {"n": Count("id")})
            return {key: {m.name: values["n"] for m in measures} for key, values in rolled.items()}
        group = ["organization_id"] if by == "child" else []
        per = {}
        for row in grouped(self.base(tree), group, {"n": Count("id")}):
            per[(row.get("organization_id"), None)] = {m.name: row["n"] for m in measures}
        return roll_up(tree, per, by)

    def rows(self, tree, measure, by, key, period=None):
        return _in_part(self.dated(tree.on), tree, self.part(tree, by, key))

    def order(self, qs):
        return qs.select_related("person").order_by("person__name_order", "id")


@register_family
class Ratings(Family):
    """Ratings of evaluation periods, each counted under its organization (a member's cell, the
    rated organization) as the tree stood on the evaluation's reference date; the organization
    reported on is not counted among its own organizations.

    Over a period of dates (the reports): the published results of the annual evaluations whose
    year ends within it. For one evaluation period (`levels`, the evaluation pages): its ratings,
    published only, or as they stand while it is worked on (the decided level, else the proposal).
    """

    name = RATINGS
    breakdowns = ("child", "year", "level")
    over_period = True

    def base(self, tree: Subtree, period=None, *, evaluation=None):
        """The rated subjects: of the annual periods ending within `period`, published; or of the
        one evaluation period given (whose reference date is the tree's date), in any state."""
        if evaluation is not None:
            qs = Rating.objects.filter(period=evaluation)
        else:
            start, end = period
            qs = Rating.objects.filter(state=Rating.State.PUBLISHED, period__kind=PeriodKind.YEAR,
                                       period__ends_on__gte=start, period__ends_on__lte=end)
        if tree.root_id is not None:
            qs = qs.exclude(subject_kind=SubjectKind.ORGANIZATION, organization_id=tree.root_id)
        if evaluation is not None:
            if tree.limited:
                qs = qs.filter(organization_id__in=tree.organization_ids())
        elif tree.limited:
            qs = qs.filter(organization_id__in=tree.span_ids(*period))
            qs = qs.filter(Exists(tree.placements_on_ref("period__reference_date", "organization_id")))
        return qs

    def count(self, tree, measures, by, period=None):
        qs = self.base(tree, period)
        if by == "child" and sql_roll_ups(tree):
            rolled = rolled_up(tree, qs, "organization_id", conditional_counts(measures), period)
            return {key: {m.name: values[f"m{i}"] for i, m in enumerate(measures)} for key, values in rolled.items()}
        group = []
        if by == "child":
            group = ["organization_id"]
        elif by == "year":
            qs, group = qs.annotate(k=F("period__year")), ["k"]
        elif by == "level":
            qs, group = qs.annotate(k=F("level")), ["k"]
        per = {}
        for row in grouped(qs, group, conditional_counts(measures)):
            per[(row.get("organization_id"), row.get("k"))] = {m.name: row[f"m{i}"] for i, m in enumerate(measures)}
        if by == "child":
            return roll_up_over_period(tree, per, period)
        return roll_up(tree, per, by)

    def levels(self, tree: Subtree, evaluation, *, working: bool = False) -> dict[str, dict[str, int]]:
        """{subject kind: {level code: n}} of one evaluation period: one grouped query. Subjects
        without a level (not yet proposed, or not yet published when only the published count)
        are left out."""
        if tree.on != evaluation.reference_date:
            raise ValueError("the figures of an evaluation period are taken on the tree of its reference date")
        qs = self.base(tree, evaluation=evaluation)
        if working:
            qs = qs.annotate(k=Coalesce(NullIf("level", Value("")), NullIf("proposed_level", Value(""))))
        else:
            qs = qs.filter(state=Rating.State.PUBLISHED).annotate(k=NullIf("level", Value("")))
        result: dict[str, dict[str, int]] = defaultdict(dict)
        for kind, level, n in qs.exclude(k__isnull=True).values_list("subject_kind", "k").annotate(n=Count("id")).order_by():
            result[kind][level] = n
        return dict(result)

    def rows(self, tree, measure, by, key, period=None):
        qs = self.base(tree, period).filter(measure.q)
        if by == "child" and key is not None:  # the organizations roll_up_over_period puts under that key
            qs = qs.filter(organization_id__in=[o for o, c in child_map(tree, period).items() if c == key])
        if by == "year" and key is not None:
            qs = qs.filter(period__year=key)
        elif by == "level" and key is not None:
            qs = qs.filter(level=key)
        return qs

    def order(self, qs):
        return qs.select_related("period").order_by("period__year", "organization_id", "subject_name", "id")

