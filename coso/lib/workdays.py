"""Working days (ngày làm việc): the unit of the Party's deadlines (reference §2.5, §2.8).

Monday to Friday count; Saturdays and Sundays do not. National holidays (Tết, 30/4, 1/5, 2/9,
Giỗ Tổ) and the make-up working days the Government swaps in each year are a later concern: they
need a dated table kept by an operator. Until then callers pass `holidays` themselves, and a
deadline computed here can come out a few days early around a holiday, never late.
"""

import datetime as dt
from collections.abc import Container

ONE_DAY = dt.timedelta(days=1)


def is_working_day(day: dt.date, holidays: Container = ()) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(day: dt.date, n: int, holidays: Container = ()) -> dt.date:
    """The date n working days after day (n >= 0); day itself does not count."""
    if n < 0:
        raise ValueError("n must not be negative")
    # whole weeks first (five working days per seven calendar days when nothing is a holiday),
    # keeping at least one day to step so that the result is itself a working day
    if not holidays and n > 5:
        weeks = (n - 1) // 5
        day += dt.timedelta(weeks=weeks)
        n -= weeks * 5
    while n:
        day += ONE_DAY
        if is_working_day(day, holidays):
            n -= 1
    return day


def working_days_between(start: dt.date, end: dt.date, holidays: Container = ()) -> int:
    """Working days after start up to and including end (0 when end <= start)."""
    count, day = 0, start
    if end <= start:
        return 0
    weeks = (end - start).days // 7
    if not holidays:
        count, day = weeks * 5, start + dt.timedelta(weeks=weeks)
    while day < end:
        day += ONE_DAY
        if is_working_day(day, holidays):
            count += 1
    return count
