"""Benchmark: import 100,000 members from one .xlsx, on SQLite and on PostgreSQL.

    .venv/bin/python -m coso.data.bench.imports            # both databases (PostgreSQL if reachable)
    .venv/bin/python -m coso.data.bench.imports --rows 20000

Not part of the test suite, and it does not write docs/benchmarks.md: it prints the figures
with the machine and the date. Each database runs in a child process on a throwaway database
(a temporary SQLite file; a `coso_imports_bench` PostgreSQL database dropped afterwards).

The file is what an office sends: 100 cells of one province, a title block, real Excel dates
and dates typed as text, some birth years alone, some names in capitals, national IDs and card
numbers. Timed, as the user meets them: reading the layout at upload, the dry run (every row
read and checked), and the writing (the file checked again against the database, then one
transaction). Target (DESIGN.md): 100,000 rows validated and imported within 60 s.
"""

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time

ROWS = 100_000
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/coso_imports_bench")

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE_M = ["Văn", "Hữu", "Đức", "Công", "Quang", "Minh", "Thành", "Ngọc"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Hồng", "Phương"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Hùng", "Khánh", "Long", "Minh", "Nam", "Phúc", "Quân", "Sơn", "Tài", "Thắng", "Tuấn", "Việt"]
GIVEN_F = ["Anh", "Chi", "Dung", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Oanh", "Phượng", "Thảo", "Trang", "Yến"]


def build_file(rows: int, cell_names: list[str | None], start: int = 0) -> bytes:
    """start: added to the row's number in its national ID and card number (distinct files)."""
    import io

    from openpyxl import Workbook

    from coso.data.sheets import TEMPLATE_HEADER

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    ws.append(["ĐẢNG BỘ TỈNH ĐO LƯỜNG"])
    ws.append(["DANH SÁCH ĐẢNG VIÊN"])
    ws.append([])
    ws.append(TEMPLATE_HEADER)
    for i in range(rows):
        female = i % 3 == 0
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=(i * 37) % 18000)
        admitted = dt.date(birth.year + 20 + i % 20, 1 + i % 12, 1 + i % 28)
        admitted = min(admitted, dt.date(2022, 6, 1)) if i % 10 else dt.date(2023, 1 + i % 12, 1 + i % 28)  # every 10th still on probation
        recognized = dt.date(admitted.year + 1, admitted.month, admitted.day) if i % 10 else None
        name = f"{FAMILY[i % 16]} {(MIDDLE_F if female else MIDDLE_M)[i // 16 % 8]} {(GIVEN_F if female else GIVEN_M)[i // 128 % 16]}"
        if i % 50 == 0:
            name = name.upper()
        birth_cell = birth.year if i % 20 == 0 else (birth.strftime("%d/%m/%Y") if i % 2 else birth)
        national_id = f"001{1 if female else 0}{birth.year % 100:02d}{(start + i) % 1_000_000:06d}" if i % 4 else None
        ws.append([
            name, None, "Nữ" if female else "Nam", birth_cell, national_id, "Kinh" if i % 7 else "Tày", "Không" if i % 5 else "Phật giáo",
            "Xã An Phú, huyện Đo Lường", "Thôn 1", "12/12", "Đại học" if i % 3 else "Trung cấp", "Sơ cấp", "Cán bộ", None,
            cell_names[i % len(cell_names)], admitted, recognized, None, f"{start + i:08d}", "Trần Văn Giới, Lê Thị Thiệu",
        ])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def child(rows: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    from coso.access.models import Role, User
    from coso.imports import services, tasks
    from coso.imports.models import ImportJob
    from coso.members.models import Member
    from coso.organizations import services as organizations
    from coso.organizations.models import Kind, Sector

    call_command("migrate", verbosity=0)
    start = dt.date(2020, 1, 1)

    def make(parent, name, kind):
        return organizations.create_organization(actor=None, parent=parent, name=name, kind=kind, sector=Sector.COMMUNE, valid_from=start)

    province = make(None, "Đảng bộ tỉnh Đo lường", Kind.PROVINCE_COMMITTEE)
    cells = []
    for d in range(2):
        district = make(province, f"Đảng bộ huyện {d + 1}", Kind.DISTRICT_COMMITTEE)
        for c in range(5):
            commune = make(district, f"Đảng bộ xã {d + 1}-{c + 1}", Kind.GRASSROOTS_COMMITTEE)
            for k in range(10):
                cells.append(make(commune, f"Chi bộ thôn {d + 1}-{c + 1}-{k + 1}", Kind.SUBORDINATE_CELL))
    staff = User.objects.create_user("bench", password="x" * 12, role=Role.ORG_STAFF, scope=province)
    names = [f"Chi bộ thôn {d + 1}-{c + 1}-{k + 1}" for d in range(2) for c in range(5) for k in range(10)]

    t0 = time.perf_counter()
    content = build_file(rows, names)
    generate = time.perf_counter() - t0
    tasks.SYNC_LIMIT_BYTES = 10**12  # time the steps themselves, in this process
    spent = {"record_members": 0.0}
    original = services.record_members

    def timed_record_members(*args, **kwargs):
        t = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent["record_members"] += time.perf_counter() - t

    services.record_members = timed_record_members

    t0 = time.perf_counter()
    job = services.create_job(actor=staff, organization=province, file_name="bench.xlsx", content=content)
    upload = time.perf_counter() - t0
    t0 = time.perf_counter()
    services.confirm_mapping(actor=staff, job=job, mapping=job.mapping, sheets=[0], on=dt.date(2024, 1, 1))
    validate = time.perf_counter() - t0
    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY and job.report["invalid"] == 0, (job.status, job.message, [p for p in job.report.get("problems", []) if p["level"] == "error"][:5])
    profile_to = os.environ.get("BENCH_PROFILE")  # a path: the write step's cProfile statistics go there
    if profile_to:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    t0 = time.perf_counter()
    services.request_commit(actor=staff, job=job, mode=ImportJob.Mode.ALL)
    commit = time.perf_counter() - t0
    if profile_to:
        profiler.disable()
        from django.db import connection

        profiler.dump_stats(f"{profile_to}.{connection.vendor}")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, (job.status, job.message)
    assert Member.objects.count() == rows
    return {"rows": rows, "file_mb": round(len(content) / 1e6, 1), "generate": generate, "upload": upload, "validate": validate,
            "commit": commit, "record_members": spent["record_members"], "total": upload + validate + commit,
            "warnings": job.report["warning_count"]}


def _pg(action: str) -> bool:
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(PG_URL)
    try:
        with psycopg.connect(host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"], dbname="postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{cfg["NAME"]}"')
            if action == "create":
                conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')
        return True
    except Exception as exc:  # noqa: BLE001 - report and go on with SQLite
        print(f"PostgreSQL unavailable: {exc}", file=sys.stderr)
        return False


def run(database_url: str, rows: int) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "coso.settings"}
    out = subprocess.run([sys.executable, "-m", "coso.data.bench.imports", "--child", "--rows", str(rows)], env=env, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        print(out.stdout, out.stderr, file=sys.stderr)
        raise SystemExit(f"benchmark failed on {database_url.split(':')[0]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.rows)))
        return
    from coso.data.bench.doc import machine

    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        results["SQLite"] = run(f"sqlite:///{tmp}/bench.sqlite3", args.rows)
    if not args.sqlite_only and _pg("create"):
        try:
            results["PostgreSQL"] = run(PG_URL, args.rows)
        finally:
            _pg("drop")
    first = next(iter(results.values()))
    print(f"Import of {first['rows']:,} members from one .xlsx ({first['file_mb']} MB), {dt.date.today():%d/%m/%Y}, {machine()}")
    print("| database | upload (layout) s | dry run s | write s | of which members.bulk.record_members s | total s |")
    print("|---|---|---|---|---|---|")
    for db, r in results.items():
        print(f"| {db} | {r['upload']:.1f} | {r['validate']:.1f} | {r['commit']:.1f} | {r['record_members']:.1f} | {r['total']:.1f} |")


if __name__ == "__main__":
    main()
