"""`coso worker`: the background worker, django-tasks' database worker under a memory bound.

    coso worker [--memory-mb 4096] [--batch] [--interval 1]

The address space of the process is bounded (RLIMIT_AS, COSO_WORKER_MEMORY_MB or --memory-mb):
a file that would need more fails its step with a MemoryError (the job says so) instead of
taking the machine from the web server. Before taking jobs it marks the imports whose process
died as abandoned (coso.imports.services.recover_stale_jobs, and the restructurings' commits:
coso.restructuring.services.recover_stale_jobs) and removes the files of abandoned
uploads. `make run` starts it beside the web server; in production run it as its own service
(one or more), restarted when it exits. --batch runs what is queued, then exits.
"""

import resource

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from coso.imports import services as imports
from coso.imports import tasks, uploads
from coso.restructuring import services as restructuring


def abandon_dead_tasks() -> int:
    """Tasks left RUNNING by a worker of this machine that no longer exists (killed, out of
    memory) are marked FAILED, so the task list tells the truth; their imports are recovered by
    coso.imports.services.recover_stale_jobs."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    dead = [pk for pk, workers in DBTaskResult.objects.filter(status="RUNNING").values_list("pk", "worker_ids")
            if workers and tasks.process_gone(workers[-1])]
    return DBTaskResult.objects.filter(pk__in=dead, status="RUNNING").update(
        status="FAILED", finished_at=timezone.now(), exception_class_path="builtins.ProcessLookupError",
        traceback="The worker process running this task no longer exists (killed, out of memory or restarted).")


def limit_memory(megabytes: int) -> None:
    """Bound the process's address space; 0 leaves it unbounded."""
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


class Command(BaseCommand):
    help = "Tiến trình chạy nền: nhận và chạy các việc đang chờ (kiểm tra, ghi tệp nhập lớn), có giới hạn bộ nhớ."

    def add_arguments(self, parser):
        parser.add_argument("--memory-mb", type=int, default=None, help="giới hạn bộ nhớ (MB, 0 = không giới hạn; mặc định COSO_WORKER_MEMORY_MB)")
        parser.add_argument("--batch", action="store_true", help="chạy các việc đang chờ rồi thoát")
        parser.add_argument("--interval", type=float, default=1.0, help="số giây chờ giữa hai lần tìm việc")

    def handle(self, *args, memory_mb=None, batch=False, interval=1.0, **options):
        limit_memory(settings.COSO_WORKER_MEMORY_MB if memory_mb is None else memory_mb)
        imports.recover_stale_jobs()
        restructuring.recover_stale_jobs()  # a restructuring's commit whose worker died: failed, to run again
        abandon_dead_tasks()
        uploads.sweep()
        call_command("db_worker", queue_name="*", worker_id=tasks.this_process(), interval=interval, batch=batch,
                     reload=False, startup_delay=False, verbosity=options.get("verbosity", 1))
