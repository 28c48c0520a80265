"""Quy định 124-QĐ/TW (Bộ Chính trị, 04/10/2023) with Hướng dẫn 25-HD/BTCTW (Ban Tổ chức Trung ương,
10/11/2023). Reference §3.3.

In force for periods ending from 04/10/2023 (its date; it governed the 2023 round, guided by HD 25
of 10/11/2023) until 366-QĐ/TW (30/08/2025). Yearly periods only.

Rules checked:

1. discipline.member: an individual disciplined in the year is rated KHTNV, "trừ trường hợp tự
   phát hiện và khắc phục xong hậu quả" (124 Điều 12, khoản 4). The exception is recorded on the
   rating as the condition self_remedied. Any discipline form counts.
   https://xaydungchinhsach.chinhphu.vn/print/quy-dinh-124-qd-tw-cac-truong-hop-tap-the-ca-nhan-duoc-xep-loai-khong-hoan-thanh-nhiem-vu-119231009165620474.htm
   124 Điều 12.4.5: a breach of an earlier year disciplined only now is weighed by the superior
   organization, which re-rates the year of the breach (a Correction of that year's rating). The
   records keep the discipline's date, not the breach's, so the rule reads the discipline's date.
2. cap.members (configurable): HTXSNV members ≤ 20% of HTTNV members per grassroots organization.
   Reference §8.3 gives it for the 2019–2023 party rules "(cfg)"; its wording under 124/HD 25 is
   not quoted in the sources found, so the period carries the percentage and may clear it.

   The competent level's finding that the member found the breach and remedied it (RemediedBreach,
   with its evidence) lifts the rule; so does the older condition self_remedied on the rating.
   HD 25 Mục 4 (a breach of an earlier year decided this year) was not retrieved: UNCONFIRMED;
   the rule keys on the decision's date, the breach's shown beside it.
3. organization.units_disciplined: a collective is rated KHTNV when "tập thể lãnh đạo, quản lý bị
   xử lý kỷ luật hoặc có trên 20% số đơn vị trực thuộc bị kỷ luật trong năm" (124 Điều 12.4;
   evaluation-answers.md §4, SECONDARY verbatim). An organization's discipline is read from the
   records (coso/inspection: an enforced decision with effect in the year, not annulled), or
   recorded by the proposal as the condition "disciplined" of the unit's rating.
4. leader.collective (a setting, off by default): no rule that a leader may not be rated above
   the collective was found for 124 (evaluation-answers.md §4: UNCONFIRMED).

Not checked, for want of records: a corruption case in a subordinate unit, targets met under 50%,
internal disunity (124 Điều 12.4); the organization-against-its-members proportions of HD 25
(UNCONFIRMED).
"""

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext_lazy

from ..choices import PeriodKind, SubjectKind
from . import base
from .base import FAILED, FOUR_LEVELS, Level, Violation

CODE = "qd124_2023"
TITLE = gettext_lazy("Quy định 124-QĐ/TW ngày 04/10/2023 của Bộ Chính trị; Hướng dẫn 25-HD/BTCTW ngày 10/11/2023 của Ban Tổ chức Trung ương")
SHORT = gettext_lazy("124-QĐ/TW, 25-HD/BTCTW")
IN_FORCE_FROM = dt.date(2023, 10, 4)
PERIOD_KINDS = (PeriodKind.YEAR,)
SCORED = False
DEFAULT_CAP_PERCENT = 20
# whether the competent level's finding that a breach was found and remedied lifts the discipline rule
REMEDIES = True

SOURCE_DISCIPLINE = gettext_lazy("Quy định 124-QĐ/TW ngày 04/10/2023, Điều 12, khoản 4")
SOURCE_CAP = gettext_lazy("Hướng dẫn 25-HD/BTCTW ngày 10/11/2023 (tỷ lệ xếp loại “Hoàn thành xuất sắc nhiệm vụ”)")
SOURCE_UNITS = gettext_lazy("Quy định 124-QĐ/TW ngày 04/10/2023, Điều 12, khoản 4 (tập thể)")
SOURCE_LEADER = gettext_lazy("cấu hình của kỳ đánh giá (người đứng đầu không cao hơn tập thể)")
UNITS_SHARE = Decimal("0.2")  # "trên 20% số đơn vị trực thuộc bị kỷ luật"

SETTINGS = (
    base.Setting("cap_percent", DEFAULT_CAP_PERCENT, base.NOT_FOUND, base.UNCONFIRMED),
    base.Setting("cap_base", base.BASE_GOOD, base.NOT_FOUND, base.UNCONFIRMED),
    base.Setting("cap_rounding", base.ROUND_DOWN, base.NO_ROUNDING_RULE, base.UNCONFIRMED),
    base.Setting("cap_groups", None, base.NOT_FOUND, base.UNCONFIRMED),
    base.Setting("leader_not_above_collective", False, base.NOT_FOUND_OFF, base.UNCONFIRMED),
)


def levels_for(kind: str) -> tuple[Level, ...]:
    return FOUR_LEVELS


def label(kind: str, code: str | None) -> str:
    return next((str(level.label) for level in FOUR_LEVELS if level.code == code), "")


def _label(code: str) -> str:
    return label(SubjectKind.MEMBER, code)


def check(ratings, context) -> list[Violation]:
    ratings = list(ratings)
    out = []
    out += base.cap_excellent(ratings, context, source=str(SOURCE_CAP), label=_label)
    out += base.disciplined_person(ratings, context, highest=FAILED, exempt="self_remedied", remedies=True,
                                   source=str(SOURCE_DISCIPLINE), label=_label)
    out += base.units_disciplined(ratings, kinds=(SubjectKind.ORGANIZATION, SubjectKind.COLLECTIVE), share=UNITS_SHARE, highest=FAILED,
                                  itself=True, source=str(SOURCE_UNITS), label=_label, context=context)
    out += base.leader_not_above_collective(ratings, context, source=str(SOURCE_LEADER), label=_label)
    return base.sort_violations(out)
