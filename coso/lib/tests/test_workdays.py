import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coso.lib.workdays import add_working_days, working_days_between

D = dt.date


def test_it_skips_weekends():
    friday = D(2024, 3, 1)
    assert add_working_days(friday, 1) == D(2024, 3, 4)  # Monday
    assert add_working_days(friday, 5) == D(2024, 3, 8)
    assert add_working_days(D(2024, 3, 2), 1) == D(2024, 3, 4)  # from a Saturday
    assert add_working_days(friday, 0) == friday


def test_it_counts_thirty_working_days_as_six_weeks():
    assert add_working_days(D(2024, 3, 4), 30) == D(2024, 4, 15)


def test_it_skips_the_holidays_it_is_given():
    assert add_working_days(D(2024, 4, 29), 1, holidays={D(2024, 4, 30), D(2024, 5, 1)}) == D(2024, 5, 2)


def test_it_refuses_a_negative_count():
    with pytest.raises(ValueError):
        add_working_days(D(2024, 3, 1), -1)


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 1, 1)), st.integers(min_value=0, max_value=400))
def test_it_counts_back_what_it_added(start, n):
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    assert working_days_between(start, end, holidays={D(1900, 1, 1)}) == n  # an extra day outside the range changes nothing
    assert add_working_days(start, n, holidays={D(1900, 1, 1)}) == end
