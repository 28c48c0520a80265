"""A restructuring's commit as a django-tasks job, run by the worker (`coso worker`).

A decision as large as a province's 2025 change (tens of thousands of members, hundreds of
operations) is not carried out inside a web request: request_commit queues a Job and this
app's task, and the worker runs services.run_job, which commits in one transaction and writes its
progress from a connection of its own (services.JobProgress). The process running it writes its
"host:pid" into the job first (coso.imports.tasks.this_process), so that a worker killed in the
middle is known at once (services.recover_if_stale): its transaction never committed, so nothing
is half-written, and the job shows FAILED and can be run again. A smaller decision is committed
in the request, as before (BACKGROUND_FROM operations and more go to the worker).
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from coso.imports.tasks import this_process

from . import services
from .models import Job

BACKGROUND_FROM = 100  # operations: a province's 2025 change has hundreds; a district-sized merge a few


@task()
def run_commit(job_id: int) -> None:
    """The job the worker runs: one commit, once (a job another process took is left to it)."""
    if Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
            status=Job.Status.RUNNING, worker=this_process(), step=_("Đang lập phương án"), updated_at=timezone.now()):
        services.run_job(job_id)


def request_commit(*, actor, restructuring, background: bool | None = None) -> Job | None:
    """Commit now (a small decision: None returned), or queue the commit for the worker and
    return its job. background: force one or the other (the command, the tests)."""
    if background is None:
        background = restructuring.operations.count() >= BACKGROUND_FROM
    if not background:
        services.commit(actor=actor, restructuring=restructuring)
        return None
    job = services.queue_commit(actor=actor, restructuring=restructuring)
    run_commit.enqueue(job.pk)
    return job


__all__ = ["BACKGROUND_FROM", "request_commit", "run_commit"]
