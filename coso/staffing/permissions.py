"""The permissions staffing asks for, and the access helpers of its objects.

    staffing.view     read employment records, quotas and figures
    staffing.change   record employments, exits and quotas

coso/access/permissions.py grants them: every role reads; organization staff (and administrators)
change. Records are scoped through their commune: those of the communes the scope covers.
"""

from django.http import Http404

from coso.access.permissions import write_permission
from coso.access.scope import scope_for
from coso.places.models import AdminUnit, Level

from .models import Employment, Quota

VIEW = "staffing.view"
CHANGE = "staffing.change"


def visible_communes(scope):
    scope.require(VIEW)
    return scope.covered_communes()


def visible_employments(scope):
    scope.require(VIEW)
    return Employment.objects.visible_to(scope)


def visible_quotas(scope):
    scope.require(VIEW)
    return Quota.objects.visible_to(scope)


def _require_write(scope, write) -> None:
    if perm := write_permission(write, CHANGE):
        scope.require(perm)


def get_commune_for_user(request, pk, *, write: bool | str = False) -> AdminUnit:
    """A commune the scope covers (404 otherwise); with write, 403 without the permission."""
    scope = scope_for(request)
    commune = visible_communes(scope).filter(pk=pk, level=Level.COMMUNE).select_related("parent").first()
    if commune is None:
        raise Http404
    _require_write(scope, write)
    return commune


def get_employment_for_user(request, pk, *, write: bool | str = False) -> Employment:
    scope = scope_for(request)
    employment = visible_employments(scope).select_related("person", "commune").filter(pk=pk).first()
    if employment is None:
        raise Http404
    _require_write(scope, write)
    return employment
