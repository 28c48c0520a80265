"""Running an import's steps: in the request for small files, in a background thread for large ones.

django-tasks (DESIGN's choice for background work) is not installed yet, and an import must
not need a broker or a worker process to run. So:

- a file of up to SYNC_LIMIT_BYTES (about 3,000 rows) is checked or written inside the
  request: about a second, and the next page shows the result;
- a larger file runs in a daemon thread of the web process, started once the transaction
  that moved the job to its running state has committed (transaction.on_commit). The step
  updates the job's progress every 2,000 rows; the job page polls it through htmx and reloads
  when the step ends.

A thread dies with its process (a restart, a deploy). That is safe: phase 1 writes nothing but
its report, phase 2 writes in one transaction that also marks the job DONE, and a job whose
heartbeat (updated_at) is older than services.STALE_AFTER is offered to the user to run again.
The step functions (services.validate_job, services.commit_job) take only (job id, attempt) and
are handed in by the service that starts them, so this module knows nothing above it and moving
the steps to a django-tasks task later changes this module only. `coso import_members --job ID`
runs a step from a shell.
"""

import threading

from django.db import connections, transaction

SYNC_LIMIT_BYTES = 300_000


def _in_thread(step, job_id: int, attempt: int) -> None:
    try:
        step(job_id, attempt)
    finally:
        connections.close_all()


def start(job, step) -> threading.Thread | None:
    """Run step(job id, attempt) now (small file) or in a thread after the commit (large file)."""
    if job.file_size <= SYNC_LIMIT_BYTES:
        step(job.pk, job.attempt)
        return None
    thread = threading.Thread(target=_in_thread, args=(step, job.pk, job.attempt), name=f"coso-import-{job.pk}", daemon=True)
    transaction.on_commit(thread.start)
    return thread
