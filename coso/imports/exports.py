"""Member lists out to Excel: the template to fill in, and any member list as it stood on a date.

Both use the columns of columns.COLUMNS, in the same order and with the same headers, so a
file exported from one organization imports back unchanged (tested). MemberExport yields
rows (STYLE convention 10): the same rows feed the .xlsx and the .csv writers, and can feed an
HTML table. Sensitive columns (national ID, ethnicity, religion) are left out for roles without
"people.sensitive"; the view logs every export (access.services.log_export).
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterator

from django.utils.translation import gettext as _

from coso.lib import excel
from coso.lib.dates import fmt
from coso.lib.excel import DATE_FORMAT, OutColumn
from coso.lib.text import fold
from coso.members.models import MemberPeriod
from coso.members.permissions import departures
from coso.members.services import MEMBER_ORG_KINDS
from coso.organizations.models import Placement
from coso.people.choices import (
    ETHNIC_GROUPS,
    RELIGIONS,
    DatePrecision,
    Gender,
    Qualification,
    TheoryLevel,
)

from .columns import COLUMNS, UNKNOWN_TEXT, DateColumn, vietnamese

SENSITIVE_PERMISSION = "people.sensitive"
# what a scope no longer sees of a member who left its subtree: sensitive fields and contacts
DEPARTED_BLANK = ("national_id", "ethnicity", "religion", "residence_text", "occupation", "job_title", "card_number")
TEMPLATE_ROWS = 1000
LISTS_SHEET = "Danh mục"


def out_columns(columns) -> list[OutColumn]:
    return [OutColumn(vietnamese(c.label), c.width, c.text_format) for c in columns]


class MemberExport:
    """The members placed in an organization's subtree on a date, sorted the Vietnamese way."""

    kind = "members.list"

    def __init__(self, *, scope, organization, on: dt.date):
        self.scope = scope
        self.organization = organization
        self.on = on
        self.sensitive = scope.can(SENSITIVE_PERMISSION)
        self.columns = [c for c in COLUMNS if self.sensitive or not c.sensitive]
        self.placement = Placement.objects.on(on).filter(organization=organization).first()
        self._cells: dict[int, str] | None = None

    @property
    def name(self) -> str:
        return self.placement.name if self.placement else str(self.organization)

    def title(self) -> list[str]:
        return [
            vietnamese(_("DANH SÁCH ĐẢNG VIÊN")),
            f"{self.name} — {fmt(self.on)}",
        ]

    def out_columns(self) -> list[OutColumn]:
        return out_columns(self.columns)

    def _placements(self):
        if self.placement is None:
            return Placement.objects.none()
        return Placement.objects.under(self.placement.path, on=self.on).visible_to(self.scope)

    def cell_labels(self) -> dict[int, str]:
        """Each organization's name on the date; with its code where two cells share a name, so
        the file names every cell unambiguously when it is imported again."""
        if self._cells is None:
            rows = list(self._placements().values_list("organization_id", "name", "kind", "organization__code"))
            counts = Counter(fold(name) for _id, name, kind, _code in rows if kind in MEMBER_ORG_KINDS)
            self._cells = {pk: (f"{name} ({code})" if counts[fold(name)] > 1 else name) for pk, name, _kind, code in rows}
        return self._cells

    def periods(self):
        return (
            MemberPeriod.objects.on(self.on)
            .filter(organization_id__in=self._placements().values("organization_id"))
            .order_by("member__person__name_order", "member_id")
        )

    # what a row needs, read as tuples (rows()): a commune's list is thousands of members, and a
    # model instance per period, member, person and place cost half of the export's time
    FIELDS = ("member_id", "organization_id", "member__admitted_on", "member__recognized_on", "member__admission_decision_date",
              "member__card_number", "member__introducers", *(f"member__person__{name}" for name in (
                  "full_name", "other_names", "gender", "birth_date", "birth_precision", "national_id", "ethnicity", "religion",
                  "origin_text", "origin_unit__full_name", "residence_text", "residence_unit__full_name", "education",
                  "qualification", "qualification_field", "theory_level", "occupation", "job_title")))

    def rows(self) -> Iterator[list]:
        cells = self.cell_labels()
        ethnic, religions = dict(ETHNIC_GROUPS), dict(RELIGIONS)
        # labels translated once, not per row (a commune's list is thousands of rows)
        qualification = {k: vietnamese(v) for k, v in Qualification.choices}
        theory = {k: vietnamese(v) for k, v in TheoryLevel.choices}
        genders = {Gender.MALE: vietnamese(Gender.MALE.label), Gender.FEMALE: vietnamese(Gender.FEMALE.label)}
        unknown = vietnamese(UNKNOWN_TEXT)  # "" on the record; imported back as ""
        names = [c.name for c in self.columns]
        for row, departed in self._with_departures():
            (_member_id, organization_id, admitted_on, recognized_on, decision_date, card_number, introducers,
             full_name, other_names, gender, birth_date, birth_precision, national_id, ethnicity, religion,
             origin_text, origin_unit, residence_text, residence_unit, education, level_code, qualification_field,
             theory_level, occupation, job_title) = row
            level = qualification.get(level_code, unknown)
            values = {
                "full_name": full_name,
                "other_names": other_names,
                "gender": genders.get(gender, ""),
                "birth_date": _birth_value(birth_date, birth_precision),
                "national_id": national_id or "",
                "ethnicity": ethnic.get(ethnicity, unknown),
                "religion": religions.get(religion, unknown),
                "origin_text": origin_text or origin_unit or "",
                "residence_text": residence_text or residence_unit or "",
                "education": education,
                "qualification": f"{level} {qualification_field}".strip() if qualification_field else level,
                "theory_level": theory.get(theory_level, unknown),
                "occupation": occupation,
                "job_title": job_title,
                "cell": cells.get(organization_id, ""),
                "admitted_on": admitted_on,
                "recognized_on": recognized_on,
                # the record keeps the admission date as the decision date when none was given
                "decision_date": decision_date if decision_date != admitted_on else None,
                "card_number": card_number or "",
                "introducers": introducers,
            }
            if departed:  # left the scope's subtree since: not their current or sensitive fields (decision 0007)
                for name in DEPARTED_BLANK:
                    values[name] = ""
            yield [values[name] or None for name in names]

    def _with_departures(self, batch: int = 2000):
        """The periods' rows (FIELDS), each with whether its member has left the scope's subtree
        since (two queries a batch)."""
        chunk = []
        for row in self.periods().values_list(*self.FIELDS).iterator(chunk_size=2000):
            chunk.append(row)
            if len(chunk) == batch:
                yield from self._departed(chunk)
                chunk = []
        yield from self._departed(chunk)

    def _departed(self, chunk):
        gone = departures(self.scope, [row[0] for row in chunk]) if chunk else {}
        for row in chunk:
            yield row, row[0] in gone


def _birth_value(birth_date, precision):
    if not birth_date:
        return None
    if precision == DatePrecision.YEAR:
        return birth_date.year
    if precision == DatePrecision.MONTH:
        return birth_date.strftime("%m/%Y")
    return birth_date


def template_workbook(cell_names: list[str]) -> bytes:
    """The .xlsx to fill in: a title, a row of hints, the header, 1,000 formatted rows, and
    drop-down lists (gender, ethnicity, religion, levels, the organization's cells) kept on a
    hidden sheet. Typing another spelling only warns: the import knows the usual variants."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = vietnamese(_("Danh sách đảng viên"))[:31]
    ws["A1"] = vietnamese(_("DANH SÁCH ĐẢNG VIÊN"))
    ws["A1"].font = Font(bold=True, size=14)
    thin = Side(style="thin", color="999999")
    first, last = 4, 3 + TEMPLATE_ROWS
    lists = wb.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    list_values = {
        "gender": [vietnamese(Gender.MALE.label), vietnamese(Gender.FEMALE.label)],
        "ethnicity": [label for _code, label in ETHNIC_GROUPS],
        "religion": [label for _code, label in RELIGIONS],
        "qualification": [vietnamese(label) for _code, label in Qualification.choices],
        "theory_level": [vietnamese(label) for _code, label in TheoryLevel.choices],
        "cell": cell_names,
    }
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = column.width
        note = ws.cell(row=2, column=index, value=vietnamese(column.note) if column.note else None)
        note.font = Font(italic=True, color="666666", size=9)
        note.alignment = Alignment(wrap_text=True, vertical="top")
        header = ws.cell(row=3, column=index, value=vietnamese(column.label))
        header.font = Font(bold=True)
        header.fill = PatternFill("solid", fgColor="F2DCDB")
        header.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        header.border = Border(top=thin, bottom=thin, left=thin, right=thin)
        number_format = DATE_FORMAT if isinstance(column, DateColumn) else ("@" if column.text_format else None)
        if column.name == "birth_date":
            number_format = "@"  # a year alone must stay a year, not become a date in 1905
        if number_format:
            for row in range(first, last + 1):
                ws.cell(row=row, column=index).number_format = number_format
        values = list_values.get(column.name)
        if values:
            position = list(list_values).index(column.name) + 1
            list_column = get_column_letter(position)
            lists.cell(row=1, column=position, value=vietnamese(column.label))
            for i, value in enumerate(values, start=2):
                lists.cell(row=i, column=position, value=value)
            rule = DataValidation(type="list", formula1=f"'{LISTS_SHEET}'!${list_column}$2:${list_column}${len(values) + 1}",
                                  allow_blank=True, errorStyle="warning", showErrorMessage=True,
                                  error=vietnamese(_("Giá trị không có trong danh sách; vẫn giữ nếu là cách ghi khác.")))
            rule.add(f"{letter}{first}:{letter}{last}")
            ws.add_data_validation(rule)
    ws.row_dimensions[2].height = 30
    ws.row_dimensions[3].height = 32
    ws.freeze_panes = f"A{first}"
    return excel.workbook_bytes(wb)
