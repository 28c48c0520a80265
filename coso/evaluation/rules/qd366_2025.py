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

Rules checked (evaluation-answers.md, SECONDARY verbatim unless said):

1. score.missing / score.level: every rated subject has a score, and its level is no higher than
   its score and recorded conditions allow (Điều 11).
2. cap.*: "Số lượng tập thể, cá nhân được xếp loại 'Hoàn thành xuất sắc nhiệm vụ' không vượt quá
   20% tổng số tập thể, cá nhân được xếp loại 'Hoàn thành tốt nhiệm vụ' theo đối tượng có vị trí,
   vai trò, chức năng, nhiệm vụ tương đồng, do cấp có thẩm quyền xem xét, quyết định" and, for a
   unit with outstanding results, "không vượt quá 25%" (Điều 11 khoản 1, điểm 1.5). Counted in
   each group the competent level defined (CapGroup, its allowance up to 25%), else in the
   default groups (default_group): the members of each grassroots organization (UNCONFIRMED: the
   answers suggest the deciding organization and the criteria frame; the deciding organization
   of a member is its grassroots organization), the leaders decided by one committee, the
   collectives decided by one committee, the party organizations of one kind decided by one
   committee (HD 43 Mục 3: who decides), the Front and mass organizations of one commune.
3. discipline.member: a member or leader disciplined in the period "từ khiển trách trở lên" for a
   breach related to official duty or their office, or for breaching what members must not do or
   the duty to set an example, is rated KHTNV (Điều 11 khoản 4.2); a breach of another kind
   (members.BreachCategory.OTHER) does not count; one whose kind is not recorded does. Unless the
   competent level found the breach found and remedied by the member (RemediedBreach, with its
   evidence: "tự giác nhận lỗi, tự phát hiện vi phạm và khắc phục xong hậu quả"). A breach of an
   earlier year disciplined in the period counts in it (Điều 11 khoản 4.3).
4. discipline.leadership: a leadership collective with a member disciplined in the period for a
   breach related to their duties is rated KHTNV (Điều 11 khoản 4; the source heads the list
   "tập thể lãnh đạo, quản lý", the original may read "tập thể").
5. discipline.collective: an organization or leadership collective rated HTXSNV with a member of
   its leadership disciplined in the period (Điều 11, khoản 1.1).
6. collective.units_disciplined: "không có đơn vị trực thuộc … bị kỷ luật" for HTXSNV (Điều 11,
   khoản 1.1); a unit's discipline is read from the records (coso/inspection), or the condition
   "disciplined" of its rating.
7. leader.units: a leader with "trên 50% tổng số địa phương, lĩnh vực, cơ quan, đơn vị, bộ phận mà
   cá nhân phụ trách … bị xếp loại 'Không hoàn thành nhiệm vụ'" is rated KHTNV (Điều 11 khoản 4).
   The units: the party organizations directly under the organization led, and the Front and
   mass organizations of its commune, rated in the period.
8. leader.collective (a setting, off by default): no rule that a leader may not be rated above
   the collective was found for 366 (UNCONFIRMED).

Not checked, for want of records: tasks done under 70%, the 5 socio-economic targets, confidence
votes, corruption in a leader's direct scope, disunity (Điều 11 khoản 4).
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
# whether the competent level's finding that a breach was found and remedied lifts the discipline rule
REMEDIES = True

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
SOURCE_CAP = gettext_lazy("Quy định 366-QĐ/TW ngày 30/08/2025, Điều 11, khoản 1, điểm 1.5")
SOURCE_DISCIPLINE = gettext_lazy("Quy định 366-QĐ/TW ngày 30/08/2025, Điều 11, khoản 4")
SOURCE_LEADER = gettext_lazy("cấu hình của kỳ đánh giá (người đứng đầu không cao hơn tập thể)")
SOURCE_DEFAULT_GROUPS = gettext_lazy("nhóm mặc định khi cấp có thẩm quyền chưa xác định nhóm tương đồng: đảng viên của từng tổ chức "
                                     "cơ sở đảng; lãnh đạo, tập thể, tổ chức đảng cùng loại do cùng một cấp quyết định")
LEADER_UNITS_SHARE = Decimal("0.5")  # "trên 50% … bị xếp loại 'Không hoàn thành nhiệm vụ'"
ALLOWANCE_MAX = Decimal(25)  # "không vượt quá 25%", for units with outstanding results
# the breaches Điều 11 khoản 4.2 counts (members.BreachCategory); "other" does not
COUNTED_BREACHES = ("duty", "forbidden", "example")
DUTY_BREACHES = ("duty",)

SETTINGS = (
    base.Setting("cap_percent", DEFAULT_CAP_PERCENT, SOURCE_CAP, base.SECONDARY),
    base.Setting("cap_allowance", ALLOWANCE_MAX, SOURCE_CAP, base.SECONDARY),
    base.Setting("cap_base", base.BASE_GOOD, SOURCE_CAP, base.SECONDARY),
    base.Setting("cap_rounding", base.ROUND_DOWN, base.NO_ROUNDING_RULE, base.UNCONFIRMED),
    base.Setting("cap_groups", None, SOURCE_DEFAULT_GROUPS, base.UNCONFIRMED),
    base.Setting("leader_not_above_collective", False, base.NOT_FOUND_OFF, base.UNCONFIRMED),
)


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


def default_group(r, context):
    """The group a subject is counted in when the competent level defined none (see rule 2)."""
    if r.kind == SubjectKind.MEMBER:
        return ("grassroots", r.grassroots_id)
    if r.kind == SubjectKind.LEADER:
        return ("leaders", r.parent_id)
    if r.kind == SubjectKind.COLLECTIVE:
        return ("collectives", r.parent_id)
    if r.kind == SubjectKind.MASS_ORGANIZATION:
        return ("mass", r.organization_id)
    return ("organizations", r.parent_id, context.kinds.get(r.organization_id, ""))


def check(ratings, context) -> list[Violation]:
    ratings = list(ratings)
    out = _scores(ratings)
    out += base.leaders_disciplined(ratings, context, kinds=(SubjectKind.ORGANIZATION, SubjectKind.COLLECTIVE), above=GOOD,
                                    source=str(SOURCE_COLLECTIVE), label=_label)
    out += base.leaders_disciplined(ratings, context, kinds=(SubjectKind.COLLECTIVE,), above=FAILED, categories=DUTY_BREACHES,
                                    remedies=True, source=str(SOURCE_DISCIPLINE), label=_label, rule="discipline.leadership")
    out += base.units_disciplined(ratings, kinds=(SubjectKind.ORGANIZATION, SubjectKind.COLLECTIVE), share=None, highest=GOOD, source=str(SOURCE_COLLECTIVE), label=_label,
                                  rule="collective.units_disciplined", context=context)
    out += base.disciplined_person(ratings, context, highest=FAILED, categories=COUNTED_BREACHES, remedies=True,
                                   source=str(SOURCE_DISCIPLINE), label=_label)
    out += base.leader_units_failed(ratings, share=LEADER_UNITS_SHARE, highest=FAILED, source=str(SOURCE_DISCIPLINE), label=_label)
    out += base.leader_not_above_collective(ratings, context, source=str(SOURCE_LEADER), label=_label)
    out += base.cap_excellent(ratings, context, source=str(SOURCE_CAP), label=_label, default_group=default_group)
    return base.sort_violations(out)
