"""The permissions the register asks for, and the access contract for documents.

    resolutions.view     read the register (documents of the scope and of the committees above it)
    resolutions.change   register documents of the scope, their relations and files; open terms

A committee's documents are read by the organizations under it (a district's congress resolution
is what its communes carry out), so a document is visible in the scope's subtree and on the
scope's path above it; it is changed only inside the scope. coso/access/permissions.py grants them.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from coso.access.permissions import write_permission
from coso.access.scope import scope_for

from .models import Attachment, Document, above_ids, reads_documents_of

__all__ = ["CHANGE", "VIEW", "above_ids", "get_attachment_for_user", "get_document_for_user", "reads_documents_of", "visible_documents"]

VIEW = "resolutions.view"
CHANGE = "resolutions.change"


def visible_documents(scope):
    """The register the user may read: none without resolutions.view, else the documents the
    scope reads (`Document.objects.visible_to`, where the rule lives)."""
    if scope.is_empty or not scope.can(VIEW):
        return Document.objects.none()
    return Document.objects.visible_to(scope)


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
