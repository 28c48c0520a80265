"""Each kind of conflict: found by the preview, blocking the commit with its reason in Vietnamese,
accepted only where the rules allow; a refused commit writes nothing."""

import pytest
from django.core.exceptions import ValidationError

from coso.evaluation import services as evaluation
from coso.members import services as members
from coso.members.models import EventType, TransferKind
from coso.organizations.models import Kind
from coso.restructuring import conflicts as registry
from coso.restructuring import plan as planning
from coso.restructuring import services
from coso.restructuring.models import OperationKind

from .helpers import D, draft, populate, state

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree, people):
    return populate(tree)


def _merge(tree, people):
    r = draft(tree, people.admin)
    services.add_operation(actor=people.admin, restructuring=r, kind=OperationKind.MERGE, organization=tree.cell_a1b,
                           sources=[tree.cell_a1a])
    return r


def test_a_member_in_transit_on_the_date_blocks_and_cannot_be_accepted(tree, people, world):
    members.record_event(actor=None, member=world["a1a"][0], type=EventType.TRANSFER_OUT, effective_date=D(2024, 6, 20),
                         target_id=tree.cell_b1a.pk, transfer_kind=TransferKind.OFFICIAL)
    r = _merge(tree, people)
    conflicts = planning.build(r).conflicts
    assert [(c.code, c.acceptable) for c in conflicts] == [("in_transit", False)]
    assert "Nguyễn Văn An đang chuyển sinh hoạt" in conflicts[0].message
    with pytest.raises(ValidationError, match="không thể chấp nhận"):
        services.accept_conflicts(actor=people.admin, restructuring=r, keys=[conflicts[0].key])
    before = state()
    with pytest.raises(ValidationError, match="đang chuyển sinh hoạt"):
        services.commit(actor=people.admin, restructuring=r)
    assert state() == before
    # resolved: the receipt recorded, the conflict is gone
    members.record_event(actor=None, member=world["a1a"][0], type=EventType.TRANSFER_RECEIVED, effective_date=D(2024, 6, 25))
    assert planning.build(r).conflicts == []


def test_a_member_in_transit_towards_an_ending_cell_blocks(tree, people, world):
    members.record_event(actor=None, member=world["b1a"][0], type=EventType.TRANSFER_OUT, effective_date=D(2024, 6, 20),
                         target_id=tree.cell_a1a.pk, transfer_kind=TransferKind.OFFICIAL)
    conflicts = planning.build(_merge(tree, people)).conflicts
    assert [(c.code, c.acceptable) for c in conflicts] == [("in_transit", False)]
    assert "Ngô Văn Khoa" in conflicts[0].message


def test_an_evaluation_period_open_across_the_date_blocks_until_accepted(tree, people, world):
    evaluation.open_period(actor=people.admin, organization=tree.cell_a1a, year=2024, on=D(2024, 6, 1))
    r = _merge(tree, people)
    conflicts = planning.build(r).conflicts
    assert [(c.code, c.acceptable) for c in conflicts] == [("evaluation_open", True)]
    assert "đang mở qua ngày 01/07/2024" in conflicts[0].message
    with pytest.raises(ValidationError, match="Kỳ đánh giá"):
        services.commit(actor=people.admin, restructuring=r)
    services.accept_conflicts(actor=people.admin, restructuring=r, keys=[conflicts[0].key])
    services.commit(actor=people.admin, restructuring=r)


def test_a_cell_left_with_fewer_than_three_official_members_blocks_until_accepted(tree, people, world):
    r = draft(tree, people.admin)
    services.add_operation(actor=people.admin, restructuring=r, kind=OperationKind.DISSOLVE, organization=tree.cell_a1a,
                           parent=tree.cell_a1b, allocations=[{"member": world["a1a"][0], "receiver": tree.cell_a2}])
    conflicts = planning.build(r).conflicts
    # A2 gets one official member: 3 in all, enough; A1b gets two: 5. Nothing small. Now a new cell:
    assert conflicts == []
    r2 = draft(tree, people.admin, title="Tách")
    new = services.add_operation(actor=people.admin, restructuring=r2, kind=OperationKind.ESTABLISH, parent=tree.commune_a1,
                                 name="Chi bộ thôn Mới", org_kind=Kind.SUBORDINATE_CELL)
    services.add_operation(actor=people.admin, restructuring=r2, kind=OperationKind.DISSOLVE, organization=tree.cell_a2, parent_new=new)
    conflicts = planning.build(r2).conflicts
    assert [(c.code, c.acceptable) for c in conflicts] == [("small_cell", True)]
    assert "Chi bộ thôn Mới chỉ có 2 đảng viên chính thức" in conflicts[0].message


def test_a_kind_not_allowed_under_its_new_parent_blocks(tree, people, world):
    r = draft(tree, people.admin)
    services.add_operation(actor=people.admin, restructuring=r, kind=OperationKind.MOVE, organization=tree.cell_a1a, parent=tree.district_b)
    conflicts = planning.build(r).conflicts
    assert [(c.code, c.acceptable) for c in conflicts] == [("kind", False)]
    assert "Chi bộ thôn A1a" in conflicts[0].message and "không thể trực thuộc" in conflicts[0].message
    with pytest.raises(ValidationError):
        services.commit(actor=people.admin, restructuring=r)


def test_a_district_committee_cannot_be_established_from_the_two_tier_date(tree, people, world):
    r = draft(tree, people.admin, on=D(2025, 7, 1))
    services.add_operation(actor=people.admin, restructuring=r, kind=OperationKind.ESTABLISH, parent=tree.province, name="Huyện mới",
                           org_kind=Kind.DISTRICT_COMMITTEE)
    assert [c.code for c in planning.build(r).conflicts] == ["kind"]


def test_a_registered_check_reports_its_conflicts(tree, people, world, monkeypatch):
    """The hook for posts (another capability): a holder whose body ends."""
    def posts(plan):
        return [planning.Conflict("post_holder", str(n.ref), f"Bí thư của {n.name} thôi giữ chức", True) for n in plan.ended]

    monkeypatch.setattr(registry, "CHECKS", [posts])
    conflicts = planning.build(_merge(tree, people)).conflicts
    assert [(c.code, c.acceptable, c.message) for c in conflicts] == [("post_holder", True, "Bí thư của Chi bộ thôn A1a thôi giữ chức")]


def test_errors_name_what_is_wrong_and_block(tree, people, world):
    r = draft(tree, people.admin, organization=tree.district_a)
    services.add_operation(actor=people.admin, restructuring=r, kind=OperationKind.MOVE, organization=tree.cell_b1a, parent=tree.commune_a1)
    services.add_operation(actor=people.admin, restructuring=r, kind=OperationKind.RENAME, organization=tree.cell_a2, name="")
    plan = planning.build(r)
    assert len(plan.errors) == 2
    assert "không thuộc cây tổ chức của cấp ủy quyết định" in plan.errors[0]
    assert "chưa nhập tên mới" in plan.errors[1]
    with pytest.raises(ValidationError):
        services.commit(actor=people.admin, restructuring=r)


def test_a_member_in_transit_in_a_cell_that_only_moves_may_be_accepted_and_keeps_the_letter(tree, people, world):
    """The 2025 change re-parents every cell: a member in transit on the day (a letter to huyện B's
    cell, which stays) is shown; accepted, the commit leaves their letter and periods as they were
    and hands over everyone else; the receipt is recorded afterwards as usual."""
    from coso.members.models import Member, MemberEvent, MemberPeriod

    leaving = world["a1a"][0]
    members.record_event(actor=None, member=leaving, type=EventType.TRANSFER_OUT, effective_date=D(2024, 6, 20),
                         target_id=tree.cell_b1a.pk, transfer_kind=TransferKind.OFFICIAL)
    r = draft(tree, people.admin)
    services.add_operation(actor=people.admin, restructuring=r, kind=OperationKind.MOVE, organization=tree.commune_a1, parent=tree.district_b)
    conflicts = planning.build(r).conflicts
    assert [(c.code, c.acceptable) for c in conflicts] == [("in_transit_moved", True)]
    assert "Nguyễn Văn An" in conflicts[0].message and "giấy giới thiệu vẫn còn giá trị" in conflicts[0].message
    periods = list(MemberPeriod.objects.filter(member=leaving).values_list("organization_id", "in_transit", "valid_from", "valid_to"))
    services.accept_conflicts(actor=people.admin, restructuring=r, keys=[conflicts[0].key])
    services.commit(actor=people.admin, restructuring=r)
    assert list(MemberPeriod.objects.filter(member=leaving).values_list("organization_id", "in_transit", "valid_from", "valid_to")) == periods
    assert not MemberEvent.objects.filter(member=leaving, type=EventType.ORG_HANDOVER).exists()
    assert MemberEvent.objects.filter(type=EventType.ORG_HANDOVER).count() == 5  # A1's five others
    members.record_event(actor=None, member=leaving, type=EventType.TRANSFER_RECEIVED, effective_date=D(2024, 7, 10))
    assert Member.objects.get(pk=leaving.pk).organization_id == tree.cell_b1a.pk
