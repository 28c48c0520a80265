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

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from coso.access.permissions import PLACING
from coso.access.scope import BaseScope
from coso.lib.dates import fmt
from coso.places.models import AdminUnit, Level

from .dated import path_prefix_q
from .models import Organization, Placement


class Scope(BaseScope):
    @cached_property
    def root_paths(self) -> list[str]:
        if self.root_id is None:
            return []
        return sorted(set(Placement.objects.filter(organization_id=self.root_id).values_list("path", flat=True)))

    @cached_property
    def _last_root_placement(self):
        if self.root_id is None:
            return None
        return Placement.objects.filter(organization_id=self.root_id).order_by("-valid_from").only("name", "valid_to").first()

    @cached_property
    def root_name(self) -> str:
        """The scope's name as shown in the header: its current (or last) name."""
        placement = self._last_root_placement
        return placement.name if placement else ""

    @cached_property
    def ended_on(self):
        """The scope organization's last day in force when it has ended (before or on today);
        None while it exists. A scope whose organization ended is read-only (decision 0007) and
        works on that day by default (organizations.workday)."""
        last = self._last_root_placement
        if last is None or last.valid_to is None or last.valid_to > timezone.localdate():
            return None
        return last.valid_to - dt.timedelta(days=1)

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
        if not self.contains(organization_id):
            raise Http404
        if write:
            self.require(write)
            if write in PLACING:
                closed = Organization.objects.filter(pk=organization_id, closed_on__lte=timezone.localdate()).values_list("closed_on", flat=True).first()
                if closed is not None:
                    raise PermissionDenied(_("Tổ chức này đã kết thúc hoạt động từ ngày %(date)s: không nhập thêm dữ liệu vào đó được.") % {"date": fmt(closed)})
