"""Rule sets as versioned modules; the date decides which applies (DESIGN principle 5).

A period is governed by the rule set in force on its last day: the review of a year is held at its
end, under the text in force then (124-QĐ/TW of 04/10/2023 governed the 2023 round; 366-QĐ/TW of
30/08/2025 the 2025 round). Dates of entry into force (reference §0, §3):

    hd27_2014   from 10/10/2008  20-HD/BTCTW (10/10/2008), 27-HD/BTCTW (25/09/2014): old scales, read only
    hd21_2019   from 08/03/2018  132-QĐ/TW (08/03/2018), 16-HD/BTCTW (24/09/2018), 21-HD/BTCTW (18/10/2019)
    qd124_2023  from 04/10/2023  124-QĐ/TW (04/10/2023), 25-HD/BTCTW (10/11/2023)
    qd366_2025  from 30/08/2025  366-QĐ/TW (30/08/2025), 43-HD/BTCTW (31/10/2025)

Sources: https://thuvienphapluat.vn/van-ban/Bo-may-hanh-chinh/Huong-dan-16-HD-BTCTW-2018-kiem-diem-danh-gia-chat-luong-to-chuc-dang-dang-vien-can-bo-396122.aspx ;
https://hieuluat.vn/hanh-chinh/huong-dan-25-hd-btctw-ban-to-chuc-ban-chap-hanh-trung-uong-43683.html ;
https://news.laodong.vn/thoi-su/quy-dinh-moi-cua-bo-chinh-tri-ve-kiem-diem-danh-gia-xep-loai-tap-the-ca-nhan-1577427.ldo ;
https://www.encovietnam.com/ban-tin-phap-luat/140-hanh-chinh/5216-da-co-huong-dan-43-hd-btctw-ve-kiem-diem-danh-gia-xep-loai-chat-luong-trong-he-thong-chinh-tri.html
Each module's docstring lists its rules with the text each rests on.
"""

import datetime as dt
from types import ModuleType

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from coso.lib.dates import fmt

from . import hd21_2019, hd27_2014, qd124_2023, qd366_2025
from .base import Context, Discipline, RatingFact, Violation

RULE_SETS: tuple[ModuleType, ...] = (hd27_2014, hd21_2019, qd124_2023, qd366_2025)  # by entry into force
BY_CODE = {module.CODE: module for module in RULE_SETS}
CHOICES = [(module.CODE, module.SHORT) for module in RULE_SETS]


def for_date(on: dt.date) -> ModuleType:
    """The rule set in force on the date; ValidationError before the oldest one known."""
    found = None
    for module in RULE_SETS:
        if module.IN_FORCE_FROM <= on:
            found = module
    if found is None:
        raise ValidationError(_("Chưa có quy định đánh giá, xếp loại chất lượng nào áp dụng cho ngày %(date)s.") % {"date": fmt(on)})
    return found


def get(code: str) -> ModuleType:
    return BY_CODE[code]


def settings_of(module: ModuleType) -> dict:
    """The module's settings by key (base.Setting); a module without a cap has none."""
    return {setting.key: setting for setting in getattr(module, "SETTINGS", ())}


__all__ = ["RULE_SETS", "BY_CODE", "CHOICES", "for_date", "get", "settings_of", "Context", "Discipline", "RatingFact", "Violation"]
