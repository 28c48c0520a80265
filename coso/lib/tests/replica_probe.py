"""Run by test_replica_servers.py in a process configured as a deployment is: DATABASE_URL the
primary, COSO_REPLICAS the standby. `write` records members and an event on the primary and
prints the primary's WAL position; `read` prints the national figures as read on the standby
(and the number of statements the standby answered) and as read on the primary."""

import datetime as dt
import json
import sys

import django

django.setup()

from django.db import connections  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from coso.lib import replicas  # noqa: E402
from coso.measures import engine  # noqa: E402

MEASURES = ["members", "members.official", "members.probationary", "members.exempted"]


def write() -> None:
    from coso.conftest import build_tree
    from coso.members import services
    from coso.members.models import EventType
    from coso.people.services import create_person

    tree = build_tree()
    admitted = dt.date(2015, 3, 1)
    members = [services.record_existing_member(actor=None, person=create_person(actor=None, full_name=f"Trần Văn {c}", gender="M",
                                                                               birth_date=dt.date(1980, 1, 1)),
                                               organization=cell, on=dt.date(2024, 1, 2), admitted_on=admitted,
                                               recognized_on=dt.date(2016, 3, 1))
               for c, cell in zip("ABC", [tree.cell_a1a, tree.cell_a1b, tree.cell_b1a], strict=True)]
    services.record_event(actor=None, member=members[0], type=EventType.EXEMPTED, effective_date=dt.date(2024, 6, 1))
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        print(json.dumps({"lsn": cursor.fetchone()[0]}))


def _figures(on):
    rows = engine.table(MEASURES, None, by="child", on=on)
    return {"total": {m: rows.total[m] for m in MEASURES}, "rows": sorted(str(r) for r in rows.rows)}


def read() -> None:
    on = timezone.localdate()
    standby = replicas.aliases()[0]
    with replicas.reading_replica(standby), CaptureQueriesContext(connections[standby]) as seen:
        on_standby = _figures(on)
    on_primary = _figures(on)
    print(json.dumps({"standby": on_standby, "primary": on_primary, "standby_statements": len(seen.captured_queries)}))


if __name__ == "__main__":
    {"write": write, "read": read}[sys.argv[1]]()
