"""Which administrative units a user's scope covers.

Provinces, districts and communes are public reference data: anyone logged in may read them.
Villages are created by users, so they follow the scope: a village is visible when its commune
is covered by the scope (the scope answers which: `covered_communes()`; this module
does not read the organization tree itself).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from coso.access.permissions import write_permission
from coso.access.scope import scope_for

from .models import AdminUnit, Level

CHANGE = "places.change"


def covered_communes(scope):
    return scope.covered_communes()


def covers(scope, unit: AdminUnit) -> bool:
    if unit.level != Level.VILLAGE:
        return True
    return covered_communes(scope).filter(pk=unit.parent_id).exists()


def get_unit_for_user(request, pk, *, write: bool | str = False) -> AdminUnit:
    """A unit the user may see (404 otherwise); with write, one whose villages they may change (403)."""
    scope = scope_for(request)
    unit = get_object_or_404(AdminUnit.objects.select_related("parent"), pk=pk)
    if not covers(scope, unit):
        raise Http404
    if write := write_permission(write, CHANGE):
        scope.require(write)
        commune_id = unit.parent_id if unit.level == Level.VILLAGE else unit.pk
        if not covered_communes(scope).filter(pk=commune_id).exists():
            raise Http404
    return unit
