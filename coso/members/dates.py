"""Membership dates that cannot be: one set of rules for forms, imports and services.

- A party date (admission, recognition, a decision, an event) is not before the Party's founding
  (03/02/1930) and not after today: the record tells what has happened. The one exception is
  the effective date of the events a committee decides ahead for a known day (decision 0008):
  an exemption from party work and activities, the end of one, the end of a temporary stay may
  be recorded up to FUTURE_DAYS ahead, with the user's explicit confirmation; every page then
  shows the member's state on its own date, so the event counts from its day, not before.
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


# decision 0008: the events decided ahead for a known day, and how far ahead
FUTURE_KINDS = frozenset({"exempted", "exemption_ended", "temporary_returned"})
FUTURE_DAYS = 366


def future_problem(event, today: dt.date | None = None, confirmed: bool = False) -> str | None:
    """Why an event's effective date after today cannot be recorded (decision 0008), or None."""
    day = getattr(event, "effective_date", None)
    today = today or timezone.localdate()
    if day is None or day <= today:
        return None
    label = event.get_type_display() if hasattr(event, "get_type_display") else ""
    if event.type not in FUTURE_KINDS:
        return _("Ngày hiệu lực %(date)s ở tương lai (hôm nay là %(today)s): “%(event)s” chỉ được ghi khi đã có hiệu lực. "
                 "Chỉ miễn, thôi miễn công tác và sinh hoạt đảng, kết thúc sinh hoạt tạm thời được ghi trước.") % {
            "date": fmt(day), "today": fmt(today), "event": label}
    latest = today + dt.timedelta(days=FUTURE_DAYS)
    if day > latest:
        return _("Ngày hiệu lực %(date)s ở tương lai, quá xa: “%(event)s” được ghi trước tối đa %(days)s ngày, đến ngày %(latest)s.") % {
            "date": fmt(day), "event": label, "days": FUTURE_DAYS, "latest": fmt(latest)}
    if not confirmed:
        return _("Ngày hiệu lực %(date)s ở tương lai: hãy đánh dấu “Xác nhận ghi trước” nếu quyết định đã ban hành "
                 "cho ngày đó. Đến ngày ấy, sự kiện mới được tính.") % {"date": fmt(day)}
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


def event_problems(event, birth: dt.date | None, today: dt.date | None = None, confirmed_future: bool = False) -> dict[str, str]:
    """{field: reason} for the dates of an event (a MemberEvent, saved or not) that cannot be."""
    problems = {}
    for name in EVENT_DATE_FIELDS:
        if name == "effective_date" and getattr(event, "type", None) and getattr(event, name, None):
            problem = future_problem(event, today, confirmed_future) or party_date_problem(min(event.effective_date, today or timezone.localdate()), today)
            if problem:
                problems[name] = problem
            continue
        if problem := party_date_problem(getattr(event, name, None), today):
            problems[name] = problem
    admitted = getattr(event, "admitted_on", None)
    if "admitted_on" not in problems and (problem := admission_age_problem(admitted, birth)):
        problems["admitted_on"] = problem
    return problems
