"""A commune's post list from an Excel (or CSV) file, as offices keep it: who holds which post
from which date.

Two phases, like coso/imports and the evaluation's import: every row is read and checked first,
nothing is written unless the whole file is valid; then one short transaction writes the new
persons, the posts and their audit rows in bulk. Every problem names its row and column as in the
file and says why in Vietnamese. The file is read by coso.lib.excel (the members importer's reader:
defusedxml, bounded sizes, legacy TCVN3/VNI fonts converted): a file that does not open, or breaks
further down, is refused with the reader's message, never a 500.

The file: the first visible sheet; a header row within its first 30 rows naming at least the
holder (Họ và tên), the title (Chức danh, Chức vụ) and the start (Giữ chức từ ngày, Từ ngày). The
other columns are optional: Ngày sinh, Giới tính, Cơ quan/tổ chức, Thôn/tổ dân phố, Đảng viên,
Thôi giữ chức từ ngày, Hình thức, Số quyết định, Ngày quyết định. The list this app exports
(exports.py) reads back as is. The table ends at its first empty row after the data.

Each row is matched, within the commune on the row's start date:
- the body by its name (as the chart and the export write it, case and diacritics aside), by the
  start of its name ("Hội Nông dân"), or by its kind's label; with a village named, among that
  village's bodies; a blank body is the one body whose kind has the title;
- the title by its label in the body's kind (or its code);
- the holder among the persons the user's scope sees (members, candidates, holders of posts) by
  name as written and birth date when given; a row marked as a party member must find a member.
  Someone not found who is not marked a member is created (a village head who is not a party
  member has no record yet): the file must then give their gender. The same name and birth date
  on several rows is one person (concurrent posts).
The rules of services.py apply to every row, against the posts already recorded and the rows
above it (two holders of one chair in the file are refused like in the form).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from coso.audit import services as audit
from coso.lib import excel
from coso.lib.text import clean, fold, name_sort_key, person_sort_key
from coso.members.models import Member
from coso.people.choices import Gender
from coso.people.dates import birth_problem
from coso.people.models import Person
from coso.places.watchers import units_changing

from . import config, services
from .models import Body, Obtained, Post
from .permissions import CHANGE, visible_holders

HEADER_SEARCH_ROWS = 30
MAX_ROWS = 5000
NAME, BIRTH, GENDER, TITLE, BODY, VILLAGE, MEMBER, FROM, TO, OBTAINED, DECISION, DECISION_DATE = (
    "name", "birth", "gender", "title", "body", "village", "member", "from", "to", "obtained", "decision", "decision_date")
REQUIRED = (NAME, TITLE, FROM)
YES = {"co", "x", "dv", "dang vien", "1", "yes", "v"}
NO = {"", "khong", "0", "no", "-"}


@dataclass
class Problem:
    row: int
    column: str  # "B (Họ và tên)", or "" for the whole row
    message: str


@dataclass
class Report:
    sheet: str = ""
    rows: int = 0
    written: int = 0
    persons_created: int = 0
    last_start: dt.date | None = None  # the latest start written: the chart on that day shows every post of the file still held
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and self.written > 0


def _kind(header) -> str | None:
    """Which column a header names (folded: no diacritics, lower case)."""
    text = fold(str(header or "")).replace(",", " ")
    words = text.split()
    if not text:
        return None
    if "thoi giu chuc" in text or text.startswith("den ngay") or "ngay thoi" in text:
        return TO
    if "giu chuc tu" in text or text.startswith("tu ngay") or "ngay bat dau" in text or "ngay giu chuc" in text:
        return FROM
    if "ngay quyet dinh" in text:
        return DECISION_DATE
    if "quyet dinh" in text:
        return DECISION
    if "ngay sinh" in text or "nam sinh" in text:
        return BIRTH
    if "gioi tinh" in text:
        return GENDER
    if "hinh thuc" in text:
        return OBTAINED
    if "dang vien" in text:
        return MEMBER
    if "chuc danh" in text or "chuc vu" in text:
        return TITLE
    if "co quan" in text or text in ("to chuc", "don vi"):
        return BODY
    if words[:1] == ["thon"] or "to dan pho" in text or text in ("ap", "ban", "buon", "khoi pho"):
        return VILLAGE
    if ("ho" in words and "ten" in words) or text in ("ten", "ho ten"):
        return NAME
    return None


def _rows(sheet, limit=None):
    try:
        yield from sheet.rows(limit=limit)
    except excel.ExcelError as error:
        raise ValidationError({"file": str(error)}) from None


def _find_header(sheet):
    for number, values in _rows(sheet, HEADER_SEARCH_ROWS):
        found: dict[str, tuple[int, str]] = {}
        for index, value in enumerate(values):
            kind = _kind(value)
            if kind and kind not in found:
                found[kind] = (index, clean(str(value)))
        if all(k in found for k in REQUIRED):
            return number, found
    return None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%d/%m/%Y")
    return clean(excel.unescape_formula(str(value)))


def _exact(name: str) -> str:
    return clean(name).casefold()


def _bare(text: str) -> str:
    """A body's or village's name folded, without the unit words an office may add or leave out."""
    return " ".join(fold(text).replace(",", " ").split())


OBTAINED_INDEX = {fold(str(label)): code for code, label in Obtained.choices} | {code: code for code in Obtained.values} | {
    "bau": Obtained.ELECTED, "bo nhiem": Obtained.APPOINTED, "chi dinh": Obtained.DESIGNATED, "cong nhan": Obtained.RECOGNIZED}
GENDER_INDEX = {fold(str(label)): code for code, label in Gender.choices} | {code.lower(): code for code in Gender.values}


@dataclass
class _Row:
    number: int
    name: str
    birth: excel.PartialDate | None
    gender: str
    member: bool
    valid_from: dt.date
    valid_to: dt.date | None
    body: Body
    title: str
    obtained: str
    decision_number: str
    decision_date: dt.date | None
    person: Person | None = None
    person_key: tuple = ()


class _Planned:
    """A post of an earlier row, for the checks of the rows after it (what services read as
    `others`)."""

    def __init__(self, row: _Row, person):
        self.person = person
        self.person_id = getattr(person, "pk", None) or id(person)
        self.valid_from = row.valid_from
        self.valid_to = row.valid_to


def import_posts(*, actor, scope, unit, content: bytes, filename: str) -> Report:
    """Read and check the file; when every row is valid, write its posts (one transaction).
    ValidationError (on "file") when the file cannot be read at all."""
    scope.require(CHANGE)
    sheet = excel.first_visible_sheet(content, filename)
    header = _find_header(sheet)
    if header is None:
        raise ValidationError({"file": _("Không tìm thấy dòng tiêu đề có các cột “Họ và tên”, “Chức danh” và “Giữ chức từ ngày” "
                                         "trong %(rows)d dòng đầu của trang “%(sheet)s”.") % {"rows": HEADER_SEARCH_ROWS, "sheet": sheet.name}})
    header_row, columns = header
    report = Report(sheet=sheet.name)

    def where(kind: str) -> str:
        if kind not in columns:
            return ""
        index, title = columns[kind]
        return f"{excel.column_letter(index)} ({title})"

    def problem(number, kind, message):
        report.problems.append(Problem(number, where(kind), message))

    records = []
    last = header_row
    for number, values in _rows(sheet):
        if number <= header_row:
            continue
        cells = {kind: (values[index] if index < len(values) else None) for kind, (index, _title) in columns.items()}
        blank = all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values())
        if records and (blank or number > last + 1):
            break
        last = number
        if blank:
            continue
        records.append((number, cells))
        if len(records) > MAX_ROWS:
            raise ValidationError({"file": _("Tệp có hơn %(max)d dòng: hãy chia theo cơ quan, tổ chức.") % {"max": MAX_ROWS}})
    report.rows = len(records)
    if not records:
        raise ValidationError({"file": _("Không có dòng chức vụ nào dưới dòng tiêu đề.")})
    legacy = excel.detect_legacy(_text(c.get(k)) for _n, c in records for k in (NAME, TITLE, BODY, VILLAGE))

    def text(cells, kind):
        return excel.convert_legacy(_text(cells.get(kind)), legacy)

    def date(number, cells, kind, *, required=False, label=""):
        raw = cells.get(kind)
        try:
            found = excel.read_date(raw)
        except excel.DateUnreadable as error:
            problem(number, kind, _("“%(value)s” không phải ngày: %(reason)s.") % {"value": _text(raw), "reason": error})
            return None
        if found is None:
            if required:
                problem(number, kind, _("Chưa ghi %(what)s.") % {"what": label})
            return None
        if found.precision != "day" and kind != BIRTH:
            problem(number, kind, _("Hãy ghi đủ ngày, tháng, năm (dd/mm/yyyy), không chỉ “%(value)s”.") % {"value": _text(raw)})
            return None
        return found

    # what the rows may name: the unit's bodies (all dates: one query) and its villages
    bodies = list(Body.objects.filter(unit=unit).select_related("village").order_by("id"))
    villages = {b.village_id: b.village for b in bodies if b.village_id}
    by_village_name: dict[str, list] = {}
    for village in villages.values():
        for key in {_bare(village.full_name), _bare(village.name)}:
            by_village_name.setdefault(key, []).append(village)

    rows: list[_Row] = []
    for number, cells in records:
        before = len(report.problems)
        name = text(cells, NAME)
        if not name:
            problem(number, NAME, _("Chưa ghi họ và tên người giữ chức vụ."))
        birth = date(number, cells, BIRTH)
        if birth is not None and (reason := birth_problem(birth.date)):
            problem(number, BIRTH, reason)
        valid_from = date(number, cells, FROM, required=True, label=_("ngày bắt đầu giữ chức"))
        valid_to = date(number, cells, TO)
        decision_date = date(number, cells, DECISION_DATE)
        raw_member = fold(text(cells, MEMBER))
        member = raw_member in YES
        if raw_member not in YES | NO:
            problem(number, MEMBER, _("Cột đảng viên ghi “%(value)s”: hãy ghi “Có” (là đảng viên) hoặc để trống.") % {"value": text(cells, MEMBER)})
        raw_gender = fold(text(cells, GENDER))
        gender = GENDER_INDEX.get(raw_gender, "")
        if raw_gender and not gender:
            problem(number, GENDER, _("Giới tính “%(value)s”: hãy ghi Nam hoặc Nữ.") % {"value": text(cells, GENDER)})
        raw_obtained = text(cells, OBTAINED)
        obtained = OBTAINED_INDEX.get(fold(raw_obtained), "") if raw_obtained else Obtained.ELECTED
        if not obtained:
            problem(number, OBTAINED, _("Hình thức “%(value)s” không có; hãy ghi một trong: %(choices)s.") % {
                "value": raw_obtained, "choices": ", ".join(str(label) for _c, label in Obtained.choices)})
        raw_title = text(cells, TITLE)
        if not raw_title:
            problem(number, TITLE, _("Chưa ghi chức danh."))
        # the village, when the row names one
        raw_village = text(cells, VILLAGE)
        village = None
        if raw_village:
            found = by_village_name.get(_bare(raw_village), [])
            found = [v for v in found if valid_from is None or v.in_force_on(valid_from.date)] or found
            if len(found) != 1:
                problem(number, VILLAGE, _("Không có thôn, tổ dân phố “%(name)s” có cơ quan, tổ chức ở %(unit)s.") % {
                    "name": raw_village, "unit": unit.full_name} if not found else
                    _("Có %(n)d thôn, tổ dân phố tên “%(name)s” ở %(unit)s.") % {"n": len(found), "name": raw_village, "unit": unit.full_name})
                continue
            village = found[0]
        if valid_from is None or not raw_title:
            continue
        day = valid_from.date
        # the body: among the unit's (or the village's) bodies in force on the start date
        raw_body = text(cells, BODY)
        in_force = [b for b in bodies if b.in_force_on(day) and (b.village_id == village.pk if village else True)]
        if village is None and raw_body:
            in_force_named = in_force
        else:
            in_force_named = [b for b in in_force if (b.village_id is not None) == (village is not None)]
        candidates = in_force_named
        if raw_body:
            wanted = _bare(raw_body)
            exact = [b for b in candidates if _bare(b.name) == wanted]
            starts = [b for b in candidates if _bare(b.name).startswith(wanted)]
            by_kind = [b for b in candidates if _bare(str(config.BODY_KINDS[b.kind].label)) == wanted]
            candidates = exact or starts or by_kind
        wanted_title = fold(raw_title)
        titled = [(b, t) for b in candidates for t in config.titles_of(b.kind) if fold(str(t.label)) == wanted_title or t.code == raw_title]
        if not titled and raw_body and candidates:
            problem(number, TITLE, _("“%(body)s” không có chức danh “%(title)s”; chức danh của cơ quan này: %(choices)s.") % {
                "body": candidates[0].name, "title": raw_title,
                "choices": ", ".join(str(t.label) for t in config.titles_of(candidates[0].kind, day))})
            continue
        if not titled:
            if raw_body:
                problem(number, BODY, _("Không có “%(name)s” trong hệ thống chính trị của %(place)s vào ngày %(date)s.") % {
                    "name": raw_body, "place": village.full_name if village else unit.full_name, "date": day.strftime("%d/%m/%Y")})
            else:
                problem(number, TITLE, _("Không có cơ quan, tổ chức nào của %(place)s có chức danh “%(title)s” vào ngày %(date)s; "
                                         "hãy ghi rõ cột cơ quan, tổ chức.") % {
                    "place": village.full_name if village else unit.full_name, "title": raw_title, "date": day.strftime("%d/%m/%Y")})
            continue
        if len(titled) > 1:
            problem(number, BODY, _("Chức danh “%(title)s” có ở nhiều cơ quan, tổ chức (%(names)s): hãy ghi rõ cơ quan, tổ chức.") % {
                "title": raw_title, "names": ", ".join(b.name for b, _t in titled[:4])})
            continue
        body, title = titled[0]
        if len(report.problems) > before or not name:
            continue
        ends = valid_to.date if valid_to else None
        if ends is None and body.valid_to is not None and day < body.valid_to:
            ends = body.valid_to  # a post in a body that ends ends with it (as services.appoint)
        rows.append(_Row(number, name, birth, gender, member, day, ends, body, title.code, obtained,
                         text(cells, DECISION)[:100], decision_date.date if decision_date else None))

    # the holders: persons the scope sees with these names (one query), members marked
    folded = {fold(r.name) for r in rows}
    known = list(visible_holders(scope).filter(name_folded__in=folded)
                 .annotate(has_member=Exists(Member.objects.filter(person_id=OuterRef("pk")))))
    by_name: dict[str, list[Person]] = {}
    for person in known:
        by_name.setdefault(_exact(person.full_name), []).append(person)
    new_persons: dict[tuple, Person] = {}
    for row in rows:
        same = by_name.get(_exact(row.name), [])
        if row.birth is not None:
            same = [p for p in same if p.birth_date == row.birth.date or (p.birth_date and row.birth.precision == "year"
                                                                           and p.birth_date.year == row.birth.date.year)]
        if row.member:
            same = [p for p in same if p.has_member]
        if len(same) > 1:
            problem(row.number, BIRTH if BIRTH in columns else NAME, _("Có %(n)d người tên “%(name)s”: hãy ghi ngày sinh để phân biệt.") % {
                "n": len(same), "name": row.name})
            continue
        if same:
            row.person = same[0]
            continue
        if row.member:
            problem(row.number, NAME, _("Không tìm thấy đảng viên “%(name)s”%(born)s trong phạm vi quản lý: hãy kiểm tra họ tên, ngày sinh, "
                                        "hoặc bỏ đánh dấu đảng viên nếu người này không phải đảng viên.") % {
                "name": row.name, "born": f" ({row.birth.date:%d/%m/%Y})" if row.birth else ""})
            continue
        key = (_exact(row.name), row.birth.date if row.birth else None)
        row.person_key = key
        if key not in new_persons:
            if not row.gender:
                problem(row.number, GENDER if GENDER in columns else NAME,
                        _("“%(name)s” chưa có hồ sơ: hãy ghi giới tính (Nam/Nữ) để tạo hồ sơ mới.") % {"name": row.name})
                continue
            person = Person(full_name=clean(row.name), gender=row.gender, birth_date=row.birth.date if row.birth else None,
                            birth_precision=row.birth.precision if row.birth else "day")
            new_persons[key] = person
        row.person = new_persons[key]

    # the rules, against the posts recorded (one query) and the rows above
    existing = list(Post.objects.filter(body__in={r.body.pk for r in rows if r.person is not None}).select_related("person"))
    taken: dict[tuple, list] = {}
    for post in existing:
        taken.setdefault((post.body_id, post.title), []).append(post)
    for row in rows:
        if row.person is None:
            continue
        end = row.valid_to or services.FAR
        others = [p for p in taken.get((row.body.pk, row.title), []) if p.valid_from < end and (p.valid_to is None or p.valid_to > row.valid_from)]
        person = row.person
        same = next((p for p in others if p.person is person or (person.pk is not None and p.person_id == person.pk)), None)
        try:
            if same is not None:
                raise ValidationError({"person": _("%(name)s đã giữ chức danh “%(title)s” ở đây từ ngày %(date)s.") % {
                    "name": person.full_name, "title": config.title_label(row.body.kind, row.title), "date": same.valid_from.strftime("%d/%m/%Y")}})
            services._check_post(row.body, row.title, None, row.valid_from, row.valid_to, others=others)
        except ValidationError as error:
            field_of = {"title": TITLE, "valid_from": FROM, "valid_to": TO, "person": NAME}
            for name, messages in error.message_dict.items():
                for message in messages:
                    problem(row.number, field_of.get(name, ""), message)
            continue
        taken.setdefault((row.body.pk, row.title), []).append(_Planned(row, person))
    report.problems.sort(key=lambda p: (p.row, p.column))
    if report.problems:
        return report

    with transaction.atomic(), units_changing.watching(sorted({r.body.unit_id for r in rows})):  # the political system's figures
        persons = list(new_persons.values())
        for person in persons:
            person.name_folded = fold(person.full_name)
            person.name_sort = name_sort_key(person.full_name)
            person.name_order = person_sort_key(person.full_name)
        Person.objects.bulk_create(persons)
        posts = [Post(body=r.body, person=r.person, title=r.title, obtained=r.obtained, valid_from=r.valid_from,
                      valid_to=r.valid_to,
                      decision_number=r.decision_number, decision_date=r.decision_date) for r in rows]
        Post.objects.bulk_create(posts)
        organization_id = next((b.organization_id for b in bodies if b.organization_id and b.village_id is None), None)
        events = [audit.build_event(actor=actor, event_type="people.person.created", target=p, organization_id=organization_id,
                                    new={"full_name": p.full_name, "gender": p.gender, "birth_date": p.birth_date}) for p in persons]
        events += [audit.build_event(actor=actor, event_type="grassroots.post.appointed", target=p, organization_id=p.body.organization_id,
                                     new=services._snapshot(p)) for p in posts]
        events.append(audit.build_event(actor=actor, event_type="grassroots.posts.imported", target=unit, organization_id=organization_id,
                                        new={"file": filename[:200], "rows": len(rows), "posts": len(posts), "persons_created": len(persons)}))
        audit.record_many(events)
    report.written = len(rows)
    report.persons_created = len(new_persons)
    report.last_start = max(r.valid_from for r in rows)
    return report

