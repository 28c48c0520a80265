"""Member search by name typed without diacritics, with filters, fast on the national dataset.

The query the lists need: members in a scope (an organization's subtree, or everyone), with a
status filter, whose name matches what was typed, sorted the Vietnamese way (name_sort: given
name, then middle names, then family name), first 50. The selector of the member lists
(coso/members/selectors.py) can issue the same statements; this module is the benchmark's own
copy so that the figure does not wait for it.

What matches (`matches`), for typed words w1 .. wk (folded, the last one possibly unfinished):
- the name starts with the typed text ("nguyen van an", "nguyen van a", "tran thi", "le"), or
- the given name starts with wk and the middle name(s) start with w1 .. wk-1 ("an", "van an",
  "thi thu hoa", "van a").
Typing from inside the middle names ("thu hoa" for Nguyễn Thị Thu Hoa) or skipping them
("le hoa" for Lê Thị Hoa) does not match: neither would a plain "contains".

Why not "contains" with a trigram index: Vietnamese names are made of a few hundred syllables
(Nguyễn alone is 38% of people), so the trigram posting lists are huge: FTS5 trigram takes about
19 ms for "nguyen van an" on 600,000 names, 190 ms at national scale, before any sorting. What is
fast is a B-tree range whose rows already come in name_sort order, stopping after 50:

- small scopes (a commune committee or below, about 2,000 members): scope first. The subtree's
  cells from the placement path index, their members, the persons; checked and sorted there.
- large scopes (province, country): a few statements, each reading one index range in name_sort
  order, joining the member, checking status and scope, and stopping at 50; the results merged:
  * the family-first names (those starting with the typed text): counted on the name_folded
    index up to CAP; if fewer, the covering (name_folded, name_sort) index gives them to sort;
    if more, they are dense enough to walk the name_sort index and keep those that start so;
  * the given-name ranges: for each given name g starting with wk (a recursive loose index scan
    finds them), the name_sort range "g w1 .. wk-1", a growing group of them per statement,
    stopping once 50 results sort before the next given name.
  A province lets about one member in 34 through its scope, so it costs about 1,700 joined rows:
  the slowest scope (see docs/benchmarks.md).

Each database needs telling: SQLite keeps the written join order with CROSS JOIN, the index with
INDEXED BY, and checks the scope with a correlated EXISTS (as a join it first builds a Bloom
filter over every open placement). PostgreSQL gets SET LOCAL join_collapse_limit = 1, no parallel
workers, and enable_sort off for the walks (it underestimates how many rows pass the scope, and
would sort a whole range); the sorted family range orders by name_sort || '' so that it is not
walked instead.

Indexes (coso/people migration 0002): people_person(name_sort, name_folded, id) and
people_person(name_folded, name_sort, id), both covering what the plans read (PostgreSQL b-trees
do not hold the row id by themselves; its index-only scans also need VACUUM after a bulk load).
"""

from django.db import connection, transaction

from coso.lib.text import fold

ACTIVE = ("probationary", "official")
# A family-first prefix with at most this many names is sorted; beyond, walked in name order. Sorting
# costs the whole range (about 0.3 µs a name on the index); walking costs 50 / (share of names in
# the range) index entries, 34 times more in a province (one member in 34 passes the scope).
CAP = 20_000
CAP_IN_SCOPE = 100_000
LIMIT = 50


def after(prefix: str) -> str:
    """The smallest string greater than every string starting with prefix (non-empty)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def words_of(query: str) -> list[str]:
    return fold(query).split()


def matches(words: list[str], name_folded: str, name_sort: str) -> bool:
    text = " ".join(words)
    if name_folded.startswith(text):
        return True
    key = name_sort.split("|", 1)[0]
    given, _, rest = key.partition(" ")
    if not given.startswith(words[-1]):
        return False
    return len(words) == 1 or rest.startswith(" ".join(words[:-1]))


class Search:
    """One search: run() returns [(name_sort, member id, person id)] in (name_sort, person id) order, at most LIMIT."""

    def __init__(self, query: str, *, scope_path: str | None = None, small_scope: bool = False,
                 statuses=ACTIVE, limit: int = LIMIT, cap: int | None = None):
        self.words = words_of(query)
        self.text = " ".join(self.words)
        self.scope_path = scope_path
        self.small = small_scope and scope_path is not None
        self.statuses = tuple(statuses)
        self.limit = limit
        self.cap = cap if cap is not None else CAP if scope_path is None else CAP_IN_SCOPE
        self.sqlite = connection.vendor == "sqlite"
        self.queries = 0
        self.plan = ""
        self._walking = None

    # ------------------------------------------------------------ SQL helpers

    def _rows(self, sql: str, params) -> list:
        self.queries += 1
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def _status_sql(self) -> tuple[str, list]:
        return f"m.status IN ({', '.join(['%s'] * len(self.statuses))})", list(self.statuses)

    def _scope_sql(self) -> tuple[str, list, str, list]:
        """(join, its params, condition, its params): the member's organization lies in the scope today.

        SQLite: a correlated EXISTS, one index lookup per member. As a join, SQLite builds a Bloom
        filter over every open placement first (336,000 rows, 50 ms) whatever the LIMIT.
        PostgreSQL: a join, in the written order (see run())."""
        if self.scope_path is None:
            return "", [], "", []
        if self.sqlite:  # the path range, as organizations.models.path_prefix_q ...
            return ("", [], "AND EXISTS (SELECT 1 FROM organizations_placement pl WHERE pl.organization_id = m.organization_id "
                    "AND pl.valid_to IS NULL AND pl.path >= %s AND pl.path < %s)", [self.scope_path, after(self.scope_path)])
        # ... and LIKE 'prefix%', which PostgreSQL serves from the varchar_pattern_ops index (paths hold digits and slashes only)
        return ("JOIN organizations_placement pl ON pl.organization_id = m.organization_id AND pl.valid_to IS NULL AND pl.path LIKE %s",
                [self.scope_path + "%"], "", [])

    # ------------------------------------------------------------ plans

    def run(self) -> list[tuple]:
        if not self.words:
            return []
        if self.sqlite:
            return self._run()
        # PostgreSQL: keep the join order each statement is written in (the ordered name range
        # first, or the scope first), and no parallel workers for these short statements
        with transaction.atomic():
            self._rows("SET LOCAL join_collapse_limit = 1", [])
            self._rows("SET LOCAL max_parallel_workers_per_gather = 0", [])
            return self._run()

    def _run(self) -> list[tuple]:
        if self.text.isdigit():
            return self._card()
        if self.small:
            return self._scope_first()
        return self._streams()

    def _card(self) -> list[tuple]:
        """Party card number: a prefix range on the unique card_number index."""
        self.plan = "card"
        join, join_params, scope, scope_params = self._scope_sql()
        status, status_params = self._status_sql()
        return [tuple(r) for r in self._rows(
            f"SELECT p.name_sort, m.id, p.id FROM members_member m JOIN people_person p ON p.id = m.person_id {join} "
            f"WHERE m.card_number >= %s AND m.card_number < %s AND {status} {scope} ORDER BY p.name_sort, p.id LIMIT %s",
            [*join_params, self.text, after(self.text), *status_params, *scope_params, self.limit])]

    def _scope_first(self) -> list[tuple]:
        """A commune or a cell: its members first, the name check on a few thousand rows at most."""
        self.plan = "scope"
        if self.sqlite:
            path, path_params = "pl.path >= %s AND pl.path < %s", [self.scope_path, after(self.scope_path)]
        else:
            path, path_params = "pl.path LIKE %s", [self.scope_path + "%"]
        status, status_params = self._status_sql()
        rows = self._rows(
            "SELECT p.name_sort, m.id, p.id, p.name_folded FROM organizations_placement pl "
            "JOIN members_member m ON m.organization_id = pl.organization_id JOIN people_person p ON p.id = m.person_id "
            f"WHERE pl.valid_to IS NULL AND {path} AND {status} AND p.name_folded LIKE %s ORDER BY p.name_sort, p.id",
            [*path_params, *status_params, f"%{self.words[-1]}%"])
        return [r[:3] for r in rows if matches(self.words, r[3], r[0])][: self.limit]

    def _sort_setting(self, walk: bool) -> None:
        """PostgreSQL must read the index in order rather than sort the range (it underestimates how
        many rows pass the scope, and sorts): sorting off for walks, on for sorted ranges."""
        if not self.sqlite and self._walking is not walk:
            self._rows(f"SET LOCAL enable_sort = {'off' if walk else 'on'}", [])
            self._walking = walk

    def _joined_sql(self, source: str, source_params: list, where: str, params: list, order: str) -> tuple[str, list]:
        """The first LIMIT members in scope and status among the persons of source, in its order.

        source is an index range read in name order; the join is driven from it (CROSS JOIN keeps
        SQLite from reordering; join_collapse_limit on PostgreSQL), so the database stops after
        LIMIT rows have passed."""
        join = "CROSS JOIN" if self.sqlite else "JOIN"
        scope_join, join_params, scope, scope_params = self._scope_sql()
        status, status_params = self._status_sql()
        return (f"SELECT p.name_sort, m.id, p.id FROM {source} {join} members_member m ON m.person_id = p.id {scope_join} "
                f"WHERE {where} AND {status} {scope} ORDER BY {order} LIMIT %s",
                [*source_params, *join_params, *params, *status_params, *scope_params, self.limit])

    def _joined(self, source: str, source_params: list, where: str, params: list, order: str, walk: bool = True) -> list[tuple]:
        self._sort_setting(walk)
        return [tuple(r) for r in self._rows(*self._joined_sql(source, source_params, where, params, order))]

    def _ranges(self, prefixes: list[str]) -> list[tuple]:
        """Members whose name_sort starts with any of the prefixes: one statement, each range walked
        in order (the covering index) and stopped after LIMIT. Names starting with the typed text
        are left to the family-first stream: skipped on the index, before the join."""
        index = "INDEXED BY people_person_sort_idx" if self.sqlite else ""
        self._sort_setting(True)
        parts, params = [], []
        for i, prefix in enumerate(prefixes):
            sql, p = self._joined_sql(f"people_person p {index}", [],
                                      "p.name_sort >= %s AND p.name_sort < %s AND NOT (p.name_folded >= %s AND p.name_folded < %s)",
                                      [prefix, after(prefix), self.text, after(self.text)], "p.name_sort, p.name_folded, p.id")
            parts.append(f"SELECT * FROM ({sql}) r{i}")
            params += p
        return [tuple(r) for r in self._rows(" UNION ALL ".join(parts), params)]

    def _givens(self, prefix: str) -> list[str]:
        """The distinct given names starting with prefix, in order, in one statement: a recursive
        loose index scan, one seek per given name."""
        first = "substr(name_sort, 1, instr(name_sort || ' ', ' ') - 1)" if self.sqlite else "split_part(name_sort, ' ', 1)"
        rows = self._rows(
            f"WITH RECURSIVE g(w, n) AS ("
            f"SELECT (SELECT {first} FROM people_person WHERE name_sort >= %s AND name_sort < %s ORDER BY name_sort LIMIT 1), 0 "
            f"UNION ALL SELECT (SELECT {first} FROM people_person WHERE name_sort >= g.w || '!' AND name_sort < %s ORDER BY name_sort LIMIT 1), n + 1 "
            f"FROM g WHERE g.w IS NOT NULL AND n < 500) SELECT w FROM g WHERE w IS NOT NULL",
            [prefix, after(prefix), after(prefix)])
        # "!" sorts right after the space that ends a given name; a one-word name ("an|an") comes out whole
        return list(dict.fromkeys(r[0].split("|", 1)[0] for r in rows))

    def _family(self) -> list[tuple]:
        """Names starting with the typed text: few, sorted from the covering (name_folded, name_sort)
        index; many (dense), found walking the name_sort order."""
        low, high = self.text, after(self.text)
        count = self._rows("SELECT COUNT(*) FROM (SELECT 1 FROM people_person WHERE name_folded >= %s AND name_folded < %s LIMIT %s) t",
                           [low, high, self.cap + 1])[0][0]
        if count == 0:
            return []
        if count > self.cap:
            self.plan += " family-walk"
            index = "INDEXED BY people_person_sort_idx" if self.sqlite else ""
            return self._joined(f"people_person p {index}", [], "p.name_folded >= %s AND p.name_folded < %s", [low, high],
                                "p.name_sort, p.name_folded, p.id")
        self.plan += f" family-sorted({count})"
        # the name_folded range, then a sort: PostgreSQL, seeing LIMIT, would rather walk the
        # name_sort index and filter, which reads the whole index when the names come late
        index = "INDEXED BY people_person_search_idx" if self.sqlite else ""
        by = "name_sort, id" if self.sqlite else "name_sort || '', id"
        chunk = self.limit + 10 if self.scope_path is None else 2500  # a province holds about 1 in 34
        found, last = [], ("", -1)
        while len(found) < self.limit:
            # the outer query orders by the subquery's own key, so the database joins in that order and stops at LIMIT
            part = self._joined(
                f"(SELECT id, name_sort, name_folded, {by.split(',')[0]} AS k FROM people_person {index} WHERE name_folded >= %s "
                f"AND name_folded < %s AND name_sort >= %s AND (name_sort > %s OR id > %s) ORDER BY {by} LIMIT %s) p",
                [low, high, last[0], last[0], last[1], chunk], "1 = 1", [], "p.k, p.id", walk=False)
            found += part
            if len(found) >= self.limit or chunk >= count:
                break
            # the chunk's last person, to go on after it
            rows = self._rows(
                f"SELECT name_sort, id FROM people_person {index} WHERE name_folded >= %s AND name_folded < %s "
                f"AND name_sort >= %s AND (name_sort > %s OR id > %s) ORDER BY {by} LIMIT 1 OFFSET %s",
                [low, high, last[0], last[0], last[1], chunk - 1])
            if not rows:
                break
            last = (rows[0][0], rows[0][1])
            chunk *= 4
        return found[: self.limit]

    def _streams(self) -> list[tuple]:
        """Province or country: the family-first names, then the given-name ranges in order, merged."""
        self.plan = "streams"
        found = self._family()
        wk, before = self.words[-1], self.words[:-1]
        if not before:
            found += self._ranges([wk])
        else:
            tail = " ".join(before)
            givens, group = self._givens(wk), 1
            while givens:
                firsts = sorted(found, key=lambda r: (r[0], r[2]))[: self.limit]
                if len(firsts) == self.limit and firsts[-1][0] < givens[0]:
                    break  # every later given name sorts after the first 50 already found
                batch, givens = givens[:group], givens[group:]
                found += self._ranges([f"{given} {tail}" for given in batch])
                group *= 2
        unique = {r[2]: r for r in found}
        return sorted(unique.values(), key=lambda r: (r[0], r[2]))[: self.limit]


def search(query: str, **kwargs) -> list[tuple]:
    return Search(query, **kwargs).run()


def brute_force(query: str, *, scope_path: str | None = None, statuses=ACTIVE, limit: int = LIMIT, rows=None) -> list[tuple]:
    """The same answer the slow way (for tests): every member, checked one by one. rows: the
    members' (name_sort, member id, person id, name_folded, card_number), to reuse across queries."""
    if rows is None:
        rows = members_in(scope_path, statuses)
    words = words_of(query)
    text = " ".join(words)
    if not words:
        return []
    if text.isdigit():
        hits = [r[:3] for r in rows if r[4] and r[4].startswith(text)]
    else:
        hits = [r[:3] for r in rows if matches(words, r[3], r[0])]
    return sorted(hits, key=lambda r: (r[0], r[2]))[:limit]


def members_in(scope_path: str | None, statuses=ACTIVE) -> list[tuple]:
    from coso.members.models import Member
    from coso.organizations.models import Placement

    members = Member.objects.filter(status__in=statuses)
    if scope_path is not None:
        members = members.filter(organization_id__in=Placement.objects.filter(valid_to__isnull=True).under(scope_path).values("organization_id"))
    return list(members.values_list("person__name_sort", "id", "person_id", "person__name_folded", "card_number"))
