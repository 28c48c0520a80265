"""The permissions targets ask for, and the access contract for targets and reviews.

    targets.view     read targets, their progress, reviews and the cascade
    targets.change   add targets, report values, inherit a superior's target, prepare and adopt
                     reviews, enter aggregate reports (within the scope)

A target is read where its document is (coso/resolutions/permissions.py: the scope's subtree and
the committees above it) and its organization is in the scope or above it; its figures are
computed for the part of the tree the scope holds (`figures_for`). coso/access/permissions.py
grants the permissions.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from coso.access.permissions import write_permission
from coso.access.scope import scope_for
from coso.resolutions.permissions import get_document_for_user, reads_documents_of

from .models import Review, Target

VIEW = "targets.view"
CHANGE = "targets.change"


def _check(request, organization_id, document_id, write) -> None:
    scope = scope_for(request)
    if not scope.can(VIEW) or not reads_documents_of(scope, organization_id):
        raise Http404
    get_document_for_user(request, document_id)  # 404 when the document is not seen
    if perm := write_permission(write, CHANGE):
        scope.require(perm)
        if not scope.contains(organization_id):
            raise PermissionDenied


def get_target_for_user(request, pk, *, write: bool | str = False) -> Target:
    """The target: 404 outside what the scope sees; 403 for a write outside the scope or without the permission."""
    target = Target.objects.select_related("document__term", "parent").filter(pk=pk).first()
    if target is None:
        raise Http404
    _check(request, target.organization_id, target.document_id, write)
    return target


def get_review_for_user(request, pk, *, write: bool | str = False) -> Review:
    review = Review.objects.select_related("document").filter(pk=pk).first()
    if review is None:
        raise Http404
    _check(request, review.organization_id, review.document_id, write)
    return review


def figures_for(scope, organization_id: int) -> int | None:
    """The organization a page computes figures for: the one asked when the scope holds it, else
    the scope's own organization (a commune reads its district's resolution on its own records)."""
    if scope.is_global or scope.contains(organization_id):
        return organization_id
    return scope.root_id
