"""Public holidays of Vietnam as solar dates: the days coso.lib.workdays does not count.

Bộ luật Lao động 2019 (45/2019/QH14), Điều 112, khoản 1, in force from 01/01/2021:
  Tết Dương lịch 1 day (1/1); Tết Âm lịch 5 days; Ngày Chiến thắng 1 day (30/4); Ngày Quốc tế
  lao động 1 day (1/5); Quốc khánh 2 days (2/9 and one adjacent day, 1/9 or 3/9); Giỗ Tổ Hùng
  Vương 1 day (10/3 âm lịch).
Before 2021 (Bộ luật Lao động 2012, Điều 115) Quốc khánh was 2/9 only; the rest is the same.

How the days are placed, and what is not modelled:
- Tết Âm lịch: the last day of the lunar year and days 1 to 4 of the new one ("1 ngày cuối năm,
  4 ngày đầu năm"), the usual arrangement (Tết 2026: Monday 16/02 to Friday 20/02). Khoản 3 lets
  the Prime Minister place the 5 days each year; a year placed otherwise needs its days passed by
  the caller.
- Quốc khánh's second day: the neighbour of 2/9 that joins the break to a weekend (2/9 on a
  Monday or a Thursday: 3/9; on a Tuesday or a Friday: 1/9; on a Saturday: 1/9, a Friday; on a
  Sunday: 3/9, a Monday; on a Wednesday, where neither does: 1/9). This reproduces the
  Government's choice for 2021 to 2025 (3/9, 1/9, 1/9, 3/9, 1/9).
- Compensatory days (nghỉ bù, Điều 111 khoản 3: a holiday on a Saturday or Sunday moves to the
  next working day) and the working days the Government swaps each year (làm bù) are NOT
  modelled: they are decided year by year. A deadline around such a day can come out one day off;
  callers that know them pass them to workdays' `holidays`.
- The lunar holidays are known for FIRST_LUNAR_YEAR to LAST_LUNAR_YEAR only (the table below);
  outside that range only the solar holidays count.

Source of the lunar table: Hồ Ngọc Đức's algorithm for the Vietnamese lunar calendar (new moons
and solar terms computed for UTC+7, https://www.informatik.uni-leipzig.de/~duc/amlich/), run once;
checked against the dates announced for Tết 2015-2026 (Tết Bính Ngọ 2026: 17/02/2026) and Giỗ
Tổ 2015-2026. UTC+7 matters: Tết 2030 is 02/02 in Vietnam and 03/02 in China.
"""

import datetime as dt
from functools import lru_cache

D = dt.date
ONE_DAY = dt.timedelta(days=1)

# Mùng 1 Tết (1/1 âm lịch) of each lunar year, as a solar date.
LUNAR_NEW_YEAR = {
    2015: D(2015, 2, 19), 2016: D(2016, 2, 8), 2017: D(2017, 1, 28), 2018: D(2018, 2, 16), 2019: D(2019, 2, 5),
    2020: D(2020, 1, 25), 2021: D(2021, 2, 12), 2022: D(2022, 2, 1), 2023: D(2023, 1, 22), 2024: D(2024, 2, 10),
    2025: D(2025, 1, 29), 2026: D(2026, 2, 17), 2027: D(2027, 2, 6), 2028: D(2028, 1, 26), 2029: D(2029, 2, 13),
    2030: D(2030, 2, 2), 2031: D(2031, 1, 23), 2032: D(2032, 2, 11), 2033: D(2033, 1, 31), 2034: D(2034, 2, 19),
    2035: D(2035, 2, 8),
}

# Giỗ Tổ Hùng Vương (10/3 âm lịch; the ordinary third month, never a leap one), as a solar date.
HUNG_KINGS_DAY = {
    2015: D(2015, 4, 28), 2016: D(2016, 4, 16), 2017: D(2017, 4, 6), 2018: D(2018, 4, 25), 2019: D(2019, 4, 14),
    2020: D(2020, 4, 2), 2021: D(2021, 4, 21), 2022: D(2022, 4, 10), 2023: D(2023, 4, 29), 2024: D(2024, 4, 18),
    2025: D(2025, 4, 7), 2026: D(2026, 4, 26), 2027: D(2027, 4, 16), 2028: D(2028, 4, 4), 2029: D(2029, 4, 23),
    2030: D(2030, 4, 12), 2031: D(2031, 4, 1), 2032: D(2032, 4, 19), 2033: D(2033, 4, 9), 2034: D(2034, 4, 28),
    2035: D(2035, 4, 17),
}

FIRST_LUNAR_YEAR, LAST_LUNAR_YEAR = min(LUNAR_NEW_YEAR), max(LUNAR_NEW_YEAR)
# Bộ luật Lao động 2019 takes effect: Quốc khánh becomes two days.
TWO_DAY_NATIONAL_DAY_FROM = 2021


def tet_days(year: int) -> list[dt.date]:
    """The 5 days of Tết Âm lịch falling in the solar year (empty outside the table)."""
    first = LUNAR_NEW_YEAR.get(year)
    if first is None:
        return []
    return [first - ONE_DAY + i * ONE_DAY for i in range(5)]


def national_day_days(year: int) -> list[dt.date]:
    """Quốc khánh: 2/9 and, from 2021, the adjacent day chosen as the module docstring says."""
    day = D(year, 9, 2)
    if year < TWO_DAY_NATIONAL_DAY_FROM:
        return [day]
    # weekday(): Monday 0 ... Sunday 6
    after = day.weekday() in (0, 3, 6)
    return [day, day + ONE_DAY] if after else [day - ONE_DAY, day]


@lru_cache(maxsize=256)
def public_holidays(year: int) -> frozenset[dt.date]:
    """Every public holiday of the solar year (Điều 112, khoản 1), compensatory days excluded."""
    days = {D(year, 1, 1), D(year, 4, 30), D(year, 5, 1), *tet_days(year), *national_day_days(year)}
    if year in HUNG_KINGS_DAY:
        days.add(HUNG_KINGS_DAY[year])
    return frozenset(days)


def is_public_holiday(day: dt.date) -> bool:
    return day in public_holidays(day.year)
