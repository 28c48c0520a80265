"""Figures across a restructuring (#17 point 4): events of a period that straddles the change by
the organization of their date or by its successor, and the same area's figures before the
change on today's organizations, through the lineage (shares for splits)."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coso.access.scope import scope_of
from coso.measures import engine
from coso.measures import lineage as through_lineage
from coso.members import services as members
from coso.members.models import EventType
from coso.organizations.models import Kind
from coso.restructuring import services
from coso.restructuring.models import OperationKind
from coso.restructuring.tests.helpers import ON, D, draft, populate

pytestmark = pytest.mark.django_db
BEFORE = ON - dt.timedelta(days=1)
AFTER = ON + dt.timedelta(days=9)


def _commit(r, actor):
    from coso.restructuring import plan as planning

    plan = planning.build(r)
    assert not plan.errors
    services.accept_conflicts(actor=actor, restructuring=r, keys=[c.key for c in plan.conflicts if c.acceptable])
    services.commit(actor=actor, restructuring=r)
    r.refresh_from_db()
    return r


def _merge_communes(tree, people):
    """Xã A1 (huyện A, 6 members) and xã B1 (huyện B, 3 members) into a new commune of huyện A."""
    r = draft(tree, people.admin)
    services.add_operation(actor=people.admin, restructuring=r, kind=OperationKind.MERGE, parent=tree.district_a,
                           name="Đảng bộ xã A1B1", org_kind=Kind.GRASSROOTS_COMMITTEE, sources=[tree.commune_a1, tree.commune_b1])
    r = _commit(r, people.admin)
    return r.written["organizations_created"][0]


def test_a_new_commune_has_the_figures_of_its_predecessors_on_an_earlier_date(tree, people):
    populate(tree)
    new = _merge_communes(tree, people)
    for user in (people.admin, people.staff_a):  # huyện A's user too: xã B1's figure, not its rows
        result = through_lineage.compare(["members", "members.official"], tree.district_a, on=AFTER, before=BEFORE, scope=scope_of(user))
        rows = {r["id"]: r for r in result.rows}
        assert rows[new]["now"]["members"] == 9 and rows[new]["before"]["members"] == 9
        assert rows[tree.cell_a2.pk]["now"]["members"] == 2 and rows[tree.cell_a2.pk]["before"]["members"] == 2
        assert result.total["before"]["members"] == 11 and not result.estimated
    # the old tree still answers on the old date: nothing moved in history
    assert engine.count("members", tree.district_b, on=BEFORE) == 3
    assert engine.count("members", tree.district_b, on=AFTER) == 0
    assert engine.count("members", tree.district_a, on=BEFORE) == 8


def test_a_split_gives_each_part_its_share_of_the_figure_before(tree, people):
    world = populate(tree)
    r = draft(tree, people.admin)
    east = services.add_operation(actor=people.admin, restructuring=r, kind=OperationKind.ESTABLISH, parent=tree.commune_a1,
                                  name="Chi bộ thôn Đông", org_kind=Kind.SUBORDINATE_CELL)
    west = services.add_operation(actor=people.admin, restructuring=r, kind=OperationKind.ESTABLISH, parent=tree.commune_a1,
                                  name="Chi bộ thôn Tây", org_kind=Kind.SUBORDINATE_CELL)
    services.add_operation(actor=people.admin, restructuring=r, kind=OperationKind.SPLIT, organization=tree.cell_a1a, parent_new=east,
                           allocations=[{"member": world["a1a"][2], "receiver_new": west}])
    _commit(r, people.admin)
    result = through_lineage.compare(["members"], tree.commune_a1, on=AFTER, before=BEFORE)
    before = {r["name"]: r["before"]["members"] for r in result.rows}
    assert before["Chi bộ thôn Đông"] == Decimal("2.0001") and before["Chi bộ thôn Tây"] == Decimal("0.9999")
    assert before["Chi bộ thôn A1b"] == 3 and result.estimated


def test_events_of_a_period_across_the_change_by_their_time_or_by_the_successor(tree, people):
    world = populate(tree)
    members.record_event(actor=None, member=world["a1a"][0], type=EventType.EXEMPTED, effective_date=D(2024, 6, 10))
    r = draft(tree, people.admin)
    services.add_operation(actor=people.admin, restructuring=r, kind=OperationKind.MERGE, parent=tree.commune_a1,
                           name="Chi bộ thôn A1 mới", org_kind=Kind.SUBORDINATE_CELL, sources=[tree.cell_a1a, tree.cell_a1b])
    new = _commit(r, people.admin).written["organizations_created"][0]
    members.record_event(actor=None, member=world["a1b"][0], type=EventType.EXEMPTED, effective_date=D(2024, 7, 10))
    period = (D(2024, 6, 1), D(2024, 7, 31))
    # by the organization of the event's date: the June exemption under the cell that ended, named
    by_time = engine.table(["events.exempted"], tree.commune_a1, by="child", period=period)
    rows = {label: values["events.exempted"] for _k, label, values in by_time.rows}
    assert rows["Chi bộ thôn A1 mới"] == 1 and sum(rows.values()) == by_time.total["events.exempted"] == 2
    assert any(label.startswith("Chi bộ thôn A1a") and n == 1 for label, n in rows.items())
    # by the successor: both under the new cell
    result = through_lineage.compare(["events.exempted"], tree.commune_a1, period=period, grouping=through_lineage.BY_SUCCESSOR)
    now = {r["id"]: r["now"]["events.exempted"] for r in result.rows}
    assert now[new] == 2 and sum(now.values()) == 2
    # a year before, the same area had none
    assert result.total["before"]["events.exempted"] == 0


def test_carried_follows_chains_and_shares():
    links = [(1, 2, Decimal(1), D(2025, 1, 1)), (2, 4, Decimal("0.25"), D(2025, 7, 1)), (2, 5, Decimal("0.75"), D(2025, 7, 1)),
             (3, 5, Decimal(1), D(2025, 7, 1))]
    assert through_lineage.carried([1, 3, 6], links) == {1: {4: Decimal("0.25"), 5: Decimal("0.75")}, 3: {5: Decimal(1)}, 6: {6: Decimal(1)}}


def test_last_years_ratings_of_ended_cells_roll_up_to_their_successor(tree, people):
    """2024's published ratings of cells A1a (4 good, 1 satisfactory) and A1b (1 failed), merged
    into a new cell on 01/03/2025: on today's tree the new cell carries them."""
    from coso.evaluation import services as evaluation
    from coso.evaluation.rules.base import FAILED, GOOD, SATISFACTORY
    from coso.restructuring.tests.helpers import member

    a1a = [member(tree.cell_a1a, f"Nguyễn Văn Tốt {i}") for i in range(5)]
    a1b = [member(tree.cell_a1b, "Trần Văn Kém")]
    period = evaluation.open_period(actor=people.staff_a, organization=tree.district_a, year=2024)
    staff = {"actor": people.staff_a, "period": period}
    evaluation.propose(**staff, cell=tree.cell_a1a, levels={m.pk: GOOD for m in a1a[:4]} | {a1a[4].pk: SATISFACTORY})
    evaluation.propose(**staff, cell=tree.cell_a1b, levels={a1b[0].pk: FAILED})
    from coso.evaluation.choices import SubjectKind
    from coso.evaluation.models import Rating

    for org, level in ((tree.cell_a1a, GOOD), (tree.cell_a1b, SATISFACTORY), (tree.cell_a2, GOOD), (tree.commune_a1, GOOD)):
        rating = Rating.objects.get(period=period, subject_kind=SubjectKind.ORGANIZATION, organization=org)
        evaluation.propose_rating(actor=people.staff_a, rating=rating, level=level)
    evaluation.decide(**staff)
    evaluation.publish(**staff)
    r = draft(tree, people.admin, on=D(2025, 3, 1))
    services.add_operation(actor=people.admin, restructuring=r, kind=OperationKind.MERGE, parent=tree.commune_a1,
                           name="Chi bộ thôn A1 mới", org_kind=Kind.SUBORDINATE_CELL, sources=[tree.cell_a1a, tree.cell_a1b])
    new = _commit(r, people.admin).written["organizations_created"][0]
    year = (D(2024, 1, 1), D(2024, 12, 31))
    result = through_lineage.compare(["ratings.members", "ratings.members.good_or_better"], tree.commune_a1, period=year,
                                     to=D(2025, 3, 10))
    rows = {row["id"]: row["now"] for row in result.rows}
    assert rows[new] == {"ratings.members": 6, "ratings.members.good_or_better": 4}
    assert result.grouping == through_lineage.BY_SUCCESSOR
    # on the tree of 2024 the same ratings stay with the cells that were rated
    by_time = engine.table(["ratings.members"], tree.commune_a1, by="child", period=year)
    assert {label: v["ratings.members"] for _k, label, v in by_time.rows} == {"Chi bộ thôn A1a": 5, "Chi bộ thôn A1b": 1}


@st.composite
def _chains(draw):
    """Organizations 1..n; each may end once, later than its predecessors, into successors with
    shares summing to 1 (a merge: one successor, share 1; a split: several)."""
    n = draw(st.integers(2, 12))
    links, ended = [], set()
    for org in range(1, n):
        if draw(st.booleans()):
            continue
        successors = draw(st.lists(st.integers(org + 1, n), min_size=1, max_size=3, unique=True))
        weights = [draw(st.integers(1, 9)) for _s in successors]
        shares = [Decimal(w) / Decimal(sum(weights)) for w in weights]
        links += [(org, s, share, D(2025, 7, 1)) for s, share in zip(successors, shares, strict=True)]
        ended.add(org)
    return n, links, ended


@given(_chains())
@settings(max_examples=200, deadline=None)
def test_carrying_through_the_lineage_conserves_every_figure(chain):
    """Whatever the merges and splits, an organization's figure is carried whole (weights sum to
    1) and only to organizations that did not end."""
    n, links, ended = chain
    weights = through_lineage.carried(range(1, n + 1), links)
    for to in weights.values():
        assert abs(sum(to.values()) - 1) < Decimal("1e-20")
        assert not set(to) & ended
