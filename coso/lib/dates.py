"""Dates as Vietnamese offices write them: dd/mm/yyyy."""

import datetime as dt

FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d")


def parse(text: str | None) -> dt.date | None:
    text = (text or "").strip()
    for fmt in FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def fmt(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""
