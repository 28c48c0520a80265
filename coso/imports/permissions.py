"""Access to one import job: the app's half of the access contract (docs/architecture.md).

An import's pages show the rows of the file (personal data), so even reading a job needs
"members.import" on its organization: 404 outside the scope, 403 without the permission.
"""

from django.shortcuts import get_object_or_404

from coso.access.permissions import write_permission
from coso.access.scope import scope_for

from .models import ImportJob

IMPORT = "members.import"


def get_job_for_user(request, pk, *, write: bool | str = False) -> ImportJob:
    """The job (without its file) if its organization is in the user's scope and the user may
    import there (reading a job included; write=True asks the same permission)."""
    job = get_object_or_404(ImportJob.objects.defer("checked").select_related("created_by", "committed_by"), pk=pk)
    scope_for(request).check(job.organization_id, write=write_permission(write, IMPORT) or IMPORT)
    return job
