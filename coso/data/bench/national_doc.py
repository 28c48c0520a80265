"""The national report section of docs/benchmarks.md, from coso/data/bench/national.py's results."""

import datetime as dt

from coso.data.bench.doc import replace_section

TITLE = "### National statistical report"

SECTION_NAMES = {
    "organizations": "organizations by child and by sector (2 tables)",
    "villages": "villages with a cell, by child",
    "members": "members by child (6 measures)",
    "breakdowns": "members by gender, age, ethnicity, religion, education, qualification, theory, party age (8 tables, 3 grouped queries)",
    "changes": "changes since 1 January (9 event measures by child) and ratings (6 measures by child)",
}


DATES = {"today": "today", "five_years_back": "five years back", "ten_years_back": "ten years back", "mid_month": "mid-month",
         "29_february": "29 February"}


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
        "standard report of coso/reports/standard.py for the whole tree: 14 tables. DuckDB reference: the same member counts (by province, gender, ethnicity, religion, age band, "
        "qualification, theory, status) and organizations by kind, computed by DuckDB "
        f"{first.get('duckdb_version', '')} from the tables exported to Parquet, same machine.",
        "",
        "| job | target | " + " | ".join(dbs) + " |",
        "|---|---|" + "---|" * len(dbs),
        *(f"| national report, 14 tables in one build, {label} | ≤ 0,5 s | " + " | ".join(
            f"{_s(r['dates'][key]['seconds'])} s ({r['dates'][key]['date']})" if key in r.get("dates", {}) else "–" for r in results.values()) + " |"
          for key, label in DATES.items()),
        "| national report as of today, part by part (sum) | ≤ 0,5 s | " + " | ".join(f"{_s(r['today']['seconds'])} s" for r in results.values()) + " |",
        "| DuckDB over Parquet, same counts | reference | " + " | ".join(f"{_s(r['duckdb_seconds'])} s" for r in results.values()) + " |",
        "| the report faster than DuckDB by | ≥ 10× | " + " | ".join(f"{r['duckdb_seconds'] / r['today']['seconds']:.0f}×" for r in results.values()) + " |",
        "| a province's report, 14 tables (median over the provinces; slowest) | ≤ 100 ms | " + " | ".join(
            f"{r['provinces']['median_seconds'] * 1000:.0f} ms; {r['provinces']['slowest_seconds'][-1] * 1000:.0f} ms" if r.get("provinces") else "–"
            for r in results.values()) + " |",
        "| one commune's report, all 14 tables (median of 5) | | " + " | ".join(
            f"{r['commune']['median_seconds'] * 1000:.0f} ms ({r['commune']['members']} members)" for r in results.values()) + " |",
        "| one commune's dashboard, all figures and charts (median of 9) | ≤ 30 ms | " + " | ".join(
            f"{r['dashboard']['median_seconds'] * 1000:.0f} ms" if r.get("dashboard") else "–" for r in results.values()) + " |",
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
    replace_section(doc, header, TITLE, section(results, machine, reading))


READING = """Reading. The member figures of the top of the tree come from the ledger of counts,
the organizations' from the ledger of organizations (kept by triggers), the villages' residents and
the period's events from their own summaries (decision 0011 and its addenda); what a national
report still reads row by row is the country's villages (each probed for a cell and a resident
member) and the areas the organizations hold. A commune's report and dashboard read only that
commune's subtree through the path index, so their time depends on the commune's size, not the
country's."""
