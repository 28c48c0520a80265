"""Party dues: worked amounts under 342-QĐ/TW and 03-HD/VPTW in whole đồng, the cell's month
(collected, owed, the share kept and remitted) and the arrears list (three months of a year
unpaid without reason: listed, never removed)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from coso.activities import dues, selectors, services
from coso.activities.dues import Area, IncomeKind
from coso.activities.models import DuesPayment
from coso.organizations.scope import Scope

from .factories import members

D = dt.date
RULES = dues.rules_for_month(D(2025, 3, 1))


@pytest.mark.parametrize("kind, income, area, past, voluntary, amount", [
    (IncomeKind.STATE_SALARY, 8_765_432, Area.OTHER, False, 0, 87_654),  # 1%: 87,654.32 → 87,654
    (IncomeKind.STATE_SALARY, 8_765_450, Area.OTHER, False, 0, 87_655),  # 87,654.50 → half up
    (IncomeKind.ARMED_ALLOWANCE, 1_000_000, Area.OTHER, False, 0, 10_000),
    (IncomeKind.ENTERPRISE, 12_000_000, Area.OTHER, False, 0, 120_000),
    (IncomeKind.PENSION, 6_543_210, Area.OTHER, False, 0, 32_716),  # 0.5%: 32,716.05
    (IncomeKind.OTHER, None, Area.CITY_INNER, False, 0, 10_000),
    (IncomeKind.OTHER, None, Area.URBAN_INNER, False, 0, 8_000),
    (IncomeKind.OTHER, None, Area.REMOTE, False, 0, 4_000),
    (IncomeKind.OTHER, None, Area.OTHER, False, 0, 6_000),
    (IncomeKind.OTHER, None, Area.OTHER, True, 0, 3_000),  # past working age: half
    (IncomeKind.OTHER, None, Area.REMOTE, True, 0, 2_000),
    (IncomeKind.STUDENT, None, Area.OTHER, False, 0, 3_000),  # UNCONFIRMED default
    (IncomeKind.OTHER, None, Area.OTHER, False, 20_000, 20_000),  # voluntary, higher than the rate
    (IncomeKind.PENSION, 6_000_000, Area.OTHER, False, 10_000, 30_000),  # voluntary lower: the rate
])
def test_it_prices_a_month_of_dues_in_whole_dong(kind, income, area, past, voluntary, amount):
    got = dues.monthly_amount(RULES, income_kind=kind, income=income, area=area, past_working_age=past, voluntary=voluntary)
    assert got == amount and isinstance(got, int)


def test_it_rounds_to_the_thousand_when_the_set_says_so_and_splits_the_remittance_exactly():
    thousand = dues.DuesRules(**{**RULES.__dict__, "rounding": "thousand"})
    assert dues.monthly_amount(thousand, income_kind=IncomeKind.STATE_SALARY, income=8_765_432) == 88_000
    assert dues.monthly_amount(thousand, income_kind=IncomeKind.STATE_SALARY, income=8_745_432) == 87_000
    assert dues.remittance(RULES, 100_001) == (30_000, 70_001)  # the share kept rounded down: nothing short upward
    with pytest.raises(dues.DuesError) as error:
        dues.monthly_amount(RULES, income_kind=IncomeKind.PENSION)
    assert error.value.field == "income"


def test_it_records_the_month_of_a_cell_and_what_it_keeps_and_remits(tree, people):
    a, b, c = members(tree.cell_a1a, "Phan", 3)
    services.set_dues_profile(actor=None, member=a, valid_from=D(2024, 1, 1), income_kind=IncomeKind.STATE_SALARY, income=7_000_000)
    services.set_dues_profile(actor=None, member=b, valid_from=D(2024, 1, 1), income_kind=IncomeKind.OTHER, area=Area.OTHER)
    # a raise from March: the month is priced on its first day
    services.set_dues_profile(actor=None, member=a, valid_from=D(2024, 3, 1), income_kind=IncomeKind.STATE_SALARY, income=8_000_000)
    services.record_dues(actor=None, organization=tree.cell_a1a, member_id=a.pk, month=D(2024, 3, 1), paid=True, paid_on=D(2024, 3, 10))
    services.record_dues(actor=None, organization=tree.cell_a1a, member_id=b.pk, month=D(2024, 3, 1), paid=False, reason="Đi làm xa")
    month = selectors.dues_month(tree.cell_a1a.pk, D(2024, 3, 1), D(2024, 4, 1))
    assert [(r.name, r.due, r.paid) for r in month.rows] == [("Phan Văn A", 80_000, 80_000), ("Phan Văn B", 6_000, 0), ("Phan Văn C", None, 0)]
    assert (month.expected, month.collected, month.owed, month.kept, month.remitted) == (86_000, 80_000, 6_000, 24_000, 56_000)
    with pytest.raises(ValidationError) as error:
        services.record_dues(actor=None, organization=tree.cell_a1a, member_id=c.pk, month=D(2024, 3, 1), paid=True)
    assert "member" in error.value.error_dict  # no rate
    with pytest.raises(ValidationError) as error:
        services.record_dues(actor=None, organization=tree.cell_a1a, member_id=b.pk, month=D(2024, 4, 1), paid=False)
    assert "reason" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.set_dues_profile(actor=None, member=c, valid_from=D(2024, 1, 1), income_kind=IncomeKind.PENSION)
    assert "income" in error.value.error_dict
    assert DuesPayment.objects.count() == 2


def test_it_lists_three_months_unpaid_without_reason_never_removing(tree, people):
    a, b = members(tree.cell_a1a, "Khúc", 2)
    for m in (a, b):
        services.set_dues_profile(actor=None, member=m, valid_from=D(2024, 1, 1), income_kind=IncomeKind.OTHER)
    for month in (1, 2, 3, 4):
        services.record_dues(actor=None, organization=tree.cell_a1a, member_id=b.pk, month=D(2024, month, 1), paid=True)
    services.record_dues(actor=None, organization=tree.cell_a1a, member_id=a.pk, month=D(2024, 1, 1), paid=True)
    services.record_dues(actor=None, organization=tree.cell_a1a, member_id=a.pk, month=D(2024, 2, 1), paid=False, reason="Ốm")
    scope = Scope(people.staff_a)
    # March and April unpaid: two months
    assert selectors.arrears(scope, tree.commune_a1.pk, 2024, D(2024, 5, 1)) == []
    cases = selectors.arrears(scope, tree.commune_a1.pk, 2024, D(2024, 6, 1))  # May is over too
    assert [(c.name, [m.month for m in c.months]) for c in cases] == [("Khúc Văn A", [3, 4, 5])]
    assert "Điều 8" in cases[0].rule
    a.refresh_from_db()
    assert a.status == "official"
    assert selectors.arrears(Scope(people.staff_b), tree.commune_a1.pk, 2024, D(2024, 6, 1)) == []


def test_the_months_that_list_a_member_are_a_value_of_the_dated_set(tree, people, monkeypatch):
    """The Statute's three months is the default; a set dated from a later 1 January may say six
    (the figure issue #16 gives), and the list then follows it from that year, citing its rule."""
    import dataclasses

    six = dataclasses.replace(dues.RULE_SETS[-1], valid_from=D(2024, 1, 1), removal_months=6, removal_rule="Quy chế thử: sáu tháng")
    monkeypatch.setattr(dues, "RULE_SETS", [*dues.RULE_SETS, six])
    (a,) = members(tree.cell_a1a, "Khúc", 1)
    services.set_dues_profile(actor=None, member=a, valid_from=D(2024, 1, 1), income_kind=IncomeKind.OTHER)
    scope = Scope(people.staff_a)
    assert dues.rules_for_month(D(2023, 12, 1)).removal_months == 3
    assert selectors.arrears(scope, tree.commune_a1.pk, 2024, D(2024, 6, 1)) == []  # five months unpaid
    cases = selectors.arrears(scope, tree.commune_a1.pk, 2024, D(2024, 7, 1))  # six
    assert [len(c.months) for c in cases] == [6] and cases[0].rule == "Quy chế thử: sáu tháng"
