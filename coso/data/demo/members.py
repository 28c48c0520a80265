"""The demo's party members: Núi Thành's 5,400 on 31/03/2024, with ten years of history.

Deterministic (random.Random(SEED)) and written through members.bulk.record_members, so every
member's events pass the lifecycle rules and their periods come from lifecycle.replay.

- 5,400 members are in Núi Thành's cells on 31/03/2024 (probationary and official, exempted
  included), about 3% probationary (admitted in the 12 months before), spread over the 262 cells
  (8 to 60 each, village cells and agencies the biggest). 35% women; Cor (Co, "30") and Ca Dong
  (Xơ-đăng, "16") members in the mountain communes; a few Buddhists and Catholics; ages 22-85;
  admissions 1965-2024; national IDs valid for most (province code 049 for Quảng Nam births).
- Members admitted before the system's records start (01/01/2015) are recorded then with their
  admission and recognition dates; later ones have their admission and recognition events, and
  those admitted from 2020 their candidacy (quần chúng ưu tú) before it.
- History: transfers between cells, transfers in from other districts, old-age exemptions,
  badges on the ceremony days, deaths, removals and transfers away in 2016-2024 (members who
  left before 31/03/2024 come on top of the 5,400), admissions after 31/03/2024.
- On 01/07/2025 every active member is handed over from the closing legacy cell to its successor
  in the new communes (one ORG_HANDOVER event, "chuyển giao tổ chức", as a restructuring's commit
  writes it: not a transfer, so the year's report counts no transfer in or out for it), so the
  count of 30/06/2025 equals the count of 01/07/2025: no member lost, none counted twice, no exit
  that day.
- A few candidates are being prepared in every new commune.
"""

import datetime as dt
import itertools
import random

from coso.data.synth import builder as synth
from coso.lib.text import fold, name_sort_key, person_sort_key
from coso.members.bulk import Row, record_members
from coso.members.lifecycle import add_months
from coso.members.models import Candidate, EventType, TransferKind
from coso.organizations.models import Placement
from coso.people.models import Person
from coso.restructuring import reform2025

from .dataset import LEGACY_FROM, REFORM, Demo

SEED = 2024
COUNT_DAY = dt.date(2024, 3, 31)
MEMBERS_ON_COUNT_DAY = 5400
HORIZON = dt.date(2025, 10, 31)  # the last generated event: the demo never holds future events
LAST_LEGACY_MOVE = dt.date(2025, 6, 20)  # transfers between legacy cells end before the reform

MOUNTAIN = {"Tam Trà", "Tam Sơn", "Tam Thạnh", "Tam Mỹ Tây"}
OTHER_BIRTHPLACES = [("048", "Đà Nẵng"), ("051", "Quảng Ngãi"), ("046", "Thừa Thiên Huế"), ("052", "Bình Định"),
                     ("042", "Hà Tĩnh"), ("040", "Nghệ An"), ("038", "Thanh Hóa"), ("001", "Hà Nội")]
ELSEWHERE = ["Đảng bộ huyện Phú Ninh", "Đảng bộ thành phố Tam Kỳ", "Đảng bộ huyện Thăng Bình", "Đảng bộ huyện Bình Sơn (Quảng Ngãi)",
             "Đảng bộ quận Hải Châu (Đà Nẵng)", "Đảng bộ Quân khu 5"]
# size of a cell on 31/03/2024 before scaling to 5,400 (low, high)
SIZES = {"village": (14, 58), "school": (8, 14), "health": (8, 12), "military": (9, 16), "police": (12, 25), "office": (10, 28)}
GRASSROOTS_SIZES = {"armed_forces": (20, 40), "enterprise": (10, 40), "school": (15, 35), "agency": (8, 20),
                    "public_service": (8, 18), "other": (8, 12)}
OCCUPATION_OF_ROLE = {"village": "village", "school": "school", "health": "health", "military": "armed_forces", "police": "police", "office": "agency"}
OCCUPATION_OF_SECTOR = {"armed_forces": "armed_forces", "enterprise": "enterprise", "school": "school", "agency": "agency",
                        "public_service": "agency", "other": "agency", "commune": "village"}


YEARS = range(1965, 2024)  # admission years of the members counted on 31/03/2024, more in recent years
YEAR_WEIGHTS = list(itertools.accumulate(1 + (y - 1965) * 0.12 for y in YEARS))


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A day in [start, end]."""
    return start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def allocate(rng: random.Random, cells, total: int, low: int = 8, high: int = 60) -> list[int]:
    """Cell sizes drawn by role, scaled to add up to total exactly, each within [low, high]."""
    raw = []
    for cell in cells:
        a, b = SIZES.get(cell.role) or GRASSROOTS_SIZES[cell.sector]
        raw.append(rng.randint(a, b))
    factor = total / sum(raw)
    sizes = [min(high, max(low, int(r * factor))) for r in raw]
    order = sorted(range(len(cells)), key=lambda i: -(raw[i] * factor - int(raw[i] * factor)))
    i = 0
    while sum(sizes) != total:
        k = order[i % len(order)]
        step = 1 if sum(sizes) < total else -1
        if low <= sizes[k] + step <= high:
            sizes[k] += step
        i += 1
    return sizes


class Generator:
    def __init__(self, d: Demo):
        self.d = d
        self.rng = random.Random(SEED)
        self.serials = synth.Serials()
        self.bad_ids = 0
        self.cells = d.cells
        self.by_committee: dict[int, list] = {}
        for cell in d.cells:
            self.by_committee.setdefault(cell.committee.pk if cell.committee else 0, []).append(cell)
        self.commune_by_pk = {c.pk: c for c in d.communes}

    # ------------------------------------------------------------ persons

    def person(self, cell, gender: str, birth: dt.date, *, job_title: str = "", adult_job: bool = True) -> dict:
        rng, r = self.rng, self.rng.random
        commune = cell.commune if cell is not None else None
        home = commune or self.d.communes[rng.randrange(len(self.d.communes))]
        mountain = home.name in MOUNTAIN and (cell is None or cell.role == "village")
        ethnicity, family = "01", None
        if r() < (0.14 if mountain else 0.002):
            ethnicity = "30" if r() < 0.7 else "16"
            family = "Hồ" if r() < 0.5 else "Đinh" if r() < 0.7 else None
        fam, mid, giv = synth.name_parts(r, gender, family)
        religion = "00"
        x = r()
        if x < 0.035:
            religion = "01"
        elif x < 0.045:
            religion = "02"
        if r() < 0.85:
            province3, origin_unit, origin_text = "049", home.pk, ""
        else:
            province3, origin_text = OTHER_BIRTHPLACES[rng.randrange(len(OTHER_BIRTHPLACES))]
            origin_unit = None
        female = gender == "F"
        nid = None
        if r() < 0.94:
            digit_key = (province3, female, birth.year)
            nid = synth.national_id(province3, female, birth.year, self.serials.next(digit_key))
            if self.bad_ids < 8 and r() < 0.004:  # a few records with the year part wrong, for the quality pages
                self.bad_ids += 1
                nid = synth.national_id(province3, female, birth.year + 1, self.serials.next((province3, female, birth.year + 1)))
        kind = "commune" if cell is None or cell.role == "village" else "agency"
        qualification = synth.QUALIFICATION[kind][int(r() * len(synth.QUALIFICATION[kind]))]
        theory = synth.THEORY[kind][int(r() * len(synth.THEORY[kind]))]
        occ_key = OCCUPATION_OF_ROLE.get(cell.role) if cell is not None else "village"
        if occ_key is None:
            occ_key = OCCUPATION_OF_SECTOR.get(cell.sector, "agency")
        occupation = synth.OCCUPATION[occ_key][int(r() * len(synth.OCCUPATION[occ_key]))]
        if adult_job and kind == "commune" and COUNT_DAY.year - birth.year >= 62:
            occupation = "Hưu trí"
        education = (synth.EDUCATION_OLD if birth.year < 1960 else synth.EDUCATION_NEW)
        return {
            "full_name": f"{fam} {mid} {giv}", "gender": gender, "birth_date": birth, "national_id": nid,
            "ethnicity": ethnicity, "religion": religion, "origin_unit_id": origin_unit, "origin_text": origin_text,
            "residence_unit_id": home.pk, "residence_village_id": cell.village.pk if cell is not None and cell.village else None,
            "education": education[int(r() * len(education))], "qualification": qualification,
            "qualification_field": synth.FIELDS[rng.randrange(len(synth.FIELDS))] if qualification in ("dai_hoc", "thac_si", "tien_si") else "",
            "theory_level": theory, "occupation": occupation, "job_title": job_title,
        }

    def birth_for(self, admitted: dt.date, youngest_on: tuple[dt.date, int] | None = None, oldest_on: tuple[dt.date, int] | None = None) -> dt.date:
        """A birth date for someone admitted on the day at a usual age, within the age bounds."""
        rng = self.rng
        for _ in range(50):
            age = synth.ADMISSION_AGE[rng.randrange(len(synth.ADMISSION_AGE))]
            birth = admitted - dt.timedelta(days=int(age * 365.25) + rng.randint(0, 360))
            if youngest_on and synth.add_years(birth, youngest_on[1]) > youngest_on[0]:
                continue
            if oldest_on and synth.add_years(birth, oldest_on[1] + 1) <= oldest_on[0]:
                continue
            return birth
        return admitted - dt.timedelta(days=int(18.5 * 365.25))

    # ------------------------------------------------------------ one member's life

    def other_cell(self, cell):
        """Where a member moves: mostly a cell of the same committee, sometimes anywhere."""
        rng = self.rng
        pool = self.by_committee.get(cell.committee.pk if cell.committee else 0, [])
        if len(pool) < 2 or rng.random() < 0.3:
            pool = self.cells
        while True:
            other = pool[rng.randrange(len(pool))]
            if other is not cell:
                return other

    def successor(self, cell, person: dict):
        if cell.successor is not None:
            return cell.successor
        # a district agency's member goes to the cell of the same role where they live
        name = self.d.new_commune_of[person["residence_unit_id"]]
        return self.d.new_cells[(name, cell.role)]

    def life(self, *, cell, person: dict, admitted: dt.date, joined_on: dt.date | None = None,
             moves: list = (), exempt_on: dt.date | None = None, exit: tuple | None = None) -> tuple[str, Row]:
        """The member's events, in order, as a bulk Row; moves are (letter date, receipt date, to cell)."""
        rng = self.rng
        recognized = add_months(admitted, 12)
        decision = admitted - dt.timedelta(days=rng.randint(0, 20))
        if joined_on:
            first_type, first_on, first_decision = EventType.JOINED_BY_TRANSFER, joined_on, None
        elif admitted < LEGACY_FROM:
            first_type, first_on, first_decision = EventType.RECORDED, LEGACY_FROM, None
        else:
            first_type, first_on, first_decision = EventType.ADMITTED, admitted, decision
        official_at_first = first_type != EventType.ADMITTED and recognized <= first_on
        exit_on = exit[1] if exit else None
        events = []  # (date, order, fields)
        if not official_at_first and recognized <= HORIZON and (exit_on is None or recognized < exit_on):
            events.append((recognized, 1, {"type": EventType.RECOGNIZED, "decision_number": f"{rng.randint(1, 400)}-QĐ/ĐU"}))
        where = cell
        for out_on, in_on, to in moves:
            events.append((out_on, 5, {"type": EventType.TRANSFER_OUT, "target_id": to.organization.pk, "transfer_kind": TransferKind.OFFICIAL}))
            events.append((in_on, 2, {"type": EventType.TRANSFER_RECEIVED, "organization_id": to.organization.pk}))
            where = to
        if exempt_on:
            events.append((exempt_on, 3, {"type": EventType.EXEMPTED, "note": "Tuổi cao, sức yếu"}))
        # badges on the first ceremony day after each milestone of party age, while in the Party
        start = first_decision or admitted
        for years in synth.BADGE_YEARS:
            day = synth.ceremony_on_or_after(synth.add_years(start, years))
            if day > HORIZON or (exit_on and day >= exit_on):
                break
            if day >= first_on and day != REFORM:
                events.append((day, 4, {"type": EventType.BADGE_AWARDED, "badge_years": years}))
        if exit_on is None or exit_on > REFORM:
            target = self.successor(where, person)
            # the restructuring's hand-off (lifecycle: only the organization changes), as
            # restructuring.services.commit writes it: not a transfer (no letter, no receipt)
            events.append((REFORM, 7, {"type": EventType.ORG_HANDOVER, "organization_id": target.pk, "decision_number": reform2025.DECISION,
                                       "issuing_body": reform2025.ISSUER, "note": "Chuyển giao tổ chức khi sắp xếp tổ chức đảng từ 01/07/2025"}))
        if exit:
            kind, day, extra = exit
            events.append((day, 9, {"type": kind, **extra}))
        events.sort(key=lambda e: (e[0], e[1]))
        row = Row(
            person=person, organization_id=cell.organization.pk, on=first_on, admitted_on=admitted,
            recognized_on=recognized if official_at_first else None, decision_date=first_decision,
            events=[{"effective_date": day, **fields} for day, _, fields in events],
        )
        return first_type, row

    def exit_event(self, age: int, day: dt.date) -> tuple:
        r = self.rng.random()
        if r < (0.85 if age >= 60 else 0.25):
            return (EventType.DECEASED, day, {})
        if r < (0.92 if age >= 60 else 0.75):
            return (EventType.TRANSFER_OUT, day, {"destination": ELSEWHERE[self.rng.randrange(len(ELSEWHERE))], "transfer_kind": TransferKind.OFFICIAL})
        if r < 0.97:
            return (EventType.REMOVED, day, {"decision_number": f"{self.rng.randint(1, 300)}-QĐ/ĐU", "note": "Bỏ sinh hoạt đảng không có lý do chính đáng"})
        return (EventType.LEFT, day, {"note": "Xin ra khỏi Đảng"})

    # ------------------------------------------------------------ the three groups

    def counted(self, sizes: list[int]) -> list[tuple[str, Row, object, dt.date]]:
        """The members in a cell on 31/03/2024: exactly sizes[i] in cell i."""
        rng, r = self.rng, self.rng.random
        out = []
        for cell, size in zip(self.cells, sizes, strict=True):
            for k in range(size):
                gender = "F" if r() < 0.35 else "M"
                if r() < 0.03:  # probationary on 31/03/2024
                    admitted = _day(rng, dt.date(2023, 4, 1), COUNT_DAY)
                else:
                    year = rng.choices(YEARS, cum_weights=YEAR_WEIGHTS)[0]
                    admitted = _day(rng, dt.date(year, 1, 1), min(dt.date(year, 12, 31), dt.date(2023, 3, 31)))
                birth = self.birth_for(admitted, youngest_on=(COUNT_DAY, 22), oldest_on=(COUNT_DAY, 85))
                age = COUNT_DAY.year - birth.year
                title = "Bí thư chi bộ" if k == 0 else "Phó Bí thư chi bộ" if k == 1 else "Trưởng thôn" if k == 2 and cell.role == "village" else ""
                person = self.person(cell, gender, birth, job_title=title)
                joined_on = None
                if r() < 0.03 and admitted < dt.date(2022, 1, 1):
                    joined_on = _day(rng, max(LEGACY_FROM + dt.timedelta(days=1), admitted + dt.timedelta(days=30)), COUNT_DAY - dt.timedelta(days=1))
                first_on = joined_on or max(admitted, LEGACY_FROM)
                moves, start_cell = [], cell
                if r() < 0.06 and k > 1:
                    if r() < 0.5 and first_on < COUNT_DAY - dt.timedelta(days=90):  # came from another cell before the count
                        out_on = _day(rng, first_on + dt.timedelta(days=60), COUNT_DAY - dt.timedelta(days=30))
                        start_cell = self.other_cell(cell)
                        moves = [(out_on, out_on + dt.timedelta(days=rng.randint(5, 25)), cell)]
                    else:  # moves away after the count, inside the district
                        out_on = _day(rng, COUNT_DAY + dt.timedelta(days=1), LAST_LEGACY_MOVE - dt.timedelta(days=30))
                        moves = [(out_on, out_on + dt.timedelta(days=rng.randint(5, 25)), self.other_cell(cell))]
                exempt_on = None
                if age >= 75 and admitted.year <= 1994 and r() < 0.25:
                    exempt_from = max(first_on + dt.timedelta(days=30), synth.add_years(birth, 72))
                    if exempt_from < COUNT_DAY:
                        exempt_on = _day(rng, exempt_from, COUNT_DAY - dt.timedelta(days=1))
                exit = None
                if r() < 0.025 and k > 1:
                    last = max([first_on, COUNT_DAY, *[m[1] for m in moves]])
                    window = (last + dt.timedelta(days=1), LAST_LEGACY_MOVE) if r() < 0.6 else (dt.date(2025, 7, 10), HORIZON)
                    if window[0] < window[1]:
                        exit = self.exit_event(age, _day(rng, *window))
                first_type, row = self.life(cell=start_cell, person=person, admitted=admitted, joined_on=joined_on, moves=moves,
                                            exempt_on=exempt_on, exit=exit)
                out.append((first_type, row))
        return out

    def left_before(self, sizes: list[int], count: int) -> list:
        """Members who died, were removed or moved away before 31/03/2024 (not in the 5,400)."""
        rng, r = self.rng, self.rng.random
        out = []
        for _ in range(count):
            cell = rng.choices(self.cells, weights=sizes)[0]
            gender = "F" if r() < 0.3 else "M"
            day = _day(rng, dt.date(2020, 1, 1), COUNT_DAY) if r() < 0.6 else _day(rng, dt.date(2016, 1, 1), dt.date(2019, 12, 31))
            old = r() < 0.75
            if old:
                admitted = _day(rng, dt.date(1955, 1, 1), dt.date(1990, 12, 31))
            else:
                admitted = _day(rng, dt.date(1995, 1, 1), min(dt.date(2019, 12, 31), day - dt.timedelta(days=400)))
            birth = self.birth_for(admitted)
            age = day.year - birth.year
            person = self.person(cell, gender, birth)
            kind = self.exit_event(age if old else min(age, 50), day)
            first_type, row = self.life(cell=cell, person=person, admitted=admitted, exit=kind)
            out.append((first_type, row))
        return out

    def admitted_after(self, sizes: list[int], before: int, after: int) -> list:
        """Admissions after 31/03/2024: in the legacy cells until June 2025, then in the new ones."""
        rng, r = self.rng, self.rng.random
        out = []
        for i in range(before + after):
            gender = "F" if r() < 0.42 else "M"
            if i < before:
                cell = rng.choices(self.cells, weights=sizes)[0]
                admitted = _day(rng, COUNT_DAY + dt.timedelta(days=1), dt.date(2025, 6, 15))
                person = self.person(cell, gender, self.birth_for(admitted, youngest_on=(admitted, 19), oldest_on=(admitted, 40)))
                out.append(self.life(cell=cell, person=person, admitted=admitted))
            else:
                new_cell = self.d.new_village_cells[rng.randrange(len(self.d.new_village_cells))]
                admitted = _day(rng, dt.date(2025, 7, 15), HORIZON - dt.timedelta(days=5))
                person = self.person(None, gender, self.birth_for(admitted, youngest_on=(admitted, 19), oldest_on=(admitted, 40)))
                row = Row(person=person, organization_id=new_cell.pk, on=admitted, admitted_on=admitted,
                          decision_date=admitted - dt.timedelta(days=rng.randint(0, 15)))
                out.append((EventType.ADMITTED, row))
        return out


def populate(d: Demo, *, actor=None, say=print) -> dict:
    g = Generator(d)
    rng = g.rng
    sizes = allocate(rng, d.cells, MEMBERS_ON_COUNT_DAY)
    plans = g.counted(sizes) + g.left_before(sizes, 650) + g.admitted_after(sizes, 130, 30)
    by_type: dict[str, list[Row]] = {}
    for first_type, row in plans:
        by_type.setdefault(first_type, []).append(row)
    members = []
    for first_type in (EventType.RECORDED, EventType.ADMITTED, EventType.JOINED_BY_TRANSFER):
        rows = by_type.get(first_type, [])
        created = record_members(rows, actor=actor, event_type=first_type, audit_type="members.member.demo")
        members.extend((member, row, first_type) for member, row in zip(created, rows, strict=True))
    candidates = _candidates(g, members)
    say(f"Đảng viên: {len(members)} hồ sơ ({MEMBERS_ON_COUNT_DAY} đảng viên tại Núi Thành ngày 31/03/2024), {candidates} quần chúng ưu tú.")
    return {"members": len(members), "candidates": candidates}


def _candidates(g: Generator, members) -> int:
    """Candidacies: the history of members admitted since 2020, and candidates being prepared now."""
    rng = g.rng
    rows = []
    for member, row, first_type in members:
        if first_type == EventType.ADMITTED and row.on >= dt.date(2020, 1, 1):
            listed = member.admitted_on - dt.timedelta(days=rng.randint(200, 420))
            rows.append(Candidate(person_id=member.person_id, organization_id=row.organization_id, listed_on=listed,
                                  course_completed_on=member.admitted_on - dt.timedelta(days=rng.randint(30, 150)),
                                  course_certificate=f"GCN {rng.randint(100, 999)}/{listed.year}", state=Candidate.State.ADMITTED, member=member))
    persons, preparing = [], []
    commune_of = dict(Placement.objects.filter(organization__in=g.d.new_village_cells).values_list("organization_id", "area__name"))
    for name in sorted(g.d.new_communes):
        cells = [c for c in g.d.new_village_cells if commune_of[c.pk] == name] + [g.d.new_cells[(name, "school")]]
        for _ in range(rng.randint(4, 8)):
            gender = "F" if rng.random() < 0.5 else "M"
            birth = _day(rng, dt.date(1990, 1, 1), dt.date(2005, 6, 30))
            data = g.person(None, gender, birth, adult_job=False)
            person = Person(**data)
            person.name_folded, person.name_sort = fold(person.full_name), name_sort_key(person.full_name)
            person.name_order = person_sort_key(person.full_name)
            persons.append(person)
            listed = _day(rng, dt.date(2025, 7, 5), HORIZON - dt.timedelta(days=10))
            done = rng.random() < 0.5
            preparing.append(Candidate(organization=cells[rng.randrange(len(cells))], listed_on=listed,
                                       course_completed_on=listed + dt.timedelta(days=rng.randint(3, 10)) if done else None,
                                       course_certificate=f"GCN {rng.randint(100, 999)}/2025" if done else "",
                                       introducers="Đảng viên chính thức của chi bộ"))
    persons = Person.objects.bulk_create(persons)
    for candidate, person in zip(preparing, persons, strict=True):
        candidate.person = person
    Candidate.objects.bulk_create(rows + preparing)
    return len(rows) + len(preparing)
