"""The number allocator: one counter per (issuer, term, series), HD 36-HD/VPTW (symbols.py).

The next number is one more than the highest number of the series in the term; a new term starts
again from 01. Nothing is reserved: the number is taken when the document is registered, and the
database's unique constraint (resolutions_one_number_per_series) refuses a number taken meanwhile
by someone else, which the service turns into a message on the number field.
"""

import datetime as dt

from django.db.models import Max
from django.utils.translation import gettext as _

from coso.lib.dates import fmt

from .models import Document, Term


class NoTerm(LookupError):
    def __init__(self, organization_name: str, on: dt.date):
        super().__init__(_("%(org)s chưa có nhiệm kỳ cấp ủy nào bao gồm ngày %(date)s: hãy khai báo nhiệm kỳ trước khi "
                           "đăng ký văn bản.") % {"org": organization_name, "date": fmt(on)})


def term_on(organization_id: int, on: dt.date) -> Term | None:
    """The organization's committee term in force on the date."""
    return Term.objects.on(on).filter(organization_id=organization_id).first()


def next_number(organization_id: int, term_id: int, series: str) -> int:
    """The number the next document of the series will take (one query)."""
    top = Document.objects.filter(organization_id=organization_id, term_id=term_id, series=series).aggregate(n=Max("number"))["n"]
    return (top or 0) + 1


def is_taken(organization_id: int, term_id: int, series: str, number: int, *, exclude_id=None) -> bool:
    qs = Document.objects.filter(organization_id=organization_id, term_id=term_id, series=series, number=number)
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    return qs.exists()
