"""124-QĐ/TW + 25-HD/BTCTW (2023): worked examples (rules/qd124_2023.py)."""

import datetime as dt

from coso.evaluation.choices import PeriodKind, SubjectKind
from coso.evaluation.rules import qd124_2023 as rules
from coso.evaluation.rules.base import EXCELLENT, FAILED, GOOD, SATISFACTORY

from .facts import context, fact, many, rules_of

D = dt.date


def test_it_refuses_a_member_reprimanded_in_2024_rated_good_for_2024():
    m = fact(GOOD, name="Lê Thị Cúc")
    found = rules.check([m], context(2024, discipline={m.member_id: [(D(2024, 3, 15), "khien_trach")]}))
    assert rules_of(found) == ["discipline.member"]
    assert found[0].message == (
        "Lê Thị Cúc bị kỷ luật khiển trách ngày 15/03/2024 nên chỉ được xếp loại “Không hoàn thành nhiệm vụ”, "
        "không được xếp loại “Hoàn thành tốt nhiệm vụ” theo Quy định 124-QĐ/TW ngày 04/10/2023, Điều 12, khoản 4."
    )


def test_a_disciplined_member_rated_failed_passes():
    m = fact(FAILED)
    assert rules.check([m], context(2024, discipline={m.member_id: [(D(2024, 3, 15), "khien_trach")]})) == []


def test_a_breach_found_and_remedied_by_the_member_is_excepted():
    m = fact(SATISFACTORY, self_remedied=True)
    assert rules.check([m], context(2024, discipline={m.member_id: [(D(2024, 3, 15), "khien_trach")]})) == []


def test_the_cap_applies_as_configured():
    assert rules_of(rules.check(many(10, GOOD) + many(3, EXCELLENT), context(2024))) == ["cap.members"]
    assert rules.check(many(10, GOOD) + many(2, EXCELLENT), context(2024)) == []
    assert rules.check(many(10, GOOD) + many(3, EXCELLENT), context(2024, cap=None)) == []


def test_the_organization_proportions_of_hd21_are_not_carried_over():
    rows = [fact(GOOD, kind=SubjectKind.ORGANIZATION, organization_id=20, parent_id=1), fact(FAILED, organization_id=20)]
    assert rules.check(rows, context(2024)) == []


def test_it_reviews_by_year_only():
    assert rules.PERIOD_KINDS == (PeriodKind.YEAR,)
    assert not rules.SCORED
