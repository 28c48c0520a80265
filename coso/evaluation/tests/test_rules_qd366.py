"""366-QĐ/TW (2025): the 100-point scale at its boundaries, its conditions, and the checks."""

import datetime as dt
from decimal import Decimal

import pytest

from coso.evaluation.choices import PeriodKind, SubjectKind
from coso.evaluation.rules import qd366_2025 as rules
from coso.evaluation.rules.base import EXCELLENT, FAILED, GOOD, SATISFACTORY

from .facts import context, fact, many, rules_of

D = dt.date
ORG, COLLECTIVE, LEADER = SubjectKind.ORGANIZATION, SubjectKind.COLLECTIVE, SubjectKind.LEADER


@pytest.mark.parametrize("score, level", [
    ("100", EXCELLENT), ("90", EXCELLENT), ("89.99", GOOD), ("89.5", GOOD), ("70", GOOD), ("69.99", SATISFACTORY),
    ("50", SATISFACTORY), ("49.99", FAILED), ("0", FAILED),
])
def test_the_score_bands_at_their_boundaries(score, level):
    assert rules.level_for_score(Decimal(score)) == level


def test_excellent_needs_its_conditions_when_they_are_recorded():
    assert rules.level_for_score(95, {"on_time": True, "exceeded_pct": 30, "shortcomings_fixed": True}) == EXCELLENT
    assert rules.level_for_score(95, {"exceeded_pct": 29}) == GOOD  # under 30% beyond requirements
    assert rules.level_for_score(95, {"shortcomings_fixed": False}) == GOOD
    assert rules.level_for_score(95, {"on_time": False}) == SATISFACTORY  # HTTNV needs 100% on time too


def test_a_collective_behind_schedule_falls_below_satisfactory():
    assert rules.level_for_score(60, {"late_pct": 20}, ORG) == SATISFACTORY
    assert rules.level_for_score(60, {"late_pct": 25}, ORG) == FAILED
    assert rules.level_for_score(60, {"completed": False}, COLLECTIVE) == FAILED
    assert rules.level_for_score(60, {"late_pct": 25}, SubjectKind.MEMBER) == SATISFACTORY  # a collective's condition


def test_the_score_is_30_general_plus_70_tasks():
    assert rules.total_score(30, 70) == 100
    assert rules.total_score("25.5", "62") == Decimal("87.5")
    with pytest.raises(ValueError):
        rules.total_score(31, 60)
    with pytest.raises(ValueError):
        rules.total_score(20, 71)


def test_it_refuses_a_level_above_the_score():
    found = rules.check([fact(EXCELLENT, name="Phạm Văn Dũng", score="89.5")], context(2025, cap=None))
    assert rules_of(found) == ["score.level"]
    assert found[0].message == ("Phạm Văn Dũng đạt 89,5 điểm nên chỉ được xếp loại “Hoàn thành tốt nhiệm vụ”, "
                                "không được xếp loại “Hoàn thành xuất sắc nhiệm vụ” theo Quy định 366-QĐ/TW ngày 30/08/2025, Điều 11.")
    assert rules.check([fact(EXCELLENT, score=90)], context(2025, cap=None)) == []
    assert rules.check([fact(SATISFACTORY, score=95)], context(2025)) == []  # lower than the score allows: the competent level's call


def test_it_refuses_a_rating_without_a_score():
    assert rules_of(rules.check([fact(GOOD)], context(2025))) == ["score.missing"]


def test_a_collective_with_a_disciplined_leader_cannot_be_excellent():
    leader = fact(FAILED, kind=LEADER, organization_id=10, score=40)
    org = fact(EXCELLENT, kind=ORG, name="Đảng bộ xã A1", organization_id=10, score=95)
    found = rules.check([leader, org], context(2025, cap=None, discipline={leader.member_id: [(D(2025, 4, 1), "khien_trach")]}))
    assert rules_of(found) == ["discipline.collective"]
    org.level = GOOD
    assert rules.check([leader, org], context(2025, discipline={leader.member_id: [(D(2025, 4, 1), "khien_trach")]})) == []


def test_a_disciplined_member_fails_unless_the_breach_was_of_another_kind():
    # Điều 11 khoản 4.2 (evaluation-answers.md §3; test_rules_answers.py has the worked examples)
    m = fact(GOOD, score=80)
    assert rules_of(rules.check([m], context(2025, discipline={m.member_id: [(D(2025, 4, 1), "khien_trach")]}))) == ["discipline.member"]
    other = context(2025, discipline={m.member_id: [(D(2025, 4, 1), "khien_trach", None, "other")]})
    assert rules.check([m], other) == []


def test_the_cap_applies_as_configured():
    assert rules_of(rules.check(many(10, GOOD, score=80) + many(3, EXCELLENT, score=95), context(2025))) == ["cap.members"]
    assert rules.check(many(10, GOOD, score=80) + many(3, EXCELLENT, score=95), context(2025, cap=None)) == []


def test_it_reviews_by_term_year_and_quarter():
    assert set(rules.PERIOD_KINDS) == {PeriodKind.YEAR, PeriodKind.QUARTER, PeriodKind.TERM}
