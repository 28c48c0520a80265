"""The ledger of member events: a period's changes (admissions, transfers, removals...) for the top
of the tree at once (issue #12 point 3).

The rule (one, for the rows and the ledger alike): an event counts for every organization its
owner (MemberEvent.owner, coso/members/owners.py) lay under on the event's date (the day before it
for an event that is not an arrival, as the owner is read: an exit on the day its cell ended
counts under the cell's old parents), and under the child of the root it lay under that day — not the child it lies under at the period's end. A
commune's events of the first half of 2025 stay its district's events after the district ended
on 30/06/2025 (the report names that child as it was: "… (kết thúc hoặc chuyển đi trong kỳ)").

Each event adds 1 to the row of its day, type and kind ("temporary" for a temporary transfer)
for: root 0 (every event, the whole tree); the organization at depth 0 of its owner's path that
day (parent 0); the one at depth 1 (its parent: the depth-0 one). A period's count for a
summarized root is the sum of its rows dated in the period; its children's counts are the rows
whose parent it is. Only the event types some measure counts are kept (COUNTED_TYPES).

Kept in each write's transaction, like the ledger of member counts: `follow(member_ids)` on the
members' `events_changing` watcher (recording an event, a bulk import, synth's discipline events)
takes the members' contribution before and after the write and adds the difference;
`follow_organizations(ids, since)` on `placements_changing` (moves, closings, restructurings:
the ancestors of the events dated from `since` change) does the same for the members with events
of those organizations from that date. `rebuild()` recounts (with the ledger's rebuild);
`differences()` compares with a recount (`coso measures check`).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager

from django.db import connection
from django.db.models import Q, Sum

from coso.lib.dated import in_force_day_before_sql, in_force_sql
from coso.members.models import MemberEvent, TransferKind
from coso.members.owners import ARRIVING
from coso.organizations.models import Placement, path_ids

from . import summary
from .catalog import EVENTS, MEASURES
from .models import EventLedgerEntry
from .summary import qn as _qn

TEMPORARY = TransferKind.TEMPORARY.value
NOT_TEMPORARY = ~Q(transfer_kind=TransferKind.TEMPORARY)


def counted_types() -> list[str]:
    """The event types some event measure of the catalog counts."""
    return sorted({t for m in MEASURES.values() if m.family == EVENTS for t in m.event_types})


def contributions_sql(condition: str) -> str:
    """SELECT root, parent, type, kind, day, n: the events that `condition` (on the event row e)
    selects, of the counted types, counted per row of the ledger. The condition is written twice
    (its parameters are passed twice)."""
    types = ", ".join(f"'{t}'" for t in counted_types())
    kind = f"CASE WHEN e.transfer_kind = '{TEMPORARY}' THEN '{TEMPORARY}' ELSE '' END"
    r1, r2 = summary.sql_path_ids("pl.path", 2)  # the same reading of a path as the ledger of counts
    # the owner's placement on the event's date for an arrival, on the day before for the others
    # (where the member was that day: members/owners.py; an exit on the day its cell ended)
    arriving = ", ".join(f"'{t}'" for t in sorted(ARRIVING))
    owner_day = (f"((e.type IN ({arriving}) AND {in_force_sql('pl', 'e.effective_date')}) "
                 f"OR (e.type NOT IN ({arriving}) AND {in_force_day_before_sql('pl', 'e.effective_date')}))")
    events = _qn(MemberEvent._meta.db_table)
    placed = (f"SELECT e.type AS type, {kind} AS kind, e.effective_date AS day, {r1} AS r1, {r2} AS r2 FROM {events} e "
              f"JOIN {_qn(Placement._meta.db_table)} pl ON pl.organization_id = e.owner_id AND {owner_day} "
              f"WHERE ({condition}) AND e.type IN ({types})")
    rows = (f"SELECT 0 AS root, 0 AS parent, e.type AS type, {kind} AS kind, e.effective_date AS day FROM {events} e "
            f"WHERE ({condition}) AND e.type IN ({types}) "
            f"UNION ALL SELECT CASE lvl WHEN 1 THEN r1 ELSE r2 END, CASE lvl WHEN 1 THEN 0 ELSE r1 END, type, kind, day "
            f"FROM ({placed}) x CROSS JOIN (SELECT 1 AS lvl UNION ALL SELECT 2) lv WHERE lvl = 1 OR r2 IS NOT NULL")
    return f"SELECT root, parent, type, kind, day, COUNT(*) AS n FROM ({rows}) r GROUP BY root, parent, type, kind, day"


def contributions(member_ids: Iterable[int]) -> dict:
    """{(root, parent, type, kind, day): n} of these members' events."""
    ids = sorted(set(member_ids))
    found: dict = {}
    if not ids:
        return found
    condition, params = summary.in_ids_sql("e.member_id", ids)
    with connection.cursor() as cursor:
        cursor.execute(contributions_sql(condition), params * 2)  # the condition is written twice
        for root, parent, type_, kind, day, n in cursor.fetchall():
            if isinstance(day, str):  # SQLite
                day = dt.date.fromisoformat(day)
            found[(root, parent, type_, kind, day)] = n
    return found


def _upsert(rows: dict) -> None:
    """Add the rows' counts to the table's (in key order: concurrent writers lock shared rows in
    one order)."""
    rows = {k: n for k, n in rows.items() if n}
    if not rows:
        return
    params = sorted((root, parent, type_, kind, day, n) for (root, parent, type_, kind, day), n in rows.items())
    summary.upsert_added(_qn(EventLedgerEntry._meta.db_table), ["root", "parent", "type", "kind", "day", "n"],
                         ["bigint", "bigint", "varchar", "varchar", "date", "integer"], ["root", "day", "parent", "type", "kind"], ["n"], params)


_frames = summary.Frames()


@contextmanager
def follow(member_ids: Iterable[int] | Callable[[], Iterable[int]]):
    """Around a write of these members' events (or of the placements their events' owners lie
    in): their contribution before and after, the difference added in the same transaction.
    Nested, a member is followed by the outermost follow() that names it (summary.Frames)."""
    if not summary.state().built:  # the ledger's rebuild recounts the events too
        yield
        return
    with _frames.frame(summary.asker(member_ids)) as (found, after):
        before = contributions(found)
        yield
        difference = defaultdict(int, contributions(after()))
        for k, n in before.items():
            difference[k] -= n
        _upsert(difference)


def members_with_events(org_ids: Iterable[int], since: dt.date) -> list[int]:
    """Members with a counted event owned by these organizations dated on or after `since`."""
    org_ids = list(org_ids)
    found: set[int] = set()
    for i in range(0, len(org_ids), 2000):
        found |= set(MemberEvent.objects.filter(owner_id__in=org_ids[i:i + 2000], effective_date__gte=since, type__in=counted_types())
                     .values_list("member_id", flat=True).distinct())
    return sorted(found)


@contextmanager
def follow_organizations(org_ids: Iterable[int], since: dt.date):
    """Around a change of these organizations' placements from `since`."""
    if not summary.state().built:
        yield
        return
    members = members_with_events(org_ids, since)
    with follow(members):
        yield


def rebuild() -> None:
    table = _qn(EventLedgerEntry._meta.db_table)
    columns = ", ".join(_qn(c) for c in ("root", "parent", "type", "kind", "day", "n"))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
        cursor.execute(f"INSERT INTO {table} ({columns}) SELECT * FROM ({contributions_sql('1 = 1')}) c "
                       f"ORDER BY root, day, parent, type, kind")


def differences(limit: int = 50) -> list[tuple]:
    """Rows kept and not recounted ("live"), recounted and not kept ("rebuilt"); zeros ignored."""
    kept = f"SELECT root, parent, type, kind, day, n FROM {_qn(EventLedgerEntry._meta.db_table)} WHERE n <> 0"
    return summary.differences("events", kept, contributions_sql("1 = 1"), [], limit)


# -- reading -------------------------------------------------------------------------------------------


def _measure_filter(measure) -> Q | None:
    """The measure's condition on the ledger's rows, or None when the ledger cannot tell it."""
    if not measure.event_types or not set(measure.event_types) <= set(counted_types()):
        return None
    condition = Q(type__in=measure.event_types)
    if measure.q is None:
        return condition
    if measure.q == NOT_TEMPORARY:
        return condition & ~Q(kind=TEMPORARY)
    return None


def _levels_during(root_id: int, start: dt.date, end: dt.date) -> set[int]:
    """The depths (0, 1, …) of the root's placements in force on some day of the period."""
    return {p.count("/") - 2 for p in Placement.objects.during(start, end).filter(organization_id=root_id).values_list("path", flat=True)}


def answer(tree, measures, by: str | None, period) -> dict | None:
    """{key: {measure: n}} as the Events family counts it over the period, from the ledger; None
    when it cannot answer (ledger off or not built, a condition it does not keep, a breakdown
    other than the child, a root that is not summarized on every day of the period, or whose
    children are not)."""
    if by not in (None, "child") or summary.enabled_for(tree) is None:
        return None
    filters = [_measure_filter(m) for m in measures]
    if any(f is None for f in filters):
        return None
    root = summary.summarized_root(tree)
    if root is None:
        return None
    start, end = period
    if by == "child" and root != summary.WHOLE_TREE and len(path_ids(tree.path)) > 1:
        return None  # the children of a root at the second level are below the summarized levels
    if root != summary.WHOLE_TREE:
        levels = _levels_during(root, start - dt.timedelta(days=1), end)  # the day before: where exits are read
        if not levels or max(levels) > (0 if by == "child" else summary.SUMMARIZED_LEVELS - 1):
            return None
    # "any": events of the measures' types, which make a key appear (with zeros) as the rows' grouping does
    sums = {"any": Sum("n", filter=Q(type__in={t for m in measures for t in m.event_types})),
            **{f"m{i}": Sum("n", filter=f) for i, f in enumerate(filters)}}
    days = EventLedgerEntry.objects.filter(day__gte=start, day__lte=end)

    def values(row) -> dict:
        return {m.name: row[f"m{i}"] or 0 for i, m in enumerate(measures)}

    total = days.filter(root=root).aggregate(**sums)
    if by is None:
        return {None: values(total)}
    children = (days.filter(parent=0).exclude(root=0) if root == summary.WHOLE_TREE else days.filter(parent=root))
    rows = [row for row in children.values("root").annotate(**sums).order_by() if row["any"]]
    result = {row["root"]: values(row) for row in rows}
    if (total["any"] or 0) > sum(row["any"] for row in rows):  # the root's own events, or (the whole tree) events under no child
        from .dimensions import UNKNOWN

        rest = {m.name: (total[f"m{i}"] or 0) - sum(row[f"m{i}"] or 0 for row in rows) for i, m in enumerate(measures)}
        result[UNKNOWN if root == summary.WHOLE_TREE else root] = rest
    return result
