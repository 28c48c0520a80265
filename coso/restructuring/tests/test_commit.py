"""A restructuring carried out: the tree, the members' hand-off, the lineage, the ledger; undo."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coso.measures import engine, ledger, residence
from coso.measures.models import VillageResidence
from coso.members import owners
from coso.members import services as members
from coso.members.models import EventType, Member, MemberEvent, MemberPeriod, Status
from coso.organizations.models import Kind, Organization, Placement
from coso.restructuring import plan as planning
from coso.restructuring import services
from coso.restructuring.models import Lineage, OperationKind, State

from .helpers import ON, D, draft, populate, state

pytestmark = pytest.mark.django_db
BEFORE = ON - dt.timedelta(days=1)


@pytest.fixture
def world(tree, people):
    return populate(tree)


def _merge_village_cells(tree, people):
    r = draft(tree, people.admin)
    services.add_operation(actor=people.admin, restructuring=r, kind=OperationKind.MERGE, parent=tree.commune_a1,
                           name="Chi bộ thôn A1 mới", org_kind=Kind.SUBORDINATE_CELL, sources=[tree.cell_a1a, tree.cell_a1b])
    return r


def test_it_merges_two_cells_into_a_new_one_and_hands_every_member_over(tree, people, world):
    r = _merge_village_cells(tree, people)
    plan = planning.build(r)
    assert plan.errors == [] and plan.conflicts == []
    assert {n.name for n in plan.ended} == {"Chi bộ thôn A1a", "Chi bộ thôn A1b"}
    assert [n.name for n in plan.started] == ["Chi bộ thôn A1 mới"]
    assert sum(m["count"] for m in plan.moves()) == 6

    services.commit(actor=people.admin, restructuring=r)
    r.refresh_from_db()
    assert r.state == State.COMMITTED
    new = Organization.objects.get(pk=r.written["organizations_created"][0])
    moved = world["a1a"] + world["a1b"]
    # one hand-off event each, with the decision; nobody's status or party dates change
    events = MemberEvent.objects.filter(type=EventType.ORG_HANDOVER)
    assert sorted(events.values_list("member_id", flat=True)) == sorted(m.pk for m in moved)
    assert set(events.values_list("decision_number", "organization_id", "effective_date")) == {("15-QĐ/TU", new.pk, ON)}
    for m in moved:
        fresh = Member.objects.get(pk=m.pk)
        assert (fresh.status, fresh.admitted_on, fresh.recognized_on, fresh.organization_id) == (m.status, m.admitted_on, m.recognized_on, new.pk)
    # the old cells ended the day before, the new one starts on the date: in exactly one cell every day
    for m in moved:
        periods = list(MemberPeriod.objects.filter(member=m).order_by("valid_from").values_list("organization_id", "valid_from", "valid_to"))
        assert periods[-1] == (new.pk, ON, None) and periods[-2][2] == ON
    assert Organization.objects.get(pk=tree.cell_a1a.pk).closed_on == ON
    assert set(Lineage.objects.values_list("predecessor_id", "successor_id", "share")) == {
        (tree.cell_a1a.pk, new.pk, Decimal(1)), (tree.cell_a1b.pk, new.pk, Decimal(1))}


def test_figures_before_the_date_stay_and_after_it_follow_the_new_tree(tree, people, world):
    r = _merge_village_cells(tree, people)
    before = {org: engine.count("members", org, on=BEFORE) for org in (tree.province, tree.district_a, tree.cell_a1a, tree.commune_a1)}
    services.commit(actor=people.admin, restructuring=r)
    r.refresh_from_db()
    assert {org: engine.count("members", org, on=BEFORE) for org in before} == before
    new = Organization.objects.get(pk=r.written["organizations_created"][0])
    assert engine.count("members", new, on=ON) == 6
    assert engine.count("members", tree.commune_a1, on=ON) == 6
    assert engine.count("members", tree.province, on=ON) == before[tree.province]
    assert ledger.compare_with_rebuild() == []  # `coso measures check`


def test_a_moved_subtree_keeps_its_cells_and_its_members_get_the_hand_off(tree, people, world):
    r = draft(tree, people.admin)
    services.add_operation(actor=people.admin, restructuring=r, kind=OperationKind.MOVE, organization=tree.commune_b1, parent=tree.district_a)
    services.commit(actor=people.admin, restructuring=r)
    assert engine.count("members", tree.district_a, on=ON) == 11
    assert engine.count("members", tree.district_b, on=ON) == 0
    assert engine.count("members", tree.district_b, on=BEFORE) == 3
    assert set(MemberEvent.objects.filter(type=EventType.ORG_HANDOVER).values_list("organization_id", flat=True)) == {tree.cell_b1a.pk}
    # the cell's periods go on unbroken: same cell, same status
    for m in world["b1a"]:
        assert MemberPeriod.objects.filter(member=m).count() == 1
    cell = Placement.objects.current().get(organization=tree.cell_b1a)
    assert cell.path.startswith(Placement.objects.current().get(organization=tree.district_a).path)
    assert ledger.compare_with_rebuild() == []


def test_a_dissolved_cell_hands_its_members_to_the_named_receivers(tree, people, world):
    r = draft(tree, people.admin)
    a2 = world["a2"]
    services.add_operation(actor=people.admin, restructuring=r, kind=OperationKind.DISSOLVE, organization=tree.cell_a2,
                           parent=tree.cell_a1a, allocations=[{"member": a2[1], "receiver": tree.cell_b1a}])
    plan = services.commit(actor=people.admin, restructuring=r)
    assert Member.objects.get(pk=a2[0].pk).organization_id == tree.cell_a1a.pk
    assert Member.objects.get(pk=a2[1].pk).organization_id == tree.cell_b1a.pk
    assert Organization.objects.get(pk=tree.cell_a2.pk).close_reason == "dissolved"
    assert sorted((s, str(share)) for _p, s, _k, share in plan.lineage) == sorted([(tree.cell_a1a.pk, "0.5000"), (tree.cell_b1a.pk, "0.5000")])


def test_a_split_divides_members_between_the_new_cells(tree, people, world):
    r = draft(tree, people.admin)
    one = services.add_operation(actor=people.admin, restructuring=r, kind=OperationKind.ESTABLISH, parent=tree.commune_a1,
                                 name="Chi bộ thôn Đông", org_kind=Kind.SUBORDINATE_CELL)
    two = services.add_operation(actor=people.admin, restructuring=r, kind=OperationKind.ESTABLISH, parent=tree.commune_a1,
                                 name="Chi bộ thôn Tây", org_kind=Kind.SUBORDINATE_CELL)
    a1a = world["a1a"]
    services.add_operation(actor=people.admin, restructuring=r, kind=OperationKind.SPLIT, organization=tree.cell_a1a, parent_new=one,
                           allocations=[{"member": a1a[2], "receiver_new": two}])
    plan = planning.build(r)
    assert [c.code for c in plan.conflicts] == ["small_cell", "small_cell"]  # 2 and 1 official members
    with pytest.raises(ValidationError, match="ít nhất 3 đảng viên chính thức"):
        services.commit(actor=people.admin, restructuring=r)
    services.accept_conflicts(actor=people.admin, restructuring=r, keys=[c.key for c in plan.conflicts])
    services.commit(actor=people.admin, restructuring=r)
    shares = dict(Lineage.objects.values_list("successor__placements__name", "share"))
    assert shares == {"Chi bộ thôn Đông": Decimal("0.6667"), "Chi bộ thôn Tây": Decimal("0.3333")}
    assert ledger.compare_with_rebuild() == []


def test_undo_restores_the_state_before_the_commit_exactly(tree, people, world):
    r = _merge_village_cells(tree, people)
    services.add_operation(actor=people.admin, restructuring=r, kind=OperationKind.MOVE, organization=tree.commune_b1, parent=tree.district_a)
    services.add_operation(actor=people.admin, restructuring=r, kind=OperationKind.RENAME, organization=tree.cell_a2, name="Chi bộ Cơ quan A2")
    before = state()
    services.commit(actor=people.admin, restructuring=r)
    assert state() != before
    services.undo(actor=people.admin, restructuring=r)
    assert state() == before
    assert ledger.compare_with_rebuild() == []
    r.refresh_from_db()
    assert r.state == State.DRAFT
    # and it can be carried out again
    services.commit(actor=people.admin, restructuring=r)
    assert ledger.compare_with_rebuild() == []


def test_undo_of_merges_into_a_surviving_cell_keeps_the_ledger(tree, people, world):
    """The members handed to a cell that stays as it is (a merge's surviving one) have, once the
    hand-off is undone, no period in a changed organization after the date: the undo follows
    them as members whose periods it rewrites (the Hypothesis test found it: merge A1a → A1b,
    then B1a → A1b, undo)."""
    first = draft(tree, people.admin)
    services.add_operation(actor=people.admin, restructuring=first, kind=OperationKind.MERGE, organization=tree.cell_a1b,
                           sources=[tree.cell_a1a])
    services.commit(actor=people.admin, restructuring=first)
    assert ledger.compare_with_rebuild() == []
    later = ON + dt.timedelta(days=30)
    second = draft(tree, people.admin, on=later, number="16-QĐ/TU")
    services.add_operation(actor=people.admin, restructuring=second, kind=OperationKind.MERGE, organization=tree.cell_a1b,
                           sources=[tree.cell_b1a])
    before = state()
    services.commit(actor=people.admin, restructuring=second)
    assert ledger.compare_with_rebuild() == []
    assert engine.count("members", tree.cell_a1b, on=later) == 9
    services.undo(actor=people.admin, restructuring=second)
    assert state() == before
    assert ledger.compare_with_rebuild() == []
    services.undo(actor=people.admin, restructuring=first)
    assert ledger.compare_with_rebuild() == []
    assert engine.count("members", tree.cell_a1b, on=later) == 3


def test_the_events_of_members_handed_over_belong_to_the_receiving_cell_from_the_date(tree, people, world):
    """A hand-off rewrites the periods: the hand-off belongs to the cell the member leaves (the day
    before), an event recorded after the date, before the commit, now to the new cell (its day
    before lies in the new cell); the undo gives it back to the old one."""
    moved = world["a1a"][0]
    later = members.record_event(actor=None, member=moved, type=EventType.EXEMPTED, effective_date=ON + dt.timedelta(days=10))
    assert MemberEvent.objects.get(pk=later.pk).owner_id == tree.cell_a1a.pk
    r = _merge_village_cells(tree, people)
    services.commit(actor=people.admin, restructuring=r)
    r.refresh_from_db()
    new = Organization.objects.get(pk=r.written["organizations_created"][0])
    handoff = MemberEvent.objects.get(member=moved, type=EventType.ORG_HANDOVER)
    assert handoff.owner_id == tree.cell_a1a.pk
    assert MemberEvent.objects.get(pk=later.pk).owner_id == new.pk
    assert owners.stale().count() == 0
    month = (ON, ON + dt.timedelta(days=30))
    assert (engine.count("events.exempted", new, period=month), engine.count("events.exempted", tree.commune_a1, period=month)) == (1, 1)
    services.undo(actor=people.admin, restructuring=r)
    assert MemberEvent.objects.get(pk=later.pk).owner_id == tree.cell_a1a.pk
    assert owners.stale().count() == 0
    assert engine.count("events.exempted", tree.cell_a1a, period=month) == 1


def test_undo_is_refused_after_a_later_event_of_a_member_handed_over(tree, people, world):
    r = _merge_village_cells(tree, people)
    services.commit(actor=people.admin, restructuring=r)
    members.record_event(actor=None, member=world["a1a"][0], type=EventType.EXEMPTED, effective_date=D(2024, 8, 1))
    with pytest.raises(ValidationError, match="sự kiện của đảng viên"):
        services.undo(actor=people.admin, restructuring=r)


def test_undo_is_refused_after_its_window(tree, people, world):
    r = _merge_village_cells(tree, people)
    services.commit(actor=people.admin, restructuring=r)
    r.refresh_from_db()
    assert services.undo_problem(r) is None
    assert "Đã quá 7 ngày" in services.undo_problem(r, now=timezone.now() + dt.timedelta(days=8))


def test_a_committed_restructuring_cannot_be_edited(tree, people, world):
    r = _merge_village_cells(tree, people)
    services.commit(actor=people.admin, restructuring=r)
    with pytest.raises(ValidationError, match="đã được thực hiện"):
        services.add_operation(actor=people.admin, restructuring=r, kind=OperationKind.RENAME, organization=tree.cell_a2, name="X")


def test_villages_merged_with_their_cells_and_undone_exactly(tree, people, world):
    """Two villages of a commune into one (places: closed, created, lineage) on the date their
    cells merge: the new cell covers the new village; undo restores villages and cells exactly."""
    from coso.places import services as places
    from coso.places.models import AdminUnit, Generation, Level, UnitKind
    from coso.places.models import Lineage as PlaceLineage

    commune = AdminUnit.objects.create(generation=Generation.LEGACY, level=Level.COMMUNE, kind=UnitKind.COMMUNE, code="99100",
                                       name="An Phú", full_name="Xã An Phú")
    v1, v2 = (places.create_village(actor=None, commune=commune, name=n, kind=UnitKind.VILLAGE, valid_from=D(2020, 1, 1))
              for n in ("Phú Đông", "Phú Tây"))
    Placement.objects.current().get(organization=tree.cell_a1a).villages.add(v1)
    Placement.objects.current().get(organization=tree.cell_a1b).villages.add(v2)
    # a member lives in Phú Đông: from the merger the new village has a resident member
    resident = Member.objects.filter(status__in=[Status.OFFICIAL, Status.PROBATIONARY]).order_by("pk").first()
    members.update_person(actor=None, person=resident.person, residence_village=v1)

    def units():
        return sorted(AdminUnit.objects.values_list("id", "name", "valid_from", "valid_to", "decision_number"))

    before, before_units = state(), units()
    r = _merge_village_cells(tree, people)
    services.add_operation(actor=people.admin, restructuring=r, kind=OperationKind.MERGE_VILLAGES, name="Phú Hòa", villages=[v1, v2])
    plan = planning.build(r)
    assert plan.errors == [] and [m.name for m in plan.village_merges] == ["Phú Hòa"]
    services.commit(actor=people.admin, restructuring=r)
    r.refresh_from_db()
    new = AdminUnit.objects.get(name="Phú Hòa")
    assert (new.parent_id, new.valid_from, new.decision_number) == (commune.pk, ON, "15-QĐ/TU")
    assert set(AdminUnit.objects.filter(pk__in=[v1.pk, v2.pk]).values_list("valid_to", flat=True)) == {ON}
    assert set(PlaceLineage.objects.values_list("old_id", "new_id")) == {(v1.pk, new.pk), (v2.pk, new.pk)}
    cell = Placement.objects.on(ON).get(organization_id=r.written["organizations_created"][0])
    assert list(cell.villages.values_list("pk", flat=True)) == [new.pk]
    assert list(Placement.objects.on(BEFORE).get(organization=tree.cell_a1a).villages.values_list("pk", flat=True)) == [v1.pk]
    assert VillageResidence.objects.on(ON).filter(village=new).exists()
    assert VillageResidence.objects.on(BEFORE).filter(village=v1).exists() and residence.differences() == []

    services.undo(actor=people.admin, restructuring=r)
    assert state() == before and units() == before_units and not PlaceLineage.objects.exists()
    assert residence.differences() == [] and not VillageResidence.objects.filter(village_id=new.pk).exists()


def test_villages_of_two_communes_are_not_merged(tree, people, world):
    from coso.places import services as places
    from coso.places.models import AdminUnit, Generation, Level, UnitKind

    one, two = (AdminUnit.objects.create(generation=Generation.LEGACY, level=Level.COMMUNE, kind=UnitKind.COMMUNE, code=c, name=n,
                                         full_name=f"Xã {n}") for c, n in (("99101", "Một"), ("99102", "Hai")))
    v1 = places.create_village(actor=None, commune=one, name="Đông", kind=UnitKind.VILLAGE, valid_from=D(2020, 1, 1))
    v2 = places.create_village(actor=None, commune=two, name="Tây", kind=UnitKind.VILLAGE, valid_from=D(2020, 1, 1))
    r = draft(tree, people.admin)
    services.add_operation(actor=people.admin, restructuring=r, kind=OperationKind.MERGE_VILLAGES, name="Giữa", villages=[v1, v2])
    assert planning.build(r).errors == ["Chỉ sáp nhập được các thôn, tổ dân phố của cùng một xã, phường."]
    with pytest.raises(ValidationError, match="cùng một xã"):
        services.commit(actor=people.admin, restructuring=r)
