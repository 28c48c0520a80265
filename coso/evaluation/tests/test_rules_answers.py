"""Worked examples of each rule in ../shared/domain/evaluation-answers.md, one test per rule, the
clause quoted in its docstring (the answers' section in brackets). Facts only, no database."""

import datetime as dt
from decimal import Decimal

import pytest

from coso.evaluation import rules
from coso.evaluation.choices import SubjectKind
from coso.evaluation.rules import hd21_2019, qd124_2023, qd366_2025
from coso.evaluation.rules.base import (
    BASE_GOOD_OR_BETTER,
    EXCELLENT,
    FAILED,
    GOOD,
    ROUND_HALF_UP,
    SATISFACTORY,
    SECONDARY,
    UNCONFIRMED,
    GroupCap,
    allowed_excellent,
)

from .facts import context, fact, many, rules_of

D = dt.date
ORG, COLLECTIVE, LEADER, MASS = SubjectKind.ORGANIZATION, SubjectKind.COLLECTIVE, SubjectKind.LEADER, SubjectKind.MASS_ORGANIZATION
SCORE = {EXCELLENT: 95, GOOD: 80, SATISFACTORY: 60, FAILED: 40}


def scored(n, level, **kw):
    """Facts under 366: each with a score in its level's band."""
    return many(n, level, score=SCORE[level], **kw)


def one(level, kind=SubjectKind.MEMBER, **kw):
    return fact(level, kind, score=SCORE[level], **kw)


# -- §1 the cap on HTXSNV for members ------------------------------------------------------------------


def test_it_rounds_the_cap_down_by_default():
    """[§1 Rounding] "no rule in any set. 'Không vượt quá' means 'may not exceed', so use
    max_xs = floor(rate × n_tt). 10 HTTNV → 2 allowed; 9 → 1; 4 → 0."""
    assert [allowed_excellent(n, 20) for n in (10, 9, 4)] == [2, 1, 0]
    assert rules_of(hd21_2019.check(many(9, GOOD) + many(1, EXCELLENT), context(2022))) == []
    assert rules_of(hd21_2019.check(many(9, GOOD) + many(2, EXCELLENT), context(2022))) == ["cap.members"]
    assert rules_of(hd21_2019.check(many(4, GOOD) + many(1, EXCELLENT), context(2022))) == ["cap.members"]


def test_it_rounds_half_up_when_the_period_says_so():
    """[§1] "Local practice differs. Make the base, the rate and the pool key configurable." 9 rated
    HTTNV at 20% is 1,8: half up allows 2, down allows 1."""
    assert allowed_excellent(9, 20, ROUND_HALF_UP) == 2
    facts = many(9, GOOD) + many(2, EXCELLENT)
    assert rules_of(hd21_2019.check(facts, context(2022, cap_rounding=ROUND_HALF_UP))) == []


def test_promoting_a_member_lowers_the_base():
    """[§1] "Both counts are final ratings, so promoting a member lowers n_tt. If c members qualify
    at HTTNV or above, x ≤ floor(c/6). For example, 12 qualifying members give 2 HTXSNV and 10 HTTNV.\""""
    assert rules_of(hd21_2019.check(many(10, GOOD) + many(2, EXCELLENT), context(2022))) == []
    assert rules_of(hd21_2019.check(many(9, GOOD) + many(3, EXCELLENT), context(2022))) == ["cap.members"]


def test_the_base_may_count_good_and_above():
    """[§1] "Some committees use 'HTTNV trở lên' as the base (a public implementation citing
    03-HD/TVĐU)": 8 HTTNV + 2 HTXSNV is 1 allowed on the text's base, 2 on "tốt" and above."""
    facts = many(8, GOOD) + many(2, EXCELLENT)
    assert rules_of(hd21_2019.check(facts, context(2022))) == ["cap.members"]
    assert rules_of(hd21_2019.check(facts, context(2022, cap_base=BASE_GOOD_OR_BETTER))) == []
    found = hd21_2019.check(many(8, GOOD) + many(3, EXCELLENT), context(2022, cap_base=BASE_GOOD_OR_BETTER))
    assert "trở lên (11, tối đa 2)" in found[0].message


def test_the_hd21_pool_is_each_grassroots_organization():
    """[§1] HD 21, mục II.B.2.3.a: "… không vượt quá 20% số đảng viên được xếp loại 'Hoàn thành
    tốt nhiệm vụ' trong từng tổ chức cơ sở đảng." Each TCCS is counted alone."""
    facts = many(10, GOOD, grassroots_id=1) + many(3, GOOD, grassroots_id=2) + many(1, EXCELLENT, grassroots_id=2)
    found = hd21_2019.check(facts, context(2022))
    assert [(v.rule, v.organization_id) for v in found] == [("cap.members", 2)]


def test_the_366_cap_counts_in_the_groups_the_competent_level_defines():
    """[§1] QĐ 366, Điều 11 khoản 1, point 1.5: "… không vượt quá 20% tổng số tập thể, cá nhân được
    xếp loại 'Hoàn thành tốt nhiệm vụ' theo đối tượng có vị trí, vai trò, chức năng, nhiệm vụ tương
    đồng, do cấp có thẩm quyền xem xét, quyết định." Two grassroots organizations in one group:
    12 HTTNV allow 2 HTXSNV, though the second alone (2 HTTNV) allows none."""
    first = scored(10, GOOD, grassroots_id=1)
    second = scored(2, GOOD, grassroots_id=2) + scored(2, EXCELLENT, grassroots_id=2)
    assert rules_of(qd366_2025.check(first + second, context(2025))) == ["cap.members"]  # the default: per grassroots organization
    for f in first + second:
        f.cap_group = 7
    groups = {7: GroupCap("Đảng viên khối xã", 1)}
    assert qd366_2025.check(first + second, context(2025, groups=groups)) == []
    found = qd366_2025.check([*first, *second, one(EXCELLENT, grassroots_id=2, cap_group=7)], context(2025, groups=groups))
    assert [(v.rule, v.subject, v.organization_id) for v in found] == [("cap.group", ("group", 7), 1)]
    assert "Nhóm “Đảng viên khối xã”" in found[0].message


def test_the_competent_level_may_raise_a_groups_cap_to_25_percent():
    """[§1] QĐ 366, Điều 11 khoản 1, point 1.5: "Trường hợp tổ chức, cơ quan, đơn vị có thành tích
    xuất sắc, nổi trội … thì cấp có thẩm quyền quyết định tỉ lệ … không vượt quá 25% tổng số tập
    thể, cá nhân được xếp loại 'Hoàn thành tốt nhiệm vụ'." 8 HTTNV allow 1 at 20%, 2 at 25%."""
    facts = scored(8, GOOD, cap_group=3) + scored(2, EXCELLENT, cap_group=3)
    plain = {3: GroupCap("Xã A1", 1)}
    raised = {3: GroupCap("Xã A1", 1, Decimal(25), "15-QĐ/HU", D(2025, 12, 10), "Ban Thường vụ Huyện ủy A")}
    assert rules_of(qd366_2025.check(facts, context(2025, groups=plain))) == ["cap.group"]
    assert qd366_2025.check(facts, context(2025, groups=raised)) == []
    found = qd366_2025.check([*facts, one(EXCELLENT, cap_group=3)], context(2025, groups=raised))
    assert "vượt quá 25% số được xếp loại" in found[0].message


# -- §2 the cap for collectives; the 366 default groups -------------------------------------------------


def test_the_366_cap_covers_collectives_by_deciding_body_and_kind():
    """[§2] "QĐ 366 / HD 43. The 20%/25% rule in §1 also covers collectives (tập thể). Pool key:
    (deciding body, organization type)." Cells decided by one committee form one group; a
    grassroots committee of another kind, decided by the same body, is not counted with them."""
    kinds = {21: "Chi bộ trực thuộc", 22: "Chi bộ trực thuộc", 23: "Chi bộ trực thuộc", 24: "Chi bộ trực thuộc",
             25: "Chi bộ trực thuộc", 26: "Chi bộ trực thuộc", 30: "Đảng bộ cơ sở"}
    cells = [one(GOOD, ORG, organization_id=i, parent_id=5) for i in (21, 22, 23, 24, 25)] + [one(EXCELLENT, ORG, organization_id=26, parent_id=5)]
    assert qd366_2025.check(cells, context(2025, kinds=kinds)) == []
    other = one(EXCELLENT, ORG, organization_id=30, parent_id=5)  # alone in its kind: 0 HTTNV allow none
    found = qd366_2025.check([*cells, other], context(2025, kinds=kinds, names={5: "Đảng ủy xã A1"}))
    assert [(v.rule, v.keys) for v in found] == [("cap.organizations", (other.key,))]
    assert "Đảng bộ cơ sở do Đảng ủy xã A1 quyết định" in found[0].message


def test_the_leaders_decided_by_one_committee_are_a_group_of_their_own():
    """[§2] HD 21, tiết 4: "… số lượng cán bộ lãnh đạo, quản lý được xếp loại 'Hoàn thành xuất sắc
    nhiệm vụ' không vượt quá 20% số được xếp loại 'Hoàn thành tốt nhiệm vụ' theo chức danh tương
    đương …"; under 366 the issue's default: the committee's leaders as their own group."""
    leaders = [one(GOOD, LEADER, organization_id=i, parent_id=5) for i in range(40, 45)]
    top = [one(EXCELLENT, LEADER, organization_id=i, parent_id=5) for i in (45, 46)]
    found = qd366_2025.check(leaders + top, context(2025))
    assert [v.rule for v in found] == ["cap.leaders"]
    assert qd366_2025.check(leaders + top[:1], context(2025)) == []


# -- §3 members disciplined during the year ---------------------------------------------------------


def test_hd21_any_discipline_in_the_year_fails_without_exception():
    """[§3] HD 21, tiết 2 điểm B mục II: "Đảng viên bị thi hành kỷ luật trong năm …". "Any form
    triggers this, even khiển trách … There is no self-remedy exception.\""""
    m = fact(GOOD)
    ctx = context(2022, discipline={m.member_id: [(D(2022, 5, 1), "khien_trach", None, "", True)]})
    assert rules_of(hd21_2019.check([m], ctx)) == ["discipline.member"]


def test_qd124_discipline_fails_unless_found_and_remedied():
    """[§3] QĐ 124, Điều 12 khoản 4.3.d: "Bị xử lý kỷ luật trong năm đánh giá (trừ trường hợp tự
    phát hiện và khắc phục xong hậu quả).\""""
    m = fact(GOOD)
    assert rules_of(qd124_2023.check([m], context(2024, discipline={m.member_id: [(D(2024, 3, 1), "canh_cao")]}))) == ["discipline.member"]
    remedied = context(2024, discipline={m.member_id: [(D(2024, 3, 1), "canh_cao", D(2024, 1, 10), "duty", True)]})
    assert qd124_2023.check([m], remedied) == []


def test_qd366_a_duty_breach_disciplined_fails():
    """[§3] QĐ 366, Điều 11 khoản 4.2: "… vi phạm liên quan đến hoạt động công vụ bị xử lý kỷ luật
    từ khiển trách trở lên, vi phạm những điều đảng viên không được làm, vi phạm quy định về trách
    nhiệm nêu gương …". A breach of another kind does not trigger it; one not recorded does."""
    for category, expected in (("duty", ["discipline.member"]), ("forbidden", ["discipline.member"]), ("example", ["discipline.member"]),
                               ("", ["discipline.member"]), ("other", [])):
        m = one(GOOD)
        ctx = context(2025, discipline={m.member_id: [(D(2025, 6, 1), "khien_trach", D(2025, 4, 1), category)]})
        assert rules_of(qd366_2025.check([m], ctx)) == expected, category


def test_qd366_a_breach_found_and_remedied_is_left_to_the_competent_level():
    """[§3] QĐ 366, Điều 11 khoản 4.2: "Trường hợp tự giác nhận lỗi, tự phát hiện vi phạm và khắc
    phục xong hậu quả thì cấp có thẩm quyền căn cứ … để xem xét, đánh giá, xếp loại …"."""
    m, leader = one(GOOD), one(GOOD, LEADER)
    ctx = context(2025, discipline={m.member_id: [(D(2025, 6, 1), "khien_trach", D(2025, 4, 1), "duty", True)],
                                    leader.member_id: [(D(2025, 6, 1), "canh_cao", D(2025, 4, 1), "duty", False)]})
    found = qd366_2025.check([m, leader], ctx)
    assert [(v.rule, v.subject) for v in found] == [("discipline.member", leader.key)]  # a leader's own discipline too


def test_qd366_a_breach_of_an_earlier_year_decided_now_counts_now():
    """[§3] QĐ 366, Điều 11 khoản 4.3: "… vi phạm xảy ra từ năm trước … nhưng đến thời điểm đánh giá,
    xếp loại mới bị … quyết định thi hành kỷ luật … thì cấp uỷ cấp trên … căn cứ vào hình thức kỷ
    luật … để đánh giá, xếp loại ở thời điểm đánh giá hiện tại." Keyed on the decision's date."""
    m = one(GOOD)
    now = context(2026, discipline={m.member_id: [(D(2026, 2, 10), "khien_trach", D(2025, 9, 1), "duty")]})
    found = qd366_2025.check([m], now)
    assert rules_of(found) == ["discipline.member"]
    assert "vi phạm ngày 01/09/2025, trước kỳ đánh giá, được tính vào kỳ này" in found[0].message
    earlier = context(2026, discipline={m.member_id: [(D(2025, 12, 20), "khien_trach", D(2025, 9, 1), "duty")]})
    assert qd366_2025.check([m], earlier) == []  # decided in 2025: the 2025 round's


# -- §4 organizations and leaders tied to their units ------------------------------------------------


def test_hd21_a_leader_is_not_rated_above_their_collective():
    """[§4] HD 21, tiết 4: "Mức xếp loại của người đứng đầu không được cao hơn mức xếp loại của tập
    thể lãnh đạo, quản lý, tổ chức, cơ quan, đơn vị do mình đứng đầu." A setting, on for HD 21."""
    collective = fact(SATISFACTORY, COLLECTIVE, organization_id=30, parent_id=5)
    leader = fact(GOOD, LEADER, organization_id=30, parent_id=5)
    found = hd21_2019.check([collective, leader], context(2022, leader_not_above_collective=True))
    assert [(v.rule, v.keys) for v in found] == [("leader.collective", (leader.key, collective.key))]
    assert hd21_2019.check([collective, leader], context(2022, leader_not_above_collective=False)) == []
    assert rules.settings_of(hd21_2019)["leader_not_above_collective"].default is True
    assert rules.settings_of(qd366_2025)["leader_not_above_collective"].default is False


def test_qd124_a_collective_fails_with_more_than_20_percent_of_its_units_disciplined():
    """[§4] QĐ 124: "Tập thể lãnh đạo, quản lý bị xử lý kỷ luật hoặc có trên 20% số đơn vị trực
    thuộc bị kỷ luật trong năm." 1 of 5 is 20%, not more; 2 of 5 is."""
    def units(n_disciplined):
        # a disciplined unit is itself rated KHTNV, by the same clause
        return [fact(FAILED if i < n_disciplined else GOOD, ORG, organization_id=50 + i, parent_id=30, disciplined=i < n_disciplined)
                for i in range(5)]
    committee = fact(GOOD, ORG, organization_id=30, parent_id=5)
    assert qd124_2023.check([committee, *units(1)], context(2024)) == []
    found = qd124_2023.check([committee, *units(2)], context(2024))
    assert [(v.rule, v.subject) for v in found] == [("organization.units_disciplined", committee.key)]
    itself = fact(SATISFACTORY, COLLECTIVE, organization_id=30, parent_id=5, disciplined=True)
    assert rules_of(qd124_2023.check([itself], context(2024))) == ["organization.units_disciplined"]


def test_qd366_a_leader_fails_when_more_than_half_of_their_units_fail():
    """[§4] QĐ 366, Điều 11 khoản 4: "… có trên 50% tổng số địa phương, lĩnh vực, cơ quan, đơn vị, bộ
    phận mà cá nhân phụ trách … bị xếp loại 'Không hoàn thành nhiệm vụ'." 1 of 2 is not more than
    half; 2 of 3 is. The Front and mass organizations of the commune are among the units."""
    leader = one(GOOD, LEADER, organization_id=30, parent_id=5)
    half = [one(FAILED, ORG, organization_id=51, parent_id=30), one(GOOD, ORG, organization_id=52, parent_id=30)]
    assert rules_of(qd366_2025.check([leader, *half], context(2025))) == []
    more = [*half, one(FAILED, MASS, organization_id=30, parent_id=30)]
    found = qd366_2025.check([leader, *more], context(2025))
    assert [(v.rule, v.subject) for v in found] == [("leader.units", leader.key)]
    assert "2/3 đơn vị do mình phụ trách" in found[0].message
    assert qd366_2025.check([one(FAILED, LEADER, organization_id=30, parent_id=5), *more], context(2025)) == []


def test_qd366_a_leadership_member_disciplined_for_duty_fails_the_collective():
    """[§4] QĐ 366, Điều 11 khoản 4: "Có thành viên trong tập thể lãnh đạo, quản lý vi phạm liên quan
    đến chức trách, nhiệm vụ trong thực thi công vụ bị xử lý kỷ luật từ khiển trách trở lên …"."""
    collective = one(SATISFACTORY, COLLECTIVE, organization_id=30, parent_id=5)
    leader = one(FAILED, LEADER, organization_id=30, parent_id=5)
    duty = context(2025, discipline={leader.member_id: [(D(2025, 5, 1), "khien_trach", D(2025, 3, 1), "duty")]})
    assert rules_of(qd366_2025.check([collective, leader], duty)) == ["discipline.leadership"]
    other = context(2025, discipline={leader.member_id: [(D(2025, 5, 1), "khien_trach", D(2025, 3, 1), "other")]})
    assert qd366_2025.check([collective, leader], other) == []


def test_qd366_excellent_is_barred_by_a_disciplined_unit():
    """[§2] "Collective HTXSNV also needs: … no subordinate unit and no member of the leadership
    collective disciplined" (QĐ 366, Điều 11 khoản 1.1: "… Không có đơn vị trực thuộc … hoặc thành
    viên của tập thể lãnh đạo, quản lý bị kỷ luật.")."""
    committee = one(EXCELLENT, ORG, organization_id=30, parent_id=5)
    unit = one(GOOD, ORG, organization_id=51, parent_id=30, disciplined=True)
    found = qd366_2025.check([committee, unit, *scored(5, GOOD, kind=ORG, parent_id=5)], context(2025))
    assert "collective.units_disciplined" in rules_of(found)


# -- settings shown with their source -------------------------------------------------------------------


@pytest.mark.parametrize("module, key, confidence", [
    (hd21_2019, "cap_percent", SECONDARY), (hd21_2019, "cap_rounding", UNCONFIRMED),
    (qd124_2023, "cap_percent", UNCONFIRMED), (qd124_2023, "cap_base", UNCONFIRMED),
    (qd366_2025, "cap_percent", SECONDARY), (qd366_2025, "cap_allowance", SECONDARY), (qd366_2025, "cap_base", SECONDARY),
    (qd366_2025, "cap_rounding", UNCONFIRMED), (qd366_2025, "cap_groups", UNCONFIRMED),
])
def test_each_setting_carries_its_source_and_confidence(module, key, confidence):
    """[How to read this] "Nothing here is CONFIRMED from the document's own text": a setting is
    SECONDARY (verbatim) or UNCONFIRMED, with the clause or the reason it is open."""
    setting = rules.settings_of(module)[key]
    assert setting.confidence == confidence
    assert str(setting.source)
