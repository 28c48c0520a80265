"""The statistical report's tables as rows, and as an .xlsx an office prints.

`section_rows` turns the engine's tables (standard.build) into headed rows with a total: the
page, the .xlsx and the PDF all render these rows, so none of them computes a figure. `head`
gives what a party document carries above its title (the committee, the place and the date).

The workbook is one sheet with the sections one after another, as the report is printed and
filed: the committee and "ĐẢNG CỘNG SẢN VIỆT NAM" at the head, the title, the as-of date, then
each table with a bold bordered header, numbers as "#,##0" (Excel shows the user's separators:
5.400 on a Vietnamese Windows), A4 landscape fitted to the page width.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from coso.lib import excel
from coso.lib.dates import fmt
from coso.lib.excel import needs_escape, print_a4
from coso.lib.excel import put as excel_put
from coso.measures.catalog import MEASURES
from coso.measures.dimensions import DIMENSIONS
from coso.organizations.models import Placement
from coso.places.selectors import document_place

# Breakdowns with many keys, most of them empty in any one organization (54 ethnic groups, the
# religions): their rows of zeros are hidden on the page (a toggle shows them) and in the PDF.
LONG_DIMENSIONS = {"ethnicity", "religion"}
NUMBER_FORMAT = "#,##0"


@dataclass
class Line:
    key: object
    label: str
    values: list[int]
    total: bool = False

    @property
    def zero(self) -> bool:
        return not any(self.values)


@dataclass
class SectionRows:
    number: int
    section: object  # standard.Section
    table: object  # engine.Table
    headers: list[str]  # the breakdown's label, then one per measure
    lines: list[Line]
    total: Line
    period: tuple[dt.date, dt.date] | None = None

    @property
    def code(self) -> str:
        return self.section.code

    @property
    def title(self) -> str:
        return str(self.section.title)

    @property
    def long(self) -> bool:
        return self.section.by in LONG_DIMENSIONS

    @property
    def zero_lines(self) -> int:
        return sum(1 for line in self.lines if line.zero)

    def printed_lines(self) -> list[Line]:
        """The rows a printed page shows: long breakdowns without their rows of zeros."""
        return [line for line in self.lines if not (self.long and line.zero)]


def section_rows(report) -> list[SectionRows]:
    result = []
    for number, (section, table) in enumerate(report.tables, start=1):
        measures = list(table.measures)
        by = section.by
        headers = [str(DIMENSIONS[by].label) if by else _("Chỉ tiêu"), *[str(MEASURES[m].label) for m in measures]]
        lines = [Line(key, label, [values.get(m, 0) for m in measures]) for key, label, values in table.rows]
        total = Line(None, _("Tổng số"), [table.total.get(m, 0) for m in measures], total=True)
        result.append(SectionRows(number, section, table, headers, lines, total, report.period if section.period else None))
    return result


# ---------------------------------------------------------------------------- the document head


@dataclass
class Head:
    """What a party document writes above its title."""

    superior: str  # the committee above, in capitals ("ĐẢNG BỘ TỈNH …"); "" at the top
    name: str  # the reporting committee, in capitals
    place: str  # the province or district of the organization's area; "" when unknown
    issued: dt.date
    lines: list[str] = field(default_factory=list)

    @property
    def place_and_date(self) -> str:
        """"Núi Thành, ngày 05 tháng 02 năm 2024": days below 10 and months below 3 written with
        two digits, as administrative documents date themselves."""
        day = f"{self.issued.day:02d}" if self.issued.day < 10 else str(self.issued.day)
        month = f"{self.issued.month:02d}" if self.issued.month < 3 else str(self.issued.month)
        return _("%(place)s, ngày %(day)s tháng %(month)s năm %(year)s") % {
            "place": self.place or "…………", "day": day, "month": month, "year": self.issued.year,
        }


def head(report, issued: dt.date) -> Head:
    """The document's head: the committee as on the report's date, and the place and date it is
    dated with (`issued`: the report's date or the printing date, as the user chose), the place
    being the committee's place on that date (places.selectors.document_place)."""
    placement = None
    if report.organization_id is not None:
        placement = (Placement.objects.on(report.on).filter(organization_id=report.organization_id)
                     .select_related("area__parent__parent").first())
    if placement is None:
        return Head("", report.organization_name.upper(), "", issued)
    superior = ""
    if placement.parent_id:
        parent = Placement.objects.on(report.on).filter(organization_id=placement.parent_id).only("name").first()
        superior = parent.name.upper() if parent else ""
    return Head(superior, placement.name.upper(), document_place(placement.area, issued), issued)


def period_text(period) -> str:
    return _("Từ ngày %(start)s đến ngày %(end)s") % {"start": fmt(period[0]), "end": fmt(period[1])}


# ---------------------------------------------------------------------------- the workbook


def report_workbook(report, document: Head) -> tuple[bytes, int]:
    """The .xlsx of the report and the number of table rows it holds."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    sections = section_rows(report)
    width = max(len(s.headers) for s in sections)
    last = get_column_letter(width)
    right_from = get_column_letter(max(width - 4, 2))
    thin = Side(style="thin", color="000000")
    box = Border(top=thin, bottom=thin, left=thin, right=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)

    wb = Workbook()
    ws = wb.active
    ws.title = _("Báo cáo thống kê")[:31]

    def put(ref: str, value, **options):
        return excel_put(ws, ref, value, **options)

    left_to = get_column_letter(max(width - 5, 1))
    put("A1", document.superior or None, merge_to=f"{left_to}1" if left_to != "A" else None, font=Font(size=12), alignment=center)
    put("A2", document.name, merge_to=f"{left_to}2" if left_to != "A" else None, font=Font(bold=True, size=12), alignment=center)
    put("A3", "*", merge_to=f"{left_to}3" if left_to != "A" else None, alignment=center)
    put(f"{right_from}1", _("ĐẢNG CỘNG SẢN VIỆT NAM"), merge_to=f"{last}1", font=Font(bold=True, underline="single", size=12), alignment=center)
    put(f"{right_from}3", document.place_and_date, merge_to=f"{last}3", font=Font(italic=True), alignment=center)
    put("A5", _("BÁO CÁO THỐNG KÊ ĐẢNG VIÊN, TỔ CHỨC ĐẢNG"), merge_to=f"{last}5", font=Font(bold=True, size=14), alignment=center)
    put("A6", _("Tính đến ngày %(date)s") % {"date": fmt(report.on)}, merge_to=f"{last}6", font=Font(italic=True), alignment=center)
    ws.row_dimensions[5].height = 24

    header_fill = PatternFill("solid", fgColor="F2F2F2")
    row = 8
    count = 0
    for s in sections:
        title = f"{s.number}. {s.title}"
        if s.period:
            title += f" ({period_text(s.period).lower()})"
        if s.section.form:
            title += " — " + _("tương ứng biểu %(form)s") % {"form": s.section.form}
        put(f"A{row}", title, font=Font(bold=True, size=12))
        row += 1
        for col, header in enumerate(s.headers, start=1):
            cell = ws.cell(row=row, column=col, value=header)
            cell.font, cell.alignment, cell.border, cell.fill = Font(bold=True), center, box, header_fill
        ws.row_dimensions[row].height = 48
        row += 1
        for line in [*s.lines, s.total]:
            label = ws.cell(row=row, column=1, value=line.label)
            label.border = box
            label.alignment = Alignment(vertical="center", wrap_text=True, horizontal="center" if line.total else "left")
            if isinstance(line.label, str) and needs_escape(line.label):
                label.data_type, label.quotePrefix = "s", True
            for col, value in enumerate(line.values, start=2):
                cell = ws.cell(row=row, column=col, value=value)
                cell.number_format = NUMBER_FORMAT
                cell.border = box
            if line.total:
                for col in range(1, len(s.headers) + 1):
                    ws.cell(row=row, column=col).font = Font(bold=True)
            else:
                count += 1
            row += 1
        row += 1

    ws.column_dimensions["A"].width = 42
    for col in range(2, width + 1):
        ws.column_dimensions[get_column_letter(col)].width = 13

    print_a4(ws, orientation="landscape" if width > 7 else "portrait", last_column=last, last_row=row, footer=_("Trang &P / &N"))

    return excel.workbook_bytes(wb), count
