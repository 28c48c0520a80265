"""Bulk recording of members already in the Party: imports and generated datasets.

The same lifecycle.replay() as the one-by-one path decides each member's state and periods;
only the writes are batched (bulk_create of persons, members, events, periods and audit rows
in one transaction), so 100,000 rows cost a few dozen queries, not a few per row.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from coso.audit import services as audit
from coso.audit.models import AuditEvent
from coso.lib import pagecache
from coso.lib.text import clean, fold, name_sort_key, person_sort_key
from coso.people.models import Person

from . import lifecycle, owners, search
from .models import EventType, Member, MemberEvent, MemberPeriod
from .watchers import events_changing, periods_changing


@dataclass
class Row:
    """One member to record: the person's fields, where they are and their admission dates."""

    person: dict
    organization_id: int
    on: dt.date  # from when the system places them in this organization
    admitted_on: dt.date
    recognized_on: dt.date | None = None
    decision_date: dt.date | None = None
    card_number: str = ""
    introducers: str = ""
    events: list = field(default_factory=list)  # later events: dicts of MemberEvent fields (type, effective_date, ...)


def _person(data: dict) -> Person:
    p = Person(**data)
    p.full_name = clean(p.full_name)
    p.name_folded = fold(p.full_name)
    p.name_sort = name_sort_key(p.full_name)
    p.name_order = person_sort_key(p.full_name)
    if p.national_id == "":
        p.national_id = None
    return p


def reserve_ids(model, count: int) -> list[int]:
    """Ids for rows about to be inserted with insert_rows(with_pk=True), inside the caller's
    transaction: PostgreSQL hands them out from the table's sequence (concurrent writers get
    others); SQLite, whose writers hold the database's write lock for the whole transaction, takes
    the ones after the largest (its sequence follows explicit ids)."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        first = cursor.fetchone()[0] + 1
    return list(range(first, first + count))


def insert_rows(model, objects, chunk: int = 20_000, with_pk: bool = False) -> None:
    """INSERT unsaved objects whose ids nobody needs back (events, periods, audit rows) with executemany.

    bulk_create spends two thirds of an import turning each value into SQL through every field
    (and on SQLite cuts the rows into batches of a few dozen for its parameter limit); here only
    the columns that need it (dates, booleans, JSON, the creation time) are prepared, the others go as
    they are, and the driver loops over the rows."""
    if not objects:
        return
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    plain = ("CharField", "TextField", "IntegerField", "BigIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField",
             "SmallIntegerField", "ForeignKey", "OneToOneField", "BigAutoField", "AutoField")
    stamped = {i: f for i, f in enumerate(fields) if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)}
    # plain dates (not datetimes) go as the driver takes them: a date on PostgreSQL, its ISO text
    # on SQLite (what DateField.get_db_prep_save gives, at a tenth of the cost); anything else
    # (a string, None) through the field
    dates = [i for i, f in enumerate(fields) if f.get_internal_type() == "DateField" and i not in stamped]
    prepared = {i: f for i, f in enumerate(fields)
                if (f.get_internal_type() not in plain and i not in dates) and i not in stamped}
    as_text = connection.vendor != "postgresql"
    names = [f.attname for f in fields]
    copy_sql = f"COPY {table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor:
        for start in range(0, len(objects), chunk):
            # the rows of one statement share its time (auto_now_add: one transaction's write)
            now = timezone.now()
            stamps = {i: f.get_db_prep_save(now, connection) for i, f in stamped.items()}
            rows = []
            for o in objects[start:start + chunk]:
                values = [getattr(o, name) for name in names]
                for i, value in stamps.items():
                    setattr(o, names[i], now)
                    values[i] = value
                for i in dates:
                    value = values[i]
                    if type(value) is dt.date:
                        values[i] = value.isoformat() if as_text else value
                    elif value is not None:
                        values[i] = fields[i].get_db_prep_save(value, connection)
                for i, f in prepared.items():
                    values[i] = f.get_db_prep_save(f.pre_save(o, add=True), connection)
                rows.append(values)
            if connection.vendor == "postgresql":  # COPY: one stream instead of a statement per row
                with cursor.cursor.copy(copy_sql) as copy:
                    for values in rows:
                        copy.write_row(values)
                pagecache.changed()  # COPY goes around Django's cursor: the pages' figures must know
            else:
                cursor.executemany(sql, rows)


@transaction.atomic
def record_members(rows: list[Row], *, actor=None, event_type: str = EventType.RECORDED, audit_type: str = "members.member.imported",
                   batch_size: int = 5000) -> list[Member]:
    """Record every row or none (LifecycleError names the first bad row's problem)."""
    plans = []
    for index, row in enumerate(rows):
        first = MemberEvent(type=event_type, effective_date=row.on, sequence=0, organization_id=row.organization_id,
                            admitted_on=row.admitted_on, recognized_on=row.recognized_on, decision_date=row.decision_date)
        later = [MemberEvent(sequence=i + 1, **e) for i, e in enumerate(row.events)]
        try:
            result = lifecycle.replay([first, *later])
        except lifecycle.LifecycleError as error:
            raise lifecycle.LifecycleError(f"{index + 1}: {error}") from None
        plans.append((row, [first, *later], result))
    # the figures these rows change are those of their organizations' subtrees: the other subtrees'
    # pages stay cached (coso/lib/pagecache.py)
    with pagecache.writes_under(_organizations(plans)):
        return _write(plans, actor=actor, audit_type=audit_type)


def _organizations(plans) -> set[int]:
    """Every organization the rows' events and periods name (placed in, hosted by, transferred to…)."""
    named = set()
    for _row, member_events, result in plans:
        for record in (*member_events, *result.periods):
            named.update(getattr(record, name) for name in _ORGANIZATION_FIELDS if getattr(record, name, None))
    return named


_ORGANIZATION_FIELDS = sorted({f.attname for model in (MemberEvent, MemberPeriod) for f in model._meta.concrete_fields
                               if f.is_relation and f.related_model._meta.label == "organizations.Organization"})


def _write(plans, *, actor, audit_type) -> list[Member]:
    persons = [_person(row.person) for row, _, _ in plans]
    for person, pk in zip(persons, reserve_ids(Person, len(persons)), strict=True):
        person.pk = pk
    insert_rows(Person, persons, with_pk=True)
    members = []
    for (row, _, result), person in zip(plans, persons, strict=True):
        s = result.state
        members.append(Member(
            person=person, card_number=clean(row.card_number) or None, introducers=clean(row.introducers), status=s.status,
            organization_id=s.organization_id, admitted_on=s.admitted_on, admission_decision_date=s.first_decision_date,
            recognized_on=s.recognized_on, card_issued_on=s.card_issued_on, exempted=s.exempted, in_transit=s.transit_to is not None,
        ))
    for member, pk in zip(members, reserve_ids(Member, len(members)), strict=True):
        member.pk = pk
    insert_rows(Member, members, with_pk=True)
    events, periods, audits = [], [], []
    for (row, member_events, result), member in zip(plans, members, strict=True):
        owners.set_owners(member_events, result.periods)  # the organization each event belongs to
        for e in member_events:
            e.member = member
            e.created_by = actor if actor is not None and actor.pk else None
            events.append(e)
        periods.extend(
            MemberPeriod(member=member, organization_id=p.organization_id, status=p.status, exempted=p.exempted,
                         in_transit=p.in_transit, host_id=p.host_id, valid_from=p.valid_from, valid_to=p.valid_to)
            for p in result.periods
        )
        if audit_type:
            audits.append(audit.build_event(actor=actor, event_type=audit_type, target=member, organization_id=row.organization_id,
                                            new={"person": member.person_id, "status": member.status, "organization_id": member.organization_id}))
    with events_changing.watching([m.pk for m in members]):  # the ledger of events
        insert_rows(MemberEvent, events)
    with periods_changing.watching([m.pk for m in members]):  # the ledger of counts, summed over the batch
        insert_rows(MemberPeriod, periods)
    search.refresh((m.pk for m in members), new=True)  # the search copy, one INSERT ... SELECT per 500 members
    insert_rows(AuditEvent, audits)
    return members
