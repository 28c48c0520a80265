"""Member search by name typed without diacritics, by part of the name, by card number; fast on the
national dataset (issue #3: p95 ≤ 20 ms, coso/data/bench/members.py). The member list
(selectors.member_rows, as of today) and the benchmark both run these statements.

The query: members in a scope (an organization's subtree today, or everyone) with a status filter,
whose name matches what was typed, in the Vietnamese order of the lists (Person.name_order,
coso.lib.text.person_sort_key: given name, then middle names, then family name; a < ă < â,
d < đ ..., letters before tones, one tone a word so that Hoà and Hòa are one; ties by person id),
first `limit`.

What matches (`matches`), for typed words w1 .. wk (folded, the last one possibly unfinished):
- the name starts with the typed text ("nguyen van an", "nguyen van a", "tran thi", "le"), or
- the given name starts with wk and the middle name(s) start with w1 .. wk-1 ("an", "van an",
  "thi thu hoa", "van a").
Typing from inside the middle names ("thu hoa" for Nguyễn Thị Thu Hoa) or skipping them
("le hoa" for Lê Thị Hoa) does not match. Digits alone (spaces ignored) are the start of a party
card number.

Why not "contains" with a trigram index: Vietnamese names are made of a few hundred syllables
(Nguyễn alone is 38% of people), so the trigram posting lists are huge: FTS5 trigram takes about
19 ms for "nguyen van an" on 600,000 names, 190 ms at national scale, before any sorting. What is
fast is a B-tree range whose rows already come in the list's order, stopping after `limit`.

The order and the folded text. What is typed is folded ("duong"), the order is not: Dương and Đặng
both start with "d", but Đ comes after every D ("Dương" < "Đặng", "Anh" < "Ân"). The names starting
with a folded text are therefore not one range of name_order but one range per spelling of it
(coso.lib.text.order_prefixes: a is a/ă/â, d is d/đ, e e/ê, o o/ô/ơ, u u/ư; "an" three ranges,
"duong" twelve, most of them empty), each a range of the key because the key has the letters
before the tones. Read in the key's order and each cut at `limit`, the ranges are merged (they
never overlap); an empty one costs one index seek. The match itself is still decided on the
folded names (name_folded, name_sort): the ranges of the spellings hold exactly the names of
Vietnamese letters that match; a name with a character no Vietnamese letter folds to (a digit, ø)
is found by its family-first text only (the name check refuses such names).

Where it reads. MemberSearch (models.py) copies, per member, what a search needs: status, the two
names, the cell, and the two organizations at the top of the cell's path today: the root (a
province committee) and the branch under it (a commune committee). Its covering indexes start with
the root or the branch, so a search in a province or a commune reads index ranges of that scope
only, never a row of another one (before, a province search walked the national name order and
let one member in 34 through: up to 95,000 names sorted for "pham van").

Plans, by the scope's depth:
- root (a province, "/12/"): one statement for the common case: the family-first names (starting
  with the typed text) read from (root, name_folded), at most CAP_IN_ROOT + 1 of them, sorted by
  name_order; and the given name's (root, name_order) ranges, one per spelling (one word typed),
  or the given names starting with wk (several words: a recursive loose index scan of the
  persons' name_order index from each spelling of wk, one seek per given name, its letters cut
  at the key's first word separator). A family-first range larger than CAP_IN_ROOT is dense
  enough to walk (root, name_order) instead, keeping the names that start so. For several words,
  the ranges "g w1 .. wk-1" of the given names g (one per spelling of w1 .. wk-1) follow, a growing
  group of given names per statement, stopping once `limit` rows sort before the next given
  name. Every range stops at `limit`; 2 to 5 statements in all.
- branch (a commune, "/12/345/", about 2,000 members): its (branch, name_order) range in order,
  the match checked in SQL on the index (name_folded, name_sort), stopping at `limit`.
- deeper (a grassroots organization, a cell): scope first, from the placement paths: a few hundred
  members at most, checked and sorted in Python.
- the country (no scope): the same streams on the persons' national indexes ((name_order,
  name_folded, id) and (name_folded, name_order, id), people migration 0005), joined to the
  member for the status.
- card numbers: a range on the unique card_number index, the scope checked per row.

The root and branch plans end with one statement checking their rows against today's
placements, so a stale copy can hide a member for a moment but never show one outside the scope.
The copy is kept right by:
- members.services.write_state and members.bulk.record_members (every change of a member's status
  or cell) and synth's loader: `refresh`/`rebuild`, INSERT ... SELECT from the member, the person
  and today's placement: the one definition of a row (migration 0003 keeps a dated copy);
- a person's change (a new name): members.services.update_person, which calls refresh_person;
- the tree: an organization moved (organizations.services.move_organization writes new placements
  for its subtree, and cannot call this app). The same last statement (and the count's) also says
  whether the newest placement id is past the one the copy has followed; if so `sync_tree`
  re-reads the root and branch of the members of the organizations placed since, and the search
  runs again. The last TREE_MARGIN placements are re-read each time, for a move that committed
  after a later one. A cell closed (no new placement) only leaves its members out of the rows.

The databases need telling. SQLite keeps the written join order with CROSS JOIN and the index
with INDEXED BY. PostgreSQL, for the country's streams (a person's name range joined to the
member), gets join_collapse_limit = 1, no parallel workers, and enable_sort off for the walks (it
underestimates how many rows pass, and would sort a whole range); a sorted range orders by
name_order || '' so that it is not walked instead; the province's dense walk tests the prefix as
an expression for the same reason; many ranges run as one LATERAL subquery over an array of
prefixes (a UNION of 30 of them took longer to plan than to read); SQLite runs at most COMPOUND
ranges a statement, and cuts a key's first word with a function of its own (coso_first_word,
members.apps), PostgreSQL with a regular expression. The other statements read one
table, or join in the order PostgreSQL chooses anyway (EXPLAIN on the national dataset). Ranges
compare code points: the databases use the C collation (coso_national, the test databases), as
Python sorts.
"""

import json

from django.db import connection, transaction

from coso.lib.dated import open_sql
from coso.lib.text import fold, order_prefixes
from coso.organizations.models import Placement, path_ids

from .models import Member

# today's placement of a member's organization, in the statements below
OPEN_PL = open_sql("pl")

ACTIVE = ("probationary", "official")
LIMIT = 50
# A family-first prefix with at most this many names is sorted; beyond, walked in name order.
# Sorting costs the whole range; walking costs limit / (share of names in the range) index entries.
# Country: 6 million names, the walk joins each person to the member (CAP); a province: about
# 170,000 names read from one covering index, both costs equal near sqrt(50 * 170,000) ≈ 3,000.
CAP = 20_000
CAP_IN_ROOT = 3_000
TREE_MARGIN = 200
# at most this many ranges in one SQLite statement (its compound SELECT allows 500)
COMPOUND = 200
TABLE = "members_membersearch"
# one row (-1) when the tree has placements the search copy has not followed yet (sync_tree)
MOVED = ("SELECT -1 WHERE (SELECT MAX(id) FROM organizations_placement) > "
         "COALESCE((SELECT placement_id FROM members_membersearchsync WHERE id = 1), -1)")


def after(prefix: str) -> str:
    """The smallest string greater than every string starting with prefix (non-empty)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def words_of(query: str) -> list[str]:
    # "|" separates name_sort's two keys: never part of a typed name
    return fold(query).replace("|", " ").split()


def matches(words: list[str], name_folded: str, name_sort: str) -> bool:
    text = " ".join(words)
    if name_folded.startswith(text):
        return True
    key = name_sort.split("|", 1)[0]
    given, _, rest = key.partition(" ")
    if not given.startswith(words[-1]):
        return False
    return len(words) == 1 or rest.startswith(" ".join(words[:-1]))


# ---------------------------------------------------------------- keeping the copy


def _path_part(path: str, n: int, vendor: str) -> str:
    """SQL: the n-th organization id (1: the root, 2: the branch) of a path "/1/57/203/", or NULL."""
    if vendor != "sqlite":
        return f"NULLIF(split_part({path}, '/', {n + 1}), '')::bigint"
    rest = f"substr({path}, 2)"
    if n == 2:
        rest = f"substr({path}, instr({rest}, '/') + 2)"
    return f"CAST(NULLIF(substr({rest}, 1, instr({rest}, '/') - 1), '') AS INTEGER)"


def _rows_sql(where: str) -> str:
    """The search rows of the members matched by where (on members_member m), as INSERT ... SELECT."""
    vendor = connection.vendor
    return (
        f"INSERT INTO {TABLE} (member_id, person_id, status, name_folded, name_sort, name_order, organization_id, root_id, branch_id) "
        f"SELECT m.id, m.person_id, m.status, p.name_folded, p.name_sort, p.name_order, m.organization_id, "
        f"{_path_part('pl.path', 1, vendor)}, {_path_part('pl.path', 2, vendor)} "
        "FROM members_member m JOIN people_person p ON p.id = m.person_id "
        f"LEFT JOIN organizations_placement pl ON pl.organization_id = m.organization_id AND {OPEN_PL} "
        f"WHERE {where}"
    )


def refresh(member_ids, *, new: bool = False) -> None:
    """Rewrite the search rows of these members from their member, person and today's placement
    (new: members just created, who have none yet)."""
    ids = list(member_ids)
    # the ids as one parameter (an array; a JSON list on SQLite, which caps the parameters of a
    # statement): an import of 100,000 members costs a few statements, not 200
    listed = "SELECT value FROM json_each(%s)" if connection.vendor == "sqlite" else "SELECT unnest(%s::bigint[])"
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        for i in range(0, len(ids), 20_000):
            chunk = ids[i:i + 20_000]
            param = json.dumps(chunk) if connection.vendor == "sqlite" else chunk
            if not new:
                cursor.execute(f"DELETE FROM {TABLE} WHERE member_id IN ({listed})", [param])
            cursor.execute(_rows_sql(f"m.id IN ({listed})"), [param])


def refresh_person(person_id: int) -> None:
    """A person's name changed: their member's row, if they are one (two statements)."""
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE member_id IN (SELECT id FROM members_member WHERE person_id = %s)", [person_id])
        cursor.execute(_rows_sql("m.person_id = %s"), [person_id])


def rebuild() -> int:
    """Every member's row, from scratch (a migration, synth's loader). Returns the number of rows."""
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(_rows_sql("1 = 1"))
        count = cursor.rowcount
        cursor.execute("SELECT MAX(id) FROM organizations_placement")
        _set_watermark(cursor, cursor.fetchone()[0] or 0)
    return count


def _set_watermark(cursor, placement_id: int) -> None:
    cursor.execute("UPDATE members_membersearchsync SET placement_id = %s WHERE id = 1 AND placement_id < %s", [placement_id, placement_id])
    if not cursor.rowcount:
        cursor.execute("SELECT 1 FROM members_membersearchsync WHERE id = 1")
        if cursor.fetchone() is None:
            cursor.execute("INSERT INTO members_membersearchsync (id, placement_id) VALUES (1, %s)", [placement_id])


def sync_tree() -> int:
    """Follow the organization tree: re-read the root and branch of the members of organizations
    placed since the last time (see the module's docstring). One statement when nothing changed;
    returns the number of members rewritten."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT (SELECT MAX(id) FROM organizations_placement), (SELECT placement_id FROM members_membersearchsync WHERE id = 1)")
        newest, seen = cursor.fetchone()
        if newest is None or (seen is not None and newest <= seen):
            return 0
        vendor = connection.vendor
        differs = "IS DISTINCT FROM" if vendor != "sqlite" else "IS NOT"
        cursor.execute(
            f"SELECT s.member_id FROM members_member m JOIN {TABLE} s ON s.member_id = m.id "
            f"LEFT JOIN organizations_placement pl ON pl.organization_id = m.organization_id AND {OPEN_PL} "
            "WHERE m.organization_id IN (SELECT organization_id FROM organizations_placement WHERE id > %s) "
            f"AND (s.root_id {differs} {_path_part('pl.path', 1, vendor)} OR s.branch_id {differs} {_path_part('pl.path', 2, vendor)})",
            [(seen or 0) - TREE_MARGIN])
        stale = [r[0] for r in cursor.fetchall()]
    refresh(stale)
    with connection.cursor() as cursor:
        _set_watermark(cursor, newest)
    return len(stale)


# ---------------------------------------------------------------- searching


class Search:
    """One search. run() returns [(name_order, member id, person id)] in (name_order, person id)
    order (the Vietnamese order, coso.lib.text.person_sort_key), at most `limit`; count() the
    number of members that match in all."""

    def __init__(self, query: str, *, scope_path: str | None = None, statuses=ACTIVE, limit: int = LIMIT, cap: int | None = None):
        self.words = words_of(query)
        self.text = " ".join(self.words)
        digits = self.text.replace(" ", "")
        self.card = digits if digits.isdigit() else ""
        self.scope_path = scope_path
        ids = path_ids(scope_path) if scope_path else []
        self.scope = "country" if not ids else "root" if len(ids) == 1 else "branch" if len(ids) == 2 else "small"
        self.key_id = ids[-1] if self.scope in ("root", "branch") else None
        self.statuses = tuple(statuses)
        self.limit = limit
        self.cap = cap if cap is not None else CAP if self.scope == "country" else CAP_IN_ROOT
        self.sqlite = connection.vendor == "sqlite"
        self.queries = 0
        self.plan = ""
        self._walking = None
        # the name_order prefixes of the given-name streams: the spellings of the last word (one
        # word typed), or of the words before it, to follow each given name (several)
        self.spellings = order_prefixes(self.words[-1] if len(self.words) == 1 else " ".join(self.words[:-1])) if self.words else []
        self.given_spellings = order_prefixes(self.words[-1]) if self.words else []

    # ------------------------------------------------------------ SQL helpers

    def _rows(self, sql: str, params) -> list:
        self.queries += 1
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def _status_sql(self, alias: str) -> tuple[str, list]:
        return f"{alias}.status IN ({', '.join(['%s'] * len(self.statuses))})", list(self.statuses)

    def _path_sql(self, alias: str = "pl") -> tuple[str, list]:
        """The placement lies under the scope's path: a range on SQLite (its LIKE skips the index),
        LIKE 'prefix%' on PostgreSQL (the varchar_pattern_ops index; paths hold digits and slashes)."""
        if self.sqlite:
            return f"{alias}.path >= %s AND {alias}.path < %s", [self.scope_path, after(self.scope_path)]
        return f"{alias}.path LIKE %s", [self.scope_path + "%"]

    def _family_sql(self, alias: str) -> tuple[str, list]:
        return f"{alias}.name_folded >= %s AND {alias}.name_folded < %s", [self.text, after(self.text)]

    def _match_sql(self, alias: str) -> tuple[str, list]:
        """`matches` in SQL: the family-first range, or the given name and the middle names."""
        family, params = self._family_sql(alias)
        wk, before = self.words[-1], " ".join(self.words[:-1])
        given = f"{alias}.name_sort >= %s AND {alias}.name_sort < %s"
        params += [wk, after(wk)]
        if before:
            space = f"instr({alias}.name_sort, ' ')" if self.sqlite else f"strpos({alias}.name_sort, ' ')"
            given += f" AND {space} > 0 AND substr({alias}.name_sort, {space} + 1, {len(before)}) = %s"
            params.append(before)
        return f"(({family}) OR ({given}))", params

    def _sort_setting(self, walk: bool) -> None:
        """PostgreSQL must read the index in order rather than sort the range (it underestimates how
        many rows pass, and sorts): sorting off for walks, on for sorted ranges."""
        if not self.sqlite and self._walking is not walk:
            self._rows(f"SET LOCAL enable_sort = {'off' if walk else 'on'}", [])
            self._walking = walk

    def _index(self, name: str) -> str:
        return f"INDEXED BY {name}" if self.sqlite else ""

    # ------------------------------------------------------------ entry points

    def run(self) -> list[tuple]:
        if not self.words:
            return []
        if self.card:
            return self._card()
        if self.scope == "small":
            return self._scope_first()
        if self.scope == "country":
            return self._planned(self._streams)
        return self._keyed()

    def count(self) -> int:
        if not self.words:
            return 0
        return self._planned(self._count) if self.scope == "country" and not self.card else self._count()

    def _planned(self, work):
        """PostgreSQL, for the country's streams (a person's name range joined to the member): keep
        the join order each statement is written in, no parallel workers for these short
        statements. The settings are put back when this runs inside a longer transaction (a test,
        a request's atomic block). The other plans read one table, or join in the order PostgreSQL
        chooses anyway (checked with EXPLAIN on the national dataset)."""
        if self.sqlite:
            return work()
        nested = connection.in_atomic_block
        with transaction.atomic():
            self._rows("SELECT set_config('join_collapse_limit', '1', true), set_config('max_parallel_workers_per_gather', '0', true)", [])
            self._walking = None
            try:
                return work()
            finally:
                if nested:
                    self._rows("SELECT set_config(name, reset_val, true) FROM pg_settings "
                               "WHERE name IN ('join_collapse_limit', 'max_parallel_workers_per_gather', 'enable_sort')", [])

    def _keyed(self) -> list[tuple]:
        """A root or a branch: its index ranges, then the rows checked against today's placements.
        Rows of organizations that left the scope (a stale copy) are dropped and more asked for;
        placements added since the copy last followed the tree make it follow, then search again."""
        limit, syncs = self.limit, 0
        while True:
            rows = self._branch(limit) if self.scope == "branch" else self._root(limit)
            kept, moved = self._in_scope(rows)
            if moved and syncs < 2:  # (placements still being added: the next search follows them)
                self.queries += 1
                syncs += 1
                sync_tree()
                continue
            if len(kept) >= self.limit or len(rows) < limit:
                return kept[: self.limit]
            limit += 2 * (len(rows) - len(kept))

    def _in_scope(self, rows: list[tuple]) -> tuple[list[tuple], bool]:
        """(the rows (name_sort, member id, person id, organization id) whose organization lies in the
        scope today, without the organization; whether the tree has placements the copy has not
        followed yet): one statement."""
        orgs = sorted({r[3] for r in rows if r[3] is not None})
        path, params = self._path_sql()
        sql = MOVED
        if orgs:
            sql = (f"SELECT pl.organization_id FROM organizations_placement pl WHERE {OPEN_PL} "
                   f"AND pl.organization_id IN ({', '.join(['%s'] * len(orgs))}) AND {path} UNION ALL {sql}")
            params = [*orgs, *params]
        else:
            params = []
        ok = {r[0] for r in self._rows(sql, params)}
        return [r[:3] for r in rows if r[3] in ok], -1 in ok

    # ------------------------------------------------------------ card numbers, small scopes

    def _card_sql(self, select: str) -> tuple[str, list]:
        """The scope checked per member: a join on PostgreSQL; a correlated EXISTS on SQLite, which
        would otherwise build a Bloom filter over every open placement first (336,000 rows, 50 ms)."""
        status, status_params = self._status_sql("m")
        join, join_params, exists, exists_params = "", [], "", []
        if self.scope_path is not None:
            path, path_params = self._path_sql()
            if self.sqlite:
                exists = f"AND EXISTS (SELECT 1 FROM organizations_placement pl WHERE pl.organization_id = m.organization_id AND {OPEN_PL} AND {path})"
                exists_params = path_params
            else:
                join = f"JOIN organizations_placement pl ON pl.organization_id = m.organization_id AND {OPEN_PL} AND {path}"
                join_params = path_params
        return (f"SELECT {select} FROM members_member m JOIN people_person p ON p.id = m.person_id {join} "
                f"WHERE m.card_number >= %s AND m.card_number < %s AND {status} {exists}",
                [*join_params, self.card, after(self.card), *status_params, *exists_params])

    def _card(self) -> list[tuple]:
        """Party card number: a prefix range on the unique card_number index."""
        self.plan = "card"
        sql, params = self._card_sql("p.name_order, m.id, p.id")
        return [tuple(r) for r in self._rows(f"{sql} ORDER BY p.name_order, p.id LIMIT %s", [*params, self.limit])]

    def _small(self) -> list[tuple]:
        """Every member of a small scope whose name matches, in order: the scope first (the cells'
        placements by path, their members, the persons), the check on a few hundred rows."""
        path, path_params = self._path_sql()
        status, status_params = self._status_sql("m")
        rows = self._rows(
            "SELECT p.name_order, m.id, p.id, p.name_folded, p.name_sort FROM organizations_placement pl "
            "JOIN members_member m ON m.organization_id = pl.organization_id JOIN people_person p ON p.id = m.person_id "
            f"WHERE {OPEN_PL} AND {path} AND {status} AND p.name_folded LIKE %s ORDER BY p.name_order, p.id",
            [*path_params, *status_params, f"%{self.words[-1]}%"])
        return [r[:3] for r in rows if matches(self.words, r[3], r[4])]

    def _scope_first(self) -> list[tuple]:
        self.plan = "scope"
        return self._small()[: self.limit]

    # ------------------------------------------------------------ a branch (commune)

    def _branch(self, limit: int) -> list[tuple]:
        """The branch's members in name order from its covering index, the match checked there."""
        self.plan = "branch"
        match, match_params = self._match_sql("s")
        status, status_params = self._status_sql("s")
        return [tuple(r) for r in self._rows(
            f"SELECT s.name_order, s.member_id, s.person_id, s.organization_id FROM {TABLE} s {self._index('members_search_branch_idx')} "
            f"WHERE s.branch_id = %s AND {status} AND {match} ORDER BY s.name_order, s.person_id LIMIT %s",
            [self.key_id, *status_params, *match_params, limit])]

    # ------------------------------------------------------------ a root (province)

    def _root_range(self, where: str, params: list, limit: int) -> tuple[str, list]:
        """The first rows of a (root, name_order) range, in order (no sort: the index's order)."""
        status, status_params = self._status_sql("s")
        return (f"SELECT * FROM (SELECT s.name_order, s.member_id, s.person_id, s.organization_id FROM {TABLE} s "
                f"{self._index('members_search_root_sort_idx')} WHERE s.root_id = %s AND {where} AND {status} "
                f"ORDER BY s.name_order, s.person_id LIMIT %s) x",
                [self.key_id, *params, *status_params, limit])

    def _given_range(self, prefix: str, limit: int) -> tuple[str, list]:
        """Names whose name_order starts with prefix; those starting with the typed text are the
        family stream's, skipped on the index."""
        family, family_params = self._family_sql("s")
        return self._root_range(f"s.name_order >= %s AND s.name_order < %s AND NOT ({family})", [prefix, after(prefix), *family_params], limit)

    def _root(self, limit: int) -> list[tuple]:
        """One statement for the common case: the family-first range (at most cap + 1 names, with
        its size), sorted; the given name's ranges, one per spelling (one word typed), or the given
        names starting with the last word (several). A family-first range larger than cap is then
        walked instead; the given names' ranges follow, a growing group per statement."""
        self.plan = "root"
        several = len(self.words) > 1
        family, family_params = self._family_sql("s")
        status, status_params = self._status_sql("r")
        ctes = [f"r AS (SELECT s.name_order, s.member_id, s.person_id, s.organization_id, s.status FROM {TABLE} s "
                f"{self._index('members_search_root_name_idx')} WHERE s.root_id = %s AND {family} LIMIT %s)"]
        params = [self.key_id, *family_params, self.cap + 1]
        parts = ["SELECT 'n', NULL, COUNT(*), NULL, NULL FROM r",
                 f"SELECT * FROM (SELECT 'f', r.name_order, r.member_id, r.person_id, r.organization_id FROM r WHERE {status} "
                 "ORDER BY r.name_order, r.person_id LIMIT %s) f"]
        params += [*status_params, limit]
        if several and self.spellings and self.given_spellings:
            cte, cte_params = self._givens_cte(self.given_spellings)
            ctes.insert(0, cte)
            params = [*cte_params, *params]
            parts.append("SELECT 'g', w, n, NULL, NULL FROM g WHERE w IS NOT NULL")
        elif not several:
            for prefix in self.spellings:
                sql, p = self._given_range(prefix, limit)
                parts.append(f"SELECT 'r', x.* FROM ({sql}) x")
                params += p
        out = self._rows(f"WITH RECURSIVE {', '.join(ctes)} {' UNION ALL '.join(parts)}", params)
        count = next(r[2] for r in out if r[0] == "n")
        found = [tuple(r[1:]) for r in out if r[0] in ("f", "r")]
        if count > self.cap:
            # dense: walk the name order, keeping the names that start with the typed text (as an
            # expression, so that PostgreSQL reads the ordered index rather than sort the range)
            self.plan += " family-walk"
            found = [tuple(r[1:]) for r in out if r[0] == "r"]  # the sorted rows came from a cut range
            sql, p = self._root_range(f"substr(s.name_folded, 1, {len(self.text)}) = %s", [self.text], limit)
            found += [tuple(r) for r in self._rows(sql, p)]
        elif count:
            self.plan += f" family-sorted({count})"
        if several:
            givens = sorted({r[1] for r in out if r[0] == "g"})
            found += self._given_streams(found, limit, givens, lambda prefixes: self._root_ranges(prefixes, limit))
        unique = {r[2]: r for r in found}
        return sorted(unique.values(), key=lambda r: (r[0], r[2]))[:limit]

    def _root_ranges(self, prefixes: list[str], limit: int) -> list[tuple]:
        if self.sqlite:
            out = []
            for i in range(0, len(prefixes), COMPOUND):
                parts, params = [], []
                for prefix in prefixes[i:i + COMPOUND]:
                    sql, p = self._given_range(prefix, limit)
                    parts.append(sql)
                    params += p
                out += [tuple(r) for r in self._rows(" UNION ALL ".join(parts), params)]
            return out
        # PostgreSQL plans a UNION of 30 ranges in 4 ms, longer than it reads them: one range,
        # planned once, run per prefix (LATERAL)
        family, family_params = self._family_sql("s")
        status, status_params = self._status_sql("s")
        return [tuple(r) for r in self._rows(
            f"SELECT x.* FROM unnest(%s::text[], %s::text[]) AS q(lo, hi) CROSS JOIN LATERAL (SELECT s.name_order, s.member_id, s.person_id, "
            f"s.organization_id FROM {TABLE} s WHERE s.root_id = %s AND s.name_order >= q.lo AND s.name_order < q.hi AND NOT ({family}) "
            f"AND {status} ORDER BY s.name_order, s.person_id LIMIT %s) x",
            [prefixes, [after(p) for p in prefixes], self.key_id, *family_params, *status_params, limit])] if prefixes else []

    def _given_prefixes(self, givens: list[str]) -> list[str]:
        """The name_order prefixes "g w1 .. wk-1" of the given names g (letter codes), one per
        spelling of w1 .. wk-1, in the key's order."""
        return [f"{given}01{rest}" for given in givens for rest in self.spellings]

    def _given_streams(self, found: list[tuple], limit: int, givens: list[str], ranges) -> list[tuple]:
        """The ranges "g w1 .. wk-1" of the given names g (in the key's order), one per spelling of
        the typed words, a growing group of given names per statement, until `limit` rows found
        sort before the next given name."""
        more, group = [], 2
        if not self.spellings:
            return more
        while givens:
            firsts = sorted(found + more, key=lambda r: (r[0], r[2]))[:limit]
            if len(firsts) == limit and firsts[-1][0] < givens[0]:
                break  # every later given name sorts after the first rows already found
            batch, givens = givens[:group], givens[group:]
            more += ranges(self._given_prefixes(batch))
            group *= 4
        return more

    def _givens_cte(self, spellings: list[str]) -> tuple[str, list]:
        """(SQL, params) of g(hi, w, n): the given names starting with one of the spellings (the
        letter codes of name_order's first word), each spelling's in order (n), as a recursive
        loose index scan of the persons' name_order index, one seek per given name. A first word
        ends at the first separator ("00", "01") of the key's two-digit codes; the next given name
        is the first key from w || "03" (every code of a letter is 12 or more)."""
        first = "coso_first_word(name_order)" if self.sqlite else "substring(name_order from '^(?:[1-9][0-9])*')"
        text = "" if self.sqlite else "::text"
        seeds = " UNION ALL ".join([f"SELECT %s{text} AS lo, %s{text} AS hi"] * len(spellings))
        return (f"g(hi, w, n) AS (SELECT q.hi, (SELECT {first} FROM people_person WHERE name_order >= q.lo AND name_order < q.hi "
                f"ORDER BY name_order LIMIT 1), 0 FROM ({seeds}) q "
                f"UNION ALL SELECT g.hi, (SELECT {first} FROM people_person WHERE name_order >= g.w || '03' AND name_order < g.hi "
                "ORDER BY name_order LIMIT 1), n + 1 FROM g WHERE g.w IS NOT NULL AND n < 500)",
                [x for spelling in spellings for x in (spelling, after(spelling))])

    def _givens(self, spellings: list[str]) -> list[str]:
        if not spellings:
            return []
        cte, params = self._givens_cte(spellings)
        return sorted({r[0] for r in self._rows(f"WITH RECURSIVE {cte} SELECT w FROM g WHERE w IS NOT NULL", params)})

    def _all_given_prefixes(self) -> list[str]:
        """Every range of the given-name streams (the count): one word typed, its spellings; several,
        every given name's."""
        if len(self.words) == 1:
            return self.spellings
        return self._given_prefixes(self._givens(self.given_spellings)) if self.spellings else []

    # ------------------------------------------------------------ the country

    def _joined(self, source: str, source_params: list, where: str, params: list, order: str, walk: bool = True) -> list[tuple]:
        """The first `limit` members in status among the persons of source, in its order. source is an
        index range read in name order; the join is driven from it (CROSS JOIN keeps SQLite from
        reordering; join_collapse_limit on PostgreSQL), so the database stops after `limit` rows."""
        self._sort_setting(walk)
        join = "CROSS JOIN" if self.sqlite else "JOIN"
        status, status_params = self._status_sql("m")
        return [tuple(r) for r in self._rows(
            f"SELECT p.name_order, m.id, p.id FROM {source} {join} members_member m ON m.person_id = p.id "
            f"WHERE {where} AND {status} ORDER BY {order} LIMIT %s", [*source_params, *params, *status_params, self.limit])]

    def _ranges(self, prefixes: list[str]) -> list[tuple]:
        if not prefixes:
            return []
        self._sort_setting(True)
        index = self._index("people_person_sort_idx")
        join = "CROSS JOIN" if self.sqlite else "JOIN"
        status, status_params = self._status_sql("m")
        if not self.sqlite:  # one range planned once, run per prefix (see _root_ranges)
            return [tuple(r) for r in self._rows(
                f"SELECT x.* FROM unnest(%s::text[], %s::text[]) AS q(lo, hi) CROSS JOIN LATERAL (SELECT p.name_order, m.id, p.id "
                "FROM people_person p JOIN members_member m ON m.person_id = p.id WHERE p.name_order >= q.lo AND p.name_order < q.hi "
                f"AND NOT (p.name_folded >= %s AND p.name_folded < %s) AND {status} ORDER BY p.name_order, p.name_folded, p.id LIMIT %s) x",
                [prefixes, [after(p) for p in prefixes], self.text, after(self.text), *status_params, self.limit])]
        out = []
        for n in range(0, len(prefixes), COMPOUND):
            parts, params = [], []
            for i, prefix in enumerate(prefixes[n:n + COMPOUND]):
                parts.append(
                    f"SELECT * FROM (SELECT p.name_order, m.id, p.id FROM people_person p {index} {join} members_member m ON m.person_id = p.id "
                    "WHERE p.name_order >= %s AND p.name_order < %s AND NOT (p.name_folded >= %s AND p.name_folded < %s) "
                    f"AND {status} ORDER BY p.name_order, p.name_folded, p.id LIMIT %s) r{i}")
                params += [prefix, after(prefix), self.text, after(self.text), *status_params, self.limit]
            out += [tuple(r) for r in self._rows(" UNION ALL ".join(parts), params)]
        return out

    def _family(self) -> list[tuple]:
        """Names starting with the typed text: few, sorted from the covering (name_folded, name_order)
        index, a chunk of persons at a time; many (dense), found walking the name_order order."""
        low, high = self.text, after(self.text)
        count = self._rows("SELECT COUNT(*) FROM (SELECT 1 FROM people_person WHERE name_folded >= %s AND name_folded < %s LIMIT %s) t",
                           [low, high, self.cap + 1])[0][0]
        if count == 0:
            return []
        if count > self.cap:
            self.plan += " family-walk"
            return self._joined(f"people_person p {self._index('people_person_sort_idx')}", [], "p.name_folded >= %s AND p.name_folded < %s",
                                [low, high], "p.name_order, p.name_folded, p.id")
        self.plan += f" family-sorted({count})"
        # the name_folded range, then a sort: PostgreSQL, seeing LIMIT, would rather walk the
        # name_order index and filter, which reads the whole index when the names come late
        index = self._index("people_person_search_idx")
        by = "name_order, id" if self.sqlite else "name_order || '', id"
        chunk = self.limit + 10
        found, last = [], ("", -1)
        while len(found) < self.limit:
            # the outer query orders by the subquery's own key, so the database joins in that order and stops at LIMIT
            part = self._joined(
                f"(SELECT id, name_order, name_folded, {by.split(',')[0]} AS k FROM people_person {index} WHERE name_folded >= %s "
                f"AND name_folded < %s AND name_order >= %s AND (name_order > %s OR id > %s) ORDER BY {by} LIMIT %s) p",
                [low, high, last[0], last[0], last[1], chunk], "1 = 1", [], "p.k, p.id", walk=False)
            found += part
            if len(found) >= self.limit or chunk >= count:
                break
            # the chunk's last person, to go on after it
            rows = self._rows(
                f"SELECT name_order, id FROM people_person {index} WHERE name_folded >= %s AND name_folded < %s "
                f"AND name_order >= %s AND (name_order > %s OR id > %s) ORDER BY {by} LIMIT 1 OFFSET %s",
                [low, high, last[0], last[0], last[1], chunk - 1])
            if not rows:
                break
            last = (rows[0][0], rows[0][1])
            chunk *= 4
        return found[: self.limit]

    def _streams(self) -> list[tuple]:
        """The country: the family-first names, then the given-name ranges in order, merged."""
        self.plan = "streams"
        found = self._family()
        if len(self.words) > 1:
            givens = self._givens(self.given_spellings) if self.spellings else []
            found += self._given_streams(found, self.limit, givens, self._ranges)
        else:
            found += self._ranges(self.spellings)
        unique = {r[2]: r for r in found}
        return sorted(unique.values(), key=lambda r: (r[0], r[2]))[: self.limit]

    # ------------------------------------------------------------ counting

    def _count(self) -> int:
        """How many members match in all (the list's pager): the same ranges, counted. The root and
        branch counts trust the copy's scope (a member of a cell closed since is still counted)."""
        if self.card:
            sql, params = self._card_sql("1")
            return self._rows(f"SELECT COUNT(*) FROM ({sql}) t", params)[0][0]
        if self.scope == "small":
            return len(self._small())
        family, family_params = self._family_sql("s" if self.scope != "country" else "p")
        if self.scope == "branch":
            match, match_params = self._match_sql("s")
            status, status_params = self._status_sql("s")
            parts = [(f"SELECT COUNT(*) FROM {TABLE} s WHERE s.branch_id = %s AND {status} AND {match}",
                      [self.key_id, *status_params, *match_params])]
        else:
            # the family range, and each given-name range outside it (the same OR, as ranges)
            prefixes = self._all_given_prefixes()
            if self.scope == "country":
                status, status_params = self._status_sql("m")
                join = "CROSS JOIN" if self.sqlite else "JOIN"
                parts = [(f"SELECT COUNT(*) FROM people_person p {self._index('people_person_search_idx')} {join} members_member m "
                          f"ON m.person_id = p.id WHERE {family} AND {status}", [*family_params, *status_params])]
                source, key = f"people_person p {self._index('people_person_sort_idx')} {join} members_member m ON m.person_id = p.id", "p"
                key_params = []
            else:
                status, status_params = self._status_sql("s")
                parts = [(f"SELECT COUNT(*) FROM {TABLE} s {self._index('members_search_root_name_idx')} WHERE s.root_id = %s AND {family} "
                          f"AND {status}", [self.key_id, *family_params, *status_params])]
                source, key = f"{TABLE} s {self._index('members_search_root_sort_idx')}", "s"
                key_params = [self.key_id]
            scoped = "s.root_id = %s AND " if self.scope == "root" else ""
            if prefixes and not self.sqlite:
                parts.append((f"SELECT COUNT(*) FROM unnest(%s::text[], %s::text[]) AS q(lo, hi) JOIN {source} ON {scoped}"
                              f"{key}.name_order >= q.lo AND {key}.name_order < q.hi WHERE NOT ({family}) AND {status}",
                              [prefixes, [after(p) for p in prefixes], *key_params, *family_params, *status_params]))
            elif prefixes:
                for prefix in prefixes:
                    parts.append((f"SELECT COUNT(*) FROM {source} WHERE {scoped}{key}.name_order >= %s AND {key}.name_order < %s "
                                  f"AND NOT ({family}) AND {status}", [*key_params, prefix, after(prefix), *family_params, *status_params]))
        for syncs in range(3):  # counts, and -1 when the tree has placements the copy has not followed yet
            values = []
            for n in range(0, len(parts), COMPOUND):
                chunk = parts[n:n + COMPOUND]
                sqls = [sql for sql, _ in chunk] + ([MOVED] if n == 0 and self.scope != "country" else [])
                values += [r[0] for r in self._rows(" UNION ALL ".join(sqls), [p for _, ps in chunk for p in ps])]
            if -1 not in values or syncs == 2:
                return sum(v for v in values if v >= 0)
            self.queries += 1
            sync_tree()


def search(query: str, **kwargs) -> list[tuple]:
    return Search(query, **kwargs).run()


# ---------------------------------------------------------------- the slow way, for tests


def brute_force(query: str, *, scope_path: str | None = None, statuses=ACTIVE, limit: int = LIMIT, rows=None) -> list[tuple]:
    """The same answer checking every member one by one, sorted by the Vietnamese key. rows: the
    members' (name_order, member id, person id, name_folded, card_number, name_sort), to reuse
    across queries."""
    if rows is None:
        rows = members_in(scope_path, statuses)
    words = words_of(query)
    if not words:
        return []
    digits = "".join(words)
    if digits.isdigit():
        hits = [r[:3] for r in rows if r[4] and r[4].startswith(digits)]
    else:
        hits = [r[:3] for r in rows if matches(words, r[3], r[5])]
    return sorted(hits, key=lambda r: (r[0], r[2]))[:limit]


def members_in(scope_path: str | None, statuses=ACTIVE) -> list[tuple]:
    members = Member.objects.filter(status__in=statuses)
    if scope_path is not None:
        members = members.filter(organization_id__in=Placement.objects.current().under(scope_path).values("organization_id"))
    return list(members.values_list("person__name_order", "id", "person_id", "person__name_folded", "card_number", "person__name_sort"))
