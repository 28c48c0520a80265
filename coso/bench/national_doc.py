"""The national report section of docs/benchmarks.md, from coso/bench/national.py's results."""

import datetime as dt

TITLE = "### National statistical report"

SECTION_NAMES = {
    "organizations": "organizations by child and by sector (2 tables)",
    "villages": "villages with a cell, by child",
    "members": "members by child (6 measures)",
    "breakdowns": "members by gender, age, ethnicity, religion, education, qualification, theory, party age (8 tables, 3 grouped queries)",
    "changes": "changes since 1 January (9 event measures by child)",
}


def _s(value: float) -> str:
    return f"{value:.2f}".replace(".", ",") if value < 10 else f"{value:.1f}".replace(".", ",")


def section(results: dict, machine: str, reading: str) -> str:
    dbs = list(results)
    first = next(iter(results.values()))
    lines = [
        TITLE,
        "",
        f"Measured {dt.date.today():%d/%m/%Y} on {machine}, on the national dataset of the section above "
        "(`coso synth --seed 1`), warm caches, server time of the measure engine (coso/measures/engine.py) computing the "
        "standard report of coso/reports/standard.py for the whole tree: 13 tables. DuckDB reference: the same member counts (by province, gender, ethnicity, religion, age band, "
        "qualification, theory, status) and organizations by kind, computed by DuckDB "
        f"{first.get('duckdb_version', '')} from the tables exported to Parquet, same machine.",
        "",
        "| job | target | " + " | ".join(dbs) + " |",
        "|---|---|" + "---|" * len(dbs),
        "| national report as of today | ≤ 2 s | " + " | ".join(f"{_s(r['today']['seconds'])} s" for r in results.values()) + " |",
        "| national report five years back | ≤ 3 s | " + " | ".join(f"{_s(r['five_years_back']['seconds'])} s" for r in results.values()) + " |",
        "| DuckDB over Parquet, same counts | reference | " + " | ".join(f"{_s(r['duckdb_seconds'])} s" for r in results.values()) + " |",
        "| ratio report today / DuckDB | ≤ 5× | " + " | ".join(f"{r['today']['seconds'] / r['duckdb_seconds']:.0f}×" for r in results.values()) + " |",
        "| one commune's report, all 13 tables (median of 5) | ≤ 50 ms (dashboard) | " + " | ".join(
            f"{r['commune']['median_seconds'] * 1000:.0f} ms ({r['commune']['members']} members)" for r in results.values()) + " |",
        "| engine and DuckDB counts agree | | " + " | ".join("yes" if not r["agreement"] else "NO: " + "; ".join(r["agreement"]) for r in results.values()) + " |",
        "",
        "The report as of today, part by part, seconds:",
        "",
        "| table | " + " | ".join(dbs) + " |",
        "|---|" + "---|" * len(dbs),
    ]
    for code, label in SECTION_NAMES.items():
        lines.append(f"| {label} | " + " | ".join(_s(r["today"]["sections"][code]) for r in results.values()) + " |")
    lines += ["", reading.strip(), ""]
    return "\n".join(lines) + "\n"


def write(results: dict, doc, machine: str, header: str, reading: str) -> None:
    text = doc.read_text() if doc.exists() else header
    new = section(results, machine, reading)
    start = text.find(TITLE)
    if start >= 0:
        end = text.find("\n### ", start + 1)
        text = text[:start] + new + (text[end + 1:] if end >= 0 else "")
    else:
        text = text.rstrip() + "\n\n" + new
    doc.write_text(text)
