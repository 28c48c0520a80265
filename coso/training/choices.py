"""The enumerations of political-theory training (../shared/domain/political-system.md §C.1–C.2,
reference.md §6.3)."""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from coso.people.choices import TheoryLevel


class Program(models.TextChoices):
    """What a course teaches: a degree programme (đào tạo), which gives a theory level, or a short
    course (bồi dưỡng), which does not."""

    ELEMENTARY = "so_cap", _("Sơ cấp lý luận chính trị")
    INTERMEDIATE = "trung_cap", _("Trung cấp lý luận chính trị")
    ADVANCED = "cao_cap", _("Cao cấp lý luận chính trị")
    BACHELOR = "cu_nhan", _("Cử nhân lý luận chính trị")
    PARTY_AWARENESS = "nhan_thuc", _("Bồi dưỡng nhận thức về Đảng")
    NEW_MEMBERS = "dang_vien_moi", _("Bồi dưỡng lý luận chính trị cho đảng viên mới")
    COMMITTEE_MEMBERS = "cap_uy", _("Bồi dưỡng nghiệp vụ công tác đảng cho cấp ủy viên, bí thư chi bộ")
    REFRESHER = "cap_nhat", _("Bồi dưỡng cập nhật kiến thức")


# the theory level a completed degree programme gives (short courses give none)
LEVEL_OF_PROGRAM = {
    Program.ELEMENTARY: TheoryLevel.ELEMENTARY,
    Program.INTERMEDIATE: TheoryLevel.INTERMEDIATE,
    Program.ADVANCED: TheoryLevel.ADVANCED,
    Program.BACHELOR: TheoryLevel.BACHELOR,
}
DEGREE_PROGRAMS = tuple(LEVEL_OF_PROGRAM)
SHORT_PROGRAMS = tuple(p for p in Program if p not in LEVEL_OF_PROGRAM)

# "count only the highest degree held" (reference §6.3): the order of the levels; cử nhân is above
# cao cấp, and 3-TCTW groups them together
RANK = {"": 0, TheoryLevel.NONE: 0, TheoryLevel.ELEMENTARY: 1, TheoryLevel.INTERMEDIATE: 2, TheoryLevel.ADVANCED: 3,
        TheoryLevel.BACHELOR: 4}
LEVEL_OF_RANK = {1: TheoryLevel.ELEMENTARY, 2: TheoryLevel.INTERMEDIATE, 3: TheoryLevel.ADVANCED, 4: TheoryLevel.BACHELOR}


class Body(models.TextChoices):
    """Who trains (§C.1): the district centre until 30/06/2025, the commune centre (QĐ 360-QĐ/TW)
    after, the provincial school and the National Academy for trung cấp and cao cấp."""

    DISTRICT_CENTRE = "ttct_huyen", _("Trung tâm chính trị cấp huyện")
    COMMUNE_CENTRE = "ttct_xa", _("Trung tâm chính trị cấp xã")
    PROVINCIAL_SCHOOL = "truong_tinh", _("Trường chính trị tỉnh, thành phố")
    NATIONAL_ACADEMY = "hoc_vien", _("Học viện Chính trị quốc gia Hồ Chí Minh")
    OTHER = "khac", _("Cơ sở đào tạo khác")


class Mode(models.TextChoices):
    FULL_TIME = "tap_trung", _("Tập trung")
    PART_TIME = "khong_tap_trung", _("Không tập trung")


class Result(models.TextChoices):
    EXCELLENT = "xuat_sac", _("Xuất sắc")
    GOOD = "gioi", _("Giỏi")
    FAIR = "kha", _("Khá")
    PASSED = "dat", _("Đạt")


# when each training body existed (§C.1): the district political centres ended with the districts on
# 01/07/2025; the commune centres (QĐ 360-QĐ/TW) begin with the two-tier model. None: no bound.
TWO_TIER = dt.date(2025, 7, 1)
BODY_PERIODS = {
    Body.DISTRICT_CENTRE: (None, TWO_TIER),
    Body.COMMUNE_CENTRE: (TWO_TIER, None),
}
