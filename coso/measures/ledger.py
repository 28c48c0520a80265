"""The ledger of member counts: the member family's figures for the top of the tree, at once.

A count on D is a sum of +1/−1 deltas dated up to D (design: ../shared/design/ledger.md,
decision 0011). Each member period adds +1 on its first day and −1 on its end day to:

- root 0, the whole tree (every period, as the engine counts the whole tree without placements);
- each summarized root it lay under, the organizations at depth 0 and 1 of the tree as it stood:
  the period is split at its organization's placement boundaries, on each piece the ancestors
  are fixed (decision 0001);

once with no breakdown (dim "") and once per breakdown with the key the engine's
key_expression gives (coso/measures/dimensions.py). Age and party-age bands change without an
event: their changes are written as dated deltas on the day the band changes (the engine's rule,
29 February included), up to the horizon kept in LedgerState; a question after it reads the
periods. One value column per member measure (MEASURE_COLUMNS).

`deltas()` is the one pure function: the rebuild, a single event, a person's edit, a move and a
bulk import all take a member's contribution from it, before and after the write, and add the
difference to the table in the write's transaction (`follow`). `answer()` reads it for the member
family when the question's root is summarized and the scope does not cut the subtree; the family
reads the periods otherwise.
"""

import datetime as dt
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import F, Q, Sum

from coso.lib.dated import ends_after_q
from coso.members.models import Member, MemberPeriod, Status
from coso.organizations.models import Placement, path_ids
from coso.people.choices import KINH, NO_RELIGION, Gender
from coso.people.models import Person

from . import eventledger, ledgerbuild, orgledger, politicalledger, residence
from .dimensions import UNKNOWN
from .memberrules import (  # noqa: F401 - the rules, read as ledger.* by the tests and the SQL below
    AGE_KEYS,
    AGE_THRESHOLDS,
    BANDED_DIMS,
    DIMS,
    STATIC_DIMS,
    TENURE_KEYS,
    TENURE_THRESHOLDS,
    Facts,
    age_key,
    crossing,
    static_keys,
    tenure_key,
    values_of,
)
from .models import VALUE_COLUMNS, LedgerEntry, LedgerMonth, LedgerScratch, LedgerState
from .summary import (
    SUMMARIZED_LEVELS,
    WHOLE_TREE,
    Frames,
    asker,
    child_roots,
    default_horizon,
    enabled,
    enabled_for,
    in_ids_sql,
    sql_path_ids,
    state,
    summarized_root,
    summed_up_to,
    upsert_added,
)

# member measure → its value column (a measure not listed here is read from the periods)
MEASURE_COLUMNS = {
    "members": "n",
    "members.female": "female",
    "members.minority": "minority",
    "members.religious": "religious",
    "members.official": "official",
    "members.probationary": "probationary",
    "members.exempted": "exempted",
    "members.in_transit": "in_transit",
    "members.hosted_elsewhere": "hosted",
}


PERIOD_FIELDS = ("member_id", "organization_id", "status", "exempted", "in_transit", "host_id", "valid_from", "valid_to")
FACT_FIELDS = ("id", "person__gender", "person__ethnicity", "person__religion", "person__education", "person__qualification",
               "person__theory_level", "person__birth_date", "admitted_on")



# -- the pure function -----------------------------------------------------------------------------



def _cuts(start: dt.date | None, thresholds, horizon: dt.date) -> list[dt.date]:
    if start is None:
        return []
    return sorted(c for c in (crossing(start, t) for t in thresholds) if c <= horizon)




def _add(out: dict, head: tuple, start: dt.date, end: dt.date | None, v: tuple) -> None:
    k = (*head, start, v)
    out[k] = out.get(k, 0) + 1
    if end is not None:
        k = (*head, end, v)
        out[k] = out.get(k, 0) - 1


def new_deltas() -> dict:
    """What deltas() adds into: {(root, dim, key, day, values): +n/−n}, the values tuple kept
    whole (a member's periods have few distinct ones) and expanded once by rows()."""
    return {}


def rows(out: dict) -> dict:
    """{(root, dim, key, day): [value per column]}, rows that net to zero left out."""
    result = defaultdict(lambda: [0] * len(VALUE_COLUMNS))
    for (root, dim, key, day, v), count in out.items():
        if count:
            row = result[(root, dim, key, day)]
            for i, x in enumerate(v):
                row[i] += count * x
    return {k: row for k, row in result.items() if any(row)}


def deltas(facts: Facts, periods: Iterable[tuple], placements: dict, horizon: dt.date, out: dict | None = None) -> dict:
    """A member's contribution to the ledger (new_deltas(); rows() gives {(root, dim, key, day):
    [value per column]}).

    periods: (organization_id, status, exempted, in_transit, host_id, valid_from, valid_to);
    placements: {organization id: [(valid_from, valid_to, path)]}; band changes after `horizon`
    are left out. Added into `out` when given."""
    out = new_deltas() if out is None else out
    age_cuts = _cuts(facts.birth_date, AGE_THRESHOLDS, horizon)
    tenure_cuts = _cuts(facts.admitted_on, TENURE_THRESHOLDS, horizon)
    for org_id, status, exempted, in_transit, host_id, start, end in periods:
        v = values_of(facts, status, exempted, in_transit, host_id)
        static = static_keys(facts, status)
        spans = [(WHOLE_TREE, start, end)]
        for p_from, p_to, path in placements.get(org_id, ()):
            s = max(start, p_from)
            e = p_to if end is None else end if p_to is None else min(end, p_to)
            if e is not None and s >= e:
                continue
            for root in path_ids(path)[:SUMMARIZED_LEVELS]:
                spans.append((root, s, e))
        for root, s, e in spans:
            for dim, key in static:
                _add(out, (root, dim, key), s, e, v)
            for dim, keyfn, value, cuts in (("age", age_key, facts.birth_date, age_cuts),
                                            ("tenure", tenure_key, facts.admitted_on, tenure_cuts)):
                bounds = [s, *[c for c in cuts if s < c and (e is None or c < e)]]
                for a, b in zip(bounds, [*bounds[1:], e], strict=True):
                    _add(out, (root, dim, keyfn(value, a)), a, b, v)
    return out


def difference(after: dict, before: dict) -> dict:
    """after − before, rows that net to zero left out."""
    result = {}
    for k in after.keys() | before.keys():
        a, b = after.get(k), before.get(k)
        row = [x - y for x, y in zip(a or [0] * len(VALUE_COLUMNS), b or [0] * len(VALUE_COLUMNS), strict=True)]
        if any(row):
            result[k] = row
    return result


# -- reading the records the pure function takes ---------------------------------------------------


JOINED_FIELDS = (*PERIOD_FIELDS, *[f"member__{f}" for f in FACT_FIELDS[1:]], "organization__placements__valid_from",
                 "organization__placements__valid_to", "organization__placements__path")


def contributions(member_ids: Iterable[int], horizon: dt.date, chunk: int = 2000) -> dict:
    """The members' contribution as the database holds them now: one query per chunk (each
    period with its member's facts and its organization's placements, a LEFT JOIN)."""
    ids = sorted(set(member_ids))
    out = new_deltas()
    n_period, n_facts = len(PERIOD_FIELDS), len(FACT_FIELDS) - 1
    for i in range(0, len(ids), chunk):
        facts, periods, placements = {}, defaultdict(set), defaultdict(set)
        for row in MemberPeriod.objects.filter(member_id__in=ids[i:i + chunk]).values_list(*JOINED_FIELDS).order_by():
            member_id, period = row[0], row[1:n_period]
            facts[member_id] = Facts(*row[n_period:n_period + n_facts])
            periods[member_id].add(period)
            if row[-1] is not None:
                placements[period[0]].add(row[-3:])
        for member_id, ps in periods.items():
            deltas(facts[member_id], sorted(ps, key=lambda p: p[5]), placements, horizon, out)
    return rows(out)


# -- the same function in SQL: bulk writes and the rebuild ---------------------------------------------
#
# deltas() over many members at once is one grouped statement (design: the SQL build): each period
# joined to its member and person, split at its organization's placement boundaries (root 0 on the
# whole period, the summarized ancestors from the placement's path on each piece), summed per
# static breakdown key, per birth date and per admission date before the breakdowns and band
# changes are spread out as rows, and summed per (root, dim, key, day). The same rules as deltas()
# (tests/test_ledger.py compares both on random members, on SQLite and PostgreSQL).

STATIC_KEY_SQL = {  # the breakdowns' keys on a period row p of a member m and person pe (memberrules.static_keys)
    "": "''",
    "gender": f"COALESCE(pe.gender, '{UNKNOWN}')",
    "ethnic_group": f"CASE WHEN pe.ethnicity = '{KINH}' THEN 'kinh' WHEN pe.ethnicity = '' THEN '{UNKNOWN}' ELSE 'minority' END",
    "ethnicity": "pe.ethnicity", "religion": "pe.religion", "education": "pe.education", "qualification": "pe.qualification",
    "theory": "pe.theory_level",
    "status": "p.status",
}
KNOWN_SQL = ("ethnicity", "religion", "education", "qualification", "theory")  # NULL and "" are UNKNOWN (memberrules.known)
VALUE_SQL = (  # memberrules.values_of(), in VALUE_COLUMNS order
    "1",
    f"CASE WHEN pe.gender = '{Gender.FEMALE}' THEN 1 ELSE 0 END",
    f"CASE WHEN pe.ethnicity NOT IN ('{KINH}', '') THEN 1 ELSE 0 END",
    f"CASE WHEN pe.religion NOT IN ('{NO_RELIGION}', '') THEN 1 ELSE 0 END",
    f"CASE WHEN p.status = '{Status.OFFICIAL}' THEN 1 ELSE 0 END",
    f"CASE WHEN p.status = '{Status.PROBATIONARY}' THEN 1 ELSE 0 END",
    "CASE WHEN p.exempted THEN 1 ELSE 0 END",
    "CASE WHEN p.in_transit THEN 1 ELSE 0 END",
    "CASE WHEN p.host_id IS NOT NULL THEN 1 ELSE 0 END",
)
SQL_FROM = 50  # follow() takes the SQL path for this many members or more (a bulk write, a move)


def _sql_date(day: dt.date) -> str:
    return f"CAST('{day.isoformat()}' AS date)" if connection.vendor == "postgresql" else f"'{day.isoformat()}'"


def _sql_crossing(column: str, years: int) -> str:
    """crossing(column, years) in SQL: the same day `years` later, 29 February → 1 March in a year
    without one."""
    if connection.vendor == "postgresql":
        later = f"CAST({column} + interval '{int(years)} years' AS date)"  # 29 February: 28 February
        return f"({later} + CASE WHEN EXTRACT(day FROM {column}) = 29 AND EXTRACT(day FROM {later}) = 28 THEN 1 ELSE 0 END)"
    return f"date({column}, '+{int(years)} years')"  # SQLite normalizes 29 February to 1 March itself


def _sql_band_rows(name: str, value: str, crossings: list[str], keys: tuple, horizon: str, values: str) -> str:
    """The rows of one banded breakdown from the spans grouped by (root, s, e, value, crossings):
    the key on s at s, the band changes strictly inside the span up to the horizon (−1 on the old
    key, +1 on the new one), the last key at e."""
    def key_where(crossed) -> str:
        whens = " ".join(f"WHEN {crossed(c)} THEN '{keys[i + 1]}'" for i, c in reversed(list(enumerate(crossings))))
        return f"CASE WHEN {value} IS NULL THEN '{UNKNOWN}' {whens} ELSE '{keys[0]}' END"

    start = key_where(lambda c: f"{c} <= s")
    end = key_where(lambda c: f"({c} <= s OR ({c} < e AND {c} <= {horizon}))")
    cut = "CASE i " + " ".join(f"WHEN {i + 1} THEN {c}" for i, c in enumerate(crossings)) + " END"
    new_key = "CASE i " + " ".join(f"WHEN {i + 1} THEN '{keys[i + 1]}'" for i in range(len(crossings))) + " END"
    old_key = "CASE i " + " ".join(f"WHEN {i + 1} THEN '{keys[i]}'" for i in range(len(crossings))) + " END"
    numbers = " UNION ALL ".join(f"SELECT {i + 1} AS i" for i in range(len(crossings)))
    return (f"SELECT root, '{name}' AS dim, CASE WHEN sg = 1 THEN {start} ELSE {end} END AS {_qn('key')}, "
            f"CASE WHEN sg = 1 THEN s ELSE e END AS day, sg, {values} FROM {name}_spans CROSS JOIN signs WHERE sg = 1 OR e IS NOT NULL "
            f"UNION ALL SELECT root, '{name}', CASE WHEN sg = 1 THEN {new_key} ELSE {old_key} END, c, sg, {values} FROM "
            f"(SELECT {name}_spans.*, i, {cut} AS c FROM {name}_spans CROSS JOIN ({numbers}) n) cuts CROSS JOIN signs "
            f"WHERE s < c AND (e IS NULL OR c < e) AND c <= {horizon}")


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def contributions_sql(members: str, horizon: dt.date) -> str:
    """SELECT root, dim, key, day, <VALUE_COLUMNS>: the contribution (rows()) of the members whose
    periods `members` selects (a condition on the period row p), summed, rows of zeros left out."""
    h = _sql_date(horizon)
    v = [f"v{i}" for i in range(len(VALUE_COLUMNS))]
    static = [f"k{i}" for i in range(len(STATIC_DIMS))]
    ages = [f"a{i}" for i in range(len(AGE_THRESHOLDS))]
    tenures = [f"t{i}" for i in range(len(TENURE_THRESHOLDS))]
    keys = [f"CASE WHEN ({STATIC_KEY_SQL[d]}) IS NULL OR ({STATIC_KEY_SQL[d]}) = '' THEN '{UNKNOWN}' ELSE {STATIC_KEY_SQL[d]} END"
            if d in KNOWN_SQL else STATIC_KEY_SQL[d] for d in STATIC_DIMS]
    carried = [*static, *v, "born", *ages, "admitted", *tenures]
    r1, r2 = sql_path_ids("pl.path", 2)
    per = ("SELECT p.organization_id AS org, p.valid_from AS s, p.valid_to AS e, "
           + ", ".join(f"{k} AS {c}" for k, c in zip(keys, static, strict=True)) + ", "
           + ", ".join(f"{x} AS {c}" for x, c in zip(VALUE_SQL, v, strict=True)) + ", pe.birth_date AS born, "
           + ", ".join(f"{_sql_crossing('pe.birth_date', t)} AS {c}" for t, c in zip(AGE_THRESHOLDS, ages, strict=True))
           + ", m.admitted_on AS admitted, "
           + ", ".join(f"{_sql_crossing('m.admitted_on', t)} AS {c}" for t, c in zip(TENURE_THRESHOLDS, tenures, strict=True))
           + f" FROM {_qn(MemberPeriod._meta.db_table)} p JOIN {_qn(Member._meta.db_table)} m ON m.id = p.member_id "
           f"JOIN {_qn(Person._meta.db_table)} pe ON pe.id = m.person_id WHERE {members}")
    piece_s = "CASE WHEN pl.valid_from > per.s THEN pl.valid_from ELSE per.s END"
    piece_e = "CASE WHEN per.e IS NULL THEN pl.valid_to WHEN pl.valid_to < per.e THEN pl.valid_to ELSE per.e END"  # NULL: open
    pieces = (f"SELECT {piece_s} AS s, {piece_e} AS e, {r1} AS r1, {r2} AS r2, {', '.join(f'per.{c}' for c in carried)} "
              f"FROM per JOIN {_qn(Placement._meta.db_table)} pl ON pl.organization_id = per.org")
    spans = (f"SELECT {WHOLE_TREE} AS root, s, e, {', '.join(carried)} FROM per UNION ALL "
             f"SELECT CASE lvl WHEN 1 THEN r1 ELSE r2 END, s, e, {', '.join(carried)} FROM ({pieces}) x "
             f"CROSS JOIN (SELECT 1 AS lvl UNION ALL SELECT 2) lv WHERE (e IS NULL OR s < e) AND (lvl = 1 OR r2 IS NOT NULL)")
    sums = ", ".join(f"SUM({c}) AS {c}" for c in v)
    signed = ", ".join(f"sg * {c} AS {c}" for c in v)
    dims = " UNION ALL ".join(f"SELECT '{d}' AS dim" for d in STATIC_DIMS)
    static_key = "CASE dim " + " ".join(f"WHEN '{d}' THEN {c}" for d, c in zip(STATIC_DIMS, static, strict=True)) + " END"
    with_ = (f"WITH per AS ({per}), spans AS MATERIALIZED ({spans}), "
             f"static_spans AS (SELECT root, s, e, {', '.join(static)}, {sums} FROM spans GROUP BY root, s, e, {', '.join(static)}), "
             f"age_spans AS (SELECT root, s, e, born, {', '.join(ages)}, {sums} FROM spans GROUP BY root, s, e, born, {', '.join(ages)}), "
             f"tenure_spans AS (SELECT root, s, e, admitted, {', '.join(tenures)}, {sums} FROM spans "
             f"GROUP BY root, s, e, admitted, {', '.join(tenures)}), "
             f"signs AS (SELECT 1 AS sg UNION ALL SELECT -1), dims AS ({dims})")
    rows_ = (f"SELECT root, dim, {static_key} AS {_qn('key')}, CASE WHEN sg = 1 THEN s ELSE e END AS day, sg, {signed} "
             f"FROM static_spans CROSS JOIN dims CROSS JOIN signs WHERE sg = 1 OR e IS NOT NULL UNION ALL "
             + _sql_band_rows("age", "born", ages, AGE_KEYS, h, signed) + " UNION ALL "
             + _sql_band_rows("tenure", "admitted", tenures, TENURE_KEYS, h, signed))
    totals = ", ".join(f"SUM({c}) AS {_qn(col)}" for c, col in zip(v, VALUE_COLUMNS, strict=True))
    nonzero = " OR ".join(f"SUM({c}) <> 0" for c in v)
    return (f"{with_} SELECT root, dim, {_qn('key')}, day, {totals} FROM ({rows_}) d "
            f"GROUP BY root, dim, {_qn('key')}, day HAVING {nonzero}")


def _members_sql(member_ids: list[int] | None = None, above: int | None = None, up_to: int | None = None) -> tuple[str, list]:
    """A condition on the period row p: these members, or the member ids in (above, up_to]."""
    if member_ids is not None:
        return in_ids_sql("p.member_id", member_ids)
    return "p.member_id > %s AND p.member_id <= %s", [above, up_to]


def _stage_contributions(stage: str, where: tuple[str, list], horizon: dt.date, sign: int = 1) -> None:
    """The members' contribution (times sign) appended to the staging table."""
    condition, params = where
    columns = ", ".join(_qn(c) for c in ["root", "dim", "key", "day", *VALUE_COLUMNS])
    signed = ", ".join(f"{int(sign)} * {_qn(c)}" for c in VALUE_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {stage} ({columns}) SELECT root, dim, {_qn('key')}, day, {signed} "
                       f"FROM ({contributions_sql(condition, horizon)}) c", params)


def sql_contributions(member_ids: Iterable[int], horizon: dt.date) -> dict:
    """The members' contribution as the SQL path computes it, as contributions() gives it (a check)."""
    with _staging() as stage:
        _stage_contributions(stage, _members_sql(sorted(set(member_ids))), horizon)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT root, dim, {_qn('key')}, day, " + ", ".join(f"SUM({_qn(c)})" for c in VALUE_COLUMNS)
                           + f" FROM {stage} GROUP BY root, dim, {_qn('key')}, day")
            found = cursor.fetchall()
    result = {}
    for root, dim, key, day, *values in found:
        if isinstance(day, str):  # SQLite
            day = dt.date.fromisoformat(day)
        if any(values):
            result[(root, dim, key, day)] = list(values)
    return result



# -- writing -----------------------------------------------------------------------------------------


def _upsert(model, rows: dict) -> None:
    """Add the rows to the table's (INSERT … ON CONFLICT DO UPDATE: PostgreSQL and SQLite)."""
    if not rows:
        return
    columns = ["root", "dim", "key", "day", *VALUE_COLUMNS]
    types = ["bigint", "varchar", "varchar", "date", *["integer"] * len(VALUE_COLUMNS)]
    # in key order: concurrent writers lock the rows they share in the same order (no deadlock)
    params = sorted((root, dim, str(key), day, *values) for (root, dim, key, day), values in rows.items())
    upsert_added(_qn(model._meta.db_table), columns, types, ["root", "dim", "day", "key"], list(VALUE_COLUMNS), params)
    if model is LedgerEntry:  # and the same deltas summed per month
        months = defaultdict(lambda: [0] * len(VALUE_COLUMNS))
        for (root, dim, key, day), values in rows.items():
            row = months[(root, dim, key, day.replace(day=1))]
            for i, x in enumerate(values):
                row[i] += x
        _upsert(LedgerMonth, {k: v for k, v in months.items() if any(v)})


class _Stages(threading.local):
    """The staging tables open in this thread, innermost last (per thread, as Django's
    connections are)."""

    def __init__(self):
        self.stages: list[str] = []


_open = _Stages()
_frames = Frames()


@contextmanager
def follow(member_ids: Iterable[int] | Callable[[], Iterable[int]]):
    """Around a write that changes these members' periods, person or admission date: their
    contribution before and after, the difference added to the ledger in the same transaction.
    member_ids may be a callable, asked before and after (members created by the write). From
    SQL_FROM members on (bulk writes, moves) the contributions are grouped statements
    (contributions_sql) staged and added per batch; below, the pure function in Python.

    Nested, a member is followed once, by the outermost follow() that names it (summary.Frames)."""
    current = state()
    if current is None or not current.built:
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("the ledger is kept inside the write's transaction")
    with _frames.frame(asker(member_ids)) as (found, after):
        _lock(found)
        if len(found) >= SQL_FROM:
            with _staging() as stage:
                _stage_contributions(stage, _members_sql(found), current.horizon, sign=-1)
                yield
                _stage_contributions(stage, _members_sql(after()), current.horizon)
                _merge(stage, LedgerEntry, add=True)
            return
        before = contributions(found, current.horizon)
        yield
        _upsert(LedgerEntry, difference(contributions(after(), current.horizon), before))


def _lock(member_ids: list[int]) -> None:
    """Lock the members followed (in id order), so that a concurrent write of one of them (an
    event, a person edit, a move) computes its before and after on this write's result, not on
    the state this write started from (PostgreSQL; SQLite writers are serialized already)."""
    if connection.vendor != "postgresql" or not member_ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {_qn(Member._meta.db_table)} WHERE id = ANY(%s) ORDER BY id FOR UPDATE", [sorted(member_ids)])


def members_of_organizations(org_ids: Iterable[int], since: dt.date) -> list[int]:
    """Members with a period in these organizations on or after `since` (a move, a closing)."""
    org_ids = list(org_ids)
    found = set()
    for i in range(0, len(org_ids), 2000):
        found |= set(MemberPeriod.objects.filter(organization_id__in=org_ids[i:i + 2000])
                     .filter(ends_after_q(since)).values_list("member_id", flat=True).distinct())
    return sorted(found)


@contextmanager
def follow_organizations(org_ids: Iterable[int], since: dt.date):
    """Around a change of these organizations' placements from `since` (a move, a closing)."""
    current = state()
    if current is None or not current.built:
        yield
        return
    with follow(members_of_organizations(org_ids, since)):
        yield


STAGE = "measures_ledger_stage"


@contextmanager
def _staging():
    """A temporary table without constraints that grouped statements append partial sums to,
    summed into the ledger by one grouped INSERT … SELECT (_merge); dropped afterwards (after a
    failure the write's rollback takes it). Yields its name (one per nesting level)."""
    stages = _open.stages
    name = connection.ops.quote_name(f"{STAGE}{len(stages)}")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(f"CREATE TEMPORARY TABLE {name} (root bigint, dim varchar(16), {_qn('key')} varchar(16), day date, "
                       + ", ".join(f"{_qn(c)} integer" for c in VALUE_COLUMNS) + ")")
    stages.append(name)
    try:
        yield name
    finally:
        stages.pop()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {name}")


def _merge(stage: str, into, add: bool = False) -> None:
    """The staged rows summed into `into` (and per month into LedgerMonth for the live ledger);
    add: onto the rows there (INSERT … ON CONFLICT DO UPDATE, in key order: concurrent writers
    lock the rows they share in the same order), else into an emptied table."""
    qn = connection.ops.quote_name
    sums = ", ".join(f"SUM({qn(c)})" for c in VALUE_COLUMNS)
    nonzero = " OR ".join(f"SUM({qn(c)}) <> 0" for c in VALUE_COLUMNS)
    columns = ", ".join(qn(c) for c in ["root", "dim", "key", "day", *VALUE_COLUMNS])
    month = "CAST(date_trunc('month', day) AS date)" if connection.vendor == "postgresql" else "date(day, 'start of month')"
    targets = [(into, "day")] + ([(LedgerMonth, month)] if into is LedgerEntry else [])
    with connection.cursor() as cursor:
        for model, day in targets:
            table = qn(model._meta.db_table)
            # in the unique index's order: a rebuild appends to the index instead of writing its pages
            # at random (millions of rows), and concurrent upserts lock shared rows in one order
            order = f"root, dim, {day}, {qn('key')}"
            upsert = ""
            if add:  # WHERE true: SQLite's parser needs it before an upsert's ON CONFLICT
                sets = ", ".join(f"{qn(c)} = {table}.{qn(c)} + excluded.{qn(c)}" for c in VALUE_COLUMNS)
                upsert = f" ON CONFLICT ({qn('root')}, {qn('dim')}, {qn('day')}, {qn('key')}) DO UPDATE SET {sets}"
            cursor.execute(f"INSERT INTO {table} ({columns}) SELECT root, dim, {qn('key')}, {day}, {sums} "
                           f"FROM {stage} WHERE true GROUP BY {order} HAVING {nonzero} ORDER BY {order}{upsert}")


@transaction.atomic
def rebuild(*, into=LedgerEntry, horizon: dt.date | None = None) -> int:
    """Recount the whole ledger from the periods into `into` (the live table or the scratch one)
    in arrays (ledgerbuild: the pure function's rules over every member at once, rows written in
    the index's order); the live rebuild marks the ledger built. Returns its rows."""
    current = state()
    if current is None:
        current = LedgerState.objects.create(built=False, horizon=horizon or default_horizon())
    horizon = horizon or current.horizon
    live = into is LedgerEntry
    ledgerbuild.empty([into, LedgerMonth] if live else [into])
    rows = ledgerbuild.build(ledgerbuild.read(), horizon, months=live, day=ledgerbuild.day_value)
    for kind, part in ledgerbuild.ahead(rows):
        ledgerbuild.write(into if kind == "day" else LedgerMonth, part)
    if connection.vendor == "postgresql":  # the planner's statistics of the new rows (the reads' plans)
        with connection.cursor() as cursor:
            for model in (into, LedgerMonth) if into is LedgerEntry else (into,):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    if into is LedgerEntry:
        residence.rebuild()  # and the villages' resident spans, kept beside it (coso/measures/residence.py)
        eventledger.rebuild()  # and the ledger of events (coso/measures/eventledger.py)
        orgledger.recount()  # and the organizations' (kept by triggers: counted again all the same)
        politicalledger.rebuild()  # and the political system's figures (coso/measures/politicalledger.py)
        current.built, current.horizon = True, horizon
        current.save()
    return into.objects.count()


def compare(a=LedgerEntry, b=LedgerScratch, limit: int = 50) -> list[tuple]:
    """Rows (side, root, dim, key, day, values...) that one table has and the other has not,
    rows of zeros ignored (the upserts leave them behind). Each table joined to the other on its
    unique key (a merge of two index scans on PostgreSQL, index lookups on SQLite): at scale
    0.05, 11-13 s against 34-56 s for the two EXCEPTs, which sorted both tables."""
    qn = connection.ops.quote_name
    cols = ", ".join(f"x.{qn(c)}" for c in ["root", "dim", "key", "day", *VALUE_COLUMNS])
    on = " AND ".join(f"y.{qn(k)} = x.{qn(k)}" for k in ("root", "dim", "day", "key"))
    nonzero = " OR ".join(f"x.{qn(c)} <> 0" for c in VALUE_COLUMNS)
    differ = " OR ".join(f"x.{qn(c)} <> y.{qn(c)}" for c in VALUE_COLUMNS)
    found = []
    with connection.cursor() as cursor:
        for side, x, y in (("live", a, b), ("rebuilt", b, a)):
            tx, ty = qn(x._meta.db_table), qn(y._meta.db_table)
            cursor.execute(f"SELECT {cols} FROM {tx} x LEFT JOIN {ty} y ON {on} WHERE ({nonzero}) AND (y.id IS NULL OR {differ}) "
                           f"ORDER BY 1, 2, 3, 4 LIMIT {int(limit)}")
            found += [(side, *row) for row in cursor.fetchall()]
    return found


def month_differences(limit: int = 50) -> list[tuple]:
    """Month rows that are not the live day rows summed per month (zeros ignored)."""
    from django.db.models.functions import TruncMonth

    def nonzero(rows):
        return {(r["root"], r["dim"], r["key"], r["m"]): tuple(r[c] for c in VALUE_COLUMNS)
                for r in rows if any(r[c] for c in VALUE_COLUMNS)}

    summed = nonzero(LedgerEntry.objects.annotate(m=TruncMonth("day")).values("root", "dim", "key", "m")
                     .annotate(**{c: Sum(c) for c in VALUE_COLUMNS}).order_by())
    kept = nonzero(LedgerMonth.objects.annotate(m=F("day")).values("root", "dim", "key", "m", *VALUE_COLUMNS))
    keys = sorted(k for k in summed.keys() | kept.keys() if summed.get(k) != kept.get(k))[:limit]
    return [("month", *k, kept.get(k), summed.get(k)) for k in keys]


def compare_with_rebuild(limit: int = 50) -> list[tuple]:
    """Rebuild into the scratch table, compare with the live ledger (and its months with its
    days), empty the scratch table."""
    with transaction.atomic():
        rebuild(into=LedgerScratch)
        differences = (compare(limit=limit) + month_differences(limit) + residence.differences(limit) + eventledger.differences(limit)
                       + orgledger.differences(limit) + politicalledger.differences(limit))
        LedgerScratch.objects.all().delete()
    return differences


# -- reading -------------------------------------------------------------------------------------------


def _sums(roots, dims: list[str], on: dt.date, columns: list[str]) -> dict:
    """{(root, dim, key): {column: sum}} of the rows dated up to `on` (roots: a list or a Q on
    root; summary.summed_up_to)."""
    where = (roots if isinstance(roots, Q) else Q(root__in=roots)) & Q(dim__in=dims)
    return summed_up_to(LedgerEntry, LedgerMonth, where, ["root", "dim", "key"], columns, on)


def answer(tree, measures, by: str | None) -> dict | None:
    """{key: {measure: n}} as Members.count gives it, from the ledger; None when it cannot answer."""
    answers = answers_for(tree, measures, [by])
    return None if answers is None else answers[by]


def answers_for(tree, measures, bys: list) -> dict | None:
    """{by: {key: {measure: n}}} for several breakdowns (None: no breakdown) in one query; None
    when the ledger cannot answer them all (not enabled or built, a measure without a column, a
    root not summarized, a scope cutting the subtree, a band asked after the horizon, by child
    below the top level)."""
    cols = [MEASURE_COLUMNS.get(m.name) for m in measures]
    if None in cols:
        return None
    root = summarized_root(tree)
    if root is None or any(by is not None and by != "child" and by not in DIMS for by in bys):
        return None
    if "child" in bys and (len(bys) > 1 or (root != WHOLE_TREE and len(path_ids(tree.path)) >= SUMMARIZED_LEVELS)):
        return None  # the children of a root at the second level are below the summarized levels
    current = enabled_for(tree)
    if current is None or (tree.on > current.horizon and any(by in BANDED_DIMS for by in bys)):
        return None
    columns = sorted({"n", *cols})

    def values(row):
        return {m.name: row.get(c) or 0 for m, c in zip(measures, cols, strict=True)}

    if bys == ["child"]:
        # the children (and the root itself), as a subquery the indexes serve: one query for the
        # root's and its children's sums (a child without rows has no members)
        sums = _sums(Q(root__in=child_roots(root, tree.on)), [""], tree.on, columns)
        result = {r: values(row) for (r, _dim, _key), row in sums.items() if r != root}
        if root != WHOLE_TREE and (root, "", "") in sums:
            direct = {c: (sums[(root, "", "")][c] or 0) - sum((row[c] or 0) for (r, _d, _k), row in sums.items() if r != root)
                      for c in columns}
            if direct["n"]:
                result[root] = values(direct)
        return {"child": result}
    sums = _sums([root], [by or "" for by in bys], tree.on, columns)
    result = {}
    for by in bys:
        if by is None:
            result[by] = {None: values(sums.get((root, "", ""), {}))}
        else:
            result[by] = {key: values(row) for (_root, dim, key), row in sums.items() if dim == by and row["n"]}
    return result


def series(measure, trees: dict) -> dict | None:
    """{date: n} of one member measure from the ledger, one query; None when it cannot answer."""
    if enabled() is None or measure.name not in MEASURE_COLUMNS:
        return None
    roots = {d: summarized_root(t) for d, t in trees.items()}
    if None in roots.values():
        return None
    col = MEASURE_COLUMNS[measure.name]
    parts = []
    for model, before in ((LedgerMonth, True), (LedgerEntry, False)):  # the months before each date's month, its days
        sums = {f"d{i}": Sum(col, filter=Q(root=roots[d], day__lt=d.replace(day=1)) if before
                             else Q(root=roots[d], day__gte=d.replace(day=1), day__lte=d)) for i, d in enumerate(trees)}
        parts.append(model.objects.filter(root__in=set(roots.values()), dim="").values("dim").annotate(**sums).order_by())
    found = dict.fromkeys(trees, 0)
    for row in parts[0].union(parts[1], all=True):  # one query
        for i, d in enumerate(trees):
            found[d] += row[f"d{i}"] or 0
    return found
