"""The permissions evaluation asks for.

    evaluation.view     read periods, ratings and results
    evaluation.assess   record self-assessments, the collective's comments and proposals
    evaluation.decide   open periods, decide, publish and correct results

coso/access/permissions.py grants them: every role reads; cell secretaries and organization
staff assess and propose; organization staff (and administrators) open periods and decide.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

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
