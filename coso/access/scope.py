"""The scoping layer: the one place that decides what part of the tree a user may see.

Every view, form choice list, export and API call starts from `scope_for(request)` (or
`Scope(user)`), never from an unscoped queryset. A user's scope is the subtree of one
organization *over all time*: an organization is visible if any of its placements lay under
the scope organization while the scope organization had that path. The scope organization's
own distinct paths are few (one per move), so the test is a handful of indexed prefix queries.
"""

from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q
from django.http import Http404

from .models import Role
from .permissions import permissions_for


class Scope:
    def __init__(self, user):
        self.user = user
        authenticated = bool(user and user.is_authenticated and user.is_active)
        self.role = user.role if authenticated else None
        self.perms = permissions_for(self.role) if authenticated else frozenset()
        self.root_id = user.scope_id if authenticated else None
        self.is_global = authenticated and self.role == Role.ADMIN and self.root_id is None
        self.is_empty = not authenticated or (self.root_id is None and not self.is_global)

    def can(self, perm: str) -> bool:
        return perm in self.perms

    def require(self, perm: str) -> None:
        if not self.can(perm):
            raise PermissionDenied

    @cached_property
    def root_paths(self) -> list[str]:
        from coso.organizations.models import Placement

        if self.root_id is None:
            return []
        return sorted(set(Placement.objects.filter(organization_id=self.root_id).values_list("path", flat=True)))

    @cached_property
    def root_name(self) -> str:
        """The scope's name as shown in the header: its current (or last) name."""
        from coso.organizations.models import Placement

        if self.root_id is None:
            return ""
        placement = Placement.objects.filter(organization_id=self.root_id).order_by("-valid_from").first()
        return placement.name if placement else ""

    def placement_q(self, field: str = "path") -> Q:
        """Condition on a placement path (or a related path through field) for this scope."""
        from coso.organizations.models import path_prefix_q

        if self.is_global:
            return Q()
        if self.is_empty or not self.root_paths:
            return Q(pk__in=[])
        q = Q()
        for path in self.root_paths:
            q |= path_prefix_q(path, connection.vendor, field)
        return q

    def placements(self, qs=None):
        from coso.organizations.models import Placement

        qs = Placement.objects.all() if qs is None else qs
        return qs.filter(self.placement_q())

    def organization_ids(self):
        """A subquery of the ids of the organizations this scope sees."""
        return self.placements().values("organization_id")

    def organizations(self):
        from coso.organizations.models import Organization

        if self.is_global:
            return Organization.objects.all()
        return Organization.objects.filter(pk__in=self.organization_ids())

    def contains(self, organization_id) -> bool:
        if organization_id is None:
            return self.is_global
        if self.is_global:
            return True
        return self.placements().filter(organization_id=organization_id).exists()

    def check(self, organization_id, *, write: str | None = None) -> None:
        """404 outside the scope; 403 inside it when the role lacks the write permission."""
        if not self.contains(organization_id):
            raise Http404
        if write:
            self.require(write)


def scope_for(request) -> Scope:
    scope = getattr(request, "_coso_scope", None)
    if scope is None or scope.user is not request.user:
        scope = Scope(request.user)
        request._coso_scope = scope
    return scope
