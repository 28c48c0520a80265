"""The national statistical report on the national dataset, with DuckDB over Parquet as reference.

Run inside a child process whose DATABASE_URL holds the dataset `coso synth` built:

    DATABASE_URL=... python -m coso.data.bench.national

Times, on a warm database: the standard report of coso/reports/standard.py for the whole tree as
of today and as of the same day five years back (each section timed), and one commune's
dashboard-sized report. Then exports the tables the report reads to Parquet, and has DuckDB
compute the same counts (members by province, by gender, ethnicity, religion, age band,
education, qualification, theory level, tenure, status; organizations by kind) from the files:
the reference for what the hardware can do. The counts are compared, so the reference also
checks the engine. Prints one JSON line.
"""

import calendar
import csv
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coso.settings")
django.setup()

from django.db import connection  # noqa: E402

from coso.measures import engine  # noqa: E402, F401
from coso.people.selectors import AGE_BANDS, years_before  # noqa: E402
from coso.reports import standard  # noqa: E402

EXPORTS = {
    "periods": ("members_memberperiod", ["member_id", "organization_id", "status", "exempted", "valid_from", "valid_to"]),
    "members": ("members_member", ["id", "person_id", "admitted_on"]),
    "persons": ("people_person", ["id", "gender", "ethnicity", "religion", "birth_date", "education", "qualification", "theory_level"]),
    "placements": ("organizations_placement", ["organization_id", "parent_id", "path", "kind", "sector", "valid_from", "valid_to"]),
}


def timed(fn, *args, **kwargs):
    t = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - t


PARTS = {
    "organizations": ["organizations", "organizations_by_sector"],
    "villages": ["villages"],
    "members": ["members"],
    "breakdowns": ["gender", "age", "ethnicity", "religion", "education", "qualification", "theory", "tenure"],
    "changes": ["changes", "ratings"],
}


REPORT_TABLES = [code for codes in PARTS.values() for code in codes]  # the report's 14 tables


def report_timings(organization, on: dt.date) -> dict:
    """The standard report built part by part (each part as standard.build computes it), timed."""
    sections = {}
    total = 0.0
    tables = {}
    for part, codes in PARTS.items():
        report, s = timed(standard.build, organization, on, sections=codes)
        sections[part] = s
        total += s
        tables.update({section.code: t for section, t in report.tables})
    return {"seconds": total, "sections": sections, "tables": tables}


def median_of(fn, n: int = 3) -> float:
    """Median seconds of n calls after one untimed call."""
    fn()
    return statistics.median(timed(fn)[1] for _ in range(n))


def report_dates(today: dt.date) -> dict:
    """The 14 tables of the standard report for the whole country in one build (one subtree shared
    by the sections, as the report page builds it), on five dates of the last ten years: today,
    five and ten years back, a mid-month day, a 29 February (issue #12's targets: ≤ 0.5 s)."""
    leap = next(dt.date(y, 2, 29) for y in range(today.year, today.year - 8, -1) if calendar.isleap(y) and dt.date(y, 2, 29) <= today)
    dates = {"today": today, "five_years_back": years_before(today, 5), "ten_years_back": years_before(today, 10),
             "mid_month": dt.date(today.year - 2, 6, 15), "29_february": leap}
    return {label: {"date": on.isoformat(), "seconds": median_of(lambda on=on: standard.build(None, on, sections=REPORT_TABLES))}
            for label, on in dates.items()}


def provinces_timing(today: dt.date) -> dict:
    """Each province committee's standard report (14 tables) as of today: median of 3 each
    (issue #12's target: ≤ 100 ms); the median over the provinces, the slowest and the fastest."""
    from coso.organizations.models import Kind, Placement

    ids = Placement.objects.on(today).filter(kind=Kind.PROVINCE_COMMITTEE).values_list("organization_id", flat=True)
    samples = sorted(median_of(lambda p=p: standard.build(p, today, sections=REPORT_TABLES)) for p in ids)
    if not samples:
        return {}
    return {"provinces": len(samples), "median_seconds": statistics.median(samples), "slowest_seconds": samples[-3:],
            "fastest_seconds": samples[0]}


def dashboard_timing(organization_id: int, on: dt.date) -> dict:
    """A commune's dashboard as the page assembles it (every figure and chart series; the HTML
    rendering left out), for an administrator's scope: median of 9 after one warm-up."""
    from coso.access.models import Role, User
    from coso.organizations.scope import Scope
    from coso.reports import dashboard

    scope = Scope(User(username="bench", role=Role.ADMIN, is_active=True))
    dashboard.build(organization_id, on, scope, checked=True)
    samples = sorted(timed(dashboard.build, organization_id, on, scope, checked=True)[1] for _ in range(9))
    return {"median_seconds": samples[4], "p90_seconds": samples[8]}


def export(tmp: Path) -> dict:
    """Each table to CSV (PostgreSQL COPY, or the SQLite cursor), then to Parquet with DuckDB."""
    import duckdb

    seconds = {}
    con = duckdb.connect()
    for name, (table, columns) in EXPORTS.items():
        t = time.perf_counter()
        path = tmp / f"{name}.csv"
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor, open(path, "wb") as out:
                with cursor.connection.cursor().copy(f"COPY (SELECT {', '.join(columns)} FROM {table}) TO STDOUT WITH (FORMAT csv, HEADER true)") as copy:
                    for block in copy:
                        out.write(block)
        else:
            with connection.cursor() as cursor, open(path, "w", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(columns)
                cursor.execute(f"SELECT {', '.join(columns)} FROM {table}")
                while rows := cursor.fetchmany(50_000):
                    writer.writerows(rows)
        types = {c: "VARCHAR" for c in columns if c in ("gender", "ethnicity", "religion", "education", "qualification", "theory_level",
                                                         "status", "path", "kind", "sector")}
        con.execute(f"COPY (SELECT * FROM read_csv('{path}', header=true, types={types!r})) TO '{tmp / name}.parquet' (FORMAT parquet)")
        path.unlink()
        seconds[name] = time.perf_counter() - t
    return seconds


def duckdb_report(tmp: Path, on: dt.date) -> tuple[dict, float]:
    """The report's member and organization counts from the Parquet files."""
    import duckdb

    con = duckdb.connect()
    d = on.isoformat()
    p = {n: f"read_parquet('{tmp / n}.parquet')" for n in EXPORTS}
    age = " ".join(
        f"WHEN birth_date > DATE '{years_before(on, (hi + 1) if hi else 200).isoformat()}' THEN '{k}'" for k, (_lo, hi, _l) in AGE_BANDS.items()
    )
    base = (f"SELECT pe.*, m.admitted_on, per.status, per.organization_id FROM {p['periods']} per "
            f"JOIN {p['members']} m ON m.id = per.member_id JOIN {p['persons']} pe ON pe.id = m.person_id "
            f"WHERE per.valid_from <= DATE '{d}' AND (per.valid_to IS NULL OR per.valid_to > DATE '{d}')")
    queries = {
        "gender": "SELECT gender, count(*) FROM base GROUP BY 1",
        "ethnicity": "SELECT ethnicity, count(*) FROM base GROUP BY 1",
        "religion": "SELECT religion, count(*) FROM base GROUP BY 1",
        "education": "SELECT coalesce(education, ''), count(*) FROM base GROUP BY 1",
        "qualification": "SELECT qualification, count(*) FROM base GROUP BY 1",
        "theory": "SELECT theory_level, count(*) FROM base GROUP BY 1",
        "status": "SELECT status, count(*) FROM base GROUP BY 1",
        "age": f"SELECT CASE WHEN birth_date IS NULL THEN '?' WHEN birth_date > DATE '{years_before(on, 18).isoformat()}' THEN '<18' {age} END, count(*) FROM base GROUP BY 1",
        "province": (f"SELECT split_part(pl.path, '/', 2) AS top, count(*) FROM base b JOIN {p['placements']} pl ON pl.organization_id = b.organization_id "
                     f"AND pl.valid_from <= DATE '{d}' AND (pl.valid_to IS NULL OR pl.valid_to > DATE '{d}') GROUP BY 1"),
        "kind": (f"SELECT kind, count(*) FROM {p['placements']} WHERE valid_from <= DATE '{d}' "
                 f"AND (valid_to IS NULL OR valid_to > DATE '{d}') GROUP BY 1"),
    }
    t = time.perf_counter()
    con.execute(f"CREATE TEMP VIEW base AS {base}")
    results = {name: dict(con.execute(sql).fetchall()) for name, sql in queries.items()}
    return results, time.perf_counter() - t


def compare(tables: dict, reference: dict) -> list[str]:
    """Differences between the engine's tables and DuckDB's counts (empty when they agree)."""
    problems = []
    pairs = {"gender": "gender", "ethnicity": "ethnicity", "religion": "religion", "qualification": "qualification",
             "theory": "theory", "age": "age"}
    for section, ref in pairs.items():
        engine_counts = {k: v["members"] for k, _l, v in tables[section].rows if v["members"]}
        duck = {(k if k not in (None, "") else "?"): v for k, v in reference[ref].items()}
        if engine_counts != duck:
            problems.append(f"{section}: engine {engine_counts} != duckdb {duck}")
    members_total = tables["members"].total["members"]
    if members_total != sum(reference["province"].values()):
        problems.append(f"members: engine {members_total} != duckdb {sum(reference['province'].values())}")
    return problems


def main() -> None:
    today = dt.date.today()
    back = years_before(today, 5)
    result = {"vendor": connection.vendor}
    report_timings(None, today)  # warm the caches
    result["dates"] = report_dates(today)
    result["provinces"] = provinces_timing(today)
    for label, on in (("today", today), ("five_years_back", back)):
        r = report_timings(None, on)
        result[label] = {"date": on.isoformat(), "seconds": r["seconds"], "sections": r["sections"]}
        if label == "today":
            today_tables = r["tables"]
    from coso.organizations.models import Kind, Placement

    commune = (Placement.objects.on(today).filter(kind=Kind.COMMUNE_COMMITTEE).order_by("organization_id")
               .values_list("organization_id", flat=True)[100:101])
    if commune:
        org = commune[0]
        report_timings(org, today)
        samples = sorted(report_timings(org, today)["seconds"] for _ in range(5))
        result["commune"] = {"members": engine.count("members", org, on=today), "median_seconds": samples[2]}
        result["dashboard"] = dashboard_timing(org, today)
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        result["export_seconds"] = export(Path(tmp))
        duckdb_report(Path(tmp), today)  # warm
        reference, seconds = duckdb_report(Path(tmp), today)
        result["duckdb_seconds"] = seconds
        result["agreement"] = compare(today_tables, reference)
    import duckdb

    result["duckdb_version"] = duckdb.__version__
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    sys.exit(main())
