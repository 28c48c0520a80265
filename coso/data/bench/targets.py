"""Child process of `make bench` (BENCH_ONLY=targets): a document's targets dashboard and the
cascade over a province's communes, on one province built by `coso synth` at national density.

The province with the most communes is built alone (`world.build(provinces=…)`: as many members per
commune as the national dataset, ten years of events), then through the services
(coso/data/synth/documents.py) its largest legacy district committee gets its 2020–2025 congress
resolution with 25 targets, and the 2025 province committee a resolution whose two targets every
commune committee carries out. Timed with the test client (server time inside Django, no
network), one warm-up then REPEATS requests:

- the district resolution's dashboard on 31/12/2024 (target ≤ 300 ms): each target one engine call
  on the district's subtree, shared by all;
- the cascade of each province target on 31/12/2025 (target ≤ 1 s): one engine call broken down
  by commune.

Queries are counted on one request of each page (they must not grow with the organizations).
BENCH_REUSE_DB=1 times on the database DATABASE_URL names as it is (built by an earlier run).
Prints one JSON line.
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
from coso.data.synth import documents, world  # noqa: E402
from coso.organizations.models import Kind, Placement  # noqa: E402
from coso.places.models import AdminUnit, Generation, Level  # noqa: E402
from coso.resolutions.models import Document  # noqa: E402

REPEATS = int(os.environ.get("BENCH_REPEATS", "10"))
DASHBOARD_ON, CASCADE_ON = "31/12/2024", "31/12/2025"
LEGACY_ON, NEW_ON = dt.date(2024, 12, 31), dt.date(2025, 12, 31)


def largest_province() -> str:
    row = (AdminUnit.objects.filter(generation=Generation.CURRENT, level=Level.COMMUNE).values("parent__code")
           .annotate(n=Count("id")).order_by("-n", "parent__code").first())
    return row["parent__code"]


def timed(client: Client, url: str) -> dict:
    response = client.get(url)  # warm-up
    assert response.status_code == 200, (url, response.status_code)
    queries = []  # counted by a wrapper: the test client's request_started signal empties connection.queries
    with connection.execute_wrapper(lambda execute, sql, params, many, context: queries.append(sql) or execute(sql, params, many, context)):
        client.get(url)
    samples, cpu = [], []
    for _ in range(REPEATS):
        t0, c0 = time.perf_counter(), time.process_time()
        response = client.get(url)
        samples.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)  # this process's CPU: all the work on SQLite, Django's part on PostgreSQL
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    return {"median": statistics.median(samples), "p95": samples[max(0, int(round(0.95 * len(samples))) - 1)], "max": samples[-1],
            "queries": len(queries), "cpu_median": statistics.median(cpu)}


def subtree_size(organization_id: int, on: dt.date) -> dict:
    from coso.measures import engine

    table = engine.table(["members", "orgs.grassroots", "orgs.cells"], organization_id, on=on)
    return {"organizations": Placement.objects.under(organization_id, on=on).count(), **table.total}


def main() -> None:
    setup_test_environment()
    t0 = time.perf_counter()
    if os.environ.get("BENCH_REUSE_DB"):
        synth_seconds = None
    else:
        call_command("migrate", verbosity=0)
        call_command("places", "load", verbosity=0)
        world.build(seed=1, scale=float(os.environ.get("BENCH_SYNTH_SCALE", "1")), provinces=(largest_province(),), workers=int(os.environ.get("BENCH_SYNTH_WORKERS", "1")),
                    say=lambda *a: None)
        synth_seconds = time.perf_counter() - t0
    commune = Placement.objects.on(NEW_ON).filter(kind=Kind.COMMUNE_COMMITTEE).first()  # the one province built has them all
    province = Placement.objects.on(NEW_ON).select_related("organization").get(organization_id=commune.parent_id)
    districts = Placement.objects.on(LEGACY_ON).filter(kind=Kind.DISTRICT_COMMITTEE).select_related("organization")
    district = max(districts, key=lambda d: Placement.objects.under(d.path, on=LEGACY_ON).count())
    t1 = time.perf_counter()
    if not Document.objects.filter(organization_id=district.organization_id).exists():
        district_doc = documents.district_resolution(district.organization)
        province_doc = documents.province_resolution(province.organization)
    else:
        district_doc = Document.objects.get(organization_id=district.organization_id)
        province_doc = Document.objects.get(organization_id=province.organization_id)
    register_seconds = time.perf_counter() - t1
    admin = User.objects.filter(username="bench-targets").first() or User.objects.create_user(
        "bench-targets", password="x" * 12, role=Role.ADMIN)
    staff = User.objects.filter(username="bench-province").first() or User.objects.create_user(
        "bench-province", password="x" * 12, role=Role.ORG_STAFF, scope=province.organization)
    client = Client()
    client.force_login(admin)
    dashboard = timed(client, f"/chi-tieu/van-ban/{district_doc.pk}/?ngay={DASHBOARD_ON}")
    client.force_login(staff)
    cascades = {}
    for target in province_doc.targets.order_by("order"):
        cascades[target.numerator] = timed(client, f"/chi-tieu/{target.pk}/cap-duoi/?ngay={CASCADE_ON}")
    communes = Placement.objects.on(NEW_ON).filter(parent_id=province.organization_id).count()
    print(json.dumps({
        "province": province.name, "communes": communes, "province_size": subtree_size(province.organization_id, NEW_ON),
        "district": district.name, "district_size": subtree_size(district.organization_id, LEGACY_ON),
        "targets": district_doc.targets.count(), "synth_seconds": synth_seconds, "register_seconds": register_seconds,
        "repeats": REPEATS, "dashboard": dashboard, "cascades": cascades, "load": os.getloadavg()[0],
    }, default=str))


TITLE = "### Targets: a document's dashboard and the cascade over a province"


def _ms(t: dict) -> str:
    cpu = f", CPU {t['cpu_median']:.0f}" if "cpu_median" in t else ""
    return f"{t['median']:.0f} / {t['p95']:.0f} ({t['queries']} queries{cpu})"


def section(results: dict, machine: str, on: str) -> str:
    """The docs/benchmarks.md section from {database: the JSON line main printed}."""
    first = next(iter(results.values()))
    p, d = first["province_size"], first["district_size"]
    n = lambda v: f"{v:,}".replace(",", ".")  # noqa: E731
    dbs = list(results)
    lines = [
        TITLE, "",
        f"Measured {on} on {machine}. `coso synth --seed 1` builds one province at national density: {first['province']} "
        f"({first['communes']} commune committees, {n(p['members'])} members on 31/12/2025, {n(p['organizations'])} organizations, "
        f"ten years of events); coso/data/synth/documents.py registers through the services the congress resolution of its largest "
        f"district, {first['district']} ({n(d['members'])} members and {n(d['organizations'])} organizations on 31/12/2024), with "
        f"{first['targets']} targets, and a province resolution whose two targets every commune committee carries out. Server time "
        f"inside Django (test client), one warm-up then {first['repeats']} requests; median / p95 in milliseconds, the "
        "statements of one request and the median CPU time of the process (on SQLite all the work, the database included; "
        "on PostgreSQL Django's part only).",
        "",
        "| page (target) | " + " | ".join(dbs) + " |",
        "|---|" + "---|" * len(dbs),
        f"| dashboard of the district resolution, {first['targets']} targets, 31/12/2024 (≤ 300 ms) | "
        + " | ".join(_ms(r["dashboard"]) for r in results.values()) + " |",
    ]
    for measure in first["cascades"]:
        lines.append(f"| cascade of `{measure}` over the {first['communes']} communes, 31/12/2025 (≤ 1 s) | "
                     + " | ".join(_ms(r["cascades"][measure]) for r in results.values()) + " |")
    lines += ["", "Building the province: " + ", ".join(
        f"{db} {r['synth_seconds'] / 60:.1f} min" if r["synth_seconds"] else f"{db} built earlier" for db, r in results.items())
        + "; load average while timing: " + ", ".join(f"{db} {r['load']:.1f}" for db, r in results.items()) + "."]
    return "\n".join(lines) + "\n"


def write(results: dict, reading: str = "") -> None:
    """Replace the section of docs/benchmarks.md (`python -m coso.data.bench.targets write sqlite.json pg.json`)."""
    from coso.data.bench.doc import DOC, HEADER, machine, replace_section

    text = section(results, machine(), dt.date.today().strftime("%d/%m/%Y"))
    replace_section(DOC, HEADER, TITLE, text + (f"\n{reading}\n" if reading else ""))


if __name__ == "__main__":
    import sys

    from coso.data.bench.doc import main_or_write

    main_or_write(main, write, sys.argv)
