import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coso.access.models import Role
from coso.conftest import make_user
from coso.measures import engine, ledger
from coso.measures.catalog import MEASURES, MEMBERS
from coso.measures.dimensions import DIMENSIONS
from coso.members import lifecycle, services
from coso.members.models import EventType, Member, MemberEvent, MemberPeriod, Status, TransferKind
from coso.organizations import services as org_services
from coso.organizations.models import Kind
from coso.organizations.scope import Scope
from coso.people.models import Person
from coso.people.services import create_person
from coso.places.models import AdminUnit, Generation, Level, UnitKind
from coso.places.watchers import units_changing

pytestmark = pytest.mark.django_db
D = dt.date
RECORDED_ON = D(2024, 1, 5)
ADMITTED_ON = D(2010, 1, 1)


def member(tree, cell, name="Nguyễn Văn An", gender="M", on=RECORDED_ON, admitted=ADMITTED_ON, **person):
    p = create_person(actor=None, full_name=name, gender=gender, birth_date=person.pop("birth_date", D(1980, 5, 1)), **person)
    return services.record_existing_member(actor=None, person=p, organization=cell, on=on, admitted_on=admitted,
                                           recognized_on=lifecycle.add_months(admitted, 12) if admitted < on - dt.timedelta(days=400) else None)


@pytest.fixture
def populated(tree):
    """Six members in district A, two in district B, with a few lifecycle events in 2024."""
    m = [
        member(tree, tree.cell_a1a, "Nguyễn Thị Hoa", "F", ethnicity="30", religion="01"),
        member(tree, tree.cell_a1a, "Trần Văn Bình"),
        member(tree, tree.cell_a1b, "Lê Thị Cúc", "F", birth_date=D(1999, 3, 3), admitted=D(2018, 1, 1)),
        member(tree, tree.cell_a1b, "Phạm Văn Dũng", admitted=D(2023, 6, 1)),
        member(tree, tree.cell_a2, "Hồ Văn Em"),
        member(tree, tree.cell_a2, "Đỗ Văn Giang"),
        member(tree, tree.cell_b1a, "Vũ Thị Hạnh", "F"),
        member(tree, tree.cell_b1a, "Võ Văn Ích"),
    ]
    services.record_event(actor=None, member=m[1], type=EventType.TRANSFER_OUT, effective_date=D(2024, 3, 1),
                          target_id=tree.cell_b1a.pk, transfer_kind=TransferKind.OFFICIAL)
    services.record_event(actor=None, member=m[1], type=EventType.TRANSFER_RECEIVED, effective_date=D(2024, 3, 20),
                          organization_id=tree.cell_b1a.pk)
    services.record_event(actor=None, member=m[5], type=EventType.DECEASED, effective_date=D(2024, 4, 10))
    return m


def test_members_on_a_date_follow_the_events(tree, populated):
    before, after = D(2024, 2, 1), D(2024, 5, 1)
    assert engine.count("members", tree.district_a, on=before) == 6
    assert engine.count("members", tree.district_a, on=after) == 4  # one transferred to B, one died
    assert engine.count("members", tree.district_b, on=after) == 3
    assert engine.count("members", tree.province, on=after) == 7
    assert engine.count("members.female", tree.district_a, on=after) == 2
    assert engine.count("members.minority", tree.province, on=after) == 1
    assert engine.count("members.religious", tree.province, on=after) == 1
    assert engine.count("members.probationary", tree.province, on=after) == 1
    assert engine.count("members", None, on=after) == 7


def test_a_member_in_transit_is_counted_by_the_sender_until_received(tree, populated):
    in_transit = D(2024, 3, 10)
    assert engine.count("members", tree.district_a, on=in_transit) == 6
    assert engine.count("members.in_transit", tree.district_a, on=in_transit) == 1
    assert engine.count("members", tree.district_b, on=in_transit) == 2


def test_events_over_a_period_are_counted_where_they_belong(tree, populated):
    year = (D(2024, 1, 1), D(2024, 12, 31))
    assert engine.count("events.transferred_out", tree.district_a, period=year) == 1
    assert engine.count("events.transferred_out", tree.district_b, period=year) == 0
    assert engine.count("events.transferred_in", tree.district_b, period=year) == 1
    assert engine.count("events.transferred_in", tree.district_a, period=year) == 0
    assert engine.count("events.deceased", tree.district_a, period=year) == 1
    assert engine.count("events.deceased", tree.province, period=(D(2024, 5, 1), D(2024, 12, 31))) == 0


def test_admissions_are_counted_in_the_admitting_cell(tree):
    p = create_person(actor=None, full_name="Mai Văn Khoa", gender="M", birth_date=D(2000, 1, 1))
    candidate = services.add_candidate(actor=None, person=p, organization=tree.cell_a1a, listed_on=D(2024, 1, 10),
                                       course_completed_on=D(2024, 1, 20))
    assert engine.count("candidates", tree.district_a, on=D(2024, 2, 1)) == 1
    services.admit_candidate(actor=None, candidate=candidate, admitted_on=D(2024, 3, 1), decision_number="1-QĐ/HU")
    assert engine.count("candidates", tree.district_a, on=D(2024, 2, 1)) == 1  # as it stood then
    assert engine.count("candidates", tree.district_a, on=D(2024, 4, 1)) == 0
    assert engine.count("events.admitted", tree.commune_a1, period=(D(2024, 1, 1), D(2024, 12, 31))) == 1
    assert engine.count("events.admitted", tree.district_b, period=(D(2024, 1, 1), D(2024, 12, 31))) == 0
    assert engine.count("members.probationary", tree.cell_a1a, on=D(2024, 4, 1)) == 1


def test_the_answer_follows_the_tree_as_it_stood(tree, populated):
    moved_on = D(2024, 6, 1)
    org_services.move_organization(actor=None, organization=tree.commune_a1, new_parent=tree.district_b, valid_from=moved_on)
    assert engine.count("members", tree.district_a, on=D(2024, 5, 1)) == 4
    assert engine.count("members", tree.district_a, on=D(2024, 7, 1)) == 1  # only the agency cell is left
    assert engine.count("members", tree.district_b, on=D(2024, 7, 1)) == 6
    assert engine.count("orgs.subordinate_cells", tree.district_a, on=D(2024, 5, 1)) == 2
    assert engine.count("orgs.subordinate_cells", tree.district_a, on=D(2024, 7, 1)) == 0
    # conserved: the province never loses a member in the move
    assert engine.count("members", tree.province, on=D(2024, 5, 1)) == engine.count("members", tree.province, on=D(2024, 7, 1))


def test_organizations_by_kind(tree):
    on = D(2024, 2, 1)
    assert engine.count("orgs.grassroots", tree.district_a, on=on) == 2
    assert engine.count("orgs.grassroots_committees", tree.district_a, on=on) == 1
    assert engine.count("orgs.grassroots_cells", tree.district_a, on=on) == 1
    assert engine.count("orgs.subordinate_cells", tree.province, on=on) == 3
    assert engine.count("orgs.grassroots", tree.commune_a1, on=on) == 0  # itself excluded
    by_child = {label: v["orgs.grassroots"] for _k, label, v in engine.table(["orgs.grassroots"], tree.province, by="child", on=on).rows}
    assert by_child == {"Đảng bộ huyện A": 2, "Đảng bộ huyện B": 1}


@pytest.mark.parametrize("by", sorted(DIMENSIONS))
def test_every_breakdown_adds_up_to_the_total(tree, populated, by):
    families = DIMENSIONS[by].families
    when = {"on": D(2024, 5, 1)}
    if MEMBERS in families:
        names = [n for n, m in MEASURES.items() if m.family == MEMBERS]
    elif "organizations" in families:
        names = ["orgs.grassroots", "orgs.subordinate_cells"]
    elif "events" not in families and "ratings" in families:  # ratings: coso/evaluation/tests/test_measures.py
        names = ["ratings.members", "ratings.organizations"]
        when = {"period": (D(2023, 1, 1), D(2024, 12, 31))}
    elif "events" not in families:  # a family of its own (inspection: coso/inspection/tests/test_measures.py)
        names = [n for n, m in MEASURES.items() if m.family in families]
        when = {"period": (D(2023, 1, 1), D(2024, 12, 31))}
    else:
        names = [n for n, m in MEASURES.items() if m.family == "events"]
        when = {"period": (D(2023, 1, 1), D(2024, 12, 31))}
    t = engine.table(names, tree.province, by=by, **when)
    for name in names:
        assert sum(v[name] for _k, _l, v in t.rows) == t.total[name], name
    assert t.total.get("members", 7) == 7


def test_members_by_child_organization(tree, populated):
    t = engine.table(["members", "members.female"], tree.district_a, by="child", on=D(2024, 5, 1))
    rows = {label: v for _k, label, v in t.rows}
    assert rows["Đảng bộ xã A1"] == {"members": 3, "members.female": 2}
    assert rows["Chi bộ cơ sở A2"] == {"members": 1, "members.female": 0}


def test_indicators_are_ratios_of_measures(tree, populated):
    values = engine.indicators(["pct.female", "members_per_cell"], tree.province, on=D(2024, 5, 1))
    assert str(values["pct.female"]) == "42.9"  # 3 of 7
    assert str(values["members_per_cell"]) == "1.8"  # 7 members, 4 cells
    assert engine.indicators(["pct.female"], tree.cell_a2, on=D(2024, 1, 2))["pct.female"] is None  # no member yet


def test_villages_with_a_cell_and_without_a_resident_member(tree):
    province = AdminUnit.objects.create(generation=Generation.LEGACY, level=Level.PROVINCE, kind=UnitKind.PROVINCE, code="99", name="T", full_name="Tỉnh T")
    commune = AdminUnit.objects.create(generation=Generation.LEGACY, level=Level.COMMUNE, kind=UnitKind.COMMUNE, code="99001", name="A1", full_name="Xã A1", parent=province)
    with units_changing.watching([commune.pk]):  # written as rows: the villages' figures follow as a writer's would
        villages = [AdminUnit.objects.create(generation=Generation.LEGACY, level=Level.VILLAGE, kind=UnitKind.VILLAGE, code=f"99001{i}",
                                             name=f"Thôn {i}", full_name=f"Thôn {i}", parent=commune, valid_from=D(2000, 1, 1)) for i in range(3)]
    org_services.change_organization(actor=None, organization=tree.commune_a1, valid_from=D(2024, 1, 1), area=commune)
    cell = org_services.create_organization(actor=None, parent=tree.commune_a1, name="Chi bộ Thôn 0", kind=Kind.SUBORDINATE_CELL,
                                            valid_from=D(2024, 1, 1), villages=[villages[0]])
    member(tree, cell, "Lý Văn Phúc", residence_unit=commune, residence_village=villages[1])
    on = D(2024, 2, 1)
    assert engine.count("villages", tree.district_a, on=on) == 3
    assert engine.count("villages.with_cell", tree.district_a, on=on) == 1
    assert engine.count("villages.without_cell", tree.district_a, on=on) == 2
    assert engine.count("villages.without_resident_member", tree.district_a, on=on) == 2
    assert engine.count("villages", tree.district_b, on=on) == 0
    assert engine.count("villages", None, on=on) == 3


def test_a_scoped_user_cannot_measure_outside_the_scope(tree, populated):
    scope = Scope(make_user("staff", Role.ORG_STAFF, tree.district_a))
    assert engine.count("members", tree.district_a, on=D(2024, 5, 1), scope=scope) == 4
    with pytest.raises(ValidationError, match="ngoài phạm vi"):
        engine.count("members", tree.district_b, on=D(2024, 5, 1), scope=scope)
    assert engine.count("members", None, on=D(2024, 5, 1), scope=scope) == 4


def test_bad_requests_are_refused_in_vietnamese(tree):
    with pytest.raises(KeyError, match="Không có chỉ tiêu"):
        engine.count("members.tall", tree.province, on=D(2024, 5, 1))
    with pytest.raises(ValidationError, match="khoảng thời gian"):
        engine.count("events.admitted", tree.province, on=D(2024, 5, 1))
    with pytest.raises(ValidationError, match="không tồn tại"):
        engine.count("members", tree.province, on=D(2020, 5, 1))
    with pytest.raises(ValidationError, match="phân tổ"):
        engine.table(["orgs.grassroots"], tree.province, by="gender", on=D(2024, 5, 1))


def test_one_query_per_family_whatever_the_number_of_organizations(tree, populated, django_assert_max_num_queries):
    names = ["members", "members.female", "members.minority", "members.official"]
    with django_assert_max_num_queries(4):  # the root's placement, the scope-free subtree, one grouped count, the child map
        engine.table(names, tree.province, by="child", on=D(2024, 5, 1))


# -- property: the engine agrees with replaying each member's events ----------------------------

EVENTS = st.sampled_from(["transfer", "die", "remove", "exempt", "nothing"])


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(plan=st.lists(st.tuples(st.integers(0, 3), EVENTS, st.integers(0, 3), st.integers(1, 300)), min_size=1, max_size=8),
       probe=st.integers(0, 400))
def test_counts_equal_the_replayed_states(tree, plan, probe):
    cells = [tree.cell_a1a, tree.cell_a1b, tree.cell_a2, tree.cell_b1a]
    members = []
    for i, (cell, action, target, day) in enumerate(plan):
        m = member(tree, cells[cell], f"Người Thứ {i}", on=D(2024, 1, 2))
        members.append(m)
        when = D(2024, 1, 2) + dt.timedelta(days=day)
        try:
            if action == "transfer" and target != cell:
                services.record_event(actor=None, member=m, type=EventType.TRANSFER_OUT, effective_date=when, target_id=cells[target].pk,
                                      transfer_kind=TransferKind.OFFICIAL)
                services.record_event(actor=None, member=m, type=EventType.TRANSFER_RECEIVED, effective_date=when + dt.timedelta(days=10),
                                      organization_id=cells[target].pk)
            elif action == "die":
                services.record_event(actor=None, member=m, type=EventType.DECEASED, effective_date=when)
            elif action == "remove":
                services.record_event(actor=None, member=m, type=EventType.REMOVED, effective_date=when)
            elif action == "exempt":
                services.record_event(actor=None, member=m, type=EventType.EXEMPTED, effective_date=when)
        except ValidationError:
            pass
    on = D(2024, 1, 2) + dt.timedelta(days=probe)
    expected = {"A": 0, "B": 0}
    for m in members:
        events = [e for e in m.events.order_by("effective_date", "sequence") if e.effective_date <= on]
        state = lifecycle.replay(events).state
        if state.status in (Status.OFFICIAL, Status.PROBATIONARY):
            district = "B" if state.organization_id == tree.cell_b1a.pk else "A"
            expected[district] += 1
    assert engine.count("members", tree.district_a, on=on) == expected["A"]
    assert engine.count("members", tree.district_b, on=on) == expected["B"]
    assert engine.count("members", tree.province, on=on) == expected["A"] + expected["B"]
    # each example starts from an empty registry
    ids = [m.pk for m in members]
    with ledger.follow(ids):  # the ledger of counts forgets them too
        MemberPeriod.objects.filter(member_id__in=ids).delete()
    MemberEvent.objects.filter(member_id__in=ids).delete()
    person_ids = list(Member.objects.filter(pk__in=ids).values_list("person_id", flat=True))
    Member.objects.filter(pk__in=ids).delete()
    Person.objects.filter(pk__in=person_ids).delete()


@pytest.mark.parametrize("names,by,period", [
    (["members", "members.female", "members.probationary"], "child", False),
    (["members", "members.minority"], "ethnicity", False),
    (["members"], "age", False),
    (["orgs.grassroots", "orgs.subordinate_cells"], "child", False),
    (["orgs.grassroots"], "sector", False),
    (["events.transferred_in", "events.transferred_out", "events.deceased"], "child", True),
    (["events.deceased"], "gender", True),
])
def test_the_rows_behind_every_figure_are_as_many_as_the_figure(tree, populated, names, by, period):
    when = {"period": (D(2024, 1, 1), D(2024, 12, 31))} if period else {"on": D(2024, 5, 1)}
    for org in (tree.province, tree.district_a):
        t = engine.table(names, org, by=by, **when)
        for name in names:
            assert engine.rows(name, org, **when).count() == t.total[name]
            for key, _label, values in t.rows:
                assert engine.rows(name, org, by=by, key=key, **when).count() == values[name], (name, key)


def test_events_of_an_organization_gone_within_the_period_have_a_row_of_their_own(tree):
    short_lived = org_services.create_organization(actor=None, parent=tree.commune_a1, name="Chi bộ tạm", kind=Kind.SUBORDINATE_CELL,
                                                   valid_from=D(2024, 2, 1))
    m = member(tree, short_lived, "Lâm Văn Tạm", on=D(2024, 2, 5))
    services.record_event(actor=None, member=m, type=EventType.DECEASED, effective_date=D(2024, 3, 1))
    org_services.close_organization(actor=None, organization=short_lived, closed_on=D(2024, 5, 1))
    year = (D(2024, 1, 1), D(2024, 12, 31))
    t = engine.table(["events.deceased"], tree.commune_a1, by="child", period=year)
    assert t.total["events.deceased"] == 1
    assert sum(v["events.deceased"] for _k, _l, v in t.rows) == 1
    key = t.rows[-1][0]
    assert engine.rows("events.deceased", tree.commune_a1, by="child", key=key, period=year).count() == 1


def test_the_rows_behind_a_figure_refuse_a_breakdown_the_measure_has_not(tree):
    with pytest.raises(ValidationError, match="phân tổ"):
        engine.rows("orgs.grassroots", tree.province, by="gender", key="F", on=D(2024, 5, 1))


def test_a_series_over_dates_equals_the_counts_on_each_date(tree, populated, django_assert_max_num_queries):
    org_services.move_organization(actor=None, organization=tree.commune_a1, new_parent=tree.district_b, valid_from=D(2024, 6, 1))
    dates = [D(2023, 12, 31), D(2024, 2, 1), D(2024, 3, 10), D(2024, 5, 1), D(2024, 7, 1)]
    for org in (tree.district_a, tree.district_b, tree.province, None):
        expected = []
        for d in dates:
            try:
                expected.append(engine.count("members", org, on=d))
            except ValidationError:
                expected.append(None)
        with django_assert_max_num_queries(3):
            assert engine.series("members", org, dates) == expected
    assert engine.series("members.female", tree.district_a, dates) == [None, 2, 2, 2, 0]  # the commune moved away on 01/06
    scope = Scope(make_user("staff", Role.ORG_STAFF, tree.district_a))
    assert engine.series("members", tree.district_b, dates, scope=scope) == [None] * 5


def test_several_breakdowns_at_once_equal_each_breakdown_alone(tree, populated, django_assert_max_num_queries):
    names = ["members", "members.female"]
    bys = ["gender", "ethnic_group", "age", "education", "status"]
    with django_assert_max_num_queries(3):
        together = engine.tables(names, tree.province, bys, on=D(2024, 5, 1))
    for by in bys:
        alone = engine.table(names, tree.province, by=by, on=D(2024, 5, 1))
        assert together[by].rows == alone.rows and together[by].total == alone.total, by
