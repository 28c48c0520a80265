"""The read side of imports. Every fetch goes through the user's scope (404 outside, 403 without
"members.import": an import's pages show the rows of the file, personal data)."""

from django.shortcuts import get_object_or_404

from coso.access.scope import scope_for

from .models import ImportJob

IMPORT = "members.import"


def get_job_for_user(request, pk, *, write: str = IMPORT) -> ImportJob:
    """The job (without its file) if its organization is in the user's scope."""
    job = get_object_or_404(ImportJob.objects.defer("content").select_related("created_by", "committed_by"), pk=pk)
    scope_for(request).check(job.organization_id, write=write)
    return job


def recent_jobs(organization, limit: int = 10) -> list[ImportJob]:
    return list(
        ImportJob.objects.defer("content", "layout", "report", "result", "mapping")
        .filter(organization=organization)
        .select_related("created_by")
        .order_by("-created_at")[:limit]
    )
