"""Generated party members: Vietnamese names and records for the demo and the national dataset.

Two users:

- the demo (coso/data/demo) builds a few thousand members through members.bulk.record_members, the
  validated path, and takes its names and national IDs from here;
- `coso synth` builds the national-scale dataset of DESIGN.md (34 provinces, 3,321 commune
  committees, about 60,000 grassroots organizations, 300,000 cells, 5.6 million members with
  ten years of events) deterministically from a seed, in minutes. At that size the per-row
  services (and even lifecycle.replay, about 10 µs an event) cost too much, so synth writes rows
  directly: organizations and placements with their paths computed here, persons, members,
  events and periods as plain tuples in large batches (executemany on SQLite, COPY on
  PostgreSQL), with the secondary indexes dropped during the load and rebuilt after it; the
  search copy (members.search) is then filled from them in one statement and indexed.
  The periods come from a small replay of the few event types synth uses; the tests replay
  every generated member through lifecycle.replay and compare, so there is still one definition
  of what an event does. Writes no audit row per record: one audit event names the run.

The tree (the two-tier reform of 01/07/2025 included):

- before 01/07/2025: legacy province committee -> district committee -> the đảng bộ xã of each
  legacy commune (grassroots committee) with its village cells, and the district's agency,
  school and enterprise grassroots organizations (committees with subordinate cells, and
  grassroots cells);
- from 01/07/2025: the 34 province committees -> the 3,321 commune committees; each legacy
  village cell becomes a grassroots cell of the new commune (same organization, new placement,
  kind and path); the agency organizations move under the new commune with their cells. The
  legacy province, district and commune committees close that day. Members stay in their cells:
  the reform moves organizations, not people, so no member is lost or counted twice.
"""

import datetime as dt
import random
import time
from dataclasses import dataclass, field

from coso.lib import sqlite
from coso.lib.text import fold, sort_key
from coso.people.checks import PROVINCE_CODES

# ---------------------------------------------------------------- names

# Family names with their approximate shares in Vietnam (per mille; Nguyễn about 38%).
FAMILY = [
    ("Nguyễn", 380), ("Trần", 110), ("Lê", 95), ("Phạm", 70), ("Hoàng", 30), ("Huỳnh", 25), ("Phan", 45),
    ("Vũ", 20), ("Võ", 20), ("Đặng", 21), ("Bùi", 20), ("Đỗ", 14), ("Hồ", 13), ("Ngô", 13), ("Dương", 10),
    ("Lý", 5), ("Đinh", 6), ("Đoàn", 5), ("Trương", 6), ("Lương", 4), ("Mai", 3), ("Cao", 3), ("Lâm", 3),
    ("Hà", 4), ("Tô", 2), ("Thái", 2), ("Châu", 2), ("Tạ", 2), ("Kiều", 1), ("Đào", 3), ("Lưu", 2),
    ("Chu", 1), ("Quách", 1), ("Tăng", 1), ("Hứa", 1), ("Phùng", 2), ("Triệu", 1), ("Mạc", 1), ("Nông", 2),
    ("La", 1), ("Khổng", 1), ("Tống", 1), ("Thân", 1), ("Từ", 1), ("Âu", 1), ("Giang", 1), ("Ông", 1),
]
MIDDLE = {
    "M": [
        ("Văn", 330), ("Ngọc", 45), ("Minh", 55), ("Đức", 45), ("Quang", 40), ("Hữu", 40), ("Công", 40),
        ("Thanh", 40), ("Xuân", 25), ("Tấn", 30), ("Bá", 15), ("Đình", 35), ("Trọng", 20), ("Quốc", 35),
        ("Anh", 15), ("Hoàng", 20), ("Duy", 15), ("Thành", 20), ("Phước", 10), ("Viết", 10), ("Mạnh", 10),
        ("Chí", 10), ("Huy", 10), ("Kim", 5), ("Trung", 10), ("Tiến", 10), ("Hồng", 10), ("Như", 5),
        ("Văn Minh", 5), ("Ngọc Anh", 3), ("Khắc", 8), ("Thế", 15), ("Gia", 10), ("Nhật", 8),
    ],
    "F": [
        ("Thị", 480), ("Ngọc", 50), ("Thanh", 40), ("Thu", 35), ("Kim", 30), ("Minh", 25), ("Hồng", 30),
        ("Mỹ", 20), ("Bích", 15), ("Thúy", 15), ("Hoài", 10), ("Phương", 15), ("Thùy", 15), ("Diệu", 10),
        ("Khánh", 10), ("Thảo", 5), ("Thị Ngọc", 25), ("Thị Thanh", 20), ("Thị Kim", 20), ("Thị Thu", 20),
        ("Thị Hồng", 15), ("Hải", 10), ("Lan", 5), ("Quỳnh", 10), ("Bảo", 8), ("Tuyết", 5), ("Hoàng", 5),
    ],
}
GIVEN = {
    "M": """An Anh Bảo Bình Cường Chiến Chinh Công Dũng Duy Dương Đạt Đức Định Đông Giang Hải Hào Hậu Hiếu
        Hiệp Hòa Hoàng Hùng Huy Hưng Hướng Khang Khánh Khoa Kiên Lâm Lân Lộc Lợi Long Lực Luân Minh Nam
        Nghĩa Ngọc Nguyên Nhân Nhật Ninh Phát Phong Phú Phúc Phước Phương Quân Quang Quý Quyết Sang Sơn
        Tài Tâm Tân Thái Thắng Thành Thanh Thạnh Thiện Thịnh Thông Thuận Tiến Toàn Trí Triều Trung Trường
        Tuấn Tùng Tú Uy Văn Việt Vinh Vũ Vương Xuân""".split(),
    "F": """An Anh Ánh Bích Châu Chi Cúc Dung Duyên Diễm Đào Giang Hà Hạnh Hằng Hiền Hoa Hòa Hồng Huệ Hương
        Huyền Khánh Lan Liên Lệ Linh Loan Lụa Ly Mai Mận My Mỹ Nga Ngân Nghĩa Ngọc Nguyệt Nhàn Nhi Nhung
        Nương Oanh Phương Phượng Quyên Quỳnh Sen Sương Tâm Thảo Thắm Thanh Thảo Thơ Thu Thủy Thúy Thư Thương
        Tiên Trang Trâm Trinh Tuyết Uyên Vân Vi Xuân Yến""".split(),
}


def _table(pairs, size: int = 1000) -> list:
    """A list in which each value appears in proportion to its weight: sampling is one random()."""
    total = sum(w for _, w in pairs)
    out = []
    for value, weight in pairs:
        out.extend([value] * max(1, round(weight * size / total)))
    return out


FAMILY_TABLE = _table(FAMILY)
MIDDLE_TABLE = {g: _table(pairs) for g, pairs in MIDDLE.items()}
GIVEN_TABLE = {g: list(names) for g, names in GIVEN.items()}
_FOLDED: dict[str, str] = {}


def folded(word: str) -> str:
    value = _FOLDED.get(word)
    if value is None:
        value = _FOLDED[word] = fold(word)
    return value


def name_parts(r, gender: str, family: str | None = None) -> tuple[str, str, str]:
    """(family, middle, given) for a person of the gender; r is a random() function."""
    fam = family or FAMILY_TABLE[int(r() * len(FAMILY_TABLE))]
    middles = MIDDLE_TABLE[gender]
    givens = GIVEN_TABLE[gender]
    return fam, middles[int(r() * len(middles))], givens[int(r() * len(givens))]


def name_fields(fam: str, mid: str, giv: str) -> tuple[str, str, str, str]:
    """(full_name, name_folded, name_sort, name_order) exactly as Person.save() computes them, without the cost."""
    full = f"{fam} {mid} {giv}"
    reordered = f"{giv} {mid} {fam}"
    return (full, f"{folded(fam)} {folded(mid)} {folded(giv)}", f"{folded(giv)} {folded(mid)} {folded(fam)}|{reordered.lower()}",
            sort_key(reordered))


def national_id(province3: str, female: bool, birth_year: int, serial: int) -> str | None:
    """A 12-digit ID valid under people.checks (Thông tư 59/2021/TT-BCA): province of birth
    registration, gender and century, the year of birth, then a serial."""
    if serial is None:
        return None
    digit = (birth_year // 100 - 19) * 2 + (1 if female else 0)
    return f"{province3}{digit}{birth_year % 100:02d}{serial:06d}"


class Serials:
    """Unique 6-digit serials per (province, gender-century digit, year): the n-th serial of a key
    is slot_base + n, spread over [base, base + size) by a stride prime to size, so IDs look
    random but never repeat. The demo uses [990000, 10^6); synth gives each commune its own
    slot of [0, 990000), so any set of communes, generated in any order, never collides."""

    def __init__(self, base: int = 990_000, size: int = 10_000, slot: int = 0, slot_size: int | None = None):
        self.counters: dict = {}
        self.base, self.size = base, size
        self.slot_base, self.slot_size = slot * (slot_size or size), slot_size or size

    def next(self, key) -> int | None:
        n = self.counters.get(key, 0)
        if n >= self.slot_size:
            return None  # this commune has used its share of the key: the person gets no ID
        self.counters[key] = n + 1
        return self.base + ((self.slot_base + n) * 7919 + 13) % self.size


SYNTH_SERIALS = 990_000  # stride 7919 is prime to it (2^4 3^2 5^4 11)
SLOT = SYNTH_SERIALS // 3321  # 298 persons per commune and (province of birth, gender, year)


EDUCATION_OLD = _table([("10/10", 50), ("12/12", 30), ("7/10", 15), ("9/10", 5)])
EDUCATION_NEW = _table([("12/12", 93), ("9/12", 4), ("11/12", 3)])
# qualification and theory mixes: communes (villages) and agencies
QUALIFICATION = {
    "commune": _table([("none", 45), ("so_cap", 10), ("trung_cap", 16), ("cao_dang", 6), ("dai_hoc", 21), ("thac_si", 2)]),
    "agency": _table([("none", 2), ("trung_cap", 10), ("cao_dang", 6), ("dai_hoc", 68), ("thac_si", 13), ("tien_si", 1)]),
}
THEORY = {
    "commune": _table([("none", 30), ("so_cap", 55), ("trung_cap", 13), ("cao_cap", 2)]),
    "agency": _table([("none", 5), ("so_cap", 35), ("trung_cap", 43), ("cao_cap", 15), ("cu_nhan", 2)]),
}
FIELDS = ["Kinh tế", "Luật", "Sư phạm", "Y khoa", "Nông nghiệp", "Xây dựng", "Kế toán", "Quản lý nhà nước", "Công nghệ thông tin", "Quân sự", "An ninh"]
OCCUPATION = {
    "village": _table([("Nông dân", 40), ("Hưu trí", 25), ("Kinh doanh", 10), ("Công nhân", 8), ("Lao động tự do", 10), ("Ngư dân", 4), ("Giáo viên", 3)]),
    "school": _table([("Giáo viên", 85), ("Viên chức", 15)]),
    "health": _table([("Bác sĩ", 30), ("Y sĩ", 30), ("Điều dưỡng", 30), ("Viên chức", 10)]),
    "armed_forces": _table([("Sĩ quan", 60), ("Quân nhân chuyên nghiệp", 25), ("Hạ sĩ quan", 15)]),
    "police": _table([("Sĩ quan công an", 85), ("Hạ sĩ quan công an", 15)]),
    "agency": _table([("Công chức", 75), ("Viên chức", 20), ("Người lao động", 5)]),
    "enterprise": _table([("Công nhân", 40), ("Kỹ sư", 20), ("Nhân viên", 30), ("Quản lý", 10)]),
}
# age at admission (years): the Party admits from 18, most between 22 and 32
ADMISSION_AGE = _table([(18, 3), (19, 4), (20, 6), (21, 7), (22, 8), (23, 8), (24, 8), (25, 8), (26, 7), (27, 6), (28, 5), (29, 5),
                        (30, 4), (31, 3), (32, 3), (33, 2), (34, 2), (35, 2), (36, 1), (38, 1), (40, 1), (42, 1), (45, 1)])
BADGE_YEARS = (30, 40, 45, 50, 55, 60, 65, 70, 75)
CEREMONY_DAYS = ((2, 3), (5, 19), (9, 2), (11, 7))  # badges are given on 3/2, 19/5, 2/9 and 7/11


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def ceremony_on_or_after(day: dt.date) -> dt.date:
    for month, d in CEREMONY_DAYS:
        c = dt.date(day.year, month, d)
        if c >= day:
            return c
    return dt.date(day.year + 1, CEREMONY_DAYS[0][0], CEREMONY_DAYS[0][1])


# ---------------------------------------------------------------- the national dataset

FROM = dt.date(2016, 1, 1)  # the records start: everyone in the Party then is recorded that day
END = dt.date(2025, 12, 31)  # the last generated day: ten years of events
REFORM = dt.date(2025, 7, 1)
FULL_MEMBERS = 5_600_000  # members in the Party on END (probationary and official)
EXIT_SHARE = 0.07  # on top of them, members who left during the ten years (death, removal, transfer away)
CODE_PREFIX = "SYN-"

# ethnic mix of the members by 2025 province code: (share of minorities, [(group code, weight)])
MINORITIES = {
    "04": (0.85, [("02", 45), ("07", 35), ("08", 10), ("09", 10)]), "08": (0.55, [("02", 40), ("09", 20), ("08", 25), ("13", 15)]),
    "11": (0.75, [("03", 60), ("08", 35), ("23", 5)]), "12": (0.80, [("03", 45), ("08", 35), ("09", 10), ("33", 10)]),
    "14": (0.80, [("03", 65), ("08", 25), ("04", 5), ("23", 5)]), "15": (0.45, [("02", 30), ("09", 25), ("08", 30), ("26", 15)]),
    "19": (0.35, [("02", 55), ("07", 25), ("09", 15), ("13", 5)]), "20": (0.80, [("07", 55), ("02", 40), ("09", 5)]),
    "22": (0.10, [("09", 50), ("02", 25), ("17", 25)]), "24": (0.10, [("07", 40), ("02", 30), ("13", 20), ("17", 10)]),
    "25": (0.25, [("04", 85), ("09", 10), ("17", 5)]), "37": (0.02, [("04", 100)]), "38": (0.15, [("04", 60), ("03", 40)]),
    "40": (0.12, [("03", 80), ("23", 10), ("08", 10)]), "44": (0.05, [("24", 85), ("27", 15)]), "46": (0.04, [("27", 60), ("25", 40)]),
    "48": (0.04, [("25", 50), ("30", 25), ("16", 25)]), "51": (0.20, [("18", 45), ("16", 35), ("30", 20)]),
    "52": (0.25, [("10", 60), ("12", 40)]), "56": (0.05, [("19", 70), ("14", 30)]), "66": (0.15, [("11", 80), ("10", 10), ("20", 10)]),
    "68": (0.12, [("15", 40), ("20", 35), ("28", 25)]), "75": (0.04, [("22", 40), ("06", 40), ("31", 20)]),
    "79": (0.03, [("06", 90), ("05", 10)]), "80": (0.01, [("05", 100)]), "86": (0.05, [("05", 100)]),
    "91": (0.06, [("05", 80), ("14", 10), ("06", 10)]), "92": (0.15, [("05", 90), ("06", 10)]), "96": (0.04, [("05", 80), ("06", 20)]),
}
DEFAULT_MINORITIES = (0.01, [("04", 30), ("02", 30), ("06", 40)])
RELIGION_TABLE = _table([("00", 950), ("01", 30), ("02", 12), ("08", 3), ("05", 3), ("03", 2)])
FEMALE_SHARE = 0.35
# admission years of members admitted before the records start (weights per year)
PRE_YEARS = _table([(y, 0.3 if y < 1960 else 0.6 if y < 1970 else 0.9 if y < 1980 else 1.0 if y < 1990 else 1.4 if y < 2000 else 2.0)
                    for y in range(1950, 2016)], size=5000)
VILLAGE_CELLS, AGENCY_CELLS, COMMITTEES, SUB_CELLS = (6, 14), (2, 7), (2, 5), (8, 35)  # per commune: 18 grassroots, 90 cells
AGENCY_CELL_NAMES = ["Trường Mầm non", "Trường Tiểu học", "Trường THCS", "Trạm Y tế", "Quân sự", "Hợp tác xã Nông nghiệp",
                     "Trung tâm Văn hóa - Thể thao", "Quỹ Tín dụng nhân dân", "Công ty Cổ phần Xây dựng", "Trường THPT", "Chi nhánh Ngân hàng"]
COMMITTEE_NAMES = [("Công an", "armed_forces", "police"), ("Cơ quan Đảng - Chính quyền", "agency", "agency"), ("Trung tâm Y tế", "public_service", "health"),
                   ("Công ty Cổ phần", "enterprise", "enterprise"), ("Trường Cao đẳng", "school", "school"), ("Bệnh viện", "public_service", "health"),
                   ("Ban Chỉ huy Quân sự", "armed_forces", "armed_forces"), ("Khu công nghiệp", "enterprise", "enterprise")]
BIRTH_CODES = sorted(PROVINCE_CODES)
AWAY = ["Đảng bộ Quân đội", "Đảng bộ Công an Trung ương", "Đảng bộ các cơ quan Đảng Trung ương", "Đảng bộ Chính phủ", "Đảng bộ ngoài nước"]

_BASE = dt.date(1900, 1, 1).toordinal()
_ISO = [dt.date.fromordinal(_BASE + i).isoformat() for i in range(47_500)]  # 1900 .. 2030
FROM_O, END_O, REFORM_O = FROM.toordinal(), END.toordinal(), REFORM.toordinal()


def iso(o: int | None) -> str | None:
    return None if o is None else _ISO[o - _BASE]


def _plus_year(o: int) -> int:
    """add_months(day, 12) of lifecycle, on ordinals: the end of probation."""
    d = dt.date.fromordinal(o)
    return add_years(d, 1).toordinal()


def _badge_day(start: int, years: int) -> int:
    return ceremony_on_or_after(add_years(dt.date.fromordinal(start), years)).toordinal()


@dataclass
class CommunePlan:
    """One 2025 commune of the dataset: its committee, its cells and how many people to put there."""

    index: int  # place in the country-wide order of communes, the same at every scale
    code: str
    name: str
    unit_id: int
    province_code: str  # the 2025 province code (ethnic mix)
    birth_codes: list  # 3-digit national-ID province codes of its legacy communes
    legacy_units: list  # the legacy communes' unit ids
    cells: list = field(default_factory=list)  # (organization id, kind of people: "village" | "agency", occupation key)
    sizes: list = field(default_factory=list)  # members in each cell on END
    exited: int = 0
    candidates: int = 0
    person_base: int = 0
    member_base: int = 0
    committee: int = 0  # the 2025 commune committee's organization id (the political system's party bodies)

    @property
    def persons(self) -> int:
        return sum(self.sizes) + self.exited + self.candidates


@dataclass
class Plan:
    seed: int
    scale: float
    communes: list = field(default_factory=list)
    organizations: list = field(default_factory=list)  # rows (id, code, created_at, closed_on, close_reason, close_decision)
    placements: list = field(default_factory=list)  # rows, see PLACEMENT_COLUMNS
    cell_ids: list = field(default_factory=list)  # every cell, for transfers between communes
    counts: dict = field(default_factory=dict)


ORGANIZATION_COLUMNS = ("id", "code", "created_at", "closed_on", "close_reason", "close_decision")
PLACEMENT_COLUMNS = ("organization_id", "parent_id", "name", "name_folded", "kind", "sector", "area_id", "path", "depth",
                     "valid_from", "valid_to", "change", "decision_number", "decision_date", "name_order")
PERSON_COLUMNS = ("id", "full_name", "other_names", "name_folded", "name_sort", "gender", "birth_date", "birth_precision", "national_id",
                  "ethnicity", "religion", "origin_unit_id", "origin_village_id", "origin_text", "residence_unit_id", "residence_village_id",
                  "residence_text", "education", "qualification", "qualification_field", "academic_title", "theory_level", "occupation",
                  "job_title", "photo", "created_at", "updated_at", "name_order")
MEMBER_COLUMNS = ("id", "person_id", "card_number", "introducers", "status", "organization_id", "admitted_on", "admission_decision_date",
                  "recognized_on", "card_issued_on", "exempted", "in_transit", "created_at")
EVENT_COLUMNS = ("member_id", "type", "effective_date", "sequence", "organization_id", "target_id", "destination", "transfer_kind", "status",
                 "discipline_form", "badge_years", "card_number", "admitted_on", "recognized_on", "decision_number", "decision_date",
                 "issuing_body", "note", "created_at", "created_by_id")
PERIOD_COLUMNS = ("member_id", "organization_id", "status", "exempted", "in_transit", "host_id", "valid_from", "valid_to")
CANDIDATE_COLUMNS = ("person_id", "organization_id", "listed_on", "course_completed_on", "course_certificate", "introducers", "state",
                     "member_id", "created_at")
TABLES = {
    "organizations_organization": ORGANIZATION_COLUMNS, "organizations_placement": PLACEMENT_COLUMNS, "people_person": PERSON_COLUMNS,
    "members_member": MEMBER_COLUMNS, "members_memberevent": EVENT_COLUMNS, "members_memberperiod": PERIOD_COLUMNS,
    "members_candidate": CANDIDATE_COLUMNS,
}

_PARTY_PREFIX = {"thanh_pho_tw": "thành phố", "tinh": "tỉnh", "quan": "quận", "huyen": "huyện", "thi_xa": "thị xã", "thanh_pho": "thành phố",
                 "xa": "xã", "phuong": "phường", "thi_tran": "thị trấn", "dac_khu": "đặc khu"}


def _party_name(unit: dict) -> str:
    return f"Đảng bộ {_PARTY_PREFIX.get(unit['kind'], 'xã')} {unit['name']}"


def selected_communes(scale: float, provinces: tuple = ()) -> list[dict]:
    """The 2025 communes of a dataset at this scale: all of them at 1, else taken in turn from
    each province so that a small dataset still spans the country. provinces (2025 province
    codes): only their communes (the scale then applies within them)."""
    from coso.places.models import AdminUnit, Generation, Level

    by_province: dict[int, list] = {}
    for unit in AdminUnit.objects.filter(generation=Generation.CURRENT, level=Level.COMMUNE).order_by("code").values(
            "id", "code", "name", "kind", "parent_id", "parent__code"):
        by_province.setdefault(unit["parent__code"], []).append(unit)
    if provinces:
        by_province = {code: units for code, units in by_province.items() if code in provinces}
    order = []
    for i in range(max(len(v) for v in by_province.values())):
        for code in sorted(by_province):
            if i < len(by_province[code]):
                order.append(by_province[code][i])
    return order[: max(1, round(len(order) * scale))]


def plan(seed: int, scale: float, *, first_org_id: int, first_person_id: int, first_member_id: int, now: str,
         provinces: tuple = ()) -> Plan:
    """The organization tree (rows ready to insert) and how many people go where. Deterministic.
    provinces: those provinces only, with as many members per commune as the national dataset
    (a province at national scale, for the benchmarks of one province's pages)."""
    from coso.organizations.models import Change, CloseReason, Kind, Sector
    from coso.places.models import AdminUnit, Generation, Level, Lineage

    rng = random.Random(f"{seed}:tree")
    p = Plan(seed=seed, scale=scale)
    units = {u["id"]: u for u in AdminUnit.objects.exclude(level=Level.VILLAGE).values("id", "code", "name", "kind", "parent_id", "generation", "level")}
    primary: dict[int, tuple] = {}
    predecessors: dict[int, list] = {}
    districts: dict[int, int] = {}  # island special zones made of a whole legacy district that had no communes of its own
    for old, new, partial in Lineage.objects.values_list("old_id", "new_id", "partial"):
        if units[old]["level"] == Level.DISTRICT:
            districts[new] = old
            continue
        key = (partial, units[new]["code"])
        if old not in primary or key < primary[old][0]:
            primary[old] = (key, new)
        predecessors.setdefault(new, []).append((partial, units[old]["code"], old))
    inherited: dict[int, list] = {}
    for old, (_, new) in primary.items():
        inherited.setdefault(new, []).append(old)

    next_id = [first_org_id]
    created: dict = {}

    def org(key, closed=False, reason=""):
        oid = next_id[0]
        next_id[0] += 1
        p.organizations.append((oid, f"{CODE_PREFIX}{oid}", now, iso(REFORM_O) if closed else None, reason, "294-QĐ/TW" if closed else ""))
        if key is not None:
            created[key] = oid
        return oid

    paths: dict[tuple, tuple] = {}  # (organization, era) -> (path, depth)

    def place(oid, parent, era, name, kind, sector, area, change=Change.FOUNDED):
        if parent is None:
            path, depth = f"/{oid}/", 0
        else:
            parent_path, parent_depth = paths[(parent, era)]
            path, depth = f"{parent_path}{oid}/", parent_depth + 1
        paths[(oid, era)] = (path, depth)
        start, stop = (FROM_O, REFORM_O) if era == "legacy" else (REFORM_O, None)
        p.placements.append((oid, parent, name, fold(name), kind, sector, area, path, depth, iso(start), iso(stop), change, "", None, sort_key(name)))
        return oid

    def legacy_committee(unit_id: int) -> int:
        """The legacy committee of a legacy unit (province, district or commune), made on first use."""
        key = ("legacy", unit_id)
        if key in created:
            return created[key]
        u = units[unit_id]
        if u["level"] == Level.PROVINCE:
            oid = org(key, True, CloseReason.MERGED)
            return place(oid, None, "legacy", _party_name(u), Kind.PROVINCE_COMMITTEE, Sector.OTHER, unit_id)
        parent = legacy_committee(u["parent_id"])
        if u["level"] == Level.DISTRICT:
            oid = org(key, True, CloseReason.DISSOLVED)
            return place(oid, parent, "legacy", _party_name(u), Kind.DISTRICT_COMMITTEE, Sector.OTHER, unit_id)
        oid = org(key, True, CloseReason.MERGED)
        return place(oid, parent, "legacy", _party_name(u), Kind.GRASSROOTS_COMMITTEE, Sector.COMMUNE, unit_id)

    for u in AdminUnit.objects.filter(generation=Generation.CURRENT, level=Level.PROVINCE).order_by("code").values("id", "name", "kind"):
        oid = org(("new", u["id"]))
        place(oid, None, "new", _party_name(u), Kind.PROVINCE_COMMITTEE, Sector.OTHER, u["id"])

    chosen = selected_communes(scale, provinces)
    for index, c in enumerate(chosen):
        if inherited.get(c["id"]) or c["id"] in predecessors:
            olds = sorted(inherited.get(c["id"]) or [min(predecessors[c["id"]])[2]], key=lambda o: units[o]["code"])
            district, whole_district = units[olds[0]]["parent_id"], False
        else:
            district = districts[c["id"]]
            olds, whole_district = [district], True
        plan_c = CommunePlan(index=index, code=c["code"], name=c["name"], unit_id=c["id"], province_code=c["parent__code"], legacy_units=olds,
                             birth_codes=[f"0{units[units[district]['parent_id']]['code']}" for _ in olds])
        committee = org(("new", c["id"]))
        plan_c.committee = committee
        place(committee, created[("new", c["parent_id"])], "new", _party_name(c), Kind.COMMUNE_COMMITTEE, Sector.COMMUNE, c["id"])
        district_committee = legacy_committee(district)

        def moved(name, kind_before, kind_after, sector, parent_before, parent_after, area_before, area_after):
            oid = org(None)
            place(oid, parent_before, "legacy", name, kind_before, sector, area_before)
            place(oid, parent_after, "new", name, kind_after, sector, area_after, Change.MOVED)
            return oid

        for j in range(rng.randint(*VILLAGE_CELLS)):
            old = units[olds[j % len(olds)]]
            label = "Tổ dân phố" if old["kind"] in ("phuong", "thi_tran") else "Thôn"
            name = f"Chi bộ {label} {j // len(olds) + 1} ({old['name']})"
            if whole_district:  # no commune committee before 2025: the cells sat right under the district's
                oid = moved(name, Kind.GRASSROOTS_CELL, Kind.GRASSROOTS_CELL, Sector.COMMUNE, district_committee, committee, district, c["id"])
            else:
                oid = moved(name, Kind.SUBORDINATE_CELL, Kind.GRASSROOTS_CELL, Sector.COMMUNE, legacy_committee(old["id"]), committee, old["id"], c["id"])
            plan_c.cells.append((oid, "village", "village"))
        for j in range(rng.randint(*AGENCY_CELLS)):
            base = AGENCY_CELL_NAMES[(j + rng.randrange(3)) % len(AGENCY_CELL_NAMES)]
            oid = moved(f"Chi bộ {base} {c['name']}" + (f" {j + 1}" if j >= 3 else ""), Kind.GRASSROOTS_CELL, Kind.GRASSROOTS_CELL,
                        Sector.OTHER, district_committee, committee, olds[0], c["id"])
            plan_c.cells.append((oid, "agency", "agency"))
        for j in range(rng.randint(*COMMITTEES)):
            base, sector, occupation = COMMITTEE_NAMES[(j + rng.randrange(len(COMMITTEE_NAMES))) % len(COMMITTEE_NAMES)]
            name = f"Đảng bộ {base} {c['name']}" + (f" {j + 1}" if j else "")
            gr = moved(name, Kind.GRASSROOTS_COMMITTEE, Kind.GRASSROOTS_COMMITTEE, sector, district_committee, committee, olds[0], c["id"])
            for k in range(rng.randint(*SUB_CELLS)):
                oid = org(None)
                cell_name = f"Chi bộ {k + 1} ({base} {c['name']})"
                place(oid, gr, "legacy", cell_name, Kind.SUBORDINATE_CELL, sector, olds[0])
                place(oid, gr, "new", cell_name, Kind.SUBORDINATE_CELL, sector, c["id"], Change.ANCESTOR_MOVED)
                plan_c.cells.append((oid, "agency", occupation))
        p.communes.append(plan_c)

    # members on END, spread over the cells by weight, exactly round(5.6 million x scale) in all
    share = len(chosen) / len(selected_communes(1.0)) if provinces else scale
    target = max(1, round(FULL_MEMBERS * share))
    weights = [(1.4 if kind == "village" else 0.95) * (0.5 + rng.random()) for c in p.communes for _, kind, _ in c.cells]
    total = sum(weights)
    exact = [target * w / total for w in weights]
    sizes = [int(x) for x in exact]
    for i in sorted(range(len(exact)), key=lambda i: sizes[i] - exact[i])[: target - sum(sizes)]:
        sizes[i] += 1
    i = 0
    person_id, member_id = first_person_id, first_member_id
    for c in p.communes:
        c.sizes = sizes[i: i + len(c.cells)]
        i += len(c.cells)
        c.exited = round(sum(c.sizes) * EXIT_SHARE)
        c.candidates = rng.randint(3, 8)
        c.person_base, c.member_base = person_id, member_id
        person_id += c.persons
        member_id += sum(c.sizes) + c.exited
        p.cell_ids.extend(oid for oid, _, _ in c.cells)
    grassroots = sum(1 for row in p.placements if row[10] is None and row[4] in (Kind.GRASSROOTS_CELL, Kind.GRASSROOTS_COMMITTEE))
    cells = sum(1 for row in p.placements if row[10] is None and row[4] in (Kind.GRASSROOTS_CELL, Kind.SUBORDINATE_CELL))
    p.counts = {"communes": len(p.communes), "grassroots": grassroots, "cells": cells, "members": target,
                "exited": sum(c.exited for c in p.communes), "organizations": len(p.organizations), "placements": len(p.placements)}
    return p


# event types and statuses as stored (members.models), repeated here as plain strings for speed
RECORDED, ADMITTED, JOINED, RECOGNIZED = "recorded", "admitted", "joined_by_transfer", "recognized"
OUT, RECEIVED, EXEMPTED, BADGE = "transfer_out", "transfer_received", "exempted", "badge"
EXIT_STATUS = {"deceased": "deceased", "removed": "removed", "left": "left", "expelled": "expelled"}
PROBATIONARY, OFFICIAL, AWAY_STATUS = "probationary", "official", "away"
EXITS_OLD = _table([("deceased", 80), ("away", 8), ("removed", 8), ("left", 3), ("expelled", 1)])
EXITS_YOUNG = _table([("deceased", 15), ("away", 45), ("removed", 30), ("left", 6), ("expelled", 4)])


@dataclass
class Rows:
    persons: list = field(default_factory=list)
    members: list = field(default_factory=list)
    events: list = field(default_factory=list)
    periods: list = field(default_factory=list)
    candidates: list = field(default_factory=list)

    def extend(self, other: "Rows") -> None:
        self.persons += other.persons
        self.members += other.members
        self.events += other.events
        self.periods += other.periods
        self.candidates += other.candidates

    def __len__(self) -> int:
        return len(self.persons) + len(self.members) + len(self.events) + len(self.periods) + len(self.candidates)


def generate(c: CommunePlan, seed: int, cell_ids: list, now: str) -> Rows:
    """The persons, members, events and periods of one commune. Deterministic from (seed, commune):
    the same whatever order or process the communes are generated in."""
    rng = random.Random(f"{seed}:{c.code}")
    r = rng.random
    out = Rows()
    P, M, E, D = out.persons.append, out.members.append, out.events.append, out.periods.append
    share, groups = MINORITIES.get(c.province_code, DEFAULT_MINORITIES)
    ethnic = _table(groups, 100)
    serials = Serials(base=0, size=SYNTH_SERIALS, slot=c.index, slot_size=SLOT)
    n_cells, n_global = len(c.cells), len(cell_ids)
    person_id, member_id = c.person_base, c.member_base
    legacy_units, birth_codes = c.legacy_units, c.birth_codes
    window = END_O - FROM_O

    def person(gender: str, birth: int, kind: str, occupation_key: str, job_title: str = "") -> int:
        nonlocal person_id
        pid = person_id
        person_id += 1
        female = gender == "F"
        fam, mid, giv = name_parts(r, gender)
        full, fold_, sort, order = name_fields(fam, mid, giv)
        by = dt.date.fromordinal(birth).year
        ethnicity = ethnic[int(r() * 100)] if r() < share else "01"
        k = int(r() * len(legacy_units))
        nid = None
        if r() < 0.9:
            code3 = birth_codes[k] if r() < 0.88 else BIRTH_CODES[int(r() * len(BIRTH_CODES))]
            nid = national_id(code3, female, by, serials.next((code3, female, by)))
        education = (EDUCATION_OLD if by < 1960 else EDUCATION_NEW)
        qualifications = QUALIFICATION["commune" if kind == "village" else "agency"]
        qualification = qualifications[int(r() * len(qualifications))]
        theory = THEORY["commune" if kind == "village" else "agency"]
        occupations = OCCUPATION[occupation_key]
        P((pid, full, "", fold_, sort, gender, _ISO[birth - _BASE], "day", nid, ethnicity, RELIGION_TABLE[int(r() * len(RELIGION_TABLE))],
           legacy_units[k] if r() < 0.7 else None, None, "", c.unit_id, None, "", education[int(r() * len(education))], qualification,
           FIELDS[int(r() * len(FIELDS))] if qualification in ("dai_hoc", "thac_si", "tien_si") else "", "", theory[int(r() * len(theory))],
           occupations[int(r() * len(occupations))], job_title, None, now, now, order))
        return pid

    def member(cell_index: int, exit_kind: str | None, title: str) -> None:
        nonlocal member_id
        oid, kind, occupation_key = c.cells[cell_index]
        mid_ = member_id
        member_id += 1
        gender = "F" if r() < FEMALE_SHARE else "M"
        old_exit = exit_kind is not None and r() < 0.7
        # admission: 30% within the ten years, else before (older members for deaths)
        if not old_exit and r() < 0.30:
            adm = FROM_O + int(r() * window)
        else:
            year = PRE_YEARS[int(r() * len(PRE_YEARS))]
            if old_exit and year > 1990:
                year -= 25
            adm = dt.date(year, 1, 1).toordinal() + int(r() * 365)
            if adm >= FROM_O:
                adm = FROM_O - 1 - int(r() * 300)
        age_at = ADMISSION_AGE[int(r() * len(ADMISSION_AGE))]
        cap = 95 - (END.year - dt.date.fromordinal(adm).year)  # nobody older than about 95 on END
        if age_at > cap:
            age_at = max(18, cap)
        birth = adm - int(age_at * 365.25) - int(r() * 330)
        rec = _plus_year(adm)
        joined = 0
        if exit_kind is None and r() < 0.02 and adm < END_O - 400:
            joined = max(FROM_O + 1, adm + 30) + int(r() * max(1, END_O - 60 - max(FROM_O + 1, adm + 30)))
        if joined:
            first_type, first, decision = JOINED, joined, None
        elif adm < FROM_O:
            first_type, first, decision = RECORDED, FROM_O, None
        else:
            first_type, first, decision = ADMITTED, adm, adm - int(r() * 20)
        official_first = first_type != ADMITTED and rec <= first
        exit_on = None
        if exit_kind is not None:
            exit_on = max(first + 30, FROM_O + int(r() * window))
            if exit_on > END_O:
                exit_on = END_O
        last = exit_on if exit_on is not None else END_O + 1  # events happen before last
        evs = []  # (day, order, type, organization, target, badge years, destination/note)
        if not official_first and rec <= END_O and rec < last:
            evs.append((rec, 1, RECOGNIZED, None, None, None, ""))
        where = oid
        moves = 1 if r() < 0.12 else 0
        if moves and r() < 0.15:
            moves = 2
        t = first + 30
        for _ in range(moves):
            if t >= last - 10:
                break
            out_on = t + int(r() * (last - 10 - t))
            if r() < 0.75:
                to = c.cells[int(r() * n_cells)][0]
            else:
                to = cell_ids[int(r() * n_global)]
            if to == where:
                continue
            evs.append((out_on, 5, OUT, None, to, None, ""))
            in_on = out_on + 3 + int(r() * 42)
            if in_on >= last:  # still in transit on END, or leaves meanwhile (a transfer away needs the first one closed)
                if exit_kind == "away":
                    evs.pop()
                break
            evs.append((in_on, 2, RECEIVED, to, None, None, ""))
            where = to
            t = in_on + 30
        age_end = (END_O - birth) // 365
        if age_end >= 75 and r() < 0.2:
            start = max(first + 1, birth + int(72 * 365.25))
            if start < last - 1:
                evs.append((start + int(r() * (last - 1 - start)), 3, EXEMPTED, None, None, None, "Tuổi cao, sức yếu"))
        party_start = decision or adm
        sy = dt.date.fromordinal(party_start).year
        for years in BADGE_YEARS:
            if sy + years < FROM.year - 1:
                continue
            if sy + years > END.year:
                break
            day = _badge_day(party_start, years)
            if day > END_O or day >= last:
                break
            if day >= first:
                evs.append((day, 4, BADGE, None, None, years, ""))
        status_exit = None
        if exit_kind is not None:
            if exit_kind == "away":
                evs.append((exit_on, 9, OUT, None, None, None, AWAY[int(r() * len(AWAY))]))
                status_exit = AWAY_STATUS
            else:
                evs.append((exit_on, 9, exit_kind, None, None, None, ""))
                status_exit = EXIT_STATUS[exit_kind]
        evs.sort()
        # the first event, then the others; periods by the same rule as lifecycle.replay
        a_iso = _ISO[adm - _BASE]
        if first_type == ADMITTED:
            E((mid_, ADMITTED, _ISO[first - _BASE], 0, oid, None, "", "", "", "", None, "", None, None, f"{1 + (mid_ % 397)}-QĐ/ĐU",
               _ISO[decision - _BASE], "", "", now, None))
        else:
            E((mid_, first_type, _ISO[first - _BASE], 0, oid, None, AWAY[mid_ % len(AWAY)] if first_type == JOINED else "", "", "", "",
               None, "", a_iso, _ISO[rec - _BASE] if official_first else None, "", None, "", "", now, None))
        status = OFFICIAL if official_first else PROBATIONARY
        recognized = rec if official_first else None
        org, exempt, transit = oid, False, None
        key = (org, status, False, False)
        since = first
        seq = 0
        for day, _, typ, _org, b, years, text in evs:
            seq += 1
            d_iso = _ISO[day - _BASE]
            if typ == RECOGNIZED:
                status, recognized = OFFICIAL, day
                E((mid_, RECOGNIZED, d_iso, seq, None, None, "", "", "", "", None, "", None, None, "", None, "", "", now, None))
            elif typ == OUT:
                if b is None:  # to an organization outside the system: the member leaves the dataset
                    status, exempt, transit = AWAY_STATUS, False, None
                    E((mid_, OUT, d_iso, seq, None, None, text, "official", "", "", None, "", None, None, "", None, "", "", now, None))
                else:
                    transit = b
                    E((mid_, OUT, d_iso, seq, None, b, "", "official", "", "", None, "", None, None, "", None, "", "", now, None))
            elif typ == RECEIVED:
                org, transit = transit, None
                E((mid_, RECEIVED, d_iso, seq, org, None, "", "", "", "", None, "", None, None, "", None, "", "", now, None))
            elif typ == EXEMPTED:
                exempt = True
                E((mid_, EXEMPTED, d_iso, seq, None, None, "", "", "", "", None, "", None, None, "", None, "", text, now, None))
            elif typ == BADGE:
                E((mid_, BADGE, d_iso, seq, None, None, "", "", "", "", years, "", None, None, "", None, "", "", now, None))
                continue
            else:
                status, exempt, transit = status_exit, False, None
                E((mid_, typ, d_iso, seq, None, None, "", "", "", "", None, "", None, None, "", None, "", "", now, None))
            new_key = (org, status, exempt, transit is not None) if status in (PROBATIONARY, OFFICIAL) else None
            if key is not None and new_key != key:
                if day > since:
                    D((mid_, key[0], key[1], key[2], key[3], None, _ISO[since - _BASE], d_iso))
                key = None
            if new_key is not None and key is None:
                key, since = new_key, day
        if key is not None:
            D((mid_, key[0], key[1], key[2], key[3], None, _ISO[since - _BASE], None))
        pid = person(gender, birth, kind, occupation_key, title)
        final = status_exit or status
        card = f"{birth_codes[0][1:]}{mid_:08d}" if recognized is not None else None
        M((mid_, pid, card, "", final, org, a_iso, _ISO[(decision or adm) - _BASE], iso(recognized), None,
           exempt and status_exit is None, transit is not None and status_exit is None, now))

    for i, size in enumerate(c.sizes):
        for k in range(size):
            member(i, None, "Bí thư chi bộ" if k == 0 else "Phó Bí thư chi bộ" if k == 1 else "")
    for _ in range(c.exited):
        old = r() < 0.7
        table = EXITS_OLD if old else EXITS_YOUNG
        member(int(r() * n_cells), table[int(r() * len(table))], "")
    for _ in range(c.candidates):
        i = int(r() * n_cells)
        oid, kind, occupation_key = c.cells[i]
        gender = "F" if r() < 0.45 else "M"
        birth = dt.date(1990, 1, 1).toordinal() + int(r() * 5500)
        pid = person(gender, birth, kind, occupation_key)
        listed = END_O - 30 - int(r() * 300)
        done = r() < 0.5
        out.candidates.append((pid, oid, _ISO[listed - _BASE], _ISO[listed + 20 - _BASE] if done else None,
                               f"GCN {100 + int(r() * 900)}/{dt.date.fromordinal(listed).year}" if done else "", "", "preparing", None, now))
    return out


# ---------------------------------------------------------------- writing


PLACEMENTS = "organizations_placement"
BULK_TABLES = (PLACEMENTS, "people_person", "members_member", "members_memberevent", "members_memberperiod",
               "members_membersearch")
SEARCH_INDEXES = "members_search_"  # filled from the other tables once they are loaded and indexed, then indexed
# the events' indexes are built after their owners are written (fill_owners): one sort each rather
# than a second entry per updated row
EVENT_INDEXES = ("members_event_", "members_memberevent_")


def secondary_indexes(cursor, table: str) -> list[tuple[str, str]]:
    """PostgreSQL: (name, CREATE statement) of the table's indexes that back no constraint."""
    cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s "
                   "AND indexname NOT IN (SELECT conname FROM pg_constraint)", [table])
    return cursor.fetchall()


class Loader:
    """Bulk writes for a throwaway dataset: rows in large batches, secondary indexes dropped during
    the load and rebuilt after it (one sort each instead of millions of B-tree inserts).

    SQLite: journal in memory, no fsync, foreign keys unchecked during the load (the generator
    keeps them; the tests check a small dataset), then WAL again and ANALYZE. A crash in the
    middle leaves a broken database: build into a fresh file. PostgreSQL: COPY, foreign-key
    triggers off for the session (session_replication_role, superuser only: otherwise checked),
    then ANALYZE and the identity sequences moved past the explicit ids.
    """

    def __init__(self, connection, say=print):
        self.connection = connection
        self.vendor = connection.vendor
        self.say = say
        self.indexes: list[tuple[str, str]] = []
        self.rows = 0
        self.totals: dict = {}
        self.written: set[str] = set()

    def start(self) -> None:
        c = self.connection
        c.ensure_connection()
        if self.vendor == "sqlite":
            raw = c.connection
            for pragma in ("journal_mode=MEMORY", "synchronous=OFF", "foreign_keys=OFF", "cache_size=-1000000", "temp_store=MEMORY"):
                raw.execute(f"PRAGMA {pragma}")
            for table in BULK_TABLES:
                for name, sql in raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", (table,)):
                    self.indexes.append((name, sql))
            for name, _ in self.indexes:
                raw.execute(f'DROP INDEX "{name}"')
            raw.execute("BEGIN")
        else:
            with c.cursor() as cursor:
                for table in BULK_TABLES:
                    self.indexes.extend(secondary_indexes(cursor, table))
                for name, _ in self.indexes:
                    cursor.execute(f'DROP INDEX "{name}"')
                try:
                    cursor.execute("SAVEPOINT synth_role")
                    cursor.execute("SET session_replication_role = replica")
                    cursor.execute("RELEASE SAVEPOINT synth_role")
                except Exception:  # noqa: BLE001 - not a superuser: the foreign keys are checked, slower
                    cursor.execute("ROLLBACK TO SAVEPOINT synth_role")

    def insert(self, table: str, rows: list) -> None:
        if not rows:
            return
        columns = TABLES[table]
        self.rows += len(rows)
        if table == PLACEMENTS and table not in self.written:
            # the ledger of organizations' triggers (measures/orgledger.py) would follow each loaded
            # placement (SQLite: one upsert a row, 44 s at national scale) or not at all
            # (PostgreSQL's replica role skips triggers): off for the load; installed again by
            # finish(), the table counted by ledger.rebuild() after it as the other summaries are
            from coso.measures import orgledger

            orgledger.suspend()
        self.written.add(table)
        if self.vendor == "sqlite":
            marks = ", ".join("?" * len(columns))
            self.connection.connection.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
        else:
            with self.connection.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)

    def finish(self) -> None:
        """Commit, rebuild the indexes, gather statistics."""
        c = self.connection
        t0 = time.perf_counter()
        if self.vendor == "sqlite":
            raw = c.connection
            raw.execute("COMMIT")
            for name, sql in self.indexes:
                if not name.startswith((SEARCH_INDEXES, *EVENT_INDEXES)):
                    raw.execute(sql)
            self.fill_owners()
            for name, sql in self.indexes:
                if name.startswith(EVENT_INDEXES):
                    raw.execute(sql)
            self.fill_search()  # its own transaction
            for name, sql in self.indexes:
                if name.startswith(SEARCH_INDEXES):
                    raw.execute(sql)
            if sqlite.may_analyze(c):  # not on a SQLite whose planner then returns wrong rows (coso/lib/sqlite.py)
                raw.execute("PRAGMA analysis_limit=1000")
                raw.execute("ANALYZE")
            raw.execute("PRAGMA journal_mode=WAL")
            raw.execute("PRAGMA synchronous=NORMAL")
            raw.execute("PRAGMA foreign_keys=ON")
        else:
            from django.core.management.color import no_style

            from coso.members.models import Candidate, Member
            from coso.organizations.models import Organization, Placement
            from coso.people.models import Person

            with c.cursor() as cursor:
                cursor.execute("SET maintenance_work_mem = '1GB'")
                for name, sql in self.indexes:
                    if not name.startswith((SEARCH_INDEXES, *EVENT_INDEXES)):
                        cursor.execute(sql)
                joined = ("members_member", "people_person", "organizations_placement")
                for table in joined:
                    cursor.execute(f"ANALYZE {table}")  # for the plan of the search rows' join
                cursor.execute("ANALYZE members_memberperiod")  # for the plan of the owners' update
                # the owners written while the foreign-key triggers are still off (they name loaded
                # organizations); where they are on (not a superuser), their deferred checks run
                # now: PostgreSQL builds no index on a table with pending trigger events
                self.fill_owners()
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET session_replication_role = DEFAULT")
                for name, sql in self.indexes:
                    if name.startswith(EVENT_INDEXES):
                        cursor.execute(sql)
                self.fill_search()
                for name, sql in self.indexes:
                    if name.startswith(SEARCH_INDEXES):
                        cursor.execute(sql)
                for sql in c.ops.sequence_reset_sql(no_style(), [Organization, Placement, Person, Member, Candidate]):
                    cursor.execute(sql)
                for table in (*BULK_TABLES, "organizations_organization", "members_candidate"):
                    if table not in joined:
                        cursor.execute(f"ANALYZE {table}")
        if PLACEMENTS in self.written:
            from coso.measures import orgledger

            orgledger.install()
        self.say(f"  chỉ mục và thống kê: {time.perf_counter() - t0:.0f} s")

    def fill_owners(self) -> None:
        """The organization each loaded event belongs to (members.owners.refresh: the rule's one
        SQL form), once the periods are indexed and before the events are: the generator leaves
        it out."""
        if "members_memberevent" not in self.written:
            return
        from coso.members import owners

        t0 = time.perf_counter()
        written = owners.refresh()
        self.say(f"  tổ chức của {_vn(written)} sự kiện: {time.perf_counter() - t0:.0f} s")

    def fill_search(self) -> None:
        """The search copy of every member (members.search.rebuild: the rows' one definition), in
        one INSERT ... SELECT from the loaded members, persons and placements."""
        from coso.members import search

        t0 = time.perf_counter()
        search.rebuild()
        self.say(f"  bảng tìm kiếm: {time.perf_counter() - t0:.0f} s")

    def vacuum(self) -> None:
        """PostgreSQL, after the commit: set the visibility map (index-only scans) and the hint bits
        now rather than on the first reads."""
        if self.vendor == "sqlite":
            return
        t0 = time.perf_counter()
        with self.connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {', '.join(BULK_TABLES)}")
        self.say(f"  VACUUM: {time.perf_counter() - t0:.0f} s")

    def abort(self) -> None:
        """SQLite: roll back and put the indexes back. PostgreSQL: the caller's transaction rolls back."""
        if self.vendor == "sqlite":
            raw = self.connection.connection
            if raw.in_transaction:
                raw.execute("ROLLBACK")
            for _, sql in self.indexes:
                raw.execute(sql.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS").replace("CREATE UNIQUE INDEX", "CREATE UNIQUE INDEX IF NOT EXISTS"))
            raw.execute("PRAGMA journal_mode=WAL")
            if PLACEMENTS in self.written:  # PostgreSQL: the dropped triggers come back with the rollback
                from coso.measures import orgledger

                orgledger.install()


def _vn(n: int) -> str:
    return f"{n:,}".replace(",", ".")
