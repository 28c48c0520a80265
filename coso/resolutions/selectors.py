"""The read side of the register: search, the register of an organization, statuses on a date."""

import datetime as dt
import re
from collections import defaultdict

from django.db.models import Prefetch, Q

from coso.lib.text import fold

from .models import Document, Relation, Status, status_on
from .permissions import visible_documents

PAGE_SIZE = 50
NUMBER = re.compile(r"^\s*(\d{1,5})(?:\s*-\s*(\S+))?\s*$")


def search(scope, *, query: str = "", kind: str = "", organization_id: int | None = None, year: int | None = None):
    """The documents the scope sees matching the filters: a query is a number ("2", "02"), a
    symbol ("02-NQ/HU", "NQ/HU") or words of the subject, typed with or without diacritics."""
    qs = visible_documents(scope).select_related("term")
    if kind:
        qs = qs.filter(kind=kind)
    if organization_id is not None:
        qs = qs.filter(organization_id=organization_id)
    if year is not None:
        qs = qs.filter(issued_on__gte=dt.date(year, 1, 1), issued_on__lte=dt.date(year, 12, 31))
    query = (query or "").strip()
    if query:
        match = NUMBER.match(query)
        if match and not match.group(2):
            qs = qs.filter(number=int(match.group(1)))
        elif "/" in query:
            qs = qs.filter(Q(symbol__iexact=query) | Q(symbol__icontains=query))
        else:
            for word in fold(query).split():
                qs = qs.filter(subject_folded__contains=word)
    return qs.order_by("-issued_on", "-number", "-id")


def issuers(scope) -> list[tuple[int, str]]:
    """(id, name) of the organizations that issued documents the scope reads, by name: the search
    form's issuer list (committees issue documents, so it stays short)."""
    from coso.lib.text import sort_key
    from coso.organizations.selectors import organization_names

    ids = set(visible_documents(scope).order_by().values_list("organization_id", flat=True).distinct())
    names = organization_names(ids)
    return sorted(((i, names.get(i, str(i))) for i in ids), key=lambda row: sort_key(row[1]))


def with_status(documents, on: dt.date) -> list:
    """The documents with `.status` and `.status_label` on the date (one query for the relations)."""
    documents = list(documents)
    incoming = defaultdict(list)
    for relation in Relation.objects.filter(target__in=[d.pk for d in documents]).select_related("source"):
        incoming[relation.target_id].append(relation)
    for d in documents:
        d.status = status_on(d, incoming[d.pk], on)
        d.status_label = Status(d.status).label
    return documents


def detail(pk: int):
    return (Document.objects.select_related("term")
            .prefetch_related(Prefetch("relations", queryset=Relation.objects.select_related("target")),
                              Prefetch("incoming", queryset=Relation.objects.select_related("source")), "attachments")
            .get(pk=pk))
