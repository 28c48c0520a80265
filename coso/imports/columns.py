"""The columns of a member list: their names in office files, how each cell is read and checked.

One Column per field (STYLE convention 9). `COLUMNS` are the template's columns, in its order;
the export writes the same ones, so an exported file imports back unchanged. `EXTRA_COLUMNS`
are other ways offices lay a list out: the name split into "Họ và tên đệm" and "Tên", gender
as a mark in a "Nam" or "Nữ" column (where the birth year is often written too).

Headers in files are matched after `header_key()`: lower case, single spaces, without
punctuation or a parenthesised hint ("Ngày sinh (dd/mm/yyyy)"). Aliases are written with their
diacritics; multi-word aliases also match typed without them ("ngay vao dang").
A column's parse() returns the value or raises CellError with the reason in Vietnamese; checks
that need several columns (national ID against gender and birth year, date order) are in
validation.py.
"""

import datetime as dt
import functools
import re

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coso.lib.excel import DateUnreadable, PartialDate, read_date, unescape_formula
from coso.lib.text import clean, fold
from coso.members.dates import party_date_problem
from coso.people.choices import (
    ETHNIC_ALIASES,
    ETHNIC_GROUPS,
    RELIGIONS,
    Gender,
    Qualification,
    TheoryLevel,
)
from coso.people.dates import birth_problem


class CellError(Exception):
    """A cell that cannot be taken; str() is the reason for the user."""


def header_key(text) -> str:
    """The form a header is compared and remembered in: "Ngày sinh (dd/mm/yyyy) *" -> "ngày sinh"."""
    text = clean(str(text or "")).lower()
    text = re.sub(r"\([^)]*\)", " ", text)
    text = re.sub(r"[^\w/]+", " ", text)
    text = re.sub(r"\s*/+\s*", " / ", text)
    return re.sub(r"\s+", " ", text).strip(" /")


def _match_key(text: str) -> str:
    return re.sub(r"\s+", " ", header_key(text).replace("/", " ")).strip()


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%d/%m/%Y")
    return clean(unescape_formula(str(value)))


def _key(value) -> str:
    """A choice typed in a file, folded: "Khơ-me" -> "kho me", "Phật  giáo" -> "phat giao"."""
    return re.sub(r"\s+", " ", re.sub(r"[-_.,;:'’]", " ", fold(_as_text(value)))).strip()


class Column:
    name = ""
    label = ""  # the template's header (always written in Vietnamese), a gettext_lazy string
    note = ""  # the template's hint above the header
    aliases: tuple[str, ...] = ()
    width = 16
    required = False
    sensitive = False
    text_format = False  # the template stores the column as text (leading zeros, "12/12")
    in_template = True
    max_length = 255
    cacheable = True  # parse() depends on the value only; False where values rarely repeat

    def parse(self, value):
        text = _as_text(value)
        if len(text) > self.max_length:
            raise CellError(_("Quá dài: tối đa %(max)s ký tự.") % {"max": self.max_length})
        return text


class TextColumn(Column):
    def __init__(self, name, label, aliases, *, note="", width=20, max_length=150):
        self.name, self.label, self.aliases, self.note, self.width, self.max_length = name, label, aliases, note, width, max_length


def normalize_name(text: str) -> str:
    """NFC, single spaces; a name typed all in capitals (or all in lower case) gets capitals the
    Vietnamese way: each syllable's first letter, and the letter after an apostrophe (H'Hen)."""
    text = clean(text)
    ascii_letters = [c for c in text if c.isascii() and c.isalpha()]
    if ascii_letters and (all(c.isupper() for c in ascii_letters) or all(c.islower() for c in ascii_letters)):
        words = []
        for word in text.split(" "):
            parts = re.split(r"(['’\-])", word.lower())
            words.append("".join(p[:1].upper() + p[1:] for p in parts))
        text = " ".join(words)
    return text


class NameColumn(Column):
    max_length = 150
    cacheable = False

    def __init__(self, name, label, aliases, *, required=False, in_template=True, note="", width=26):
        self.name, self.label, self.aliases, self.required, self.in_template, self.note, self.width = (
            name, label, aliases, required, in_template, note, width)

    def parse(self, value):
        return normalize_name(super().parse(value))


_MALE = {"nam", "m", "male", "trai", "nam gioi"}
_FEMALE = {"nu", "f", "female", "gai", "nu gioi"}


class GenderColumn(Column):
    name, label, required, width = "gender", gettext_lazy("Giới tính"), True, 10
    note = gettext_lazy("Nam hoặc Nữ")
    aliases = ("giới tính", "nam nữ", "nam / nữ", "phái", "giới")

    def parse(self, value):
        key = _key(value)
        if key in _MALE:
            return Gender.MALE
        if key in _FEMALE:
            return Gender.FEMALE
        raise CellError(_("Giới tính «%(value)s» không rõ: ghi Nam hoặc Nữ.") % {"value": _as_text(value)})


_MARKS = {"x", "v", "1", "co", "true", "✓", "✔", "+", "*"}


class MarkColumn(Column):
    """A "Nam" or "Nữ" column: a mark (x), or the birth date or year written in it."""

    in_template, width = False, 8

    def __init__(self, name, label, aliases, gender):
        self.name, self.label, self.aliases, self.gender = name, label, aliases, gender

    def parse(self, value):
        if value is True:
            return (self.gender, None)
        if value in (None, "", False, 0):
            return None
        if _key(value) in _MARKS:
            return (self.gender, None)
        try:
            return (self.gender, BirthDateColumn().parse(value))
        except CellError:
            if any(c.isdigit() for c in _as_text(value)):
                raise  # a birth date, misread: say why
            raise CellError(_("Không hiểu «%(value)s»: đánh dấu x, hoặc ghi ngày (năm) sinh.") % {"value": _as_text(value)}) from None


DATE_NOTE = gettext_lazy("dd/mm/yyyy")


class DateColumn(Column):
    """A date that must be known to the day (admission, recognition, decision)."""

    width = 14

    def __init__(self, name, label, aliases, *, required=False, note=None):
        self.name, self.label, self.aliases, self.required = name, label, aliases, required
        self.note = note or DATE_NOTE

    def parse(self, value) -> dt.date | None:
        try:
            found = read_date(value)
        except DateUnreadable as error:
            raise CellError(_("Ngày «%(value)s»: %(reason)s.") % {"value": _as_text(value), "reason": error}) from None
        if found is None:
            return None
        if found.precision != "day":
            raise CellError(_("Cần đủ ngày, tháng, năm; «%(value)s» chưa đủ.") % {"value": _as_text(value)})
        if problem := party_date_problem(found.date):
            raise CellError(problem)
        return found.date


class BirthDateColumn(Column):
    """A birth date, or its month and year, or only its year: kept as partial, never invented."""

    name, label, required, width = "birth_date", gettext_lazy("Ngày sinh"), True, 12
    note = gettext_lazy("dd/mm/yyyy; chỉ biết năm thì ghi năm")
    aliases = ("ngày sinh", "ngày tháng năm sinh", "ngày, tháng, năm sinh", "năm sinh", "sinh ngày", "ns", "ngày sinh năm sinh")

    def parse(self, value) -> PartialDate | None:
        try:
            found = read_date(value)
        except DateUnreadable as error:
            raise CellError(_("Ngày sinh «%(value)s»: %(reason)s.") % {"value": _as_text(value), "reason": error}) from None
        if found is None:
            return None
        if problem := birth_problem(found.date):
            raise CellError(problem)
        return found


class NationalIdColumn(Column):
    name, label, sensitive, text_format, width = "national_id", gettext_lazy("Số định danh cá nhân"), True, True, 16
    note = gettext_lazy("12 chữ số (số CCCD)")
    cacheable = False
    aliases = ("số định danh cá nhân", "số định danh", "mã định danh", "mã định danh cá nhân", "số cccd", "cccd", "căn cước công dân",
               "số căn cước công dân", "số căn cước", "căn cước", "cmnd / cccd", "cccd / cmnd", "số cmnd / cccd", "số cmnd", "cmnd", "số đdcn")
    max_length = 12

    def parse(self, value) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            # Excel drops the leading zero of a number: every ID starts with a province code 0xx
            return str(value).zfill(12) if len(str(value)) <= 12 else str(value)
        return re.sub(r"[\s.\-]", "", _as_text(value))


class CardNumberColumn(Column):
    name, label, text_format, width = "card_number", gettext_lazy("Số thẻ đảng viên"), True, 14
    cacheable = False
    aliases = ("số thẻ đảng viên", "số thẻ đảng", "số thẻ", "số thẻ đv", "thẻ đảng viên", "số thẻ đảng viên số")
    max_length = 20


# "not known" as offices write it, and as exports write it (UNKNOWN_TEXT): read as "" like a blank
UNKNOWN_TEXT = gettext_lazy("Chưa rõ")
UNKNOWN_VARIANTS = ("chua ro", "khong ro", "chua xac dinh", "khong xac dinh", "?")


class ChoiceColumn(Column):
    """A value from a list, typed as the label, a known variant or the code; blank = default ("": not known)."""

    def __init__(self, name, label, aliases, choices, *, variants=None, default="", sensitive=False, note="", width=14, strip=()):
        self.name, self.label, self.aliases, self.sensitive, self.note, self.width = name, label, aliases, sensitive, note, width
        self.default = default
        self.variants = variants or {}
        self.strip = strip  # words that may prefix a value: "dân tộc Kinh"
        self.choices = choices

    @functools.cached_property
    def lookup(self) -> dict[str, str]:
        lookup: dict[str, str] = {}
        for code, text in self.choices:
            lookup[_key(vietnamese(text))] = code
            lookup[code.lower()] = code
            if code.isdigit():
                lookup[str(int(code))] = code
        for variant, code in self.variants.items():
            lookup.setdefault(_key(variant), code)
        for variant in (_key(vietnamese(UNKNOWN_TEXT)), *UNKNOWN_VARIANTS):
            lookup.setdefault(variant, self.default)
        return lookup

    def find(self, key: str) -> str | None:
        if key in self.lookup:
            return self.lookup[key]
        for prefix in self.strip:
            if key.startswith(prefix + " ") and key[len(prefix) + 1:] in self.lookup:
                return self.lookup[key[len(prefix) + 1:]]
        no_parens = re.sub(r"\s*\(.*\)\s*", " ", key).strip()
        return self.lookup.get(no_parens)

    def parse(self, value):
        key = _key(value)
        if not key:
            return self.default
        code = self.find(key)
        if code is None:
            raise CellError(self.unknown_message(value))
        return code

    def unknown_message(self, value) -> str:
        return _("«%(value)s» không có trong danh mục %(list)s.") % {"value": _as_text(value), "list": str(self.label).lower()}


class LevelColumn(ChoiceColumn):
    """A level, possibly followed by its field: "Đại học Luật" -> ("dai_hoc", "Luật")."""

    def parse(self, value):
        key = _key(value)
        if not key:
            return (self.default, "")
        code = self.find(key)
        if code is not None:
            return (code, "")
        text = _as_text(value)
        words = text.split(" ")
        for n in range(len(words) - 1, 0, -1):
            code = self.find(_key(" ".join(words[:n])))
            if code is not None:
                return (code, " ".join(words[n:]))
        raise CellError(_("Trình độ «%(value)s» không rõ; ghi một trong: %(levels)s.") % {
            "value": text, "levels": ", ".join(str(label) for _code, label in self.choices)})


class EducationColumn(Column):
    name, label, text_format, width = "education", gettext_lazy("Giáo dục phổ thông"), True, 10
    note = gettext_lazy("Ví dụ 12/12 hoặc 9/10")
    aliases = ("giáo dục phổ thông", "trình độ giáo dục phổ thông", "gdpt", "trình độ gdpt", "học vấn", "trình độ học vấn",
               "văn hóa", "văn hoá", "trình độ văn hóa", "trình độ văn hoá")
    max_length = 10
    _PATTERN = re.compile(r"^(\d{1,2})\s*/\s*(\d{1,2})$")

    def parse(self, value) -> str:
        if isinstance(value, (dt.datetime, dt.date)):
            # Excel turned "12/12" into the 12th of December (day/month in a Vietnamese locale)
            value = f"{value.day}/{value.month}"
        text = _as_text(value)
        if not text:
            return ""
        m = self._PATTERN.match(text)
        if not m or int(m.group(1)) > int(m.group(2)) or int(m.group(2)) not in (10, 12):
            raise CellError(_("Ghi dạng lớp/hệ, ví dụ 12/12 hoặc 9/10, không phải «%(value)s».") % {"value": text})
        return f"{int(m.group(1))}/{int(m.group(2))}"


class CellColumn(Column):
    """The cell's name or code; resolved against the organization's cells in validation.py."""

    name, label, width = "cell", gettext_lazy("Chi bộ"), 26
    note = gettext_lazy("Tên hoặc mã chi bộ")
    aliases = ("chi bộ", "tên chi bộ", "mã chi bộ", "chi bộ sinh hoạt", "chi bộ đang sinh hoạt", "sinh hoạt tại chi bộ", "nơi sinh hoạt",
               "đơn vị", "đơn vị sinh hoạt", "tổ chức đảng", "chi bộ trực thuộc")


RELIGION_VARIANTS = {
    "khong": "00", "khong co": "00", "ko": "00", "k": "00", "khong ton giao": "00", "khong theo ton giao nao": "00",
    "khong theo dao": "00", "luong": "00", "0": "00",
    "phat": "01", "dao phat": "01", "phat giao": "01",
    "thien chua": "02", "thien chua giao": "02", "dao thien chua": "02", "cong giao": "02", "cong": "02", "catholic": "02",
    "hoa hao": "03", "dao hoa hao": "03", "hoi giao": "04", "dao hoi": "04", "islam": "04",
    "cao dai": "05", "dao cao dai": "05", "tin lanh": "08", "dao tin lanh": "08",
}
QUALIFICATION_VARIANTS = {
    "khong": "none", "chua": "none", "chua qua dao tao": "none", "chua dao tao": "none", "khong co": "none",
    "sc": "so_cap", "tc": "trung_cap", "tccn": "trung_cap", "trung hoc chuyen nghiep": "trung_cap", "cd": "cao_dang",
    "dh": "dai_hoc", "cu nhan": "dai_hoc", "ky su": "dai_hoc", "bac si": "dai_hoc", "duoc si": "dai_hoc", "kien truc su": "dai_hoc",
    "thac sy": "thac_si", "ths": "thac_si", "tien sy": "tien_si", "ts": "tien_si", "bac si chuyen khoa": "dai_hoc",
}
THEORY_VARIANTS = {
    "khong": "none", "chua": "none", "chua co": "none", "chua qua dao tao": "none", "chua dao tao": "none",
    "sc": "so_cap", "tc": "trung_cap", "cc": "cao_cap", "cn": "cu_nhan", "cu nhan chinh tri": "cu_nhan",
}

# A blank cell is "not known" (counted under "Chưa rõ", listed by the data-quality checks), never
# Kinh, no religion or not trained: those are answers the file must give.
BLANK_NOTE = gettext_lazy("Trống = chưa rõ")

FULL_NAME = NameColumn("full_name", gettext_lazy("Họ và tên"), (
    "họ và tên", "họ tên", "họ và tên đảng viên", "họ tên đảng viên", "tên đảng viên", "họ và tên khai sinh", "họ tên khai sinh",
    "họ và tên đang dùng", "đảng viên"), required=True, note=gettext_lazy("Bắt buộc"))

COLUMNS: list[Column] = [
    FULL_NAME,
    TextColumn("other_names", gettext_lazy("Tên gọi khác"), ("tên gọi khác", "tên khác", "bí danh")),
    GenderColumn(),
    BirthDateColumn(),
    NationalIdColumn(),
    ChoiceColumn("ethnicity", gettext_lazy("Dân tộc"), ("dân tộc",), ETHNIC_GROUPS, variants=ETHNIC_ALIASES,
                 sensitive=True, strip=("dan toc",), note=BLANK_NOTE),
    ChoiceColumn("religion", gettext_lazy("Tôn giáo"), ("tôn giáo", "đạo"), RELIGIONS, variants=RELIGION_VARIANTS,
                 sensitive=True, strip=("dao",), note=BLANK_NOTE),
    TextColumn("origin_text", gettext_lazy("Quê quán"), ("quê quán", "nguyên quán", "quê"), width=28, max_length=255),
    TextColumn("residence_text", gettext_lazy("Nơi cư trú"), (
        "nơi cư trú", "nơi ở hiện nay", "nơi ở", "chỗ ở hiện nay", "địa chỉ", "nơi thường trú", "thường trú", "hộ khẩu thường trú",
        "nơi cư trú hiện nay", "địa chỉ thường trú"), width=28, max_length=255),
    EducationColumn(),
    LevelColumn("qualification", gettext_lazy("Trình độ chuyên môn"), (
        "trình độ chuyên môn", "chuyên môn", "trình độ chuyên môn nghiệp vụ", "chuyên môn nghiệp vụ", "trình độ cmnv", "cmnv", "tđcm",
        "trình độ đào tạo"), Qualification.choices, variants=QUALIFICATION_VARIANTS, note=BLANK_NOTE),
    LevelColumn("theory_level", gettext_lazy("Lý luận chính trị"), (
        "lý luận chính trị", "trình độ lý luận chính trị", "llct", "trình độ llct", "lý luận"), TheoryLevel.choices,
        variants=THEORY_VARIANTS, strip=("llct",), note=BLANK_NOTE),
    TextColumn("occupation", gettext_lazy("Nghề nghiệp"), ("nghề nghiệp", "nghề nghiệp hiện nay", "nghề", "công việc")),
    TextColumn("job_title", gettext_lazy("Chức vụ"), ("chức vụ", "chức vụ hiện nay", "chức vụ chính quyền", "chức danh")),
    CellColumn(),
    DateColumn("admitted_on", gettext_lazy("Ngày kết nạp"), (
        "ngày kết nạp", "ngày vào đảng", "ngày kết nạp đảng", "ngày kết nạp vào đảng", "kết nạp", "vào đảng", "ngày tháng năm vào đảng",
        "ngày tháng năm kết nạp", "ngày kết nạp đảng viên"), required=True, note=gettext_lazy("Bắt buộc; dd/mm/yyyy")),
    DateColumn("recognized_on", gettext_lazy("Ngày công nhận chính thức"), (
        "ngày công nhận chính thức", "ngày chính thức", "chính thức", "ngày công nhận đảng viên chính thức", "ngày được công nhận chính thức",
        "ngày tháng năm chính thức", "công nhận chính thức", "ngày vào đảng chính thức"), note=gettext_lazy("Trống nếu còn dự bị")),
    DateColumn("decision_date", gettext_lazy("Ngày quyết định kết nạp"), (
        "ngày quyết định kết nạp", "ngày ra quyết định kết nạp", "ngày qđ kết nạp", "ngày ký quyết định kết nạp", "quyết định kết nạp ngày",
        "ngày quyết định")),
    CardNumberColumn(),
    TextColumn("introducers", gettext_lazy("Người giới thiệu"), (
        "người giới thiệu", "người giới thiệu vào đảng", "người giới thiệu kết nạp", "đảng viên giới thiệu"), width=30, max_length=255),
]

EXTRA_COLUMNS: list[Column] = [
    NameColumn("family_middle", gettext_lazy("Họ và tên đệm"), ("họ và tên đệm", "họ và đệm", "họ đệm", "họ", "họ và chữ đệm"), in_template=False),
    NameColumn("given_name", gettext_lazy("Tên"), ("tên",), in_template=False),
    MarkColumn("male_mark", gettext_lazy("Nam (đánh dấu hoặc năm sinh)"), ("nam",), Gender.MALE),
    MarkColumn("female_mark", gettext_lazy("Nữ (đánh dấu hoặc năm sinh)"), ("nữ",), Gender.FEMALE),
]

BY_NAME: dict[str, Column] = {c.name: c for c in COLUMNS + EXTRA_COLUMNS}
SENSITIVE = frozenset(c.name for c in COLUMNS if c.sensitive)
# Headers that are known but hold no field: counted when looking for the header row.
IGNORED_HEADERS = frozenset({"stt", "tt", "số tt", "số thứ tự", "ghi chú", "ký tên", "số", "trạng thái"})


def vietnamese(text) -> str:
    """A label as files write it, whatever the user's language: headers are the file's vocabulary."""
    with translation.override("vi"):
        return str(text)


@functools.cache
def _aliases() -> tuple[dict[str, str], dict[str, str]]:
    exact: dict[str, str] = {}
    folded: dict[str, set[str]] = {}
    for column in COLUMNS + EXTRA_COLUMNS:
        for alias in (vietnamese(column.label), *column.aliases):
            key = _match_key(alias)
            exact.setdefault(key, column.name)
            if " " in key:  # one-word aliases only as written: "năm" is not "nam"
                folded.setdefault(fold(key), set()).add(column.name)
    return exact, {k: v.pop() for k, v in folded.items() if len(v) == 1}


def match_field(text) -> str | None:
    """The field a header names, if it is one of the known names; "" for a known ignored one."""
    key = _match_key(text)
    if not key:
        return None
    if key in IGNORED_HEADERS:
        return ""
    exact, folded = _aliases()
    found = exact.get(key)
    if found is None:
        found = folded.get(fold(key))
    return found


def field_choices() -> list[tuple[str, str]]:
    """For the mapping page: every field a column may hold."""
    return [(c.name, c.label) for c in COLUMNS + EXTRA_COLUMNS]
