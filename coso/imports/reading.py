"""Finding the member table in a file as offices keep it, and reading its rows.

scan() looks at the first rows of every sheet, once, when the file is uploaded:
- text typed in TCVN3 or VNI fonts is recognized from a sample and converted to Unicode;
- the header row is the one naming the most known columns, anywhere in the first 40 rows, so
  a title block above it ("ĐẢNG BỘ ...", "DANH SÁCH ĐẢNG VIÊN") is passed over;
- a two-line header (a merged "Giới tính" over "Nam" | "Nữ", "Ngày tháng năm" over "Sinh" |
  "Vào Đảng") is read as one: the pair of rows that names more fields wins over the single row;
- a row of column numbers under the header ("(1) (2) (3)", "1 2 3") is skipped;
- each column gets a proposed field: the organization's remembered mapping first, then the
  known names. Hidden sheets and sheets without a header row are left out, with the reason.
The result (the "layout") is stored with the job; the user confirms the mapping on a page.

records() then reads every data row of the chosen sheets with the confirmed mapping. A row
with one distinct value in it (a group title "Chi bộ thôn 1" merged across the table, or a
signature line under it) is a Section, not a member: validation uses it as the cell of the
rows that follow when it names one.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from coso.lib.excel import LEGACY_NAMES, Book, column_letter, convert_legacy, detect_legacy

from .columns import BY_NAME, header_key, match_field

HEADER_SCAN_ROWS = 40
SAMPLE_ROWS = 200
SAMPLES_PER_COLUMN = 3
# Text fields that may come in several columns, joined in column order ("Xã" | "Huyện" | "Tỉnh").
MULTI_COLUMN_FIELDS = frozenset({"origin_text", "residence_text", "occupation", "job_title", "introducers", "other_names"})
_NUMBERING = re.compile(r"^\(?\d{1,2}\)?$|^\(?[A-Za-z]\)?$")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    return str(value)


def _is_numbering_row(values) -> bool:
    present = [v for v in values if v not in (None, "")]
    if len(present) < 3:
        return False
    return all((isinstance(v, int) and not isinstance(v, bool) and 0 < v < 100) or (isinstance(v, str) and _NUMBERING.match(v.strip())) for v in present)


_DATA_LIKE = re.compile(r"\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}|\d{4}")


def _header_like(values) -> bool:
    """A row that may be the other line of a two-line header: text only, no date nor number.
    (A member's row always has a date, so the first data row is never taken for a header.)"""
    present = [v for v in values if v not in (None, "")]
    return bool(present) and all(isinstance(v, str) and not _DATA_LIKE.search(v) for v in present)


def _several(values) -> bool:
    return len({v.strip() for v in values if isinstance(v, str) and v.strip()}) >= 2


def _columns_single(values, remembered) -> list[dict]:
    columns = []
    for index, value in enumerate(values):
        label = _text(value)
        if not label:
            continue
        key = header_key(label)
        proposed = remembered[key] if key in remembered else match_field(label)
        columns.append({"index": index, "letter": column_letter(index), "label": label, "key": key, "field": proposed or ""})
    return columns


def _columns_pair(upper, lower, remembered) -> list[dict]:
    columns = []
    parent = ""
    for index in range(max(len(upper), len(lower))):
        u = _text(upper[index]) if index < len(upper) else ""
        lo = _text(lower[index]) if index < len(lower) else ""
        if u:
            parent = u
        elif lo:
            u = parent  # a parent header spanning columns without being merged
        else:
            parent = ""
        if not u and not lo:
            continue
        label = f"{u} / {lo}" if u and lo and u != lo else (u or lo)
        key = header_key(label)
        if key in remembered:
            proposed = remembered[key]
        elif u and lo and u != lo:
            proposed = match_field(lo)
            if proposed is None:
                proposed = match_field(f"{u} {lo}")
            if proposed is None:
                proposed = match_field(u)
        else:
            proposed = match_field(label)
        columns.append({"index": index, "letter": column_letter(index), "label": label, "key": key, "field": proposed or ""})
    return columns


def _recognized(columns) -> int:
    return len({c["field"] for c in columns if c["field"]}) + sum(1 for c in columns if c["field"] == "" and match_field(c["label"]) == "")


def _score(values) -> int:
    fields = set()
    for value in values:
        if isinstance(value, str) and value.strip():
            found = match_field(value)
            if found is not None:
                fields.add(found or value)
    return len(fields)


def scan(book: Book, remembered: dict[str, str] | None = None) -> dict:
    """The layout of the file: for each sheet its header rows, data start, columns, encoding."""
    remembered = remembered or {}
    sheets = []
    notices = list(book.notices)
    for position, sheet in enumerate(book.sheets):
        info = {"name": sheet.name, "position": position, "use": False, "reason": "", "legacy": None,
                "header_rows": [], "data_start": 0, "columns": [], "estimated_rows": sheet.estimated_rows}
        sheets.append(info)
        if sheet.hidden:
            info["reason"] = _("trang tính ẩn")
            continue
        rows = list(sheet.rows(limit=SAMPLE_ROWS))
        legacy = detect_legacy(v for _n, values in rows for v in values if isinstance(v, str))
        if legacy:
            info["legacy"] = legacy
            rows = [(n, [convert_legacy(v, legacy) if isinstance(v, str) else v for v in values]) for n, values in rows]
            notices.append(_("Trang tính «%(sheet)s» được gõ bằng bảng mã %(encoding)s: đã chuyển sang Unicode. Hãy xem lại tên và dấu ở các dòng dưới đây.")
                           % {"sheet": sheet.name, "encoding": LEGACY_NAMES[legacy]})
        by_number = dict(rows)
        head = rows[:HEADER_SCAN_ROWS]
        scores = [(_score(values), n) for n, values in head]
        best = max((s for s, _n in scores), default=0)
        if best < 2:
            info["reason"] = _("không thấy dòng tiêu đề (Họ và tên, Ngày sinh...)")
            continue
        h = next(n for s, n in scores if s == best)
        # (header rows, columns, whether the other row holds several headings): a pair wins when
        # it recognizes more fields, or as many when its other row holds sub-headings ("Xã" |
        # "Huyện" under a merged "Quê quán"; "Ngày sinh" over "Nam" | "Nữ"). A row of one value
        # merged across (a title, a group "Chi bộ thôn 1") is not a heading row.
        candidates = [([h], _columns_single(by_number[h], remembered), False)]
        if h + 1 in by_number and _header_like(by_number[h + 1]) and not _is_numbering_row(by_number[h + 1]):
            candidates.append(([h, h + 1], _columns_pair(by_number[h], by_number[h + 1], remembered), _several(by_number[h + 1])))
        if h - 1 in by_number and _header_like(by_number[h - 1]):
            candidates.append(([h - 1, h], _columns_pair(by_number[h - 1], by_number[h], remembered), _several(by_number[h - 1])))
        header_rows, columns, _both = max(candidates, key=lambda c: (_recognized(c[1]), c[2], -len(c[0])))
        data_start = header_rows[-1] + 1
        following = [n for n, _v in rows if n >= data_start]
        if following and _is_numbering_row(by_number[following[0]]):
            data_start = following[0] + 1
        for column in columns:
            samples = []
            for n, values in rows:
                if n < data_start or len(samples) >= SAMPLES_PER_COLUMN:
                    continue
                if column["index"] < len(values) and values[column["index"]] not in (None, ""):
                    value = values[column["index"]]
                    samples.append(value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else _text(value)[:60])
            column["samples"] = samples
        info.update(header_rows=header_rows, data_start=data_start, columns=columns)
        fields = {c["field"] for c in columns}
        info["use"] = bool(fields & {"full_name", "given_name"})
        if not info["use"]:
            info["reason"] = _("không có cột Họ và tên")
    return {"kind": book.kind, "notices": notices, "sheets": sheets}


def proposed_mapping(layout: dict) -> dict[str, str]:
    """Header key -> field as proposed by scan() (the first column with a key decides)."""
    mapping: dict[str, str] = {}
    for sheet in layout["sheets"]:
        for column in sheet["columns"]:
            mapping.setdefault(column["key"], column["field"])
    return mapping


def mapping_problems(layout: dict, mapping: dict[str, str], sheets: list[int]) -> list[str]:
    """What keeps a confirmed mapping from being read (Vietnamese messages)."""
    problems = []
    for info in layout["sheets"]:
        if info["position"] not in sheets:
            continue
        fields: dict[str, list[str]] = {}
        for column in info["columns"]:
            name = mapping.get(column["key"], "")
            if name:
                fields.setdefault(name, []).append(column["label"])
        for name, labels in fields.items():
            if len(labels) > 1 and name not in MULTI_COLUMN_FIELDS:
                problems.append(_("Trang tính «%(sheet)s»: các cột %(columns)s cùng được đọc là «%(field)s»; mỗi trường chỉ lấy từ một cột.")
                                % {"sheet": info["name"], "columns": ", ".join(f"«{label}»" for label in labels), "field": BY_NAME[name].label})
        has = set(fields)
        missing = []
        if "full_name" not in has and not {"family_middle", "given_name"} <= has:
            missing.append(BY_NAME["full_name"].label)
        if not has & {"gender", "male_mark", "female_mark"}:
            missing.append(BY_NAME["gender"].label)
        if not has & {"birth_date", "male_mark", "female_mark"}:
            missing.append(BY_NAME["birth_date"].label)
        if "admitted_on" not in has:
            missing.append(BY_NAME["admitted_on"].label)
        for label in missing:
            problems.append(_("Trang tính «%(sheet)s» chưa có cột «%(field)s» (bắt buộc).") % {"sheet": info["name"], "field": label})
    if not sheets:
        problems.append(_("Chưa chọn trang tính nào để nhập."))
    return problems


@dataclass(slots=True)
class SourceColumn:
    field: str
    index: int
    letter: str
    label: str


@dataclass(slots=True)
class Record:
    sheet: str
    row: int
    values: dict[str, list[tuple[object, SourceColumn]]] = field(default_factory=dict)


@dataclass(slots=True)
class Section:
    """A row with one distinct value: a group title (perhaps a cell's name) or a line of text."""

    sheet: str
    row: int
    text: str


@dataclass
class SheetPlan:
    name: str
    position: int
    legacy: str | None
    data_start: int
    columns: list[SourceColumn]
    by_field: dict[str, SourceColumn]  # the first column of each field: named in "missing" errors
    fields: frozenset[str]


def plans(layout: dict, mapping: dict[str, str], sheets: list[int]) -> list[SheetPlan]:
    result = []
    for info in layout["sheets"]:
        if info["position"] not in sheets:
            continue
        columns = [SourceColumn(mapping[c["key"]], c["index"], c["letter"], c["label"]) for c in info["columns"] if mapping.get(c["key"])]
        by_field: dict[str, SourceColumn] = {}
        for column in columns:
            by_field.setdefault(column.field, column)
        result.append(SheetPlan(info["name"], info["position"], info["legacy"], info["data_start"], columns, by_field, frozenset(by_field)))
    return result


def records(book: Book, sheet_plans: list[SheetPlan]) -> Iterator[tuple[SheetPlan, Record | Section]]:
    """Every data row of the chosen sheets: a Record of the mapped cells, or a Section."""
    for plan in sheet_plans:
        sheet = book.sheets[plan.position]
        legacy = plan.legacy
        columns = plan.columns
        for number, values in sheet.rows():
            if number < plan.data_start:
                continue
            present = [v for v in values if v is not None and v != ""]
            if not present:
                continue
            if legacy:
                values = [convert_legacy(v, legacy) if isinstance(v, str) else v for v in values]
                present = [v for v in values if v is not None and v != ""]
            first = present[0]
            if (len(present) == 1 and isinstance(first, str)) or (len(present) > 1 and all(v == first for v in present)):
                yield plan, Section(plan.name, number, _text(present[0]))
                continue
            record = Record(plan.name, number)
            width = len(values)
            for column in columns:
                if column.index < width:
                    value = values[column.index]
                    if value is not None and value != "" and not (isinstance(value, str) and not value.strip()):
                        record.values.setdefault(column.field, []).append((value, column))
            if record.values:
                yield plan, record
