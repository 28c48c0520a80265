"""Working days (ngày làm việc): the unit of the Party's deadlines (reference §2.5, §2.8).

Monday to Friday count, except the public holidays of Vietnam (coso.lib.holidays: Tết Dương
lịch, the 5 days of Tết Âm lịch, Giỗ Tổ Hùng Vương, 30/4, 1/5, Quốc khánh). The compensatory
days and the working days the Government swaps each year are not in that table: callers that know
them pass them as `holidays`, which adds to the public holidays. Without them a deadline that
crosses a holiday on a weekend can come out one day early.
"""

import datetime as dt
from collections.abc import Container

from .holidays import public_holidays

ONE_DAY = dt.timedelta(days=1)


def is_working_day(day: dt.date, holidays: Container = ()) -> bool:
    return day.weekday() < 5 and day not in holidays and day not in public_holidays(day.year)


def add_working_days(day: dt.date, n: int, holidays: Container = ()) -> dt.date:
    """The date n working days after day (n >= 0); day itself does not count."""
    if n < 0:
        raise ValueError("n must not be negative")
    # day by day: a holiday can fall in any week (30 working days are some 45 steps)
    while n:
        day += ONE_DAY
        if is_working_day(day, holidays):
            n -= 1
    return day


def working_days_between(start: dt.date, end: dt.date, holidays: Container = ()) -> int:
    """Working days after start up to and including end (0 when end <= start)."""
    count, day = 0, start
    while day < end:
        day += ONE_DAY
        if is_working_day(day, holidays):
            count += 1
    return count
