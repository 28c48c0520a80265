"""The permissions inspection asks for, and the access helpers of its records.

    inspection.view      read cases, plans, disciplines and the register (contents)
    inspection.manage    record plans, cases, conclusions, remedies, files, the register
    inspection.decide    decide discipline
    inspection.identity  see the identity of a denouncer (only at the handling body)
    inspection.counts    read the figures of inspection work (counts, never contents)

coso/access/permissions.py grants them: inspection staff hold all of them; organization staff and
leaders of the same subtree hold only "inspection.counts" (the report's figures), so a case's page
and its files answer them 403 (issue 15, point 5). Records are scoped by the organization of the
body that acts (models.ScopedQuerySet.visible_to).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from coso.access.permissions import write_permission
from coso.access.scope import scope_for

from .models import Case, CaseFile, Discipline, Intake, Plan, Recommendation

VIEW = "inspection.view"
MANAGE = "inspection.manage"
DECIDE = "inspection.decide"
IDENTITY = "inspection.identity"
COUNTS = "inspection.counts"


def can_count(scope) -> bool:
    return scope.can(COUNTS) or scope.can(VIEW)


def _get(request, queryset, pk, write):
    """404 outside the scope (before any permission is asked: nothing says it exists), 403
    without inspection.view, or without the write permission asked."""
    scope = scope_for(request)
    found = queryset.visible_to(scope).filter(pk=pk).first()
    if found is None:
        raise Http404
    if not scope.can(VIEW):
        raise PermissionDenied
    if perm := write_permission(write, MANAGE):
        scope.require(perm)
    return found


# -- the access contract (docs/architecture.md): get_<thing>_for_user(request, pk, *, write=False)


def get_case_for_user(request, pk, *, write: bool | str = False) -> Case:
    return _get(request, Case.objects.select_related("organization", "subject_member__person", "plan_item__plan"), pk, write)


def get_plan_for_user(request, pk, *, write: bool | str = False) -> Plan:
    return _get(request, Plan.objects.select_related("organization"), pk, write)


def get_discipline_for_user(request, pk, *, write: bool | str = False) -> Discipline:
    return _get(request, Discipline.objects.select_related("case", "subject_member__person"), pk, write)


def get_intake_for_user(request, pk, *, write: bool | str = False) -> Intake:
    return _get(request, Intake.objects.all(), pk, write)


def get_file_for_user(request, pk, *, write: bool | str = False) -> CaseFile:
    scope = scope_for(request)
    found = CaseFile.objects.filter(case__in=Case.objects.visible_to(scope)).select_related("case").filter(pk=pk).first()
    if found is None:
        raise Http404
    if not scope.can(VIEW):
        raise PermissionDenied
    if perm := write_permission(write, MANAGE):
        scope.require(perm)
    return found


def get_recommendation_for_user(request, pk, *, write: bool | str = False) -> Recommendation:
    scope = scope_for(request)
    found = Recommendation.objects.filter(case__in=Case.objects.visible_to(scope)).select_related("case").filter(pk=pk).first()
    if found is None:
        raise Http404
    if not scope.can(VIEW):
        raise PermissionDenied
    if perm := write_permission(write, MANAGE):
        scope.require(perm)
    return found


def may_see_identity(scope, intake: Intake) -> bool:
    """Only inspection staff of the handling body itself (their scope's organization is the
    body's), never of a superior or of the whole tree."""
    return scope.can(IDENTITY) and scope.root_id is not None and scope.root_id == intake.organization_id
