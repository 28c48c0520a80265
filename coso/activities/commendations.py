"""Commendations (khen thưởng) in the Party: the forms, the periods, who may award which form to
whom (the authority ladder, dated), and what makes an organization or a member eligible for a
multi-year award. Pure: no database.

Sources (../shared/domain/political-system.md §H, reference.md §3 on the 21-HD/BTCTW titles):

- LADDERS[0], 29-QĐ/TW mục 27.2 (2016): a chi bộ (subordinate cell) praises (biểu dương) its party
  groups and members; a đảng ủy bộ phận praises organizations and members within it; a chi bộ cơ sở
  praises and gives giấy khen to its members; a đảng ủy cơ sở praises and gives giấy khen to
  organizations and members; a huyện ủy and equivalent gives giấy khen to organizations and
  members; a tỉnh ủy and equivalent gives bằng khen and cờ to organizations and bằng khen to
  members. Huy hiệu Đảng stays with the member lifecycle (badges), not here. The date the ladder
  took effect is taken as the regulation's date; earlier records are checked against it too.
- LADDERS[1], from 01/07/2025 (294-QĐ/TW: no district committee): who grants giấy khen is
  UNCONFIRMED; presumed the commune committee as the superior level (praise and giấy khen to
  organizations and members), the province unchanged. A committee that sets its own ladder adds a
  dated entry here.
- State awards (orders, medals, the Government's flags and certificates) follow the state's
  emulation law: the awarding body is a state authority, recorded by name, not checked here.
- Eligibility for a five-year award ("… 5 năm liền") is provincial practice (Nghệ An, Vĩnh Long,
  Sơn La): rated "Hoàn thành xuất sắc nhiệm vụ" (before 2018 for organizations "Trong sạch, vững
  mạnh") in each of the last five years, with no discipline in them. ELIGIBILITY holds the number
  of years and the lowest level that counts as a setting with its default; some committees also
  consider "Hoàn thành tốt nhiệm vụ" (SECONDARY, set per committee).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

UNCONFIRMED = "UNCONFIRMED"


class Form(models.TextChoices):
    PRAISE = "praise", _("Biểu dương")
    CERTIFICATE = "certificate", _("Giấy khen")
    MERIT = "merit", _("Bằng khen")
    FLAG = "flag", _("Cờ thi đua")
    STATE = "state", _("Khen thưởng của Nhà nước (huân chương, huy chương, danh hiệu)")


class PeriodKind(models.TextChoices):
    YEAR = "year", _("Hằng năm")
    FIVE_YEARS = "five_years", _("5 năm liền")
    TERM = "term", _("Nhiệm kỳ")
    CAMPAIGN = "campaign", _("Theo chuyên đề, phong trào")
    IRREGULAR = "irregular", _("Đột xuất")


class Recipient(models.TextChoices):
    MEMBER = "member", _("Đảng viên")
    ORGANIZATION = "organization", _("Tổ chức đảng")


# organization kinds (organizations.models.Kind values), spelled here so that the rules import no model
PROVINCE, DISTRICT, COMMUNE = "province", "district", "commune"
GR_COMMITTEE, GR_CELL, PARTIAL, SUB_CELL = "gr_committee", "gr_cell", "partial", "sub_cell"

M, O = Recipient.MEMBER, Recipient.ORGANIZATION


@dataclass(frozen=True)
class Ladder:
    valid_from: dt.date
    source: str
    # organization kind of the awarding body → recipient kind → the forms it may award
    grants: dict = field(default_factory=dict)

    def forms(self, body_kind: str, recipient: str) -> tuple[str, ...]:
        return tuple(self.grants.get(body_kind, {}).get(recipient, ()))


_P, _C, _B, _F = Form.PRAISE, Form.CERTIFICATE, Form.MERIT, Form.FLAG

LADDER_2016 = {
    SUB_CELL: {M: (_P,), O: (_P,)},  # its party groups
    PARTIAL: {M: (_P,), O: (_P,)},
    GR_CELL: {M: (_P, _C)},
    GR_COMMITTEE: {M: (_P, _C), O: (_P, _C)},
    DISTRICT: {M: (_C,), O: (_C,)},
    PROVINCE: {M: (_B,), O: (_B, _F)},
}

LADDERS = [
    Ladder(dt.date(2016, 7, 25), "29-QĐ/TW (25/07/2016) mục 27.2", LADDER_2016),
    Ladder(dt.date(2025, 7, 1), "294-QĐ/TW (từ 01/07/2025): cấp trên cơ sở (đảng bộ xã, phường) tặng giấy khen — UNCONFIRMED",
           {**{k: v for k, v in LADDER_2016.items() if k != DISTRICT}, COMMUNE: {M: (_P, _C), O: (_P, _C)}}),
]


def ladder_on(day: dt.date) -> Ladder:
    found = LADDERS[0]
    for ladder in LADDERS:
        if ladder.valid_from <= day:
            found = ladder
    return found


def may_award(body_kind: str, form: str, recipient: str, on: dt.date) -> bool:
    """Whether a party body of this kind may award the form to this kind of recipient on the date
    (state awards are the state's: never a party body's)."""
    return form != Form.STATE and form in ladder_on(on).forms(body_kind, recipient)


@dataclass(frozen=True)
class Eligibility:
    years: int
    # the level codes (evaluation.rules) that count as met, for organizations and members; the
    # pre-2018 organization label "Trong sạch, vững mạnh" (tsvm) is the excellent level of its scale
    organization_levels: tuple[str, ...]
    member_levels: tuple[str, ...]
    source: str


EXCELLENT_ONLY = Eligibility(
    years=5, organization_levels=("htxs", "tsvm"), member_levels=("htxs",),
    source="21-HD/BTCTW; quy định khen thưởng của tỉnh ủy (Nghệ An, Vĩnh Long, Sơn La): HTXSNV 5 năm liền, không bị kỷ luật")
GOOD_OR_BETTER = Eligibility(
    years=5, organization_levels=("htxs", "tsvm", "htt"), member_levels=("htxs", "htt"),
    source="Theo quy định của cấp ủy: từ “Hoàn thành tốt nhiệm vụ” trở lên 5 năm liền, không bị kỷ luật — SECONDARY")
ELIGIBILITY = {"excellent": EXCELLENT_ONLY, "good": GOOD_OR_BETTER}
DEFAULT_ELIGIBILITY = "excellent"


def years_window(last_year: int, rule: Eligibility) -> tuple[int, int]:
    return last_year - rule.years + 1, last_year
