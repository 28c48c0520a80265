"""Dated reference data of commune staffing (../shared/domain/political-system.md §B).

Categories of staff are an effective-dated enumeration: the commune-level categories of the 2008
law (NĐ 33/2023) until 30/06/2025; the unified cán bộ, công chức of Luật 80/2025/QH15 after; the
commune part-time staff (người hoạt động không chuyên trách cấp xã), whose use ended on
01/08/2025 (Công văn 03/CV-BCĐ 2025, point 2.6), with a transitional category for those a
province kept until before 31/05/2026 (the Ministry of Home Affairs' handbook). That end is data
here: an employment of a category is refused on a day the category is not in force, and
services.end_commune_part_time closes the open ones on the category's last day.

The bases of streamlining exits (tinh giản biên chế) are the decrees in force on the exit's date.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from coso.lib.dated import in_force

TWO_TIER = dt.date(2025, 7, 1)
PART_TIME_END = dt.date(2025, 8, 1)  # Công văn 03/CV-BCĐ 2025, point 2.6
TRANSITION_END = dt.date(2026, 5, 31)  # "until before 31/05/2026" (the Ministry's handbook)


class Category(models.TextChoices):
    COMMUNE_CADRE = "can_bo_xa", _("Cán bộ cấp xã")
    COMMUNE_CIVIL_SERVANT = "cong_chuc_xa", _("Công chức cấp xã")
    COMMUNE_PART_TIME = "kct_xa", _("Người hoạt động không chuyên trách cấp xã")
    CADRE = "can_bo", _("Cán bộ")
    CIVIL_SERVANT = "cong_chuc", _("Công chức")
    PUBLIC_EMPLOYEE = "vien_chuc", _("Viên chức")
    PART_TIME_RETAINED = "kct_xa_chuyen_tiep", _("Người hoạt động không chuyên trách cấp xã được giữ lại (chuyển tiếp)")
    VILLAGE_PART_TIME = "kct_thon", _("Người hoạt động không chuyên trách ở thôn, tổ dân phố")
    VILLAGE_DIRECT = "truc_tiep_thon", _("Người trực tiếp tham gia hoạt động ở thôn, tổ dân phố")


@dataclass(frozen=True)
class Span:
    valid_from: dt.date | None
    valid_to: dt.date | None  # the first day it is no longer in force
    source: str

    def in_force_on(self, on: dt.date) -> bool:
        return in_force(self.valid_from, self.valid_to, on)


CATEGORY_SPANS: dict[str, Span] = {
    Category.COMMUNE_CADRE: Span(None, TWO_TIER, "Luật Cán bộ, công chức 2008 Điều 61; NĐ 33/2023/NĐ-CP"),
    Category.COMMUNE_CIVIL_SERVANT: Span(None, TWO_TIER, "NĐ 33/2023/NĐ-CP (6 chức danh)"),
    Category.COMMUNE_PART_TIME: Span(None, PART_TIME_END, "NĐ 33/2023/NĐ-CP; chấm dứt từ 01/08/2025 (Công văn 03/CV-BCĐ 2025, mục 2.6)"),
    Category.CADRE: Span(TWO_TIER, None, "Luật Cán bộ, công chức 80/2025/QH15 (ngày hiệu lực: UNCONFIRMED)"),
    Category.CIVIL_SERVANT: Span(TWO_TIER, None, "Luật Cán bộ, công chức 80/2025/QH15 (ngày hiệu lực: UNCONFIRMED)"),
    Category.PUBLIC_EMPLOYEE: Span(None, None, "Luật Viên chức"),
    Category.PART_TIME_RETAINED: Span(PART_TIME_END, TRANSITION_END, "Sổ tay của Bộ Nội vụ: giữ lại đến trước 31/05/2026"),
    Category.VILLAGE_PART_TIME: Span(None, None, "NĐ 33/2023/NĐ-CP (tối đa 3 người hưởng phụ cấp mỗi thôn)"),
    Category.VILLAGE_DIRECT: Span(None, None, "NĐ 33/2023/NĐ-CP"),
}

# the groups figures are given in (seed: Đắk Mil, "cán bộ, công chức cấp xã 246 → 216", "người hoạt
# động không chuyên trách 179 → 108")
CADRES_AND_CIVIL_SERVANTS = (Category.COMMUNE_CADRE, Category.COMMUNE_CIVIL_SERVANT, Category.CADRE, Category.CIVIL_SERVANT)
COMMUNE_PART_TIME = (Category.COMMUNE_PART_TIME, Category.PART_TIME_RETAINED)


def categories_on(on: dt.date) -> list[str]:
    return [c for c in Category.values if CATEGORY_SPANS[c].in_force_on(on)]


class BodyKind(models.TextChoices):
    """The employing body of the commune (the bodies themselves come with coso/grassroots)."""

    PARTY = "dang", _("Cơ quan đảng")
    COUNCIL = "hdnd", _("Hội đồng nhân dân")
    COMMITTEE = "ubnd", _("Ủy ban nhân dân và các phòng chuyên môn")
    FRONT = "mttq", _("Mặt trận Tổ quốc và các đoàn thể")
    PUBLIC_SERVICE_UNIT = "dvsn", _("Đơn vị sự nghiệp công lập")
    VILLAGE = "thon", _("Thôn, tổ dân phố")


class Ending(models.TextChoices):
    """Why an employment ended."""

    STREAMLINING = "tinh_gian", _("Tinh giản biên chế")
    RESTRUCTURING = "sap_xep", _("Nghỉ do sắp xếp tổ chức bộ máy")
    POST_ABOLISHED = "bo_chuc_danh", _("Chấm dứt do bỏ chức danh")
    RECLASSIFIED = "chuyen_loai", _("Chuyển sang loại khác (vẫn làm việc)")
    RETIREMENT = "nghi_huu", _("Nghỉ hưu")
    TRANSFER = "chuyen_cong_tac", _("Chuyển công tác")
    END_OF_TERM = "het_nhiem_ky", _("Hết nhiệm kỳ, không tái cử")
    RESIGNED = "thoi_viec", _("Thôi việc theo nguyện vọng")
    DECEASED = "tu_tran", _("Từ trần")
    OTHER = "khac", _("Khác")


# endings that count as streamlining exits (the figures "62 cadres streamlined")
STREAMLINING_ENDINGS = (Ending.STREAMLINING, Ending.RESTRUCTURING)


class ExitForm(models.TextChoices):
    """The form of a streamlining exit (NĐ 29/2023, 154/2025; NĐ 178/2024 as amended by 67/2025)."""

    EARLY_RETIREMENT = "nghi_huu_truoc_tuoi", _("Nghỉ hưu trước tuổi")
    RESIGNATION = "thoi_viec_ngay", _("Thôi việc ngay")
    RESIGNATION_LATER = "thoi_viec_sau", _("Thôi việc sau khi đi học")
    NON_STATE = "chuyen_ngoai_nha_nuoc", _("Chuyển sang làm việc ở tổ chức ngoài nhà nước")
    LOWER_POST = "giu_chuc_vu_thap_hon", _("Thôi giữ chức vụ, giữ chức vụ thấp hơn")


@dataclass(frozen=True)
class Basis:
    code: str
    label: str
    span: Span


# The decree in force on the exit's date (§B.2). 29/2023 was replaced by 154/2025 from 16/06/2025;
# 178/2024 (in force 01/01/2025) was amended by 67/2025 (15/03/2025); 177/2024 covers cadres not
# re-elected on age grounds. In-force date of 29/2023: 20/07/2023 (UNCONFIRMED; issued 03/06/2023).
BASES: dict[str, Basis] = {b.code: b for b in [
    # before 29/2023: NĐ 108/2014/NĐ-CP (amended by 113/2018 and 143/2020); its dates here are UNCONFIRMED (not in the domain file)
    Basis("108/2014", _("Nghị định 108/2014/NĐ-CP về chính sách tinh giản biên chế"), Span(dt.date(2015, 1, 1), dt.date(2023, 7, 20), "NĐ 108/2014/NĐ-CP (UNCONFIRMED)")),
    Basis("29/2023", _("Nghị định 29/2023/NĐ-CP về tinh giản biên chế"), Span(dt.date(2023, 7, 20), dt.date(2025, 6, 16), "NĐ 29/2023/NĐ-CP")),
    Basis("154/2025", _("Nghị định 154/2025/NĐ-CP về tinh giản biên chế"), Span(dt.date(2025, 6, 16), dt.date(2031, 1, 1), "NĐ 154/2025/NĐ-CP (đến 31/12/2030)")),
    Basis("178/2024", _("Nghị định 178/2024/NĐ-CP (chính sách khi sắp xếp tổ chức bộ máy)"), Span(dt.date(2025, 1, 1), dt.date(2025, 3, 15), "NĐ 178/2024/NĐ-CP")),
    Basis("178/2024+67/2025", _("Nghị định 178/2024/NĐ-CP, sửa đổi bởi Nghị định 67/2025/NĐ-CP"), Span(dt.date(2025, 3, 15), None, "NĐ 178/2024/NĐ-CP; NĐ 67/2025/NĐ-CP")),
    Basis("177/2024", _("Nghị định 177/2024/NĐ-CP (cán bộ không đủ tuổi tái cử)"), Span(dt.date(2024, 12, 31), None, "NĐ 177/2024/NĐ-CP (ngày hiệu lực: UNCONFIRMED)")),
]}


def bases_on(on: dt.date) -> list[Basis]:
    return [b for b in BASES.values() if b.span.in_force_on(on)]
