"""Meeting quality as data: the shape of a score sheet, its bands, the default sheet, and the
point persons' minimum attendance as dated configuration.

Sources (../shared/domain/political-system.md §D "Rating meeting quality", §E):

- the central criteria are framework criteria (Hướng dẫn 12-HD/BTCTW, 42-HD/BTCTW); each province
  (or commune) sets the scoring: a sheet belongs to a province or commune committee and is dated;
- DEFAULT_SHEET follows a 2025 ward sheet implementing HD 42 (100 points in 8 groups, bands Tốt
  ≥ 90, Khá ≥ 70, Trung bình ≥ 50, Kém < 50): seen in public community software, UNCONFIRMED as
  an official form. The criteria's wording is ours (the source gives the groups and their points);
- the minimum attendance of a point person at the meetings of each assigned cell: UNCONFIRMED as a
  central rule (each committee's working regulation sets it); POINT_PERSON_RULES holds one per
  quarter, the example the domain notes give, as a dated set to be replaced by a committee's own.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

UNCONFIRMED = "UNCONFIRMED"

DEFAULT_SHEET = {
    "name": "Phiếu chấm điểm chất lượng sinh hoạt chi bộ thường kỳ",
    "source": "Phiếu của một phường thực hiện Hướng dẫn 42-HD/BTCTW (2025) — UNCONFIRMED",
    "criteria": [
        {"key": "time", "label": "Thời gian sinh hoạt đúng quy định", "points": 5},
        {"key": "attendance", "label": "Số đảng viên dự họp (≥ 90%: 4; 75–< 90%: 3; 65–< 75%: 2; thấp hơn hoặc có vắng "
                                       "không lý do: 1; cộng 1 nếu không ai vắng có lý do quá 3 lần liên tiếp)", "points": 5},
        {"key": "preparation", "label": "Chuẩn bị nội dung, tài liệu", "points": 10},
        {"key": "conduct", "label": "Tiến hành sinh hoạt theo trình tự", "points": 30},
        {"key": "chair", "label": "Điều hành của đồng chí chủ trì", "points": 10},
        {"key": "principles", "label": "Thực hiện nguyên tắc sinh hoạt đảng", "points": 5},
        {"key": "results", "label": "Kết quả thực hiện nghị quyết tháng trước", "points": 30},
        {"key": "closing", "label": "Kết luận, biểu quyết nghị quyết", "points": 5},
    ],
    "bands": [
        {"label": "Tốt", "min": 90},
        {"label": "Khá", "min": 70},
        {"label": "Trung bình", "min": 50},
        {"label": "Kém", "min": 0},
    ],
}


RESERVED_KEYS = {"rater", "csrfmiddlewaretoken"}  # the score form's own fields


class SheetError(ValueError):
    pass


def check_sheet(criteria, bands, total: int | None = None) -> None:
    """A sheet's data: criteria with distinct keys and positive points (adding up to `total` when
    the sheet states one), bands listed from the highest minimum down, the last from 0 (every total
    has a band), none above the maximum total."""
    if not isinstance(criteria, list) or not criteria:
        raise SheetError(_("Phiếu chấm điểm chưa có tiêu chí."))
    keys = set()
    for c in criteria:
        if not isinstance(c, dict) or not str(c.get("key", "")).strip() or not str(c.get("label", "")).strip():
            raise SheetError(_("Mỗi tiêu chí cần có mã và nội dung."))
        if not isinstance(c.get("points"), int) or c["points"] <= 0:
            raise SheetError(_("Tiêu chí “%(label)s”: điểm tối đa phải là số nguyên dương.") % {"label": c["label"]})
        if c["key"] in keys or c["key"] in RESERVED_KEYS:
            raise SheetError(_("Mã tiêu chí “%(key)s” bị trùng.") % {"key": c["key"]})
        keys.add(c["key"])
    maximum = sum(c["points"] for c in criteria)
    if total is not None and maximum != total:
        raise SheetError(_("Tổng điểm tối đa của các tiêu chí là %(sum)s, chưa bằng tổng điểm của phiếu (%(total)s).")
                         % {"sum": maximum, "total": total})
    if not isinstance(bands, list) or not bands:
        raise SheetError(_("Phiếu chấm điểm chưa có mức xếp loại."))
    minimums = [b.get("min") for b in bands if isinstance(b, dict)]
    if len(minimums) != len(bands) or any(not isinstance(m, int) or m < 0 or m > maximum for m in minimums):
        raise SheetError(_("Điểm sàn của mỗi mức xếp loại phải từ 0 đến %(max)s.") % {"max": maximum})
    if len(set(minimums)) != len(minimums) or 0 not in minimums:
        raise SheetError(_("Các mức xếp loại cần điểm sàn khác nhau và một mức từ 0 điểm."))
    if minimums != sorted(minimums, reverse=True):
        raise SheetError(_("Các mức xếp loại phải xếp từ điểm sàn cao xuống thấp (mức cuối từ 0 điểm)."))
    if any(not str(b.get("label", "")).strip() for b in bands):
        raise SheetError(_("Mỗi mức xếp loại cần có tên."))


def maximum(criteria) -> int:
    return sum(c["points"] for c in criteria)


def band_of(bands, total: float) -> str:
    """The band of a total (or an average): the one with the highest minimum not above it."""
    found = None
    for b in sorted(bands, key=lambda b: b["min"]):
        if b["min"] <= total:
            found = b
    return found["label"] if found else ""


@dataclass(frozen=True)
class PointPersonRules:
    valid_from: dt.date
    source: str
    # meetings of each assigned cell a point person attends at least, per quarter
    per_quarter: int


POINT_PERSON_RULES = [
    PointPersonRules(valid_from=dt.date(2018, 6, 6), per_quarter=1,
                     source="Kế hoạch 10-KH/TW (06/06/2018); mức tối thiểu theo quy chế làm việc của cấp ủy — UNCONFIRMED"),
]


def point_person_rules_on(day: dt.date) -> PointPersonRules:
    found = POINT_PERSON_RULES[0]
    for r in POINT_PERSON_RULES:
        if r.valid_from <= day:
            found = r
    return found
