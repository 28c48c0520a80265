"""Child process of `make bench`: build the national dataset with `coso synth`, time member search.

Prints one JSON line: the synth time and sizes, and the search timings (200 varied queries:
scopes from the country to a cell, names typed in several ways, card numbers, misses, status
filters), each timed on a warm database after one untimed pass over all of them.

BENCH_REUSE_DB=1 times the search on the database DATABASE_URL names as it is (a national
dataset built earlier by `coso synth`, migrated): no migrate, no build; the synth figures come
from that build's audit event. `python -m coso.data.bench.report` turns saved JSON lines into the
section of docs/benchmarks.md:

    DATABASE_URL=sqlite:////work/benchdata/national.sqlite3 BENCH_REUSE_DB=1 python -m coso.data.bench.members > sqlite.json
    DATABASE_URL=postgres://.../coso_national BENCH_REUSE_DB=1 python -m coso.data.bench.members > pg.json
    python -m coso.data.bench.report SQLite=sqlite.json PostgreSQL=pg.json
"""

import json
import os
import random
import statistics
import time

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from coso.data.synth import world  # noqa: E402
from coso.lib.dated import open_sql  # noqa: E402
from coso.members.search import ACTIVE, Search  # noqa: E402

QUERIES = 200
SCOPES = [("country", 15), ("province", 25), ("commune", 35), ("cell", 25)]
KINDS = [("full name", 35), ("full name, last word unfinished", 15), ("middle and given name", 10), ("given name", 10),
         ("family and middle name", 10), ("family name", 5), ("card number", 10), ("no such name", 5)]
STATUSES = [(ACTIVE, 80), (("probationary",), 10), (("probationary", "official", "deceased", "removed", "away", "left", "expelled"), 10)]


def pick(rng, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def database_size() -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA page_count")
            pages = cursor.fetchone()[0]
            cursor.execute("PRAGMA page_size")
            return pages * cursor.fetchone()[0]
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]


def workload(seed: int = 11) -> list[dict]:
    """The queries: each from a random member (so most find someone), in a scope that holds them."""
    rng = random.Random(seed)
    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id), MAX(id) FROM members_member")
        low, high = cursor.fetchone()
        out = []
        while len(out) < QUERIES:
            cursor.execute(
                "SELECT p.name_folded, m.card_number, pl.path FROM members_member m JOIN people_person p ON p.id = m.person_id "
                f"JOIN organizations_placement pl ON pl.organization_id = m.organization_id AND {open_sql('pl')} "
                "WHERE m.id >= %s AND m.status IN ('probationary', 'official') ORDER BY m.id LIMIT 1", [rng.randint(low, high)])
            row = cursor.fetchone()
            if row is None:
                continue
            folded, card, path = row
            words, parts = folded.split(), path.strip("/").split("/")
            scope = pick(rng, SCOPES)
            scope_path = {"country": None, "province": f"/{parts[0]}/", "commune": f"/{'/'.join(parts[:2])}/", "cell": path}[scope]
            kind = pick(rng, KINDS)
            if kind == "card number" and not card:
                kind = "full name"
            text = {
                "full name": folded,
                "full name, last word unfinished": " ".join([*words[:-1], words[-1][: rng.randint(1, max(1, len(words[-1]) - 1))]]),
                "middle and given name": " ".join(words[1:]),
                "given name": words[-1],
                "family and middle name": " ".join(words[:2]),
                "family name": words[0],
                "card number": (card or "")[: rng.randint(6, 10)],
                "no such name": rng.choice(["nguyen van xyz", "qwerty", "tran thi zzz", "le vanx", "pham quoc ky an"]),
            }[kind]
            out.append({"text": text, "scope": scope, "path": scope_path, "kind": kind, "statuses": pick(rng, STATUSES)})
    return out


# what the searches read: the search copy's indexes, persons' name indexes, members, today's placements
WARM = ["members_search_root_sort_idx", "members_search_root_name_idx", "members_search_branch_idx",
        "people_person_sort_idx", "people_person_search_idx", "people_person", "members_member", "members_member_person_id_key",
        "members_member_card_number_key", "organizations_placement", "org_one_open_placement", "org_placement_path_idx"]


def warm() -> float:
    """Read what the searches use into the operating system's cache, as it is on a server in use
    (a fresh bulk load leaves it cold: every first lookup is a disk read). Returns seconds."""
    t0 = time.perf_counter()
    if connection.vendor == "sqlite":
        with open(connection.settings_dict["NAME"], "rb") as f:
            while f.read(1 << 24):
                pass
    else:
        with connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
            for name in WARM:
                cursor.execute("SELECT pg_prewarm(%s::regclass, 'read')", [name])
    return time.perf_counter() - t0


def percentile(samples: list[float], p: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, max(0, int(round(p / 100 * len(s))) - 1))]


def reused() -> tuple[float, dict, float]:
    """(scale, what world.build returned, its seconds) for a dataset built earlier: from the audit
    event of the build (its timings by step are not kept there: None)."""
    from coso.audit.models import AuditEvent

    event = AuditEvent.objects.filter(event_type="members.synth.built").order_by("-id").first()
    if event is None:
        raise SystemExit("BENCH_REUSE_DB: no `coso synth` build in this database")
    scale = float(event.target_repr.rsplit("--scale", 1)[1])
    return scale, {"counts": event.new["counts"], "timings": None}, event.new["seconds"]


def main() -> None:
    if os.environ.get("BENCH_REUSE_DB"):
        scale, built, synth_seconds = reused()
    else:
        scale = float(os.environ.get("BENCH_SYNTH_SCALE", "1"))
        call_command("migrate", verbosity=0)
        call_command("places", "load", verbosity=0)
        t0 = time.perf_counter()
        built = world.build(seed=1, scale=scale, workers=int(os.environ.get("BENCH_SYNTH_WORKERS", "1")), say=lambda *a: None)
        synth_seconds = time.perf_counter() - t0
    size = database_size()
    warm_seconds = warm()
    queries = workload()
    load_before = os.getloadavg()[0]
    for q in queries:  # warm-up pass
        Search(q["text"], scope_path=q["path"], statuses=q["statuses"]).run()
    results = []
    for q in queries:
        s = Search(q["text"], scope_path=q["path"], statuses=q["statuses"])
        t = time.perf_counter()
        found = s.run()
        ms = (time.perf_counter() - t) * 1000
        results.append({**q, "ms": ms, "found": len(found), "plan": s.plan, "queries": s.queries})
    ms = [r["ms"] for r in results]

    def summary(rows):
        values = [r["ms"] for r in rows]
        return {"n": len(values), "median": statistics.median(values), "p95": percentile(values, 95), "max": max(values)}

    print(json.dumps({
        "scale": scale, "synth_seconds": synth_seconds, "load": [load_before, os.getloadavg()[0]], "synth": built, "database_bytes": size, "warm_seconds": warm_seconds,
        "search": {"n": len(ms), "median": statistics.median(ms), "p95": percentile(ms, 95), "max": max(ms),
                   "empty": sum(1 for r in results if not r["found"])},
        "by_scope": {s: summary([r for r in results if r["scope"] == s]) for s, _ in SCOPES},
        "by_kind": {k: summary([r for r in results if r["kind"] == k]) for k, _ in KINDS if any(r["kind"] == k for r in results)},
        "slowest": sorted(({k: r[k] for k in ("text", "scope", "kind", "plan", "ms", "found", "queries")} for r in results),
                          key=lambda r: -r["ms"])[:8],
    }, default=str))


if __name__ == "__main__":
    main()
