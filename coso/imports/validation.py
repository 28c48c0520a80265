"""Phase 1 of an import: every row read and checked, nothing written.

Validation(...).run(items) takes the records of reading.records() and returns an Outcome:
the rows that can be recorded (as members.bulk.Row), every problem with its sheet, row
number and column header as in the file, and the summary the dry-run page shows.

Checks, per row: required fields; each cell readable (columns.py); the cell (chi bộ) named in
the row, in a section row above it, by the sheet's name or by the default the user chose,
found among the cells of the importing organization's subtree on the recording date and in
the user's scope; the national ID (people.checks); date order (admission at 18 or older,
decision no later than admission, recognition no earlier than admission + 12 months,
admission and recognition no later than the recording date: the rules of the lifecycle's
first event, which members.bulk replays again when writing). Then, over the whole file: the same
national ID or card number twice in the file or already in the database (errors: both are
unique), the same folded name and birth date twice in the file or among the members in the
user's scope (warnings: likely duplicates, flagged, not refused).
"""

import datetime as dt
import json
import re
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext as _

from coso.lib.dates import fmt
from coso.lib.text import fold
from coso.members import dates, lifecycle
from coso.members.bulk import Row
from coso.members.models import Member
from coso.members.services import MEMBER_ORG_KINDS
from coso.organizations.models import Placement
from coso.people.checks import name_findings, national_id_problems
from coso.people.choices import DatePrecision, Gender
from coso.people.models import Person
from coso.people.services import taken_message

from .columns import BY_NAME, CellError
from .reading import MULTI_COLUMN_FIELDS, Record, Section, SheetPlan

# Fields whose blank cell, in a column the file has, means "not known" (""), never "none" / Kinh /
# not trained: a blank is a question nobody answered, and since 22/11 the project's rule is that
# unknown is not Kinh (tests/test_unknown_values.py). The report says how many blanks were read so.
BLANK_IS_UNKNOWN = ("ethnicity", "religion", "education", "qualification", "theory_level")
MAX_PROBLEMS = 2000  # kept for the report; the counts are exact whatever the number
CHUNK = 5000  # values per IN (...) lookup, within the database's limit of query parameters
CACHE_SIZE = 20_000  # remembered parses per column


@dataclass
class Problem:
    sheet: str
    row: int
    column: str  # the header as in the file ("" when the problem is the whole row's)
    letter: str
    message: str
    level: str = "error"  # or "warning"

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "letter": self.letter, "message": self.message, "level": self.level}


@dataclass
class Checked:
    sheet: str
    row: int
    name: str = ""
    person: dict = field(default_factory=dict)
    cell_id: int | None = None
    admitted_on: dt.date | None = None
    recognized_on: dt.date | None = None
    decision_date: dt.date | None = None
    card_number: str = ""
    introducers: str = ""
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    columns: dict = field(default_factory=dict)  # field -> SourceColumn, to name columns in later problems
    failed: set = field(default_factory=set)  # fields whose cell could not be read (no "missing" error on top)

    @property
    def valid(self) -> bool:
        return not self.errors

    def add(self, field_name: str | None, message: str, level: str = "error") -> None:
        column = self.columns.get(field_name) if field_name else None
        label = column.label if column else (str(BY_NAME[field_name].label) if field_name in BY_NAME else "")
        problem = Problem(self.sheet, self.row, label, column.letter if column else "", message, level)
        (self.errors if level == "error" else self.warnings).append(problem)


_NUMBERING_PREFIX = re.compile(r"^\s*(?:[ivxlc]+|\d+|[a-z])\s*[.)/-]\s*")


def _cell_key(text: str) -> str:
    """"I. CHI BỘ THÔN A1B" -> "thon a1b": folded, without a list number nor "Chi bộ"."""
    key = _NUMBERING_PREFIX.sub("", fold(text))
    key = re.sub(r"[^\w ]+", " ", key)
    key = re.sub(r"\s+", " ", key).strip()
    for prefix in ("chi bo co so ", "chi bo ", "cb "):
        if key.startswith(prefix):
            return key[len(prefix):]
    return key


class Cells:
    """The cells a file may name: in force on the date under the importing organization, in
    the user's scope. Names are compared folded and without "Chi bộ"; codes exactly."""

    def __init__(self, organization, on: dt.date, scope):
        self.organization = organization
        self.on = on
        placement = Placement.objects.on(on).filter(organization=organization).first()
        self.organization_name = placement.name if placement else str(organization)
        self.by_id: dict[int, dict] = {}
        self.by_code: dict[str, dict] = {}
        self.by_name: dict[str, list[dict]] = defaultdict(list)
        if placement is not None:
            rows = (
                Placement.objects.under(placement.path, on=on)
                .visible_to(scope)
                .values("organization_id", "name", "kind", "organization__code")
            )
            for row in rows:
                entry = {"id": row["organization_id"], "name": row["name"], "kind": row["kind"], "code": row["organization__code"],
                         "cell": row["kind"] in MEMBER_ORG_KINDS}
                self.by_id[entry["id"]] = entry
                self.by_code[entry["code"].lower()] = entry
                self.by_name[_cell_key(entry["name"])].append(entry)
        self._cache: dict[str, tuple[int | None, str]] = {}

    def cells(self) -> list[dict]:
        return sorted((e for e in self.by_id.values() if e["cell"]), key=lambda e: fold(e["name"]))

    def name(self, organization_id) -> str:
        entry = self.by_id.get(organization_id)
        return entry["name"] if entry else ""

    def _find(self, text: str) -> tuple[int | None, str]:
        code = re.search(r"\(([^()]+)\)\s*$", text)
        entry = self.by_code.get(text.strip().lower()) or (self.by_code.get(code.group(1).strip().lower()) if code else None)
        if entry is None:
            key = _cell_key(text)
            found = self.by_name.get(key, [])
            if not found and code:
                found = self.by_name.get(_cell_key(text[: code.start()]), [])
            cells = [e for e in found if e["cell"]]
            if len(cells) > 1:
                return None, _("Có %(n)s chi bộ tên «%(name)s» trong %(org)s: ghi mã chi bộ (%(codes)s).") % {
                    "n": len(cells), "name": text, "org": self.organization_name, "codes": ", ".join(e["code"] for e in cells)}
            entry = cells[0] if cells else (found[0] if found else None)
        if entry is None:
            return None, _("Không tìm thấy chi bộ «%(name)s» trong %(org)s vào ngày %(date)s.") % {
                "name": text, "org": self.organization_name, "date": fmt(self.on)}
        if not entry["cell"]:
            kind = dict(Placement._meta.get_field("kind").choices).get(entry["kind"], entry["kind"])
            return None, _("«%(name)s» là %(kind)s, không phải chi bộ: đảng viên sinh hoạt ở chi bộ.") % {"name": entry["name"], "kind": kind}
        return entry["id"], ""

    def resolve(self, text: str) -> tuple[int | None, str]:
        """(organization id, "") or (None, the reason)."""
        if text not in self._cache:
            self._cache[text] = self._find(text)
        return self._cache[text]

    def match(self, text: str) -> int | None:
        """The cell a sheet name or a section row names, if it names exactly one."""
        organization_id, _error = self.resolve(text)
        return organization_id


@dataclass
class Outcome:
    rows: list[Checked]  # the valid rows
    total: int = 0
    valid: int = 0
    invalid: int = 0
    warned: int = 0
    problems: list[Problem] = field(default_factory=list)
    error_count: int = 0
    warning_count: int = 0
    by_cell: Counter = field(default_factory=Counter)
    official: int = 0
    probationary: int = 0
    taken: dict = field(default_factory=lambda: defaultdict(list))  # sheet -> row numbers of valid rows
    refused: dict = field(default_factory=lambda: defaultdict(list))  # sheet -> row numbers of invalid rows
    notices: list[str] = field(default_factory=list)
    blank_unknown: list = field(default_factory=list)  # [label, rows] of the fields whose blanks were read as not known
    skipped_lines: list[dict] = field(default_factory=list)


def ranges(numbers: list[int]) -> list[list[int]]:
    """[5, 6, 7, 9] -> [[5, 7], [9, 9]]: an exact list of rows, short to store and to read."""
    out: list[list[int]] = []
    for n in sorted(numbers):
        if out and n == out[-1][1] + 1:
            out[-1][1] = n
        elif not out or n > out[-1][1]:
            out.append([n, n])
    return out


class Validation:
    def __init__(self, *, organization, on: dt.date, scope, default_cell_id: int | None = None, progress=None):
        self.on = on
        self.scope = scope
        self.cells = Cells(organization, on, scope)
        default = self.cells.by_id.get(default_cell_id)
        self.default_cell_id = default_cell_id if default and default["cell"] else None
        self.progress = progress
        self._caches: dict[str, dict] = {}
        # (national ID, id of the person holding it) for IDs of the file found on someone else's
        # record: the service audits these lookups when it keeps the report
        self.taken_ids: list[tuple[str, int]] = []
        self.blanks: Counter = Counter()  # field -> rows whose cell was blank in a column the file has (BLANK_IS_UNKNOWN)

    # ---- one row

    def _parse(self, column, value):
        """column.parse(value), remembered: most columns repeat a few values over the whole file."""
        if not column.cacheable:
            return column.parse(value)
        cache = self._caches.setdefault(column.name, {})
        key = (type(value), value)
        found = cache.get(key)
        if found is None:
            try:
                found = (column.parse(value), None)
            except CellError as error:
                found = (None, str(error))
            if len(cache) > CACHE_SIZE:
                cache.clear()
            cache[key] = found
        if found[1] is not None:
            raise CellError(found[1])
        return found[0]

    def _value(self, checked: Checked, record: Record, name: str):
        entries = record.values.get(name)
        if not entries:
            return None
        column = BY_NAME[name]
        if name in MULTI_COLUMN_FIELDS:
            parts = []
            for value, source in entries:
                try:
                    text = self._parse(column, value)
                except CellError as error:
                    checked.columns[name] = source
                    checked.failed.add(name)
                    checked.add(name, str(error))
                    return None
                if text:
                    parts.append(text)
            joined = ", ".join(parts)
            if len(joined) > column.max_length:
                checked.add(name, _("Quá dài: tối đa %(max)s ký tự.") % {"max": column.max_length})
                return None
            return joined
        value, source = entries[0]
        checked.columns[name] = source
        try:
            return self._parse(column, value)
        except CellError as error:
            checked.failed.add(name)
            checked.add(name, str(error))
            return None

    def check(self, plan: SheetPlan, record: Record, hint_cell: int | None, sheet_cell: int | None) -> Checked:
        checked = Checked(record.sheet, record.row)
        checked.columns = dict(plan.by_field)
        v = {name: self._value(checked, record, name) for name in plan.fields}

        # name
        name = v.get("full_name") or " ".join(p for p in (v.get("family_middle"), v.get("given_name")) if p)
        name_field = "full_name" if "full_name" in plan.fields else "given_name"
        if not name:
            checked.add(name_field, _("Thiếu họ và tên."))
        # markup, characters no name has (errors), an honorific left in it (a warning): people.checks
        for _kind, level, message in name_findings(name):
            checked.add(name_field, message, level)
        checked.name = name

        # gender, and a birth date written in a Nam / Nữ column
        marks = [m for m in (v.get("male_mark"), v.get("female_mark")) if m]
        gender = v.get("gender")
        birth = v.get("birth_date")
        if len(marks) > 1:
            checked.add("female_mark", _("Đã đánh dấu cả cột Nam và cột Nữ."))
        elif marks:
            mark_gender, mark_birth = marks[0]
            if gender and gender != mark_gender:
                checked.add("gender", _("Giới tính khác với cột Nam / Nữ."))
            gender = gender or mark_gender
            birth = birth or mark_birth
        elif gender is None and "gender" not in plan.fields:
            # a list with only a "Nữ" column marks women; its blank rows are men (and conversely)
            if "female_mark" in plan.fields and "male_mark" not in plan.fields:
                gender = Gender.MALE
            elif "male_mark" in plan.fields and "female_mark" not in plan.fields:
                gender = Gender.FEMALE
        failed = checked.failed
        mark_field = "female_mark" if "female_mark" in plan.fields else "male_mark"
        if gender is None and not failed & {"gender", "male_mark", "female_mark"}:
            checked.add("gender" if "gender" in plan.fields else mark_field, _("Thiếu giới tính (Nam hoặc Nữ)."))
        if birth is None and not failed & {"birth_date", "male_mark", "female_mark"}:
            checked.add("birth_date" if "birth_date" in plan.fields else mark_field, _("Thiếu ngày sinh (hoặc năm sinh)."))

        # membership dates
        admitted, recognized, decision = v.get("admitted_on"), v.get("recognized_on"), v.get("decision_date")
        if admitted is None and "admitted_on" not in failed:
            checked.add("admitted_on", _("Thiếu ngày kết nạp."))
        if admitted:
            # a partial birth date is stored as its earliest day: "under 18" is then certain
            if birth and (problem := dates.admission_age_problem(admitted, birth.date, _birth_text(birth))):
                checked.add("admitted_on", problem)
            if admitted > self.on:
                checked.add("admitted_on", _("Ngày kết nạp %(date)s sau ngày ghi nhận sinh hoạt %(on)s.") % {"date": fmt(admitted), "on": fmt(self.on)})
            if recognized:
                earliest = lifecycle.add_months(admitted, lifecycle.PROBATION_MONTHS)
                if recognized < earliest:
                    checked.add("recognized_on", _("Ngày công nhận chính thức %(date)s sớm hơn ngày kết nạp cộng 12 tháng dự bị (%(earliest)s).") % {
                        "date": fmt(recognized), "earliest": fmt(earliest)})
                elif recognized > self.on:
                    checked.add("recognized_on", _("Ngày công nhận chính thức %(date)s sau ngày ghi nhận sinh hoạt %(on)s: chọn ngày ghi nhận muộn hơn.") % {
                        "date": fmt(recognized), "on": fmt(self.on)})
            elif lifecycle.add_months(admitted, lifecycle.PROBATION_MONTHS) < self.on:
                checked.add("recognized_on", _("Đã quá 12 tháng dự bị (đến %(date)s) mà chưa có ngày công nhận chính thức.") % {
                    "date": fmt(lifecycle.add_months(admitted, lifecycle.PROBATION_MONTHS))}, level="warning")
            if decision and decision > admitted:
                checked.add("decision_date", _("Ngày quyết định kết nạp %(decision)s sau ngày kết nạp %(date)s.") % {"decision": fmt(decision), "date": fmt(admitted)})

        # national ID
        national_id = v.get("national_id") or ""
        if national_id:
            for message in national_id_problems(national_id, gender, birth.date if birth else None, birth.precision if birth else DatePrecision.DAY):
                checked.add("national_id", message)

        # the cell
        cell_text = v.get("cell")
        if cell_text:
            cell_id, error = self.cells.resolve(cell_text)
            if error:
                checked.add("cell", error)
        else:
            cell_id = hint_cell or sheet_cell or self.default_cell_id
            if cell_id is None:
                checked.add("cell", _("Chưa rõ chi bộ: ghi tên chi bộ, đặt tên trang tính theo chi bộ, hoặc chọn chi bộ mặc định."))
        checked.cell_id = cell_id

        # a column missing from the file, or a blank cell: not known (""), never Kinh / none
        for blank in BLANK_IS_UNKNOWN:
            if blank in plan.fields and not record.values.get(blank):  # blank, not "Chưa rõ" written
                self.blanks[blank] += 1
        qualification, qualification_field = v.get("qualification") or ("", "")
        theory, _theory_field = v.get("theory_level") or ("", "")
        checked.person = {
            "full_name": name,
            "other_names": v.get("other_names") or "",
            "gender": gender or "",
            "birth_date": birth.date if birth else None,
            "birth_precision": birth.precision if birth else DatePrecision.DAY,
            "national_id": national_id or None,
            "ethnicity": v.get("ethnicity") or "",
            "religion": v.get("religion") or "",
            "origin_text": v.get("origin_text") or "",
            "residence_text": v.get("residence_text") or "",
            "education": v.get("education") or "",
            "qualification": qualification,
            "qualification_field": qualification_field,
            "theory_level": theory,
            "occupation": v.get("occupation") or "",
            "job_title": v.get("job_title") or "",
        }
        checked.admitted_on, checked.recognized_on, checked.decision_date = admitted, recognized, decision
        checked.card_number = v.get("card_number") or ""
        checked.introducers = v.get("introducers") or ""

        return checked

    # ---- the file

    def run(self, items) -> Outcome:
        outcome = Outcome(rows=[])
        checked_rows: list[Checked] = []  # every row, kept for the file-wide duplicate checks
        ids: dict[str, Checked] = {}
        cards: dict[str, Checked] = {}
        names: dict[tuple, Checked] = {}
        hints: dict[str, int | None] = {}
        sheet_cells: dict[str, int | None] = {}
        count = 0
        for plan, item in items:
            if plan.name not in sheet_cells:
                sheet_cells[plan.name] = self.cells.match(plan.name)
            if isinstance(item, Section):
                cell_id = self.cells.match(item.text)
                if cell_id:
                    hints[plan.name] = cell_id
                else:
                    outcome.skipped_lines.append({"sheet": item.sheet, "row": item.row, "text": item.text[:80]})
                continue
            checked = self.check(plan, item, hints.get(plan.name), sheet_cells[plan.name])
            count += 1
            if checked.person.get("national_id"):
                first = ids.setdefault(checked.person["national_id"], checked)
                if first is not checked:
                    checked.add("national_id", _("Số định danh %(id)s trùng với dòng %(row)s%(sheet)s.") % {
                        "id": checked.person["national_id"], "row": first.row, "sheet": _sheet_suffix(first, checked)})
            if checked.card_number:
                first = cards.setdefault(checked.card_number, checked)
                if first is not checked:
                    checked.add("card_number", _("Số thẻ đảng viên %(card)s trùng với dòng %(row)s%(sheet)s.") % {
                        "card": checked.card_number, "row": first.row, "sheet": _sheet_suffix(first, checked)})
            if checked.name and checked.person.get("birth_date"):
                key = (fold(checked.name), checked.person["birth_date"])
                first = names.setdefault(key, checked)
                if first is not checked:
                    checked.add("full_name", _("Có thể trùng: cùng họ tên và ngày sinh với dòng %(row)s%(sheet)s.") % {
                        "row": first.row, "sheet": _sheet_suffix(first, checked)}, level="warning")
            checked_rows.append(checked)
            if self.progress and count % 2000 == 0:
                self.progress(count)
        self._against_database(checked_rows, ids, cards, names)
        self._summarize(outcome, checked_rows)
        return outcome

    def _against_database(self, rows, ids, cards, names) -> None:
        for chunk in _chunks(list(ids)):
            for national_id, holder in Person.objects.filter(national_id__in=chunk).values_list("national_id", "pk"):
                ids[national_id].add("national_id", taken_message(national_id))
                self.taken_ids.append((national_id, holder))
        for chunk in _chunks(list(cards)):
            for card in Member.objects.filter(card_number__in=chunk).values_list("card_number", flat=True):
                cards[card].add("card_number", _("Số thẻ đảng viên %(card)s đã cấp cho một đảng viên khác trong hệ thống.") % {"card": card})
        by_name: dict[str, list[tuple]] = defaultdict(list)
        for (name_folded, birth), checked in names.items():
            by_name[name_folded].append((birth, checked))
        scope_q = Q() if self.scope.is_global else Q(membership__organization_id__in=self.scope.organization_ids())
        for chunk in _chunks(list(by_name)):
            found = (
                Person.objects.filter(name_folded__in=chunk, birth_date__isnull=False, membership__isnull=False)
                .filter(scope_q)
                .values_list("name_folded", "birth_date", "full_name")
            )
            for name_folded, birth, full_name in found:
                for file_birth, checked in by_name.get(name_folded, ()):
                    if file_birth == birth:
                        checked.add("full_name", _("Có thể trùng với đảng viên %(name)s (sinh %(birth)s) đã có trong hệ thống.") % {
                            "name": full_name, "birth": fmt(birth)}, level="warning")

    def _summarize(self, outcome: Outcome, rows: list[Checked]) -> None:
        outcome.total = len(rows)
        for checked in rows:
            if checked.errors:
                outcome.invalid += 1
                outcome.refused[checked.sheet].append(checked.row)
            else:
                outcome.valid += 1
                outcome.taken[checked.sheet].append(checked.row)
                outcome.by_cell[checked.cell_id] += 1
                if checked.recognized_on and checked.recognized_on <= self.on:
                    outcome.official += 1
                else:
                    outcome.probationary += 1
                outcome.rows.append(checked)
            if checked.warnings:
                outcome.warned += 1
            outcome.error_count += len(checked.errors)
            outcome.warning_count += len(checked.warnings)
            for problem in (*checked.errors, *checked.warnings):
                if len(outcome.problems) < MAX_PROBLEMS:
                    outcome.problems.append(problem)

    def recheck(self, rows: list[Checked]) -> list[Checked]:
        """Phase 2: what may have changed in the database since the dry run, for its valid rows:
        the cell still in force and in scope, the national ID and card number still unused.
        Returns the rows that fail now (with their errors added)."""
        failed = []
        ids = {c.person["national_id"]: c for c in rows if c.person.get("national_id")}
        cards = {c.card_number: c for c in rows if c.card_number}
        for c in rows:
            entry = self.cells.by_id.get(c.cell_id)
            if entry is None or not entry["cell"]:
                c.add("cell", _("Chi bộ của dòng này không còn hoạt động vào ngày %(date)s hoặc không còn trong phạm vi của bạn.") % {"date": fmt(self.on)})
        self._against_database(rows, ids, cards, {})
        for c in rows:
            if c.errors:
                failed.append(c)
        return failed

    def bulk_rows(self, rows: list[Checked]) -> list[Row]:
        return [
            Row(person=c.person, organization_id=c.cell_id, on=self.on, admitted_on=c.admitted_on, recognized_on=c.recognized_on,
                decision_date=c.decision_date, card_number=c.card_number, introducers=c.introducers)
            for c in rows
        ]


PERSON_KEYS = ("full_name", "other_names", "gender", "birth_date", "birth_precision", "national_id", "ethnicity", "religion", "origin_text",
               "residence_text", "education", "qualification", "qualification_field", "theory_level", "occupation", "job_title")
_BIRTH = PERSON_KEYS.index("birth_date")


def _ordinal(day: dt.date | None) -> int | None:
    return day.toordinal() if day else None


def _day(ordinal: int | None) -> dt.date | None:
    return dt.date.fromordinal(ordinal) if ordinal else None


def pack_rows(rows: list[Checked]) -> bytes:
    """The valid rows of a dry run, kept with the job for the writing step (compressed JSON)."""
    sheets: dict[str, int] = {}
    packed = []
    for c in rows:
        person = [c.person[k] for k in PERSON_KEYS]
        person[_BIRTH] = _ordinal(person[_BIRTH])
        packed.append([sheets.setdefault(c.sheet, len(sheets)), c.row, c.name, c.cell_id, _ordinal(c.admitted_on), _ordinal(c.recognized_on),
                       _ordinal(c.decision_date), c.card_number, c.introducers, person])
    data = json.dumps({"sheets": list(sheets), "rows": packed}, ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(data.encode(), 1)


def unpack_rows(data: bytes) -> list[Checked]:
    if not data:
        return []
    loaded = json.loads(zlib.decompress(bytes(data)))
    sheets = loaded["sheets"]
    rows = []
    for sheet, row, name, cell_id, admitted, recognized, decision, card, introducers, person in loaded["rows"]:
        person[_BIRTH] = _day(person[_BIRTH])
        rows.append(Checked(sheets[sheet], row, name=name, person=dict(zip(PERSON_KEYS, person, strict=True)), cell_id=cell_id,
                            admitted_on=_day(admitted), recognized_on=_day(recognized), decision_date=_day(decision), card_number=card,
                            introducers=introducers))
    return rows


def _chunks(values: list):
    size = min(CHUNK, (connection.features.max_query_params or CHUNK) - 20)
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _sheet_suffix(first: Checked, checked: Checked) -> str:
    return "" if first.sheet == checked.sheet else _(" (trang tính «%(sheet)s»)") % {"sheet": first.sheet}


def _birth_text(birth) -> str:
    if birth.precision == DatePrecision.YEAR:
        return str(birth.date.year)
    if birth.precision == DatePrecision.MONTH:
        return birth.date.strftime("%m/%Y")
    return fmt(birth.date)
