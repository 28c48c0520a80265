"""Access to one organization: the app's half of the access contract (docs/architecture.md).

`get_organization_for_user(request, pk, *, write=False)`: 404 outside the user's scope; with
write, 403 without the permission (write=True: "organizations.change"; or a permission's name,
such as "members.import" for an import into the organization).
"""

from django.shortcuts import get_object_or_404

from coso.access.permissions import write_permission
from coso.access.scope import scope_for

from .models import Organization

CHANGE = "organizations.change"


def get_organization_for_user(request, pk, *, write: bool | str = False) -> Organization:
    """The organization if the user's scope holds it: 404 outside, 403 without the write permission."""
    scope = scope_for(request)
    organization = get_object_or_404(Organization, pk=pk)
    scope.check(organization.pk, write=write_permission(write, CHANGE))
    return organization
