"""follow()'s nesting is per thread: a write in another thread (another request of a threaded
server, a background job) is counted in full even while this thread follows the same members.
With one stack per process the second write took the first one's members for an enclosing
follow() of its own and left their difference out of the ledger."""

import datetime as dt
import threading
from types import SimpleNamespace
from unittest import mock

from coso.measures import ledger
from coso.measures.models import VALUE_COLUMNS

DAY = dt.date(2025, 7, 1)


def test_a_follow_in_another_thread_counts_the_members_this_thread_follows():
    values = {7: 1}  # what member 7 contributes, as "the database" holds it now
    upserts = {}

    def contributions(ids, horizon):
        return {(1, "status", str(i), DAY): [values.get(i, 0)] * len(VALUE_COLUMNS) for i in ids}

    def upsert(model, rows):
        upserts.setdefault(threading.current_thread().name, []).append(rows)

    entered, done = threading.Event(), threading.Event()
    errors = []

    def first():  # follows member 7 and stays inside its write until the other thread is done
        try:
            with ledger.follow([7]):
                entered.set()
                done.wait(10)
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    def second():  # another write of member 7, in its own thread, meanwhile
        entered.wait(10)
        try:
            with ledger.follow([7]):
                values[7] = 3
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            done.set()

    with mock.patch.object(ledger, "state", return_value=SimpleNamespace(built=True, horizon=DAY)), \
            mock.patch.object(ledger, "contributions", side_effect=contributions), \
            mock.patch.object(ledger, "_upsert", side_effect=upsert), \
            mock.patch.object(ledger, "connection", SimpleNamespace(in_atomic_block=True, vendor="sqlite")):
        threads = [threading.Thread(target=first, name="first"), threading.Thread(target=second, name="second")]
        for t in threads:
            t.start()
        for t in threads:
            t.join(20)
    assert not errors
    # the second write's difference (1 → 3) is in the ledger: it was not left to the first thread's follow()
    assert upserts["second"] == [{(1, "status", "7", DAY): [2] * len(VALUE_COLUMNS)}]
    assert not ledger._frames.open and not ledger._open.stages  # nothing left open in this thread
