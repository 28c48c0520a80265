"""The scoping contract: what a user may see and do, asked of one object per request.

A user works within one organization's subtree, with a role (DESIGN principle 4). This module
holds the part of the scope that needs no tree: the user, their role and its named permissions,
and `scope_for(request)`. Which rows lie in the subtree is answered by the concrete scope class
that the organizations app registers when Django starts (`coso.organizations.scope.Scope`,
registered in its AppConfig.ready), so the floors below the tree (places) can ask a scope for its
conditions without importing the tree, and the tree stays the one place that reads paths.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .models import Assignment, Role
from .permissions import WRITE, permissions_for

_scope_class = None


class ReadOnly(PermissionDenied):
    """A write refused because the scope is read-only or the organization has ended: a 403 page
    that says why, in the layout (access.middleware.ReadOnlyMiddleware)."""


class BaseScope:
    """A user's role and permissions; the subtree's conditions come from the subclass.

    One rule for writing (decision 0007): a read-only scope keeps its reading permissions and
    loses every permission in access.permissions.WRITE. A scope is read-only when the user's
    assignment has ended (the handover days), and, in the subclass, when the scope's
    organization has ended. An account whose assignment is closed has an empty scope."""

    def __init__(self, user):
        self.user = user
        authenticated = bool(user and user.is_authenticated and user.is_active)
        self.assignment = user.assignment_on() if authenticated else Assignment.CLOSED
        if self.assignment == Assignment.CLOSED:
            authenticated = False
        self.role = user.role if authenticated else None
        self._role_perms = permissions_for(self.role) if authenticated else frozenset()
        self.root_id = user.scope_id if authenticated else None
        self.is_global = authenticated and self.role == Role.ADMIN and self.root_id is None
        self.is_empty = not authenticated or (self.root_id is None and not self.is_global)

    @property
    def read_only(self) -> bool:
        return self.assignment == Assignment.READ_ONLY

    @property
    def read_only_reason(self) -> str:
        if self.assignment == Assignment.READ_ONLY:
            return _("Tài khoản đã thôi nhiệm vụ từ ngày %(date)s: chỉ được xem.") % {
                "date": self.user.assigned_until.strftime("%d/%m/%Y")}
        return ""

    @property
    def perms(self) -> frozenset[str]:
        if self.read_only:
            return self._role_perms - WRITE
        return self._role_perms

    def can(self, perm: str) -> bool:
        if perm not in WRITE:
            return perm in self._role_perms  # reading needs no question about the dates
        return perm in self.perms

    def require(self, perm: str) -> None:
        if not self.can(perm):
            if perm in self._role_perms:  # the role may, the dates do not
                raise ReadOnly(self.read_only_reason)
            raise PermissionDenied


def register(scope_class) -> None:
    """Called once by the organizations app: the class that answers subtree questions."""
    global _scope_class
    _scope_class = scope_class


def scope_class():
    if _scope_class is None:
        raise RuntimeError("No scope class registered: is coso.organizations in INSTALLED_APPS?")
    return _scope_class


def scope_of(user):
    """The scope of a user: the one their request computed (a service called by a view), else a
    new one (commands, tests, services run by the system)."""
    scope = getattr(user, "_coso_request_scope", None)
    if scope is not None and scope.user is user:
        return scope
    return scope_class()(user)


def scope_for(request):
    """The request user's scope, computed once per request (and found again by scope_of for the
    services the request calls, which take the user)."""
    scope = getattr(request, "_coso_scope", None)
    if scope is None or scope.user is not request.user:
        scope = scope_class()(request.user)
        request._coso_scope = scope
        if request.user.is_authenticated:
            request.user._coso_request_scope = scope
    return scope
