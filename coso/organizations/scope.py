"""The scope as a subtree of the tree: the one place that decides which rows a user may see.

Every view, form choice list, export and API call starts from `scope_for(request)` (or
`Scope(user)`), never from an unscoped queryset. A user's scope is the subtree of one
organization *over all time*: an organization is visible if any of its placements lay under
the scope organization while the scope organization had that path (decision 0003). The scope
organization's own distinct paths are few (one per move), so the test is a handful of indexed
prefix queries. Querysets ask it through `.visible_to(scope)` (coso.organizations.dated).
"""

import datetime as dt
from functools import cached_property

from django.db import connection
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from coso.access.permissions import PLACING
from coso.access.scope import BaseScope, ReadOnly
from coso.lib.dates import fmt
from coso.places.models import AdminUnit, Level

from .dated import path_prefix_q
from .models import Organization, Placement


class Scope(BaseScope):
    @cached_property
    def _root_placements(self) -> list:
        """The scope organization's placements (path, name, end), oldest first: one query serves
        its paths, its name and whether it has ended."""
        if self.root_id is None:
            return []
        return list(Placement.objects.filter(organization_id=self.root_id).order_by("valid_from")
                    .values_list("path", "name", "valid_to"))

    @cached_property
    def root_paths(self) -> list[str]:
        return sorted({path for path, _name, _end in self._root_placements})

    @cached_property
    def root_name(self) -> str:
        """The scope's name as shown in the header: its current (or last) name."""
        return self._root_placements[-1][1] if self._root_placements else ""

    @cached_property
    def ended_on(self):
        """The scope organization's last day in force when it has ended (before or on today);
        None while it exists. A scope whose organization ended is read-only (decision 0007) and
        works on that day by default (organizations.workday)."""
        if not self._root_placements:
            return None
        end = self._root_placements[-1][2]
        if end is None or end > timezone.localdate():
            return None
        return end - dt.timedelta(days=1)

    @property
    def read_only(self) -> bool:
        return super().read_only or self.ended_on is not None

    @property
    def read_only_reason(self) -> str:
        if self.ended_on is not None and not super().read_only:
            return _("%(name)s đã kết thúc hoạt động sau ngày %(date)s: chỉ được xem, không thay đổi được dữ liệu.") % {
                "name": self.root_name, "date": fmt(self.ended_on)}
        return super().read_only_reason

    def placement_q(self, field: str = "path") -> Q:
        """Condition on a placement path (or a related path through field) for this scope."""
        if self.is_global:
            return Q()
        if self.is_empty or not self.root_paths:
            return Q(pk__in=[])
        q = Q()
        for path in self.root_paths:
            q |= path_prefix_q(path, connection.vendor, field)
        return q

    def placements(self, qs=None):
        qs = Placement.objects.all() if qs is None else qs
        return qs.filter(self.placement_q())

    def organization_ids(self):
        """A subquery of the ids of the organizations this scope sees."""
        return self.placements().values("organization_id")

    def organization_q(self, field: str = "organization") -> Q:
        """Condition on a foreign key to Organization (through field) for this scope."""
        if self.is_global:
            return Q()
        if self.is_empty:
            return Q(pk__in=[])
        return Q(**{f"{field}_id__in": self.organization_ids()})

    def organizations(self):
        if self.is_global:
            return Organization.objects.all()
        return Organization.objects.filter(pk__in=self.organization_ids())

    def covered_communes(self):
        """Communes whose villages the scope covers: the area of an organization in the scope,
        or a commune under such an area (a district's, a province's)."""
        communes = AdminUnit.objects.filter(level=Level.COMMUNE)
        if self.is_global:
            return communes
        areas = Placement.objects.filter(self.placement_q(), area__isnull=False).values("area_id")
        return communes.filter(Q(pk__in=areas) | Q(parent_id__in=areas) | Q(parent__parent_id__in=areas))

    def contains(self, organization_id) -> bool:
        if organization_id is None:
            return self.is_global
        if self.is_global:
            return True
        return self.placements().filter(organization_id=organization_id).exists()

    def check(self, organization_id, *, write: str | None = None) -> None:
        """404 outside the scope; 403 inside it when the role lacks the write permission, when the
        scope is read-only, or (for writes that place records in it, such as an import) when the
        organization itself has ended."""
        if write in PLACING and organization_id is not None:
            # one query: in the scope, and its end
            found = Organization.objects.filter(pk=organization_id)
            if not self.is_global:
                found = found.filter(pk__in=self.organization_ids()) if not self.is_empty else found.none()
            closed = list(found.values_list("closed_on", flat=True)[:1])
            if not closed:
                raise Http404
            self.require(write)
            if closed[0] is not None and closed[0] <= timezone.localdate():
                raise ReadOnly(_("Tổ chức này đã kết thúc hoạt động từ ngày %(date)s: không nhập thêm dữ liệu vào đó được.") % {"date": fmt(closed[0])})
            return
        if not self.contains(organization_id):
            raise Http404
        if write:
            self.require(write)
