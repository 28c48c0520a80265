"""Child process of `make bench` (BENCH_ONLY=inspection): a district's inspection report for a year
at national density (issue 15: ≤ 500 ms).

One province is built alone by `coso synth` at national density (`world.build(provinces=…)`: as
many members per commune as the national dataset, ten years of events): by default the province
with the fewest 2025 communes, to keep the build short (BENCH_INSPECTION_PROVINCE names another);
a district's report reads only its own subtree's records through the (organization, date)
indexes, so its cost follows the district, not the province. `coso synth --kiem-tra 2023,2024`
then writes two years of inspection work at its rates (coso/data/synth/inspection.py), the year
before being the report's comparison. Timed with the test client (server time inside Django, no
network), one warm-up then REPEATS requests: the report page of the province's largest legacy
district for 2024 (every section with the same period of 2023), and the engine's sections alone.

BENCH_REUSE_DB=1 times on the database DATABASE_URL names as it is. Prints one JSON line.
"""

import datetime as dt
import json
import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coso.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from coso.access.models import Role, User  # noqa: E402
from coso.data.synth import builder as synth  # noqa: E402
from coso.data.synth import inspection as synth_inspection  # noqa: E402
from coso.data.synth import world  # noqa: E402
from coso.inspection import exports  # noqa: E402
from coso.inspection.models import Case, Discipline, Intake  # noqa: E402
from coso.lib import sqlite  # noqa: E402
from coso.members.models import MemberPeriod  # noqa: E402
from coso.organizations.models import Kind, Organization, Placement  # noqa: E402
from coso.organizations.scope import Scope  # noqa: E402
from coso.places.models import AdminUnit, Generation, Level  # noqa: E402

REPEATS = int(os.environ.get("BENCH_REPEATS", "10"))
YEAR = 2024
ON = dt.date(YEAR, 12, 31)
TITLE = "### Inspection: a district's report for a year (issue #15)"


def smallest_province() -> str:
    row = (AdminUnit.objects.filter(generation=Generation.CURRENT, level=Level.COMMUNE).values("parent__code")
           .annotate(n=Count("id")).order_by("n", "parent__code").first())
    return row["parent__code"]


def stats(samples: list[float], cpu: list[float], queries: int) -> dict:
    samples = sorted(samples)
    return {"median": statistics.median(samples), "p95": samples[max(0, int(round(0.95 * len(samples))) - 1)],
            "cpu_median": statistics.median(cpu), "queries": queries}


def to_national_size(district: set) -> int:
    """Fill the inspection tables to the country's size: the province's cases, disciplinary
    decisions and intakes outside the district, copied as many times as the country has members
    for each of the province's (5.6 million / its members), with the same dates, each copy onto
    organizations of its own (bare organizations, in no placement: the rest of the country), so
    that every organization keeps the province's density of records. (Copies piled onto the
    province's own organizations gave each of them 90 times its records: PostgreSQL's planner then
    priced a district's 721 index probes above a scan of the whole table.) The district's own
    records are untouched, so its report's figures stay the same; what grows is everything its
    queries must not read. Returns the copies factor."""
    on_members = MemberPeriod.objects.on(ON).count()
    factor = max(1, round(synth.FULL_MEMBERS / max(on_members, 1)) - 1)
    sources = {}
    for model, cleared in ((Case, ("plan_item",)), (Discipline, ("case", "member_event", "restructuring")), (Intake, ("case",))):
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        sources[model] = (fields, cleared, list(model.objects.exclude(organization_id__in=district).values(*(f.attname for f in fields))))
    others = sorted({row["organization_id"] for _f, _c, source in sources.values() for row in source})
    for k in range(factor):
        created = Organization.objects.bulk_create([Organization(code=f"QG{k:03d}-{i:06d}") for i in range(len(others))], batch_size=5000)
        twin = {old: new.pk for old, new in zip(others, created, strict=True)}
        for model, (_fields, cleared, source) in sources.items():
            copies = []
            for row in source:
                row = {**row, "organization_id": twin[row["organization_id"]]}
                for name in cleared:
                    row[f"{name}_id"] = None
                copies.append(model(**row))
            model.objects.bulk_create(copies, batch_size=5000)
    # what autovacuum does after a bulk write, at once: the planner's statistics (and on PostgreSQL
    # the visibility map) before the timings
    with connection.cursor() as cursor:
        for model in (Organization, Case, Discipline, Intake) if sqlite.may_analyze(connection) else ():
            cursor.execute(f"{'VACUUM (ANALYZE)' if connection.vendor == 'postgresql' else 'ANALYZE'} {model._meta.db_table}")
    return factor + 1


def timed(fn) -> dict:
    fn()  # warm-up
    queries = []
    with connection.execute_wrapper(lambda execute, sql, params, many, context: queries.append(sql) or execute(sql, params, many, context)):
        fn()
    samples, cpu = [], []
    for _ in range(REPEATS):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return stats(samples, cpu, len(queries))


def main() -> None:
    setup_test_environment()
    built = {}
    if not os.environ.get("BENCH_REUSE_DB"):
        call_command("migrate", verbosity=0)
        call_command("places", "load", verbosity=0)
        t0 = time.perf_counter()
        province_code = os.environ.get("BENCH_INSPECTION_PROVINCE") or smallest_province()
        world.build(seed=1, scale=float(os.environ.get("BENCH_SYNTH_SCALE", "1")), provinces=(province_code,),
                    workers=int(os.environ.get("BENCH_SYNTH_WORKERS", "1")), say=lambda *a: None)
        built["synth_seconds"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        for year in (YEAR - 1, YEAR):
            synth_inspection.build_year(year, seed=1, say=lambda *a: None)
        built["inspection_seconds"] = time.perf_counter() - t0
    districts = Placement.objects.on(ON).filter(kind=Kind.DISTRICT_COMMITTEE, organization__code__startswith=synth.CODE_PREFIX)
    district = max(districts, key=lambda d: Placement.objects.under(d.path, on=ON).count())
    under = Placement.objects.under(district.path, on=ON).values("organization_id")
    if not os.environ.get("BENCH_REUSE_DB"):
        t0 = time.perf_counter()
        built["national_copies"] = to_national_size(set(under.values_list("organization_id", flat=True)))
        built["copy_seconds"] = time.perf_counter() - t0
    size = {
        "organizations": under.count(),
        "cases": Case.objects.filter(organization_id__in=under, decided_on__year=YEAR).count(),
        "disciplines": Discipline.objects.filter(organization_id__in=under, decided_on__year=YEAR).count(),
        "intakes": Intake.objects.filter(organization_id__in=under, received_on__year=YEAR).count(),
        "cases_all": Case.objects.count(), "disciplines_all": Discipline.objects.count(), "intakes_all": Intake.objects.count(),
    }
    admin = User.objects.filter(username="bench-inspection").first() or User.objects.create_user(
        "bench-inspection", password="x" * 12, role=Role.ADMIN)
    client = Client()
    client.force_login(admin)
    url = f"/kiem-tra/bao-cao/?to_chuc={district.organization_id}&ky=year&nam={YEAR}"

    def page():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    scope = Scope(admin)
    period = exports.period_of("year", YEAR)
    print(json.dumps({
        "district": district.name, "size": size, "repeats": REPEATS, **built,
        "page": timed(page), "engine": timed(lambda: exports.report(district.organization, period, scope)),
        "load": os.getloadavg()[0],
    }, default=str))


def section(results: dict, machine: str, on: str) -> str:
    first = next(iter(results.values()))
    s = first["size"]
    n = lambda v: f"{v:,}".replace(",", ".")  # noqa: E731
    ms = lambda t: f"{t['median']:.0f} / {t['p95']:.0f} ({t['queries']} queries, CPU {t['cpu_median']:.0f})"  # noqa: E731
    lines = [
        TITLE, "",
        f"Measured {on} on {machine}. `coso synth --seed 1` builds one province at national density, then "
        f"`--kiem-tra 2023,2024` two years of inspection work at its rates (coso/data/synth/inspection.py). The report of "
        f"its largest legacy district, {first['district']} ({n(s['organizations'])} organizations; in 2024 {n(s['cases'])} cases, "
        f"{n(s['disciplines'])} disciplinary decisions, {n(s['intakes'])} denunciations and complaints), for the year 2024 with 2023 beside it. Server time inside Django (test client), one warm-up then "
        f"{first['repeats']} requests; median / p95 in milliseconds, the statements of one request and the median CPU time of the "
        "process. Target ≤ 500 ms. "
        + (f"The tables are then filled to the country's size: the province's records outside the district copied "
           f"{first['national_copies']} times, each copy onto organizations of its own (the rest of the country at the province's density), "
           "as many times as the country's members are the province's "
           f"({n(s['cases_all'])} cases, {n(s['disciplines_all'])} disciplinary decisions, {n(s.get('intakes_all', 0))} intakes in "
           "the database; the district's own records untouched)." if first.get("national_copies") else
           f"{n(s['cases_all'])} cases in the database (one province's)."),
        "",
        "| what | " + " | ".join(results) + " |",
        "|---|" + "---|" * len(results),
        "| the report page (`/kiem-tra/bao-cao/`, 11 sections) | " + " | ".join(ms(r["page"]) for r in results.values()) + " |",
        "| the sections alone (measure engine) | " + " | ".join(ms(r["engine"]) for r in results.values()) + " |",
        "",
        "Building: " + "; ".join(
            f"{db} the province {r['synth_seconds'] / 60:.1f} min, two years of inspection work {r['inspection_seconds']:.0f} s"
            + (f", the copies to the country's size {r['copy_seconds']:.0f} s" if r.get("copy_seconds") else "")
            if r.get("synth_seconds") else f"{db} built earlier" for db, r in results.items())
        + "; load average while timing: " + ", ".join(f"{db} {r['load']:.1f}" for db, r in results.items()) + ".",
    ]
    return "\n".join(lines) + "\n"


def write(results: dict, reading: str = "") -> None:
    """Replace the section of docs/benchmarks.md (`python -m coso.data.bench.inspection write sqlite.json pg.json`)."""
    from coso.data.bench.doc import DOC, HEADER, machine, replace_section

    text = section(results, machine(), dt.date.today().strftime("%d/%m/%Y"))
    replace_section(DOC, HEADER, TITLE, text + (f"\n{reading}\n" if reading else ""))


if __name__ == "__main__":
    import sys

    from coso.data.bench.doc import main_or_write

    main_or_write(main, write, sys.argv)
