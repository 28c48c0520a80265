"""The commune's political system at national scale, for `coso synth` (issue #13, point 8).

After the members, for every 2025 commune of the dataset, deterministically from (seed, commune):

- its villages and residential groups (about 30 a commune: about 100,000 in the country), the
  first ones seat the commune's village cells (a village cell's members live in its village), the
  members of its other cells live in the others;
- the bodies of the model in force on 01/07/2025 (grassroots.config.standard_kinds, with the
  People's Council boards and the People's Committee departments of NAMED_CHILDREN), and in each
  village its self-management, Front work board, security team and, where it has one, its cell;
- posts from 01/07/2025: the party committee and its standing committee, inspection commission,
  boards, the People's Council (chair often the secretary), the People's Committee, the Front and
  the four associations from the members of the commune's agency cells; in each village its head
  (a party member in about half the villages, the cell secretary in about a third), deputy,
  militia leader, Front board, security team, and the cell's secretary, deputy and committee
  member from its members. Holders who are not party members are new persons living in the village;
- cadres, civil servants and public employees (staffing) with quotas, about one in twelve
  leaving by streamlining on 01/10/2025 (NĐ 178/2024 as amended by 67/2025);
- two courses a commune (trung cấp at the provincial school in 2023-2024, sơ cấp at the commune's
  political centre in 2025) with enrolments of post holders, most completed with a certificate.

About 1.4 million posts and 0.8 million new persons at scale 1. Rows are written as plain tuples
(executemany on SQLite, COPY on PostgreSQL) like the rest of synth; no single-holder title has
two holders on any day (the tests check it), since each seat is filled once.
"""

import datetime as dt
import random
import time

from coso.grassroots import config
from coso.lib import dated, sqlite
from coso.lib.text import fold

from .builder import (
    EDUCATION_NEW,
    FEMALE_SHARE,
    REFORM,
    RELIGION_TABLE,
    TABLES,
    CommunePlan,
    Loader,
    _vn,
    name_fields,
    name_parts,
    secondary_indexes,
)

VILLAGES = (24, 36)
START = REFORM.isoformat()
STREAMLINED_ON = dt.date(2025, 10, 1).isoformat()
QUOTA_DECISION = "QĐ giao biên chế 2025"

TABLES.update({
    "places_adminunit": ("id", "generation", "level", "kind", "code", "name", "full_name", "name_folded", "parent_id", "valid_from",
                         "valid_to", "decision_number"),
    "grassroots_body": ("id", "kind", "name", "unit_id", "village_id", "organization_id", "parent_id", "valid_from", "valid_to",
                        "decision_number", "decision_date", "created_at"),
    "grassroots_post": ("body_id", "person_id", "title", "obtained", "decision_number", "decision_date", "valid_from", "valid_to",
                        "end_reason", "created_at"),
    "staffing_employment": ("person_id", "commune_id", "body_kind", "body_name", "category", "position", "title", "valid_from", "valid_to",
                            "decision_number", "ending", "basis", "exit_form", "exit_decision", "created_at"),
    "staffing_quota": ("commune_id", "category", "number", "valid_from", "valid_to", "decision_number", "created_at"),
    "training_course": ("id", "organizer_id", "name", "program", "body", "body_name", "mode", "starts_on", "ends_on", "decision_number",
                        "created_at"),
    "training_enrolment": ("course_id", "person_id", "enrolled_on", "state", "completed_on", "result", "certificate_number",
                           "certificate_issued_on", "withdrawn_on", "withdrawal_reason", "created_at"),
})

# (kind, title, how many, obtained): the commune's seats held by party members of its agency cells
COMMUNE_SEATS = [
    ("party_committee", "secretary", 1, "elected"), ("party_committee", "standing_deputy_secretary", 1, "elected"),
    ("party_committee", "deputy_secretary", 1, "elected"), ("party_committee", "committee_member", 24, "elected"),
    ("inspection_commission", "chair", 1, "elected"), ("inspection_commission", "vice_chair", 1, "elected"),
    ("inspection_commission", "member", 3, "elected"),
    ("party_building_board", "board_head", 1, "appointed"), ("party_building_board", "board_deputy", 1, "appointed"),
    ("party_office", "office_head", 1, "appointed"), ("party_office", "office_deputy", 1, "appointed"),
    ("hdnd", "vice_chair", 1, "elected"), ("hdnd", "delegate", 20, "elected"),
    ("ubnd", "chair", 1, "elected"), ("ubnd", "vice_chair", 2, "elected"), ("ubnd", "member_police", 1, "elected"),
    ("ubnd", "member_military", 1, "elected"),
    ("fatherland_front", "chair", 1, "elected"), ("fatherland_front", "vice_chair", 2, "elected"), ("fatherland_front", "member", 8, "elected"),
    *((kind, title, 1, "elected") for kind in ("farmers", "women", "veterans") for title in ("chair", "vice_chair")),
    ("youth", "youth_secretary", 1, "elected"), ("youth", "youth_deputy", 1, "elected"),
]
# staffing: (category, body kind, position, title code, how many)
STAFF = [
    ("can_bo", "dang", "Bí thư Đảng ủy", "secretary", 1), ("can_bo", "dang", "Phó Bí thư Đảng ủy", "deputy_secretary", 2),
    ("can_bo", "hdnd", "Phó Chủ tịch HĐND", "vice_chair", 1), ("can_bo", "ubnd", "Chủ tịch UBND", "chair", 1),
    ("can_bo", "ubnd", "Phó Chủ tịch UBND", "vice_chair", 2), ("can_bo", "mttq", "Chủ tịch Ủy ban MTTQ", "chair", 1),
    ("cong_chuc", "dang", "Chuyên viên Văn phòng Đảng ủy", "", 6), ("cong_chuc", "ubnd", "Chuyên viên phòng chuyên môn", "", 26),
    ("cong_chuc", "mttq", "Chuyên viên cơ quan Mặt trận", "", 4), ("vien_chuc", "dvsn", "Viên chức Trung tâm Phục vụ hành chính công", "", 6),
]
QUOTAS = {"can_bo": 9, "cong_chuc": 38, "vien_chuc": 7}


def _default_name(kind: str, commune_full: str, village_full: str = "", name: str = "") -> str:
    if name:
        return name
    if kind == "village":
        return village_full
    if kind == "cell":
        return f"Chi bộ {village_full}"
    label = str(config.BODY_KINDS[kind].label)
    for word in (" xã", " huyện"):
        if label.endswith(word):
            label = label[: -len(word)]
    return f"{label} {village_full or commune_full}"


class Ids:
    def __init__(self, start: int):
        self.value = start

    def __call__(self) -> int:
        value = self.value
        self.value += 1
        return value


def generate(c: CommunePlan, seed: int, now, ids: dict, communes: dict) -> dict:
    """The rows of one commune (tables → lists of tuples)."""
    rng = random.Random(f"{seed}:political:{c.code}")
    r = rng.random
    out = {table: [] for table in ("places_adminunit", "grassroots_body", "grassroots_post", "people_person", "staffing_employment",
                                   "staffing_quota", "training_course", "training_enrolment", "residence")}
    unit = communes[c.unit_id]
    commune_full = unit["full_name"]
    ward = unit["kind"] in ("phuong", "dac_khu")
    village_kind, village_word = ("to_dan_pho", "Tổ dân phố") if ward else ("thon", "Thôn")

    # the members of each cell, as builder.generate numbered them (member k of cell i in order)
    first = c.person_base
    members_of = []
    for size in c.sizes:
        members_of.append(list(range(first, first + size)))
        first += size
    village_cells = [i for i, (_oid, kind, _occ) in enumerate(c.cells) if kind == "village"]
    agency_pool = [pid for i, (_oid, kind, _occ) in enumerate(c.cells) if kind != "village" for pid in members_of[i][2:]]
    rng.shuffle(agency_pool)

    def new_person(village_id, gender=None) -> int:
        pid = ids["person"]()
        gender = gender or ("F" if r() < FEMALE_SHARE else "M")
        fam, mid, giv = name_parts(r, gender)
        full, fold_, sort, order = name_fields(fam, mid, giv)
        birth = dt.date(1960, 1, 1).toordinal() + int(r() * 14_000)
        out["people_person"].append((pid, full, "", fold_, sort, gender, dt.date.fromordinal(birth).isoformat(), "day", None, "01",
                                     RELIGION_TABLE[int(r() * len(RELIGION_TABLE))], None, None, "", c.unit_id, village_id, "",
                                     EDUCATION_NEW[int(r() * len(EDUCATION_NEW))], "", "", "", "", "", "", None, now, now, order))
        return pid

    bodies: dict = {}

    def body(kind, village_id=None, village_full="", organization=None, parent=None, name=""):
        bid = ids["body"]()
        out["grassroots_body"].append((bid, kind, _default_name(kind, commune_full, village_full, name), c.unit_id, village_id,
                                       organization, parent, START, None, "", None, now))
        bodies.setdefault((kind, village_id), bid)
        return bid

    def post(body_id, person_id, title, obtained="elected", valid_to=None, reason=""):
        out["grassroots_post"].append((body_id, person_id, title, obtained, "", None, START, valid_to, reason, now))

    # -- the commune's bodies
    for kind in config.standard_kinds(config.COMMUNE, REFORM):
        kc = config.BODY_KINDS[kind]
        body(kind, organization=c.committee if kc.party else None, parent=bodies.get((kc.parent, None)))
    for child_kind in ("hdnd_board", "ubnd_department"):
        for name in config.NAMED_CHILDREN.get((child_kind, True), ()):
            body(child_kind, parent=bodies[(config.BODY_KINDS[child_kind].parent, None)], name=str(name))

    # -- the commune's seats, from the agency cells' members (new persons when they run short)
    pool = iter(agency_pool)

    def holder():
        return next(pool, None) or new_person(None)

    held: dict = {}
    for kind, title, n, obtained in COMMUNE_SEATS:
        for _ in range(n):
            pid = holder()
            held.setdefault((kind, title), []).append(pid)
            post(bodies[(kind, None)], pid, title, obtained)
    secretary = held[("party_committee", "secretary")][0]
    committee = [p for k in (("party_committee", "secretary"), ("party_committee", "standing_deputy_secretary"),
                             ("party_committee", "deputy_secretary"), ("party_committee", "committee_member")) for p in held[k]]
    for pid in committee[:9]:  # the standing committee: the secretaries and six members
        post(bodies[("standing_committee", None)], pid, "standing_member")
    # the People's Council chair: the secretary in most communes (Chỉ thị 45), else the standing deputy
    hdnd_chair = secretary if r() < 0.7 else held[("party_committee", "standing_deputy_secretary")][0]
    post(bodies[("hdnd", None)], hdnd_chair, "chair")
    for pid in held[("hdnd", "vice_chair")] + [hdnd_chair]:
        post(bodies[("hdnd_standing", None)], pid, "standing_member")
    if r() < 0.1:  # a few communes where the secretary also chairs the People's Committee
        out["grassroots_post"] = [row for row in out["grassroots_post"] if not (row[0] == bodies[("ubnd", None)] and row[2] == "chair")]
        post(bodies[("ubnd", None)], secretary, "chair")
    children = [row for row in out["grassroots_body"] if row[1] in ("hdnd_board", "ubnd_department")]
    for row in children:
        head, deputy = ("board_head", "board_deputy") if row[1] == "hdnd_board" else ("department_head", "department_deputy")
        post(row[0], holder(), head, "appointed")
        post(row[0], holder(), deputy, "appointed")

    # -- villages and their bodies and posts
    n_villages = max(len(village_cells), rng.randint(*VILLAGES))
    # the members of the commune's other cells (agencies, schools, police...) live in the villages
    # that seat no cell: each cell's members split in runs of consecutive ids, one run a village
    # (a village without a cell has resident members all the same, as in the country)
    cellless = list(range(len(village_cells), n_villages))
    others = [members_of[i] for i, (_oid, kind, _occ) in enumerate(c.cells) if kind != "village" and members_of[i]]
    lives_in: list[list[tuple[int, int]]] = [[] for _ in cellless]
    if cellless:
        k = 0
        for ids_ in others:
            step = max(1, len(ids_) // max(1, len(cellless) // max(1, len(others))))
            for at in range(0, len(ids_), step):
                lives_in[k % len(cellless)].append((ids_[at], ids_[min(at + step, len(ids_)) - 1]))
                k += 1
    for j in range(n_villages):
        vid = ids["unit"]()
        name = str(j + 1)
        full = f"{village_word} {name}"
        out["places_adminunit"].append((vid, "current", "village", village_kind, f"{c.code}{j + 1:03d}", name, full, fold(full),
                                        c.unit_id, START, None, ""))
        village_body = body("village", vid, full)
        front = body("village_front_board", vid, full)
        security = body("village_security", vid, full)
        cell_members = []
        if j >= len(village_cells):
            out["residence"] += [(vid, lo, hi) for lo, hi in lives_in[j - len(village_cells)]]
        if j < len(village_cells):
            i = village_cells[j]
            cell_members = members_of[i]
            if cell_members:
                out["residence"].append((vid, cell_members[0], cell_members[-1]))
            cell = body("cell", vid, full, organization=c.cells[i][0])
            if cell_members:
                post(cell, cell_members[0], "cell_secretary")
            if len(cell_members) > 1:
                post(cell, cell_members[1], "cell_deputy")
            if len(cell_members) > 8:
                post(cell, cell_members[2], "cell_committee_member")
        # the village head: the cell secretary (about a third), another member (about a sixth), or not a member
        roll = r()
        if cell_members and roll < 0.33:
            head = cell_members[0]
        elif len(cell_members) > 3 and roll < 0.5:
            head = cell_members[3]
        else:
            head = new_person(vid)
        post(village_body, head, "village_head", "recognized")
        post(village_body, new_person(vid), "village_deputy", "recognized")
        post(village_body, cell_members[4] if len(cell_members) > 4 else new_person(vid, "M"), "militia_leader", "appointed")
        post(front, cell_members[5] if len(cell_members) > 5 and r() < 0.5 else new_person(vid), "board_head")
        post(front, new_person(vid), "board_deputy")
        post(security, new_person(vid, "M"), "team_leader", "recognized")
        post(security, new_person(vid, "M"), "team_deputy", "recognized")

    # -- staffing: the cadres hold the commune's posts; civil servants and employees are new persons or members
    ubnd_chair = next(row[1] for row in out["grassroots_post"] if row[0] == bodies[("ubnd", None)] and row[2] == "chair")
    holders_by_position = {
        "Bí thư Đảng ủy": [secretary],
        "Phó Bí thư Đảng ủy": held[("party_committee", "standing_deputy_secretary")] + held[("party_committee", "deputy_secretary")],
        "Phó Chủ tịch HĐND": held[("hdnd", "vice_chair")], "Chủ tịch UBND": [ubnd_chair], "Phó Chủ tịch UBND": held[("ubnd", "vice_chair")],
        "Chủ tịch Ủy ban MTTQ": held[("fatherland_front", "chair")],
    }
    staff_persons = []
    for category, body_kind, position, title, n in STAFF:
        for k in range(n):
            given = holders_by_position.get(position, [])
            pid = given[k] if k < len(given) and given[k] is not None else holder()
            streamlined = category != "can_bo" and r() < 1 / 12
            out["staffing_employment"].append((
                pid, c.unit_id, body_kind, "", category, position, title, START, STREAMLINED_ON if streamlined else None, "",
                "tinh_gian" if streamlined else "", "178/2024+67/2025" if streamlined else "",
                "nghi_huu_truoc_tuoi" if streamlined else "", f"{100 + int(r() * 800)}/QĐ-UBND" if streamlined else "", now))
            staff_persons.append(pid)
    for category, number in QUOTAS.items():
        out["staffing_quota"].append((c.unit_id, category, number, START, None, QUOTA_DECISION, now))

    # -- training: two courses; the commune's cadres at trung cấp, village heads and cell secretaries at sơ cấp
    middle, elementary = ids["course"](), ids["course"]()
    out["training_course"].append((middle, c.committee, f"Lớp Trung cấp lý luận chính trị - hành chính {c.name} 2023-2024", "trung_cap",
                                   "truong_tinh", "", "khong_tap_trung", "2023-09-05", "2024-06-28", "", now))
    out["training_course"].append((elementary, c.committee, f"Lớp Sơ cấp lý luận chính trị {c.name} 2025", "so_cap", "ttct_xa", "",
                                   "khong_tap_trung", "2025-08-04", "2025-10-31", "", now))
    seen = set()
    for pid in [*committee, *held[("hdnd", "vice_chair")], *held[("ubnd", "vice_chair")], *held[("fatherland_front", "chair")]]:
        if pid in seen:
            continue
        seen.add(pid)
        done = r() < 0.85
        out["training_enrolment"].append((middle, pid, "2023-09-05", "completed" if done else "withdrawn", "2024-06-28" if done else None,
                                          "kha" if done else "", f"TC{c.index:05d}{len(seen):03d}" if done else "",
                                          "2024-07-15" if done else None, None if done else "2024-01-15",
                                          "" if done else "Chuyển công tác", now))
    village_rows = [row for row in out["grassroots_post"] if row[2] in ("village_head", "cell_secretary")]
    for _body, pid, *_rest in village_rows:
        if pid in seen or r() < 0.4:
            continue
        seen.add(pid)
        done = r() < 0.9
        out["training_enrolment"].append((elementary, pid, "2025-08-04", "completed" if done else "enrolled", "2025-10-31" if done else None,
                                          "dat" if done else "", f"SC{c.index:05d}{len(seen):04d}" if done else "",
                                          "2025-11-10" if done else None, None, "", now))
    return out


def _residences(connection, rows: list) -> None:
    """A village cell's members live in its village: (village, first person id, last person id).
    PostgreSQL writes a new version of each updated row with an entry in every index of the
    persons' table (twelve; no HOT update: the residence village is indexed): one statement for
    the whole country with the secondary indexes dropped and built again after it (25 minutes
    of the national build otherwise). SQLite updates the rows in place."""
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany("UPDATE people_person SET residence_village_id = %s WHERE id BETWEEN %s AND %s", rows)
            return
        indexes = secondary_indexes(cursor, "people_person")
        for name, _sql in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        villages, lows, highs = (list(c) for c in zip(*rows, strict=True))
        # each person id of the ranges joined by equality (an index lookup or a hash join): joined
        # on BETWEEN, the planner scanned the whole table once per village
        cursor.execute("UPDATE people_person p SET residence_village_id = r.village FROM (SELECT village, generate_series(low, high) AS id "
                       "FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[]) AS r(village, low, high)) r WHERE p.id = r.id",
                       [villages, lows, highs])
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        for _name, sql in indexes:
            cursor.execute(sql)


def build(plan, seed: int, now, connection, say=print) -> dict:
    """Write the political system of every commune of the plan. Returns counts and seconds."""
    from django.db import transaction
    from django.db.models import Max

    from coso.grassroots.models import Body
    from coso.people.models import Person
    from coso.places.models import AdminUnit
    from coso.training.models import Course

    t0 = time.perf_counter()

    def next_id(model):
        return (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1

    first_body = next_id(Body)
    ids = {"unit": Ids(next_id(AdminUnit)), "body": Ids(first_body), "person": Ids(next_id(Person)), "course": Ids(next_id(Course))}
    communes = {u["id"]: u for u in AdminUnit.objects.filter(pk__in=[c.unit_id for c in plan.communes]).values("id", "full_name", "kind")}
    loader = Loader(connection, say)
    counts = {"villages": 0, "bodies": 0, "posts": 0, "post_persons": 0, "employments": 0, "enrolments": 0}
    names = {"places_adminunit": "villages", "grassroots_body": "bodies", "grassroots_post": "posts", "people_person": "post_persons",
             "staffing_employment": "employments", "training_enrolment": "enrolments"}
    order = ("places_adminunit", "people_person", "training_course", "grassroots_body", "grassroots_post", "staffing_employment",
             "staffing_quota", "training_enrolment")
    analyzed = (*order, "organizations_placement_villages")
    buffer = {table: [] for table in (*order, "residence")}

    def flush():
        for table in order:
            loader.insert(table, buffer[table])
            counts[names.get(table, table)] = counts.get(names.get(table, table), 0) + len(buffer[table])
            buffer[table].clear()

    with transaction.atomic():  # SQLite: one transaction for the raw inserts (PostgreSQL: inside synth's)
        for c in plan.communes:
            rows = generate(c, seed, now, ids, communes)
            for table, values in rows.items():
                buffer[table].extend(values)
            if len(buffer["grassroots_post"]) > 200_000:
                flush()
        flush()
        _residences(connection, buffer["residence"])
        # a village cell covers its village (the report's "villages with a cell"): its placement in
        # force on the day the village's bodies begin, linked as the organization pages link it
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO organizations_placement_villages (placement_id, adminunit_id) "
                "SELECT p.id, b.village_id FROM grassroots_body b JOIN organizations_placement p ON p.organization_id = b.organization_id "
                f"AND {dated.in_force_sql('p', 'b.valid_from')} "
                "WHERE b.kind = 'cell' AND b.village_id IS NOT NULL AND b.organization_id IS NOT NULL AND b.id >= %s",
                [first_body])
            counts["village_cells"] = cursor.rowcount
    if connection.vendor == "sqlite" and sqlite.may_analyze(connection):
        # statistics of the new tables: without them SQLite looks for a cell secretary's village
        # head post through the title index (every village head of the country) instead of the
        # person's. Whole tables, not a sample (analysis_limit=1000 read a thousand rows of each
        # index: the title index looked like a thousand posts a title, and a province's village
        # figures read every village head of the country, 370 ms instead of 77); at national scale
        # the full ANALYZE of the posts and bodies takes half a second. Not on a SQLite older than
        # 3.42, which with these statistics returns posts outside the date (coso/lib/sqlite.py).
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA analysis_limit=0")
            for table in analyzed:
                cursor.execute(f"ANALYZE {table}")
    if connection.vendor == "postgresql":
        from django.core.management.color import no_style

        from coso.grassroots.models import Post
        from coso.staffing.models import Employment, Quota
        from coso.training.models import Enrolment

        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [AdminUnit, Body, Post, Person, Course, Enrolment, Employment, Quota]):
                cursor.execute(sql)
            for table in analyzed:
                cursor.execute(f"ANALYZE {table}")
    counts["seconds"] = round(time.perf_counter() - t0, 1)
    say(f"  hệ thống chính trị: {_vn(counts['villages'])} thôn, {_vn(counts['bodies'])} cơ quan, {_vn(counts['posts'])} chức vụ "
        f"({counts['seconds']:.0f} s)")
    return counts
