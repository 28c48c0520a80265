"""The permissions evaluation asks for.

    evaluation.view     read periods, ratings and results
    evaluation.assess   record self-assessments, the collective's comments and proposals
    evaluation.decide   open periods, decide, publish and correct results

coso/access/permissions.py grants them: every role reads; cell secretaries and organization
staff assess and propose; organization staff (and administrators) open periods and decide.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from coso.access.permissions import write_permission
from coso.access.scope import scope_for
from coso.organizations.models import path_ids

from .models import CapGroup, Period, Rating

VIEW = "evaluation.view"
ASSESS = "evaluation.assess"
DECIDE = "evaluation.decide"

def can(scope, perm: str) -> bool:
    return scope.can(perm)


def check(scope, organization_id, perm: str = VIEW) -> None:
    """404 outside the scope; 403 inside it without the permission."""
    if not scope.contains(organization_id):
        raise Http404
    if not can(scope, perm):
        raise PermissionDenied


def visible_periods(scope):
    """Periods opened in the scope's subtree or above it, newest first."""
    if scope.is_empty or not can(scope, VIEW):
        return Period.objects.none()
    if scope.is_global:
        return Period.objects.order_by("-ends_on", "organization_id")
    above = {i for path in scope.root_paths for i in path_ids(path)}
    return (Period.objects.filter(Q(organization_id__in=scope.organization_ids()) | Q(organization_id__in=above))
            .order_by("-ends_on", "organization_id"))


# -- the access contract (docs/architecture.md): get_<thing>_for_user(request, pk, *, write=False);
# write=True asks evaluation.decide, the competent level's; write=ASSESS names the cell's step


def get_period_for_user(request, pk, *, write: bool | str = False) -> Period:
    """The period, 404 when the scope does not see it, 403 when it may not do `write` in it."""
    scope = scope_for(request)
    period = visible_periods(scope).filter(pk=pk).first()
    if period is None:
        raise Http404
    if (perm := write_permission(write, DECIDE)) and not can(scope, perm):
        raise PermissionDenied
    return period


def _get_in_scope(request, queryset, pk, write):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    check(scope_for(request), found.organization_id, write_permission(write, DECIDE) or VIEW)
    return found


def get_rating_for_user(request, pk, *, write: bool | str = False) -> Rating:
    """The rating, 404 outside the scope, 403 when the scope may not do `write`."""
    return _get_in_scope(request, Rating.objects.select_related("period", "member__person", "mass_organization"), pk, write)


def get_cap_group_for_user(request, pk, *, write: bool | str = False) -> CapGroup:
    """The group, 404 outside the scope (its competent level's), 403 when the scope may not `write`."""
    return _get_in_scope(request, CapGroup.objects.select_related("period"), pk, write)


def can_decide_rating(scope, rating: Rating) -> bool:
    """Whether the scope is the rating's competent level (its decision belongs there)."""
    return can(scope, DECIDE) and scope.contains(rating.competent_id or rating.organization_id)
