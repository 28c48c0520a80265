"""Effective dating: the one place that says what "in force on D" means.

Every record that changes over time carries `valid_from` and `valid_to` and is in force on
`[valid_from, valid_to)`: from its first day up to, not including, the day its successor (or its
end) takes effect; `valid_to` null means still in force. A `valid_from` may be null where the
source does not know when a record began (administrative units loaded from the official lists):
such a record is in force from always.

Models use `DatedQuerySet` (through `DatedQuerySet.as_manager()` or a subclass): `.on(date)`,
`.during(start, end)`, `.current()`. Conditions on a related model's dates, or dates taken from
another column (`OuterRef`, `F`), use the functions `in_force_q`, `overlaps_q`, `open_q`. Nothing
else in the code writes `valid_to__isnull` by hand: a test (coso/tests/test_architecture.py)
fails when it appears anywhere but here and in migrations.

The organization-aware parts of the vocabulary, `.under(organization_or_path, on=D)` and
`.visible_to(scope)`, live one floor up in `coso.organizations.dated`, because they read the tree.
"""

import datetime as dt

from django.db import models
from django.db.models import Q


def _field(prefix: str, name: str) -> str:
    return f"{prefix}{name}"


def open_q(prefix: str = "") -> Q:
    """Records still in force (no end recorded)."""
    return Q(**{_field(prefix, "valid_to__isnull"): True})


def ends_after_q(day, prefix: str = "") -> Q:
    """Records whose end lies after day (or that have none): still in force on day if begun."""
    return open_q(prefix) | Q(**{_field(prefix, "valid_to__gt"): day})


def in_force_q(on, prefix: str = "", *, from_always: bool = False) -> Q:
    """In force on `on` (a date or an expression such as OuterRef("effective_date")):
    valid_from <= on < valid_to. from_always: a null valid_from counts as "since always"."""
    starts = Q(**{_field(prefix, "valid_from__lte"): on})
    if from_always:
        starts |= Q(**{_field(prefix, "valid_from__isnull"): True})
    return starts & ends_after_q(on, prefix)


def in_force(valid_from, valid_to, on) -> bool:
    """The same rule on values in Python (a record already read, a dated rule of the
    configuration): valid_from <= on < valid_to, a null valid_from being "since always"."""
    return (valid_from is None or valid_from <= on) and (valid_to is None or on < valid_to)


def in_force_day_before_q(on, prefix: str = "") -> Q:
    """In force on the day before `on`: valid_from < on <= valid_to. For an expression `on`
    (an event's date in a correlated subquery), where a day cannot be subtracted portably."""
    return Q(**{_field(prefix, "valid_from__lt"): on}) & (open_q(prefix) | Q(**{_field(prefix, "valid_to__gte"): on}))


def overlaps_q(start, end, prefix: str = "", *, from_always: bool = False) -> Q:
    """In force on at least one day of [start, end] (both included)."""
    starts = Q(**{_field(prefix, "valid_from__lte"): end})
    if from_always:
        starts |= Q(**{_field(prefix, "valid_from__isnull"): True})
    return starts & ends_after_q(start, prefix)


class DatedQuerySet(models.QuerySet):
    """The shared manager of every effective-dated model (see the module docstring)."""

    # a null valid_from means "since always" (administrative units); otherwise it is required
    from_always = False

    def on(self, date):
        """Records in force on the date."""
        return self.filter(in_force_q(date, from_always=self.from_always))

    def during(self, start, end):
        """Records in force on at least one day of [start, end]."""
        return self.filter(overlaps_q(start, end, from_always=self.from_always))

    def current(self):
        """Records with no end recorded (the open placement, the post held now)."""
        return self.filter(open_q())

    def visible_to(self, scope):
        """The records the user's scope may see. Each model's queryset says how (through its
        organization, a placement's path), using the scope's conditions."""
        raise NotImplementedError(f"{type(self).__name__} does not say how a scope limits it")


def one_open_constraint(field: str, name: str) -> models.UniqueConstraint:
    """At most one open record per `field` (one open placement per organization, one open
    period per member)."""
    return models.UniqueConstraint(fields=[field], condition=open_q(), name=name)


def period_order_constraint(name: str) -> models.CheckConstraint:
    """A record ends after it begins."""
    return models.CheckConstraint(condition=open_q() | Q(valid_to__gt=models.F("valid_from")), name=name)


class Dated:
    """Row-local helpers for a model with valid_from and valid_to (a mixin, no fields)."""

    def in_force_on(self, on) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or self.valid_to > on)


def open_sql(alias: str) -> str:
    """The open-record condition for raw SQL (members/search.py's statements) on table alias."""
    return f"{alias}.valid_to IS NULL"


def in_force_sql(alias: str, on: str) -> str:
    """in_force_q for raw SQL: the record of table `alias` in force on the SQL expression `on`
    (a column of another table, a parameter): valid_from <= on < valid_to. `on` is written twice:
    a placeholder there takes its parameter twice."""
    return f"{alias}.valid_from <= {on} AND ({alias}.valid_to IS NULL OR {alias}.valid_to > {on})"


def in_force_day_before_sql(alias: str, on: str) -> str:
    """in_force_day_before_q for raw SQL: in force on the day before `on` (valid_from < on <= valid_to)."""
    return f"{alias}.valid_from < {on} AND ({alias}.valid_to IS NULL OR {alias}.valid_to >= {on})"


# -- spans of days in Python: [valid_from, valid_to) as values -------------------------------------
#
# A record read into Python is a span (first day, end day or None); a null first day is "since
# always" (SINCE_ALWAYS). The summaries that keep dated figures (coso/measures: the villages'
# resident members, the political system's ledger) combine a person's or a unit's records as
# sets of days with these three.

SINCE_ALWAYS = dt.date.min


def _end(valid_to):
    return dt.date.max if valid_to is None else valid_to


def union_spans(spans) -> list[tuple]:
    """The days of any of the spans, as sorted disjoint spans (adjacent ones joined, empty ones
    left out)."""
    out: list[list] = []
    for a, b in sorted(((a or SINCE_ALWAYS, b) for a, b in spans if b is None or a is None or a < b), key=lambda s: (s[0], _end(s[1]))):
        if out and (out[-1][1] is None or a <= out[-1][1]):
            if out[-1][1] is not None and (b is None or b > out[-1][1]):
                out[-1][1] = b
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def intersect_spans(xs: list[tuple], ys: list[tuple]) -> list[tuple]:
    """The days in both (each sorted and disjoint, as union_spans gives them)."""
    out, i, j = [], 0, 0
    while i < len(xs) and j < len(ys):
        a, b = max(xs[i][0], ys[j][0]), min(_end(xs[i][1]), _end(ys[j][1]))
        if a < b:
            out.append((a, None if b == dt.date.max else b))
        if _end(xs[i][1]) < _end(ys[j][1]):
            i += 1
        else:
            j += 1
    return out


def subtract_spans(xs: list[tuple], ys: list[tuple]) -> list[tuple]:
    """The days of xs not in ys (both sorted and disjoint)."""
    out = []
    for a, b in xs:
        start = a
        for c, d in ys:
            if _end(d) <= start or c >= _end(b):
                continue
            if c > start:
                out.append((start, c))
            start = _end(d)
            if start >= _end(b):
                break
        if start < _end(b):
            out.append((start, b))
    return out
