"""How the event counts read the database: from the indexes alone (issue #14, the targets dashboard,
whose time went to fetching every event of the types in the period, then each event's period the
day before; now each event stores the organization it belongs to, coso/members/owners.py, and a
subtree's events are read by owner, type and date). SQLite's plan says so without statistics;
PostgreSQL's depends on them (the figures are in docs/benchmarks.md)."""

import datetime as dt

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from coso.measures import engine

pytestmark = [pytest.mark.django_db, pytest.mark.skipif(connection.vendor != "sqlite", reason="the plan of SQLite")]
PERIOD = (dt.date(2020, 10, 1), dt.date(2024, 12, 31))
EXITS = ["events.recognized", "events.transferred_out", "events.removed", "events.expelled", "events.left", "events.deceased"]


def plans(organization, by):
    """The plans of the rows' statements (the ledger of events, which answers a summarized root, off)."""
    with override_settings(COSO_LEDGER=False), CaptureQueriesContext(connection) as queries:
        engine.table(EXITS, organization, by=by, period=PERIOD)
    found = []
    with connection.cursor() as cursor:
        for q in queries.captured_queries:
            if "members_memberevent" in q["sql"]:
                cursor.execute("EXPLAIN QUERY PLAN " + q["sql"])
                found.append([row[-1] for row in cursor.fetchall()])
    return found


@pytest.mark.parametrize("by", [None, "year", "child"])
def test_exit_events_of_a_subtree_are_counted_from_the_owner_index_alone(tree, by):
    (plan,) = plans(tree.district_a, by)
    events = [line for line in plan if "members_memberevent" in line]
    assert events and all("COVERING INDEX members_event_owner_idx (owner_id=?" in line for line in events), plan
    # the member's periods are no longer read at count time
    assert not [line for line in plan if "members_period" in line or "memberperiod" in line], plan
