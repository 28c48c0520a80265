"""The organization each member event belongs to (MemberEvent.owner, coso/members/owners.py):
written by every write path, equal to the rule computed from the member's periods."""

import datetime as dt
import importlib
from collections import defaultdict
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coso.measures.tests.test_ledger import OP, run, small_tree
from coso.members import bulk, lifecycle, owners, services
from coso.members.models import EventType, Member, MemberEvent, MemberPeriod, TransferKind
from coso.people.services import create_person

pytestmark = pytest.mark.django_db
D = dt.date


RECORDED_ON = D(2024, 1, 5)


def member(cell, name="Nguyễn Văn An", on=RECORDED_ON):
    person = create_person(actor=None, full_name=name, gender="M", birth_date=D(1980, 5, 1))
    return services.record_existing_member(actor=None, person=person, organization=cell, on=on, admitted_on=D(2010, 1, 1),
                                           recognized_on=D(2011, 1, 1))


def owners_by_type(m: Member) -> list[tuple]:
    return list(MemberEvent.objects.filter(member=m).order_by("effective_date", "sequence", "id").values_list("type", "owner_id"))


def computed_everywhere() -> None:
    """Every stored owner is the pure function's on the member's periods, and the SQL form agrees."""
    periods = defaultdict(list)
    for p in MemberPeriod.objects.all():
        periods[p.member_id].append(p)
    for e in MemberEvent.objects.all():
        assert e.owner_id == owners.owner_of(e.type, e.effective_date, e.organization_id, periods[e.member_id]), e
    assert owners.stale().count() == 0


def test_an_arriving_event_belongs_where_the_member_arrives_and_a_leaving_one_where_they_were(tree):
    m = member(tree.cell_a1a)
    services.record_event(actor=None, member=m, type=EventType.TRANSFER_OUT, effective_date=D(2024, 3, 1), target_id=tree.cell_b1a.pk,
                          transfer_kind=TransferKind.OFFICIAL)
    services.record_event(actor=None, member=m, type=EventType.TRANSFER_RECEIVED, effective_date=D(2024, 3, 20))
    services.record_event(actor=None, member=m, type=EventType.DECEASED, effective_date=D(2024, 6, 1))
    a, b = tree.cell_a1a.pk, tree.cell_b1a.pk
    assert owners_by_type(m) == [(EventType.RECORDED, a), (EventType.TRANSFER_OUT, a), (EventType.TRANSFER_RECEIVED, b),
                                 (EventType.DECEASED, b)]
    computed_everywhere()


def test_an_event_on_the_first_day_of_a_placement_belongs_to_the_one_before(tree):
    m = member(tree.cell_a1a)
    services.record_event(actor=None, member=m, type=EventType.TRANSFER_OUT, effective_date=D(2024, 3, 1), target_id=tree.cell_b1a.pk,
                          transfer_kind=TransferKind.OFFICIAL)
    services.record_event(actor=None, member=m, type=EventType.TRANSFER_RECEIVED, effective_date=D(2024, 3, 20))
    services.record_event(actor=None, member=m, type=EventType.EXEMPTED, effective_date=D(2024, 3, 20))  # the receipt's day
    services.record_event(actor=None, member=m, type=EventType.REMOVED, effective_date=D(2024, 3, 21))
    assert owners_by_type(m)[-2:] == [(EventType.EXEMPTED, tree.cell_a1a.pk), (EventType.REMOVED, tree.cell_b1a.pk)]
    computed_everywhere()


def test_an_event_before_any_period_falls_back_on_the_organization_it_names():
    """The pure function alone: nothing in force the day before, the event's own organization."""
    periods = [lifecycle.Period(7, "official", False, False, None, D(2024, 1, 5), None)]
    assert owners.owner_of(EventType.REMOVED, D(2024, 1, 5), None, periods) is None
    assert owners.owner_of(EventType.REMOVED, D(2024, 1, 5), 9, periods) == 9
    assert owners.owner_of(EventType.REMOVED, D(2024, 1, 6), 9, periods) == 7
    assert owners.owner_of(EventType.TRANSFER_RECEIVED, D(2024, 1, 6), None, periods) == 7
    assert owners.owner_of(EventType.TRANSFER_RECEIVED, D(2024, 1, 6), 9, periods) == 9


def test_a_bulk_import_writes_the_owners_of_its_events(tree):
    rows = [bulk.Row(person={"full_name": "Trần Thị Bích", "gender": "F"}, organization_id=tree.cell_a1b.pk, on=D(2024, 1, 5),
                     admitted_on=D(2010, 1, 1), recognized_on=D(2011, 1, 1),
                     events=[{"type": EventType.TRANSFER_OUT, "effective_date": D(2024, 2, 1), "target_id": tree.cell_a2.pk,
                              "transfer_kind": TransferKind.OFFICIAL},
                             {"type": EventType.TRANSFER_RECEIVED, "effective_date": D(2024, 2, 10), "organization_id": tree.cell_a2.pk},
                             {"type": EventType.LEFT, "effective_date": D(2024, 5, 1)}])]
    [m] = bulk.record_members(rows)
    b, a2 = tree.cell_a1b.pk, tree.cell_a2.pk
    assert [o for _t, o in owners_by_type(m)] == [b, b, a2, a2]
    computed_everywhere()


def test_refresh_repairs_owners_that_drifted_and_touches_no_other(tree):
    m = member(tree.cell_a1a)
    other = member(tree.cell_a2, "Lê Văn Cường")
    services.record_event(actor=None, member=m, type=EventType.DECEASED, effective_date=D(2024, 6, 1))
    MemberEvent.objects.filter(member=m).update(owner=None)
    assert owners.stale().count() == 2
    assert owners.stale([other.pk]).count() == 0
    assert owners.refresh([m.pk]) == 2
    assert owners.refresh() == 0
    computed_everywhere()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(OP, min_size=1, max_size=10))
def test_after_any_sequence_of_writes_every_stored_owner_is_the_computed_one(db, ops):
    """Members recorded one by one and in bulk, transfers (official, temporary) and receipts,
    returns, deaths, removals, exemptions, recognitions, person edits, organization moves."""
    run(small_tree(), ops)
    computed_everywhere()


def test_the_migration_backfills_what_the_rule_computes(tree):
    """members 0010's set-based UPDATEs (the rule frozen in SQL) on events whose owner is unset."""
    from django.apps import apps
    from django.db import connection

    backfill = importlib.import_module("coso.members.migrations.0010_memberevent_owner").backfill
    m = member(tree.cell_a1a)
    services.record_event(actor=None, member=m, type=EventType.TRANSFER_OUT, effective_date=D(2024, 3, 1), target_id=tree.cell_b1a.pk,
                          transfer_kind=TransferKind.OFFICIAL)
    services.record_event(actor=None, member=m, type=EventType.TRANSFER_RECEIVED, effective_date=D(2024, 3, 20))
    services.record_event(actor=None, member=m, type=EventType.DECEASED, effective_date=D(2024, 3, 20))
    member(tree.cell_a2, "Lê Văn Cường")
    MemberEvent.objects.update(owner=None)
    backfill(apps, SimpleNamespace(connection=connection))  # it only reads the editor's connection
    computed_everywhere()


def test_measures_check_reports_drifted_owners_and_rebuild_repairs_them(tree, capsys):
    m = member(tree.cell_a1a)
    services.record_event(actor=None, member=m, type=EventType.DECEASED, effective_date=D(2024, 6, 1))
    call_command("measures", "rebuild")
    call_command("measures", "check")
    MemberEvent.objects.filter(member=m, type=EventType.DECEASED).update(owner=tree.cell_b1a)
    with pytest.raises(SystemExit) as exit_:
        call_command("measures", "check")
    assert exit_.value.code == 1
    assert "1 sự kiện đảng viên ghi sai tổ chức" in capsys.readouterr().err
    call_command("measures", "rebuild")
    assert "Đã ghi lại tổ chức của 1 sự kiện" in capsys.readouterr().out
    call_command("measures", "check")
    assert MemberEvent.objects.get(member=m, type=EventType.DECEASED).owner_id == tree.cell_a1a.pk
