"""What the summaries of the measures share (the ledger of member counts, the villages' residents,
the ledger of events): whether they are built and read, which roots they summarize, and how a
placement's path gives those roots in SQL. Below ledger.py, residence.py and eventledger.py, which
import it (none of them imports another's module but ledger.py, which rebuilds and checks them all).
"""

import datetime as dt
import json
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager

from django.conf import settings
from django.db import connection
from django.db.models import Q, Sum

from coso.members.models import MemberPeriod
from coso.organizations.dated import path_under
from coso.organizations.models import Placement, path_ids

from .models import LedgerState

WHOLE_TREE = 0
SUMMARIZED_LEVELS = 2  # the roots at depth 0 and 1 (provinces; districts, then communes)


def sql_path_ids(path: str, n: int) -> list[str]:
    """path_ids(path)[0], …, path_ids(path)[n - 1] in SQL, each NULL where the path is shorter
    (the first never is: every path holds its own organization); paths are "/1/5/9/". The first
    two are the summarized roots of a placement (SUMMARIZED_LEVELS)."""
    if connection.vendor == "postgresql":
        return [f"CAST(split_part({path}, '/', 2) AS bigint)",
                *(f"CAST(NULLIF(split_part({path}, '/', {i + 2}), '') AS bigint)" for i in range(1, n))]
    parts, rest = [], f"substr({path}, 2)"  # "1/5/9/", then "5/9/", "9/", ""
    for i in range(n):
        part = f"CAST(substr({rest}, 1, instr({rest}, '/') - 1) AS integer)"
        parts.append(part if i == 0 else f"CASE WHEN {rest} = '' THEN NULL ELSE {part} END")
        rest = f"substr({rest}, instr({rest}, '/') + 1)"
    return parts


def state() -> LedgerState:
    """The ledger's state row. Missing (a database emptied by a flush or a restore of tables
    without it), it starts again as the migration starts it: built when there are no periods
    (an empty ledger is exact), else waiting for `coso measures rebuild`."""
    current = LedgerState.objects.order_by("pk").first()
    if current is None:
        current = LedgerState.objects.create(built=not MemberPeriod.objects.exists(), horizon=default_horizon())
    return current


def default_horizon(today: dt.date | None = None) -> dt.date:
    today = today or dt.date.today()
    return dt.date(today.year + 2, 12, 31)


def enabled() -> LedgerState | None:
    """The ledger's state when reads may use it (setting COSO_LEDGER on, ledger built)."""
    if not getattr(settings, "COSO_LEDGER", False):
        return None
    current = state()
    return current if current is not None and current.built else None


def enabled_for(tree) -> LedgerState | None:
    """enabled(), read once per subtree (a page's tables ask it of each family)."""
    memo = getattr(tree, "_memo", None)
    if memo is None:
        return enabled()
    if "ledger_enabled" not in memo:
        memo["ledger_enabled"] = enabled()
    return memo["ledger_enabled"]


def summarized_root(tree) -> int | None:
    """The ledger root answering for the subtree (0: the whole tree), or None when the root is
    not summarized or the scope cuts the subtree."""
    if getattr(tree, "explicit", False):  # organizations named one by one (measures.lineage): not a subtree
        return None
    if tree.root_id is None:
        return WHOLE_TREE if tree.scope is None else None
    if len(path_ids(tree.path)) > SUMMARIZED_LEVELS:
        return None
    scope = tree.scope
    if scope is not None and (scope.is_empty or not any(path_under(tree.path, p) for p in scope.root_paths)):
        return None
    return tree.root_id


def summed_up_to(days, months, where: Q, group: list[str], columns: list[str], on: dt.date) -> dict:
    """{group's values: {column: sum}} of a ledger's rows dated up to `on` (`days`: its table of
    day rows, `months`: the same summed per month): the months before on's month, the days of
    on's month, one query (UNION ALL)."""
    first = on.replace(day=1)
    sums = {c: Sum(c) for c in columns}
    before = months.objects.filter(where, day__lt=first).values(*group).annotate(**sums).order_by()
    this_month = days.objects.filter(where, day__gte=first, day__lte=on).values(*group).annotate(**sums).order_by()
    result: dict = {}
    for row in before.union(this_month, all=True):
        totals = result.setdefault(tuple(row[g] for g in group), dict.fromkeys(columns, 0))
        for c in columns:
            totals[c] += row[c] or 0
    return result


def child_roots(root: int, on: dt.date):
    """The summarized roots a root's figures by child read (a subquery of organization ids): its
    children on the date, and itself (its direct rows are its own minus its children's); the
    organizations at the top of the tree for the whole tree."""
    placements = Placement.objects.on(on)
    children = placements.filter(parent__isnull=True) if root == WHOLE_TREE else placements.filter(Q(parent_id=root) | Q(organization_id=root))
    return children.values("organization_id")


def upsert_added(table: str, columns: list[str], types: list[str], key: list[str], added: list[str], rows: list[tuple]) -> None:
    """INSERT the rows into the table, adding the `added` columns onto a row already there with the
    same `key` (INSERT … ON CONFLICT DO UPDATE). Give the rows in key order: concurrent writers
    then lock the rows they share in one order. PostgreSQL: one array per column (unnest), a
    statement of len(columns) parameters whatever the number of rows (psycopg's client-side
    binding parses every placeholder of the statement: 1.8 ms for a lifecycle event's 40 ledger
    rows); SQLite binds natively: VALUES lists of 500 rows. `types`: the columns' SQL types
    (PostgreSQL's array casts)."""
    if not rows:
        return
    qn = connection.ops.quote_name
    names = ", ".join(qn(c) for c in columns)
    conflict = f"ON CONFLICT ({', '.join(qn(c) for c in key)}) DO UPDATE SET " + ", ".join(
        f"{qn(c)} = {table}.{qn(c)} + excluded.{qn(c)}" for c in added)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"%s::{t}[]" for t in types)
            cursor.execute(f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays}) {conflict}", [list(c) for c in zip(*rows, strict=True)])
            return
        row = f"({', '.join(['%s'] * len(columns))})"
        adapt = connection.ops.adapt_datefield_value
        rows = [tuple(adapt(x) if isinstance(x, dt.date) else x for x in r) for r in rows]
        for i in range(0, len(rows), 500):
            part = rows[i:i + 500]
            cursor.execute(f"INSERT INTO {table} ({names}) VALUES {', '.join([row] * len(part))} {conflict}", [x for r in part for x in r])


def qn(name: str) -> str:
    return connection.ops.quote_name(name)


def in_ids_sql(column: str, ids: Iterable[int]) -> tuple[str, list]:
    """`column` among these ids, as one parameter whatever their number (PostgreSQL's array,
    SQLite's json_each)."""
    ids = list(ids)
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [ids]
    return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(ids)]


def asker(member_ids: Iterable[int] | Callable[[], Iterable[int]]) -> Callable[[], Iterable[int]]:
    """The members a follow() names, asked before and after the write (a callable: members the
    write creates; a list: the same each time)."""
    return member_ids if callable(member_ids) else (lambda found=list(member_ids): found)


class Frames(threading.local):
    """The follow()s of one summary open in this thread, outermost first. Nested (a write that
    enters both watchers, the members' and the organizations', such as a restructuring; or a
    write inside another), a member is followed once, by the outermost follow() that names it: an
    inner one leaves out the members an enclosing one follows (its difference is taken over the
    whole write); an enclosing one leaves out of its after the members an inner one followed and
    it did not (their difference is added already). Per thread, as Django's connections are."""

    def __init__(self):
        self.open: list[dict] = []

    @contextmanager
    def frame(self, ids: Callable[[], Iterable[int]]):
        """Yields (the members this follow() takes before the write, a callable giving those it
        takes after)."""
        outer = set().union(*(f["members"] for f in self.open))
        found = {i for i in ids() if i} - outer
        frame = {"members": found, "inner": set()}

        def after() -> list[int]:
            return sorted(({i for i in ids() if i} - outer - frame["inner"]) | found)

        self.open.append(frame)
        try:
            yield sorted(found), after
        finally:
            self.open.pop()
            followed = frame["members"] | frame["inner"]
            for f in self.open:  # the enclosing ones: these members' difference is taken here
                f["inner"] |= followed - f["members"]


def differences(label: str, kept: str, recount: str, params: list, limit: int = 50) -> list[tuple]:
    """Rows the kept table's SELECT has and the recount's has not ("live"), and the other way
    round ("rebuilt"), each labelled; `params` are the recount's."""
    found = []
    scratch = connection.ops.quote_name("measures_summary_recount")
    with connection.cursor() as cursor:
        # the recount once, into a temporary table both sides read (at national scale the ledger
        # of events' recount over 13 million events is the check's longest statement)
        cursor.execute(f"DROP TABLE IF EXISTS {scratch}")
        cursor.execute(f"CREATE TEMPORARY TABLE {scratch} AS {recount}", params)
        try:
            recounted = f"SELECT * FROM {scratch}"
            for side, a, b in (("live", kept, recounted), ("rebuilt", recounted, kept)):
                cursor.execute(f"SELECT * FROM ({a} EXCEPT {b}) d ORDER BY 1, 2, 3 LIMIT {int(limit)}")
                found += [(side, label, *row) for row in cursor.fetchall()]
        finally:
            cursor.execute(f"DROP TABLE {scratch}")
    return found
