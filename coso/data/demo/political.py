"""The demo's commune staffing and political-theory training (coso/staffing, coso/training).

Núi Thành's 17 legacy communes each get their quota under NĐ 33/2023 (from 01/08/2023), their
cadres, civil servants and part-time staff (mostly party members of the commune, some not), and
on 01/07/2025 the reform: a few streamlined under NĐ 178/2024 as amended by 67/2025, the others
moving to the new commune that took theirs over (the unified categories), the part-time staff
carried over until their posts end on 01/08/2025, two per new commune kept in the transitional
category. Courses: the district's elementary, new-member and refresher courses from 2023, the new
communes' courses from the reform on, their members enrolled and most completing.

Every write through the services (audited). Small on purpose: the demo must stay quick to build.
"""

import datetime as dt
import random

from coso.data.synth import builder as synth
from coso.members.models import MemberPeriod
from coso.people.models import Person
from coso.people.services import create_person
from coso.places.models import AdminUnit, Level
from coso.staffing import services as staffing
from coso.staffing.models import Employment
from coso.staffing.reference import PART_TIME_END, BodyKind, Category, Ending, ExitForm
from coso.training import services as training
from coso.training.choices import Body, Program

from .dataset import REFORM, Demo

SEED = 2025
QUOTA_FROM = dt.date(2023, 8, 1)  # NĐ 33/2023 in force
STAFF_FROM = dt.date(2021, 6, 1)  # the 2021-2026 term
CADRES = [("Bí thư Đảng ủy", "bi_thu", BodyKind.PARTY), ("Phó Bí thư Thường trực Đảng ủy", "pho_bi_thu", BodyKind.PARTY),
          ("Chủ tịch UBND", "chu_tich_ubnd", BodyKind.COMMITTEE), ("Chủ tịch Ủy ban MTTQ", "chu_tich_mttq", BodyKind.FRONT),
          ("Bí thư Đoàn Thanh niên", "", BodyKind.FRONT)]
CIVIL = [("Công chức Văn phòng – thống kê", "cong_chuc"), ("Công chức Tài chính – kế toán", "cong_chuc"),
         ("Công chức Tư pháp – hộ tịch", "cong_chuc"), ("Công chức Văn hóa – xã hội", "cong_chuc")]
PART_TIME = ["Phó Chỉ huy trưởng Quân sự", "Văn phòng Đảng ủy", "Phó Chủ tịch Hội Nông dân"]


def populate(d: Demo, *, actor=None, say=print) -> None:
    rng = random.Random(SEED)
    staff_count = _staffing(d, rng, actor)
    courses, enrolled = _training(d, rng, actor)
    say(f"Biên chế: {staff_count} cán bộ, công chức, người hoạt động không chuyên trách; đào tạo: {courses} lớp, {enrolled} lượt học viên.")


def _members_of(organization, on, n, rng) -> list[Person]:
    ids = list(MemberPeriod.objects.under(organization, on=on).values_list("member__person_id", flat=True).distinct()[:400])
    return list(Person.objects.filter(pk__in=rng.sample(ids, min(n, len(ids)))))


def _new_person(rng, actor, commune) -> Person:
    """A staff member who is not a party member of the demo: living in a village of the commune."""
    female = rng.random() < 0.4
    family = rng.choice(["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan"])
    given = rng.choice(["Lan", "Hoa", "Thu", "Hà"] if female else ["Hùng", "Dũng", "Nam", "Sơn"])
    born = dt.date(rng.randint(1970, 1995), rng.randint(1, 12), 1)
    nid = None
    for _i in range(20):
        candidate = synth.national_id("049", female, born.year, rng.randrange(1_000_000))
        if not Person.objects.filter(national_id=candidate).exists():
            nid = candidate
            break
    village = AdminUnit.objects.filter(parent=commune, level=Level.VILLAGE).order_by("pk").first()
    return create_person(actor=actor, full_name=f"{family} {'Thị' if female else 'Văn'} {given}", gender="F" if female else "M",
                         birth_date=born, national_id=nid, residence_unit=commune, residence_village=village, qualification="dai_hoc")


def _staffing(d: Demo, rng, actor) -> int:
    made = 0
    carried: dict[str, list] = {}  # new commune name -> [(person, position, title, body, category)]
    titles: dict[str, set] = {}  # new commune name -> titles given (one secretary, one chair per commune)
    for commune, committee in zip(d.communes, d.grassroots[:len(d.communes)], strict=True):
        staffing.set_quota(actor=actor, commune=commune, category=Category.COMMUNE_CADRE, number=len(CADRES) + 4, valid_from=QUOTA_FROM)
        staffing.set_quota(actor=actor, commune=commune, category=Category.COMMUNE_CIVIL_SERVANT, number=len(CIVIL) + 2, valid_from=QUOTA_FROM)
        staffing.set_quota(actor=actor, commune=commune, category=Category.COMMUNE_PART_TIME, number=len(PART_TIME) + 9, valid_from=QUOTA_FROM)
        people = _members_of(committee, STAFF_FROM, len(CADRES) + len(CIVIL) + len(PART_TIME), rng)
        rows = [(Category.COMMUNE_CADRE, p, t, b) for p, t, b in CADRES] + [(Category.COMMUNE_CIVIL_SERVANT, p, t, BodyKind.COMMITTEE) for p, t in CIVIL]
        rows += [(Category.COMMUNE_PART_TIME, p, "", BodyKind.COMMITTEE) for p in PART_TIME]
        new_name = d.new_commune_of.get(commune.pk)
        for i, (category, position, title, body) in enumerate(rows):
            person = people[i] if i < len(people) and rng.random() < 0.85 else _new_person(rng, actor, commune)
            e = staffing.start_employment(actor=actor, person=person, commune=commune, body_kind=body, category=category,
                                          position=position, title=title, valid_from=STAFF_FROM)
            made += 1
            if category == Category.COMMUNE_PART_TIME:
                ending = Ending.RECLASSIFIED
            elif i in (1, 4) or (category == Category.COMMUNE_CIVIL_SERVANT and rng.random() < 0.25):
                staffing.end_employment(actor=actor, employment=e, valid_to=REFORM, ending=Ending.STREAMLINING, basis="178/2024+67/2025",
                                        exit_form=rng.choice([ExitForm.EARLY_RETIREMENT, ExitForm.RESIGNATION]))
                continue
            else:
                ending = Ending.TRANSFER
            staffing.end_employment(actor=actor, employment=e, valid_to=REFORM, ending=ending)
            if new_name:
                unified = {Category.COMMUNE_CADRE: Category.CADRE, Category.COMMUNE_CIVIL_SERVANT: Category.CIVIL_SERVANT}.get(category, category)
                given = titles.setdefault(new_name, set())
                kept = title if title and (title == "cong_chuc" or title not in given) else ""
                given.add(kept)
                carried.setdefault(new_name, []).append((person, f"{position} ({commune.name})", kept, body, unified))
    for name, rows in sorted(carried.items()):
        unit = AdminUnit.objects.get(pk=d.new_communes[name].placements.get().area_id)
        staffing.set_quota(actor=actor, commune=unit, category=Category.CADRE, number=12, valid_from=REFORM)
        staffing.set_quota(actor=actor, commune=unit, category=Category.CIVIL_SERVANT, number=28, valid_from=REFORM)
        for person, position, title, body, category in rows:
            staffing.start_employment(actor=actor, person=person, commune=unit, body_kind=body, category=category, position=position,
                                      title=title, valid_from=REFORM)
            made += 1
        part_time = list(Employment.objects.filter(commune=unit, category=Category.COMMUNE_PART_TIME).current().order_by("id"))
        staffing.end_commune_part_time(actor=actor, commune=unit, retained=[e.pk for e in part_time[:2]], on=PART_TIME_END)
    return made


def _training(d: Demo, rng, actor) -> tuple[int, int]:
    courses = enrolled = 0
    plan = [(d.district, Program.ELEMENTARY, Body.DISTRICT_CENTRE, dt.date(2023, 3, 6), 30, 40),
            (d.district, Program.NEW_MEMBERS, Body.DISTRICT_CENTRE, dt.date(2023, 9, 11), 6, 35),
            (d.district, Program.INTERMEDIATE, Body.PROVINCIAL_SCHOOL, dt.date(2024, 2, 26), 240, 25),
            (d.district, Program.REFRESHER, Body.DISTRICT_CENTRE, dt.date(2024, 10, 7), 4, 45),
            (d.district, Program.COMMITTEE_MEMBERS, Body.DISTRICT_CENTRE, dt.date(2025, 4, 14), 5, 40)]
    for _name, committee in sorted(d.new_communes.items())[:4]:
        plan.append((committee, Program.NEW_MEMBERS, Body.COMMUNE_CENTRE, dt.date(2025, 9, 15), 6, 20))
    for organizer, program, body, opens, days, size in plan:
        closes = opens + dt.timedelta(days=days)
        course = training.create_course(actor=actor, organizer=organizer, name=f"{Program(program).label} năm {opens.year}", program=program,
                                        body=body, starts_on=opens, ends_on=closes, body_name="" if body != Body.DISTRICT_CENTRE else "Trung tâm Chính trị huyện Núi Thành")
        courses += 1
        for j, person in enumerate(_members_of(organizer, opens, size, rng)):
            e = training.enrol(actor=actor, course=course, person=person)
            enrolled += 1
            if closes <= dt.date(2025, 10, 31) and rng.random() < 0.9:
                training.complete(actor=actor, enrolment=e, completed_on=closes, certificate_number=f"{opens.year}-{courses:02d}-{j + 1:03d}")
    return courses, enrolled
