"""The permissions the register asks for, and the access contract for documents.

    resolutions.view     read the register (documents of the scope and of the committees above it)
    resolutions.change   register documents of the scope, their relations and files; open terms

A committee's documents are read by the organizations under it (a district's congress resolution
is what its communes carry out), so a document is visible in the scope's subtree and on the
scope's path above it; it is changed only inside the scope. coso/access/permissions.py grants them.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from coso.access.permissions import write_permission
from coso.access.scope import scope_for
from coso.organizations.models import path_ids

from .models import Attachment, Document

VIEW = "resolutions.view"
CHANGE = "resolutions.change"


def above_ids(scope) -> set[int]:
    """The organizations on the scope's paths above it (and itself)."""
    return {i for path in scope.root_paths for i in path_ids(path)}


def visible_documents(scope):
    """Documents of the scope's subtree or of the committees above it."""
    if scope.is_empty or not scope.can(VIEW):
        return Document.objects.none()
    if scope.is_global:
        return Document.objects.all()
    return Document.objects.filter(Q(organization_id__in=scope.organization_ids()) | Q(organization_id__in=above_ids(scope)))


def get_document_for_user(request, pk, *, write: bool | str = False) -> Document:
    """The document: 404 when the scope does not see it; 403 when `write` is asked and the role
    lacks it or the document belongs to a committee above the scope."""
    scope = scope_for(request)
    document = visible_documents(scope).select_related("term").filter(pk=pk).first()
    if document is None:
        raise Http404
    if perm := write_permission(write, CHANGE):
        scope.require(perm)
        if not scope.contains(document.organization_id):
            raise PermissionDenied
    return document


def get_attachment_for_user(request, pk, *, write: bool | str = False) -> Attachment:
    """The attachment, through its document's access."""
    attachment = Attachment.objects.filter(pk=pk).only("id", "document_id").first()
    if attachment is None:
        raise Http404
    document = get_document_for_user(request, attachment.document_id, write=write)
    attachment = Attachment.objects.get(pk=pk)
    attachment.document = document
    return attachment
