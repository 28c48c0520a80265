"""Reference enumerations of a member record (../shared/domain/reference.md §6).

Ethnic groups: the 54 groups with their codes under QĐ 1019/QĐ-TCTK (2008), the list the
reference recommends. Codes 01-20 were read in the sources; 21-54 follow the reference's table,
marked there as to be verified against the decision's file (ETHNICITY_CODE_LIST says which list).
Religions: codes 01-14 under QĐ 1019/QĐ-TCTK (14 added by QĐ 132/QĐ-TGCP, 2014), "00" for none.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

ETHNICITY_CODE_LIST = "QĐ 1019/QĐ-TCTK (12/11/2008)"

ETHNIC_GROUPS = [
    ("01", "Kinh"), ("02", "Tày"), ("03", "Thái"), ("04", "Mường"), ("05", "Khơ-me"), ("06", "Hoa"),
    ("07", "Nùng"), ("08", "Mông"), ("09", "Dao"), ("10", "Gia-rai"), ("11", "Ê-đê"), ("12", "Ba-na"),
    ("13", "Sán Chay"), ("14", "Chăm"), ("15", "Cơ-ho"), ("16", "Xơ-đăng"), ("17", "Sán Dìu"), ("18", "Hrê"),
    ("19", "Ra-glai"), ("20", "Mnông"), ("21", "Thổ"), ("22", "Xtiêng"), ("23", "Khơ-mú"), ("24", "Bru-Vân Kiều"),
    ("25", "Cơ-tu"), ("26", "Giáy"), ("27", "Tà-ôi"), ("28", "Mạ"), ("29", "Giẻ-Triêng"), ("30", "Co"),
    ("31", "Chơ-ro"), ("32", "Xinh-mun"), ("33", "Hà Nhì"), ("34", "Chu-ru"), ("35", "Lào"), ("36", "La Chí"),
    ("37", "Kháng"), ("38", "Phù Lá"), ("39", "La Hủ"), ("40", "La Ha"), ("41", "Pà Thẻn"), ("42", "Lự"),
    ("43", "Ngái"), ("44", "Chứt"), ("45", "Lô Lô"), ("46", "Mảng"), ("47", "Cờ Lao"), ("48", "Bố Y"),
    ("49", "Cống"), ("50", "Si La"), ("51", "Pu Péo"), ("52", "Rơ-măm"), ("53", "Brâu"), ("54", "Ơ-đu"),
    ("55", "Dân tộc khác"), ("56", "Người nước ngoài nhập quốc tịch Việt Nam"),
]
KINH = "01"

# Spellings found in office files, folded (coso.lib.text.fold) -> code; imports use them.
ETHNIC_ALIASES = {
    "viet": "01", "kinh (viet)": "01", "khmer": "05", "kho me": "05", "khome": "05", "han": "06",
    "hmong": "08", "h'mong": "08", "h mong": "08", "meo": "08", "jrai": "10", "gia rai": "10",
    "ede": "11", "e de": "11", "bahnar": "12", "ba na": "12", "cao lan": "13", "san chi": "13",
    "cham": "14", "k'ho": "15", "co ho": "15", "sedang": "16", "xo dang": "16", "raglai": "19", "ra glai": "19",
    "m'nong": "20", "mnong": "20", "stieng": "22", "x'tieng": "22", "xtieng": "22", "kho mu": "23",
    "van kieu": "24", "bru van kieu": "24", "co tu": "25", "katu": "25", "ta oi": "27", "gie trieng": "29",
    "cho ro": "31", "xinh mun": "32", "ha nhi": "33", "chu ru": "34", "co lao": "47", "bo y": "48",
    "ro mam": "52", "o du": "54",
}

RELIGIONS = [
    ("00", "Không"), ("01", "Phật giáo"), ("02", "Công giáo"), ("03", "Phật giáo Hòa Hảo"), ("04", "Hồi giáo"),
    ("05", "Cao Đài"), ("06", "Minh Sư đạo"), ("07", "Minh Lý đạo"), ("08", "Tin Lành"),
    ("09", "Tịnh độ Cư sĩ Phật hội Việt Nam"), ("10", "Đạo Tứ Ân Hiếu Nghĩa"), ("11", "Bửu Sơn Kỳ Hương"),
    ("12", "Đạo Ba Ha'i"), ("13", "Bà La Môn"), ("14", "Mặc Môn"), ("99", "Tôn giáo khác"),
]
NO_RELIGION = "00"


class Gender(models.TextChoices):
    MALE = "M", _("Nam")
    FEMALE = "F", _("Nữ")


class TheoryLevel(models.TextChoices):
    """Political theory: the highest degree held (3-TCTW groups cao cấp with cử nhân)."""

    NONE = "none", _("Chưa qua đào tạo")
    ELEMENTARY = "so_cap", _("Sơ cấp")
    INTERMEDIATE = "trung_cap", _("Trung cấp")
    ADVANCED = "cao_cap", _("Cao cấp")
    BACHELOR = "cu_nhan", _("Cử nhân")


class Qualification(models.TextChoices):
    """Professional qualification, by the national education system (reference §6.5)."""

    NONE = "none", _("Chưa qua đào tạo")
    ELEMENTARY = "so_cap", _("Sơ cấp")
    VOCATIONAL = "trung_cap", _("Trung cấp")
    COLLEGE = "cao_dang", _("Cao đẳng")
    UNIVERSITY = "dai_hoc", _("Đại học")
    MASTER = "thac_si", _("Thạc sĩ")
    DOCTOR = "tien_si", _("Tiến sĩ")


class AcademicTitle(models.TextChoices):
    NONE = "", _("Không")
    ASSOCIATE_PROFESSOR = "pgs", _("Phó giáo sư")
    PROFESSOR = "gs", _("Giáo sư")


class DatePrecision(models.TextChoices):
    """Old records often know only the year (or month) of birth: kept as such, never invented."""

    DAY = "day", _("Ngày")
    MONTH = "month", _("Tháng")
    YEAR = "year", _("Năm")
