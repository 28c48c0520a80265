"""Access to a restructuring: the app's half of the access contract (docs/architecture.md).

A restructuring belongs to its deciding committee: a user sees it when their scope holds that
committee (decision 0013: scope follows the decision, not the lineage). "restructuring.decide"
drafts, accepts conflicts, commits and undoes; reading needs "organizations.view".
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from coso.access.permissions import write_permission
from coso.access.scope import scope_for

from .models import Operation, Restructuring

DECIDE = "restructuring.decide"
VIEW = "organizations.view"


def get_restructuring_for_user(request, pk, *, write: bool | str = False) -> Restructuring:
    """The restructuring if the user's scope holds its deciding committee: 404 outside, 403
    without the permission."""
    scope = scope_for(request)
    restructuring = get_object_or_404(Restructuring.objects.select_related("organization"), pk=pk)
    scope.check(restructuring.organization_id, write=write_permission(write, DECIDE))
    if not write and not scope.can(VIEW):
        raise PermissionDenied
    return restructuring


def get_operation_for_user(request, pk, operation_pk, *, write: bool | str = False) -> Operation:
    restructuring = get_restructuring_for_user(request, pk, write=write)
    return get_object_or_404(Operation, pk=operation_pk, restructuring=restructuring)
