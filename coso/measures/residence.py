"""Villages where party members live, kept as dated spans (issue #12 point 3: the report's villages).

"Thôn, tổ dân phố không có đảng viên cư trú" asks, for each village in force on D, whether some
party member lives there: a member period in force on D whose member's person has the village as
residence village (any organization: the members who live in a village are its resident members,
wherever their cell is). Probing that per village reads the residents' periods of every village
of the subtree (99,483 villages and 5.6 million members for the country: minutes on SQLite), so
the answer is kept: `VillageResidence` holds, per village, the maximal spans of days on which it
has a resident member (one or two rows per village), read with one indexed probe per village.

A village merged into another (places lineage, old → new, whole: a restructuring's village
merger, the 2025 change) hands its residents to it: a member whose recorded residence village
was merged lives in the successor from the lineage's date (one step; a village split in parts,
lineage marked partial, hands nobody on: which part a person lives in is not known). The
recorded address is not rewritten, so the old village keeps its residents on the dates before.
Whoever writes village lineage refreshes the successors (restructuring.services).

Kept like the ledger of counts (decision 0011), in the write's transaction: `follow(member_ids)`
is registered on the members' `periods_changing` watcher (events, imports, person edits,
restructurings); it takes the villages of the members' persons before and after the write and
recomputes those villages' spans from the periods (`refresh`). `rebuild()` recomputes every
village (with the ledger's rebuild); `differences()` compares the kept spans with a recount
(`coso measures check`). Reads use the spans when the ledger is on and built (ledger.enabled()),
the periods otherwise: the same answer (tests/test_residence.py).
"""

from collections.abc import Callable, Iterable
from contextlib import contextmanager

from django.db import connection

from coso.lib.dated import union_spans
from coso.members.models import Member, MemberPeriod
from coso.people.models import Person
from coso.places.models import Lineage as PlaceLineage

from . import summary
from .models import VillageResidence
from .summary import qn as _qn

ALL = None  # refresh(ALL): every village
LIST_UP_TO = 20_000  # more villages than this: recompute them all (one statement) rather than list them


def _false() -> str:
    return "false" if connection.vendor == "postgresql" else "0"


def _end_of_time() -> str:
    return "CAST('9999-12-31' AS date)" if connection.vendor == "postgresql" else "'9999-12-31'"


def _villages_condition(column: str, villages) -> tuple[str, list]:
    if villages is ALL:
        return f"{column} IS NOT NULL", []
    return summary.in_ids_sql(column, sorted(villages))


def spans_sql(villages=ALL) -> tuple[str, list]:
    """SELECT village, valid_from, valid_to: the maximal spans of the villages (ALL or a set of
    ids), from the periods of the members living there (gaps and islands: a period starts a new
    span when it begins after every earlier period of the village has ended). A member whose
    recorded village was merged into another lives in that one from the merger's date (the
    lineage's whole successor: see the module docstring)."""
    end = _end_of_time()
    condition, params = _villages_condition("pe.residence_village_id", villages)
    merged, merged_params = _villages_condition("l.new_id", villages)
    joins = (f"FROM {_qn(MemberPeriod._meta.db_table)} p JOIN {_qn(Member._meta.db_table)} m ON m.id = p.member_id "
             f"JOIN {_qn(Person._meta.db_table)} pe ON pe.id = m.person_id")
    periods = (f"SELECT pe.residence_village_id AS v, p.valid_from AS s, COALESCE(p.valid_to, {end}) AS e {joins} WHERE {condition} "
               f"UNION ALL SELECT l.new_id, CASE WHEN p.valid_from > l.effective THEN p.valid_from ELSE l.effective END, "
               f"COALESCE(p.valid_to, {end}) {joins} JOIN {_qn(PlaceLineage._meta.db_table)} l ON l.old_id = pe.residence_village_id "
               f"AND l.partial = {_false()} WHERE {merged} AND COALESCE(p.valid_to, {end}) > l.effective")
    params = params + merged_params
    reach = (f"SELECT v, s, e, MAX(e) OVER (PARTITION BY v ORDER BY s, e ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach "
             f"FROM ({periods}) ps")
    islands = (f"SELECT v, s, e, SUM(CASE WHEN reach IS NULL OR reach < s THEN 1 ELSE 0 END) "
               f"OVER (PARTITION BY v ORDER BY s, e ROWS UNBOUNDED PRECEDING) AS island FROM ({reach}) r")
    return (f"SELECT v, MIN(s), CASE WHEN MAX(e) = {end} THEN NULL ELSE MAX(e) END FROM ({islands}) i GROUP BY v, island",
            params)


def refresh(villages=ALL) -> None:
    """Recompute the spans of these villages (ALL: every one) from the periods."""
    if villages is not ALL:
        villages = {v for v in villages if v is not None}
        if not villages:
            return
        if len(villages) > LIST_UP_TO:
            villages = ALL
    table = _qn(VillageResidence._meta.db_table)
    select, params = spans_sql(villages)
    condition, delete_params = _villages_condition("village_id", villages)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {condition}", delete_params)
        cursor.execute(f"INSERT INTO {table} (village_id, valid_from, valid_to) {select}", params)


def rebuild() -> None:
    refresh(ALL)


def _lived(member_ids: Iterable[int]) -> dict[int, tuple]:
    """{village: ((member, days in the party as merged spans), ...)} of these members' persons:
    what the villages' spans depend on (one query per 5,000 members)."""
    ids = sorted({i for i in member_ids if i})
    found: dict[int, dict[int, list]] = {}
    for i in range(0, len(ids), 5000):
        rows = (MemberPeriod.objects.filter(member_id__in=ids[i:i + 5000], member__person__residence_village__isnull=False)
                .values_list("member__person__residence_village_id", "member_id", "valid_from", "valid_to"))
        for village, member, valid_from, valid_to in rows:
            found.setdefault(village, {}).setdefault(member, []).append((valid_from, valid_to))
    return {village: tuple(sorted((member, tuple(union_spans(spans))) for member, spans in members.items())) for village, members in found.items()}


@contextmanager
def follow(member_ids: Iterable[int] | Callable[[], Iterable[int]]):
    """Around a write of these members' periods or persons (the periods_changing watcher): where
    they live and the days they were members, before and after; the villages where either changed
    are recomputed after the write (an exemption, a transfer or a move changes neither: nothing
    is written)."""
    if not summary.state().built:  # the ledger's rebuild recomputes every village
        yield
        return
    ids = summary.asker(member_ids)
    before = _lived(ids())
    yield
    after = _lived(ids())
    refresh(with_successors({v for v in before.keys() | after.keys() if before.get(v) != after.get(v)}))


@contextmanager
def follow_villages(old_ids: Iterable[int]):
    """Around a write of lineage from these villages (places.watchers.lineage_changing: a merger,
    its undo): the spans of every village they were merged into, before or after, recomputed."""
    if not summary.state().built:
        yield
        return
    old_ids = set(old_ids)
    before = with_successors(old_ids)
    yield
    refresh(before | with_successors(old_ids))


def with_successors(villages: set[int]) -> set[int]:
    """The villages and those they were merged into (whose spans their residents' days feed)."""
    if not villages:
        return villages
    found = set(villages)
    ids = sorted(villages)
    for i in range(0, len(ids), 5000):
        found |= set(PlaceLineage.objects.filter(old_id__in=ids[i:i + 5000], partial=False).values_list("new_id", flat=True))
    return found


def differences(limit: int = 50) -> list[tuple]:
    """Spans kept and not recounted ("live"), recounted and not kept ("rebuilt")."""
    select, params = spans_sql()
    kept = f"SELECT village_id, valid_from, valid_to FROM {_qn(VillageResidence._meta.db_table)}"
    return summary.differences("residence", kept, select, params, limit)
