"""What a restructuring costs in statements does not grow with the organizations it touches: the
lineage of a page, the members' rewrite, the organizations it establishes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coso.access.scope import scope_of
from coso.members.models import Member
from coso.organizations.models import Kind, Organization
from coso.restructuring import plan as planning
from coso.restructuring import selectors, services
from coso.restructuring.models import OperationKind

from .helpers import draft, member, populate

pytestmark = pytest.mark.django_db


def _statements(fn) -> int:
    with CaptureQueriesContext(connection) as queries:
        fn()
    return len(queries)


def test_the_lineage_of_a_page_is_read_in_the_same_statements_for_three_predecessors_as_for_one(tree, people):
    populate(tree)
    r = draft(tree, people.admin)
    services.add_operation(actor=people.admin, restructuring=r, kind=OperationKind.MERGE, organization=tree.cell_a1a,
                           sources=[tree.cell_a1b, tree.cell_a2, tree.cell_b1a])
    plan = planning.build(r)
    services.accept_conflicts(actor=people.admin, restructuring=r, keys=[c.key for c in plan.conflicts if c.acceptable])
    services.commit(actor=people.admin, restructuring=r)
    # huyện A's user: A1a's three predecessors (two in the scope) as dear as B1a's one successor
    three = _statements(lambda: selectors.lineage(tree.cell_a1a.pk, scope_of(people.staff_a)))
    one = _statements(lambda: selectors.lineage(tree.cell_b1a.pk, scope_of(people.staff_a)))
    assert three == one
    scope = scope_of(people.staff_b)  # huyện B: sees B1a, not the A cells
    lineage = selectors.lineage(tree.cell_a1a.pk, scope)
    assert sorted(((row["organization_id"] or 0), row["name"] or "") for row in lineage["predecessors"]) == [
        (0, ""), (0, ""), (tree.cell_b1a.pk, "Chi bộ thôn B1a")]


def test_a_commit_costs_the_same_statements_for_eight_receiving_cells_as_for_two(tree, people):
    populate(tree)
    for i in range(5):  # eight members in A1a, three in A1b
        member(tree.cell_a1a, f"Trần Văn Thêm {i}")
    def split(cell, count):
        r = draft(tree, people.admin, title=f"Chia {count}")
        new = [services.add_operation(actor=people.admin, restructuring=r, kind=OperationKind.ESTABLISH, parent=tree.commune_a1,
                                      name=f"Chi bộ thôn mới {count}-{i}", org_kind=Kind.SUBORDINATE_CELL) for i in range(count)]
        people_of = list(Member.objects.filter(organization=cell).order_by("pk"))
        services.add_operation(actor=people.admin, restructuring=r, kind=OperationKind.SPLIT, organization=cell, parent_new=new[0],
                               allocations=[{"member": m, "receiver_new": new[i % count]} for i, m in enumerate(people_of)])
        plan = planning.build(r)
        assert not plan.errors
        services.accept_conflicts(actor=people.admin, restructuring=r, keys=[c.key for c in plan.conflicts if c.acceptable])
        return r

    two, eight = split(tree.cell_a1b, 2), split(tree.cell_a1a, 8)
    cost_two = _statements(lambda: services.commit(actor=people.admin, restructuring=two))
    cost_eight = _statements(lambda: services.commit(actor=people.admin, restructuring=eight))
    assert cost_eight == cost_two
    # and every member is in the cell the split gave them, each new cell with its own code
    eight.refresh_from_db()
    created = eight.written["organizations_created"]
    assert len(created) == 8 and len(set(Organization.objects.filter(pk__in=created).values_list("code", flat=True))) == 8
    assert sorted(Member.objects.filter(organization_id__in=created).values_list("organization_id", flat=True)) == sorted(created)
