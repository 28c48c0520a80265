"""The read side of imports."""

from .models import ImportJob


def recent_jobs(organization, limit: int = 10) -> list[ImportJob]:
    return list(
        ImportJob.objects.defer("checked", "layout", "report", "result", "mapping")
        .filter(organization=organization)
        .select_related("created_by")
        .order_by("-created_at")[:limit]
    )
