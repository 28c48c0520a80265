"""Before 132-QĐ/TW: the scales of 20-HD/BTCTW (10/10/2008) and 27-HD/BTCTW (25/09/2014), kept so
that old results stay readable (reference §3.4). Nothing is checked: these periods are records
brought in from the past, not decisions made here.

Organizations were rated "trong sạch, vững mạnh" / "hoàn thành tốt nhiệm vụ" / "hoàn thành nhiệm
vụ" / "yếu kém"; members "đủ tư cách, hoàn thành xuất sắc / tốt / hoàn thành nhiệm vụ" / "vi
phạm tư cách hoặc không hoàn thành nhiệm vụ". The reference marks these exact labels UNCONFIRMED
(recalled, not read in the sources):
https://luatminhkhue.vn/huong-dan-20-hd-btctw-ve-danh-gia-chat-luong-to-chuc-co-so-dang-va-dang-vien-do-ban-to-chuc-trung-uong-ban-hanh.aspx
https://minhtungland.com/huong-dan-so-27-ngay-25-thang-9-nam-2014/
The grassroots Front and mass organizations' own "vững mạnh / khá / trung bình / yếu" scale is
UNCONFIRMED as well (reference §3.4).
"""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from ..choices import PeriodKind, SubjectKind
from .base import EXCELLENT, FAILED, GOOD, SATISFACTORY, Level

CODE = "hd27_2014"
TITLE = _("Hướng dẫn 20-HD/BTCTW ngày 10/10/2008 và 27-HD/BTCTW ngày 25/09/2014 của Ban Tổ chức Trung ương")
SHORT = _("27-HD/BTCTW")
# 20-HD/BTCTW is dated 10/10/2008 and governed the 2008 round; 27-HD/BTCTW replaced it in 2014.
IN_FORCE_FROM = dt.date(2008, 10, 10)
PERIOD_KINDS = (PeriodKind.YEAR,)
SCORED = False
DEFAULT_CAP_PERCENT = None

CLEAN_STRONG = "tsvm"
WEAK = "yeu_kem"
VIOLATED = "vi_pham"
STRONG = "vung_manh"
FAIR = "kha"
AVERAGE = "trung_binh"
POOR = "yeu"

ORGANIZATION_LEVELS = (
    Level(CLEAN_STRONG, _("Trong sạch, vững mạnh"), 4, "TSVM"),
    Level(GOOD, _("Hoàn thành tốt nhiệm vụ"), 3, "HTTNV"),
    Level(SATISFACTORY, _("Hoàn thành nhiệm vụ"), 2, "HTNV"),
    Level(WEAK, _("Yếu kém"), 1, "YK"),
)
MEMBER_LEVELS = (
    Level(EXCELLENT, _("Đủ tư cách, hoàn thành xuất sắc nhiệm vụ"), 4, "HTXSNV"),
    Level(GOOD, _("Đủ tư cách, hoàn thành tốt nhiệm vụ"), 3, "HTTNV"),
    Level(SATISFACTORY, _("Đủ tư cách, hoàn thành nhiệm vụ"), 2, "HTNV"),
    Level(VIOLATED, _("Vi phạm tư cách hoặc không hoàn thành nhiệm vụ"), 1, "VP"),
)
MASS_ORGANIZATION_LEVELS = (
    Level(STRONG, _("Vững mạnh"), 4),
    Level(FAIR, _("Khá"), 3),
    Level(AVERAGE, _("Trung bình"), 2),
    Level(POOR, _("Yếu"), 1),
)
# leadership collectives and leaders were reviewed, not rated on a scale of their own: the
# four levels of 132 are offered so that a record can still be kept
COLLECTIVE_LEVELS = (
    Level(EXCELLENT, _("Hoàn thành xuất sắc nhiệm vụ"), 4, "HTXSNV"),
    Level(GOOD, _("Hoàn thành tốt nhiệm vụ"), 3, "HTTNV"),
    Level(SATISFACTORY, _("Hoàn thành nhiệm vụ"), 2, "HTNV"),
    Level(FAILED, _("Không hoàn thành nhiệm vụ"), 1, "KHTNV"),
)


def levels_for(kind: str) -> tuple[Level, ...]:
    return {
        SubjectKind.MEMBER: MEMBER_LEVELS,
        SubjectKind.LEADER: MEMBER_LEVELS,
        SubjectKind.ORGANIZATION: ORGANIZATION_LEVELS,
        SubjectKind.MASS_ORGANIZATION: MASS_ORGANIZATION_LEVELS,
    }.get(kind, COLLECTIVE_LEVELS)


def label(kind: str, code: str | None) -> str:
    return next((str(level.label) for level in levels_for(kind) if level.code == code), "")


def check(ratings, context) -> list:
    return []
