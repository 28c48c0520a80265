"""The theory level a post requires, and when a holder is due for refresher training: dated
configuration (../shared/domain/political-system.md §C.3), not hard rules.

No current central text states the minimum level for a commune post (§C.3: UNCONFIRMED). What the
sources give:

- under NĐ 33/2023 (Điều 8.5, 10.4) each province set the standards of commune cadres; the seed
  resolution (Thạnh Trị, 2020–2025) sets "95% cán bộ, công chức có trình độ trung cấp LLCT" and
  "100% cấp trưởng … đạt cao cấp": trung cấp for the commune's leaders until 28/08/2025;
- Quy định 350-QĐ/TW (29/08/2025) makes commune committee members, the HĐND, UBND and Front
  chairs and the commune's department heads eligible for cao cấp: cao cấp is then the target for
  the commune's leaders, trung cấp for the committee members and deputy heads.

Posts are keyed by a title code (coso/grassroots maps its catalog of titles to these codes in
`selectors.TRAINING_TITLES`; coso/staffing's positions use the same codes). A province's own standards are a new
generation of this table, with its dates and source.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from coso.lib.dated import in_force
from coso.people.choices import TheoryLevel

UNCONFIRMED = "UNCONFIRMED"
SECONDARY = "SECONDARY"

QD350 = dt.date(2025, 8, 29)

# title code -> label (the titles this table names; posts and positions use the same codes)
TITLES = {
    "bi_thu": _("Bí thư đảng ủy xã, phường"),
    "pho_bi_thu": _("Phó bí thư đảng ủy xã, phường"),
    "cap_uy_vien": _("Ủy viên ban chấp hành đảng bộ xã, phường"),
    "chu_tich_hdnd": _("Chủ tịch Hội đồng nhân dân xã, phường"),
    "chu_tich_ubnd": _("Chủ tịch Ủy ban nhân dân xã, phường"),
    "pho_chu_tich_ubnd": _("Phó Chủ tịch Ủy ban nhân dân xã, phường"),
    "chu_tich_mttq": _("Chủ tịch Ủy ban Mặt trận Tổ quốc xã, phường"),
    "truong_phong": _("Trưởng phòng chuyên môn cấp xã"),
    "chi_huy_truong_qs": _("Chỉ huy trưởng quân sự cấp xã"),
    "bi_thu_chi_bo": _("Bí thư chi bộ"),
    "cong_chuc": _("Công chức cấp xã"),
}


@dataclass(frozen=True)
class Requirement:
    title: str
    level: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    source: str
    status: str = UNCONFIRMED

    def in_force_on(self, on: dt.date) -> bool:
        return in_force(self.valid_from, self.valid_to, on)


_BEFORE = "NĐ 33/2023/NĐ-CP Điều 8.5, 10.4 (tỉnh quy định tiêu chuẩn); mục tiêu nghị quyết Thạnh Trị 2020–2025"
_AFTER = "QĐ 350-QĐ/TW (29/08/2025): đối tượng đào tạo cao cấp, trung cấp"

REQUIREMENTS: list[Requirement] = [
    *(Requirement(t, TheoryLevel.INTERMEDIATE, None, QD350, _BEFORE) for t in (
        "bi_thu", "pho_bi_thu", "cap_uy_vien", "chu_tich_hdnd", "chu_tich_ubnd", "pho_chu_tich_ubnd", "chu_tich_mttq",
        "truong_phong", "chi_huy_truong_qs", "cong_chuc")),
    Requirement("bi_thu_chi_bo", TheoryLevel.ELEMENTARY, None, QD350, _BEFORE),
    *(Requirement(t, TheoryLevel.ADVANCED, QD350, None, _AFTER) for t in (
        "bi_thu", "pho_bi_thu", "chu_tich_hdnd", "chu_tich_ubnd", "chu_tich_mttq", "truong_phong", "chi_huy_truong_qs")),
    *(Requirement(t, TheoryLevel.INTERMEDIATE, QD350, None, _AFTER) for t in ("cap_uy_vien", "pho_chu_tich_ubnd", "cong_chuc")),
    Requirement("bi_thu_chi_bo", TheoryLevel.INTERMEDIATE, QD350, None, _AFTER),
]


def required_levels(on: dt.date) -> dict[str, Requirement]:
    """{title code: the requirement in force on the date}."""
    return {r.title: r for r in REQUIREMENTS if r.in_force_on(on)}


@dataclass(frozen=True)
class RefresherRule:
    """A holder of a post is due for refresher training when no short course was completed in the
    last `years` years (QĐ 360-QĐ/TW names refresher training of commune cadres among the commune
    centre's tasks; the interval is not found in the sources: UNCONFIRMED)."""

    years: int
    valid_from: dt.date | None
    valid_to: dt.date | None
    source: str
    status: str = UNCONFIRMED


REFRESHER_RULES = [
    RefresherRule(5, None, None, "QĐ 360-QĐ/TW (2025): bồi dưỡng cập nhật kiến thức cho cán bộ cấp xã; chu kỳ chưa xác minh"),
]


def refresher_rule(on: dt.date) -> RefresherRule:
    for rule in REFRESHER_RULES:
        if in_force(rule.valid_from, rule.valid_to, on):
            return rule
    return REFRESHER_RULES[-1]
