"""Two writes in one commune at once, each in its own transaction and connection (PostgreSQL):
the political system's ledger stays what a recount gives (politicalledger._lock).

One person appointed to two bodies of a commune at the same moment, from two requests: each
write's "before" must see the other's post once it is committed, or both count the person as a
new holder and the commune shows two holders where there is one. The first write holds its
transaction open after its appointment; the second starts meanwhile and must wait for the unit's
lock, then count on the first's result.
"""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from coso.grassroots import services as grassroots
from coso.grassroots.tests.conftest import ON, person, place  # noqa: F401 - the fixture
from coso.measures import engine, politicalledger

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite serializes writers: no two writes at once")]


def test_one_person_appointed_to_two_bodies_at_once_is_one_holder(tree, place):  # noqa: F811 - the fixture
    holder = person("Cán Bộ Kiêm Nhiệm")
    written, errors = threading.Event(), []
    second_done = threading.Event()

    def first():
        try:
            with transaction.atomic():
                grassroots.appoint(actor=None, body=place.body("ubnd"), title="vice_chair", person=holder, valid_from=ON)
                written.set()
                # the second write starts now; it must not finish before this one commits
                time.sleep(1.0)
                assert not second_done.is_set(), "the second write did not wait for the first"
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
            written.set()
        finally:
            connections.close_all()

    def second():
        written.wait(20)
        try:
            with transaction.atomic():
                grassroots.appoint(actor=None, body=place.body("hdnd"), title="vice_chair", person=holder, valid_from=ON)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            second_done.set()
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    connection.close()  # read what both committed
    assert politicalledger.differences() == []
    assert engine.count("posts.holders", tree.commune_a1, on=ON) == 1
    assert engine.count("posts", tree.commune_a1, on=ON) == 2
