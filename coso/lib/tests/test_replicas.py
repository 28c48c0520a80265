"""Where reads go when standbys are configured (coso/lib/replicas.py): the decisions, without servers.

test_replica_servers.py starts a real primary and standby."""

import time

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from coso.access.models import User
from coso.lib import replicas

router = replicas.ReplicaRouter()


@pytest.fixture
def standbys(monkeypatch):
    monkeypatch.setattr(replicas, "aliases", lambda: ["replica1", "replica2"])


def _through_middleware(request, view):
    seen = {}

    def get_response(req):
        seen.update(view() or {})
        return HttpResponse("ok")

    response = replicas.ReplicaMiddleware(get_response)(request)
    return response, seen


def test_without_standbys_everything_reads_the_primary():
    request = RequestFactory().get("/")
    response, seen = _through_middleware(request, lambda: {"read": router.db_for_read(User)})
    assert seen["read"] == "default" and replicas.COOKIE not in response.cookies


def test_a_page_that_writes_nothing_reads_a_standby_and_the_standbys_take_turns(standbys):
    reads = [_through_middleware(RequestFactory().get("/"), lambda: {"read": router.db_for_read(User)})[1]["read"] for _ in range(4)]
    assert set(reads) == {"replica1", "replica2"}
    assert all(a != b for a, b in zip(reads, reads[1:], strict=False))


def test_a_form_sent_reads_and_writes_the_primary_and_keeps_the_browser_there(standbys, settings):
    settings.COSO_REPLICA_STICKY_SECONDS = 10
    request = RequestFactory().post("/", {"x": "1"})
    response, seen = _through_middleware(request, lambda: {"read": router.db_for_read(User), "write": router.db_for_write(User)})
    assert seen == {"read": "default", "write": "default"}
    until = float(response.cookies[replicas.COOKIE].value)
    assert time.time() + 8 < until <= time.time() + 11
    assert response.cookies[replicas.COOKIE]["httponly"]

    # the next page, within the seconds: the primary, so the user reads what they wrote
    after = RequestFactory().get("/")
    after.COOKIES[replicas.COOKIE] = response.cookies[replicas.COOKIE].value
    assert _through_middleware(after, lambda: {"read": router.db_for_read(User)})[1]["read"] == "default"

    # once they have passed (or a cookie that is not a number): a standby again
    for value in (f"{time.time() - 1:.0f}", "not-a-time"):
        later = RequestFactory().get("/")
        later.COOKIES[replicas.COOKIE] = value
        assert _through_middleware(later, lambda: {"read": router.db_for_read(User)})[1]["read"].startswith("replica")


def test_a_page_that_writes_reads_the_primary_from_its_first_write_on(standbys):
    def view():
        before = router.db_for_read(User)
        router.db_for_write(User)  # e.g. an export logged in the audit
        return {"before": before, "after": router.db_for_read(User)}

    response, seen = _through_middleware(RequestFactory().get("/xuat/"), view)
    assert seen["before"].startswith("replica") and seen["after"] == "default"
    assert replicas.COOKIE in response.cookies


@pytest.mark.django_db
def test_a_read_inside_a_transaction_on_the_primary_stays_there(standbys):
    with replicas.reading_replica("replica1"):
        assert router.db_for_read(User) == "replica1"
        with transaction.atomic():
            assert router.db_for_read(User) == "default"


def test_outside_a_request_everything_reads_the_primary_unless_asked(standbys):
    assert router.db_for_read(User) == "default"
    with replicas.reading_replica() as alias:
        assert alias in ("replica1", "replica2") and router.db_for_read(User) == alias
    assert router.db_for_read(User) == "default"


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate("default", "members") and not router.allow_migrate("replica1", "members")
