"""The working day: the date every page, export and command works on (one rule, issue #10).

A date typed in a page's date box (?ngay=) is that date. A blank box means today, unless the
user's scope (or the organization a command is asked about) ended before today: then it means
the scope's last day in force, and the page says so in one line — a district committee that ended
on 01/07/2025 works on 30/06/2025, not on an empty tree. A date that is not a real date
("31/02/2024", "tam son") is an error with the same message as the lifecycle forms' date fields
(coso.lib.forms.DateField), never silently today.

Views call `working_day(request)`; commands and code without a request
`working_day_for(scope, requested)` (or `organization_id=` for an organization without a user).
"""

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _

from coso.access.scope import scope_for
from coso.lib.dates import fmt
from coso.lib.forms import DateField

from .models import Placement

PARAM = "ngay"


@dataclass(frozen=True)
class WorkingDay:
    on: dt.date
    typed: str = ""  # what the date box held ("" when blank)
    error: str = ""  # a Vietnamese message when the typed text is not a real date
    ended_on: dt.date | None = None  # the last day of the scope when the default moved there
    name: str = ""  # the ended organization's name, for the line

    @property
    def text(self) -> str:
        return fmt(self.on)

    @property
    def box(self) -> str:
        """What the date box shows: the typed text when it is wrong, else the working day."""
        return self.typed if self.error else self.text

    @property
    def ok(self) -> bool:
        return not self.error

    @property
    def note(self) -> str:
        """The one line a page shows when the day is not today because the scope ended."""
        if self.ended_on is None:
            return ""
        return _("%(name)s đã kết thúc hoạt động; đang làm việc tính đến ngày %(date)s, ngày cuối cùng tổ chức còn hoạt động (chỉ xem).") % {
            "name": self.name, "date": fmt(self.ended_on)}


def today() -> dt.date:
    return timezone.localdate()


def last_day(organization_id: int | None, before: dt.date) -> tuple[dt.date, str] | None:
    """For an organization that ended on or before the date: its last day in force and last name."""
    if organization_id is None:
        return None
    last = Placement.objects.filter(organization_id=organization_id).order_by("-valid_from").only("valid_to", "name").first()
    if last is None or last.valid_to is None or last.valid_to > before:
        return None
    return last.valid_to - dt.timedelta(days=1), last.name


def parse_day(text: str | None) -> tuple[dt.date | None, str]:
    """A typed date read as the lifecycle forms read it: (date or None when blank, error message)."""
    text = (text or "").strip()
    if not text:
        return None, ""
    try:
        return DateField().clean(text), ""
    except forms.ValidationError as error:
        return None, error.messages[0]


def working_day_for(scope=None, requested: dt.date | None = None, *, organization_id: int | None = None,
                    typed: str = "", error: str = "") -> WorkingDay:
    """The requested date; else today, or the last day of the scope's organization (or of
    organization_id) when it ended before today."""
    if requested is not None:
        return WorkingDay(requested, typed=typed)
    day = today()
    if organization_id is None and scope is not None:
        ended = (scope.ended_on, scope.root_name) if getattr(scope, "ended_on", None) else None
    else:
        ended = last_day(organization_id, day)
    if ended is None:
        return WorkingDay(day, typed=typed, error=error)
    return WorkingDay(ended[0], typed=typed, error=error, ended_on=ended[0], name=ended[1])


def working_day(request, param: str = PARAM, *, organization_id: int | None = None) -> WorkingDay:
    """The day a page works on, from its date box (?ngay=) and the user's scope (or the
    organization the page is about, when given: a closed organization's page shows its last day)."""
    typed = (request.GET.get(param) or "").strip()
    requested, error = parse_day(typed)
    scope = None if organization_id is not None else scope_for(request)
    return working_day_for(scope, requested, organization_id=organization_id, typed=typed, error=error)
