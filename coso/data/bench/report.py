"""The members section of docs/benchmarks.md: `coso synth` at national scale, and member search.

`python -m coso.data.bench.report SQLite=sqlite.json PostgreSQL=pg.json` writes the section from the
JSON lines coso/data/bench/members.py printed (for instance with BENCH_REUSE_DB on existing datasets).
"""

import datetime as dt
import json
import sys
from pathlib import Path

from coso.data.bench.doc import DOC, HEADER, machine, replace_section

TITLE = "### Members: the national dataset and search"


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"


def _ms(value: float) -> str:
    return f"{value:.1f}"


def _synth(r: dict) -> str:
    t = r["synth"]["timings"]
    if t is None:  # a dataset built earlier (BENCH_REUSE_DB): its audit event keeps the total only
        return f"{_duration(r['synth_seconds'])} (built earlier)"
    return (f"{_duration(r['synth_seconds'])} (tree {_duration(t['plan'])}, rows {_duration(t['rows'])}, "
            f"indexes, search copy and statistics {_duration(t['indexes'])})")


def section(results: dict, machine: str) -> str:
    first = next(iter(results.values()))
    c = first["synth"]["counts"]
    dbs = list(results)
    lines = [
        TITLE,
        "",
        f"Measured {dt.date.today():%d/%m/%Y} on {machine}. `coso synth --seed 1 --scale {first['scale']:g}` builds "
        f"{_n(c['communes'])} commune committees under 34 province committees, {_n(c['grassroots'])} grassroots organizations and "
        f"{_n(c['cells'])} cells (today's tree; the tree before 01/07/2025 with its districts is there too), "
        f"{_n(c['members'])} members on 31/12/2025 and {_n(c['exited'])} more who left during the ten years "
        f"({_n(c['persons'])} persons, {_n(c['events'])} events from 01/01/2016, {_n(c['periods'])} periods).",
        "",
        "| | " + " | ".join(dbs) + " |",
        "|---|" + "---|" * len(dbs),
        "| `coso synth` (target ≤ 15 min at full scale) | " + " | ".join(_synth(r) for r in results.values()) + " |",
        "| database size | " + " | ".join(f"{r['database_bytes'] / 1e9:.1f} GB".replace(".", ",") for r in results.values()) + " |",
        "",
        f"Member search by name typed without diacritics, with a scope and a status filter, first 50 sorted the Vietnamese way "
        f"(coso/members/search.py): {first['search']['n']} queries drawn from the data (names typed whole, with the last word "
        "unfinished, from the middle name, the given name alone, family and middle name, family name alone, card numbers, names "
        "nobody has; scopes: the country, a province, a commune, a cell; 80% members in the Party, 10% probationary only, 10% any "
        "status), each timed once on a warm database after an untimed pass. Milliseconds; target p95 ≤ 20 ms.",
        "",
        "| queries | n | " + " | ".join(f"{db} median | {db} p95 | {db} max" for db in dbs) + " |",
        "|---|---|" + "---|---|---|" * len(dbs),
    ]

    def row(label, key, group=None):
        stats = [(r[key][group] if group else r[key]) for r in results.values()]
        cells = []
        for s in stats:
            cells += [_ms(s["median"]), _ms(s["p95"]), _ms(s["max"])]
        lines.append(f"| {label} | {stats[0]['n']} | " + " | ".join(cells) + " |")

    row("**all**", "search")
    for scope in first["by_scope"]:
        row(f"scope: {scope}", "by_scope", scope)
    for kind in first["by_kind"]:
        row(kind, "by_kind", kind)
    lines.append("")
    for db, r in results.items():
        slow = "; ".join(f"\"{q['text']}\" ({q['scope']}, {q['plan'].strip()}, {_ms(q['ms'])} ms)" for q in r["slowest"][:4])
        lines.append(f"Slowest on {db}: {slow}.")
        lines.append("")
    loads = [f"{db} {r['load'][0]:.1f}–{r['load'][1]:.1f}" for db, r in results.items() if r.get("load")]
    if loads:
        lines += [f"Load average (1 min) before and after the search timing: {', '.join(loads)} (2 cores).", ""]
    lines += [MEMBERS_READING, ""]
    return "\n".join(lines) + "\n"


MEMBERS_READING = """Reading: a search in a province or a commune reads the search copy (members_membersearch,
members migration 0003: per member the status, the names, the cell, and the province and the
commune committee over the cell today), whose covering indexes start with the province or the
commune. A province search reads at most about 3.000 entries of its own province's index, plus
up to 50 per given-name range; a commune search one range of its own (about 2.000 members); each
ends with one statement checking the rows against today's placements. The slowest queries are
country-wide: they read the persons' national indexes and join each person to the member. The
copy costs three indexes (about 0,7 GB each) and the step of `coso synth` that fills and indexes
it. Figures move with the machine's other work; the searches run on a warm cache."""



def write_members(results: dict, doc, machine: str, header: str) -> None:
    replace_section(doc, header, TITLE, section(results, machine))


def main(args: list[str]) -> None:
    results = {}
    for arg in args:
        name, _, path = arg.partition("=")
        results[name] = json.loads(Path(path).read_text().strip().splitlines()[-1])
    write_members(results, DOC, machine(), HEADER)


if __name__ == "__main__":
    main(sys.argv[1:])
