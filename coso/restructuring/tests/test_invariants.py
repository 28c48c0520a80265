"""Hypothesis over random memberships and sequences of restructurings: the members are conserved
(the same persons, every day), nobody is in two organizations or in none on any date, every
figure on a date before a change is unchanged by it, the ledger stays right, and undo restores
the state exactly."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coso.conftest import build_tree
from coso.measures import engine, ledger
from coso.measures.tree import MeasureError
from coso.members.models import MemberPeriod
from coso.organizations.models import Kind, Placement
from coso.restructuring import services
from coso.restructuring.models import OperationKind

from .helpers import draft, member, state

D = dt.date
FIRST = D(2024, 3, 1)
NAMES = ["An", "Bình", "Cúc", "Dũng", "Em", "Giang", "Hà", "Khoa"]

# (operation, cell index, other cell index); cells: A1a, A1b, A2, B1a and those established
OP = st.tuples(st.sampled_from(["merge", "move", "dissolve", "split", "rename"]), st.integers(0, 5), st.integers(0, 5))


def _cells_on(on):
    return list(Placement.objects.on(on).filter(kind__in=[Kind.SUBORDINATE_CELL, Kind.GRASSROOTS_CELL]).order_by("organization_id")
                .values_list("organization_id", "parent_id", "kind"))


def _count(organization, on):
    try:
        return engine.count("members", organization, on=on)
    except MeasureError:
        return None  # not in force that day


def _membership_by_day(member_ids, days):
    """member → organization on each day (asserting one period at most per day)."""
    out = {}
    for day in days:
        rows = list(MemberPeriod.objects.on(day).filter(member_id__in=member_ids).values_list("member_id", "organization_id"))
        assert len(rows) == len({m for m, _o in rows}), f"a member in two organizations on {day}"
        out[day] = dict(rows)
    return out


def _apply(t, op, on):
    """One restructuring of one random operation on the date; False when the rules refuse it."""
    from coso.organizations.models import Organization

    kind, i, j = op
    cells = _cells_on(on - dt.timedelta(days=1))
    if len(cells) < 2:
        return None
    a, b = cells[i % len(cells)], cells[j % len(cells)]
    if a[0] == b[0]:
        b = cells[(j + 1) % len(cells)]
    org = Organization.objects.get
    r = draft(t, organization=t.province, on=on, title=f"{kind} {on}")
    if kind == "merge":
        services.add_operation(actor=None, restructuring=r, kind=OperationKind.MERGE, organization=org(pk=b[0]), sources=[org(pk=a[0])])
    elif kind == "move":
        committees = [t.commune_a1, t.commune_b1]
        target = next(c for c in committees if c.pk != a[1]) if a[2] == Kind.SUBORDINATE_CELL else None
        if target is None:
            return None
        services.add_operation(actor=None, restructuring=r, kind=OperationKind.MOVE, organization=org(pk=a[0]), parent=target)
    elif kind == "dissolve":
        services.add_operation(actor=None, restructuring=r, kind=OperationKind.DISSOLVE, organization=org(pk=a[0]), parent=org(pk=b[0]))
    elif kind == "split":
        parent = org(pk=a[1])
        new = services.add_operation(actor=None, restructuring=r, kind=OperationKind.ESTABLISH, parent=parent, name=f"Chi bộ mới {on}",
                                     org_kind=a[2])
        ids = list(MemberPeriod.objects.on(on - dt.timedelta(days=1)).filter(organization_id=a[0]).values_list("member_id", flat=True))
        from coso.members.models import Member

        services.add_operation(actor=None, restructuring=r, kind=OperationKind.SPLIT, organization=org(pk=a[0]), parent=org(pk=b[0]),
                               allocations=[{"member": Member.objects.get(pk=m), "receiver_new": new} for m in ids[::2]])
    else:
        services.add_operation(actor=None, restructuring=r, kind=OperationKind.RENAME, organization=org(pk=a[0]), name=f"Tên mới {on}")
    from coso.restructuring import plan as planning

    plan = planning.build(r)
    if plan.errors or any(not c.acceptable for c in plan.conflicts):
        return None
    services.accept_conflicts(actor=None, restructuring=r, keys=[c.key for c in plan.conflicts])
    return services.commit(actor=None, restructuring=r) and r


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(counts=st.lists(st.integers(0, 4), min_size=4, max_size=4), ops=st.lists(OP, min_size=1, max_size=4))
def test_restructurings_conserve_members_and_history_and_undo_exactly(db, counts, ops):
    with transaction.atomic():
        t = build_tree()
        cells = [t.cell_a1a, t.cell_a1b, t.cell_a2, t.cell_b1a]
        people = [member(cell, f"{NAMES[k]} {c}", official=k % 3 != 2) for c, (cell, n) in enumerate(zip(cells, counts, strict=True))
                  for k in range(n)]
        ids = [m.pk for m in people]
        dates = [FIRST + dt.timedelta(days=30 * (k + 1)) for k in range(len(ops))]
        probe_days = [FIRST, *[d - dt.timedelta(days=1) for d in dates], *dates, dates[-1] + dt.timedelta(days=5)]
        last, before_last = None, None
        for op, on in zip(ops, dates, strict=True):
            figures = {(o, d): _count(o, d) for o in (t.province, t.district_a, t.district_b, *cells) for d in probe_days if d < on}
            membership = _membership_by_day(ids, [d for d in probe_days if d < on])
            snapshot = state()
            try:
                with transaction.atomic():
                    done = _apply(t, op, on)
            except ValidationError:
                done = None
            if not done:
                continue
            last, before_last = done, snapshot
            # before the date: every figure and every member's organization unchanged
            assert {(o, d): _count(o, d) for (o, d) in figures} == figures
            assert _membership_by_day(ids, [d for d in probe_days if d < on]) == membership
            # on and after it: the same persons, each in exactly one organization
            after = _membership_by_day(ids, [on, on + dt.timedelta(days=5)])
            for day, placed in after.items():
                assert set(placed) == set(ids), f"members lost or gained on {day}"
            assert ledger.compare_with_rebuild() == []
        if last is not None:
            services.undo(actor=None, restructuring=last)
            assert state() == before_last
            assert ledger.compare_with_rebuild() == []
        transaction.set_rollback(True)
