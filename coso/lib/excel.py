"""Excel and CSV as Vietnamese offices keep them: reading, legacy encodings, partial dates, writing.

Reading (`open_book`) gives every sheet of an .xlsx, or the one table of a .csv, as rows of
Python values (str, int, float, bool, datetime or None) numbered as in the file.

- .xlsx is read by streaming the sheet XML with ElementTree's C parser, not by openpyxl's
  read-only mode: on 100,000 rows x 20 columns openpyxl read-only took 17.6 s on one of our
  2-core machines, this reader about 5 s, and an import reads the file twice (dry run, then
  commit). openpyxl still provides the rules that must agree with Excel: which number formats
  are dates, and the 1900/1904 date systems (`from_excel`).
- Merged cells are filled with their top-left value (title blocks, two-line headers, a cell
  name merged down a group of rows). The merge list sits after the rows in the XML, so it is
  found first by a byte scan of the sheet (about 0.3 s per 100 MB of XML), which also counts
  the rows: a sheet past the COSO_IMPORT_MAX_ROWS setting is refused before it is parsed.
- Uploads are hostile until read (hardening issue, points 2 and 3). Every malformed structure
  raises ExcelError with a message naming the part, sheet, row or cell: a shared-string index
  past the table, a number or style that is not one, a row number or cell reference that is not
  one, a cell past Excel's last column (XFD) or row (1,048,576), text past Excel's 32,767
  characters, rows out of order. No part may carry a DTD (entity expansion, external entities);
  the small parts are parsed through defusedxml. The declared unpacked size is bounded
  (MAX_UNCOMPRESSED_BYTES), and rows stay sparse until they are handed out, so a far reference
  costs one row's list, never a grid. python-calamine was measured against this reader and not
  taken: see docs/benchmarks.md, "Reading uploads".
- .csv: UTF-8 with or without BOM, UTF-16 with BOM; other bytes are read as the legacy
  8-bit encodings below, or as Windows-1258. The delimiter (, ; or tab) is detected.
- Legacy encodings (DESIGN principle 6): text typed with TCVN3 (.VnTime) or VNI fonts arrives
  as Latin-1 letters ("NguyÔn V¨n An", "Nguyeãn Vaên An"). `detect_legacy` recognizes either
  from a sample; `convert_legacy` turns it into Unicode NFC.

Writing (`write_xlsx`, `write_csv`) takes rows that an exporter yields: bold frozen header,
column widths, dd/mm/yyyy dates. Text that a spreadsheet would take for a formula (starting
with = + - @, tab or carriage return) is escaped: in .xlsx the cell is stored as text with
Excel's quote prefix (the value itself is unchanged, so the file imports back identical, and
Excel never evaluates it, even after the cell is edited); in .csv, which has no cell types,
the text gets a leading apostrophe (OWASP's advice), which `unescape_formula` removes on import.
"""

import codecs
import csv
import datetime as dt
import io
import math
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as defused_et
from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.styles import numbers as xl_numbers
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel
from openpyxl.worksheet.properties import PageSetupProperties

from .text import fold

Value = str | int | float | bool | dt.datetime | dt.date | None


class ExcelError(Exception):
    """A file that cannot be read; the message is for the user, in their language."""


# ------------------------------------------------------------------ legacy Vietnamese encodings

_TCVN3 = "¸µ¶·¹¨¾»¼½Æ©ÊÇÈÉËÐÌÎÏÑªÕÒÓÔÖÝ×ØÜÞãßáâä«èåæçé¬íêëìîóïñòô\xadøõö÷ùýúûüþ®§¡¢£¤¥¦"
_TCVN3_UNICODE = "áàảãạăắằẳẵặâấầẩẫậéèẻẽẹêếềểễệíìỉĩịóòỏõọôốồổỗộơớờởỡợúùủũụưứừửữựýỳỷỹỵđĐĂÂÊÔƠƯ"
assert len(_TCVN3) == len(_TCVN3_UNICODE)
_TCVN3_TABLE = str.maketrans(dict(zip(_TCVN3, _TCVN3_UNICODE, strict=True)))
# Codes 0xA1-0xBF: TCVN3 puts its most frequent letters there (ă â ê ô ơ ư đ, a with tones);
# VNI never uses them and Vietnamese Unicode text only for symbols (§ ° ·).
_TCVN3_SIGNS = frozenset(c for c in _TCVN3 if "\xa1" <= c <= "\xbf")
# VNI: Latin-1 letters that are not Vietnamese letters (its tone and vowel mark bytes, ơ ư đ ỉ
# ỵ), or a vowel followed by a mark that no Vietnamese syllable has ("aâ", "eã": â and ê of VNI).
_VNI_EVIDENCE = re.compile("[øûïåäëüñöæîØÛÏÅÄËÜÑÖÆÎ]|[aA][âáàãêéèúÂÁÀÃÊÉÈÚ]|[eE][âáàãÂÁÀÃ]|[oO][âÂ]")


def _build_vni() -> dict[str, str]:
    """VNI Windows: a base letter followed by a mark byte, or one byte for i, ơ, ư, ỵ, đ."""
    tones = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}  # sắc huyền hỏi ngã nặng
    hat_tones = {"á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}  # after â ê ô
    breve_tones = {"é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}  # after ă
    table: dict[str, str] = {}

    def add(seq: str, base: str, mark: str = "") -> None:
        table[seq] = unicodedata.normalize("NFC", base + mark)
        table[seq.upper()] = unicodedata.normalize("NFC", base.upper() + mark)

    for vowel in "aeouy":
        for code, mark in tones.items():
            add(vowel + code, vowel, mark)
    for vowel in "aeo":
        add(vowel + "â", vowel + "\u0302")
        for code, mark in hat_tones.items():
            add(vowel + code, vowel + "\u0302", mark)
    add("aê", "a\u0306")
    for code, mark in breve_tones.items():
        add("a" + code, "a\u0306", mark)
    for code, letter in (("ô", "ơ"), ("ö", "ư")):
        add(code, letter)
        for tone, mark in tones.items():
            add(code + tone, letter, mark)
    for code, letter in (("í", "í"), ("ì", "ì"), ("æ", "ỉ"), ("ó", "ĩ"), ("ò", "ị"), ("î", "ỵ"), ("ñ", "đ")):
        add(code, letter)
    del table["yï"], table["YÏ"]  # ỵ is the single byte î
    return table


_VNI_TABLE = _build_vni()
_VNI_RE = re.compile("|".join(re.escape(k) for k in sorted(_VNI_TABLE, key=len, reverse=True)))

# Letters only Vietnamese Unicode text has: ă â đ ê ô ơ ư ĩ ũ and the precomposed block.
_VIETNAMESE_UNICODE = re.compile("[ăâđêôơưĩũĂÂĐÊÔƠƯĨŨ\u1ea0-\u1ef9]|[aeiouyAEIOUY][\u0300\u0301\u0303\u0309\u0323]")
_VIETNAMESE_SPECIFIC = re.compile("[ăđơưĩũĂĐƠƯĨŨ\u1ea0-\u1ef9]")

LEGACY_NAMES = {"tcvn3": "TCVN3 (phông .VnTime)", "vni": "VNI (phông VNI-Times)"}


def is_vietnamese_unicode(text: str) -> bool:
    return bool(_VIETNAMESE_SPECIFIC.search(text))


def detect_legacy(texts: Iterable[str]) -> str | None:
    """"tcvn3", "vni" or None, from a sample of a file's texts (counted per text, not per letter).

    A text is evidence for TCVN3 when it holds a code from 0xA1-0xBF, for VNI when it holds
    one of VNI's mark bytes that no Vietnamese letter uses or a vowel pair no Vietnamese
    syllable has; texts that already hold Vietnamese
    Unicode letters count against both. TCVN3 is tested first: its texts also hold VNI's bytes.
    """
    tcvn = vni = unicode = 0
    for text in texts:
        if not isinstance(text, str) or text.isascii():
            continue
        if is_vietnamese_unicode(text):
            unicode += 1
            continue
        if not _TCVN3_SIGNS.isdisjoint(text):
            tcvn += 1
        elif _VNI_EVIDENCE.search(text):
            vni += 1
    if tcvn >= 2 and tcvn > unicode:
        return "tcvn3"
    if vni >= 2 and vni > unicode:
        return "vni"
    return None


def convert_legacy(text: str, encoding: str | None) -> str:
    """The Unicode (NFC) form of a text typed in a legacy encoding; texts that already hold
    Vietnamese Unicode letters (a mixed file: headers retyped in Unicode) are left alone."""
    if not encoding or not isinstance(text, str) or text.isascii() or is_vietnamese_unicode(text):
        return text
    if encoding == "tcvn3":
        text = text.translate(_TCVN3_TABLE)
    elif encoding == "vni":
        text = _VNI_RE.sub(lambda m: _VNI_TABLE[m.group()], text)
    return unicodedata.normalize("NFC", text)


# ------------------------------------------------------------------ partial dates


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, the month or only the year ("day", "month", "year"): the day
    (or month) unknown is stored as 1, never invented, and the precision says so."""

    date: dt.date
    precision: str = "day"


_DMY = re.compile(r"^(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{2,4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_MY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_Y = re.compile(r"^(\d{4})(?:\.0+)?$")
_WORDS = re.compile(r"^ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})$")
YEAR_RANGE = (1000, 2200)  # an integer in this range is a year; above it, an Excel serial date


class DateUnreadable(ValueError):
    """Raised with a message for the user."""


def _date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateUnreadable(_("ngày không có thật")) from None


def read_date(value: Value, *, epoch=CALENDAR_WINDOWS_1900) -> PartialDate | None:
    """A cell as a (partial) date, None when blank; DateUnreadable when it cannot be one.

    Accepted: real Excel dates; dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy; yyyy-mm-dd;
    "ngày 5 tháng 3 năm 1975"; mm/yyyy (month); yyyy or a number 1000-2200 (year); an Excel
    serial number in a cell not formatted as a date. Two-digit years are refused: the century
    would be a guess.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return PartialDate(value.date())
    if isinstance(value, dt.date):
        return PartialDate(value)
    if isinstance(value, bool):
        raise DateUnreadable(_("không phải ngày tháng"))
    if isinstance(value, (int, float)):
        if value != int(value):
            raise DateUnreadable(_("không phải ngày tháng"))
        number = int(value)
        if YEAR_RANGE[0] <= number <= YEAR_RANGE[1]:
            return PartialDate(dt.date(number, 1, 1), "year")
        if 0 < number < 2958466:
            return PartialDate(from_excel(number, epoch).date())
        raise DateUnreadable(_("không phải ngày tháng"))
    text = unescape_formula(unicodedata.normalize("NFC", str(value))).strip()
    if not text:
        return None
    if m := _DMY.match(text):
        day, month, year = int(m.group(1)), int(m.group(3)), m.group(4)
        if len(year) != 4:
            raise DateUnreadable(_("năm phải ghi đủ 4 chữ số"))
        return PartialDate(_date(int(year), month, day))
    if m := _YMD.match(text):
        return PartialDate(_date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
    if m := _MY.match(text):
        return PartialDate(_date(int(m.group(2)), int(m.group(1)), 1), "month")
    if m := _Y.match(text):
        return PartialDate(dt.date(int(m.group(1)), 1, 1), "year")

    if m := _WORDS.match(re.sub(r"[,.]", " ", fold(text)).strip()):
        return PartialDate(_date(int(m.group(3)), int(m.group(2)), int(m.group(1))))
    raise DateUnreadable(_("không đọc được, hãy ghi theo dạng dd/mm/yyyy"))


# ------------------------------------------------------------------ formula injection

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def needs_escape(text: str) -> bool:
    return isinstance(text, str) and text.startswith(FORMULA_PREFIXES)


def escape_formula(text):
    """For CSV: a leading apostrophe makes a spreadsheet show the text instead of running it."""
    return "'" + text if needs_escape(text) else text


def unescape_formula(text):
    """The text an export escaped with an apostrophe (CSV) read back as it was."""
    if isinstance(text, str) and text.startswith("'") and needs_escape(text[1:]):
        return text[1:]
    return text


# ------------------------------------------------------------------ reading


@dataclass
class Sheet:
    name: str
    hidden: bool = False
    estimated_rows: int = 0

    def rows(self, limit: int | None = None) -> Iterator[tuple[int, list[Value]]]:
        raise NotImplementedError


@dataclass
class Book:
    sheets: list[Sheet]
    kind: str  # "xlsx" or "csv"
    notices: list[str] = field(default_factory=list)


def first_visible_sheet(data: bytes, filename: str = ""):
    """The first sheet a user sees in the file (the table of a .csv); ValidationError on "file",
    with the reason in Vietnamese, when the file cannot be read or shows no sheet."""
    from django.core.exceptions import ValidationError

    try:
        book = open_book(data, filename)
    except ExcelError as error:
        raise ValidationError({"file": str(error)}) from None
    sheet = next((s for s in book.sheets if not s.hidden), None)
    if sheet is None:
        raise ValidationError({"file": _("Tệp không có trang tính nào.")})
    return sheet


def open_book(data: bytes, filename: str = "", *, max_rows: int | None = None) -> Book:
    """The sheets of an .xlsx or the table of a .csv; ExcelError for anything else.

    max_rows (default: the COSO_IMPORT_MAX_ROWS setting) bounds the rows of one sheet: a sheet
    with more is refused before its first row is handed out."""
    if max_rows is None:
        max_rows = getattr(settings, "COSO_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)
    name = filename.lower()
    if not data:
        raise ExcelError(_("Tệp rỗng."))
    if data[:4] == b"PK\x03\x04":
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            infos = archive.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
            raise ExcelError(_("Tệp .xlsx bị hỏng (không phải tệp nén hợp lệ), không mở được.")) from None
        if sum(info.file_size for info in infos) > MAX_UNCOMPRESSED_BYTES:
            raise ExcelError(_("Tệp quá lớn khi giải nén (trên %(limit)s MB; một danh sách 100.000 đảng viên chỉ chừng 100 MB): "
                               "hãy chia thành nhiều tệp.") % {"limit": MAX_UNCOMPRESSED_BYTES // (1024 * 1024)})
        names = {info.filename for info in infos}
        if "xl/workbook.xml" in names:
            return _XlsxBook.open(archive, max_rows)
        if "content.xml" in names:
            raise ExcelError(_("Tệp OpenDocument (.ods) chưa được hỗ trợ: hãy mở và lưu lại dạng .xlsx."))
        raise ExcelError(_("Tệp không phải bảng tính Excel (.xlsx)."))
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ExcelError(_("Tệp Excel 97-2003 (.xls) chưa được hỗ trợ: hãy mở bằng Excel và lưu lại dạng .xlsx."))
    if name.endswith((".xlsx", ".xlsm")):
        raise ExcelError(_("Tệp .xlsx bị hỏng (không phải tệp nén hợp lệ), không mở được."))
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise ExcelError(_("Tệp CSV ở bảng mã UTF-32 chưa được hỗ trợ: hãy lưu lại dạng CSV UTF-8."))
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ExcelError(_("Tệp không phải bảng tính: chỉ nhận .xlsx hoặc .csv."))
    return _csv_book(data, filename, max_rows)


# ---- xlsx

_NS = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main")
_REL_NS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)


def _tags(local: str) -> frozenset[str]:
    return frozenset(f"{{{ns}}}{local}" for ns in _NS)


_ROW, _C, _V, _IS, _T, _R, _RPH, _SI, _RPR = (_tags(t) for t in ("row", "c", "v", "is", "t", "r", "rPh", "si", "rPr"))
_SHEETDATA = _tags("sheetData")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([^"]*)"')
_REFERENCE = re.compile(r"^([A-Z]{1,3})([1-9]\d{0,6})$")
_LETTERS_DIGITS = re.compile(r"^[A-Z]+[1-9]\d{0,6}$")
# Built-in number formats that are dates but missing from openpyxl's table (East Asian locales).
_DATE_FORMAT_IDS = frozenset({*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)})
MAX_MERGED_CELLS = 200_000  # merges beyond this many cells (a whole sheet merged...) are not filled
# Excel's own limits (Excel specifications and limits): a reference past them is not Excel's.
MAX_COLUMNS = 16_384  # A..XFD
MAX_SHEET_ROWS = 1_048_576
MAX_CELL_CHARACTERS = 32_767
DEFAULT_MAX_ROWS = 300_000  # settings.COSO_IMPORT_MAX_ROWS
# An .xlsx is a zip: a small upload may unpack to gigabytes. The 100,000-row x 20-column file of
# `python -m coso.imports.bench` (inline strings, as openpyxl writes) unpacks to 98.5 MB; Excel's
# own (shared strings) less. zipfile never reads more than a part's declared size, so the sum of
# the declared sizes bounds what is unpacked (docs/benchmarks.md, "Reading uploads").
MAX_UNCOMPRESSED_BYTES = 128 * 1024 * 1024
# A row is parsed whole: 16,384 cells of text fit in a few MB; more without a </row> is not a row.
MAX_ROW_BYTES = 8 * 1024 * 1024

_letters_cache: dict[str, int] = {}


def column_index(letters: str) -> int:
    """"A" -> 0, "AA" -> 26."""
    index = _letters_cache.get(letters)
    if index is None:
        index = 0
        for ch in letters:
            index = index * 26 + ord(ch) - 64
        index -= 1
        if len(_letters_cache) < MAX_COLUMNS:
            _letters_cache[letters] = index
    return index


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class _BadCell(ValueError):
    """A cell that cannot be what its type says: the row reader adds where it is."""


def _text_of(element) -> str:
    """The text of a shared or inline string: plain <t>, or rich-text runs, without phonetics."""
    parts = []
    for child in element:
        if child.tag in _T:
            parts.append(child.text or "")
        elif child.tag in _R:
            for t in child:
                if t.tag in _T:
                    parts.append(t.text or "")
                elif t.tag not in _RPR:
                    raise _BadCell(_("chuỗi nhiều định dạng có cấu trúc không hợp lệ."))
    text = "".join(parts)
    if len(text) > MAX_CELL_CHARACTERS:
        raise _BadCell(_("nội dung dài %(length)s ký tự, quá giới hạn 32.767 ký tự của một ô Excel.") % {"length": _thousands(len(text))})
    return text


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _no_dtd(head: bytes, part: str) -> None:
    """A DTD may declare entities (the "billion laughs" expansion, external files): no part of an
    .xlsx needs one, and Excel never writes one."""
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise ExcelError(_("Tệp .xlsx có khai báo DTD trong %(part)s (có thể dùng để tấn công): không đọc tệp này.") % {"part": part})


def _parse_part(archive: zipfile.ZipFile, part: str):
    """A small part of the package (workbook, relationships, styles) through defusedxml."""
    try:
        data = archive.read(part)
    except KeyError:
        raise ExcelError(_("Tệp .xlsx bị hỏng: thiếu phần %(part)s.") % {"part": part}) from None
    except _ZIP_ERRORS:
        raise ExcelError(_("Tệp .xlsx bị hỏng: không giải nén được phần %(part)s.") % {"part": part}) from None
    _no_dtd(data[:4096], part)
    try:
        return defused_et.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise ExcelError(_("Tệp .xlsx có khai báo DTD trong %(part)s (có thể dùng để tấn công): không đọc tệp này.") % {"part": part}) from None
    except ET.ParseError:
        raise ExcelError(_("Tệp .xlsx bị hỏng: phần %(part)s không phải XML hợp lệ.") % {"part": part}) from None


_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError)


class _XlsxBook:
    @classmethod
    def open(cls, archive: zipfile.ZipFile, max_rows: int) -> Book:
        workbook = _parse_part(archive, "xl/workbook.xml")
        rels = _parse_part(archive, "xl/_rels/workbook.xml.rels")
        targets = {r.get("Id"): r.get("Target", "") for r in rels}
        epoch = CALENDAR_WINDOWS_1900
        for el in workbook.iter():
            if el.tag.endswith("}workbookPr") and el.get("date1904") in ("1", "true"):
                epoch = CALENDAR_MAC_1904
        context = _XlsxContext(archive, epoch, max_rows)
        sheets: list[Sheet] = []
        for el in workbook.iter():
            if not el.tag.endswith("}sheet"):
                continue
            rel_id = next((el.get(f"{{{ns}}}id") for ns in _REL_NS if el.get(f"{{{ns}}}id")), None)
            target = targets.get(rel_id, "")
            if "worksheets/" not in target:
                continue  # a chart sheet or a dialog sheet
            path = target.lstrip("/") if target.startswith("/") else "xl/" + target
            name = el.get("name", "")
            if path not in context.names:
                raise ExcelError(_("Tệp .xlsx bị hỏng: trang tính «%(sheet)s» thiếu phần %(part)s.") % {"sheet": name, "part": path})
            sheet = _XlsxSheet(name=name, hidden=el.get("state", "visible") != "visible")
            sheet.context, sheet.path = context, path
            sheet.estimated_rows = sheet.dimension_rows()
            sheets.append(sheet)
        if not sheets:
            raise ExcelError(_("Tệp .xlsx không có trang tính nào đọc được (trang dữ liệu thiếu hoặc liên kết sai)."))
        return Book(sheets=sheets, kind="xlsx")


class _XlsxContext:
    """What every sheet of a workbook shares: the archive, shared strings, date styles, epoch."""

    def __init__(self, archive: zipfile.ZipFile, epoch, max_rows: int):
        self.archive = archive
        self.names = set(archive.namelist())
        self.epoch = epoch
        self.max_rows = max_rows
        self._strings: list[str] | None = None
        self._date_styles: frozenset[int] | None = None

    @property
    def strings(self) -> list[str]:
        if self._strings is None:
            part = "xl/sharedStrings.xml"
            strings: list[str] = []
            if part in self.names:
                try:
                    with self.archive.open(part) as f:
                        _no_dtd(f.read(4096), part)
                    with self.archive.open(part) as f:
                        for _event, el in defused_et.iterparse(f, forbid_dtd=True):
                            if el.tag in _SI:
                                try:
                                    strings.append(_text_of(el))
                                except _BadCell as error:
                                    raise ExcelError(_("Tệp .xlsx bị hỏng: chuỗi số %(index)s của %(part)s: %(problem)s") % {
                                        "index": len(strings), "part": part, "problem": error}) from None
                                el.clear()
                except DefusedXmlException:
                    raise ExcelError(_("Tệp .xlsx có khai báo DTD trong %(part)s (có thể dùng để tấn công): không đọc tệp này.") % {"part": part}) from None
                except ET.ParseError:
                    raise ExcelError(_("Tệp .xlsx bị hỏng: phần %(part)s không phải XML hợp lệ.") % {"part": part}) from None
                except _ZIP_ERRORS:
                    raise ExcelError(_("Tệp .xlsx bị hỏng: không giải nén được phần %(part)s.") % {"part": part}) from None
            self._strings = strings
        return self._strings

    @property
    def date_styles(self) -> frozenset[int]:
        """Indexes of the cell formats (cellXfs) whose number format shows a date."""
        if self._date_styles is None:
            part = "xl/styles.xml"
            styles: set[int] = set()
            if part in self.names:
                root = _parse_part(self.archive, part)
                custom = {}
                try:
                    for el in root.iter():
                        if el.tag.endswith("}numFmt"):
                            custom[int(el.get("numFmtId", "0"))] = el.get("formatCode", "")
                    xfs = next((el for el in root if el.tag.endswith("}cellXfs")), None)
                    for index, xf in enumerate(xfs if xfs is not None else []):
                        fmt_id = int(xf.get("numFmtId", "0"))
                        code = custom.get(fmt_id) or xl_numbers.BUILTIN_FORMATS.get(fmt_id)
                        if fmt_id in _DATE_FORMAT_IDS or (code and xl_numbers.is_date_format(code)):
                            styles.add(index)
                except ValueError:
                    raise ExcelError(_("Tệp .xlsx bị hỏng: phần %(part)s có mã định dạng số không phải là số.") % {"part": part}) from None
            self._date_styles = frozenset(styles)
        return self._date_styles


@dataclass
class _XlsxSheet(Sheet):
    def _open(self):
        try:
            return self.context.archive.open(self.path)
        except _ZIP_ERRORS:
            raise self._broken() from None

    def _broken(self, after: int | None = None) -> ExcelError:
        if after:
            return ExcelError(_("Tệp .xlsx bị hỏng: trang tính «%(sheet)s» không đọc được sau dòng %(row)s.") % {"sheet": self.name, "row": after})
        return ExcelError(_("Tệp .xlsx bị hỏng: trang tính «%(sheet)s» không đọc được.") % {"sheet": self.name})

    def _error(self, message: str, **where) -> ExcelError:
        if "cell" in where:
            return ExcelError(_("Trang tính «%(sheet)s», ô %(cell)s: %(problem)s") % {"sheet": self.name, "cell": where["cell"], "problem": message})
        if "row" in where:
            return ExcelError(_("Trang tính «%(sheet)s», dòng %(row)s: %(problem)s") % {"sheet": self.name, "row": where["row"], "problem": message})
        return ExcelError(_("Trang tính «%(sheet)s»: %(problem)s") % {"sheet": self.name, "problem": message})

    def dimension_rows(self) -> int:
        try:
            with self._open() as f:
                head = f.read(4096)
        except _ZIP_ERRORS:
            raise self._broken() from None
        _no_dtd(head, self.path)
        m = _DIMENSION.search(head)
        if not m:
            return 0
        ref = m.group(1).decode("ascii", "replace")
        last = 0
        for part in ref.split(":"):
            found = _REFERENCE.match(part)
            if not found or column_index(found.group(1)) >= MAX_COLUMNS or int(found.group(2)) > MAX_SHEET_ROWS:
                raise self._error(_("vùng dữ liệu khai báo «%(ref)s» vượt quá giới hạn của Excel (cột XFD, dòng 1.048.576).") % {"ref": ref})
            last = int(found.group(2))
        return last

    def survey(self) -> list[tuple[int, int, int, int]]:
        """One pass over the sheet's bytes, before any row is parsed: the merged ranges (first
        row, first column, last row, last column) and the number of rows, refused past the cap.
        About 0.3 s per 100 MB of XML."""
        found: set[tuple[int, int, int, int]] = set()
        rows = 0
        row_tag = None
        try:
            with self._open() as f:
                tail = b""
                while chunk := f.read(1 << 20):
                    buf = tail + chunk
                    # more ranges than cells filled would be dropped anyway: not kept (a flood
                    # of one-cell merges could otherwise fill memory from a small file)
                    if b"mergeCell" in buf and len(found) < MAX_MERGED_CELLS:
                        for m in _MERGE.finditer(buf):
                            c1, r1, c2, r2 = column_index(m.group(1).decode()), int(m.group(2)), column_index(m.group(3).decode()), int(m.group(4))
                            found.add((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
                    if row_tag is None:  # "<row", or "<x:row" when the sheet's root is "<x:worksheet"
                        root = _ROOT_START.search(buf)
                        row_tag = b"<" + (root.group(1) + b":" if root and root.group(1) else b"") + b"row"
                    # counted in the new bytes and the few before them that could start a match
                    # (<rowBreaks> adds one: no matter; rows() counts again as it reads)
                    rows += (tail[len(tail) - len(row_tag) + 1:] + chunk).count(row_tag)
                    if rows > self.context.max_rows:
                        raise self._error(_("có hơn %(max)s dòng, quá giới hạn của một lần nhập: hãy chia thành nhiều tệp.") % {
                            "max": _thousands(self.context.max_rows)})
                    tail = buf[-256:]
        except _ZIP_ERRORS:
            raise self._broken() from None
        merged, cells = [], 0
        for r1, c1, r2, c2 in sorted(found):
            cells += (r2 - r1 + 1) * (c2 - c1 + 1)
            if cells > MAX_MERGED_CELLS:
                break
            merged.append((r1, c1, r2, c2))
        return merged

    def merges(self) -> list[tuple[int, int, int, int]]:
        return self.survey()

    def rows(self, limit: int | None = None) -> Iterator[tuple[int, list[Value]]]:
        merges = self.survey()
        strings = self.context.strings
        date_styles = self.context.date_styles
        epoch = self.context.epoch
        starting: dict[int, list[tuple[int, int, int, int]]] = {}
        for m in merges:
            starting.setdefault(m[0], []).append(m)
        active: list[tuple[int, int, int, Value]] = []  # (last row, first col, last col, value)
        count = 0
        number = 0
        tag_v = tag_is = None
        with self._open() as f:
            # the lambda reads `number` when a batch fails: the last row read so far
            for el in _row_elements(f, self, lambda: number):  # noqa: B023
                tag = el.tag
                if tag not in _ROW:
                    continue
                if tag_v is None:
                    ns = tag[: tag.index("}") + 1]
                    tag_c, tag_v, tag_is = ns + "c", ns + "v", ns + "is"
                r = el.get("r")
                if r:
                    if not (len(r) <= 7 and r.isascii() and r.isdigit()) or not 0 < int(r) <= MAX_SHEET_ROWS:
                        raise self._error(_("số dòng «%(value)s» không hợp lệ (phải từ 1 đến 1.048.576).") % {"value": r[:20]})
                    if int(r) <= number:
                        raise self._error(_("dòng %(row)s xuất hiện lần nữa hoặc không theo thứ tự.") % {"row": r}, row=r)
                    number = int(r)
                else:
                    number += 1
                cells: dict[int, Value] = {}
                col = 0
                for c in el:
                    if c.tag != tag_c:
                        continue
                    ref = c.get("r")
                    if ref:
                        letters = ref.rstrip("0123456789")
                        col = _letters_cache.get(letters, -1)
                        if col < 0:
                            if _REFERENCE.match(ref):
                                col = column_index(letters)
                            elif _LETTERS_DIGITS.match(ref[:30]):
                                col = MAX_COLUMNS  # four letters or more: past XFD
                            else:
                                raise self._error(_("địa chỉ ô «%(ref)s» không hợp lệ.") % {"ref": ref[:20]}, row=number)
                    if col >= MAX_COLUMNS:
                        where = ref if ref else f"{column_letter(col)}{number}"
                        raise self._error(_("ô «%(ref)s» nằm ngoài cột cuối cùng của Excel (XFD).") % {"ref": where[:20]}, row=number)
                    t = c.get("t")
                    try:
                        if t == "inlineStr":
                            inline = c.find(tag_is)
                            value: Value = _text_of(inline) if inline is not None else None
                        else:
                            v = c.find(tag_v)
                            raw = v.text if v is not None else None
                            if raw is None:
                                value = None
                            elif t == "s":
                                value = _shared(strings, raw)
                            elif t is None or t == "n":
                                value = _number(raw, c.get("s"), date_styles, epoch)
                            elif t == "b":
                                value = raw == "1"
                            elif t == "d":
                                try:
                                    value = dt.datetime.fromisoformat(raw)
                                except ValueError:
                                    value = raw
                            else:  # "str" (a formula's text), "e" (an error such as #N/A)
                                value = raw
                                if len(raw) > MAX_CELL_CHARACTERS:
                                    raise _BadCell(_("nội dung dài %(length)s ký tự, quá giới hạn 32.767 ký tự của một ô Excel.") % {
                                        "length": _thousands(len(raw))})
                    except _BadCell as error:
                        raise self._error(str(error), cell=f"{column_letter(col)}{number}") from None
                    if value is not None and value != "":
                        cells[col] = value
                    col += 1
                el.clear()
                if merges:
                    for m in starting.get(number, ()):
                        active.append((m[2], m[1], m[3], cells.get(m[1])))
                    if active:
                        active = [a for a in active if a[0] >= number]
                        for _last, c1, c2, value in active:
                            if value is None:
                                continue
                            for col_index in range(c1, c2 + 1):
                                cells.setdefault(col_index, value)
                values: list[Value] = [None] * (max(cells) + 1 if cells else 0)
                for index, value in cells.items():
                    values[index] = value
                yield number, values
                count += 1
                if count > self.context.max_rows:  # rows the byte count missed (another prefix)
                    raise self._error(_("có hơn %(max)s dòng, quá giới hạn của một lần nhập: hãy chia thành nhiều tệp.") % {
                        "max": _thousands(self.context.max_rows)})
                if limit is not None and count >= limit:
                    return


_ROOT_START = re.compile(rb"<(?:(\w+):)?worksheet\b[^>]*>")
_SHEETDATA_START = re.compile(rb"<(?:\w+:)?sheetData\b[^>]*?(/?)>")


def _row_elements(f, sheet: "_XlsxSheet", last_row, chunk_size: int = 1 << 20) -> Iterator[ET.Element]:
    """The <row> elements of a sheet, parsed a batch of rows at a time by the C parser.

    ElementTree.iterparse hands every <c>, <v> and <t> to Python; cutting the XML after the
    last complete </row> of each megabyte and parsing that batch whole (wrapped in the sheet's
    own root tag, which carries the namespace declarations) is about twice as fast.

    Not through defusedxml: it swaps in ElementTree's pure-Python parser, 1.7 times slower on
    this path. The batches never hold a DTD (one may only stand in the prolog, refused here as
    in every part), so an entity in them is undefined and the batch refused."""
    buf = b""
    try:
        while True:
            chunk = f.read(chunk_size)
            buf += chunk
            start = _SHEETDATA_START.search(buf)
            if start or not chunk or len(buf) > MAX_ROW_BYTES:
                break
        root = _ROOT_START.search(buf)
        _no_dtd(buf[: root.start() if root else len(buf)], sheet.path)
        if not start or not root or start.group(1) == b"/" or root.group(0).endswith(b"/>"):
            return
        prefix = root.group(1) + b":" if root.group(1) else b""
        open_tag, close_tag = root.group(0), b"</" + prefix + b"worksheet>"
        row_end, sheet_end = b"</" + prefix + b"row>", b"</" + prefix + b"sheetData>"
        buf = buf[start.end():]
        while True:
            end = buf.find(sheet_end)
            if end >= 0:
                body, buf = buf[:end], b""
            else:
                cut = buf.rfind(row_end)
                body = b""
                if cut >= 0:
                    cut += len(row_end)
                    body, buf = buf[:cut], buf[cut:]
                elif len(buf) > MAX_ROW_BYTES:
                    raise sheet._error(_("một dòng dài hơn %(size)s MB, không phải dòng của bảng tính.") % {
                        "size": MAX_ROW_BYTES // (1024 * 1024)}, row=last_row() + 1)
            if body.strip():
                try:
                    yield from ET.fromstring(open_tag + body + close_tag)
                except ET.ParseError:
                    raise sheet._broken(last_row()) from None
            if end >= 0:
                return
            chunk = f.read(chunk_size)
            if not chunk:
                return
            buf += chunk
    except _ZIP_ERRORS:
        raise sheet._broken(last_row()) from None


def _shared(strings: list[str], raw: str) -> str:
    try:
        index = int(raw)
    except ValueError:
        raise _BadCell(_("chỉ số chuỗi dùng chung «%(value)s» không phải là số.") % {"value": raw[:20]}) from None
    if not 0 <= index < len(strings):
        raise _BadCell(_("chỉ tới chuỗi dùng chung số %(index)s, nhưng tệp chỉ có %(count)s chuỗi (xl/sharedStrings.xml).") % {
            "index": index, "count": len(strings)})
    return strings[index]


def _number(raw: str, style: str | None, date_styles: frozenset[int], epoch) -> Value:
    try:
        if "." in raw or "E" in raw or "e" in raw:
            number: int | float = float(raw)
            if not math.isfinite(number):
                raise ValueError
            if number.is_integer() and abs(number) < 1e15:
                number = int(number)
        else:
            number = int(raw)
    except ValueError:
        raise _BadCell(_("giá trị «%(value)s» không phải là số.") % {"value": raw[:20]}) from None
    if style:
        try:
            style_index = int(style)
        except ValueError:
            raise _BadCell(_("mã kiểu định dạng «%(value)s» không phải là số.") % {"value": style[:20]}) from None
        if style_index in date_styles:
            try:
                value = from_excel(number, epoch)
            except (ValueError, OverflowError, TypeError):
                return number
            return number if isinstance(value, dt.time) else value
    return number


# ---- csv


@dataclass
class _CsvSheet(Sheet):
    text: str = ""
    delimiter: str = ","

    def rows(self, limit: int | None = None) -> Iterator[tuple[int, list[Value]]]:
        reader = csv.reader(io.StringIO(self.text, newline=""), delimiter=self.delimiter)
        count = 0
        start = 1
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error:
                raise ExcelError(_("Tệp CSV, dòng %(row)s: một ô dài quá giới hạn 32.767 ký tự hoặc có dấu ngoặc kép không đóng.") % {
                    "row": start}) from None
            number = start
            start = reader.line_num + 1
            if any(len(v) > MAX_CELL_CHARACTERS for v in record):
                raise ExcelError(_("Tệp CSV, dòng %(row)s: một ô dài quá giới hạn 32.767 ký tự của Excel.") % {"row": number})
            values: list[Value] = [v if v.strip() != "" else None for v in record]
            yield number, values
            count += 1
            if limit is not None and count >= limit:
                return


def _csv_book(data: bytes, filename: str, max_rows: int) -> Book:
    notices = []
    if data.startswith(codecs.BOM_UTF8):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            latin = data.decode("latin-1")
            if detect_legacy(latin.splitlines()[:200]):
                text = latin  # bytes of a TCVN3 or VNI font: converted with the sheet's texts
            else:
                text = unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))
                notices.append(_("Tệp CSV không ở dạng UTF-8: đã đọc theo bảng mã Windows-1258 (tiếng Việt). Hãy kiểm tra dấu tiếng Việt ở các dòng dưới đây."))
    if (nul := text.find("\x00")) >= 0:
        raise ExcelError(_("Tệp CSV có ký tự NUL ở dòng %(row)s: không phải tệp văn bản; hãy lưu lại dạng CSV UTF-8.") % {
            "row": text.count("\n", 0, nul) + text.count("\r", 0, nul) - text.count("\r\n", 0, nul) + 1})
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.count("\n") + 1
    if lines > max_rows + 1:
        raise ExcelError(_("Tệp CSV có hơn %(max)s dòng, quá giới hạn của một lần nhập: hãy chia thành nhiều tệp.") % {"max": _thousands(max_rows)})
    sample = text[:8192]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        first = sample.split("\n", 1)[0]
        delimiter = max(",;\t", key=first.count)
    stem = re.sub(r"\.[^.]*$", "", filename.rsplit("/", 1)[-1]) or "CSV"
    sheet = _CsvSheet(name=stem, text=text, delimiter=delimiter, estimated_rows=lines)
    return Book(sheets=[sheet], kind="csv", notices=notices)


# ------------------------------------------------------------------ writing

DATE_FORMAT = "DD/MM/YYYY"


@dataclass
class OutColumn:
    header: str
    width: float = 16
    text_format: bool = False  # store as text ("@"), e.g. identity numbers with leading zeros


# The writer. openpyxl's write-only mode made a cell object, a style lookup and an XML element per
# value: a commune's list (5,400 members x 15 columns) cost 2 s of CPU, four fifths of a loaded
# server's time (docs/benchmarks.md, "Load"). The sheet is written here as text instead: one
# string per row, inline strings, six fixed styles; a tenth of the time, the same file to Excel.

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EPOCH = dt.datetime(1899, 12, 30)
# cellXfs below: 0 plain, 1 date, 2 text kept as text (quote prefix), 3 header, 4 header kept as
# text, 5 first title line, 6 first title line kept as text, 7 other title lines, 8 the same kept as text
_DATE, _QUOTED, _HEADER, _TITLE, _SUBTITLE = 1, 2, 3, 5, 7

_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="DD/MM/YYYY"/></numFmts>'
    '<fonts count="4"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="13"/><name val="Calibri"/><family val="2"/></font>'
    '<font><i/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="9">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment vertical="center" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1" quotePrefix="1">'
    '<alignment vertical="center" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" quotePrefix="1"/>'
    '<xf numFmtId="0" fontId="3" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="3" fillId="0" borderId="0" xfId="0" applyFont="1" quotePrefix="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>'
)
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '</Types>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    '</Relationships>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    '</Relationships>'
)


def _xml_text(text: str) -> str:
    text = _XML_ILLEGAL.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _style_attr(style: int) -> str:
    return f' s="{style}"' if style else ""


def _cell_xml(ref: str, value, style: int = 0) -> str:
    """One <c> element: numbers as numbers, dates as serials with the date style, text inline."""
    if value is None:
        return ""
    if type(value) is str:  # most cells: the checks below in the order of the common case
        return _text_xml(ref, value, style)
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)) or (hasattr(value, "is_finite") and value.is_finite()):
        return f'<c r="{ref}"{_style_attr(style)}><v>{value}</v></c>'
    if isinstance(value, dt.datetime):
        serial = (value.replace(tzinfo=None) - _EPOCH).total_seconds() / 86400
        return f'<c r="{ref}" s="{_DATE}"><v>{serial:.10g}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="{_DATE}"><v>{(value - _EPOCH.date()).days}</v></c>'
    return _text_xml(ref, str(value), style)


def _text_xml(ref: str, text: str, style: int) -> str:
    if needs_escape(text):
        style += 1 if style else _QUOTED  # the quote-prefix twin of the style (see the cellXfs above)
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}" t="inlineStr"{_style_attr(style)}><is><t{space}>{_xml_text(text)}</t></is></c>'


def write_xlsx(*, sheet: str, columns: list[OutColumn], rows: Iterable[list], title: Iterable[str] = ()) -> tuple[bytes, int]:
    """An .xlsx of one sheet: title lines, a bold frozen header with a filter, then the rows (dates
    as dd/mm/yyyy, text a spreadsheet would take for a formula kept as text with the quote
    prefix). Returns the file and the number of data rows."""
    name = _XML_ILLEGAL.sub("", sheet)[:31].translate(str.maketrans("", "", "[]:*?/\\")) or "Sheet"
    width = max(len(columns), 1)
    letters = [column_letter(i) for i in range(width)]  # 0 -> A
    title = list(title)
    header_row = len(title) + 1
    last = letters[len(columns) - 1] if columns else "A"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", _STYLES)
        quoted = name.replace("'", "''")
        defined = (f'<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
                   f"'{_xml_text(quoted)}'!$A${header_row}:${last}${header_row}</definedName></definedNames>" if columns else "")
        archive.writestr("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{_xml_text(name)}" sheetId="1" r:id="rId1"/></sheets>{defined}</workbook>'))
        count = 0
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as raw:
            out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            out.write('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                      '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                      f'<sheetViews><sheetView workbookViewId="0"><pane ySplit="{header_row}" topLeftCell="A{header_row + 1}" '
                      'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews>'
                      '<sheetFormatPr defaultRowHeight="15"/>')
            if columns:
                out.write("<cols>" + "".join(f'<col min="{i}" max="{i}" width="{c.width}" customWidth="1"/>'
                                             for i, c in enumerate(columns, start=1)) + "</cols>")
            out.write("<sheetData>")
            for n, line in enumerate(title, start=1):
                out.write(f'<row r="{n}">{_cell_xml(f"A{n}", line, _TITLE if n == 1 else _SUBTITLE)}</row>')
            out.write(f'<row r="{header_row}">' + "".join(_cell_xml(f"{letters[i]}{header_row}", c.header, _HEADER)
                                                           for i, c in enumerate(columns)) + "</row>")
            n = header_row
            for row in rows:
                n += 1
                if len(row) > len(letters):
                    letters.extend(column_letter(i) for i in range(len(letters), len(row)))
                out.write(f'<row r="{n}">' + "".join(_cell_xml(f"{letters[i]}{n}", v) for i, v in enumerate(row)) + "</row>")
                count += 1
            out.write("</sheetData>")
            if columns:
                out.write(f'<autoFilter ref="A{header_row}:{last}{header_row}"/>')
            out.write("</worksheet>")
            out.flush()
            out.detach()
    return buffer.getvalue(), count


def _escaped(cell):
    """A text cell that a spreadsheet would take for a formula, kept as text (see the module
    docstring): openpyxl would otherwise store "=..." as a formula."""
    if isinstance(cell.value, str) and needs_escape(cell.value):
        cell.data_type, cell.quotePrefix = "s", True
    return cell


def workbook_bytes(wb) -> bytes:
    """Save a workbook built cell by cell (the printed forms), every text cell escaped on the way
    out, whoever wrote it: titles, headers, labels and values alike."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                _escaped(cell)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write_csv(*, columns: list[OutColumn], rows: Iterable[list]) -> tuple[bytes, int]:
    """UTF-8 with a BOM (so Excel shows Vietnamese letters), dd/mm/yyyy dates, escaped text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([escape_formula(c.header) for c in columns])
    count = 0
    for row in rows:
        writer.writerow([
            v.strftime("%d/%m/%Y") if isinstance(v, (dt.date, dt.datetime)) else escape_formula(v) if isinstance(v, str) else ("" if v is None else v)
            for v in row
        ])
        count += 1
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8"), count


def put(ws, ref: str, value, *, merge_to: str | None = None, **style):
    """Write a cell of a sheet an office will print: text that Excel would read as a formula is
    kept as text; style attributes (font, alignment, border...) set; merged up to merge_to."""
    cell = ws[ref]
    cell.value = value
    _escaped(cell)
    for name, v in style.items():
        setattr(cell, name, v)
    if merge_to:
        ws.merge_cells(f"{ref}:{merge_to}")
    return cell


def print_a4(ws, *, orientation: str, last_column: str, last_row: int, footer: str) -> None:
    """A4, fitted to the page's width (as many pages down as needed), centred, the footer's page
    numbers, the print area A1:last."""

    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = orientation
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = footer
    ws.print_area = f"A1:{last_column}{last_row}"
