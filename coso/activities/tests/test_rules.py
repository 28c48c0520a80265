"""Worked examples of the meeting rules, without the database: the due calendar (one regular
meeting a month, a thematic one at least each quarter, a thematic never counting as the regular),
the minimum durations by date, the attendance criteria of HD 12."""

import datetime as dt

from coso.activities import rules

D = dt.date


def test_it_lists_a_month_without_a_regular_meeting_as_missed_even_with_a_thematic_one():
    regular = {D(2024, 1, 1): 1, D(2024, 2, 1): 1, D(2024, 4, 1): 1}
    thematic = {D(2024, 3, 1): 1}
    months, quarters = rules.due_calendar(2024, D(2024, 5, 15), regular, thematic)
    assert [m.month for m in months if m.missed] == [D(2024, 3, 1)]  # the thematic of March is not the regular
    assert not any(m.missed for m in months if m.month >= D(2024, 5, 1))  # May is not over yet
    assert [(q.quarter, q.missed) for q in quarters[:2]] == [(1, False), (2, False)]


def test_it_lists_a_quarter_without_a_thematic_meeting_once_the_quarter_is_over():
    regular = {D(2024, m, 1): 1 for m in range(1, 7)}
    months, quarters = rules.due_calendar(2024, D(2024, 6, 30), regular, {})
    assert [q.quarter for q in quarters if q.missed] == [1]  # Q2 ends on 30/06: not over on that day
    _, quarters = rules.due_calendar(2024, D(2024, 7, 1), regular, {})
    assert [q.quarter for q in quarters if q.missed] == [1, 2]


def test_it_asks_nothing_of_the_months_before_the_cell_existed_or_after_it_ended():
    months, quarters = rules.due_calendar(2025, D(2025, 12, 31), {}, {}, since=D(2025, 7, 1))
    assert [m.month.month for m in months] == [7, 8, 9, 10, 11, 12]
    assert [q.quarter for q in quarters] == [3, 4]
    months, quarters = rules.due_calendar(2025, D(2025, 12, 31), {}, {}, until=D(2025, 7, 1))
    assert [m.month.month for m in months] == [1, 2, 3, 4, 5, 6]


def test_it_asks_90_minutes_from_hd42_and_120_for_a_combined_session_and_nothing_before():
    before, after = rules.rules_on(D(2025, 10, 27)), rules.rules_on(D(2025, 10, 28))
    assert rules.minimum_minutes(before, combined=False) is None
    assert rules.minimum_minutes(after, combined=False) == 90
    assert rules.minimum_minutes(after, combined=True) == 120
    assert rules.minutes_between(dt.time(19, 30), dt.time(21, 0)) == 90


def test_it_passes_the_rate_above_85_percent_only():
    r = rules.rules_on(D(2024, 5, 1))
    exactly = rules.Counts(roster=20, present=17, excused=3)
    assert exactly.rate() == 85.0 and not rules.flags(r, exactly, 0).rate_ok
    above = rules.Counts(roster=22, present=19, excused=1, exempted=2)  # 19 of 20 expected
    assert above.expected == 20 and rules.flags(r, above, 0).rate_ok


def test_it_leaves_exempted_and_on_duty_members_out_of_the_rate():
    counts = rules.Counts(roster=10, present=7, exempted=2, on_duty=1)
    assert counts.expected == 7 and counts.rate() == 100.0


def test_it_fails_a_meeting_with_an_unexcused_absence_or_a_fourth_excused_in_a_row():
    r = rules.rules_on(D(2024, 5, 1))
    counts = rules.Counts(roster=10, present=9, unexcused=1)
    assert not rules.flags(r, counts, 0).no_unexcused
    assert rules.flags(r, rules.Counts(roster=10, present=10), 3).no_long_excused_run
    assert not rules.flags(r, rules.Counts(roster=10, present=10), 4).no_long_excused_run
    marks = ["excused", "excused", "present", "excused", "excused", "excused", "excused"]
    assert rules.trailing_run(marks, "excused") == 4 and rules.longest_run(marks, "excused") == 4
