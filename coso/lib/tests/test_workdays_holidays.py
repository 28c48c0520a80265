"""Working days around the public holidays of Vietnam (Bộ luật Lao động 2019, Điều 112)."""

import datetime as dt

import pytest

from coso.lib.holidays import (
    HUNG_KINGS_DAY,
    LUNAR_NEW_YEAR,
    is_public_holiday,
    national_day_days,
    public_holidays,
    tet_days,
)
from coso.lib.workdays import add_working_days, is_working_day, working_days_between

D = dt.date


def test_it_skips_the_five_days_of_tet_2026():
    # Tết Bính Ngọ is Tuesday 17/02/2026: Monday 16 (the last day of the lunar year) to Friday 20 are off
    assert tet_days(2026) == [D(2026, 2, 16), D(2026, 2, 17), D(2026, 2, 18), D(2026, 2, 19), D(2026, 2, 20)]
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)  # Friday before Tết -> Monday after
    assert not is_working_day(D(2026, 2, 17))


def test_a_thirty_working_day_deadline_spanning_tet_ends_a_week_later():
    # a transfer letter on Monday 02/02/2026: 30 working days end on 23/03, not 16/03
    assert add_working_days(D(2026, 2, 2), 30) == D(2026, 3, 23)
    assert working_days_between(D(2026, 2, 2), D(2026, 3, 23)) == 30
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 23)) == 1


def test_it_skips_the_solar_holidays():
    assert add_working_days(D(2024, 12, 31), 1) == D(2025, 1, 2)  # Tết Dương lịch
    assert add_working_days(D(2025, 4, 29), 1) == D(2025, 5, 2)  # 30/4 and 1/5 (Wednesday, Thursday)
    assert add_working_days(D(2025, 4, 4), 1) == D(2025, 4, 8)  # Giỗ Tổ 10/3 âm lịch: Monday 07/04/2025


def test_the_national_day_has_two_days_from_2021():
    # the Government's choice of the second day: 2021 3/9, 2022 1/9, 2023 1/9, 2024 3/9, 2025 1/9
    second = {2021: D(2021, 9, 3), 2022: D(2022, 9, 1), 2023: D(2023, 9, 1), 2024: D(2024, 9, 3), 2025: D(2025, 9, 1)}
    for year, day in second.items():
        assert set(national_day_days(year)) == {D(year, 9, 2), day}
    assert add_working_days(D(2025, 8, 29), 1) == D(2025, 9, 3)  # Friday -> Wednesday (1/9, 2/9 off)
    assert add_working_days(D(2024, 8, 30), 1) == D(2024, 9, 4)  # Friday -> Wednesday (2/9, 3/9 off)
    # Bộ luật Lao động 2012: 2/9 only
    assert national_day_days(2019) == [D(2019, 9, 2)]
    assert add_working_days(D(2019, 8, 30), 1) == D(2019, 9, 3)


def test_the_callers_extra_days_add_to_the_public_holidays():
    # Giỗ Tổ 2026 falls on Sunday 26/04: the compensatory Monday is not modelled, the caller adds it
    assert add_working_days(D(2026, 4, 24), 1) == D(2026, 4, 27)
    assert add_working_days(D(2026, 4, 24), 1, holidays={D(2026, 4, 27)}) == D(2026, 4, 28)
    assert add_working_days(D(2026, 2, 13), 1, holidays={D(2026, 2, 23)}) == D(2026, 2, 24)  # Tết still counts


def test_outside_the_lunar_table_only_the_solar_holidays_count():
    assert public_holidays(2040) == {D(2040, 1, 1), D(2040, 4, 30), D(2040, 5, 1), *national_day_days(2040)}
    assert tet_days(2014) == [] and tet_days(2036) == []


@pytest.mark.parametrize("year", sorted(LUNAR_NEW_YEAR))
def test_the_lunar_table_is_consistent(year):
    """A mistyped table entry shows up: Tết falls between 21/01 and 20/02, and Giỗ Tổ comes two
    lunar months and nine days later (three months and nine days when a leap month 1 or 2 intervenes)."""
    tet, hung = LUNAR_NEW_YEAR[year], HUNG_KINGS_DAY[year]
    assert D(year, 1, 21) <= tet <= D(year, 2, 20)
    assert (hung - tet).days in {67, 68, 69, 96, 97, 98, 99}
    assert is_public_holiday(hung) and all(is_public_holiday(d) for d in tet_days(year))
    assert len(public_holidays(year)) == (11 if year >= 2021 else 10)  # no two holidays on one day


def test_the_public_holidays_of_2026():
    assert sorted(public_holidays(2026)) == [
        D(2026, 1, 1), D(2026, 2, 16), D(2026, 2, 17), D(2026, 2, 18), D(2026, 2, 19), D(2026, 2, 20),
        D(2026, 4, 26), D(2026, 4, 30), D(2026, 5, 1), D(2026, 9, 1), D(2026, 9, 2),
    ]
