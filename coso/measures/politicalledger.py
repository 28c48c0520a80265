"""The ledger of the political system: the figures of posts, bodies, villages' posts, staff and
quotas for the top of the tree at once (issue #13; the same design as the ledger of member
counts, decision 0011, and decision 0015 for what is counted once).

Each commune-level unit (a commune; a district before 01/07/2025) has, for every measure kept
here, a value on each day: the number of persons holding a post of the kind in its bodies, of its
bodies whose head is vacant, of its villages whose head is a party member, of its cadres at a
theory level, the quota allotted to it... Those values are step functions of the day, written as
+n/−n deltas on the days they change (`unit_deltas`, one pure function of the unit's records:
posts, bodies, villages, employment records, quotas, and the facts of the persons in them:
membership periods, qualification, theory level, degree programmes completed). A unit counts for
a summarized root (0: the whole tree, on every day; else an organization at depth 0 or 1 of the
tree as it stood) on the days some placement under the root has the unit, or the unit's parent,
as its area (measures.tree.units_within: the families' own rule); its deltas are added to the
root's on those days (`spread`). A figure on D is the sum of the root's deltas dated up to D
(the months before D's month from PoliticalLedgerMonth, the days of its month from
PoliticalLedgerEntry), one query for every measure and child of a report.

Persons are counted once in each unit where they hold posts (or staff positions) on the date:
the unit's count, as each commune reports it; a total is the sum of its units' counts, as the
report's rows sum to its total (decision 0015). The families' row-level counts follow the same
rule (grassroots.Posts, political.Staffing), so the ledger and the rows agree on every root.

Kept in each write's transaction: `follow(unit_ids)` on places.watchers.units_changing (bodies,
posts, staff, quotas: coso/grassroots, coso/staffing, a restructuring's units), `follow_persons`
on people.watchers.persons_changing (a person's qualification or theory level, a degree
completed), `follow_members` on the members' periods_changing (membership: a holder admitted or
removed) and `follow_organizations` on placements_changing (which root a unit counts for). Each
takes the units' contribution before and after the write and adds the difference. `rebuild()`
recounts (with the ledger's rebuild, and after synth's bulk rows); `differences()` compares with
a recount (`coso measures check`). Measures not kept here (a pair of titles a user picks) are
read from the rows.
"""

import datetime as dt
import json
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import Max, Q

from coso.grassroots import config
from coso.grassroots.models import Body, Post
from coso.lib.dated import SINCE_ALWAYS, intersect_spans, subtract_spans, union_spans
from coso.members.models import Member, MemberPeriod
from coso.organizations.models import Placement, path_ids
from coso.people.models import Person
from coso.places.models import AdminUnit, Level
from coso.staffing.models import Employment, Quota
from coso.training.choices import DEGREE_PROGRAMS
from coso.training.models import Course, Enrolment
from coso.training.selectors import rank_rises

from . import summary
from .catalog import MEASURES, VILLAGES
from .models import PoliticalLedgerEntry, PoliticalLedgerMonth
from .summary import (
    WHOLE_TREE,
    child_roots,
    in_ids_sql,
    summarized_root,
    summed_up_to,
    upsert_added,
)
from .villageposts import VILLAGE_POST_FLAGS

POSTS, BODIES, STAFFING, QUOTAS = "posts", "bodies", "staffing", "quotas"
VILLAGE_MEASURES = ("", *VILLAGE_POST_FLAGS)  # the villages in force, and the flags of their posts
FAMILIES = (POSTS, BODIES, STAFFING, QUOTAS)
Span = tuple  # (first day, end day or None): [a, b)


# -- the measures kept -------------------------------------------------------------------------------


def kept(measure) -> bool:
    """Whether the ledger keeps this measure (the catalog's measures of the families above and the
    villages, and their post flags; a pair of titles a user picks is read from the rows)."""
    if measure.name.startswith("concurrent.pair."):
        return False
    return measure.family in FAMILIES or (measure.family == VILLAGES and measure.special in VILLAGE_MEASURES)


def kept_measures() -> list:
    return [m for m in MEASURES.values() if kept(m)]


def second_side(measure):
    """(pairs of the second side, same village) of a concurrent measure, None for the others: a
    person counts where a post of the first side (the measure's q) and one of these overlap."""
    kind, _sep, code = measure.special.partition(":")
    if kind == "concurrent":
        model = config.CONCURRENT_MODELS[code]
        return model.second, model.same_village
    if kind == "pair":
        k1, _t1, k2, t2 = code.split("|")
        village = config.BODY_KINDS[k1].level == config.VILLAGE and config.BODY_KINDS[k2].level == config.VILLAGE
        return ((k2, t2),), village
    return None


# -- a measure's condition on a row in Python ----------------------------------------------------------

_LOOKUPS = {
    "exact": lambda a, b: a == b,
    "in": lambda a, b: a in b,
    "gte": lambda a, b: a is not None and a >= b,
    "lte": lambda a, b: a is not None and a <= b,
    "gt": lambda a, b: a is not None and a > b,
    "lt": lambda a, b: a is not None and a < b,
}


def matches(q: Q | None, row: dict) -> bool:
    """The measure's Q (the one the families give the database) tested on a row's values: the
    same condition, one definition. A field the row lacks raises KeyError (a new measure's
    condition this ledger cannot read fails its tests, it is not counted wrong)."""
    if q is None:
        return True
    results = []
    for child in q.children:
        if isinstance(child, Q):
            results.append(matches(child, row))
            continue
        key, value = child
        field, _sep, lookup = key.rpartition("__")
        if lookup not in _LOOKUPS:
            field, lookup = key, "exact"
        results.append(_LOOKUPS[lookup](row[field], value))
    found = all(results) if q.connector == Q.AND else any(results)
    return not found if q.negated else found


# -- spans of days (coso.lib.dated) --------------------------------------------------------------


def _count(deltas: dict, spans: Iterable[Span], n: int = 1) -> None:
    """+n on each span's first day, −n on its end day."""
    for a, b in spans:
        if b is not None and b <= a:
            continue
        deltas[a] += n
        if b is not None:
            deltas[b] -= n


# -- the records of some units ------------------------------------------------------------------------


class Records:
    """What unit_deltas reads for a set of units, each read in one query (ids as one parameter)."""

    def __init__(self, unit_ids: Iterable[int]):
        self.units = sorted(set(unit_ids))
        self.parent: dict[int, int | None] = {}
        self.posts: dict[int, list] = defaultdict(list)  # unit → (id, body, kind, village, title, person, from, to)
        self.village_posts: dict[int, list] = defaultdict(list)  # village → the same rows
        self.bodies: dict[int, list] = defaultdict(list)  # unit → (id, kind, from, to)
        self.villages: dict[int, list] = defaultdict(list)  # unit → (id, from, to)
        self.staff: dict[int, list] = defaultdict(list)  # unit → (person, category, from, to)
        self.quotas: dict[int, list] = defaultdict(list)  # unit → (category, number, from, to)
        self.placements: dict[int, list] = defaultdict(list)  # area → (from, to, path)
        self.membership: dict[int, list[Span]] = {}
        self.qualification: dict[int, str] = {}
        self.theory: dict[int, list] = {}  # person → [(day, rank)] the rank from that day on
        if self.units:
            self._read()

    def swap_placements(self, out: Counter, back: Counter) -> None:
        """The placements read, with `out` taken out and `back` put back ((area, first day, end
        day, path) each, as many times as counted)."""
        for area in {a for a, *_r in out + back}:
            rows = Counter(self.placements.get(area, ()))
            rows.subtract({tuple(r): n for (a, *r), n in out.items() if a == area})
            rows.update({tuple(r): n for (a, *r), n in back.items() if a == area})
            self.placements[area] = list(rows.elements())

    @staticmethod
    def _rows(sql: str, params: list, dates: tuple = ()) -> list[tuple]:
        """The statement's rows (ids as one parameter: summary.in_ids_sql); the columns at the
        positions `dates` are dates (SQLite's raw SQL gives them as text)."""
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if connection.vendor != "sqlite" or not dates:
            return rows
        def day(x):
            return dt.date.fromisoformat(x) if isinstance(x, str) else x
        return [tuple(day(x) if i in dates else x for i, x in enumerate(r)) for r in rows]

    def _read(self) -> None:
        qn = connection.ops.quote_name
        units = in_ids_sql("u.id", self.units)
        for unit_id, parent_id in self._rows(f"SELECT u.id, u.parent_id FROM {qn(AdminUnit._meta.db_table)} u WHERE {units[0]}", units[1]):
            self.parent[unit_id] = parent_id
        post_cols = "p.id, p.body_id, b.kind, b.village_id, p.title, p.person_id, p.valid_from, p.valid_to"
        posts, bodies = qn(Post._meta.db_table), qn(Body._meta.db_table)
        where = in_ids_sql("b.unit_id", self.units)
        for row in self._rows(f"SELECT b.unit_id, {post_cols} FROM {posts} p JOIN {bodies} b ON b.id = p.body_id WHERE {where[0]}", where[1],
                              dates=(7, 8)):
            self.posts[row[0]].append(row[1:])
        for row in self._rows(f"SELECT b.unit_id, b.id, b.kind, b.valid_from, b.valid_to FROM {bodies} b WHERE {where[0]}", where[1],
                              dates=(3, 4)):
            self.bodies[row[0]].append(row[1:])
        where = in_ids_sql("v.parent_id", self.units)
        village_ids = []
        for parent_id, village_id, valid_from, valid_to in self._rows(
                f"SELECT v.parent_id, v.id, v.valid_from, v.valid_to FROM {qn(AdminUnit._meta.db_table)} v "
                f"WHERE {where[0]} AND v.level = %s", [*where[1], Level.VILLAGE], dates=(2, 3)):
            self.villages[parent_id].append((village_id, valid_from or SINCE_ALWAYS, valid_to))
            village_ids.append(village_id)
        if village_ids:
            where = in_ids_sql("b.village_id", village_ids)
            for row in self._rows(f"SELECT {post_cols} FROM {posts} p JOIN {bodies} b ON b.id = p.body_id "
                                  f"WHERE {where[0]} AND b.kind IN ('village', 'cell')", where[1], dates=(6, 7)):
                self.village_posts[row[3]].append(row)
        where = in_ids_sql("e.commune_id", self.units)
        for row in self._rows(f"SELECT e.commune_id, e.person_id, e.category, e.valid_from, e.valid_to "
                              f"FROM {qn(Employment._meta.db_table)} e WHERE {where[0]}", where[1], dates=(3, 4)):
            self.staff[row[0]].append(row[1:])
        where = in_ids_sql("q.commune_id", self.units)
        for row in self._rows(f"SELECT q.commune_id, q.category, q.number, q.valid_from, q.valid_to "
                              f"FROM {qn(Quota._meta.db_table)} q WHERE {where[0]}", where[1], dates=(3, 4)):
            self.quotas[row[0]].append(row[1:])
        areas = set(self.units) | {p for p in self.parent.values() if p is not None}
        where = in_ids_sql("pl.area_id", areas)
        for area_id, valid_from, valid_to, path in self._rows(
                f"SELECT pl.area_id, pl.valid_from, pl.valid_to, pl.path FROM {qn(Placement._meta.db_table)} pl WHERE {where[0]}", where[1],
                dates=(1, 2)):
            self.placements[area_id].append((valid_from or SINCE_ALWAYS, valid_to, path))
        persons = {r[5] for rows in self.posts.values() for r in rows} | {r[5] for rows in self.village_posts.values() for r in rows}
        persons |= {r[0] for rows in self.staff.values() for r in rows}
        self._persons(sorted(persons))

    def _persons(self, persons: list[int]) -> None:
        if not persons:
            return
        qn = connection.ops.quote_name
        where = in_ids_sql("m.person_id", persons)
        spans = defaultdict(list)
        for person_id, valid_from, valid_to in self._rows(
                f"SELECT m.person_id, p.valid_from, p.valid_to FROM {qn(MemberPeriod._meta.db_table)} p "
                f"JOIN {qn(Member._meta.db_table)} m ON m.id = p.member_id WHERE {where[0]}", where[1], dates=(1, 2)):
            spans[person_id].append((valid_from, valid_to))
        self.membership = {p: union_spans(s) for p, s in spans.items()}
        where = in_ids_sql("pe.id", persons)
        typed = {}
        for person_id, qualification, theory_level in self._rows(
                f"SELECT pe.id, pe.qualification, pe.theory_level FROM {qn(Person._meta.db_table)} pe WHERE {where[0]}", where[1]):
            self.qualification[person_id] = qualification
            typed[person_id] = theory_level or ""
        where = in_ids_sql("e.person_id", persons)
        completed = defaultdict(list)
        programs = ", ".join(f"'{p}'" for p in DEGREE_PROGRAMS)
        for person_id, program, completed_on in self._rows(
                f"SELECT e.person_id, c.program, e.completed_on FROM {qn(Enrolment._meta.db_table)} e "
                f"JOIN {qn(Course._meta.db_table)} c ON c.id = e.course_id "
                f"WHERE {where[0]} AND e.state = %s AND e.completed_on IS NOT NULL AND c.program IN ({programs})",
                [*where[1], Enrolment.State.COMPLETED], dates=(2,)):
            completed[person_id].append((completed_on, program, None))
        for person_id, level in typed.items():  # the rank from each day on (training.selectors.rank_rises)
            self.theory[person_id] = [(day or SINCE_ALWAYS, rank) for day, rank, _item in rank_rises(level, completed[person_id])]


# -- the pure function ----------------------------------------------------------------------------------


def _spans(rows, a=6, b=7) -> list[Span]:
    return union_spans((r[a], r[b]) for r in rows)


def _post_row(post) -> dict:
    return {"pk": post[0], "body__kind": post[2], "title": post[4]}


def unit_deltas(records: Records, unit_id: int, measures) -> dict[str, dict]:
    """{measure name: {day: +n/−n}} of one unit: the changes of its value for each measure."""
    out: dict[str, dict] = {m.name: defaultdict(int) for m in measures}
    posts = records.posts.get(unit_id, ())
    by_person = defaultdict(list)
    for post in posts:
        by_person[post[5]].append(post)
    membership = records.membership
    for m in measures:
        deltas = out[m.name]
        if m.family == POSTS:
            if m.special == "posts":
                _count(deltas, [(p[6], p[7]) for p in posts if matches(m.q, _post_row(p))])
                continue
            second = second_side(m)
            for person_id, held in by_person.items():
                first = [p for p in held if matches(m.q, _post_row(p))]
                if not first:
                    continue
                if second is not None:
                    pairs, same_village = second
                    found = []
                    groups = {p[3] for p in first} if same_village else {None}
                    for village in groups:
                        mine = [p for p in first if not same_village or p[3] == village]
                        other = [p for p in held if (p[2], p[4]) in pairs and (not same_village or p[3] == village)]
                        found += intersect_spans(_spans(mine), _spans(other))
                    spans = union_spans(found)
                else:
                    spans = _spans(first)
                if m.special == "members":
                    spans = intersect_spans(spans, membership.get(person_id, []))
                _count(deltas, spans)
        elif m.family == BODIES:
            for body_id, kind, valid_from, valid_to in records.bodies.get(unit_id, ()):
                body = [(valid_from, valid_to)]
                if m.special == "head_vacant":
                    head = config.BODY_KINDS[kind].head if kind in config.BODY_KINDS else ""
                    if not head:
                        continue
                    body = subtract_spans(union_spans(body), _spans(p for p in posts if p[1] == body_id and p[4] == head))
                _count(deltas, body)
        elif m.family == VILLAGES:
            for village_id, valid_from, valid_to in records.villages.get(unit_id, ()):
                _count(deltas, intersect_spans(union_spans([(valid_from, valid_to)]), _village_flag(records, village_id, m.special)))
        elif m.family == STAFFING:
            _staffing(records, unit_id, m, deltas)
        elif m.family == QUOTAS:
            for category, number, valid_from, valid_to in records.quotas.get(unit_id, ()):
                if matches(m.q, {"category": category}):
                    _count(deltas, [(valid_from, valid_to)], number)
    return {name: {d: n for d, n in deltas.items() if n} for name, deltas in out.items()}


def _village_flag(records: Records, village_id: int, flag: str) -> list[Span]:
    """The days the village's posts raise the flag (measures.villageposts, day by day); every day
    for "" (the villages measure: a village in force)."""
    if flag == "":
        return [(SINCE_ALWAYS, None)]
    posts = records.village_posts.get(village_id, ())
    heads = [p for p in posts if (p[2], p[4]) == ("village", "village_head")]
    if flag == "with_head":
        return _spans(heads)
    if flag == "head_member":
        return union_spans(s for p in heads for s in intersect_spans(_spans([p]), records.membership.get(p[5], [])))
    if flag == "cell_committee":
        return _spans(p for p in posts if (p[2], p[4]) in (("cell", "cell_deputy"), ("cell", "cell_committee_member")))
    if flag == "cell_secretary_head":
        found = []
        for person_id in {p[5] for p in heads}:
            found += intersect_spans(_spans(p for p in heads if p[5] == person_id),
                               _spans(p for p in posts if (p[2], p[4]) == ("cell", "cell_secretary") and p[5] == person_id))
        return union_spans(found)
    raise KeyError(flag)


def _staffing(records: Records, unit_id: int, m, deltas: dict) -> None:
    """Persons with a record of the measure's kind on the day (its theory level taken on the day),
    once each; a party member: with a membership period that day."""
    by_person = defaultdict(list)
    for person_id, category, valid_from, valid_to in records.staff.get(unit_id, ()):
        by_person[person_id].append((category, valid_from, valid_to))
    for person_id, rows in by_person.items():
        steps = records.theory.get(person_id, [(SINCE_ALWAYS, 0)])
        qualification = records.qualification.get(person_id, "")
        found = []
        for category, valid_from, valid_to in rows:
            for i, (day, rank) in enumerate(steps):
                nxt = steps[i + 1][0] if i + 1 < len(steps) else None
                a = max(valid_from, day)
                b = valid_to if nxt is None else nxt if valid_to is None else min(valid_to, nxt)
                if b is not None and b <= a:
                    continue
                if matches(m.q, {"category": category, "person__qualification": qualification, "theory_rank": rank}):
                    found.append((a, b))
        spans = union_spans(found)
        if m.special == "member":
            spans = intersect_spans(spans, records.membership.get(person_id, []))
        _count(deltas, spans)


def unit_roots(records: Records, unit_id: int) -> dict[int, list[Span]]:
    """{summarized root: the days the unit counts for it}: root 0 always; an organization at depth
    0 or 1 on the days a placement under it has the unit as its area, or, on the days no placement
    has, the unit's parent (measures.tree.units_within)."""
    own, above = defaultdict(list), defaultdict(list)
    for valid_from, valid_to, path in records.placements.get(unit_id, ()):
        for root in path_ids(path)[:summary.SUMMARIZED_LEVELS]:
            own[root].append((valid_from, valid_to))
    parent = records.parent.get(unit_id)
    for valid_from, valid_to, path in records.placements.get(parent, ()) if parent is not None else ():
        for root in path_ids(path)[:summary.SUMMARIZED_LEVELS]:
            above[root].append((valid_from, valid_to))
    held = union_spans((a, b) for a, b, _path in records.placements.get(unit_id, ()))
    result = {root: union_spans(s) for root, s in own.items()}
    for root, s in above.items():
        result[root] = union_spans([*result.get(root, []), *subtract_spans(union_spans(s), held)])
    result = {root: s for root, s in result.items() if s}
    result[WHOLE_TREE] = [(SINCE_ALWAYS, None)]
    return result


def spread(deltas: dict[str, dict], roots: dict[int, list[Span]], out: dict) -> None:
    """Add a unit's deltas to each root on the days it counts there: on a span [a, b) its value
    on a, its changes inside, minus its value before b at b."""
    for name, changes in deltas.items():
        if not changes:
            continue
        days = sorted(changes)
        for root, spans in roots.items():
            for a, b in spans:
                value, inside = 0, []
                for d in days:
                    if d <= a:
                        value += changes[d]
                    elif b is None or d < b:
                        inside.append(d)
                if value:
                    out[(root, name, a)] += value
                level = value
                for d in inside:
                    out[(root, name, d)] += changes[d]
                    level += changes[d]
                if b is not None and level:
                    out[(root, name, b)] -= level


def contributions(unit_ids: Iterable[int], chunk: int = 500, swap: tuple[Counter, Counter] | None = None) -> dict:
    """{(root, measure, day): n} of these units as the database holds them now; swap: (placements
    to take out, placements to put back), each (area, first day, end day, path): the placements
    as they were before a write of them (follow_placements)."""
    measures = kept_measures()
    out: dict = defaultdict(int)
    ids = sorted({u for u in unit_ids if u})
    for i in range(0, len(ids), chunk):
        records = Records(ids[i:i + chunk])
        if swap is not None:
            records.swap_placements(*swap)
        for unit_id in records.units:
            deltas = unit_deltas(records, unit_id, measures)
            if any(deltas.values()):
                spread(deltas, unit_roots(records, unit_id), out)
    return {k: n for k, n in out.items() if n}


# -- writing ----------------------------------------------------------------------------------------------


def _upsert(rows: dict) -> None:
    """Add the rows to the days' table and, summed per month, to the months'."""
    months: dict = defaultdict(int)
    for (root, name, day), n in rows.items():
        months[(root, name, day.replace(day=1))] += n
    for model, part in ((PoliticalLedgerEntry, rows), (PoliticalLedgerMonth, months)):
        params = sorted((root, name, day, n) for (root, name, day), n in part.items() if n)
        upsert_added(connection.ops.quote_name(model._meta.db_table), ["root", "measure", "day", "n"],
                     ["bigint", "varchar", "date", "integer"], ["root", "measure", "day"], ["n"], params)


_frames = summary.Frames()


class _Batches(threading.local):
    """The batch open in this thread (batch()), or None."""

    def __init__(self):
        self.open: dict | None = None


_batches = _Batches()


@contextmanager
def batch():
    """Around many writes of the same units (a scenario or the demo built through the services,
    appointment after appointment): each unit's contribution taken once before its first write
    and once at the end, the difference added then, instead of before and after every write.
    Inside the write's transaction, as follow() (nested: the outermost batch counts)."""
    if _batches.open is not None or not summary.state().built:
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("the political system's ledger is kept inside the write's transaction")
    _batches.open = current = {"units": set(), "before": defaultdict(int)}
    try:
        yield
    finally:
        _batches.open = None
    _add_difference(contributions(current["units"]), current["before"])


def _touch(units: Iterable[int], before: dict | None = None) -> None:
    """Units the open batch has not seen yet: their contribution now (or `before`) is its before."""
    current = _batches.open
    new = sorted({u for u in units if u} - current["units"])
    if not new:
        return
    _lock(new)
    current["units"].update(new)
    for k, n in (before(new) if before else contributions(new)).items():
        current["before"][k] += n


def _add_difference(after: dict, before: dict) -> None:
    difference = defaultdict(int, after)
    for k, n in before.items():
        difference[k] -= n
    _upsert({k: n for k, n in difference.items() if n})


@contextmanager
def follow(unit_ids: Iterable[int] | Callable[[], Iterable[int]]):
    """Around a write of these units' political-system records: their contribution before and
    after, the difference added in the same transaction (nested: summary.Frames; in a batch, at
    the batch's end)."""
    if not summary.state().built:  # the ledger's rebuild counts these too
        yield
        return
    if _batches.open is not None:
        _touch(summary.asker(unit_ids)())
        yield
        return
    with _frames.frame(summary.asker(unit_ids)) as (found, after):
        _lock(found)
        before = contributions(found)
        yield
        _add_difference(contributions(after()), before)


def _lock(unit_ids: list[int]) -> None:
    """Lock the units followed (in id order), so that a concurrent write in the same unit (two
    appointments of one person to two bodies at once) computes its before and after on this
    write's result (PostgreSQL; SQLite writers are serialized already), as ledger._lock does for
    members."""
    if connection.vendor != "postgresql" or not unit_ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {connection.ops.quote_name(AdminUnit._meta.db_table)} WHERE id = ANY(%s) ORDER BY id FOR UPDATE",
                       [sorted(unit_ids)])


def _units_sql(persons_sql: str) -> str:
    """The units where the persons `persons_sql` selects (a subquery of ids) hold or held a post
    (its body's unit, its village's commune) or a staff position: one statement."""
    qn = connection.ops.quote_name
    posts, bodies, units = qn(Post._meta.db_table), qn(Body._meta.db_table), qn(AdminUnit._meta.db_table)
    return (f"SELECT b.unit_id FROM {posts} p JOIN {bodies} b ON b.id = p.body_id WHERE p.person_id IN ({persons_sql}) "
            f"UNION SELECT v.parent_id FROM {posts} p JOIN {bodies} b ON b.id = p.body_id JOIN {units} v ON v.id = b.village_id "
            f"WHERE p.person_id IN ({persons_sql}) "
            f"UNION SELECT e.commune_id FROM {qn(Employment._meta.db_table)} e WHERE e.person_id IN ({persons_sql})")


def _units_of(persons_sql: str, params: list) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(_units_sql(persons_sql), params * 3)
        return sorted(u for (u,) in cursor.fetchall() if u)


def units_of_persons(person_ids: Iterable[int]) -> list[int]:
    """The units where these persons hold (or held) a post or a staff position: the units whose
    figures their facts enter (one statement)."""
    ids = sorted({p for p in person_ids if p})
    if not ids:
        return []
    if connection.vendor == "postgresql":
        return _units_of("SELECT unnest(%s::bigint[])", [ids])
    return _units_of("SELECT value FROM json_each(%s)", [json.dumps(ids)])


def units_of_members(member_ids: Iterable[int]) -> list[int]:
    """The units of these members' persons (one statement: a member who holds no post finds none)."""
    ids = sorted({m for m in member_ids if m})
    if not ids:
        return []
    members = connection.ops.quote_name(Member._meta.db_table)
    where, params = in_ids_sql("m.id", ids)
    return _units_of(f"SELECT m.person_id FROM {members} m WHERE {where}", params)


@contextmanager
def follow_persons(person_ids: Iterable[int] | Callable[[], Iterable[int]]):
    """Around a write of persons' facts (qualification, theory level, a degree completed): the
    units of their posts and staff positions, which such a write does not change."""
    if not summary.state().built:
        yield
        return
    with follow(units_of_persons(summary.asker(person_ids)())):
        yield


@contextmanager
def follow_members(member_ids: Iterable[int] | Callable[[], Iterable[int]]):
    """Around a write of members' periods (periods_changing): their persons' units, when they hold
    posts or staff positions (most members hold none: one statement, nothing followed). The
    members are those named before the write (the writers name members that exist)."""
    if not summary.state().built:
        yield
        return
    with follow(units_of_members(summary.asker(member_ids)())):
        yield


def units_of_areas(areas: Iterable[int]) -> list[int]:
    """These areas and the units directly under them that are not villages."""
    areas = {a for a in areas if a}
    if not areas:
        return []
    under = set(AdminUnit.objects.filter(parent_id__in=sorted(areas)).exclude(level=Level.VILLAGE).values_list("pk", flat=True))
    return sorted(areas | under)


def _area_placements(org_ids, above: int | None = None) -> Counter:
    """(area, first day, end day, path) of the placements holding an area that belong to these
    organizations or were written after the placement id `above`: the ones a write of placements
    can change (its writer names the organizations whose placements change; a placement it
    creates has a new id)."""
    found: Counter = Counter()
    org_ids = sorted(set(org_ids))
    conditions = [Q(organization_id__in=org_ids[i:i + 2000]) for i in range(0, len(org_ids), 2000)]
    conditions += [Q(pk__gt=above)] if above is not None else []
    for condition in conditions:
        found.update({(a, f or SINCE_ALWAYS, t, p): n for (a, f, t, p), n in Counter(
            Placement.objects.filter(condition, area__isnull=False).values_list("area_id", "valid_from", "valid_to", "path").order_by()).items()})
    return found


@contextmanager
def follow_placements(org_ids: Iterable[int]):
    """Around a write of placements of these organizations (a move, a closing, a restructuring; an
    organization created or edited with an area): the placements
    holding areas that the write can change, read before and after; the units whose holders changed
    (and the units under them) are counted with the placements as they were and as they are, the
    difference added. A write that changes no area's holder (a cell moved) adds nothing."""
    if not summary.state().built:
        yield
        return
    above = Placement.objects.aggregate(last=Max("pk"))["last"] or 0
    org_ids = list(org_ids)
    old = _area_placements(org_ids)
    yield
    new = _area_placements(org_ids, above)
    gone, came = old - new, new - old
    if not gone and not came:
        return
    units = units_of_areas({area for area, *_rest in gone + came})

    def before(ids):  # the placements as they were: those the write wrote taken out, those it changed put back
        return contributions(ids, swap=(came, gone))

    if _batches.open is not None:
        _touch(units, before)
        return
    _add_difference(contributions(units), before(units))


@contextmanager
def follow_organizations(org_ids: Iterable[int], since: dt.date):
    """placements_changing: follow_placements() of these organizations."""
    with follow_placements(org_ids):
        yield


@contextmanager
def follow_areas(org_ids: Iterable[int]):
    """organizations.watchers.areas_changing (an organization whose placement gains or loses an
    area): follow_placements() of these organizations (nothing when none is named)."""
    org_ids = [o for o in org_ids if o]
    if not org_ids:
        yield
        return
    with follow_placements(org_ids):
        yield


def all_units() -> list[int]:
    """Every unit some record of the ledger's families names, and every unit with villages."""
    units = set(Body.objects.values_list("unit_id", flat=True).distinct())
    units |= set(Employment.objects.values_list("commune_id", flat=True).distinct())
    units |= set(Quota.objects.values_list("commune_id", flat=True).distinct())
    units |= set(AdminUnit.objects.filter(level=Level.VILLAGE).values_list("parent_id", flat=True).distinct())
    return sorted(u for u in units if u)


@transaction.atomic
def rebuild() -> int:
    """Recount the tables from the records (the ledger's rebuild; synth after its bulk rows)."""
    PoliticalLedgerEntry.objects.all().delete()
    PoliticalLedgerMonth.objects.all().delete()
    rows = contributions(all_units())
    _upsert(rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (PoliticalLedgerEntry, PoliticalLedgerMonth):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return len(rows)


def differences(limit: int = 50) -> list[tuple]:
    """Rows (side, "political", root, measure, day, n) kept and not recounted ("live"), recounted
    and not kept ("rebuilt"), and months that are not their days summed; zeros ignored."""
    recounted = contributions(all_units())
    kept_rows = {(r, m, d): n for r, m, d, n in PoliticalLedgerEntry.objects.exclude(n=0).values_list("root", "measure", "day", "n")}
    found = [("live", "political", *k, n) for k, n in sorted(kept_rows.items()) if recounted.get(k) != n]
    found += [("rebuilt", "political", *k, n) for k, n in sorted(recounted.items()) if kept_rows.get(k) != n]
    months: dict = defaultdict(int)
    for (r, m, d), n in kept_rows.items():
        months[(r, m, d.replace(day=1))] += n
    kept_months = {(r, m, d): n for r, m, d, n in PoliticalLedgerMonth.objects.exclude(n=0).values_list("root", "measure", "day", "n")}
    found += [("month", "political", *k, kept_months.get(k), months.get(k)) for k in sorted(months.keys() | kept_months.keys())
              if (months.get(k) or 0) != (kept_months.get(k) or 0)]
    return found[:limit]


# -- reading ----------------------------------------------------------------------------------------------


def _sums(roots: Q, names: list[str], on: dt.date) -> dict[tuple, int]:
    """{(root, measure): the sum of its rows dated up to `on`} (summary.summed_up_to)."""
    found = summed_up_to(PoliticalLedgerEntry, PoliticalLedgerMonth, roots & Q(measure__in=names), ["root", "measure"], ["n"], on)
    return {key: totals["n"] for key, totals in found.items()}


def answer(tree, measures, by: str | None) -> dict | None:
    """{key: {measure: n}} as the families count them, from the ledger; None when it cannot
    answer (ledger off or not built, a measure it does not keep, a breakdown other than the
    child, a root not summarized or a scope cutting the subtree, children below the summarized
    levels)."""
    if by not in (None, "child") or not measures or not all(kept(m) for m in measures):
        return None
    root = summarized_root(tree)
    if root is None or summary.enabled_for(tree) is None:
        return None
    if by == "child" and root != WHOLE_TREE and len(path_ids(tree.path)) >= summary.SUMMARIZED_LEVELS:
        return None
    names = [m.name for m in measures]
    if by is None:
        sums = _sums(Q(root=root), names, tree.on)
        return {None: {n: sums.get((root, n), 0) for n in names}}
    sums = _sums(Q(root__in=child_roots(root, tree.on)), names, tree.on)
    result: dict = defaultdict(lambda: dict.fromkeys(names, 0))
    for (r, name), n in sums.items():
        if r != root and n:
            result[r][name] = n
    if root != WHOLE_TREE:
        direct = {name: sums.get((root, name), 0) - sum(n for (r, x), n in sums.items() if r != root and x == name) for name in names}
        if any(direct.values()):
            result[root] = direct
    return dict(result)
