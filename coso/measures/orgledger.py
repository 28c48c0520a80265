"""The ledger of organizations: the report's organization tables for the top of the tree without
reading the placements in force.

A placement in force on D is counted on D (decision 0001: [valid_from, valid_to)). Each placement
adds +1 on its first day and −1 on its end day, with its kind and sector, to:

- root 0 (the whole tree), under the child it lies under: the first organization of its path;
- the organization at depth 0 of its path, under the second one (itself left out: a root's own
  placement is not among its organizations);
- the organization at depth 1 of its path, under the third one (itself left out).

A placement's path is the tree as it stood while it was in force (a move writes new placements),
so its contribution is a function of its row alone: no splitting at boundaries, unlike the
ledger of counts. The count of a summarized root on D by child, kind and sector is the sum of its
rows dated up to D (`groups`): Subtree.placement_groups reads it when the summaries are read and
the root is summarized (summary.summarized_root), the placements otherwise.

Kept by the database: triggers on the placements' table add a placement's deltas when it is
inserted, move them when it is updated and take them away when it is deleted, so that every write
(the organizations' services, a restructuring and its undo, synth's bulk rows, raw SQL, a test's
own rows) is followed in its own transaction with nothing to forget. On PostgreSQL the triggers
are per statement (transition tables: a bulk insert of 600,000 placements is one grouped insert);
SQLite has per-row triggers only. `recount()` writes the table again from the placements (the
migration, `ledger.rebuild()`); `after_migrate()` puts right what a migrate or a flush can leave
(SQLite's flush deletes the tables in no set order: a placement deleted after the ledger was
emptied leaves its −1 behind; SQLite drops the triggers with a table a migration remakes);
`differences()` compares the kept table with a recount (`coso measures check`). The triggers
live on the primary only: replicas receive the table as they receive the placements.
"""

import datetime as dt

from django.db import connection, transaction
from django.db.models import Sum

from coso.organizations.models import Placement

from . import summary
from .models import OrgLedgerEntry
from .summary import WHOLE_TREE, qn, sql_path_ids

TABLE = "measures_orgledgerentry"
PLACEMENTS = "organizations_placement"
KEY = ("root", "day", "child", "kind", "sector")


def _contributions(ref: str, sign: int, source: str = "") -> str:
    """The deltas of the placement rows `ref` (a table alias, NEW or OLD) as one SELECT of (root,
    child, kind, sector, day, n), `source`: its FROM clause (none for a row trigger's NEW/OLD)."""
    ids = sql_path_ids(f"{ref}.path", 3)
    roots = [("0", ids[0], "true"), (ids[0], ids[1], f"{ids[1]} IS NOT NULL"), (ids[1], ids[2], f"{ids[2]} IS NOT NULL")]
    parts = []
    for root, child, present in roots:
        for day, n, when in ((f"{ref}.valid_from", sign, present), (f"{ref}.valid_to", -sign, f"{present} AND {ref}.valid_to IS NOT NULL")):
            parts.append(f"SELECT {root} AS root, {child} AS child, {ref}.kind AS kind, {ref}.sector AS sector, {day} AS day, "
                         f"{n} AS n {source} WHERE {when}")
    return " UNION ALL ".join(parts)


def _grouped(selects: str) -> str:
    """The deltas of `selects` summed per key, the zeros left out: the rows the table holds."""
    return f"SELECT root, child, kind, sector, day, SUM(n) AS n FROM ({selects}) d GROUP BY root, child, kind, sector, day HAVING SUM(n) <> 0"


def _add(selects: str) -> str:
    """Add the deltas of `selects` to the table (grouped first: one statement may not touch a row
    twice on PostgreSQL)."""
    cols = ", ".join(qn(c) for c in ("root", "child", "kind", "sector", "day", "n"))
    key = ", ".join(qn(c) for c in KEY)
    return f"INSERT INTO {TABLE} ({cols}) {_grouped(selects)} ON CONFLICT ({key}) DO UPDATE SET n = {TABLE}.n + excluded.n"


def _from_placements() -> str:
    return _contributions("p", 1, f"FROM {PLACEMENTS} p")


# -- the triggers ----------------------------------------------------------------------------------

def trigger_sql() -> list[str]:
    """The statements that install the triggers on this database (the migration runs them)."""
    if connection.vendor == "postgresql":
        def body(op: str) -> str:
            if op == "INSERT":
                selects = _contributions("p", 1, "FROM new_rows p")
            elif op == "DELETE":
                selects = _contributions("p", -1, "FROM old_rows p")
            else:
                selects = f"{_contributions('p', -1, 'FROM old_rows p')} UNION ALL {_contributions('p', 1, 'FROM new_rows p')}"
            return _add(selects)

        statements = [
            f"CREATE OR REPLACE FUNCTION measures_orgledger_follow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP = 'INSERT' THEN {body('INSERT')}; "
            f"ELSIF TG_OP = 'DELETE' THEN {body('DELETE')}; "
            f"ELSE {body('UPDATE')}; END IF; RETURN NULL; END $$",
        ]
        for op, tables in (("INSERT", "NEW TABLE AS new_rows"), ("DELETE", "OLD TABLE AS old_rows"),
                           ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows")):
            statements += [f"DROP TRIGGER IF EXISTS measures_orgledger_{op.lower()} ON {PLACEMENTS}",
                           f"CREATE TRIGGER measures_orgledger_{op.lower()} AFTER {op} ON {PLACEMENTS} "
                           f"REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION measures_orgledger_follow()"]
        return statements
    watched = "path, kind, sector, valid_from, valid_to"
    statements = []
    for op, on, selects in (("insert", "INSERT", _contributions("NEW", 1)),
                            ("delete", "DELETE", _contributions("OLD", -1)),
                            ("update", f"UPDATE OF {watched}", f"{_contributions('OLD', -1)} UNION ALL {_contributions('NEW', 1)}")):
        statements += [f"DROP TRIGGER IF EXISTS measures_orgledger_{op}",
                       f"CREATE TRIGGER measures_orgledger_{op} AFTER {on} ON {PLACEMENTS} FOR EACH ROW BEGIN {_add(selects)}; END"]
    return statements


def drop_trigger_sql() -> list[str]:
    if connection.vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS measures_orgledger_{op} ON {PLACEMENTS}" for op in ("insert", "delete", "update")] + [
            "DROP FUNCTION IF EXISTS measures_orgledger_follow()"]
    return [f"DROP TRIGGER IF EXISTS measures_orgledger_{op}" for op in ("insert", "delete", "update")]


def install() -> None:
    """(Re)install the triggers: the migration, and after every migrate (`after_migrate`)."""
    with connection.cursor() as cursor:
        for statement in trigger_sql():
            cursor.execute(statement)


def suspend() -> None:
    """Drop the triggers for a bulk load that counts the table again after it (synth's Loader:
    install() when the rows are in, then ledger.rebuild() counts it)."""
    with connection.cursor() as cursor:
        for statement in drop_trigger_sql():
            cursor.execute(statement)


# -- recount and check -----------------------------------------------------------------------------

def recount() -> None:
    """Write the table again from the placements (the migration, ledger.rebuild())."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(_add(_from_placements()))
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {TABLE}")


def after_migrate() -> None:
    """After a migrate or a flush (post_migrate): the triggers installed again (SQLite drops them
    with a table a migration remakes), the table emptied where the placements are (a flush that
    emptied it before them leaves their −1s), and counted again where the whole tree's open
    placements disagree with it (a cheap guard: one sum, one count; the full comparison is
    `coso measures check`)."""
    install()
    if not Placement.objects.exists():
        OrgLedgerEntry.objects.all().delete()
    elif (OrgLedgerEntry.objects.filter(root=WHOLE_TREE).aggregate(n=Sum("n"))["n"] or 0) != Placement.objects.current().count():
        recount()


def differences(limit: int = 50) -> list[tuple]:
    """Rows (side, "organizations", root, child, kind, sector, day, n) the kept table has and a
    recount has not ("live"), and the other way round ("rebuilt"); rows of zeros ignored."""
    kept = f"SELECT root, child, kind, sector, day, n FROM {TABLE} WHERE n <> 0"
    return summary.differences("organizations", kept, _grouped(_from_placements()), [], limit)


# -- reading ---------------------------------------------------------------------------------------

def groups(root: int, on: dt.date) -> list[tuple]:
    """(child, kind, sector, number) of the placements in force on `on` under the summarized root
    (0: the whole tree), the root's own left out: Subtree.placement_groups' answer."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT child, kind, sector, SUM(n) FROM {TABLE} WHERE root = %s AND day <= %s "
                       f"GROUP BY child, kind, sector HAVING SUM(n) <> 0", [root, connection.ops.adapt_datefield_value(on)])
        return [(child, kind, sector, int(n)) for child, kind, sector, n in cursor.fetchall()]
