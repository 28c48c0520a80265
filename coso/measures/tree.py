"""The part of the organization tree a figure is computed for, as it stood on a date.

The subtree of X on D is the placements in force on D under X's path of that date (decision
0001), read through the shared effective-dated vocabulary (`Placement.objects.on(D).under(path)`:
one indexed prefix condition); a scope limits it further.
"""

import datetime as dt
import operator
from dataclasses import dataclass, field
from functools import reduce

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import BigIntegerField, Case, Count, Max, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast, StrIndex, Substr
from django.utils.translation import gettext as _

from coso.lib.dated import in_force, in_force_day_before_q, in_force_q
from coso.lib.dates import fmt
from coso.organizations.dated import path_prefix_q, path_under
from coso.organizations.models import Organization, Placement
from coso.places.models import AdminUnit, Level

from . import orgledger
from .summary import summarized_root


class MeasureError(ValidationError):
    pass


@dataclass
class Subtree:
    """The organization (None: the whole tree in scope) as it stood on a date."""

    on: dt.date
    root_id: int | None
    path: str  # "" for the whole tree
    scope: object = None
    _child_of: dict | None = field(default=None, repr=False, compare=False)
    # what a page's tables each ask of the same subtree, read once per Subtree object (one request):
    # the placements' rows, the children's labels, the span of a period, the tree on another date
    _memo: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def limited(self) -> bool:
        """Whether rows must be limited to the subtree's organizations (not the whole tree)."""
        return bool(self.path) or self.scope is not None

    def _limit(self, qs):
        if self.path:
            qs = qs.under(self.path)
        if self.scope is not None:
            qs = qs.visible_to(self.scope)
        return qs

    def placements(self, on: dt.date | None = None):
        return self._limit(Placement.objects.on(on or self.on))

    def placements_on_ref(self, date_ref: str, org_ref: str):
        """Correlated: a placement of the organization in org_ref, in force on date_ref, in the subtree."""
        return self._limit(Placement.objects.filter(in_force_q(OuterRef(date_ref)), organization_id=OuterRef(org_ref)))

    def placement_q(self, prefix: str) -> Q:
        """The subtree's condition (its path, its scope) on a related placement (`prefix`: the
        relation's name and "__"), its date tested by the caller: a join on the row's own
        placement, where a list of the subtree's placements made SQLite walk the list for each row
        (the villages' cells: hours for the country)."""
        q = Q()
        if self.path:
            q &= path_prefix_q(self.path, connection.vendor, f"{prefix}path")
        if self.scope is not None:
            q &= self.scope.placement_q(f"{prefix}path")
        return q

    def placed_on_ref(self, date_ref: str, org_ref: str, *, day_before: bool = False):
        """Correlated: the placement of the organization in org_ref in force on date_ref (on the
        day before it: day_before), under the root as it stood that day (by identity: the root's
        id in that placement's path; the root itself included) and in the scope. The events' rule
        (decision 0011, 07/12/2026): unlike placements_on_ref, whose test is the root's path on the
        subtree's date, a root that moved keeps the records of its days before the move. An event
        that is not an arrival belongs to where its member was the day before (members/owners.py):
        its owner is read on that day (an exit on the day its cell ended)."""
        day = in_force_day_before_q(OuterRef(date_ref)) if day_before else in_force_q(OuterRef(date_ref))
        qs = Placement.objects.filter(day, organization_id=OuterRef(org_ref))
        if self.root_id is not None:
            qs = qs.filter(path__contains=f"/{self.root_id}/")
        if self.scope is not None:
            qs = qs.visible_to(self.scope)
        return qs

    def child_on_ref(self, date_ref: str, org_ref: str, *, day_before: bool = False):
        """The child of the root the organization in org_ref lay under on date_ref (or the day
        before it; the root itself for its own; None where it lay nowhere in the subtree that day):
        child_expression on the placement placed_on_ref finds."""
        return Subquery(self.placed_on_ref(date_ref, org_ref, day_before=day_before).annotate(rollup_child=self.child_expression()).values("rollup_child")[:1])

    def organization_ids(self):
        return self.placements().values("organization_id")

    def span_ids(self, start: dt.date, end: dt.date):
        """Subquery: organizations under the root at any time between the day before start and
        end (a superset that lets the indexes narrow a period's rows before the exact test of each
        date; the day before: an exit on the period's first day is read where its member was that
        day, families.Events)."""
        if ("span", start, end) not in self._memo:
            self._memo["span", start, end] = self._span_ids(start - dt.timedelta(days=1), end)
        return self._memo["span", start, end]

    def _span_ids(self, start: dt.date, end: dt.date):
        qs = Placement.objects.during(start, end)
        if self.root_id is not None:
            paths = set(Placement.objects.during(start, end).filter(organization_id=self.root_id)
                        .values_list("path", flat=True)) or {self.path}
            qs = reduce(operator.or_, (qs.under(path) for path in sorted(paths)))
        if self.scope is not None:
            qs = qs.visible_to(self.scope)
        return qs.values("organization_id")

    def spans(self, start: dt.date, end: dt.date) -> dict[int, list[tuple]]:
        """{organization id: [(valid_from, valid_to), ...]} of its placements in the subtree (its
        path, its scope) in force on some day of [start, end]: the placements_on_ref test of a row's
        date taken in Python, for rows first grouped per organization and date in the database."""
        if ("spans", start, end) not in self._memo:
            spans: dict[int, list[tuple]] = {}
            for org_id, valid_from, valid_to in self._limit(Placement.objects.during(start, end)).values_list(
                    "organization_id", "valid_from", "valid_to"):
                spans.setdefault(org_id, []).append((valid_from, valid_to))
            self._memo["spans", start, end] = spans
        return self._memo["spans", start, end]

    def placed_on(self, org_id: int, on: dt.date, start: dt.date, end: dt.date) -> bool:
        """Whether the organization lay in the subtree on the date (a day of [start, end])."""
        return any(in_force(f, t, on) for f, t in self.spans(start, end).get(org_id, ()))

    def placed_throughout(self, start: dt.date, end: dt.date) -> set[int]:
        """The organizations that lay in the subtree on every day of [start, end] (their placements
        there, one after another, leave no day out): a row of theirs dated in the period belongs to
        the subtree without a test of its date."""
        if ("throughout", start, end) not in self._memo:
            whole = set()
            for org_id, spans in self.spans(start, end).items():
                reached = start  # every day before it is covered
                for valid_from, valid_to in sorted(spans, key=lambda s: s[0] or dt.date.min):
                    if valid_from is not None and valid_from > reached:
                        break
                    if valid_to is None or valid_to > end:
                        whole.add(org_id)
                        break
                    reached = max(reached, valid_to)
            self._memo["throughout", start, end] = whole
        return self._memo["throughout", start, end]

    def at(self, on: dt.date) -> "Subtree":
        """The same root and scope taken on another date (its path as given: the caller's tree)."""
        if ("at", on) not in self._memo:
            self._memo["at", on] = Subtree(on=on, root_id=self.root_id, path=self.path, scope=self.scope)
        return self._memo["at", on]

    def rows(self) -> list[tuple]:
        """(organization id, path, kind, sector, area id) of each placement of the subtree on its
        date: one query, whatever number of tables ask."""
        if "rows" not in self._memo:
            self._memo["rows"] = list(self.placements().values_list("organization_id", "path", "kind", "sector", "area_id"))
        return self._memo["rows"]

    def areas(self) -> dict[int, int]:
        """{administrative unit id: organization id} of the subtree's placements that have an area."""
        if "areas" not in self._memo:
            if "rows" in self._memo:
                rows = [(org_id, area_id) for org_id, _path, _kind, _sector, area_id in self._memo["rows"]]
            else:  # one row per area held, grouped in the database (not the country's 360,000 placements)
                rows = (self.placements().filter(area__isnull=False).values("area_id").annotate(holder=Max("organization_id"))
                        .order_by().values_list("holder", "area_id"))
            # in organization order: where two placements hold one area the later id does, whichever query read them
            self._memo["areas"] = {area_id: org_id for org_id, area_id in sorted(r for r in rows if r[1] is not None)}
        return self._memo["areas"]

    def units(self) -> list[int]:
        """units_within(areas()): read once per subtree, whatever number of families ask."""
        if "units" not in self._memo:
            self._memo["units"] = units_within(self.areas(), self.on)
        return self._memo["units"]

    def child_of(self) -> dict[int, int]:
        """organization id → the id of the child of the root it lies under (the root maps to itself).
        Read once per subtree: a table with several families rolls each up with the same map."""
        if self._child_of is not None:
            return self._child_of
        depth = len(self.path.strip("/").split("/")) if self.path else 0
        result = {}
        for org_id, path, *_rest in self.rows():
            parts = path.strip("/").split("/")
            result[org_id] = int(parts[depth]) if len(parts) > depth else org_id
        self._child_of = result
        return result

    def child_expression(self):
        """child_of() as an SQL expression on a placement row (its `path`): the component of the
        path after the root's id, the root's own placement mapped to itself. A roll-up by child
        then groups in the database instead of reading every organization. By identity (the
        root's id in the path), so that it also reads a placement of another date
        (child_on_ref)."""
        if self.root_id is None:
            rest = Substr("path", 2)
        else:
            marker = f"/{self.root_id}/"
            rest = Substr("path", StrIndex("path", Value(marker)) + len(marker))
        child = Cast(Substr(rest, 1, StrIndex(rest, Value("/")) - 1), BigIntegerField())
        if self.root_id is None:
            return child
        return Case(When(path__endswith=f"/{self.root_id}/", then=Value(self.root_id)), default=child, output_field=BigIntegerField())

    def placement_groups(self) -> list[tuple]:
        """(child, kind, sector, number) of the subtree's placements, the root's own left out:
        one grouped reading, whatever number of organization tables ask (the report's two)."""
        if "placement_groups" not in self._memo and (root := summarized_root(self)) is not None and settings.COSO_LEDGER:
            # the ledger of organizations (orgledger.py): the root's rows up to the date
            self._memo["placement_groups"] = orgledger.groups(root, self.on)
        if "placement_groups" not in self._memo:
            qs = self.placements()
            if self.root_id is not None:
                qs = qs.exclude(organization_id=self.root_id)
            self._memo["placement_groups"] = list(qs.annotate(child=self.child_expression()).values("child", "kind", "sector")
                                                  .annotate(n=Count("id")).order_by().values_list("child", "kind", "sector", "n"))
        return self._memo["placement_groups"]

    def child_labels(self) -> list[tuple[int, str]]:
        if "labels" not in self._memo:
            self._memo["labels"] = self._child_labels()
        return self._memo["labels"]

    def _child_labels(self) -> list[tuple[int, str]]:
        qs = Placement.objects.on(self.on)
        qs = qs.filter(parent_id=self.root_id) if self.root_id else qs.filter(parent__isnull=True)
        if self.scope is not None:
            qs = qs.visible_to(self.scope)
        return list(qs.order_by("name_order", "organization_id").values_list("organization_id", "name"))

    def child(self, key) -> "Subtree | None":
        """The part of the tree a "child" breakdown key stands for (None: the root itself, its own rows)."""
        if key == self.root_id:
            return None
        placement = self.placements().filter(organization_id=key).only("path").first()
        if placement is None:
            raise MeasureError(_("Tổ chức không thuộc tổ chức đang thống kê vào ngày %(date)s.") % {"date": fmt(self.on)})
        return Subtree(on=self.on, root_id=int(key), path=placement.path, scope=self.scope)


def units_within(areas, on: dt.date) -> list[int]:
    """The units a figure over these areas covers: the areas and the units directly under them (a
    district's communes, a province's communes after 2025), as one list of ids for the rows' own
    unit column (a body's, a village's parent, an employment's commune), which the database reads
    through its index. "The unit, or the unit's parent, in the areas" (an OR across a join) made
    SQLite read every post of the country for a province's figures (2.2 s at national scale; 0.1 s
    now). Villages are left out (no row counted here has a village as its unit, and their thousands
    of ids made SQLite's estimate prefer the posts' title index); as a subquery instead of a list
    SQLite could not estimate it and read every post again.

    A unit under an area that is itself the area of a placement on the date `on` belongs to that
    placement's subtree, not to the area's above it (a commune whose party committee was moved
    to another district counts there: decision 0015, the rule of the political system's ledger)."""
    ids = set(areas)
    under = (AdminUnit.objects.filter(parent_id__in=list(ids)).exclude(level=Level.VILLAGE)
             .exclude(pk__in=Placement.objects.on(on).filter(area__isnull=False).values("area_id")))
    ids.update(under.values_list("pk", flat=True))
    return sorted(ids)


def subtree(organization, on: dt.date, scope=None) -> Subtree:
    """The subtree of the organization on the date; MeasureError if it did not exist then."""
    if organization is None:
        return Subtree(on=on, root_id=None, path="", scope=None if scope is None or scope.is_global else scope)
    org_id = organization.pk if isinstance(organization, Organization) else int(organization)
    placement = Placement.objects.on(on).filter(organization_id=org_id).only("path").first()
    if placement is None:
        raise MeasureError(_("Tổ chức không tồn tại vào ngày %(date)s.") % {"date": fmt(on)})
    # the scope's condition on a path (Scope.placement_q), tested on the path read: no query more
    if scope is not None and not scope.is_global and (scope.is_empty or not any(path_under(placement.path, p) for p in scope.root_paths)):
        raise MeasureError(_("Tổ chức nằm ngoài phạm vi quản lý của bạn vào ngày %(date)s.") % {"date": fmt(on)})
    return Subtree(on=on, root_id=org_id, path=placement.path, scope=None if scope is None or scope.is_global else scope)
