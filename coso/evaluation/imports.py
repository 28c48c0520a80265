"""Proposals for many members from an Excel (or CSV) file, for a cell or a whole period.

Two phases, like coso/imports: every row is read and checked first, nothing is written unless the
whole file is valid; then one transaction proposes the levels, cell by cell, through
services.propose (audited there). Every problem names its row and column as in the file and says
why in Vietnamese.

The file: the first visible sheet; a header row within its first 30 rows with a column for the
member (Họ và tên, or Số thẻ đảng viên, or both) and one for the level (Mức xếp loại, Xếp loại,
Mức đề xuất), and under a rule set that scores, optionally Điểm. The table ends at its first empty
row after the data (the summary and signatures below it are not rows). A file exported by this
page (evaluation.exports) reads back as is. A member is found by card number, or by name as
written (case and spacing aside; a name matching only without its diacritics is refused with the
member it may mean). Levels are read from their labels ("Hoàn thành tốt nhiệm vụ", with or without
diacritics), their abbreviations (HTTNV) or their codes (htt). Text typed with the legacy TCVN3 or
VNI fonts is converted (coso.lib.excel).
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coso.lib import excel
from coso.lib.text import clean, fold
from coso.organizations.models import Organization, Placement

from . import permissions as perms
from . import selectors, services
from .choices import SubjectKind
from .models import Period

HEADER_SEARCH_ROWS = 30
MAX_ROWS = 5000
NAME, CARD, LEVEL, SCORE = "name", "card", "level", "score"


@dataclass
class Problem:
    row: int
    column: str  # "B (Họ và tên)", or "" for the whole row or file
    message: str


@dataclass
class Report:
    sheet: str = ""
    rows: int = 0  # data rows read
    written: int = 0
    problems: list[Problem] = field(default_factory=list)
    cells: set = field(default_factory=set)  # the organizations of the members proposed

    @property
    def ok(self) -> bool:
        return not self.problems and self.written > 0

    @property
    def single_cell(self) -> int | None:
        return next(iter(self.cells)) if len(self.cells) == 1 else None


def _kind(header) -> str | None:
    """Which column a header names (folded: no diacritics, lower case)."""
    text = fold(str(header or ""))
    if not text:
        return None
    if "tu xep loai" in text or "tu cham" in text or "tu danh gia" in text:
        return None  # the self-assessment, not the proposal
    if "so the" in text:
        return CARD
    if "diem" in text:
        return SCORE
    if "xep loai" in text or text.startswith("muc"):
        return LEVEL
    if ("ho" in text.split() and "ten" in text.split()) or text in ("ten", "ten dang vien", "ho ten"):
        return NAME
    return None


def _rows(sheet, limit=None):
    """The sheet's rows; a file broken further down (a cell, a row) is refused like one that does
    not open, with the reader's message naming where."""
    try:
        yield from sheet.rows(limit=limit)
    except excel.ExcelError as error:
        raise ValidationError({"file": str(error)}) from None


def _find_header(sheet) -> tuple[int, dict[str, tuple[int, str]]] | None:
    """(row number, {column kind: (index, header)}) of the first row naming a member column and a
    level column."""
    for number, values in _rows(sheet, HEADER_SEARCH_ROWS):
        found: dict[str, tuple[int, str]] = {}
        for index, value in enumerate(values):
            kind = _kind(value)
            if kind and kind not in found:
                found[kind] = (index, clean(str(value)))
        if LEVEL in found and (NAME in found or CARD in found):
            return number, found
    return None


def _level_index(period: Period) -> dict[str, str]:
    """Folded label, abbreviation and code → level code, for the member scale of the rule set."""
    index = {}
    for level in period.rules.levels_for(SubjectKind.MEMBER):
        for key in (str(level.label), level.short, level.code):
            if key:
                index[fold(key).replace(" ", "")] = level.code
    return index


def _exact(name: str) -> str:
    """A name as written, whatever its case and spacing (NFC: decomposed input compares equal)."""
    return clean(name).casefold()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean(excel.unescape_formula(str(value)))


def _score(value) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (int, float)):
        number = Decimal(str(value))
    else:
        try:
            number = Decimal(str(value).strip().replace(" ", "").replace(",", "."))
        except InvalidOperation:
            raise ValueError from None
    if not number.is_finite() or not Decimal(0) <= number <= Decimal(100):
        raise ValueError
    return number


def import_proposals(*, actor, scope, period: Period, organization, content: bytes, filename: str) -> Report:
    """Read and check the file; when every row is valid, propose its levels (one transaction).
    ValidationError (on "file") when the file cannot be read at all."""
    org_id = organization.pk if isinstance(organization, Organization) else int(organization)
    perms.check(scope, org_id, perms.ASSESS)
    if period.state != Period.State.OPEN:
        raise ValidationError({"file": _("Kỳ đánh giá đã công bố kết quả; không nhập đề xuất được nữa.")})
    sheet = excel.first_visible_sheet(content, filename)
    header = _find_header(sheet)
    if header is None:
        raise ValidationError({"file": _("Không tìm thấy dòng tiêu đề có cột “Họ và tên” (hoặc “Số thẻ đảng viên”) và cột “Mức xếp loại” "
                                         "trong %(rows)d dòng đầu của trang “%(sheet)s”.") % {"rows": HEADER_SEARCH_ROWS, "sheet": sheet.name}})
    header_row, columns = header
    report = Report(sheet=sheet.name)

    def where(kind: str) -> str:
        index, title = columns[kind]
        return f"{excel.column_letter(index)} ({title})"

    # the rows of the table: from under the header to the first empty row after the data
    records = []
    last = header_row
    for number, values in _rows(sheet):
        if number <= header_row:
            continue
        cells = {kind: (values[index] if index < len(values) else None) for kind, (index, _title) in columns.items()}
        blank = all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values())
        if records and (blank or number > last + 1):  # an empty row (an .xlsx leaves it out) ends the table
            break
        last = number
        if blank:
            continue
        records.append((number, cells))
        if len(records) > MAX_ROWS:
            raise ValidationError({"file": _("Tệp có hơn %(max)d dòng: hãy chia theo chi bộ.") % {"max": MAX_ROWS}})
    report.rows = len(records)
    if not records:
        raise ValidationError({"file": _("Không có dòng đảng viên nào dưới dòng tiêu đề.")})
    legacy = excel.detect_legacy(_text(c.get(NAME)) for _n, c in records)

    # who can be proposed: the period's members under the organization, in the scope (one query)
    ratings = list(selectors.ratings(scope, period, org_id, kind=SubjectKind.MEMBER).select_related("member"))
    by_card = {r.member.card_number.strip(): r for r in ratings if r.member_id and r.member.card_number}
    # names match as written (case aside); a name that matches only without its diacritics is a
    # different name ("Chí" is not "Chi"): refused, with the member it may mean
    by_name: dict[str, list] = {}
    by_folded: dict[str, list] = {}
    for r in ratings:
        by_name.setdefault(_exact(r.subject_name), []).append(r)
        by_folded.setdefault(fold(r.subject_name), []).append(r)
    placement = Placement.objects.on(period.reference_date).filter(organization_id=org_id).only("name").first()
    where_name = placement.name if placement else ""
    levels = _level_index(period)
    choices = ", ".join(str(lv.label) for lv in period.rules.levels_for(SubjectKind.MEMBER))
    scored = period.rules.SCORED
    seen: dict[int, int] = {}
    proposals: dict[int, dict[int, tuple]] = {}  # cell → {member id: (level, score)}

    def problem(number, kind, message):
        report.problems.append(Problem(number, where(kind) if kind else "", message))

    for number, cells in records:
        name = excel.convert_legacy(_text(cells.get(NAME)), legacy)
        card = _text(cells.get(CARD))
        rating = None
        if card:
            rating = by_card.get(card)
            if rating is None:
                problem(number, CARD, _("Không có đảng viên số thẻ %(card)s trong danh sách đánh giá của %(organization)s.") % {
                    "card": card, "organization": where_name})
            elif name and _exact(name) != _exact(rating.subject_name):
                problem(number, NAME, _("Số thẻ %(card)s là của đảng viên %(owner)s, không phải “%(name)s”.") % {
                    "card": card, "owner": rating.subject_name, "name": name})
                rating = None
        elif name:
            found = by_name.get(_exact(name), [])
            near = by_folded.get(fold(name), []) if not found else []
            if near:
                problem(number, NAME, _("Không có đảng viên “%(name)s” trong danh sách đánh giá của %(organization)s; có phải %(near)s? "
                                        "Hãy ghi đúng họ tên có dấu hoặc số thẻ đảng viên.") % {
                    "name": name, "organization": where_name, "near": ", ".join(f"“{r.subject_name}”" for r in near)})
            elif not found:
                problem(number, NAME, _("Không có đảng viên “%(name)s” trong danh sách đánh giá của %(organization)s.") % {
                    "name": name, "organization": where_name})
            elif len(found) > 1:
                problem(number, NAME, _("Có %(count)d đảng viên cùng tên “%(name)s”: hãy ghi số thẻ đảng viên.") % {
                    "count": len(found), "name": name})
            else:
                rating = found[0]
        else:
            problem(number, NAME if NAME in columns else CARD, _("Chưa ghi họ và tên hoặc số thẻ đảng viên."))
        raw_level = _text(cells.get(LEVEL))
        level = levels.get(fold(raw_level).replace(" ", "")) if raw_level else None
        if not raw_level:
            problem(number, LEVEL, _("Chưa ghi mức xếp loại."))
        elif level is None:
            problem(number, LEVEL, _("Mức xếp loại “%(level)s” không có trong %(rules)s; hãy ghi một trong: %(choices)s.") % {
                "level": raw_level, "rules": period.rules.SHORT, "choices": choices})
        score = None
        if SCORE in columns:
            try:
                score = _score(cells.get(SCORE))
            except ValueError:
                problem(number, SCORE, _("Điểm “%(value)s” không hợp lệ: phải là một số từ 0 đến 100.") % {"value": _text(cells.get(SCORE))})
            if score is not None and not scored:
                problem(number, SCORE, _("%(rules)s không chấm điểm theo thang điểm 100: hãy bỏ trống cột điểm.") % {"rules": period.rules.SHORT})
                score = None
        if rating is None:
            continue
        if rating.member_id in seen:
            problem(number, NAME if NAME in columns else CARD, _("%(name)s đã có ở dòng %(row)d.") % {
                "name": rating.subject_name, "row": seen[rating.member_id]})
            continue
        seen[rating.member_id] = number
        if rating.state not in services.BEFORE_DECISION:
            problem(number, LEVEL, _("%(name)s đang ở bước “%(state)s”: không đề xuất lại được.") % {
                "name": rating.subject_name, "state": rating.get_state_display()})
            continue
        if level:
            proposals.setdefault(rating.organization_id, {})[rating.member_id] = (level, score)
    report.problems.sort(key=lambda p: (p.row, p.column))
    if report.problems:
        return report
    with transaction.atomic():
        for cell_id, levels_of_cell in proposals.items():
            services.propose(actor=actor, period=period, cell=cell_id, levels=levels_of_cell)
            report.written += len(levels_of_cell)
            report.cells.add(cell_id)
    return report
