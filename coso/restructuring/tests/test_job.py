"""A large decision is carried out by the worker as a django-tasks job (#17: the whole country's
change with progress shown): the page follows its progress, a killed worker leaves nothing
written, the job shows failed and runs again."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from coso.imports.tasks import _host
from coso.imports.tests.test_worker import IMMEDIATE, ROOT, shared_database
from coso.members.models import EventType, MemberEvent
from coso.organizations.models import Kind
from coso.restructuring import services, tasks
from coso.restructuring.models import Job, OperationKind, State

from .helpers import draft, populate, state

pytestmark = pytest.mark.django_db
DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "imports"]}}


def _merge(tree, people):
    r = draft(tree, people.admin)
    services.add_operation(actor=people.admin, restructuring=r, kind=OperationKind.MERGE, parent=tree.commune_a1,
                           name="Chi bộ thôn A1 mới", org_kind=Kind.SUBORDINATE_CELL, sources=[tree.cell_a1a, tree.cell_a1b])
    return r


def test_a_large_decision_is_queued_for_the_worker_and_the_page_follows_it(tree, people, settings, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    populate(tree)
    settings.TASKS = DB_BACKEND
    monkeypatch.setattr(tasks, "BACKGROUND_FROM", 1)
    r = _merge(tree, people)
    before = state()
    client = Client()
    client.force_login(people.admin)
    response = client.post(f"/sap-xep/{r.pk}/thuc-hien/")
    assert response.status_code == 302
    job = Job.objects.get()
    assert (job.status, job.worker, job.requested_by) == (Job.Status.QUEUED, "", people.admin)
    queued = DBTaskResult.objects.get()
    assert (queued.task_path, queued.status, queued.args_kwargs["args"]) == ("coso.restructuring.tasks.run_commit", "READY", [job.pk])
    assert state() == before  # nothing written in the request
    page = client.get(f"/sap-xep/{r.pk}/").content.decode()
    assert 'data-testid="job"' in page and "tiến trình chạy nền" in page and 'data-testid="preview"' not in page
    assert client.get(f"/sap-xep/{r.pk}/tien-do/", HTTP_HX_REQUEST="true").status_code == 200
    # the worker's side: the task run once, the decision committed and the job done in one transaction
    tasks.run_commit.call(job.pk)
    job.refresh_from_db()
    r.refresh_from_db()
    assert (job.status, r.state, job.done, job.total) == (Job.Status.DONE, State.COMMITTED, 6, 6)
    assert MemberEvent.objects.filter(type=EventType.ORG_HANDOVER).count() == 6
    polled = client.get(f"/sap-xep/{r.pk}/tien-do/", HTTP_HX_REQUEST="true")
    assert polled.status_code == 200 and polled.headers.get("HX-Refresh") == "true"  # the page reloads on the result
    tasks.run_commit.call(job.pk)  # a second run of the same task does nothing
    assert MemberEvent.objects.filter(type=EventType.ORG_HANDOVER).count() == 6


def test_the_commit_reports_its_steps_up_to_every_member(tree, people):
    populate(tree)
    r = _merge(tree, people)
    calls = []
    services.commit(actor=people.admin, restructuring=r, progress=lambda step, done=0, total=0: calls.append((step, done, total)))
    steps = [c[0] for c in calls]
    assert steps[0].startswith("Lập phương án") and any("Chuyển giao đảng viên" in s for s in steps)
    assert calls[-1][1:] == (6, 6) and all(done <= total for _s, done, total in calls if total)


def test_a_refused_commit_fails_the_job_with_its_reason_and_it_runs_again_once_mended(tree, people, settings):
    settings.TASKS = IMMEDIATE
    populate(tree)
    r = draft(tree, people.admin)
    # Chi bộ cơ sở A2 has two official members: merged alone into a new cell, it is a small cell (acceptable, not accepted)
    services.add_operation(actor=people.admin, restructuring=r, kind=OperationKind.MERGE, parent=tree.district_a, name="Chi bộ cơ sở A2 mới",
                           org_kind=Kind.GRASSROOTS_CELL, sources=[tree.cell_a2])
    before = state()
    job = tasks.request_commit(actor=people.admin, restructuring=r, background=True)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "Điều 21" in job.message and state() == before
    services.accept_conflicts(actor=people.admin, restructuring=r, keys=[c.key for c in services.planning.build(r).conflicts])
    job = tasks.request_commit(actor=people.admin, restructuring=r, background=True)
    job.refresh_from_db()
    r.refresh_from_db()
    assert job.status == Job.Status.DONE and r.state == State.COMMITTED


def test_a_job_whose_worker_is_gone_is_failed_and_nothing_else(tree, people, settings):
    settings.TASKS = DB_BACKEND
    populate(tree)
    r = _merge(tree, people)
    job = tasks.request_commit(actor=people.admin, restructuring=r, background=True)
    assert not services.recover_if_stale(job)  # queued: the worker may be busy
    with pytest.raises(Exception, match="đang được thực hiện"):
        tasks.request_commit(actor=people.admin, restructuring=r, background=True)  # one at a time
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, worker=f"{_host()}:999999999")
    job.refresh_from_db()
    assert services.recover_stale_jobs() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "gián đoạn" in job.message and "chưa ghi gì" in job.message
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, worker="another-machine:1", updated_at=timezone.now())
    job.refresh_from_db()
    assert not services.recover_if_stale(job)  # another machine's worker: trusted until its heartbeat is 15 minutes old
    Job.objects.filter(pk=job.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=16))
    job.refresh_from_db()
    assert services.recover_if_stale(job) and job.status == Job.Status.FAILED


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_in_the_middle_of_the_commit_leaves_nothing_and_the_job_runs_again(tree, people, settings, tmp_path):
    populate(tree)
    settings.TASKS = DB_BACKEND
    r = _merge(tree, people)
    before = state()
    job = tasks.request_commit(actor=people.admin, restructuring=r, background=True)
    flag = tmp_path / "writing"
    with shared_database(tmp_path) as env:
        child = subprocess.Popen([sys.executable, str(ROOT / "coso/restructuring/tests/worker_child.py"), str(flag)], cwd=ROOT, env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 90
            while not flag.exists() and child.poll() is None and time.monotonic() < deadline:
                time.sleep(0.1)
            assert flag.exists(), child.stderr.read().decode() if child.poll() is not None else "the worker never reached the writing"
            assert flag.read_text() == "6"  # the members' periods were rewritten inside the open transaction
            if connection.vendor == "postgresql":  # its progress, written from its own connection, is seen meanwhile
                job.refresh_from_db()
                assert job.status == Job.Status.RUNNING and job.total == 6 and job.step
        finally:
            os.kill(child.pid, signal.SIGKILL)
            child.wait(10)
    job.refresh_from_db()
    r.refresh_from_db()
    assert state() == before and r.state == State.DRAFT  # nothing half-written
    assert job.status == Job.Status.RUNNING and job.worker.endswith(f":{child.pid}")
    client = Client()
    client.force_login(people.admin)
    page = client.get(f"/sap-xep/{r.pk}/").content.decode()  # the page finds the process gone: failed, to run again
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and 'data-testid="job-failed"' in page and "Thực hiện lại" in page
    settings.TASKS = IMMEDIATE
    job = tasks.request_commit(actor=people.admin, restructuring=r, background=True)
    job.refresh_from_db()
    r.refresh_from_db()
    assert job.status == Job.Status.DONE and r.state == State.COMMITTED
    assert MemberEvent.objects.filter(type=EventType.ORG_HANDOVER).count() == 6
