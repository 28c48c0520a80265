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

Not checked, for want of records: collectives whose subordinate units were disciplined (more than
20% of them, or a corruption case), targets met under 50%, internal disunity (124 Điều 12.4); the
organization-against-its-members proportions of HD 25 (UNCONFIRMED).
"""

import datetime as dt

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

SOURCE_DISCIPLINE = gettext_lazy("Quy định 124-QĐ/TW ngày 04/10/2023, Điều 12, khoản 4")
SOURCE_CAP = gettext_lazy("Hướng dẫn 25-HD/BTCTW ngày 10/11/2023 (tỷ lệ xếp loại “Hoàn thành xuất sắc nhiệm vụ”)")


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
    out += base.disciplined_person(ratings, context, highest=FAILED, exempt="self_remedied", source=str(SOURCE_DISCIPLINE),
                                   label=_label)
    return base.sort_violations(out)
