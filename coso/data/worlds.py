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
