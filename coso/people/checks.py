"""Record-level checks on a person (DESIGN principle 8), used on entry and by the quality pages.

National ID (số định danh cá nhân, 12 digits), per Thông tư 59/2021/TT-BCA: digits 1-3 the
province of birth registration, digit 4 gender and century (0/1 male/female born 1900-1999,
2/3 born 2000-2099, 4/5 2100-2199...), digits 5-6 the last two digits of the birth year.
"""

import datetime as dt
import re

from django.utils.translation import gettext as _

from .choices import DatePrecision, Gender

# The 63 legacy province codes used in the first three digits (001 Hà Nội ... 096 Cà Mau).
PROVINCE_CODES = {
    "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020", "022", "024", "025",
    "026", "027", "030", "031", "033", "034", "035", "036", "037", "038", "040", "042", "044", "045", "046", "048",
    "049", "051", "052", "054", "056", "058", "060", "062", "064", "066", "067", "068", "070", "072", "074", "075",
    "077", "079", "080", "082", "083", "084", "086", "087", "089", "091", "092", "093", "094", "095", "096",
}


# The kinds of national ID findings (coso.quality keeps one check per kind).
NID_FORMAT, NID_PROVINCE, NID_GENDER, NID_BIRTH_YEAR = "format", "province", "gender", "birth_year"


def national_id_century(digit: int) -> int:
    """The first year of the century the fourth digit stands for (0/1 -> 1900, 2/3 -> 2000...)."""
    return 1900 + 100 * (digit // 2)


def national_id_findings(value: str, gender: str | None, birth_date: dt.date | None) -> list[tuple[str, str]]:
    """(kind, message) for each way the ID disagrees with the rules or the record; [] when it agrees.

    Only ASCII digits count as digits (str.isdigit() also accepts "²" or "٣", which int() refuses
    or the database's [0-9] does not match).
    """
    if len(value) != 12 or not (value.isascii() and value.isdigit()):
        return [(NID_FORMAT, _("Số định danh cá nhân phải gồm đúng 12 chữ số."))]
    findings = []
    if value[:3] not in PROVINCE_CODES:
        findings.append((NID_PROVINCE, _("Ba số đầu %(code)s không phải mã tỉnh nơi đăng ký khai sinh.") % {"code": value[:3]}))
    digit = int(value[3])
    female = digit % 2 == 1
    if gender and (female != (gender == Gender.FEMALE)):
        findings.append((NID_GENDER, _("Chữ số thứ tư (%(digit)s) chỉ giới tính %(id_gender)s, khác với giới tính trong hồ sơ.") % {
            "digit": digit, "id_gender": Gender.FEMALE.label if female else Gender.MALE.label}))
    if birth_date:
        year = national_id_century(digit) + int(value[4:6])
        if year != birth_date.year:
            findings.append((NID_BIRTH_YEAR, _("Số định danh ứng với năm sinh %(year)s, khác với năm sinh %(birth)s trong hồ sơ.") % {
                "year": year, "birth": birth_date.year}))
    return findings


def national_id_problems(value: str, gender: str | None, birth_date: dt.date | None, precision: str = DatePrecision.DAY) -> list[str]:
    return [message for _kind, message in national_id_findings(value, gender, birth_date)]


# ---------------------------------------------------------------- names
#
# What a Vietnamese name is made of: the Latin letters with Vietnamese diacritics (precomposed,
# as coso.lib.text.clean stores them, NFC), spaces, the hyphen and the apostrophe of names of
# the Central Highlands ("H'Hen Niê", "Y-Ngông"). Anything else (digits, <>{}[]=@#…, markup)
# is no part of a name: an error (the import refuses the row, the quality pages count it).
# An honorific left before the name ("Ông", "Bà", "Quý cô", "Đồng chí", "Đ/c"…) is a warning,
# not an error: "Ông" is also a real family name (Ông Ích Khiêm), so a person may legitimately
# begin with it; the user confirms or takes it out.

VIETNAMESE_LOWER = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵfjwz"
NAME_LETTERS = VIETNAMESE_LOWER + VIETNAMESE_LOWER.upper()
# a pattern that both Python's re and the databases' regular expressions (PostgreSQL ~, SQLite's
# REGEXP as Django defines it) read the same way: only literal characters in the classes
NAME_PATTERN = "^[" + NAME_LETTERS + " '-]*$"
HONORIFICS = ("Quý ông", "Quý bà", "Quý cô", "Đồng chí", "Đ/c", "Đ.c", "Ông", "Bà", "Anh", "Chị", "Cô", "Chú", "Bác", "Cụ", "Thầy")


def _cases(word: str) -> list[str]:
    return sorted({word, word.lower(), word.upper(), word[:1].upper() + word[1:].lower()})


# at the start of the name, followed by a space and more of the name; both cases written out
# (PostgreSQL's case-insensitive match of "Đ" depends on the database's locale)
HONORIFIC_PATTERN = "^(" + "|".join(re.escape(c).replace("\\ ", " ") for h in HONORIFICS for c in _cases(h)) + ") +[^ ]"
MARKUP_PATTERN = "<[^>]*>|<[A-Za-z/!]"
NAME_MARKUP, NAME_CHARACTERS, NAME_HONORIFIC = "markup", "characters", "honorific"


def name_findings(name: str) -> list[tuple[str, str, str]]:
    """(kind, level, message) for each way the name is not a name; [] when it is one.

    kind: NAME_MARKUP or NAME_CHARACTERS (level "error"), NAME_HONORIFIC ("warning")."""
    if not name:
        return []
    findings = []
    if re.search(MARKUP_PATTERN, name):
        findings.append((NAME_MARKUP, "error", _("Họ và tên chứa mã HTML (%(text)s): đó không phải là tên người.") % {
            "text": re.search(MARKUP_PATTERN, name).group(0)}))
    elif not re.search(NAME_PATTERN, name):
        odd = sorted({c for c in name if c not in NAME_LETTERS and c not in " '-"})
        findings.append((NAME_CHARACTERS, "error", _(
            "Họ và tên có ký tự không có trong tên người Việt Nam: %(chars)s (chỉ gồm chữ cái, dấu cách, gạch nối, dấu nháy đơn)."
        ) % {"chars": " ".join(f"«{c}»" for c in odd)}))
    honorific = re.search(HONORIFIC_PATTERN, name)
    if honorific:
        word = honorific.group(1)
        findings.append((NAME_HONORIFIC, "warning", _(
            "Họ và tên bắt đầu bằng «%(word)s», có thể là danh xưng còn sót (Ông, Bà, Anh, Chị, Cô, Chú, Đồng chí…): "
            "bỏ danh xưng, chỉ ghi họ và tên (nếu đó đúng là họ, như họ Ông, thì giữ nguyên)."
        ) % {"word": word}))
    return findings


def name_problems(name: str, level: str | None = None) -> list[str]:
    return [message for _kind, lvl, message in name_findings(name) if level is None or lvl == level]
