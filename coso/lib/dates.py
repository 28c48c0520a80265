"""Dates as Vietnamese offices write them: dd/mm/yyyy."""

import datetime as dt

from django.utils import timezone

FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d")


def parse(text: str | None) -> dt.date | None:
    text = (text or "").strip()
    for fmt in FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def as_of(request, param: str = "ngay") -> dt.date:
    """The as-of date a page is asked for (?ngay=31/03/2024), today when absent or unreadable."""
    return parse(request.GET.get(param)) or timezone.localdate()


def fmt(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""
