"""Child process of `make bench` (BENCH_ONLY=activities): the targets of issue #16.

- a tap marking attendance in a cell of 40 members (≤ 100 ms server time) and the cell
  secretary's page (≤ 150 ms), through the test client (server time, no network);
- a commune's meeting, attendance and dues figures for a year (≤ 200 ms) and a province's meeting
  figures for a year (≤ 1 s), through the measure engine.

The tree is the tree benchmark's province (coso/data/bench/tree.py: 30 districts, 600 communes,
4,369 cells). Its first commune gets 7 cells of 40 members recorded through the services, with a
year of meetings (regular and thematic), attendance marks and dues, also through the services;
every other cell of the province gets its year of meetings (12 regular, 4 thematic) with their
attendance counts, written in bulk as `coso synth` would. A province of this size holds about
70,000 meetings a year; the national figure (3.6 million) is 50 times that and is not built here:
the commune's and province's queries read their subtree's meetings through the (organization,
held_on) index, so their cost follows the subtree, not the table.
"""

import datetime as dt
import json
import os
import random
import statistics
import time

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from coso.access.models import Role, User  # noqa: E402
from coso.activities import services  # noqa: E402
from coso.activities.models import DuesPayment, Mark, Meeting, MeetingKind  # noqa: E402
from coso.data.bench.tree import build as build_tree  # noqa: E402
from coso.measures import engine  # noqa: E402
from coso.members import lifecycle  # noqa: E402
from coso.members import services as member_services  # noqa: E402
from coso.members.models import Member  # noqa: E402
from coso.members.models import Status as MemberStatus  # noqa: E402
from coso.organizations.models import Kind, Placement  # noqa: E402
from coso.people.models import Person  # noqa: E402
from coso.people.services import create_person  # noqa: E402

YEAR = 2024
REPEATS = 20
CELL_SIZE = 40
HTMX = {"HTTP_HX_REQUEST": "true"}
COMMUNE_MEASURES = ["meetings.held", "meetings.regular", "meetings.thematic", "meetings.point_person", "attendance.present",
                    "attendance.expected", "absences.unexcused", "absences.excused", "dues.due", "dues.paid", "dues.owed"]
PROVINCE_MEASURES = ["meetings.held", "meetings.regular", "meetings.thematic", "meetings.point_person", "attendance.present",
                     "attendance.expected"]
PROVINCE_DUES = ["dues.due", "dues.paid", "dues.owed"]
D = dt.date


def stats(samples: list[float]) -> dict:
    samples = sorted(samples)
    return {"median": statistics.median(samples), "p95": samples[max(0, int(len(samples) * 0.95) - 1)]}


def timed(fn) -> dict:
    """Wall time (median, p95), this process's CPU time (median: all the work on SQLite, Django's
    part on PostgreSQL; steadier than the wall time on a loaded machine) and the statements of one run."""
    fn()  # warm-up
    samples, cpu = [], []
    with CaptureQueriesContext(connection) as queries:
        fn()
    for _ in range(REPEATS):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return {**stats(samples), "cpu_median": statistics.median(cpu), "statements": len(queries.captured_queries)}


def commune_year(commune) -> dict:
    """7 cells of 40 members through the services, a year of meetings with marks, dues each month."""
    r = random.Random(16)
    cells = list(Placement.objects.on(D(YEAR, 6, 1)).filter(parent_id=commune.pk).values_list("organization_id", flat=True))
    organization = {o.pk: o for o in type(commune).objects.filter(pk__in=cells)}
    rolls = {}
    for cell_id in cells:
        roll = []
        for i in range(CELL_SIZE):
            person = create_person(actor=None, full_name=f"Đảng viên {cell_id}-{i:02d}", gender="M" if i % 2 else "F",
                                   birth_date=D(1960 + i % 40, 1 + i % 12, 1 + i % 28))
            admitted = D(2000 + i % 20, 3, 1)
            roll.append(member_services.record_existing_member(actor=None, person=person, organization=organization[cell_id], on=D(2021, 1, 2),
                                                               admitted_on=admitted, recognized_on=lifecycle.add_months(admitted, 12)))
        rolls[cell_id] = roll
        for m in roll:
            services.set_dues_profile(actor=None, member=m, valid_from=D(YEAR, 1, 1), income_kind="other")
    meetings = {}
    for cell_id, roll in rolls.items():
        for month in range(1, 13):
            meeting = services.record_meeting(actor=None, organization=organization[cell_id], held_on=D(YEAR, month, 5))
            marks = {m.pk: (r.choice([Mark.UNEXCUSED, Mark.EXCUSED, Mark.ON_DUTY]), "Ốm") for m in r.sample(roll, 3)}
            services.record_marks(actor=None, meeting=meeting, marks=marks)
            meetings[(cell_id, month)] = meeting
            for m in roll:
                paid = r.random() > 0.05
                services.record_dues(actor=None, organization=organization[cell_id], member_id=m.pk, month=D(YEAR, month, 1), paid=paid,
                                     reason="" if paid else "Đi làm xa", meeting=meeting)
            if month % 3 == 0:
                services.record_meeting(actor=None, organization=organization[cell_id], held_on=D(YEAR, month, 20), kind=MeetingKind.THEMATIC)
    return {"cells": cells, "rolls": rolls, "meetings": meetings}


def province_meetings(province, skip: set) -> tuple[int, int]:
    """A year of meetings for every other cell of the province, with their attendance counts, and a
    year of dues of each of its members, in bulk: (meetings, dues rows)."""
    r = random.Random(1)
    cells = list(Placement.objects.under(province, on=D(YEAR, 6, 1)).filter(kind__in=[Kind.SUBORDINATE_CELL, Kind.GRASSROOTS_CELL])
                 .exclude(organization_id__in=skip).values_list("organization_id", flat=True))
    rosters = {cell_id: r.randint(8, 60) for cell_id in cells}
    rows = []
    for cell_id in cells:
        roster = rosters[cell_id]
        for month in range(1, 13):
            kinds = [(MeetingKind.REGULAR, 5)] + ([(MeetingKind.THEMATIC, 20)] if month % 3 == 0 else [])
            for kind, day in kinds:
                exempted = r.randint(0, 3)
                absent = r.randint(0, 4)
                rows.append(Meeting(organization_id=cell_id, kind=kind, counts_for=D(YEAR, month, 1), held_on=D(YEAR, month, day),
                                    roster_count=roster, present_count=roster - exempted - absent, excused_count=absent,
                                    exempted_count=exempted, superior_attendee_name="Cấp ủy viên" if month % 3 == 1 else ""))
    Meeting.objects.bulk_create(rows, batch_size=5000)
    return len(rows), province_dues(rosters, r)


def province_dues(rosters: dict, r: random.Random) -> int:
    """The members of the province's other cells (as many as each cell's roster) and their dues of
    each month of the year, 5 % unpaid: about 1.8 million rows for the tree benchmark's province,
    which is what a province of the national dataset records in a year (5.6 million members / 34
    provinces × 12 months is 2 million). Written in bulk, a cell at a time; the members carry no
    periods (the dues figures read the payments' own organization and month, not the periods)."""
    written = 0
    for cell_id, roster in rosters.items():
        people = Person.objects.bulk_create([
            Person(full_name=f"Đảng viên {cell_id}-{i}", name_folded=f"dang vien {cell_id}-{i}", name_sort=f"{cell_id}-{i}",
                   gender="M" if i % 2 else "F") for i in range(roster)])
        members = Member.objects.bulk_create([Member(person=p, status=MemberStatus.OFFICIAL, organization_id=cell_id) for p in people])
        payments = []
        for m in members:
            due = r.choice([3000, 5000, 20000, 45000])
            for month in range(1, 13):
                paid = 0 if r.random() < 0.05 else due
                payments.append(DuesPayment(member_id=m.pk, organization_id=cell_id, month=D(YEAR, month, 1), due=due, paid=paid,
                                            reason="" if paid else "Đi làm xa"))
        DuesPayment.objects.bulk_create(payments, batch_size=5000)
        written += len(payments)
    return written


# a year of the national dataset: 5.6 million members' dues each month (about 67 million rows) and
# 3.6 million meetings; the province written above is a 37th and a 50th of that
NATIONAL_DUES_ROWS = 67_000_000
NATIONAL_MEETINGS = 3_600_000


def _shifted(column: str, years: int) -> str:
    """SQL: the date column moved `years` years back (29 February is not among the bench's dates)."""
    if connection.vendor == "postgresql":
        return f"({column} - interval '{years} years')::date"
    return f"date({column}, '-{years} years')"


def _copy_back(model, date_columns: tuple, copies: int, where: str) -> int:
    """INSERT … SELECT of the year's rows (`where`) into each of `copies` earlier years: rows in the
    same organizations' indexes that a figure of YEAR must step over. Returns the rows written."""
    table = model._meta.db_table
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    written = 0
    with connection.cursor() as cursor:
        for k in range(1, copies + 1):
            select = ", ".join(_shifted(c, k) if c in date_columns else c for c in columns)
            cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select} FROM {table} WHERE {where}")
            written += cursor.rowcount
    return written


def to_national_size() -> dict:
    """Fill the meetings and dues tables to a national year's size with earlier years of the same
    organizations and members (the unique (member, month) of the dues allows no other way without
    a second country of members): what the province's figures of YEAR read is untouched, what grows
    is everything the (organization, date) indexes must step over. Then the statistics again."""
    year = f"'{YEAR}-01-01'"
    dues = DuesPayment.objects.count()
    meetings = Meeting.objects.count()
    t0 = time.perf_counter()
    written = {
        "dues": _copy_back(DuesPayment, ("month", "paid_on"), max(0, round(NATIONAL_DUES_ROWS / dues) - 1),
                           f"month >= {year}"),
        "meetings": _copy_back(Meeting, ("held_on", "counts_for"), max(0, round(NATIONAL_MEETINGS / meetings) - 1),
                               f"held_on >= {year}"),
    }
    vacuum()
    return {**written, "seconds": time.perf_counter() - t0, "dues_rows": DuesPayment.objects.count(),
            "meetings": Meeting.objects.count()}


def vacuum() -> None:
    """What autovacuum does to tables after a bulk write, done at once: statistics for the planner
    and, on PostgreSQL, the visibility map an index-only scan needs (without them a province's dues
    ran a sort spilled to disk and 1.8 million heap fetches: 8.6 s instead of 1.4 s at load 15)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in ("activities_meeting", "activities_duespayment", "members_member", "people_person", "organizations_placement"):
                cursor.execute(f"VACUUM (ANALYZE) {table}")
        else:
            cursor.execute("ANALYZE")


def figures(commune_id: int, province_id: int, year: tuple) -> dict:
    """The engine's figures of a year timed: a commune's by cell, a province's meetings and dues by district."""
    return {
        "a commune's meetings, attendance and dues of a year, by cell (engine)":
            timed(lambda: engine.table(COMMUNE_MEASURES, commune_id, by="child", period=year)),
        "a province's meetings and attendance of a year, by district (engine)":
            timed(lambda: engine.table(PROVINCE_MEASURES, province_id, by="child", period=year)),
        "a province's party dues of a year (due, paid, owed), by district (engine)":
            timed(lambda: engine.table(PROVINCE_DUES, province_id, by="child", period=year)),
    }


def main() -> None:
    call_command("migrate", verbosity=0)
    setup_test_environment()
    t0 = time.perf_counter()
    tree = build_tree()
    tree_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    commune = tree["committee"]
    world = commune_year(commune)
    commune_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    bulk, bulk_dues = province_meetings(tree["province"], set(world["cells"]))
    bulk_seconds = time.perf_counter() - t0
    call_command("migrate", verbosity=0)  # nothing to do; keeps the connection warm after the bulk write
    vacuum()

    cell_id = world["cells"][0]
    roll = world["rolls"][cell_id]
    secretary = User.objects.create_user("bench_bithu", password="x" * 12, role=Role.CELL_SECRETARY,
                                         scope=type(commune).objects.get(pk=cell_id))
    client = Client()
    client.force_login(secretary)
    december = world["meetings"][(cell_id, 12)]
    tap_url = reverse("activities:mark", args=[december.pk])
    marks = [Mark.UNEXCUSED, Mark.EXCUSED, Mark.ON_DUTY, Mark.PRESENT]
    state = {"i": 0}

    def tap():
        i = state["i"]
        state["i"] += 1
        response = client.post(tap_url, {"member": roll[i % CELL_SIZE].pk, "mark": marks[i % 4], "reason": "Ốm"}, **HTMX)
        assert response.status_code == 200, response.status_code

    def page():
        response = client.get(reverse("activities:cell", args=[cell_id]), {"ngay": "10/12/2024"})
        assert response.status_code == 200, response.status_code

    year = (D(YEAR, 1, 1), D(YEAR, 12, 31))
    load_before = os.getloadavg()[0]
    timings = {
        "tap: one attendance mark, cell of 40 members (htmx)": timed(tap),
        "the cell secretary's page, cell of 40 members": timed(page),
        **figures(commune.pk, tree["province"].pk, year),
    }
    load = [load_before, os.getloadavg()[0]]
    # the figures as they stand after the taps (which changed the December meeting's marks)
    commune_table = engine.table(COMMUNE_MEASURES, commune.pk, by="child", period=year)
    province_table = engine.table(PROVINCE_MEASURES, tree["province"].pk, by="child", period=year)
    province_dues_table = engine.table(PROVINCE_DUES, tree["province"].pk, by="child", period=year)
    national = {}
    if os.environ.get("BENCH_ACTIVITIES_NATIONAL", "1") != "0":
        national = to_national_size()
        national["load"] = [os.getloadavg()[0]]
        national["timings"] = figures(commune.pk, tree["province"].pk, year)
        national["load"].append(os.getloadavg()[0])
        # the same figures as before the copies: they read only the year's rows
        assert engine.table(PROVINCE_DUES, tree["province"].pk, by="child", period=year).total == province_dues_table.total
        assert engine.table(PROVINCE_MEASURES, tree["province"].pk, by="child", period=year).total == province_table.total
    print(json.dumps({
        "organizations": tree["count"], "load": load, "meetings": Meeting.objects.count(), "bulk_meetings": bulk, "repeats": REPEATS,
        "commune_meetings": commune_table.total["meetings.held"], "commune_dues_due": commune_table.total["dues.due"],
        "province_meetings": province_table.total["meetings.held"], "dues_rows": DuesPayment.objects.count(),
        "bulk_dues": bulk_dues, "province_dues_due": province_dues_table.total["dues.due"],
        "build_seconds": {"tree": tree_seconds, "commune": commune_seconds, "bulk": bulk_seconds}, "timings": timings,
        "national": national}))


if __name__ == "__main__":
    main()
