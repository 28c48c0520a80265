"""Large files run as django-tasks jobs in the worker process, not in the web process; a worker
killed in the middle of writing leaves nothing written and the job can be run again."""

import contextlib
import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from coso.imports import services, tasks, uploads
from coso.imports.models import ImportJob
from coso.imports.tests.files import member_row, template_file
from coso.members.models import Member, MemberEvent
from coso.people.models import Person

D = dt.date
Status = ImportJob.Status
ROOT = Path(__file__).resolve().parents[3]
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default", "imports"]}}


LETTERS = "ABCDEGHIKLMNOPQRSTUVXYĐƠƯÂÊÔÁÀ"


def _large(n: int = 30) -> bytes:
    """n distinct names made of letters only (a digit in a name is refused by the name check)."""
    names = (f"Đảng Viên {LETTERS[i // len(LETTERS)]}{LETTERS[i % len(LETTERS)].lower()}" for i in range(n))
    return template_file(*(member_row(name=name) for name in names))


def _check(actor, organization, content: bytes) -> ImportJob:
    job = services.create_job(actor=actor, organization=organization, file_name="lon.xlsx", content=content)
    services.confirm_mapping(actor=actor, job=job, mapping=job.mapping, sheets=[0], on=D(2024, 6, 1))
    job.refresh_from_db()
    return job


@contextlib.contextmanager
def shared_database(tmp_path: Path):
    """The environment of a child process that works on this test's database: PostgreSQL's test
    database itself; SQLite's in-memory one copied to a file (online backup API) and back after."""
    env = {**os.environ, "COSO_DATA_DIR": str(tmp_path), "COSO_LOG_LEVEL": "ERROR"}
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        yield env
        return
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(path)) as copy:
        connection.connection.backup(copy)
    env["DATABASE_URL"] = f"sqlite:///{path}"
    try:
        yield env
    finally:
        with contextlib.closing(sqlite3.connect(path)) as copy:
            copy.backup(connection.connection)


def _worker(env, *extra) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "coso", "worker", "--batch", "--memory-mb", "2048", *extra],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_a_large_file_is_queued_for_the_worker_not_run_in_the_request(tree, people, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    monkeypatch.setattr(tasks, "SYNC_LIMIT_BYTES", 0)
    job = _check(people.staff_a, tree.district_a, _large(5))
    assert (job.status, job.report, job.worker) == (Status.VALIDATING, {}, "")  # not checked in this process
    queued = DBTaskResult.objects.get()
    assert (queued.task_path, queued.queue_name, queued.status) == ("coso.imports.tasks.run_step", "imports", "READY")
    assert queued.args_kwargs["args"] == ["coso.imports.services.validate_job", job.pk, job.attempt]
    assert Path(uploads.root().parent / job.upload).is_file()  # the file waits on disk, the row keeps its path and hash
    assert len(job.upload_sha256) == 64 and not hasattr(job, "content")


def test_with_the_immediate_backend_both_steps_run_as_tasks(tree, people, monkeypatch, settings):
    settings.TASKS = IMMEDIATE
    monkeypatch.setattr(tasks, "SYNC_LIMIT_BYTES", 0)
    job = _check(people.staff_a, tree.district_a, _large())
    assert job.status == Status.READY and job.report["valid"] == 30 and job.worker == tasks.this_process()
    services.request_commit(actor=people.staff_a, job=job, mode=ImportJob.Mode.ALL)
    job.refresh_from_db()
    assert job.status == Status.DONE and Member.objects.count() == 30 and job.upload == ""


def test_a_task_runs_only_the_steps_of_the_import_services():
    with pytest.raises(ValueError):
        tasks.run_step.call("os.system", 1, 1)


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_checks_then_writes_a_large_file(tree, people, monkeypatch, tmp_path):
    monkeypatch.setattr(tasks, "SYNC_LIMIT_BYTES", 0)
    job = _check(people.staff_a, tree.district_a, _large())
    assert job.status == Status.VALIDATING
    with shared_database(tmp_path) as env:
        run = _worker(env)
    assert run.returncode == 0, run.stderr
    job.refresh_from_db()
    assert job.status == Status.READY and job.report["valid"] == 30
    assert job.worker != tasks.this_process()  # another process did it
    services.request_commit(actor=people.staff_a, job=job, mode=ImportJob.Mode.ALL)
    with shared_database(tmp_path) as env:
        run = _worker(env)
    assert run.returncode == 0, run.stderr
    job.refresh_from_db()
    assert job.status == Status.DONE and Member.objects.count() == 30
    assert not [p for p in uploads.root().rglob("*") if p.is_file()]  # the file is gone with the job


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_writing_leaves_nothing_and_the_job_runs_again(tree, people, monkeypatch, settings, tmp_path):
    monkeypatch.setattr(tasks, "SYNC_LIMIT_BYTES", 0)
    settings.TASKS = IMMEDIATE  # the dry run here
    job = _check(people.staff_a, tree.district_a, _large())
    assert job.status == Status.READY
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "imports"]}}
    services.request_commit(actor=people.staff_a, job=job, mode=ImportJob.Mode.ALL)
    flag = tmp_path / "writing"
    with shared_database(tmp_path) as env:
        child = subprocess.Popen([sys.executable, str(ROOT / "coso/imports/tests/worker_child.py"), str(flag)], cwd=ROOT, env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 90
            while not flag.exists() and child.poll() is None and time.monotonic() < deadline:
                time.sleep(0.1)
            assert flag.exists(), child.stderr.read().decode() if child.poll() is not None else "the worker never reached the writing"
            assert flag.read_text() == "30"  # 30 members were written inside the open transaction
        finally:
            os.kill(child.pid, signal.SIGKILL)
            child.wait(10)
    job.refresh_from_db()
    assert not Member.objects.exists() and not Person.objects.exists() and not MemberEvent.objects.exists()  # nothing half-written
    assert job.status == Status.WRITING and job.worker.endswith(f":{child.pid}")
    assert services.recover_if_stale(job)  # its process is gone: no need to wait for the heartbeat
    from django_tasks_db.models import DBTaskResult

    from coso.lib.management.commands.worker import abandon_dead_tasks

    assert DBTaskResult.objects.get().status == "RUNNING" and abandon_dead_tasks() == 1
    assert DBTaskResult.objects.get().status == "FAILED"  # the task list tells the truth too
    assert job.status == Status.READY and "gián đoạn" in job.message and "chưa ghi gì" in job.message
    settings.TASKS = IMMEDIATE
    services.request_commit(actor=people.staff_a, job=job, mode=ImportJob.Mode.ALL)
    job.refresh_from_db()
    assert job.status == Status.DONE and Member.objects.count() == 30


def test_a_running_step_of_a_live_process_is_not_taken_for_abandoned(tree, people, monkeypatch):
    monkeypatch.setattr(tasks, "SYNC_LIMIT_BYTES", 0)
    job = _check(people.staff_a, tree.district_a, _large(2))
    assert not services.recover_if_stale(job)  # queued, the worker may be busy
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    ImportJob.objects.filter(pk=job.pk).update(worker=tasks.this_process(), updated_at=an_hour_ago)
    job.refresh_from_db()
    assert not services.recover_if_stale(job) and job.status == Status.VALIDATING  # a long step of a live worker of this machine
    ImportJob.objects.filter(pk=job.pk).update(worker="another-machine:1")
    job.refresh_from_db()
    assert services.recover_if_stale(job) and job.status == Status.FAILED  # another machine's: silent for more than 15 minutes
    services.confirm_mapping(actor=people.staff_a, job=job, mapping=job.mapping, sheets=[0], on=D(2024, 6, 1))  # run again
    job.refresh_from_db()
    ImportJob.objects.filter(pk=job.pk).update(worker=f"{tasks._host()}:999999999")
    job.refresh_from_db()
    assert services.recover_if_stale(job) and job.status == Status.FAILED and "gián đoạn" in job.message


def test_the_worker_runs_under_its_memory_bound(tmp_path):
    code = ("import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'coso.settings'); django.setup();"
            "from coso.lib.management.commands.worker import limit_memory; limit_memory(300);"
            "b = bytearray(600 * 1024 * 1024)")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "COSO_DATA_DIR": str(tmp_path)},
                         capture_output=True, text=True, timeout=60)
    assert run.returncode != 0 and "MemoryError" in run.stderr


def test_abandoned_uploads_are_removed(tree, people, media):
    from django.utils import timezone

    job = services.create_job(actor=people.staff_a, organization=tree.district_a, file_name="a.xlsx", content=_large(1))
    stray = uploads.root() / "99" / "stray.xlsx"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"x")
    os.utime(stray, (0, 0))
    assert uploads.sweep() == 1 and not stray.exists()  # no job refers to it
    assert uploads.sweep(now=timezone.now() + uploads.KEEP_FOR + dt.timedelta(days=1)) == 1
    job.refresh_from_db()
    assert job.status == Status.CANCELLED and job.upload == "" and not [p for p in media.rglob("*") if p.is_file()]


def test_a_file_past_the_memory_bound_fails_with_a_message(tree, people, monkeypatch):
    def too_big(job):
        raise MemoryError

    monkeypatch.setattr(services, "_check", too_big)
    job = _check(people.staff_a, tree.district_a, _large(2))
    assert job.status == Status.FAILED and "bộ nhớ" in job.message and "COSO_WORKER_MEMORY_MB" in job.message
