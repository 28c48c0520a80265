"""The big test worlds (the demo, the five scenario districts): built once for the tests that
ask for them, inside a transaction that is rolled back afterwards.

Each test then runs in its own savepoint over the world (pytest-django's `db`), so the world is
built once however many tests read it, and the tests after it find the database as the
migrations left it: a rollback, not a flush, which would also empty the rows the migrations
write. Only builders that stay inside Django's transactions can use this; `synth.build` commits
and reindexes by hand (its tests flush instead).
"""

from contextlib import contextmanager

from django.core.management import call_command
from django.db import connection, transaction


@contextmanager
def world(django_db_blocker, build):
    """Load the administrative units, run build() and yield what it returns, then roll back.

    The world's foreign keys are checked once when it is built: on PostgreSQL they are deferred
    to the end of the transaction, and every test's teardown asks for the deferred checks
    (`SET CONSTRAINTS ALL IMMEDIATE`), which re-checked the whole uncommitted world after each
    test (1.6 s a test) until they were done here."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("places", "load", verbosity=0)
        built = build()
        connection.check_constraints()
        yield built
        transaction.set_rollback(True)


def flush() -> None:
    """Empty the database after a world that committed (`synth.build`), and forget the planner's
    statistics its ANALYZE left: on SQLite they outlive a flush (sqlite_stat1, sqlite_stat4), and
    every later test of the worker ran with the national dataset's plans (how SQLite 3.40's wrong
    rows were found: decision 0016). A test after it finds the database as the migrations left it."""
    call_command("flush", "--noinput")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'sqlite_stat%'")
            for (table,) in cursor.fetchall():
                cursor.execute(f"DELETE FROM {table}")
            cursor.execute("ANALYZE sqlite_schema")  # the statistics read again: none
