"""Running an import's steps: in the request for small files, as a django-tasks job for large ones.

- A file of up to SYNC_LIMIT_BYTES (about 3,000 rows, a cell's or a commune's list) is checked
  or written inside the request: about a second, and the next page shows the result without
  waiting for another process. The reader's caps (coso.lib.excel: columns, rows, unzipped
  size) bound what such a file can cost.
- A larger file is a job of django-tasks (settings.TASKS: the database backend, so no broker)
  on the "imports" queue, run by the worker process (`coso worker`, which `make run` starts
  beside the web server) under its memory bound. The step updates the job's progress every
  2,000 rows; the job page polls it through htmx and reloads when the step ends.

Whoever runs a step first writes its "host:pid" into the job (`worker`), conditionally on the
job's attempt. A process that dies (killed, out of memory, a restart) leaves that mark behind:
services.recover_if_stale() then finds the job's process gone and offers the step again. That
is safe: phase 1 writes nothing but its report, phase 2 writes in one transaction that also
marks the job DONE.

The step functions (services.validate_job, services.commit_job) take only (job id, attempt);
the service that starts them hands them in and the job carries their dotted path, which the
task resolves only inside this app's services. `coso import_members --job ID` runs a step from
a shell.
"""

import os
import socket

from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from .models import ImportJob

SYNC_LIMIT_BYTES = 300_000
QUEUE = "imports"
STEPS_MODULE = "coso.imports.services."


def _host() -> str:
    return socket.gethostname()[:50]  # with the pid, within django-tasks' 64 characters of a worker id


def this_process() -> str:
    return f"{_host()}:{os.getpid()}"


def process_alive(worker: str) -> bool | None:
    """Whether `worker` ("host:pid") is a live process of this machine; None for another machine's
    (or an unreadable mark), which only the heartbeat can judge."""
    host, _sep, pid = worker.rpartition(":")
    if host != _host() or not pid.isdigit():
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def process_gone(worker: str) -> bool:
    """True when `worker` names a process of this machine that no longer exists."""
    return process_alive(worker) is False


def _run(step, job_id: int, attempt: int) -> None:
    if ImportJob.objects.filter(pk=job_id, attempt=attempt, status__in=ImportJob.RUNNING).update(
            worker=this_process(), updated_at=timezone.now()):  # the heartbeat counts from the start of the step
        step(job_id, attempt)


@task(queue_name=QUEUE)
def run_step(step: str, job_id: int, attempt: int) -> None:
    """The job the worker runs: one step of one import, for one attempt."""
    if not step.startswith(STEPS_MODULE):
        raise ValueError(f"not an import step: {step}")
    _run(import_string(step), job_id, attempt)


def start(job, step) -> None:
    """Run step(job id, attempt) now (small file) or queue it for the worker (large file)."""
    if job.file_size <= SYNC_LIMIT_BYTES:
        _run(step, job.pk, job.attempt)
        return
    path = f"{step.__module__}.{step.__qualname__}"
    assert path.startswith(STEPS_MODULE) and import_string(path) is step, path
    ImportJob.objects.filter(pk=job.pk, attempt=job.attempt).update(worker="")
    run_step.enqueue(path, job.pk, job.attempt)

