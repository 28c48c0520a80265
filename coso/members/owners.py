"""The organization each member event belongs to (MemberEvent.owner), kept when events and periods are written.

The measures count a period's events "under the organization the event belongs to" (coso/measures/
families.py Events): an arriving event (admission, receipt, record...: ARRIVING) where the member
arrives, the organization it names (else the member's period in force on its date); any other
event (recognition, transfer out, removal, death...) where the member was the day before its
date (the period in force on date − 1), else the organization it names. Reading that through
correlated subqueries at count time cost a district's dashboard a second (docs/benchmarks.md,
Targets); stored on the event, a subtree's events are read by (owner, type, date) like any
indexed column.

One rule, two forms that must agree (tests/test_owners.py, and `coso measures check`):
- owner_of(): the pure function, on a member's periods as the replay returns them (members.services
  sets it on the event it saves, members.bulk on the rows it inserts);
- refresh(): the same rule as one UPDATE over every event of the given members (or of all) whose
  stored owner differs, for the writes that rewrite periods in bulk (restructuring commit and
  undo, the synthetic datasets) and for repairs (`coso measures rebuild`).

An owner is an organization, not a place in the tree: moving an organization leaves its events'
owners as they are (the measures test the owner's placement on the event's date); only a change
of the member's periods (a hand-off, an event inserted before others) changes them.
"""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Case, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from coso.lib.dated import in_force, in_force_day_before_q, in_force_q

from .models import EventType, MemberEvent, MemberPeriod

# Events counted where the member arrives (the organization named on the event); the others are
# counted where the member was the day before the event.
ARRIVING = frozenset({EventType.ADMITTED, EventType.READMITTED, EventType.JOINED_BY_TRANSFER, EventType.TRANSFER_RECEIVED,
                      EventType.RECORDED, EventType.RESTORED})

CHUNK = 5000


def _placed(periods: Iterable, on: dt.date) -> int | None:
    """The organization of the period in force on the date (the latest begun, as the SQL form)."""
    found = None
    for p in periods:
        if in_force(p.valid_from, p.valid_to, on) and (found is None or p.valid_from > found.valid_from):
            found = p
    return found.organization_id if found is not None else None


def owner_of(type: str, effective_date: dt.date, organization_id: int | None, periods: Iterable) -> int | None:
    """The organization an event belongs to, from the member's periods (objects with
    organization_id, valid_from, valid_to: lifecycle.Period or MemberPeriod)."""
    periods = list(periods)
    if type in ARRIVING:
        return organization_id if organization_id is not None else _placed(periods, effective_date)
    before = _placed(periods, effective_date - dt.timedelta(days=1))
    return before if before is not None else organization_id


def set_owners(events: Iterable, periods: Iterable) -> list:
    """Set each event's owner_id from the member's periods; the events whose owner changed."""
    periods = list(periods)
    changed = []
    for e in events:
        owner = owner_of(e.type, e.effective_date, e.organization_id, periods)
        if e.owner_id != owner:
            e.owner_id = owner
            changed.append(e)
    return changed


def expression():
    """owner_of() as an SQL expression on a MemberEvent row (correlated subqueries on its member's
    periods, read from the index members_period_member_cover alone)."""
    date = OuterRef("effective_date")
    periods = MemberPeriod.objects.filter(member_id=OuterRef("member_id"))
    on_day = periods.filter(in_force_q(date)).order_by("-valid_from").values("organization_id")[:1]
    before = periods.filter(in_force_day_before_q(date)).order_by("-valid_from").values("organization_id")[:1]
    return Case(
        When(type__in=ARRIVING, then=Coalesce("organization_id", Subquery(on_day), output_field=IntegerField())),
        default=Coalesce(Subquery(before), "organization_id", output_field=IntegerField()),
        output_field=IntegerField(),
    )


def stale(member_ids: Iterable[int] | None = None):
    """The events (of these members, or all) whose stored owner is not the computed one."""
    qs = MemberEvent.objects.all()
    if member_ids is not None:
        qs = qs.filter(member_id__in=member_ids)
    # organization ids are positive: 0 stands for "none" on both sides of the null-safe comparison
    return qs.alias(computed=Coalesce(expression(), Value(0)), stored=Coalesce("owner_id", Value(0))).filter(~Q(stored=F("computed")))


def refresh(member_ids: Iterable[int] | None = None) -> int:
    """Write the computed owner on the events (of these members, or all) whose stored one differs;
    the number of events written. One UPDATE per CHUNK members, inside the caller's transaction."""
    if member_ids is None:
        return _refresh(None)
    ids = sorted(set(member_ids))
    return sum(_refresh(ids[i:i + CHUNK]) for i in range(0, len(ids), CHUNK))


def _refresh(member_ids) -> int:
    return stale(member_ids).update(owner_id=expression())
