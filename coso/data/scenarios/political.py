"""Build a scenario's commune staffing, streamlining and political-theory training from its figures.

The figures (kinds.py): "commune-level cadres and civil servants, before: 246, after: 216" and
"part-time workers, before: 179, after: 108" (staffing.cadres, staffing.part_time on the day
before and the day of the dated change), "staff reduced by streamlining: 62" (staff_exits.streamlined
over the year before the change) and "cadres trained in political theory (course enrolments): 434"
over a period (training.enrolments). Whatever the article does not say is filled in with the usual
shape: the staff spread over the district's communes, employed from the scenario's first day; the
leavers on the change day (the streamlined first, the others retiring or moving; where more are
streamlined than the headcount falls, each streamlined post is filled again the same day); courses
of about 50 trainees recorded by the scenario's committee, its members enrolled, most completing.

Every write goes through the services of coso/staffing and coso/training (audited), in the
scenario's transaction. The loader stays general: any committee's file with these kinds works.
"""

import datetime as dt
import math

from django.utils.translation import gettext as _

from coso.data.synth import builder as synth
from coso.members.models import MemberPeriod
from coso.people.models import Person
from coso.people.services import create_person
from coso.places.models import AdminUnit, Level
from coso.staffing import services as staffing
from coso.staffing.reference import TWO_TIER, BodyKind, Category, Ending, ExitForm, bases_on
from coso.training import services as training
from coso.training.choices import Body, Program

from .kinds import FigureError

BUILDABLE = {"staffing.cadres", "staffing.part_time", "staff_exits.streamlined", "training.enrolments"}
COURSE_SIZE = 50
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE_M, MIDDLE_F = ["Văn", "Hữu", "Minh", "Quốc", "Công", "Đức"], ["Thị", "Thị", "Ngọc", "Thanh", "Kim"]
GIVEN_M = ["Hùng", "Dũng", "Tuấn", "Nam", "Bình", "Hải", "Sơn", "Phong", "Thắng", "Khánh", "Lộc", "Tài", "Trung", "Việt", "Quang"]
GIVEN_F = ["Lan", "Hoa", "Hương", "Mai", "Thu", "Hà", "Linh", "Trang", "Nga", "Yến", "Hạnh", "Thảo", "Nhung", "Vân", "Loan"]
CADRE_POSTS = [("Bí thư Đảng ủy", "bi_thu", BodyKind.PARTY), ("Phó Bí thư Đảng ủy", "pho_bi_thu", BodyKind.PARTY),
               ("Chủ tịch HĐND", "chu_tich_hdnd", BodyKind.COUNCIL), ("Chủ tịch UBND", "chu_tich_ubnd", BodyKind.COMMITTEE),
               ("Phó Chủ tịch UBND", "pho_chu_tich_ubnd", BodyKind.COMMITTEE), ("Chủ tịch Ủy ban MTTQ", "chu_tich_mttq", BodyKind.FRONT),
               ("Bí thư Đoàn Thanh niên", "", BodyKind.FRONT), ("Chủ tịch Hội Liên hiệp Phụ nữ", "", BodyKind.FRONT),
               ("Chủ tịch Hội Nông dân", "", BodyKind.FRONT), ("Chủ tịch Hội Cựu chiến binh", "", BodyKind.FRONT)]
CIVIL_POSTS = ["Chỉ huy trưởng Quân sự", "Văn phòng – thống kê", "Địa chính – xây dựng – môi trường", "Tài chính – kế toán",
               "Tư pháp – hộ tịch", "Văn hóa – xã hội"]
PART_TIME_POSTS = ["Phó Chỉ huy trưởng Quân sự", "Văn phòng Đảng ủy", "Phó Chủ tịch Ủy ban MTTQ", "Phó Bí thư Đoàn", "Phó Chủ tịch Hội Phụ nữ",
                   "Phó Chủ tịch Hội Nông dân", "Phó Chủ tịch Hội Cựu chiến binh", "Chủ tịch Hội Người cao tuổi", "Thủ quỹ – văn thư"]
OTHER_ENDINGS = [Ending.RETIREMENT, Ending.TRANSFER, Ending.RESIGNED, Ending.END_OF_TERM]


class _People:
    """New persons (the staff who are not among the scenario's members): living in a village of
    their commune, most with a national ID of the province."""

    def __init__(self, p, actor, province_code: str):
        self.p, self.actor, self.n, self.province3 = p, actor, 0, "0" + province_code[-2:]
        self.villages: dict[int, list[int]] = {}

    def national_id(self, female: bool, year: int) -> str | None:
        for _i in range(20):
            nid = synth.national_id(self.province3, female, year, self.p.rng.randrange(1_000_000))
            if not Person.objects.filter(national_id=nid).exists():
                return nid
        return None

    def make(self, commune):
        rng = self.p.rng
        if commune.pk not in self.villages:
            self.villages[commune.pk] = list(AdminUnit.objects.filter(parent=commune, level=Level.VILLAGE).order_by("pk").values_list("pk", flat=True))
        self.n += 1
        female = rng.random() < 0.35
        name = " ".join([rng.choice(FAMILY), rng.choice(MIDDLE_F if female else MIDDLE_M), rng.choice(GIVEN_F if female else GIVEN_M)])
        born = dt.date(rng.randint(1962, 1992), rng.randint(1, 12), rng.randint(1, 28))
        qualification = rng.choices(["dai_hoc", "thac_si", "cao_dang", "trung_cap"], [70, 4, 12, 14])[0]
        theory = rng.choices(["trung_cap", "so_cap", "cao_cap", ""], [55, 25, 8, 12])[0]
        villages = self.villages[commune.pk]
        return create_person(actor=self.actor, full_name=name, gender="F" if female else "M", birth_date=born,
                             national_id=self.national_id(female, born.year) if rng.random() < 0.95 else None,
                             residence_unit=commune, residence_village_id=rng.choice(villages) if villages else None,
                             qualification=qualification, theory_level=theory)


def _pairs(checks, measure):
    before = next((c for c in checks if c.measure == measure and c.role == "before"), None)
    after = next((c for c in checks if c.measure == measure and c.role == "after"), None)
    return (before.expected, after.expected, after.on) if before and after else None


def build(p, area, *, actor=None) -> list[str]:
    """Write the staffing and training the plan's figures ask for; the lines to say."""
    checks = p.needs.political
    if not checks:
        return []
    said = []
    communes = list(area.communes) or ([area.commune] if area.commune else [])
    cadres, part_time = _pairs(checks, "staffing.cadres"), _pairs(checks, "staffing.part_time")
    streamlined = next((c for c in checks if c.measure == "staff_exits.streamlined"), None)
    if cadres or part_time or streamlined:
        if not communes:
            raise FigureError(_("Kịch bản %(scenario)s: không có xã nào để dựng cán bộ, công chức.") % {"scenario": p.scenario.key})
        said.append(_staffing(p, communes, actor, cadres, part_time, streamlined))
    enrolments = next((c for c in checks if c.measure == "training.enrolments"), None)
    if enrolments:
        said.append(_training(p, actor, enrolments))
    return said


def _staffing(p, communes, actor, cadres, part_time, streamlined) -> str:
    people = _People(p, actor, p.area.province.code)
    change_on = (cadres or part_time or (None, None, streamlined.period[1] + dt.timedelta(days=1)))[2]
    exit_day = change_on
    if streamlined and not streamlined.period[0] <= exit_day - dt.timedelta(days=1) <= streamlined.period[1]:
        exit_day = streamlined.period[1] + dt.timedelta(days=1)
    start = max(p.start, dt.date(2010, 1, 1))
    slot = [0]

    def post(group, k):
        if group == "cadres":
            commune_cadre = k % 2 == 0
            if commune_cadre:
                position, title, body = CADRE_POSTS[(k // 2) % len(CADRE_POSTS)]
                category = Category.COMMUNE_CADRE if exit_day < TWO_TIER else Category.CADRE
            else:
                position, title, body = CIVIL_POSTS[(k // 2) % len(CIVIL_POSTS)], "cong_chuc", BodyKind.COMMITTEE
                category = Category.COMMUNE_CIVIL_SERVANT if exit_day < TWO_TIER else Category.CIVIL_SERVANT
            return category, position, title, body
        return Category.COMMUNE_PART_TIME, PART_TIME_POSTS[k % len(PART_TIME_POSTS)], "", BodyKind.COMMITTEE

    def hire(group, on):
        k = slot[0]
        slot[0] += 1
        commune = communes[k % len(communes)]
        category, position, title, body = post(group, k)
        return staffing.start_employment(actor=actor, person=people.make(commune), commune=commune, body_kind=body, category=category,
                                         position=f"{position} ({k + 1})", title=title, valid_from=on)

    bases = [b.code for b in bases_on(exit_day) if b.code not in ("177/2024",)]
    to_streamline = streamlined.expected if streamlined else 0
    if to_streamline and not bases:
        raise FigureError(_("Kịch bản %(scenario)s: không có nghị định tinh giản biên chế nào có hiệu lực ngày %(date)s.") % {
            "scenario": p.scenario.key, "date": exit_day.strftime("%d/%m/%Y")})
    groups = [(g, pair) for g, pair in (("cadres", cadres), ("part_time", part_time)) if pair]
    drops = {g: max(before - after, 0) for g, (before, after, _on) in groups}
    extra = max(to_streamline - sum(drops.values()), 0)  # streamlined posts filled again the same day
    n_exits = n_streamlined = 0
    planned = groups or [("cadres", (extra, extra, exit_day))]
    for g, (before, after, _on) in planned:
        staff = [hire(g, start) for _i in range(before)]
        leaving = staff[:drops.get(g, 0) + (extra if g == planned[0][0] else 0)]
        for i, e in enumerate(leaving):
            if n_streamlined < to_streamline:
                staffing.end_employment(actor=actor, employment=e, valid_to=exit_day, ending=Ending.STREAMLINING, basis=bases[-1],
                                        exit_form=[ExitForm.EARLY_RETIREMENT, ExitForm.RESIGNATION][i % 2])
                n_streamlined += 1
            else:
                staffing.end_employment(actor=actor, employment=e, valid_to=exit_day, ending=OTHER_ENDINGS[i % len(OTHER_ENDINGS)])
            n_exits += 1
        for _i in range(max(after - (before - len(leaving)), 0)):
            hire(g, exit_day)
    parts = [f"{g}: {before} → {after}" for g, (before, after, _on) in groups]
    return _("Cán bộ, công chức cấp xã ngày %(date)s: %(parts)s; %(exits)s người thôi việc, trong đó %(streamlined)s tinh giản biên chế.") % {
        "date": exit_day.strftime("%d/%m/%Y"), "parts": "; ".join(parts) or "—", "exits": n_exits, "streamlined": n_streamlined}


def _training(p, actor, check) -> str:
    start, end = check.period
    total = check.expected
    organizer = p.main.organization
    persons = list(MemberPeriod.objects.under(organizer, on=end).values_list("member__person_id", flat=True).distinct()[:5000])
    if not persons and total:
        raise FigureError(_("Kịch bản %(scenario)s: không có đảng viên nào để cử đi học.") % {"scenario": p.scenario.key})
    by_id = Person.objects.in_bulk(persons)
    courses = max(1, math.ceil(total / COURSE_SIZE))
    span = (end - start).days
    programs = [Program.ELEMENTARY, Program.NEW_MEMBERS, Program.REFRESHER, Program.INTERMEDIATE, Program.COMMITTEE_MEMBERS]
    done = 0
    for i in range(courses):
        size = total // courses + (1 if i < total % courses else 0)
        opens = start + dt.timedelta(days=span * i // courses)
        program = programs[i % len(programs)]
        length = {Program.INTERMEDIATE: 120, Program.ELEMENTARY: 30}.get(program, 7)
        closes = min(opens + dt.timedelta(days=length), end) if opens < end else opens
        body = Body.PROVINCIAL_SCHOOL if program == Program.INTERMEDIATE else (Body.DISTRICT_CENTRE if opens < TWO_TIER else Body.COMMUNE_CENTRE)
        course = training.create_course(actor=actor, organizer=organizer, name=f"{Program(program).label} – lớp {i + 1}", program=program,
                                        body=body, starts_on=opens, ends_on=closes)
        if len(persons) < size:
            raise FigureError(_("Kịch bản %(scenario)s: chỉ có %(n)s đảng viên, không đủ cho một lớp %(size)s học viên.") % {
                "scenario": p.scenario.key, "n": len(persons), "size": size})
        chosen = p.rng.sample(persons, size)
        for j, person_id in enumerate(chosen):
            e = training.enrol(actor=actor, course=course, person=by_id[person_id])
            if p.rng.random() < 0.92:
                training.complete(actor=actor, enrolment=e, completed_on=closes, certificate_number=f"{i + 1:02d}-{j + 1:03d}")
            done += 1
    return _("Đào tạo, bồi dưỡng lý luận chính trị: %(courses)s lớp, %(n)s lượt học viên từ ngày %(start)s đến ngày %(end)s.") % {
        "courses": courses, "n": done, "start": start.strftime("%d/%m/%Y"), "end": end.strftime("%d/%m/%Y")}
