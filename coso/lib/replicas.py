"""Reads on PostgreSQL streaming-replication standbys (issue #12 point 6).

One primary takes every write; standbys (COSO_REPLICAS, each a copy the primary streams its
WAL to, started with `pg_basebackup -R`) answer the reads of pages that write nothing. Who reads
where:

- A request reads a standby only when it is a GET or HEAD and its browser has not written in the
  last COSO_REPLICA_STICKY_SECONDS: after a write (a form sent, a sign-in, an export logged) the
  response sets a cookie that keeps the browser on the primary until the standbys have replayed
  it, so that a user always reads what they just wrote.
- Inside a request, the first write (the router's db_for_write) moves the rest of the request to
  the primary, and a read inside a transaction on the primary stays there.
- Everything outside a request (commands, the background worker, the tests) reads the primary,
  unless it asks for a standby with `reading_replica()`.

Raw SQL through `django.db.connection` always runs on the primary: the measure engine and the
ledger read through the ORM, which the router sends; the writers use raw SQL on the primary.
"""

import itertools
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

COOKIE = "coso_primary_until"
PREFIX = "replica"

# (standby alias, the primary's transaction depth when the request or block began) or None
_reading: ContextVar[tuple[str, int] | None] = ContextVar("coso_replica_reading", default=None)
_wrote: ContextVar[bool] = ContextVar("coso_replica_wrote", default=False)
_turns = itertools.count()


def aliases() -> list[str]:
    """The database aliases of the standbys (settings: replica1, replica2…)."""
    return [alias for alias in settings.DATABASES if alias.startswith(PREFIX)]


def _next_replica() -> str | None:
    names = aliases()
    return names[next(_turns) % len(names)] if names else None


def _depth() -> int:
    return len(connections[DEFAULT_DB_ALIAS].atomic_blocks)


def _choose(alias: str | None) -> tuple[str, int] | None:
    return (alias, _depth()) if alias else None


@contextmanager
def reading_replica(alias: str | None = None):
    """Reads in this block go to a standby (the next one in turn, or `alias`), writes to the primary."""
    token, wrote = _reading.set(_choose(alias or _next_replica())), _wrote.set(False)
    try:
        yield (_reading.get() or (None,))[0]
    finally:
        _reading.reset(token)
        _wrote.reset(wrote)


class ReplicaRouter:
    """Reads to the standby chosen for this request or block, writes and migrations to the primary."""

    def db_for_read(self, model, **hints):
        reading = _reading.get()
        if reading is None or _wrote.get() or _depth() > reading[1]:  # a transaction opened since: its own writes
            return DEFAULT_DB_ALIAS
        return reading[0]

    def db_for_write(self, model, **hints):
        if _reading.get() is not None:
            _wrote.set(True)  # the rest of the request reads what it wrote
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the standbys are copies of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class ReplicaMiddleware:
    """Chooses where a request reads (see the module's docstring); without standbys, nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not aliases():
            return self.get_response(request)
        if request.method not in ("GET", "HEAD") or self._recently_wrote(request):
            return self._on_primary(request)
        token, wrote = _reading.set(_choose(_next_replica())), _wrote.set(False)
        try:
            response = self.get_response(request)
            if _wrote.get():
                self._stick(response)
            return response
        finally:
            _reading.reset(token)
            _wrote.reset(wrote)

    def _on_primary(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            self._stick(response)
        return response

    @staticmethod
    def _recently_wrote(request) -> bool:
        try:
            return float(request.COOKIES.get(COOKIE, "0")) > time.time()
        except ValueError:
            return False

    @staticmethod
    def _stick(response):
        seconds = settings.COSO_REPLICA_STICKY_SECONDS
        response.set_cookie(COOKIE, f"{time.time() + seconds:.0f}", max_age=seconds, httponly=True, samesite="Lax",
                            secure=settings.SESSION_COOKIE_SECURE)
