"""132-QĐ/TW + 21-HD/BTCTW (2019): worked examples for each rule (rules/hd21_2019.py)."""

import datetime as dt

from coso.evaluation.choices import SubjectKind
from coso.evaluation.rules import hd21_2019 as rules
from coso.evaluation.rules.base import EXCELLENT, FAILED, GOOD, SATISFACTORY

from .facts import context, fact, many, rules_of

D = dt.date
MEMBER, ORG, COLLECTIVE, LEADER = SubjectKind.MEMBER, SubjectKind.ORGANIZATION, SubjectKind.COLLECTIVE, SubjectKind.LEADER


# -- the cap: HTXSNV ≤ 20% of HTTNV in each grassroots organization ------------------------------------


def test_it_refuses_3_excellent_beside_10_good():
    # 20% of 10 rated HTTNV = 2 at most; the third breaks the cap
    found = rules.check(many(10, GOOD) + many(3, EXCELLENT), context(2022))
    assert rules_of(found) == ["cap.members"]
    assert "Đảng bộ xã A1" in found[0].message
    assert "3 đảng viên" in found[0].message and "tối đa 2" in found[0].message
    assert "21-HD/BTCTW" in found[0].message
    assert len(found[0].keys) == 3


def test_it_allows_2_excellent_beside_10_good():
    assert rules.check(many(10, GOOD) + many(2, EXCELLENT), context(2022)) == []


def test_the_cap_rounds_down_no_rounding_is_stated():
    # "không vượt quá 20%": 4 rated good allow 0.8, so none; 5 allow exactly 1; 14 allow 2.8, so 2
    assert rules_of(rules.check(many(4, GOOD) + many(1, EXCELLENT), context(2022))) == ["cap.members"]
    assert rules.check(many(5, GOOD) + many(1, EXCELLENT), context(2022)) == []
    assert rules_of(rules.check(many(14, GOOD) + many(3, EXCELLENT), context(2022))) == ["cap.members"]


def test_the_base_is_those_rated_good_not_good_and_above():
    # 9 good and 2 excellent: 20% of 9 = 1.8 (refused); 20% of the 11 good-or-better would be 2.2
    assert rules_of(rules.check(many(9, GOOD) + many(2, EXCELLENT), context(2022))) == ["cap.members"]


def test_the_cap_is_counted_per_grassroots_organization():
    a = many(10, GOOD, grassroots_id=1) + many(2, EXCELLENT, grassroots_id=1)
    b = many(4, GOOD, grassroots_id=2) + many(1, EXCELLENT, grassroots_id=2)
    found = rules.check(a + b, context(2022))
    assert [(v.rule, v.organization_id) for v in found] == [("cap.members", 2)]
    assert "Chi bộ cơ sở A2" in found[0].message


def test_the_cap_counts_members_only_and_may_be_cleared():
    orgs = many(1, GOOD, kind=ORG) + many(1, EXCELLENT, kind=ORG)
    assert rules.check(orgs, context(2022)) == []
    assert rules.check(many(1, GOOD) + many(3, EXCELLENT), context(2022, cap=None)) == []
    assert rules.check(many(10, GOOD) + many(3, EXCELLENT), context(2022, cap=30)) == []


# -- a member disciplined in the year is rated KHTNV ------------------------------------------------------


def test_it_refuses_a_member_reprimanded_in_the_year_rated_good():
    m = fact(GOOD, name="Nguyễn Văn An")
    found = rules.check([m], context(2022, discipline={m.member_id: [(D(2022, 5, 10), "khien_trach")]}))
    assert rules_of(found) == ["discipline.member"]
    assert found[0].message.startswith("Nguyễn Văn An bị kỷ luật khiển trách ngày 10/05/2022")
    assert "“Không hoàn thành nhiệm vụ”" in found[0].message and "2.3.d" in found[0].message


def test_even_satisfactory_is_too_high_for_a_disciplined_member():
    m = fact(SATISFACTORY)
    assert rules_of(rules.check([m], context(2022, discipline={m.member_id: [(D(2022, 1, 1), "khien_trach")]}))) == ["discipline.member"]


def test_a_disciplined_member_rated_failed_passes():
    m = fact(FAILED)
    assert rules.check([m], context(2022, discipline={m.member_id: [(D(2022, 5, 10), "canh_cao")]})) == []


def test_a_discipline_of_another_year_does_not_count():
    m = fact(GOOD)
    assert rules.check([m], context(2022, discipline={m.member_id: [(D(2021, 12, 31), "khien_trach")]})) == []


def test_a_leader_is_a_member_too():
    m = fact(GOOD, kind=LEADER)
    assert rules_of(rules.check([m], context(2022, discipline={m.member_id: [(D(2022, 3, 1), "khien_trach")]}))) == ["discipline.member"]


# -- a leadership collective with a member disciplined "từ cảnh cáo trở lên" is rated KHTNV -------------


def test_it_refuses_a_collective_whose_leader_was_warned():
    leader = fact(FAILED, kind=LEADER, name="Trần Văn Bình", organization_id=10)
    collective = fact(SATISFACTORY, kind=COLLECTIVE, name="Tập thể lãnh đạo Đảng bộ xã A1", organization_id=10)
    found = rules.check([leader, collective], context(2022, discipline={leader.member_id: [(D(2022, 6, 1), "canh_cao")]}))
    assert rules_of(found) == ["discipline.collective"]
    assert "Trần Văn Bình" in found[0].message and "cảnh cáo" in found[0].message


def test_a_reprimanded_leader_leaves_the_collective_alone():
    leader = fact(FAILED, kind=LEADER, organization_id=10)
    collective = fact(GOOD, kind=COLLECTIVE, organization_id=10)
    assert rules.check([leader, collective], context(2022, discipline={leader.member_id: [(D(2022, 6, 1), "khien_trach")]})) == []


# -- an organization against its members or subordinate organizations -----------------------------------


def cell(level, *member_levels, org=20):
    return [fact(level, kind=ORG, name="Chi bộ thôn A1a", organization_id=org, parent_id=1)] + [
        fact(lv, organization_id=org) for lv in member_levels]


def test_a_cell_rated_good_needs_every_member_satisfactory_or_better():
    found = rules.check(cell(GOOD, GOOD, GOOD, GOOD, GOOD, FAILED), context(2022))
    assert rules_of(found) == ["organization.members"]
    assert found[0].message.startswith("Chi bộ thôn A1a được xếp loại “Hoàn thành tốt nhiệm vụ” cần 100%")


def test_a_cell_rated_good_needs_half_its_members_good_or_better():
    assert rules_of(rules.check(cell(GOOD, GOOD, SATISFACTORY, SATISFACTORY), context(2022))) == ["organization.members"]
    assert rules.check(cell(GOOD, GOOD, GOOD, SATISFACTORY, SATISFACTORY), context(2022)) == []  # 2 of 4 is 50%
    assert rules_of(rules.check(cell(EXCELLENT, GOOD, SATISFACTORY, SATISFACTORY), context(2022))) == ["organization.members"]


def test_a_cell_with_more_than_a_fifth_of_its_members_failed_is_failed():
    # 1 of 5 is 20%: not "trên 20%"; 2 of 5 is
    assert rules.check(cell(SATISFACTORY, GOOD, GOOD, GOOD, GOOD, FAILED), context(2022)) == []
    found = rules.check(cell(SATISFACTORY, GOOD, GOOD, GOOD, FAILED, FAILED), context(2022))
    assert rules_of(found) == ["organization.failed"]
    assert "2/5" in found[0].message
    assert rules.check(cell(FAILED, GOOD, GOOD, GOOD, FAILED, FAILED), context(2022)) == []


def test_a_committee_is_held_to_its_subordinate_organizations():
    def committee(level, *cell_levels):
        return [fact(level, kind=ORG, name="Đảng bộ xã A1", organization_id=1, parent_id=100)] + [
            fact(lv, kind=ORG, organization_id=30 + i, parent_id=1) for i, lv in enumerate(cell_levels)]

    assert rules.check(committee(GOOD, GOOD, SATISFACTORY), context(2022)) == []
    assert rules_of(rules.check(committee(GOOD, SATISFACTORY, SATISFACTORY), context(2022))) == ["organization.members"]
    assert "tổ chức đảng trực thuộc" in rules.check(committee(GOOD, SATISFACTORY, SATISFACTORY), context(2022))[0].message


def test_unrated_subjects_are_not_counted():
    assert rules.check(cell(GOOD, GOOD, None, None, None), context(2022)) == []
