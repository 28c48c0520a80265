"""Quy định 366-QĐ/TW (Bộ Chính trị, 30/08/2025) with Hướng dẫn 43-HD/BTCTW (Ban Tổ chức Trung ương,
31/10/2025). Reference §3.2 and §8.3. It replaces 124-QĐ/TW.

In force for periods ending from 30/08/2025 (its date; the 2025 round ran under it with HD 43 and
Công văn 10072-CV/BTCTW of 06/11/2025). It reviews by term, year and quarter.
https://news.laodong.vn/thoi-su/quy-dinh-moi-cua-bo-chinh-tri-ve-kiem-diem-danh-gia-xep-loai-tap-the-ca-nhan-1577427.ldo

Scoring: each subject is scored on 100 points, 30 for the general criteria and 70 for the results
of its tasks, on the criteria frame of its group (five annexes: collectives; leaders managed by
the Centre; leaders and managers; individuals without a post; members not working in the
political system). https://vietnamnet.vn/khung-tieu-chi-danh-gia-thang-diem-100-voi-can-bo-dien-trung-uong-quan-ly-2444515.html

Levels by score, Điều 11 (level_for_score):
    HTXSNV  ≥ 90, and 100% of tasks on time with quality, ≥ 30% beyond requirements, 100% of
            earlier shortcomings remedied; a collective also: no subordinate unit and no member
            of its leadership disciplined
    HTTNV   70 to < 90, and 100% of tasks on time with quality
    HTNV    50 to < 70; a collective also: 100% of tasks done, ≤ 20% behind schedule
    KHTNV   < 50, or a disqualifying condition (the list under 366 is UNCONFIRMED)
http://tintuc.thuvienphapluat.com/ho-tro-phap-luat/tu-van-phap-luat/100238/ty-le-dang-vien-hoan-thanh-xuat-sac-nhiem-vu-nam-2025
https://ja.laodong.vn/thoi-su/thang-diem-danh-gia-de-tinh-xep-loai-tap-the-ca-nhan-hoan-thanh-tot-nhiem-vu-1579399.ldo

Rules checked:

1. score.missing / score.level: every rated subject has a score, and its level is no higher than
   its score and recorded conditions allow (Điều 11).
2. discipline.collective: an organization or leadership collective rated HTXSNV with a member of
   its leadership disciplined in the period (Điều 11, khoản 1). Subordinate units' discipline is
   not in the records yet.
3. cap.members (configurable): the cap under 366 is UNCONFIRMED (reference §3.2); the reference's
   design default is 20% of those rated HTTNV per grassroots organization, as the state rule for
   civil servants (Nghị định 335/2025/NĐ-CP) and the former party rule. The period carries it.

Not checked: a member's own discipline. 366's disqualifying conditions are UNCONFIRMED (124's list
"probably carries over", reference §3.2); a disciplined member's score already has to fall in the
band of the level given.
"""

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..choices import PeriodKind, SubjectKind
from . import base
from .base import EXCELLENT, FAILED, FOUR_LEVELS, GOOD, RANK, SATISFACTORY, Level, Violation

CODE = "qd366_2025"
TITLE = gettext_lazy("Quy định 366-QĐ/TW ngày 30/08/2025 của Bộ Chính trị; Hướng dẫn 43-HD/BTCTW ngày 31/10/2025 của Ban Tổ chức Trung ương")
SHORT = gettext_lazy("366-QĐ/TW, 43-HD/BTCTW")
IN_FORCE_FROM = dt.date(2025, 8, 30)
PERIOD_KINDS = (PeriodKind.YEAR, PeriodKind.QUARTER, PeriodKind.TERM)
SCORED = True
DEFAULT_CAP_PERCENT = 20

GENERAL_MAX = Decimal(30)  # nhóm tiêu chí chung
TASKS_MAX = Decimal(70)  # nhóm tiêu chí về kết quả thực hiện nhiệm vụ
SCORE_MAX = GENERAL_MAX + TASKS_MAX
# the lowest score of each level, best first (Điều 11); below the last: KHTNV
THRESHOLDS = ((EXCELLENT, Decimal(90)), (GOOD, Decimal(70)), (SATISFACTORY, Decimal(50)))
EXCEEDED_MIN_PCT = Decimal(30)
LATE_MAX_PCT = Decimal(20)
COLLECTIVE_KINDS = (SubjectKind.ORGANIZATION, SubjectKind.COLLECTIVE, SubjectKind.MASS_ORGANIZATION)

SOURCE_SCORE = gettext_lazy("Quy định 366-QĐ/TW ngày 30/08/2025, Điều 11")
SOURCE_COLLECTIVE = gettext_lazy("Quy định 366-QĐ/TW ngày 30/08/2025, Điều 11, khoản 1")
SOURCE_CAP = gettext_lazy("tỷ lệ khống chế của cấp có thẩm quyền khi đánh giá theo Quy định 366-QĐ/TW (mặc định 20%)")


def levels_for(kind: str) -> tuple[Level, ...]:
    return FOUR_LEVELS


def label(kind: str, code: str | None) -> str:
    return next((str(level.label) for level in FOUR_LEVELS if level.code == code), "")


def _label(code: str) -> str:
    return label(SubjectKind.MEMBER, code)


def total_score(general, tasks) -> Decimal:
    """The 100-point score from its two groups; ValueError when a group is out of its range."""
    general, tasks = Decimal(general), Decimal(tasks)
    if not Decimal(0) <= general <= GENERAL_MAX:
        raise ValueError(_("Điểm nhóm tiêu chí chung phải từ 0 đến %(max)s.") % {"max": GENERAL_MAX})
    if not Decimal(0) <= tasks <= TASKS_MAX:
        raise ValueError(_("Điểm nhóm tiêu chí kết quả thực hiện nhiệm vụ phải từ 0 đến %(max)s.") % {"max": TASKS_MAX})
    return general + tasks


def _false(conditions, key) -> bool:
    return conditions.get(key) is False


def _below(conditions, key, minimum) -> bool:
    value = conditions.get(key)
    return value is not None and Decimal(str(value)) < minimum


def _above(conditions, key, maximum) -> bool:
    value = conditions.get(key)
    return value is not None and Decimal(str(value)) > maximum


def level_for_score(score, conditions=None, kind: str = SubjectKind.MEMBER) -> str:
    """The highest level a score allows, given the conditions recorded (absent ones are not held
    against the subject: see base.CONDITION_KEYS)."""
    score = Decimal(str(score))
    conditions = conditions or {}
    collective = kind in COLLECTIVE_KINDS
    if (score >= THRESHOLDS[0][1] and not _false(conditions, "on_time") and not _below(conditions, "exceeded_pct", EXCEEDED_MIN_PCT)
            and not _false(conditions, "shortcomings_fixed")):
        return EXCELLENT
    if score >= THRESHOLDS[1][1] and not _false(conditions, "on_time"):
        return GOOD
    if score >= THRESHOLDS[2][1] and not (collective and (_false(conditions, "completed") or _above(conditions, "late_pct", LATE_MAX_PCT))):
        return SATISFACTORY
    return FAILED


def _scores(ratings) -> list[Violation]:
    out = []
    source = str(SOURCE_SCORE)
    for r in base.rated(ratings):
        if r.score is None:
            message = _("%(name)s chưa có điểm đánh giá (thang điểm 100) để xếp loại “%(level)s” theo %(source)s.") % {
                "name": r.name, "level": _label(r.level), "source": source}
            out.append(Violation("score.missing", message, source, r.key, (r.key,), r.organization_id))
            continue
        allowed = level_for_score(r.score, r.conditions, r.kind)
        if RANK[r.level] > RANK[allowed]:
            message = _(
                "%(name)s đạt %(score)s điểm nên chỉ được xếp loại “%(allowed)s”, không được xếp loại “%(level)s” theo %(source)s."
            ) % {"name": r.name, "score": _number(r.score), "allowed": _label(allowed), "level": _label(r.level), "source": source}
            out.append(Violation("score.level", message, source, r.key, (r.key,), r.organization_id))
    return out


def _number(value) -> str:
    value = Decimal(str(value)).normalize()
    return format(value, "f").replace(".", ",")


def check(ratings, context) -> list[Violation]:
    ratings = list(ratings)
    out = _scores(ratings)
    out += base.leaders_disciplined(ratings, context, kinds=(SubjectKind.ORGANIZATION, SubjectKind.COLLECTIVE), above=GOOD,
                                    source=str(SOURCE_COLLECTIVE), label=_label)
    out += base.cap_excellent(ratings, context, source=str(SOURCE_CAP), label=_label)
    return base.sort_violations(out)
