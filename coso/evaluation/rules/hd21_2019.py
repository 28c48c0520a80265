"""Quy định 132-QĐ/TW (Bộ Chính trị, 08/03/2018) with Hướng dẫn 21-HD/BTCTW (Ban Tổ chức Trung ương,
18/10/2019), which replaced Hướng dẫn 16-HD/BTCTW (24/09/2018). Reference §3.4.

In force for periods ending from 08/03/2018 (132's date) until 124-QĐ/TW (04/10/2023). The 2018
round ran under HD 16; HD 21 rewrote it "about 30% shorter, with technical amendments"
(https://plo.vn/chan-chinh-tinh-trang-ne-nang-trong-kiem-diem-dang-vien-post546358.html). The
rules below are HD 21's; whether HD 16 already had each of them is UNCONFIRMED, so a 2018 period
is checked as HD 21 reads.

Rules checked (each with the text it rests on):

1. cap.members: the competent level decides the number of members rated HTXSNV, which may not
   exceed 20% of the members rated HTTNV in each grassroots organization (HD 21 mục II.B, khung
   tiêu chuẩn đảng viên, điểm 2.3.a).
   https://thuvienphapluat.vn/hoi-dap-phap-luat/4C187-hd-co-giay-khen-hoan-thanh-xuat-sac-nhiem-vu-co-duoc-coi-la-dang-vien-du-tu-cach-hoan-thanh-xuat-sac-nhiem-vu.html
   Base: those rated HTTNV; no rounding stated, read exactly (base.cap_excellent).
2. discipline.member: a member disciplined in the year is rated KHTNV ("đảng viên bị thi hành kỷ
   luật trong năm (một vi phạm bị xử lý kỷ luật chỉ tính một lần khi xếp loại)", HD 21 mục II.B,
   điểm 2.3.d). Any discipline form counts.
   https://thuvienphapluat.vn/hoi-dap-phap-luat/iframe/4B9E1-hd-tieu-chuan-danh-gia-dang-vien-khong-hoan-thanh-nhiem-vu-tu-18-10-2019.html
   "Counted once" cannot be checked from the records (a discipline is dated once, in one year).
3. discipline.collective: a leadership collective with a member disciplined "từ cảnh cáo trở lên"
   in the year is rated KHTNV (HD 21 mục II.B, tập thể lãnh đạo, quản lý).
   https://thuvienphapluat.vn/hoi-dap-phap-luat/iframe/4BA5B-hd-dang-vien-giu-chuc-vu-quan-ly-bi-ky-luat-canh-cao-thi-xep-loai-dang-vien-ra-sao.html
4. organization.members: a party organization rated HTTNV or above needs 100% of its members (a
   chi bộ) or of its subordinate organizations (a đảng bộ) rated HTNV or above, at least 50% of
   them HTTNV or above (HD 21 mục II.B, điểm 1.3.b). Read here as a floor for HTXSNV too, whose
   own proportions are UNCONFIRMED.
   https://luathoangphi.vn/chi-bo-co-dang-vien-bi-ky-luat-thi-xep-loai-gi/
5. organization.failed: a party organization with more than 20% of its members (or subordinate
   organizations) rated KHTNV is rated KHTNV (HD 21 mục II.B, điểm 1.3.d; same source, and
   https://danluatold.thuvienphapluat.vn/xep-loai-chi-bo-co-dang-vien-sinh-con-thu-ba-197578.aspx).
6. leader.collective (a setting of the period, on by default): "Mức xếp loại của người đứng đầu
   không được cao hơn mức xếp loại của tập thể lãnh đạo, quản lý, tổ chức, cơ quan, đơn vị do
   mình đứng đầu" (HD 21 tiết 4; evaluation-answers.md §4, SECONDARY verbatim).
   https://nganhangphapluat.thukyluat.vn/tu-van-phap-luat/bo-may-hanh-chinh/quy-dinh-ve-danh-gia-xep-loai-can-bo-lanh-dao-quan-ly-cac-cap-309959

Settings (SETTINGS): the cap's percentage and base are the text's (SECONDARY); its rounding is not
stated anywhere (UNCONFIRMED: down, as "không vượt quá" reads). Comparable groups the competent
level defines (CapGroup) override the pool per grassroots organization where a period has them.
"""

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coso.lib.numbers import num
from coso.members.models import DisciplineForm

from ..choices import PeriodKind, SubjectKind
from . import base
from .base import FAILED, FOUR_LEVELS, GOOD, RANK, SATISFACTORY, Level, Violation

CODE = "hd21_2019"
TITLE = gettext_lazy("Quy định 132-QĐ/TW ngày 08/03/2018 của Bộ Chính trị; Hướng dẫn 21-HD/BTCTW ngày 18/10/2019 của Ban Tổ chức Trung ương")
SHORT = gettext_lazy("132-QĐ/TW, 21-HD/BTCTW")
IN_FORCE_FROM = dt.date(2018, 3, 8)
PERIOD_KINDS = (PeriodKind.YEAR,)
SCORED = False
DEFAULT_CAP_PERCENT = 20
# whether the competent level's finding that a breach was found and remedied lifts the discipline rule
REMEDIES = False

SOURCE_CAP = gettext_lazy("Hướng dẫn 21-HD/BTCTW ngày 18/10/2019, mục II.B, điểm 2.3.a")
SOURCE_MEMBER_DISCIPLINE = gettext_lazy("Hướng dẫn 21-HD/BTCTW ngày 18/10/2019, mục II.B, điểm 2.3.d")
SOURCE_COLLECTIVE = gettext_lazy("Hướng dẫn 21-HD/BTCTW ngày 18/10/2019, mục II.B (tập thể lãnh đạo, quản lý)")
SOURCE_ORGANIZATION = gettext_lazy("Hướng dẫn 21-HD/BTCTW ngày 18/10/2019, mục II.B, điểm 1.3")
SOURCE_LEADER = gettext_lazy("Hướng dẫn 21-HD/BTCTW ngày 18/10/2019, mục II.B, tiết 4 (người đứng đầu)")

SETTINGS = (
    base.Setting("cap_percent", DEFAULT_CAP_PERCENT, SOURCE_CAP, base.SECONDARY),
    base.Setting("cap_base", base.BASE_GOOD, SOURCE_CAP, base.SECONDARY),
    base.Setting("cap_rounding", base.ROUND_DOWN, base.NO_ROUNDING_RULE, base.UNCONFIRMED),
    base.Setting("cap_groups", None, SOURCE_CAP, base.SECONDARY),
    base.Setting("leader_not_above_collective", True, SOURCE_LEADER, base.SECONDARY),
)

# the collective rule counts only the heavier forms (khai trừ ends the membership itself)
WARNING_OR_HEAVIER = (DisciplineForm.WARNING, DisciplineForm.DISMISSAL)


def levels_for(kind: str) -> tuple[Level, ...]:
    return FOUR_LEVELS


def label(kind: str, code: str | None) -> str:
    return next((str(level.label) for level in FOUR_LEVELS if level.code == code), "")


def _label(code: str) -> str:
    return label(SubjectKind.MEMBER, code)


def organizations_against_their_parts(ratings, *, source: str, rule_prefix: str = "organization") -> list[Violation]:
    """Rules 4 and 5: an organization against the levels of its parts (its members when it has
    members rated, else its subordinate organizations rated in the period)."""
    members: dict[int, list] = {}
    children: dict[int, list] = {}
    for r in base.rated(ratings, SubjectKind.MEMBER):
        members.setdefault(r.organization_id, []).append(r)
    for r in base.rated(ratings, SubjectKind.ORGANIZATION):
        children.setdefault(r.parent_id, []).append(r)
    out = []
    for org in base.rated(ratings, SubjectKind.ORGANIZATION):
        parts = members.get(org.organization_id) or children.get(org.organization_id) or []
        if not parts:
            continue
        of_members = org.organization_id in members
        total = len(parts)
        failed = sum(1 for p in parts if p.level == FAILED)
        good_or_better = sum(1 for p in parts if RANK.get(p.level, 0) >= RANK[GOOD])
        values = {"name": org.name, "failed": num(failed), "total": num(total), "good_count": num(good_or_better), "level": _label(org.level),
                  "failed_label": _label(FAILED), "satisfactory": _label(SATISFACTORY), "good": _label(GOOD), "source": source}
        if RANK[org.level] >= RANK[SATISFACTORY] and failed * 5 > total:
            if of_members:
                message = _("%(name)s có %(failed)s/%(total)s đảng viên xếp loại “%(failed_label)s” (trên 20%%) nên phải xếp loại "
                            "“%(failed_label)s”, không được xếp loại “%(level)s” theo %(source)s.") % values
            else:
                message = _("%(name)s có %(failed)s/%(total)s tổ chức đảng trực thuộc xếp loại “%(failed_label)s” (trên 20%%) nên "
                            "phải xếp loại “%(failed_label)s”, không được xếp loại “%(level)s” theo %(source)s.") % values
            out.append(Violation(f"{rule_prefix}.failed", message, str(source), org.key, (org.key,), org.organization_id))
        elif RANK[org.level] >= RANK[GOOD] and (failed or good_or_better * 2 < total):
            if of_members:
                message = _("%(name)s được xếp loại “%(level)s” cần 100%% đảng viên xếp loại “%(satisfactory)s” trở lên, trong đó từ "
                            "50%% “%(good)s” trở lên; hiện có %(failed)s “%(failed_label)s” và %(good_count)s/%(total)s “%(good)s” "
                            "trở lên theo %(source)s.") % values
            else:
                message = _("%(name)s được xếp loại “%(level)s” cần 100%% tổ chức đảng trực thuộc xếp loại “%(satisfactory)s” trở lên, "
                            "trong đó từ 50%% “%(good)s” trở lên; hiện có %(failed)s “%(failed_label)s” và %(good_count)s/%(total)s "
                            "“%(good)s” trở lên theo %(source)s.") % values
            out.append(Violation(f"{rule_prefix}.members", message, str(source), org.key, (org.key,), org.organization_id))
    return out


def check(ratings, context) -> list[Violation]:
    ratings = list(ratings)
    out = []
    out += base.cap_excellent(ratings, context, source=str(SOURCE_CAP), label=_label)
    out += base.disciplined_person(ratings, context, highest=FAILED, source=str(SOURCE_MEMBER_DISCIPLINE), label=_label)
    out += base.leaders_disciplined(ratings, context, kinds=(SubjectKind.COLLECTIVE,), above=FAILED, forms=WARNING_OR_HEAVIER,
                                    source=str(SOURCE_COLLECTIVE), label=_label)
    out += organizations_against_their_parts(ratings, source=str(SOURCE_ORGANIZATION))
    out += base.leader_not_above_collective(ratings, context, source=str(SOURCE_LEADER), label=_label)
    return base.sort_violations(out)

