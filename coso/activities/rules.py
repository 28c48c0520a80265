"""The rules of cell meetings as dated configuration: which set applies is chosen by the date.

Sources (../shared/domain/political-system.md §D, reference.md §1.5, §2.10):

- Điều lệ Điều 24: the cell and its committee meet regularly once a month;
- a thematic meeting (sinh hoạt chuyên đề) at least once a quarter; it never replaces the monthly
  meeting (reference §1.5; Hướng dẫn 42-HD/BTCTW as reported; the central number setting the
  quarterly rule is UNCONFIRMED);
- Hướng dẫn 12-HD/BTCTW (06/07/2018), framework criteria of a regular meeting: more than 85% of the
  members attend, nobody is absent without reason, nobody is absent with reason more than 3
  consecutive times in the year; members exempted from activities and armed-forces members on
  special duty are left out of the count;
- Hướng dẫn 42-HD/BTCTW (28/10/2025): at least 90 minutes, 120 when the thematic and the regular
  meeting share a session (before it no central minimum was found: none is checked);
- Điều lệ Điều 8, 29-QĐ/TW mục 8: a member who skips party activities, or does not pay dues, for
  3 months in a year without good reason is proposed for removal (xóa tên) by the cell — a list
  for the cell to decide, never an automatic removal.

What the sources leave open (the minimum for small cells, a province's own durations) is a
value of the set, marked UNCONFIRMED beside its source; a later set is added with its date.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

UNCONFIRMED = "UNCONFIRMED"


@dataclass(frozen=True)
class MeetingRules:
    valid_from: dt.date
    source: str
    # minimum length in minutes of a regular meeting, and of a thematic one held in the same
    # session as the regular (None: no minimum known)
    min_minutes: int | None
    combined_min_minutes: int | None
    # a regular meeting meets the attendance criterion with strictly more than this share present
    attendance_percent: int = 85
    # nobody absent with reason more than this many consecutive times (in the year)
    excused_run_limit: int = 3
    # months of unexcused absence in a calendar year that put a member on the removal list
    removal_months: int = 3
    removal_rule: str = ""


REMOVAL_RULE = _("Điều lệ Đảng Điều 8; Quy định 29-QĐ/TW mục 8: đảng viên bỏ sinh hoạt đảng ba tháng trong năm "
                 "mà không có lý do chính đáng thì chi bộ xem xét, đề nghị xóa tên.")


RULE_SETS = [
    MeetingRules(
        valid_from=dt.date(2018, 7, 6),
        source="Hướng dẫn 12-HD/BTCTW (06/07/2018)",
        min_minutes=None,
        combined_min_minutes=None,
        removal_rule=REMOVAL_RULE,
    ),
    MeetingRules(
        valid_from=dt.date(2025, 10, 28),
        source="Chỉ thị 50-CT/TW (23/07/2025), Hướng dẫn 42-HD/BTCTW (28/10/2025)",
        min_minutes=90,
        combined_min_minutes=120,
        removal_rule=REMOVAL_RULE,
    ),
]


def rules_on(day: dt.date) -> MeetingRules:
    """The set in force on the day (the earliest set for a day before every set)."""
    found = RULE_SETS[0]
    for rules in RULE_SETS:
        if rules.valid_from <= day:
            found = rules
    return found


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(month: dt.date) -> dt.date:
    nxt = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_months(year: int, quarter: int) -> list[dt.date]:
    return [dt.date(year, 3 * (quarter - 1) + m, 1) for m in (1, 2, 3)]


def minutes_between(start: dt.time | None, end: dt.time | None) -> int | None:
    """The length in minutes of a meeting from its start and end (None when one is missing)."""
    if start is None or end is None:
        return None
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def minimum_minutes(rules: MeetingRules, combined: bool) -> int | None:
    return rules.combined_min_minutes if combined else rules.min_minutes


@dataclass(frozen=True)
class Counts:
    """The attendance of a meeting: every member of the cell on its date in one of five marks."""

    roster: int = 0
    present: int = 0
    excused: int = 0
    unexcused: int = 0
    exempted: int = 0
    on_duty: int = 0

    @property
    def expected(self) -> int:
        """Those who count for the rate: exempted and on-duty members are left out (HD 12)."""
        return self.roster - self.exempted - self.on_duty

    def rate(self):
        """Present over expected, in percent (a Fraction-free float for display; None when nobody
        is expected)."""
        if self.expected <= 0:
            return None
        return 100 * self.present / self.expected


@dataclass(frozen=True)
class Flags:
    rate_ok: bool
    no_unexcused: bool
    no_long_excused_run: bool

    @property
    def all_ok(self) -> bool:
        return self.rate_ok and self.no_unexcused and self.no_long_excused_run


def flags(rules: MeetingRules, counts: Counts, longest_excused_run: int) -> Flags:
    """The HD 12 criteria of a meeting. The rate compares integers (present × 100 > limit ×
    expected) so that 85% exactly does not pass ("more than 85%")."""
    rate_ok = counts.expected > 0 and counts.present * 100 > rules.attendance_percent * counts.expected
    return Flags(rate_ok=rate_ok, no_unexcused=counts.unexcused == 0,
                 no_long_excused_run=longest_excused_run <= rules.excused_run_limit)


def longest_run(marks: list[str], mark: str) -> int:
    """The longest run of consecutive `mark` in a member's marks, in meeting order."""
    best = run = 0
    for m in marks:
        run = run + 1 if m == mark else 0
        best = max(best, run)
    return best


def trailing_run(marks: list[str], mark: str) -> int:
    """How many of the last marks in a row are `mark`."""
    run = 0
    for m in reversed(marks):
        if m != mark:
            break
        run += 1
    return run


@dataclass(frozen=True)
class MonthDue:
    month: dt.date
    regular: int  # regular meetings counting for the month
    short: bool  # a regular meeting shorter than the minimum of its date
    elapsed: bool  # the month is over on the day asked

    @property
    def missed(self) -> bool:
        return self.elapsed and self.regular == 0


@dataclass(frozen=True)
class QuarterDue:
    year: int
    quarter: int
    thematic: int
    elapsed: bool

    @property
    def missed(self) -> bool:
        return self.elapsed and self.thematic == 0


def due_calendar(year: int, on: dt.date, regular_months: dict[dt.date, int], thematic_months: dict[dt.date, int],
                 short_months: set[dt.date] = frozenset(), since: dt.date | None = None,
                 until: dt.date | None = None) -> tuple[list[MonthDue], list[QuarterDue]]:
    """What was due in the year, month by month and quarter by quarter, as of `on`.

    regular_months / thematic_months: {first day of month: meetings of that kind counting for it}.
    A thematic meeting never counts as the regular one (the two dicts are separate). A month is
    due when the cell existed during the whole of it (from `since`, up to `until`, exclusive);
    it is missed when it is over on `on` with no regular meeting. A quarter is missed when it is
    over with no thematic meeting in any of its months.
    """
    months = []
    for m in range(1, 13):
        first = dt.date(year, m, 1)
        nxt = dt.date(year + (m == 12), m % 12 + 1, 1)
        if since is not None and first < month_start(since):
            continue
        if until is not None and first >= until:
            continue
        months.append(MonthDue(first, regular_months.get(first, 0), first in short_months, elapsed=nxt <= on))
    quarters = []
    for q in range(1, 5):
        firsts = quarter_months(year, q)
        if not any(md.month in firsts for md in months):
            continue
        end = dt.date(year + (q == 4), (3 * q) % 12 + 1, 1)
        quarters.append(QuarterDue(year, q, sum(thematic_months.get(f, 0) for f in firsts), elapsed=end <= on))
    return months, quarters
