"""A period's results as a party committee publishes them: one .xlsx sheet, A4 portrait.

`results` reads the rows once (members by cell and by the Vietnamese name order, then the party
organizations) and the counts by level from the measure engine; `results_workbook` lays them out as the document is
printed and filed:

    ĐẢNG BỘ HUYỆN A                                 ĐẢNG CỘNG SẢN VIỆT NAM
    CHI BỘ CƠ SỞ A2                              A Lưới, ngày 23 tháng 11 năm 2026
          *
        KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM 2025
        (Tính đến ngày 31/12/2025; theo Quy định 366-QĐ/TW …)
    STT | Họ và tên | Chi bộ | Mức xếp loại | Điểm | Ghi chú
    …
    KẾT QUẢ XẾP LOẠI TỔ CHỨC ĐẢNG (when there are some)
    TỔNG HỢP: each level, number and share
                                                 T/M CHI ỦY …

The level of a subject not yet decided is its proposal, marked in the notes column (the file is a
draft until the results are published). A score column only under a rule set that scores. Text
that Excel would take for a formula is stored as text (coso.lib.excel.needs_escape).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from coso.lib import excel
from coso.lib.excel import needs_escape, print_a4
from coso.lib.excel import put as excel_put
from coso.lib.numbers import num
from coso.lib.text import fold, sort_key
from coso.measures import engine
from coso.organizations.models import GRASSROOTS_KINDS, Kind, Placement
from coso.places.models import Level as UnitLevel

from . import selectors
from .choices import PeriodKind, SubjectKind
from .models import Correction, Period, Rating

S = Rating.State
RESULT_STATES = (S.DECIDED, S.PUBLISHED)
CELL_KINDS = (Kind.GRASSROOTS_CELL, Kind.SUBORDINATE_CELL, Kind.PARTY_GROUP)


@dataclass
class Line:
    number: int
    name: str
    organization: str
    level: str
    score: object  # Decimal or None
    note: str = ""
    code: str = ""


@dataclass
class Results:
    period: Period
    organization: Placement
    superior: str
    place: str
    members: list[Line] = field(default_factory=list)
    organizations: list[Line] = field(default_factory=list)
    counts: list[tuple[str, int]] = field(default_factory=list)  # (level label, members at it)
    pending: int = 0  # subjects without a result yet

    @property
    def rows(self) -> int:
        return len(self.members) + len(self.organizations)


def _place_of(area) -> str:
    unit = area
    while unit is not None:
        if unit.level in (UnitLevel.DISTRICT, UnitLevel.PROVINCE):
            return unit.name
        unit = unit.parent
    return ""


def results(scope, period: Period, organization_id: int) -> Results:
    """The rows of the file for the period under the organization, within the scope: the ratings
    (one query, then one for the corrections), the placements' names (two queries), the members
    by level as the measure engine counts them while the period is worked on."""
    on = period.reference_date
    placement = Placement.objects.on(on).filter(organization_id=organization_id).select_related("area__parent__parent").first()
    superior = ""
    if placement.parent_id:
        parent = Placement.objects.on(on).filter(organization_id=placement.parent_id).only("name").first()
        superior = parent.name if parent else ""
    ratings = list(selectors.ratings(scope, period, organization_id))
    names = {p.organization_id: p for p in Placement.objects.on(on).filter(organization_id__in={r.organization_id for r in ratings})
             .only("organization_id", "name", "path")}
    corrected = set(Correction.objects.filter(rating__in=[r.pk for r in ratings]).values_list("rating_id", flat=True))
    module = period.rules
    out = Results(period, placement, superior, _place_of(placement.area))

    def line(number, r, organization_name):
        decided = r.state in RESULT_STATES
        code, score = (r.level, r.score) if decided else (r.proposed_level, r.proposed_score)
        if decided:
            note = _("Đã điều chỉnh sau công bố") if r.pk in corrected else ("" if r.state == S.PUBLISHED else str(S.DECIDED.label))
        else:
            out.pending += 1
            note = _("Mức đề xuất, chưa quyết định") if code else str(r.get_state_display())
        return Line(number, r.subject_name, organization_name, r.label(code), score if module.SCORED else None, note, code or "")

    def path(r):
        p = names.get(r.organization_id)
        return p.path if p else ""

    members = sorted((r for r in ratings if r.subject_kind == SubjectKind.MEMBER),
                     key=lambda r: (path(r), r.member.person.name_order if r.member_id else sort_key(r.subject_name), r.pk))
    out.members = [line(n, r, names[r.organization_id].name if r.organization_id in names else "") for n, r in enumerate(members, start=1)]
    others = sorted((r for r in ratings if r.subject_kind != SubjectKind.MEMBER), key=lambda r: (path(r), r.subject_kind, r.pk))
    out.organizations = [line(n, r, str(r.get_subject_kind_display())) for n, r in enumerate(others, start=1)]
    by_code = engine.evaluation_levels(period, organization_id, scope=scope, working=True).get(SubjectKind.MEMBER, {})
    out.counts = [(str(lv.label), by_code.get(lv.code, 0)) for lv in module.levels_for(SubjectKind.MEMBER)]
    return out


def title(period: Period) -> str:
    if period.kind == PeriodKind.QUARTER:
        when = _("QUÝ %(quarter)s NĂM %(year)s") % {"quarter": period.quarter, "year": period.year}
    elif period.kind == PeriodKind.TERM:
        when = _("NHIỆM KỲ %(start)s–%(end)s") % {"start": period.starts_on.year, "end": period.ends_on.year}
    else:
        when = _("NĂM %(year)s") % {"year": period.year}
    return _("KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN %(when)s") % {"when": when}


def place_and_date(place: str, issued: dt.date) -> str:
    """"A Lưới, ngày 05 tháng 02 năm 2026": days below 10 and months below 3 with two digits."""
    day = f"{issued.day:02d}" if issued.day < 10 else str(issued.day)
    month = f"{issued.month:02d}" if issued.month < 3 else str(issued.month)
    return _("%(place)s, ngày %(day)s tháng %(month)s năm %(year)s") % {"place": place or "…………", "day": day, "month": month,
                                                                       "year": issued.year}


def signer(placement: Placement) -> str:
    if placement.kind in CELL_KINDS:
        return _("T/M CHI ỦY")
    if placement.kind in GRASSROOTS_KINDS or placement.kind == Kind.PARTIAL_COMMITTEE:
        return _("T/M ĐẢNG ỦY")
    return _("T/M BAN THƯỜNG VỤ")


def filename(period: Period, organization_id: int) -> str:
    placement = Placement.objects.on(period.reference_date).filter(organization_id=organization_id).only("name").first()
    slug = "-".join(fold(placement.name if placement else str(organization_id)).split())
    slug = "".join(c for c in slug if c.isascii() and (c.isalnum() or c == "-"))
    return f"ket-qua-xep-loai-{period.year}-{slug}.xlsx"


def results_workbook(scope, period: Period, organization_id: int, *, issued: dt.date) -> tuple[bytes, int]:
    """The .xlsx and the number of subjects it lists."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    data = results(scope, period, organization_id)
    scored = period.rules.SCORED
    headers = [_("STT"), _("Họ và tên"), _("Chi bộ"), _("Mức xếp loại"), *([_("Điểm")] if scored else []), _("Ghi chú")]
    widths = [6, 28, 24, 30, *([8] if scored else []), 22]
    width = len(headers)
    last = get_column_letter(width)
    thin = Side(style="thin", color="000000")
    box = Border(top=thin, bottom=thin, left=thin, right=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wrap = Alignment(vertical="center", wrap_text=True)
    header_fill = PatternFill("solid", fgColor="F2F2F2")

    wb = Workbook()
    ws = wb.active
    ws.title = _("Kết quả xếp loại")[:31]

    def put(ref: str, value, **options):
        return excel_put(ws, ref, value, **options)

    def cell(row: int, col: int, value, **style):
        c = ws.cell(row=row, column=col, value=value)
        if isinstance(value, str) and needs_escape(value):
            c.data_type, c.quotePrefix = "s", True
        for name, v in style.items():
            setattr(c, name, v)
        return c

    # the head: the committee on the left, the Party's name and the place and date on the right
    put("A1", data.superior.upper() or None, merge_to="C1", font=Font(size=12), alignment=center)
    put("A2", data.organization.name.upper(), merge_to="C2", font=Font(bold=True, size=12), alignment=center)
    put("A3", "*", merge_to="C3", alignment=center)
    put("D1", _("ĐẢNG CỘNG SẢN VIỆT NAM"), merge_to=f"{last}1", font=Font(bold=True, underline="single", size=12), alignment=center)
    put("D3", place_and_date(data.place, issued), merge_to=f"{last}3", font=Font(italic=True), alignment=center)
    put("A5", title(period), merge_to=f"{last}5", font=Font(bold=True, size=14), alignment=center)
    subtitle = _("(Tính đến ngày %(date)s; theo %(rules)s)") % {"date": period.reference_date.strftime("%d/%m/%Y"), "rules": period.rules.SHORT}
    put("A6", subtitle, merge_to=f"{last}6", font=Font(italic=True), alignment=center)
    ws.row_dimensions[5].height = 36
    row = 7
    if data.pending:
        put(f"A{row}", _("Dự thảo: còn %(count)s đối tượng chưa được quyết định xếp loại.") % {"count": num(data.pending)},
            merge_to=f"{last}{row}", font=Font(italic=True, color="C00000"), alignment=center)
        row += 1
    row += 1

    def table(head: list[str], lines: list[Line]):
        nonlocal row
        for col, text in enumerate(head, start=1):
            cell(row, col, text, font=Font(bold=True), alignment=center, border=box, fill=header_fill)
        first = row
        row += 1
        for line in lines:
            values = [line.number, line.name, line.organization, line.level,
                      *([float(line.score) if line.score is not None else None] if scored else []), line.note]
            for col, value in enumerate(values, start=1):
                c = cell(row, col, value, border=box, alignment=center if col == 1 else wrap)
                if scored and col == 5:
                    c.number_format = "0.##"
                    c.alignment = Alignment(horizontal="right", vertical="center")
            row += 1
        return first

    header_row = table(headers, data.members)
    if data.organizations:
        row += 1
        put(f"A{row}", _("KẾT QUẢ XẾP LOẠI TỔ CHỨC ĐẢNG, TẬP THỂ VÀ CÁ NHÂN LÃNH ĐẠO"), merge_to=f"{last}{row}", font=Font(bold=True),
            alignment=Alignment(horizontal="left", vertical="center"))
        row += 1
        table([_("STT"), _("Tên"), _("Đối tượng"), _("Mức xếp loại"), *([_("Điểm")] if scored else []), _("Ghi chú")], data.organizations)
    row += 1
    put(f"A{row}", _("TỔNG HỢP XẾP LOẠI ĐẢNG VIÊN"), merge_to=f"{last}{row}", font=Font(bold=True),
        alignment=Alignment(horizontal="left", vertical="center"))
    row += 1
    total = len(data.members)
    for col, text in enumerate([_("Mức xếp loại"), _("Số đảng viên"), _("Tỷ lệ")], start=2):
        cell(row, col, text, font=Font(bold=True), alignment=center, border=box, fill=header_fill)
    row += 1
    for label, n in data.counts:
        cell(row, 2, label, border=box, alignment=wrap)
        cell(row, 3, n, border=box, number_format="#,##0")
        cell(row, 4, (n / total) if total else 0, border=box, number_format="0.0%")
        row += 1
    cell(row, 2, _("Tổng số"), border=box, font=Font(bold=True), alignment=center)
    cell(row, 3, total, border=box, font=Font(bold=True), number_format="#,##0")
    row += 2
    put(f"D{row}", signer(data.organization), merge_to=f"{last}{row}", font=Font(bold=True), alignment=center)
    put(f"D{row + 1}", _("(Ký, ghi rõ họ tên, đóng dấu)"), merge_to=f"{last}{row + 1}", font=Font(italic=True), alignment=center)
    row += 1

    for col, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = w
    print_a4(ws, orientation="portrait", last_column=last, last_row=row, footer=_("Trang &P / &N"))
    ws.print_title_rows = f"{header_row}:{header_row}"  # the table's header on every page

    return excel.workbook_bytes(wb), data.rows
