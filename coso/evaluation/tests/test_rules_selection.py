"""Which rule set a period's date chooses, and the old scales kept readable."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from coso.evaluation import rules
from coso.evaluation.choices import SubjectKind

D = dt.date


@pytest.mark.parametrize("on, code", [
    (D(2008, 10, 10), "hd27_2014"), (D(2017, 12, 31), "hd27_2014"), (D(2018, 3, 7), "hd27_2014"),
    (D(2018, 3, 8), "hd21_2019"), (D(2022, 12, 31), "hd21_2019"), (D(2023, 10, 3), "hd21_2019"),
    (D(2023, 10, 4), "qd124_2023"), (D(2024, 12, 31), "qd124_2023"), (D(2025, 8, 29), "qd124_2023"),
    (D(2025, 8, 30), "qd366_2025"), (D(2025, 12, 31), "qd366_2025"),
])
def test_it_chooses_the_rule_set_in_force_on_the_date(on, code):
    assert rules.for_date(on).CODE == code


def test_it_knows_no_rule_set_before_2008():
    with pytest.raises(ValidationError):
        rules.for_date(D(2008, 10, 9))


def test_the_old_titles_stay_readable():
    old = rules.get("hd27_2014")
    assert old.label(SubjectKind.ORGANIZATION, "tsvm") == "Trong sạch, vững mạnh"
    assert old.label(SubjectKind.MEMBER, "htxs") == "Đủ tư cách, hoàn thành xuất sắc nhiệm vụ"
    assert old.label(SubjectKind.MASS_ORGANIZATION, "vung_manh") == "Vững mạnh"
    assert old.check([], None) == []


def test_every_rule_set_names_every_level_of_every_kind():
    for module in rules.RULE_SETS:
        for kind in SubjectKind.values:
            levels = module.levels_for(kind)
            assert [lv.rank for lv in levels] == [4, 3, 2, 1]
            assert all(module.label(kind, lv.code) for lv in levels)
