"""The dates of a person's record that cannot be: one set of rules for forms, imports and services.

A birth date before 1900 (no living member or candidate was born then; the oldest members
recorded are in their nineties) or after today is a typing mistake. The importer's columns, the
person form (through people.services) and the services all ask these functions, so the same
date is refused everywhere with the same words.
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

EARLIEST_BIRTH_YEAR = 1900


def birth_problem(birth: dt.date | None, today: dt.date | None = None) -> str | None:
    """Why the birth date cannot be, or None."""
    if birth is None:
        return None
    today = today or timezone.localdate()
    if birth.year < EARLIEST_BIRTH_YEAR or birth > today:
        return _("Năm sinh %(year)s không hợp lý.") % {"year": birth.year}
    return None
