"""The figures of the most read pages, computed once per state of the data (issue #11 §2).

The statistical report and the dashboard are a fifth of the requests of a normal day and two
thirds of the server's CPU (docs/benchmarks.md, "Load"), and most of them ask again what was
asked a minute before: the same organization, the same date. `cached(key, compute, subtree=…)`
answers from a cache while the data the figures of that subtree count has not changed since
`compute` last ran for the key, and runs it again after any change — a figure read after a write
always includes it.

"The data has changed" is decided below the application: every statement a database connection
executes passes through `_watch` (an execute wrapper installed on each new connection), which
notices any INSERT, UPDATE, DELETE or DDL on a table other than the bookkeeping ones (sessions,
sign-in attempts, audit and export logs, import jobs, the task queue). When the transaction that
wrote commits, rows of lib_dataversion take new random tokens, and cached figures are keyed by
the tokens. So nothing that writes has to remember to say so — the services, the bulk import,
the restructuring's raw SQL, the commands and the background worker are all seen. Writes that go
around Django's cursor (PostgreSQL COPY, raw DB-API connections) call `changed()` themselves.

Tokens (decision 0014):
- "*" moves with every write that is not declared (below): every page's figures depend on it.
- "all" moves with every write: the whole tree's pages (a global administrator's) depend on it.
- "o<id>" moves with a declared write under that organization or under any organization it has
  ever been an ancestor of: the pages of that organization's subtree depend on it.
A writer that knows which organizations its rows belong to (the bulk import: the cells of its
rows and the organizations its events name) may declare it, `with writes_under(ids):`, so that
its writes leave the other subtrees' pages cached. Undeclared writes move "*": when unsure,
everything is computed again.

Rules that keep it exact:
- While the current transaction has written and not committed, nothing is read from nor put in
  the cache (the page must show the transaction's own writes; the tokens move only at commit).
- The tokens are data: a database restored from a backup, or a test's rolled-back transaction,
  brings back its tokens together with the rows they were computed from; tokens are random, never
  a counter that a restore could meet again with other data.
- A reader that read the tokens before a concurrent commit may store figures computed partly after
  it under the old tokens: nobody asks for the old tokens again.
- The key holds what the figures depend on besides the data: the caller's arguments (organization,
  dates, the scope's root, what the role may see), the language and the deployed code. A setting
  overridden (tests) empties the cache.

A connection in manual transaction mode (set_autocommit(False), used nowhere in coso) is not
watched: Django cannot say when it commits.

The cache is Django's "pages" cache (settings.CACHES: files under the data folder, shared by the
server's processes). COSO_PAGE_CACHE = False turns it off.
"""

import functools
import hashlib
import re
import secrets
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, router, transaction
from django.db.backends.signals import connection_created
from django.utils import translation

CACHE = "pages"
TABLE = "lib_dataversion"
# tables whose rows no figure counts: writing them does not change a page's figures
BOOKKEEPING = ("django_session", "axes_", "audit_", "access_exportlog", "access_user", "imports_",
               "django_tasks_", "django_admin_log", TABLE)
_READ_WORDS = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "PRAGMA", "SET", "SHOW",
               "EXPLAIN", "ANALYZE", "VACUUM", "DECLARE", "FETCH", "CLOSE", "LOCK", "RESET")
_WRITE = re.compile(r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO|TRUNCATE(?:\s+TABLE)?)\s+"?(\w+)', re.I)
_FIRST_WORD = re.compile(r"\s*\(?\s*(\w+)")
_WRITE_WORD = re.compile(r"\b(?:INSERT|UPDATE|DELETE)\b", re.I)


def writes_data(sql: str) -> bool:
    """Whether a statement may change rows that figures count (when unsure: yes)."""
    first = _FIRST_WORD.match(sql)
    word = first.group(1).upper() if first else ""
    if word in _READ_WORDS:
        return False
    if word == "WITH":  # a common table expression: a read unless it writes
        return bool(_WRITE_WORD.search(sql))
    if word == "CREATE" and re.match(r"\s*CREATE\s+(?:TEMP|TEMPORARY)\b", sql, re.I):
        return False
    found = _WRITE.match(sql)
    if found is None:
        return True  # DDL and anything unforeseen
    return not found.group(1).lower().startswith(BOOKKEEPING)


EVERY = "*"  # moved by undeclared writes
WHOLE = "all"  # moved by every write
_declared: ContextVar[frozenset | None] = ContextVar("coso_pagecache_declared", default=None)
_ancestry = None  # organization ids -> their ancestors on any date, themselves included (organizations app)


def register_ancestry(function) -> None:
    """Called once by the organizations app: the floor below never reads the tree itself."""
    global _ancestry
    _ancestry = function


@contextmanager
def writes_under(organization_ids):
    """Writes in this block change only figures of the subtrees these organizations belong to
    (on any date): pages of other subtrees stay cached. Nested blocks add up."""
    token = _declared.set((_declared.get() or frozenset()) | frozenset(int(i) for i in organization_ids))
    try:
        yield
    finally:
        _declared.reset(token)


def _note(connection) -> None:
    """Remember what the connection's transaction wrote: undeclared, or under which organizations."""
    declared = _declared.get()
    if declared is None or _ancestry is None:
        connection.coso_everything = True
    else:
        connection.coso_under = getattr(connection, "coso_under", frozenset()) | declared


def _bump(alias: str = DEFAULT_DB_ALIAS) -> None:
    """New tokens for what the connection wrote (after a commit; never fails the write that caused it)."""
    from .models import DataVersion  # noqa: PLC0415 - the app registry is ready by the first write

    connection = connections[alias]
    everything = getattr(connection, "coso_everything", False)
    under = getattr(connection, "coso_under", frozenset())
    connection.coso_unbumped, connection.coso_everything, connection.coso_under = False, False, frozenset()
    keys = [WHOLE]
    try:
        keys += [f"o{i}" for i in sorted(_ancestry(under))] if under else []
    except Exception:  # noqa: BLE001 - whatever failed, the undeclared token below covers it
        everything = True
    if everything or not under:
        keys.append(EVERY)
    try:
        with transaction.atomic(using=alias):
            DataVersion.objects.using(alias).bulk_create(
                [DataVersion(key=key, token=secrets.token_hex(16)) for key in keys],
                update_conflicts=True, unique_fields=["key"], update_fields=["token"])
    except DatabaseError:  # before the table exists (migrations)
        pass


def _bumper(alias: str):
    def bump():
        _bump(alias)

    bump.coso_pagecache = True
    return bump


def _pending(connection) -> bool:
    """Whether the connection's open transaction has written figures' data not yet committed."""
    return connection.in_atomic_block and any(getattr(hook[1], "coso_pagecache", False) for hook in connection.run_on_commit)


def _flush(connection) -> None:
    """The tokens for an autocommit write whose cursor was left open, once outside any transaction."""
    if getattr(connection, "coso_unbumped", False) and not connection.in_atomic_block:
        _bump(connection.alias)


def _watch(execute, sql, params, many, context):
    connection = context["connection"]
    if connection.alias not in connections.settings:  # a maintenance connection (creating the test database)
        return execute(sql, params, many, context)
    _flush(connection)
    result = execute(sql, params, many, context)
    if writes_data(sql):
        _changed(connection, context["cursor"])
    return result


def _changed(connection, cursor=None) -> None:
    if connection.in_atomic_block:
        _note(connection)
        if not _pending(connection):  # at commit; a rolled-back transaction drops it with its writes
            transaction.on_commit(_bumper(connection.alias), using=connection.alias)
    elif connection.get_autocommit():
        _note(connection)
        if cursor is None:
            _bump(connection.alias)
        else:
            _when_done(cursor, connection)


def _when_done(cursor, connection) -> None:
    """An autocommit statement commits when it is done, and on SQLite an INSERT … RETURNING is done
    only when its rows have been read (a statement run before that would roll it back): the tokens
    move when the cursor closes (Django closes its cursors at the end of each `with`), at the
    latest before the connection's next statement or the next cached page."""
    connection.coso_unbumped = True
    if getattr(cursor, "coso_watched", False):
        return
    close = cursor.close

    def close_then_bump():
        try:
            return close()
        finally:
            _flush(connection)

    cursor.close = close_then_bump
    cursor.coso_watched = True


def changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Say that the data changed, for writes that do not pass through Django's cursor (after them)."""
    _changed(connections[using])


def tokens(subtree=WHOLE, using: str | None = None) -> tuple | None:
    """The tokens the figures of `subtree` (an organization id, or WHOLE for the whole tree)
    depend on; None before any write was seen (nothing is cached then)."""
    from .models import DataVersion  # noqa: PLC0415

    alias = using or router.db_for_read(DataVersion)
    keys = [EVERY, WHOLE if subtree in (WHOLE, None) else f"o{int(subtree)}"]
    try:
        found = dict(DataVersion.objects.using(alias).filter(key__in=keys).values_list("key", "token"))
    except DatabaseError:
        return None
    if EVERY not in found:
        return None
    return tuple(found.get(key, "") for key in keys)


@functools.cache
def code_stamp() -> str:
    """The code that computes the figures, as deployed: the newest change among the package's
    files. Part of every key, so that figures computed by older code are never shown after an
    upgrade, whatever the cache kept."""
    package = Path(__file__).resolve().parent.parent
    newest = max((f.stat().st_mtime_ns for f in package.rglob("*") if f.suffix in (".py", ".mo", ".html", ".yaml")), default=0)
    return str(newest)


def enabled() -> bool:
    return getattr(settings, "COSO_PAGE_CACHE", True)


def cached(key: tuple, compute, *, subtree=WHOLE):
    """compute(), or what it returned for the same key while the data of `subtree` (the
    organization whose subtree's figures compute() reads; None or WHOLE: the whole tree, or
    unknown) has not changed since. key: everything the result depends on besides the data, the
    language and the code (plain values)."""
    connection = connections[DEFAULT_DB_ALIAS]
    _flush(connection)
    if not enabled() or _pending(connection):
        return compute()
    current = tokens(subtree)
    if current is None:
        return compute()
    digest = hashlib.sha256(repr((current, code_stamp(), translation.get_language(), key)).encode()).hexdigest()
    store = caches[CACHE]
    found = store.get(digest)
    if found is not None:
        return found
    value = compute()
    if not _pending(connection):  # compute() itself wrote nothing uncommitted
        store.set(digest, value)
    return value


def install(connection, **kwargs) -> None:
    # first in the list: a caller's `with connection.execute_wrapper(...)` pops the last one
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch)


def _setting_changed(**kwargs) -> None:
    try:
        caches[CACHE].clear()
    except Exception:  # noqa: BLE001 - the cache setting itself may be the one being changed
        pass


def connect() -> None:
    """Called once by the app: watch every connection, the open ones and those to come."""
    connection_created.connect(install, dispatch_uid="coso.lib.pagecache")
    setting_changed.connect(_setting_changed, dispatch_uid="coso.lib.pagecache.settings")
    for connection in connections.all(initialized_only=True):
        install(connection)
