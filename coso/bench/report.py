"""The members section of docs/benchmarks.md: `coso synth` at national scale, and member search."""

import datetime as dt

TITLE = "### Members: the national dataset and search"


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"


def _ms(value: float) -> str:
    return f"{value:.1f}"


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
        "| `coso synth` (target ≤ 15 min at full scale) | " + " | ".join(
            f"{_duration(r['synth_seconds'])} (tree {_duration(r['synth']['timings']['plan'])}, rows {_duration(r['synth']['timings']['rows'])}, "
            f"indexes and statistics {_duration(r['synth']['timings']['indexes'])})" for r in results.values()) + " |",
        "| database size | " + " | ".join(f"{r['database_bytes'] / 1e9:.1f} GB".replace(".", ",") for r in results.values()) + " |",
        "",
        f"Member search by name typed without diacritics, with a scope and a status filter, first 50 sorted the Vietnamese way "
        f"(coso/bench/search.py): {first['search']['n']} queries drawn from the data (names typed whole, with the last word "
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
    return "\n".join(lines) + "\n"


def write_members(results: dict, doc, machine: str, header: str) -> None:
    text = doc.read_text() if doc.exists() else header
    new = section(results, machine)
    start = text.find(TITLE)
    if start >= 0:
        end = text.find("\n### ", start + 1)
        text = text[:start] + new + (text[end + 1:] if end >= 0 else "")
    else:
        text = text.rstrip() + "\n\n" + new
    doc.write_text(text)
