"""Record-level data-quality checks (DESIGN principle 8): one registry, two ways to run it.

Each check has a stable code, a Vietnamese title, a severity, the fields it concerns and the
source of its rule. It answers in two forms that must agree (tests/test_checks.py holds them
to it on SQLite and PostgreSQL):

- condition(run): a Q over Member rows, exact, so that counting the members with each problem
  in an organization's subtree is one aggregate query, and listing them is one paged query,
  whatever the subtree's size (never one query per member);
- explain(record, on): the problems of one record in plain Python, with messages in Vietnamese
  naming the field and the reason. The pages call it on the rows of the page they show; forms
  call it through check_person() / check_member() on entry, before or after saving.

The few facts that need other rows (a likely duplicate, events entered out of order) are
annotations in the SQL form (annotate()) and small queries in the on-entry form (derive()).

Messages that reveal a national ID or part of it carry a redacted form for users without
"people.sensitive" (Problem.text()).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import (
    Cast,
    Replace,
    Substr,
)
from django.db.models.lookups import Exact, GreaterThanOrEqual, In, LessThan
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coso.lib.dates import fmt as _d
from coso.lib.text import fold
from coso.lib.workdays import add_working_days
from coso.members.lifecycle import PROBATION_MONTHS, add_months
from coso.members.models import Member, MemberEvent, Status
from coso.people.checks import (
    HONORIFIC_PATTERN,
    NAME_HONORIFIC,
    NAME_PATTERN,
    NID_BIRTH_YEAR,
    NID_FORMAT,
    NID_GENDER,
    NID_PROVINCE,
    PROVINCE_CODES,
    name_findings,
    national_id_century,
    national_id_findings,
)
from coso.people.choices import DatePrecision, Gender
from coso.people.models import Person

# Điều lệ Đảng, Điều 1: a citizen from eighteen years of age (216 months).
ADMISSION_AGE_MONTHS = 18 * 12
# The chi bộ considers recognition within 30 working days after the 12 months of probation end
# (29-QĐ/TW mục 4, reference §2.5). Working days as coso.lib.workdays counts them: Monday to
# Friday without the public holidays of coso.lib.holidays (compensatory days off not modelled).
RECOGNITION_WORKING_DAYS = 30
CARD_SEPARATORS = (".", " ", "-", "/")


class Severity:
    ERROR = "error"
    WARNING = "warning"
    LABELS = {ERROR: gettext_lazy("Sai"), WARNING: gettext_lazy("Cần xem lại")}


class Category:
    NATIONAL_ID = "national_id"
    DATES = "dates"
    DUPLICATES = "duplicates"
    MISSING = "missing"
    DEADLINES = "deadlines"
    NAMES = "names"
    LABELS = {
        NAMES: gettext_lazy("Họ và tên"),
        NATIONAL_ID: gettext_lazy("Số định danh cá nhân"),
        DATES: gettext_lazy("Thứ tự ngày tháng"),
        DUPLICATES: gettext_lazy("Trùng lặp"),
        MISSING: gettext_lazy("Thiếu thông tin bắt buộc"),
        DEADLINES: gettext_lazy("Quá thời hạn"),
    }


@dataclass(frozen=True)
class Problem:
    code: str
    field: str  # the record's field the problem is about (a form shows the warning there)
    message: str
    redacted: str = ""  # the message without sensitive values; "" when the message has none
    member_id: int | None = None

    def text(self, sensitive: bool) -> str:
        return self.message if sensitive or not self.redacted else self.redacted


@dataclass
class Record:
    """What the checks read of one person (and their membership, if any)."""

    person_id: int | None = None
    full_name: str = ""
    gender: str = ""
    birth_date: dt.date | None = None
    birth_precision: str = DatePrecision.DAY
    national_id: str | None = None
    ethnicity: str = ""
    religion: str = ""
    origin_unit_id: int | None = None
    origin_text: str = ""
    residence_unit_id: int | None = None
    residence_text: str = ""
    education: str = ""
    qualification: str = ""
    theory_level: str = ""
    occupation: str = ""
    member_id: int | None = None
    status: str | None = None
    card_number: str | None = None
    admitted_on: dt.date | None = None
    admission_decision_date: dt.date | None = None
    recognized_on: dt.date | None = None
    # facts about other rows: annotations on the SQL path, derive() on entry
    duplicates: int = 0
    card_clash: bool = False
    entered_out_of_order: bool = False
    event_before_birth: bool = False

    @classmethod
    def of(cls, person: Person | None, member: Member | None = None) -> "Record":
        r = cls()
        if person is not None:
            for name in ("full_name", "gender", "birth_date", "birth_precision", "national_id", "ethnicity", "religion",
                         "origin_unit_id", "origin_text", "residence_unit_id", "residence_text", "education",
                         "qualification", "theory_level", "occupation"):
                setattr(r, name, getattr(person, name))
            r.person_id = person.pk
        if member is not None:
            r.member_id = member.pk
            for name in ("status", "card_number", "admitted_on", "admission_decision_date", "recognized_on"):
                setattr(r, name, getattr(member, name))
            for name in ("duplicates", "card_clash", "entered_out_of_order", "event_before_birth"):
                if hasattr(member, f"q_{name}"):
                    setattr(r, name, getattr(member, f"q_{name}") or (0 if name == "duplicates" else False))
        return r


def _blank(value) -> bool:
    return value is None or value == ""


def blank_q(path: str) -> Q:
    """Not filled: NULL, or the empty string for a text column (path from Member)."""
    model, *parts, name = [Member, *path.split("__")]
    for part in parts:
        model = model._meta.get_field(part).related_model
    q = Q(**{f"{path}__isnull": True})
    if model._meta.get_field(name).get_internal_type() == "CharField":
        q |= Q(**{path: ""})
    return q


class DatePart(Func):
    """The year, month or day of a date as an integer, computed by the database itself.

    Django's Extract* on SQLite call a Python function for every row (five times slower over a
    20,000-member subtree); SQLite keeps dates as 'YYYY-MM-DD' text, so there the part is a
    SUBSTR. Elsewhere it is EXTRACT, cast to an integer (PostgreSQL's EXTRACT answers numeric).
    """

    output_field = IntegerField()
    PARTS = {"year": (1, 4), "month": (6, 2), "day": (9, 2)}

    def __init__(self, expression, part: str):
        super().__init__(expression)
        self.part = part

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template=f"CAST(EXTRACT({self.part.upper()} FROM %(expressions)s) AS INTEGER)", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        start, length = self.PARTS[self.part]
        return super().as_sql(compiler, connection, template=f"CAST(SUBSTR(%(expressions)s, {start}, {length}) AS INTEGER)", **extra)


class TwelveDigits(Func):
    """True when the text is exactly twelve ASCII digits. SQLite's GLOB is native where Django's
    REGEXP calls Python for every row; PostgreSQL has its regular expressions."""

    output_field = BooleanField()
    conditional = True

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="(%(expressions)s ~ '^[0-9]{12}$')", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template=f"(%(expressions)s GLOB '{'[0-9]' * 12}')", **extra)


def _year(path: str):
    return DatePart(path, "year")


def _month(path: str):
    return DatePart(path, "month")


def _day(path: str):
    return DatePart(path, "day")


def _month_index(path: str):
    """year * 12 + month of a date column: month arithmetic every database does the same way."""
    return _year(path) * 12 + _month(path)


def _earlier_than_months_after(early: str, late: str, months: int) -> Q:
    """SQL form of `early < add_months(late, months)` for a whole number of years.

    Equal month indexes compare the days; a whole number of years moves 29/02 to 28/02 only, so
    the 28th of that February is not earlier (add_months clamps to it). Both dates not null.
    """
    assert months % 12 == 0
    e, base = _month_index(early), _month_index(late) + months
    same_month_earlier_day = Q(Exact(e, base)) & Q(LessThan(_day(early), _day(late)))
    clamped = Q(Exact(_month(late), 2)) & Q(Exact(_day(late), 29)) & Q(Exact(_day(early), 28))
    return Q(**{f"{early}__isnull": False, f"{late}__isnull": False}) & (Q(LessThan(e, base)) | (same_month_earlier_day & ~clamped))


def normalize_card(card: str) -> str:
    for sep in CARD_SEPARATORS:
        card = card.replace(sep, "")
    return card


def _normalized_card_sql(expr):
    for sep in CARD_SEPARATORS:
        expr = Replace(expr, Value(sep), Value(""))
    return expr


class Check:
    code: str = ""
    title = ""
    severity: str = Severity.ERROR
    category: str = ""
    fields: tuple[str, ...] = ()
    source: str = ""
    member_only = False  # concerns the membership, not only the person (check_person skips it)

    def condition(self, run: "Run") -> Q:
        raise NotImplementedError

    def explain(self, r: Record, on: dt.date) -> list[Problem]:
        raise NotImplementedError

    @property
    def severity_label(self) -> str:
        return Severity.LABELS[self.severity]

    @property
    def category_label(self) -> str:
        return Category.LABELS[self.category]

    def problem(self, message: str, redacted: str = "", field: str | None = None) -> Problem:
        return Problem(code=self.code, field=field or self.fields[0], message=message, redacted=redacted)


# ---------------------------------------------------------------- national ID


class NationalId(Check):
    """Thông tư 59/2021/TT-BCA, Điều 7: digits 1-3 the province of birth registration, digit 4
    gender and century, digits 5-6 the birth year (coso.people.checks)."""

    category = Category.NATIONAL_ID
    source = "Thông tư 59/2021/TT-BCA, Điều 7"
    kind = ""
    redacted_reason = ""

    def __init__(self, code, kind, title, fields, redacted_reason):
        self.code, self.kind, self.title, self.fields, self.redacted_reason = code, kind, title, fields, redacted_reason

    def explain(self, r, on):
        if _blank(r.national_id):
            return []
        found = [m for kind, m in national_id_findings(r.national_id, r.gender, r.birth_date) if kind == self.kind]
        return [
            self.problem(
                _("Số định danh cá nhân %(value)s: %(reason)s") % {"value": r.national_id, "reason": m},
                _("Số định danh cá nhân không hợp lệ: %(reason)s") % {"reason": self.redacted_reason},
            )
            for m in found
        ]

    def condition(self, run):
        nid = "person__national_id"
        present = Q(**{f"{nid}__isnull": False}) & ~Q(**{nid: ""})
        well_formed = present & Q(TwelveDigits(nid))
        if self.kind == NID_FORMAT:
            return present & ~Q(TwelveDigits(nid))
        digit = Substr(nid, 4, 1)
        if self.kind == NID_PROVINCE:
            return well_formed & ~Q(In(Substr(nid, 1, 3), sorted(PROVINCE_CODES)))
        if self.kind == NID_GENDER:
            odd = _in_digits(digit, "13579")
            female = Q(person__gender=Gender.FEMALE)
            return well_formed & ~Q(person__gender="") & ((female & ~odd) | (~female & odd))
        # NID_BIRTH_YEAR: digits 5-6 and the century of digit 4 give the birth year
        year = _year("person__birth_date")
        # the last two digits of the four-digit year, as text (MOD on SQLite answers 5.0, not 5)
        yy = Substr(Cast(year, CharField()), 3, 2)
        agrees = Q(pk__in=[])
        for k in range(5):  # digits 0-9: the centuries from 1900 to 2300
            start = national_id_century(2 * k)
            agrees |= (
                Q(GreaterThanOrEqual(year, start)) & Q(LessThan(year, start + 100))
                & _in_digits(digit, f"{2 * k}{2 * k + 1}")
            )
        agrees &= Q(Exact(Substr(nid, 5, 2), yy))
        return well_formed & Q(person__birth_date__isnull=False) & ~agrees


def _in_digits(expr, digits: str) -> Q:
    q = Q(pk__in=[])
    for d in digits:
        q |= Q(Exact(expr, Value(d)))
    return q


# ---------------------------------------------------------------- dates


class RecognitionEarly(Check):
    code = "recognition_early"
    title = gettext_lazy("Công nhận chính thức trước khi đủ 12 tháng dự bị")
    category = Category.DATES
    fields = ("recognized_on", "admitted_on")
    member_only = True
    source = "Điều lệ Đảng, Điều 5; Quy định thi hành Điều lệ Đảng, mục 4"  # reference §2.5

    def condition(self, run):
        return _earlier_than_months_after("recognized_on", "admitted_on", PROBATION_MONTHS)

    def explain(self, r, on):
        if r.recognized_on and r.admitted_on and r.recognized_on < add_months(r.admitted_on, PROBATION_MONTHS):
            return [self.problem(_("Ngày công nhận chính thức %(recognized)s sớm hơn ngày kết nạp %(admitted)s cộng 12 tháng dự bị (%(due)s).") % {
                "recognized": _d(r.recognized_on), "admitted": _d(r.admitted_on), "due": _d(add_months(r.admitted_on, PROBATION_MONTHS))})]
        return []


class AdmittedUnderAge(Check):
    """With a birth date known only to the month or year, the earliest possible day is assumed:
    only admissions certainly before the 18th birthday are flagged."""

    code = "admitted_under_18"
    title = gettext_lazy("Kết nạp khi chưa đủ 18 tuổi")
    category = Category.DATES
    fields = ("admitted_on", "birth_date")
    member_only = True
    source = "Điều lệ Đảng, Điều 1"  # reference §8.2

    def condition(self, run):
        both = Q(admitted_on__isnull=False, person__birth_date__isnull=False)
        by_day = _earlier_than_months_after("admitted_on", "person__birth_date", ADMISSION_AGE_MONTHS)
        by_month = Q(LessThan(_month_index("admitted_on"), _month_index("person__birth_date") + ADMISSION_AGE_MONTHS))
        by_year = Q(LessThan(_year("admitted_on"), _year("person__birth_date") + ADMISSION_AGE_MONTHS // 12))
        return both & (
            (~Q(person__birth_precision__in=[DatePrecision.MONTH, DatePrecision.YEAR]) & by_day)
            | (Q(person__birth_precision=DatePrecision.MONTH) & by_month)
            | (Q(person__birth_precision=DatePrecision.YEAR) & by_year)
        )

    def explain(self, r, on):
        if not (r.admitted_on and r.birth_date):
            return []
        earliest = r.birth_date
        if r.birth_precision == DatePrecision.MONTH:
            earliest = earliest.replace(day=1)
        elif r.birth_precision == DatePrecision.YEAR:
            earliest = earliest.replace(month=1, day=1)
        if r.admitted_on < add_months(earliest, ADMISSION_AGE_MONTHS):
            return [self.problem(_("Ngày kết nạp %(admitted)s trước ngày đủ 18 tuổi (sinh %(birth)s).") % {
                "admitted": _d(r.admitted_on), "birth": _birth(r)})]
        return []


class AdmissionDecisionAfterCeremony(Check):
    code = "admission_decision_late"
    title = gettext_lazy("Ngày quyết định kết nạp sau ngày kết nạp")
    category = Category.DATES
    fields = ("admission_decision_date", "admitted_on")
    member_only = True
    source = "Quy định thi hành Điều lệ Đảng, mục 4: lễ kết nạp tổ chức sau khi nhận quyết định kết nạp"  # reference §2.5

    def condition(self, run):
        return Q(admitted_on__isnull=False, admission_decision_date__gt=F("admitted_on"))

    def explain(self, r, on):
        if r.admitted_on and r.admission_decision_date and r.admission_decision_date > r.admitted_on:
            return [self.problem(_("Ngày quyết định kết nạp %(decision)s sau ngày lễ kết nạp %(admitted)s.") % {
                "decision": _d(r.admission_decision_date), "admitted": _d(r.admitted_on)})]
        return []


class EventsOutOfOrder(Check):
    """The services refuse an event dated before the member's last one, so rows out of order
    come from data written around them (old databases, hand corrections)."""

    code = "events_out_of_order"
    title = gettext_lazy("Sự kiện đảng viên không theo thứ tự thời gian")
    category = Category.DATES
    fields = ("events",)
    member_only = True
    source = "Quy tắc ghi nhận: mỗi sự kiện có ngày hiệu lực không trước sự kiện đã ghi trước nó"  # coso.members.lifecycle.apply

    def condition(self, run):
        return Q(_entered_out_of_order()) | Q(_event_before_birth())

    def explain(self, r, on):
        problems = []
        if r.entered_out_of_order:
            problems.append(self.problem(_("Có sự kiện ghi sau nhưng mang ngày hiệu lực trước một sự kiện đã ghi trước đó.")))
        if r.event_before_birth:
            problems.append(self.problem(_("Có sự kiện mang ngày hiệu lực trước ngày sinh (%(birth)s).") % {"birth": _birth(r)}))
        return problems


def _entered_out_of_order():
    earlier_entry_later_date = MemberEvent.objects.filter(
        member_id=OuterRef("member_id"), pk__lt=OuterRef("pk"), effective_date__gt=OuterRef("effective_date"))
    return Exists(MemberEvent.objects.filter(member_id=OuterRef("pk")).filter(Exists(earlier_entry_later_date)))


def _event_before_birth():
    return Exists(MemberEvent.objects.filter(member_id=OuterRef("pk"), effective_date__lt=OuterRef("person__birth_date")))


# ---------------------------------------------------------------- duplicates


class DuplicatePerson(Check):
    """Same name (without diacritics) and same birth date: likely one human recorded twice
    (principle 7). Compared with every person on record, whatever their role; the others are
    counted, never named, since they may lie outside the user's scope."""

    code = "duplicate_person"
    title = gettext_lazy("Có thể trùng người (cùng họ tên và ngày sinh)")
    severity = Severity.WARNING
    category = Category.DUPLICATES
    fields = ("full_name", "birth_date")
    source = "Mỗi người chỉ có một hồ sơ nhân thân"  # DESIGN principle 7

    def condition(self, run):
        return Q(Exists(_same_name_and_birth()))

    def explain(self, r, on):
        if r.duplicates:
            return [self.problem(_("Có %(count)s hồ sơ khác cùng họ tên (không kể dấu) và ngày sinh %(birth)s: có thể là cùng một người.") % {
                "count": r.duplicates, "birth": _birth(r)})]
        return []


def _same_name_and_birth():
    return Person.objects.filter(
        name_folded=OuterRef("person__name_folded"), birth_date=OuterRef("person__birth_date"),
    ).exclude(pk=OuterRef("person_id"))


def _duplicates_count():
    return Subquery(
        _same_name_and_birth().order_by().values("name_folded").annotate(n=Count("pk")).values("n")[:1],
        output_field=IntegerField(),
    )


class DuplicateCard(Check):
    """Card numbers are unique as typed, but "09.123456" and "09123456" are one card."""

    code = "duplicate_card"
    title = gettext_lazy("Số thẻ đảng viên trùng với đảng viên khác")
    category = Category.DUPLICATES
    fields = ("card_number",)
    member_only = True
    source = "Quy định thi hành Điều lệ Đảng, mục 6.1: mỗi đảng viên chính thức một thẻ"  # reference §2.7

    def condition(self, run):
        return Q(In(_normalized_card_sql(F("card_number")), _clashing_cards(run.members)))

    def explain(self, r, on):
        if r.card_clash and not _blank(r.card_number):
            return [self.problem(_("Số thẻ %(card)s trùng với số thẻ của đảng viên khác khi bỏ dấu chấm, gạch và khoảng trắng.") % {
                "card": r.card_number})]
        return []


def _clashing_cards(members):
    """Subquery: the card numbers (without separators) held by two members or more of the set.

    Compared within the set (the subtree being checked), in one uncorrelated grouped subquery:
    comparing each card with the whole national table would need an index on the expression.
    Two members of different subtrees with one card show on their common ancestor's page, and
    check_member() compares with every member on entry.
    """
    return (
        members.exclude(card_number__isnull=True).exclude(card_number="")
        .annotate(q_card=_normalized_card_sql(F("card_number")))
        .values("q_card").annotate(n=Count("pk")).filter(n__gt=1).values("q_card")
    )


class CardOfProbationary(Check):
    code = "card_not_official"
    title = gettext_lazy("Đảng viên dự bị đã có số thẻ đảng viên")
    severity = Severity.WARNING
    category = Category.DUPLICATES
    fields = ("card_number",)
    member_only = True
    source = "Quy định thi hành Điều lệ Đảng, mục 6.1: thẻ chỉ phát cho đảng viên chính thức"  # reference §2.7

    def condition(self, run):
        return Q(status=Status.PROBATIONARY) & ~blank_q("card_number")

    def explain(self, r, on):
        if r.status == Status.PROBATIONARY and not _blank(r.card_number):
            return [self.problem(_("Đảng viên dự bị không được phát thẻ, nhưng hồ sơ có số thẻ %(card)s.") % {"card": r.card_number})]
        return []


# ---------------------------------------------------------------- names


class NameCharacters(Check):
    """A name holding markup or characters no Vietnamese name has (coso.people.checks.name_findings)."""

    code = "name_characters"
    title = gettext_lazy("Họ và tên có ký tự lạ (chữ số, ký hiệu, mã HTML)")
    category = Category.NAMES
    fields = ("full_name",)
    source = "Luật Hộ tịch 2014, Điều 26; Nghị định 123/2015/NĐ-CP: họ, chữ đệm, tên bằng chữ cái tiếng Việt"

    def condition(self, run):
        return ~blank_q("person__full_name") & ~Q(person__full_name__regex=NAME_PATTERN)

    def explain(self, r, on):
        return [self.problem(m) for _kind, level, m in name_findings(r.full_name) if level == Severity.ERROR]


class NameHonorific(Check):
    """A name that begins with an honorific (Ông, Bà, Quý cô, Đồng chí…): a warning, since "Ông" is
    also a family name."""

    code = "name_honorific"
    title = gettext_lazy("Họ và tên còn danh xưng (Ông, Bà, Anh, Chị, Đồng chí…)")
    severity = Severity.WARNING
    category = Category.NAMES
    fields = ("full_name",)
    source = "Lý lịch đảng viên (Hướng dẫn 12-HD/BTCTW): ghi họ và tên khai sinh"

    def condition(self, run):
        return Q(person__full_name__regex=HONORIFIC_PATTERN)

    def explain(self, r, on):
        return [self.problem(m) for kind, _level, m in name_findings(r.full_name) if kind == NAME_HONORIFIC]


# ---------------------------------------------------------------- missing fields


class MissingField(Check):
    severity = Severity.WARNING
    category = Category.MISSING
    source = "Hướng dẫn 12-HD/BTCTW (2022): lý lịch đảng viên, phiếu đảng viên"

    def __init__(self, code, field_name, title, message, *, member=False, official_only=False, also_text=None):
        self.code, self.title, self.message = code, title, message
        self.field_name, self.member_only, self.official_only, self.also_text = field_name, member, official_only, also_text
        self.fields = (field_name,)

    def _path(self, name):
        return name if self.member_only else f"person__{name}"

    def condition(self, run):
        q = blank_q(self._path(self.field_name))
        if self.also_text:
            q &= blank_q(self._path(self.also_text))
        if self.official_only:
            q &= Q(status=Status.OFFICIAL)
        return q

    def explain(self, r, on):
        if self.official_only and r.status != Status.OFFICIAL:
            return []
        value = getattr(r, f"{self.field_name}_id" if self.also_text else self.field_name)
        if _blank(value) and (not self.also_text or _blank(getattr(r, self.also_text))):
            return [self.problem(str(self.message))]
        return []


# ---------------------------------------------------------------- deadlines


class ProbationOverdue(Check):
    """Probationary on the record although the 12 months and the chi bộ's 30 working days have
    passed. The record's current status is what is checked: it is an open problem today."""

    code = "probation_overdue"
    title = gettext_lazy("Quá hạn xét công nhận đảng viên chính thức")
    severity = Severity.WARNING
    category = Category.DEADLINES
    fields = ("status", "admitted_on")
    member_only = True
    source = "Quy định thi hành Điều lệ Đảng, mục 4: chi bộ xét trong 30 ngày làm việc sau khi hết 12 tháng dự bị"  # reference §2.5

    @staticmethod
    def deadline(admitted_on: dt.date) -> dt.date:
        return add_working_days(add_months(admitted_on, PROBATION_MONTHS), RECOGNITION_WORKING_DAYS)

    @classmethod
    def cutoff(cls, on: dt.date) -> dt.date:
        """The latest admission date whose deadline has passed on the date (deadline < on).

        deadline() never decreases as the admission date grows, so the set of overdue admission
        dates is everything up to one day: found by stepping from an estimate.
        """
        day = add_months(on - dt.timedelta(days=RECOGNITION_WORKING_DAYS * 7 // 5), -PROBATION_MONTHS)
        while cls.deadline(day) >= on:
            day -= dt.timedelta(days=1)
        while cls.deadline(day + dt.timedelta(days=1)) < on:
            day += dt.timedelta(days=1)
        return day

    def condition(self, run):
        return Q(status=Status.PROBATIONARY, admitted_on__lte=self.cutoff(run.on))

    def explain(self, r, on):
        if r.status == Status.PROBATIONARY and r.admitted_on and self.deadline(r.admitted_on) < on:
            return [self.problem(_("Kết nạp ngày %(admitted)s, hết 12 tháng dự bị ngày %(end)s, quá hạn xét công nhận chính thức từ %(deadline)s.") % {
                "admitted": _d(r.admitted_on), "end": _d(add_months(r.admitted_on, PROBATION_MONTHS)),
                "deadline": _d(self.deadline(r.admitted_on) + dt.timedelta(days=1))})]
        return []



def _birth(r: Record) -> str:
    if not r.birth_date:
        return ""
    if r.birth_precision == DatePrecision.YEAR:
        return str(r.birth_date.year)
    if r.birth_precision == DatePrecision.MONTH:
        return r.birth_date.strftime("%m/%Y")
    return _d(r.birth_date)


# ---------------------------------------------------------------- the registry

CHECKS: list[Check] = [
    NationalId("nid_format", NID_FORMAT, gettext_lazy("Số định danh không đủ 12 chữ số"), ("national_id",),
               gettext_lazy("không đủ 12 chữ số.")),
    NationalId("nid_province", NID_PROVINCE, gettext_lazy("Số định danh có mã tỉnh không tồn tại"), ("national_id",),
               gettext_lazy("ba số đầu không phải mã tỉnh.")),
    NationalId("nid_gender", NID_GENDER, gettext_lazy("Số định danh không khớp giới tính"), ("national_id", "gender"),
               gettext_lazy("không khớp giới tính trong hồ sơ.")),
    NationalId("nid_birth_year", NID_BIRTH_YEAR, gettext_lazy("Số định danh không khớp năm sinh"), ("national_id", "birth_date"),
               gettext_lazy("không khớp năm sinh trong hồ sơ.")),
    NameCharacters(),
    NameHonorific(),
    RecognitionEarly(),
    AdmittedUnderAge(),
    AdmissionDecisionAfterCeremony(),
    EventsOutOfOrder(),
    DuplicatePerson(),
    DuplicateCard(),
    CardOfProbationary(),
    MissingField("missing_birth_date", "birth_date", gettext_lazy("Thiếu ngày sinh"), gettext_lazy("Chưa có ngày sinh.")),
    MissingField("missing_gender", "gender", gettext_lazy("Thiếu giới tính"), gettext_lazy("Chưa có giới tính.")),
    MissingField("missing_ethnicity", "ethnicity", gettext_lazy("Thiếu dân tộc"), gettext_lazy("Chưa có dân tộc.")),
    MissingField("missing_religion", "religion", gettext_lazy("Thiếu tôn giáo"), gettext_lazy("Chưa có tôn giáo (ghi “Không” nếu không theo tôn giáo nào).")),
    MissingField("missing_origin", "origin_unit", gettext_lazy("Thiếu quê quán"), gettext_lazy("Chưa có quê quán."), also_text="origin_text"),
    MissingField("missing_residence", "residence_unit", gettext_lazy("Thiếu nơi cư trú"), gettext_lazy("Chưa có nơi cư trú."), also_text="residence_text"),
    MissingField("missing_education", "education", gettext_lazy("Thiếu trình độ giáo dục phổ thông"), gettext_lazy("Chưa có trình độ giáo dục phổ thông (ví dụ 12/12).")),
    MissingField("missing_qualification", "qualification", gettext_lazy("Thiếu trình độ chuyên môn"), gettext_lazy("Chưa có trình độ chuyên môn.")),
    MissingField("missing_theory_level", "theory_level", gettext_lazy("Thiếu trình độ lý luận chính trị"), gettext_lazy("Chưa có trình độ lý luận chính trị.")),
    MissingField("missing_admitted_on", "admitted_on", gettext_lazy("Thiếu ngày kết nạp"), gettext_lazy("Chưa có ngày kết nạp."), member=True),
    MissingField("missing_recognized_on", "recognized_on", gettext_lazy("Đảng viên chính thức thiếu ngày công nhận"),
                 gettext_lazy("Đảng viên chính thức nhưng chưa có ngày công nhận chính thức."), member=True, official_only=True),
    MissingField("missing_card_number", "card_number", gettext_lazy("Đảng viên chính thức thiếu số thẻ"),
                 gettext_lazy("Đảng viên chính thức nhưng chưa có số thẻ đảng viên."), member=True, official_only=True),
    ProbationOverdue(),
]
REGISTRY: dict[str, Check] = {c.code: c for c in CHECKS}
assert len(REGISTRY) == len(CHECKS), "check codes must be unique"


def get(code: str | None) -> Check | None:
    return REGISTRY.get(code or "")


@dataclass
class Run:
    """One run of the checks: the members of a set of organizations on a date."""

    members: object  # QuerySet[Member]
    on: dt.date


def annotate(qs, run: Run):
    """The facts about other rows that explain() reads, for the rows a page shows."""
    clash = Case(When(In(_normalized_card_sql(F("card_number")), _clashing_cards(run.members)), then=Value(True)),
                 default=Value(False), output_field=BooleanField())
    return qs.annotate(
        q_duplicates=_duplicates_count(),
        q_card_clash=clash,
        q_entered_out_of_order=_entered_out_of_order(),
        q_event_before_birth=_event_before_birth(),
    )


def any_problem(run: Run, checks=None) -> Q:
    q = Q(pk__in=[])
    for check in checks or CHECKS:
        q |= check.condition(run)
    return q


def explain(record: Record, on: dt.date, checks=None) -> list[Problem]:
    problems = []
    for check in checks or CHECKS:
        for p in check.explain(record, on):
            problems.append(Problem(p.code, p.field, p.message, p.redacted, record.member_id))
    return problems


# ---------------------------------------------------------------- on entry


def derive(record: Record) -> Record:
    """Fill the facts about other rows with a few small queries (the on-entry path)."""
    name_folded = fold(record.full_name)
    if name_folded and record.birth_date:
        record.duplicates = Person.objects.filter(name_folded=name_folded, birth_date=record.birth_date).exclude(pk=record.person_id).count()
    if not _blank(record.card_number):
        # every member's card, without an index on the expression: one scan of the column
        record.card_clash = (
            Member.objects.exclude(pk=record.member_id).exclude(card_number__isnull=True)
            .annotate(q_card=_normalized_card_sql(F("card_number"))).filter(q_card=normalize_card(record.card_number)).exists()
        )
    if record.member_id:
        events = list(MemberEvent.objects.filter(member_id=record.member_id).order_by("pk").values_list("effective_date", flat=True))
        latest = None
        for day in events:
            if latest and day < latest:
                record.entered_out_of_order = True
            latest = max(latest, day) if latest else day
        record.event_before_birth = bool(record.birth_date and events and min(events) < record.birth_date)
    return record


def check_person(person: Person, on: dt.date | None = None) -> list[Problem]:
    """The problems of one person's record (saved or not), for a form to show as warnings."""
    on = on or timezone.localdate()
    record = derive(Record.of(person))
    return explain(record, on, [c for c in CHECKS if not c.member_only])


def check_member(member: Member, on: dt.date | None = None) -> list[Problem]:
    """The problems of one member's record: the person's and the membership's."""
    on = on or timezone.localdate()
    record = derive(Record.of(member.person, member))
    return explain(record, on)
