"""Membership dates that cannot be: one set of rules for forms, imports and services.

- A party date (admission, recognition, a decision, an event) is not before the Party's founding
  (03/02/1930) and not after today: the record tells what has happened. (Events a committee
  schedules ahead are a question for the lifecycle's future-dated events, not typed dates.)
- Admission is at 18 or older (Điều lệ Đảng, Điều 1), so never before birth. A birth known only
  by its year or month is stored as its earliest day, so "under 18" is then certain.

members.services.record_event asks `event_problems` for every event, the importer's date columns
and row checks ask the same functions, so a date is refused the same way from a form, a file or
a shell.
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from coso.lib.dates import fmt

PARTY_FOUNDED = dt.date(1930, 2, 3)
ADULT_YEARS = 18  # Điều lệ Đảng, Điều 1: from 18 years of age


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29/02
        return day.replace(year=day.year + years, day=28)


def party_date_problem(day: dt.date | None, today: dt.date | None = None) -> str | None:
    """Why a date of the party record cannot be, or None."""
    if day is None:
        return None
    today = today or timezone.localdate()
    if day > today:
        return _("Ngày %(date)s ở tương lai.") % {"date": fmt(day)}
    if day < PARTY_FOUNDED:
        return _("Ngày %(date)s trước khi Đảng thành lập (1930).") % {"date": fmt(day)}
    return None


def admission_age_problem(admitted: dt.date | None, birth: dt.date | None, birth_text: str = "") -> str | None:
    """Admitted before 18 (or before birth), or None."""
    if admitted is None or birth is None:
        return None
    if add_years(birth, ADULT_YEARS) > admitted:
        return _("Ngày kết nạp %(date)s khi chưa đủ 18 tuổi (sinh %(birth)s).") % {
            "date": fmt(admitted), "birth": birth_text or fmt(birth)}
    return None


# the dates an event may carry, by field name, each checked as a party date
EVENT_DATE_FIELDS = ("effective_date", "admitted_on", "recognized_on", "decision_date")


def event_problems(event, birth: dt.date | None, today: dt.date | None = None) -> dict[str, str]:
    """{field: reason} for the dates of an event (a MemberEvent, saved or not) that cannot be."""
    problems = {}
    for name in EVENT_DATE_FIELDS:
        if problem := party_date_problem(getattr(event, name, None), today):
            problems[name] = problem
    admitted = getattr(event, "admitted_on", None)
    if "admitted_on" not in problems and (problem := admission_age_problem(admitted, birth)):
        problems["admitted_on"] = problem
    return problems
