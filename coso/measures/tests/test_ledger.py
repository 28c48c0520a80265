"""The ledger of member counts answers exactly what the periods answer (issue #12 point 4).

Random sequences of lifecycle events, person edits, organization moves and dates on a small
tree, each example in its own savepoint rolled back: for every member measure, every breakdown
and every summarized root, the engine's table with the ledger equals the table from the periods.
`coso measures check` finds a ledger that drifted.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coso.access.models import Role
from coso.conftest import build_tree, make_user
from coso.evaluation.models import Period, Rating
from coso.measures import catalog, engine, ledger, ledgerbuild
from coso.measures.catalog import MEASURES, MEMBERS
from coso.measures.models import VALUE_COLUMNS, LedgerEntry
from coso.members import bulk, lifecycle, services
from coso.members.models import EventType, Member, TransferKind
from coso.organizations import services as org_services
from coso.organizations.models import Kind, Placement
from coso.organizations.scope import Scope
from coso.people.models import Person
from coso.people.services import create_person
from coso.places.models import AdminUnit, Generation, Level, UnitKind
from coso.places.watchers import units_changing

pytestmark = pytest.mark.django_db
D = dt.date
START = D(2024, 1, 1)
MEMBER_MEASURES = [name for name, m in MEASURES.items() if m.family == MEMBERS]
BREAKDOWNS = [None, "child", *[d for d in ledger.DIMS if d]]

GENDERS = st.sampled_from(["M", "F"])
ETHNICITIES = st.sampled_from(["", "01", "30", "12"])
RELIGIONS = st.sampled_from(["", "00", "01", "03"])
EDUCATIONS = st.sampled_from(["", "12/12", "9/12", "10/10"])
QUALIFICATIONS = st.sampled_from(["", "none", "cao_dang", "trung_cap"])
THEORIES = st.sampled_from(["", "none", "so_cap", "cao_cap"])
BIRTHS = st.one_of(st.none(), st.just(D(1996, 2, 29)), st.just(D(2006, 3, 1)), st.just(D(1954, 7, 1)),
                   st.dates(D(1940, 1, 1), D(2007, 6, 30)))
PERSON = st.fixed_dictionaries({"gender": GENDERS, "ethnicity": ETHNICITIES, "religion": RELIGIONS, "education": EDUCATIONS,
                                "qualification": QUALIFICATIONS, "theory_level": THEORIES, "birth_date": BIRTHS})
EDIT = st.one_of(*[st.tuples(st.just(k), v) for k, v in (("gender", GENDERS), ("ethnicity", ETHNICITIES), ("religion", RELIGIONS),
                                                           ("education", EDUCATIONS), ("qualification", QUALIFICATIONS),
                                                           ("theory_level", THEORIES), ("birth_date", BIRTHS))])
ADMITTED = st.one_of(st.just(D(1984, 2, 29)), st.dates(D(1975, 1, 1), D(2024, 6, 1)))
EVENTS = st.sampled_from(["transfer", "temporary", "return", "die", "remove", "exempt", "unexempt", "recognize"])
OP = st.one_of(
    st.tuples(st.just("add"), st.integers(0, 4), PERSON, ADMITTED, st.integers(0, 200)),
    st.tuples(st.just("event"), st.integers(0, 20), EVENTS, st.integers(0, 4), st.integers(0, 400)),
    st.tuples(st.just("edit"), st.integers(0, 20), EDIT),
    st.tuples(st.just("move"), st.integers(0, 4), st.integers(1, 120)),
    st.tuples(st.just("bulk"), st.integers(0, 4), st.lists(PERSON, min_size=1, max_size=3), ADMITTED),
)
PROBES = st.lists(st.one_of(st.just(D(2024, 2, 29)), st.dates(D(2023, 12, 1), D(2026, 6, 30))), min_size=1, max_size=3)


def small_tree():
    """The shared test tree (conftest) and a second province, built inside the example."""
    t = build_tree(start=START)
    t.province2 = org_services.create_organization(actor=None, parent=None, name="Đảng bộ tỉnh Hai", kind=Kind.PROVINCE_COMMITTEE,
                                                   valid_from=START)
    t.district_c = org_services.create_organization(actor=None, parent=t.province2, name="Đảng bộ huyện C",
                                                    kind=Kind.DISTRICT_COMMITTEE, valid_from=START)
    t.cells = [t.cell_a1a, t.cell_a1b, t.cell_a2, t.cell_b1a, t.cell_a1a]
    # (organization moved, its possible new parents): a move changes a summarized ancestor
    t.moves = [(t.commune_a1, [t.district_b, t.district_c]), (t.cell_a2, [t.district_b, t.district_c, t.district_a]),
               (t.district_b, [t.province2, t.province]), (t.commune_b1, [t.district_a, t.district_c]),
               (t.cell_b1a, [t.commune_a1, t.commune_b1])]
    return t


def add_member(cell, person: dict, admitted: dt.date, on: dt.date, i: int) -> Member:
    p = create_person(actor=None, full_name=f"Người Thứ {i}", **person)
    recognized = lifecycle.add_months(admitted, 12) if lifecycle.add_months(admitted, 12) <= on else None
    return services.record_existing_member(actor=None, person=p, organization=cell, on=on, admitted_on=admitted, recognized_on=recognized)


def event(t, m: Member, kind: str, target: int, when: dt.date) -> None:
    m = Member.objects.get(pk=m.pk)
    record = services.record_event
    if kind in ("transfer", "temporary"):
        transfer = TransferKind.OFFICIAL if kind == "transfer" else TransferKind.TEMPORARY
        record(actor=None, member=m, type=EventType.TRANSFER_OUT, effective_date=when, target_id=t.cells[target].pk, transfer_kind=transfer)
        record(actor=None, member=m, type=EventType.TRANSFER_RECEIVED, effective_date=when + dt.timedelta(days=target + 1))
    elif kind == "return":
        record(actor=None, member=m, type=EventType.TEMPORARY_RETURNED, effective_date=when)
    elif kind == "recognize":
        services.recognize(actor=None, member=m, decision_number="1-QĐ")
    else:
        record(actor=None, member=m, effective_date=when, type={
            "die": EventType.DECEASED, "remove": EventType.REMOVED, "exempt": EventType.EXEMPTED, "unexempt": EventType.EXEMPTION_ENDED,
        }[kind])


def run(t, ops) -> None:
    members: list[Member] = []
    move_day = START
    for i, op in enumerate(ops):
        try:
            with transaction.atomic():
                if op[0] == "add":
                    _add, cell, person, admitted, day = op
                    on = START + dt.timedelta(days=4 + day)
                    members.append(add_member(t.cells[cell], person, min(admitted, on - dt.timedelta(days=1)), on, i))
                elif op[0] == "event" and members:
                    _e, who, kind, target, day = op
                    event(t, members[who % len(members)], kind, target, START + dt.timedelta(days=10 + day))
                elif op[0] == "edit" and members:
                    _e, who, (field, value) = op
                    person = members[who % len(members)].person
                    services.update_person(actor=None, person=person, **{field: value})
                elif op[0] == "move":
                    _m, which, days = op
                    organization, parents = t.moves[which]
                    move_day += dt.timedelta(days=days)
                    current = Placement.objects.current().get(organization=organization).parent_id
                    parent = next(p for p in parents if p.pk != current)
                    org_services.move_organization(actor=None, organization=organization, new_parent=parent, valid_from=move_day)
                elif op[0] == "bulk":
                    _b, cell, persons, admitted = op
                    on = START + dt.timedelta(days=30)
                    rows = [bulk.Row(person={"full_name": f"Người Nhập {i} {j}", **p}, organization_id=t.cells[cell].pk, on=on,
                                     admitted_on=min(admitted, on - dt.timedelta(days=400)),
                                     recognized_on=lifecycle.add_months(min(admitted, on - dt.timedelta(days=400)), 12))
                            for j, p in enumerate(persons)]
                    members.extend(bulk.record_members(rows))
        except (ValidationError, lifecycle.LifecycleError):
            pass  # refused by the rules: nothing changed (the savepoint)


def roots_on(t, on: dt.date) -> list:
    """The whole tree and the organizations at the summarized levels on the date."""
    found = [None]
    for org in (t.province, t.province2, t.district_a, t.district_b, t.district_c):
        placement = Placement.objects.on(on).filter(organization=org).first()
        if placement is not None and placement.depth <= 1:
            found.append(org)
    return found


def assert_ledger_equals_periods(t, on: dt.date) -> None:
    for root in roots_on(t, on):
        tree = engine.subtree(root, on)
        for by in BREAKDOWNS:
            with override_settings(COSO_LEDGER=False):
                rows = engine.table(MEMBER_MEASURES, root, by=by, on=on)
            answered = ledger.answer(tree, [MEASURES[n] for n in MEMBER_MEASURES], by) is not None
            assert answered or (by == "child" and tree.path.count("/") > 2), (root, by, on)
            from_ledger = engine.table(MEMBER_MEASURES, root, by=by, on=on)
            assert (from_ledger.rows, from_ledger.total) == (rows.rows, rows.total), (root, by, on)
        with override_settings(COSO_LEDGER=False):
            rows = engine.tables(MEMBER_MEASURES, root, ["gender", "age", "status"], on=on)
        together = engine.tables(MEMBER_MEASURES, root, ["gender", "age", "status"], on=on)
        assert {k: (v.rows, v.total) for k, v in together.items()} == {k: (v.rows, v.total) for k, v in rows.items()}
        dates = [on, on - dt.timedelta(days=40), D(2024, 2, 29)]
        with override_settings(COSO_LEDGER=False):
            rows = engine.series("members.probationary", root, dates)
        assert engine.series("members.probationary", root, dates) == rows


@pytest.mark.parametrize("sql_from", [ledger.SQL_FROM, 1], ids=["upkeep-in-python", "upkeep-in-sql"])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(OP, min_size=1, max_size=10), probes=PROBES)
def test_the_ledger_answers_what_the_periods_answer(db, monkeypatch, sql_from, ops, probes):
    """Every write kept by the pure function in Python (a few members), then every write kept by
    the grouped statements of the bulk path (sql_from=1)."""
    monkeypatch.setattr(ledger, "SQL_FROM", sql_from)
    with transaction.atomic():
        t = small_tree()
        run(t, ops)
        for on in probes:
            assert_ledger_equals_periods(t, on)
        assert ledger.compare_with_rebuild() == []
        transaction.set_rollback(True)


HORIZONS = st.one_of(st.just(D(2028, 2, 29)), st.just(D(2027, 2, 28)), st.dates(D(2023, 1, 1), D(2045, 12, 31)))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(OP, min_size=1, max_size=10), horizon=HORIZONS)
def test_the_grouped_statement_computes_what_the_pure_function_computes(db, ops, horizon):
    """The bulk writes' and the rebuild's SQL (contributions_sql) against deltas(), row for row:
    pieces at placement boundaries, band changes on 29 February, unknown birth dates, horizons."""
    with transaction.atomic():
        t = small_tree()
        run(t, ops)
        ids = list(Member.objects.values_list("pk", flat=True))
        assert ledger.sql_contributions(ids, horizon) == ledger.contributions(ids, horizon)
        transaction.set_rollback(True)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(OP, min_size=1, max_size=10), horizon=HORIZONS, spans_per_group=st.sampled_from([1, 7, 10**6]))
def test_the_array_build_computes_what_the_pure_function_computes(db, ops, horizon, spans_per_group, monkeypatch):
    """The rebuild's arrays (ledgerbuild) against deltas(), row for row, whatever the groups of
    roots the build takes at a time; and its rows come in the tables' index order."""
    monkeypatch.setattr(ledgerbuild, "SPANS_PER_GROUP", spans_per_group)
    with transaction.atomic():
        t = small_tree()
        run(t, ops)
        ids = list(Member.objects.values_list("pk", flat=True))
        assert ledgerbuild.contributions(ids, horizon) == ledger.contributions(ids, horizon)
        for _kind, rows in ledgerbuild.build(ledgerbuild.read(), horizon, spans_per_group):
            keys = [(root, dim, day, key) for root, dim, key, day, *_v in rows]
            assert keys == sorted(keys) and len(set(keys)) == len(keys)
        transaction.set_rollback(True)


def test_the_sql_band_change_day_is_the_pure_functions(db):
    days = [D(1996, 2, 29), D(2000, 2, 29), D(1999, 2, 28), D(1999, 3, 1), D(2000, 3, 1), D(2023, 12, 31), D(1984, 2, 29),
            D(1900, 2, 28), D(1961, 1, 31), D(2004, 2, 29)]
    given = "CAST(%s AS date)" if connection.vendor == "postgresql" else "%s"
    with connection.cursor() as cursor:
        for day in days:
            for years in sorted({*ledger.AGE_THRESHOLDS, *ledger.TENURE_THRESHOLDS, 1, 4, 100}):
                cursor.execute(f"SELECT {ledger._sql_crossing('x.d', years)} FROM (SELECT {given} AS d) x",
                               [connection.ops.adapt_datefield_value(day)])
                found = cursor.fetchone()[0]
                assert str(found) == ledger.crossing(day, years).isoformat(), (day, years)


def bulk_rows(t, n: int, offset: int) -> list:
    rows = []
    for j in range(n):
        admitted = D(1975, 1, 1) + dt.timedelta(days=(53 * j) % 17000)
        probationary = j % 10 == 0
        if probationary:
            admitted = D(2023, 6, 1) + dt.timedelta(days=j % 200)
        person = {"full_name": f"Người Nhập {offset + j}", "gender": "MF"[j % 2], "ethnicity": ["01", "30", ""][j % 3],
                  "religion": ["00", "01", ""][j % 3], "education": "12/12", "qualification": "", "theory_level": "so_cap",
                  "birth_date": None if j % 11 == 0 else D(1996, 2, 29) if j % 13 == 0 else D(1950, 1, 1) + dt.timedelta(days=(37 * j) % 20000)}
        rows.append(bulk.Row(person=person, organization_id=t.cells[j % 5].pk, on=D(2024, 3, 1), admitted_on=admitted,
                             recognized_on=None if probationary else lifecycle.add_months(admitted, 12)))
    return rows


def test_a_bulk_import_keeps_the_ledger_in_a_fixed_number_of_statements(db):
    """The upkeep of a bulk write is a few grouped statements whatever its size (it was Python
    over each member, then an upsert per 500 rows), and the ledger stays the periods' answer."""
    t = small_tree()

    def ledger_statements(n: int, offset: int) -> list:
        with CaptureQueriesContext(connection) as queries:
            bulk.record_members(bulk_rows(t, n, offset))
        return [q["sql"] for q in queries if "measures_ledger" in q["sql"]]

    ledger_statements(55, 5000)  # the first write of a process may read or heal the ledger's state row first
    small, large = ledger_statements(60, 0), ledger_statements(600, 1000)
    assert len(large) == len(small)
    org_services.move_organization(actor=None, organization=t.district_b, new_parent=t.province2, valid_from=D(2024, 6, 1))
    for on in (D(2024, 2, 29), D(2024, 3, 1), D(2024, 6, 1), D(2026, 7, 15)):
        assert_ledger_equals_periods(t, on)
    assert ledger.compare_with_rebuild() == []


# -- the rest of the report: organizations, villages, candidates, events, ratings by child, summed in
# the database (families.rolled_up, Subtree.child_expression) against the rows rolled up in Python

ON_DATE = [n for n, m in MEASURES.items() if m.family in (catalog.ORGANIZATIONS, catalog.VILLAGES, catalog.CANDIDATES)]
OVER_PERIOD = [n for n, m in MEASURES.items() if m.family in (catalog.EVENTS, catalog.RATINGS)]
ORGANIZATION_MEASURES = [n for n, m in MEASURES.items() if m.family == catalog.ORGANIZATIONS]


def with_villages_and_ratings(t):
    """Areas and villages for two communes (one of them moved by the ops), cells holding some."""
    province = AdminUnit.objects.create(generation=Generation.LEGACY, level=Level.PROVINCE, kind=UnitKind.PROVINCE, code="99", name="T",
                                        full_name="Tỉnh T")
    t.villages = []
    for i, org in enumerate((t.commune_a1, t.commune_b1)):
        unit = AdminUnit.objects.create(generation=Generation.LEGACY, level=Level.COMMUNE, kind=UnitKind.COMMUNE, code=f"9900{i}",
                                        name=f"X{i}", full_name=f"Xã X{i}", parent=province)
        with units_changing.watching([unit.pk]):  # written as rows: the villages' figures follow as a writer's would
            t.villages += [AdminUnit.objects.create(generation=Generation.LEGACY, level=Level.VILLAGE, kind=UnitKind.VILLAGE,
                                                    code=f"9900{i}{j}", name=f"Thôn {i}{j}", full_name=f"Thôn {i}{j}", parent=unit,
                                                    valid_from=D(2000, 1, 1))
                           for j in range(3)]
        org_services.change_organization(actor=None, organization=org, valid_from=START + dt.timedelta(days=1), area=unit)
        org_services.create_organization(actor=None, parent=org, name=f"Chi bộ thôn {i}", kind=Kind.SUBORDINATE_CELL,
                                         valid_from=START + dt.timedelta(days=1), villages=[t.villages[3 * i]])


def rate(t, year: int) -> None:
    """Published yearly ratings of every organization and member in force on 31/12 of the year."""
    end = D(year, 12, 31)
    period = Period.objects.create(organization=t.province, year=year, starts_on=D(year, 1, 1), ends_on=end, reference_date=end,
                                   rule_set="qd124_2023", opened_on=D(year, 11, 1), state=Period.State.PUBLISHED)
    levels = catalog._levels(4) + catalog._levels(3) + catalog._levels(1)
    for i, placement in enumerate(Placement.objects.on(end)):
        Rating.objects.create(period=period, subject_kind="organization", organization_id=placement.organization_id, subject_name="x",
                              level=levels[i % len(levels)], state=Rating.State.PUBLISHED)
    for i, (member_id, org_id) in enumerate(engine.rows("members", None, on=end).values_list("member_id", "organization_id")):
        Rating.objects.create(period=period, subject_kind="member", member_id=member_id, organization_id=org_id, subject_name="x",
                              level=levels[i % len(levels)], state=Rating.State.PUBLISHED)


def assert_roll_ups_equal_rows(t, on: dt.date) -> None:
    roots = [None, *Placement.objects.on(on).order_by("organization_id").values_list("organization_id", flat=True)]
    period = (on - dt.timedelta(days=400), on)
    for scope in (None, t.scope):
        for root in roots if scope is None else [None, t.district_a.pk]:
            try:
                engine.subtree(root, on, scope)
            except ValidationError:
                continue  # outside the scope on that date
            for names, kwargs in ((ON_DATE, {"on": on}), (OVER_PERIOD, {"period": period})):
                with override_settings(COSO_LEDGER=False):
                    rows = engine.table(names, root, by="child", scope=scope, **kwargs)
                rolled = engine.table(names, root, by="child", scope=scope, **kwargs)
                assert (rolled.rows, rolled.total) == (rows.rows, rows.total), (root, on, scope)
            if root is None and scope is None:  # the whole tree's organizations by kind, sector and in all, in the database
                for by in (None, "kind", "sector"):
                    with override_settings(COSO_LEDGER=False):
                        rows = engine.table(ORGANIZATION_MEASURES, None, by=by, on=on)
                    summed = engine.table(ORGANIZATION_MEASURES, None, by=by, on=on)
                    assert (summed.rows, summed.total) == (rows.rows, rows.total), (by, on)
            with override_settings(COSO_LEDGER=False):  # the period's totals (the ledger of events for a summarized root)
                rows = engine.table(OVER_PERIOD, root, scope=scope, period=period)
            assert engine.table(OVER_PERIOD, root, scope=scope, period=period).total == rows.total, (root, on, scope)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(OP, min_size=1, max_size=10), probes=PROBES, residents=st.lists(st.integers(0, 5), max_size=6))
def test_the_rest_of_the_report_rolled_up_in_the_database_answers_what_the_rows_answer(db, ops, probes, residents):
    """Organizations, villages (cells, resident members), candidates, the period's events and
    ratings by child: the same table summed per child in the database as from the rows, after
    random events, moves (a commune and its villages to another province), on random dates, for
    every root and for a scope that cuts the tree."""
    with transaction.atomic():
        t = small_tree()
        with_villages_and_ratings(t)
        t.scope = Scope(make_user("staff", Role.ORG_STAFF, t.district_a))
        run(t, ops)
        for i, person_id in enumerate(Member.objects.order_by("pk").values_list("person_id", flat=True)[:len(residents)]):
            services.update_person(actor=None, person=Person.objects.get(pk=person_id), residence_village=t.villages[residents[i]])
        rate(t, 2024)
        rate(t, 2025)
        for on in probes:
            assert_roll_ups_equal_rows(t, on)
        transaction.set_rollback(True)


@pytest.fixture
def world(db):
    t = small_tree()
    t.m = [add_member(t.cells[i % 4], {"gender": "FM"[i % 2], "birth_date": D(1990, 1, 1 + i), "ethnicity": "30"}, D(2010, 1, 1),
                      D(2024, 1, 5), i) for i in range(6)]
    return t


def test_a_figure_read_right_after_an_event_includes_it(world):
    before = engine.count("members", world.province, on=D(2024, 3, 1))
    services.record_event(actor=None, member=world.m[0], type=EventType.DECEASED, effective_date=D(2024, 2, 10))
    assert engine.count("members", world.province, on=D(2024, 3, 1)) == before - 1
    assert engine.count("members", world.province, on=D(2024, 2, 9)) == before


def test_the_ledger_answers_only_at_the_top_and_when_the_scope_does_not_cut(world):
    measures = [MEASURES["members"]]
    on = D(2024, 3, 1)
    assert ledger.answer(engine.subtree(None, on), measures, None) is not None
    assert ledger.answer(engine.subtree(world.district_a, on), measures, None) is not None
    assert ledger.answer(engine.subtree(world.commune_a1, on), measures, None) is None  # below the summarized levels
    assert ledger.answer(engine.subtree(world.district_a, on), measures, "child") is None  # its children are below
    scope = Scope(make_user("staff", Role.ORG_STAFF, world.district_a))
    assert ledger.answer(engine.subtree(None, on, scope), measures, None) is None  # the whole tree cut to a district
    assert ledger.answer(engine.subtree(world.district_a, on, scope), measures, None) is not None  # not cut
    with override_settings(COSO_LEDGER=False):
        assert ledger.answer(engine.subtree(None, on), measures, None) is None
    # age bands after the horizon: the periods
    after = ledger.state().horizon + dt.timedelta(days=1)
    assert ledger.answer(engine.subtree(None, after), measures, "age") is None
    assert ledger.answer(engine.subtree(None, after), measures, "gender") is not None


def test_rows_behind_a_figure_stay_on_the_periods_and_equal_it(world):
    on = D(2024, 3, 1)
    for name in MEMBER_MEASURES:
        for by, key in ((None, None), ("gender", "F"), ("ethnic_group", "minority"), ("child", world.district_a.pk)):
            figure = engine.table([name], world.province, by=by, on=on)
            assert engine.rows(name, world.province, by=by, key=key, on=on).count() == figure.value(name, key)


def test_measures_check_finds_a_ledger_that_drifted(world, capsys):
    call_command("measures", "check")
    assert "khớp" in capsys.readouterr().out
    row = LedgerEntry.objects.filter(root=world.province.pk, dim="gender").first()
    LedgerEntry.objects.filter(pk=row.pk).update(n=row.n + 1)
    with pytest.raises(SystemExit) as exit_:
        call_command("measures", "check")
    assert exit_.value.code == 1
    out = capsys.readouterr()
    assert "gender" in out.out and str(world.province.pk) in out.out
    call_command("measures", "rebuild")
    call_command("measures", "check")
    # a row lost, a row of zeros left behind by the upserts (not a difference), a row too many
    lost = LedgerEntry.objects.filter(root=world.province.pk, dim="status").first()
    LedgerEntry.objects.filter(pk=lost.pk).delete()
    zeros = {c: 0 for c in VALUE_COLUMNS}
    LedgerEntry.objects.create(root=world.province.pk, dim="religion", key="zz", day=D(2024, 1, 1), **zeros)
    found = ledger.compare_with_rebuild()
    assert [d for d in found if d[0] != "month"] == [("rebuilt", lost.root, "status", lost.key, lost.day,
                                                      *[getattr(lost, c) for c in VALUE_COLUMNS])]
    assert [d[:3] for d in found if d[0] == "month"] == [("month", lost.root, "status")]  # the months no longer sum the days
    LedgerEntry.objects.create(root=world.province.pk, dim="religion", key="zz2", day=D(2024, 1, 1), **{**zeros, "n": 1})
    assert ("live", world.province.pk, "religion", "zz2") in [d[:4] for d in ledger.compare_with_rebuild()]


def test_extending_the_horizon_writes_the_later_band_changes(world):
    on = D(2031, 6, 1)
    assert ledger.answer(engine.subtree(None, on), [MEASURES["members"]], "age") is None
    call_command("measures", "extend", "--to", "31/12/2032")
    with override_settings(COSO_LEDGER=False):
        rows = engine.table(["members"], None, by="age", on=on)
    assert ledger.answer(engine.subtree(None, on), [MEASURES["members"]], "age") is not None
    assert engine.table(["members"], None, by="age", on=on).rows == rows.rows


def test_a_move_to_another_province_moves_its_members_from_the_move_day(world):
    on_move = D(2024, 6, 1)
    before = {p: engine.count("members", p, on=on_move) for p in (world.province, world.province2)}
    moved = engine.count("members", world.district_b, on=on_move)
    assert moved
    org_services.move_organization(actor=None, organization=world.district_b, new_parent=world.province2, valid_from=on_move)
    assert engine.count("members", world.province, on=on_move) == before[world.province] - moved
    assert engine.count("members", world.province2, on=on_move) == before[world.province2] + moved
    assert engine.count("members", world.province, on=on_move - dt.timedelta(days=1)) == before[world.province]
    assert ledger.compare_with_rebuild() == []


@pytest.mark.parametrize("bulk_path", [False, True])
def test_nested_follows_count_each_member_once(world, monkeypatch, bulk_path):
    """A write that enters both watchers (a restructuring: the organizations' placements and the
    members' periods) or a write inside another: each member's difference is added once, by the
    outermost follow() naming it; members only an inner one names are left to it."""
    if bulk_path:
        monkeypatch.setattr(ledger, "SQL_FROM", 1)
    m0, m1, m2 = world.m[0], world.m[1], world.m[2]
    with transaction.atomic():
        with ledger.follow([m0.pk, m1.pk]):
            with ledger.follow([m1.pk, m2.pk]):  # m1 is the outer one's; m2 is this one's
                services.record_event(actor=None, member=m1, type=EventType.DECEASED, effective_date=D(2024, 2, 10))
                services.record_event(actor=None, member=m2, type=EventType.DECEASED, effective_date=D(2024, 2, 11))
            services.record_event(actor=None, member=m0, type=EventType.DECEASED, effective_date=D(2024, 2, 12))
    assert ledger.compare_with_rebuild() == []
    with transaction.atomic(), ledger.follow([m0.pk]):  # a move (its own follow of the district's members) inside
        org_services.move_organization(actor=None, organization=world.district_b, new_parent=world.province2,
                                       valid_from=D(2024, 6, 1))
    assert ledger.compare_with_rebuild() == []


def test_the_writes_follow_unbuilt_ledgers_not(world):
    """An upgraded database with members and no ledger yet: reads use the periods, writes leave it."""
    state = ledger.state()
    state.built = False
    state.save()
    LedgerEntry.objects.all().delete()
    services.record_event(actor=None, member=world.m[1], type=EventType.DECEASED, effective_date=D(2024, 2, 10))
    assert not LedgerEntry.objects.exists()
    assert ledger.answer(engine.subtree(None, D(2024, 3, 1)), [MEASURES["members"]], None) is None
    ledger.rebuild()
    assert ledger.answer(engine.subtree(None, D(2024, 3, 1)), [MEASURES["members"]], None) == {
        None: {"members": engine.count("members", None, on=D(2024, 3, 1))}}


def test_the_pure_function_on_29_february():
    facts = ledger.Facts("F", "01", "00", "", "", "", D(1996, 2, 29), D(2010, 5, 1))
    out = ledger.rows(ledger.deltas(facts, [(1, "official", False, False, None, D(2010, 1, 1), None)], {}, D(2030, 1, 1)))
    # 18 on 1 March 2014 (years_before(28/02/2014, 18) = 28/02/1996 < 29/02/1996)
    assert out[(0, "age", "18-30", D(2014, 3, 1))][0] == 1 and out[(0, "age", "<18", D(2014, 3, 1))][0] == -1


def test_a_database_emptied_by_a_flush_starts_its_ledger_again():
    from coso.measures.models import LedgerState

    LedgerState.objects.all().delete()  # what a flush (a transactional test's teardown) leaves
    assert ledger.state().built  # no periods: the empty ledger is exact
    LedgerState.objects.all().delete()
    cell = build_tree(start=START).cell_a1a
    person = {"gender": "F", "ethnicity": "01", "religion": "00", "education": "", "qualification": "", "theory_level": "",
              "birth_date": D(1990, 1, 1)}
    with override_settings(COSO_LEDGER=False):
        add_member(cell, person, D(2015, 1, 1), D(2024, 1, 5), 1)
    LedgerState.objects.all().delete()
    assert not ledger.state().built  # periods exist: it waits for `coso measures rebuild`


def test_an_event_counts_under_the_child_its_organization_lay_under_on_its_date(world):
    """The one rule for a period (issue #12 point 3): commune B1 moves from district B to district A
    on 01/03/2024; its member's removal of February stays district B's, the April one is district
    A's, for the province by child and for each district, from the ledger and from the rows."""
    t = world
    february, april = add_member(t.cell_b1a, {"gender": "M"}, D(2010, 1, 1), D(2024, 1, 5), 10), \
        add_member(t.cell_b1a, {"gender": "F"}, D(2010, 1, 1), D(2024, 1, 5), 11)
    services.record_event(actor=None, member=february, type=EventType.REMOVED, effective_date=D(2024, 2, 10))
    org_services.move_organization(actor=None, organization=t.commune_b1, new_parent=t.district_a, valid_from=D(2024, 3, 1))
    services.record_event(actor=None, member=april, type=EventType.REMOVED, effective_date=D(2024, 4, 10))
    period = (D(2024, 1, 1), D(2024, 6, 30))
    for ledger_on in (True, False):
        with override_settings(COSO_LEDGER=ledger_on):
            by_child = engine.table(["events.removed"], t.province, by="child", period=period)
            assert {k: v["events.removed"] for k, _label, v in by_child.rows if v["events.removed"]} == {
                t.district_a.pk: 1, t.district_b.pk: 1}, ledger_on
            assert engine.count("events.removed", t.district_b, period=period) == 1
            assert engine.count("events.removed", t.district_a, period=period) == 1
            assert engine.count("events.removed", None, period=period) == 2
    assert ledger.compare_with_rebuild() == []


def test_an_exit_on_the_day_its_cell_moved_counts_where_its_member_was_the_day_before(world):
    """An exit belongs to where its member was the day before it (members/owners.py): commune B1
    moves from district B to district A on 01/03/2024, the day one of its members is transferred
    out; the exit stays district B's (the organization the member left), the receipt of another
    member that day is district A's, in the period that starts on the move day too (where B1 no
    longer lies under B), from the ledger and from the rows alike. The same day read on the
    event's date counted the exit under the district the member never belonged to (and an exit on
    the day its cell was closed under no organization at all)."""
    t = world
    leaving = add_member(t.cell_b1a, {"gender": "M"}, D(2010, 1, 1), D(2024, 1, 5), 10)
    arriving = add_member(t.cell_a1a, {"gender": "F"}, D(2010, 1, 1), D(2024, 1, 5), 11)
    move_day = D(2024, 3, 1)
    org_services.move_organization(actor=None, organization=t.commune_b1, new_parent=t.district_a, valid_from=move_day)
    services.record_event(actor=None, member=leaving, type=EventType.TRANSFER_OUT, effective_date=move_day,
                          target_id=t.cell_a1a.pk, transfer_kind=TransferKind.OFFICIAL)
    services.record_event(actor=None, member=arriving, type=EventType.TRANSFER_OUT, effective_date=D(2024, 2, 20),
                          target_id=t.cell_b1a.pk, transfer_kind=TransferKind.OFFICIAL)
    services.record_event(actor=None, member=arriving, type=EventType.TRANSFER_RECEIVED, effective_date=move_day)
    measures = ["events.transferred_out", "events.transferred_in"]
    for period in ((D(2024, 1, 1), D(2024, 6, 30)), (move_day, D(2024, 6, 30))):
        for ledger_on in (True, False):
            with override_settings(COSO_LEDGER=ledger_on):
                by_child = engine.table(measures, t.province, by="child", period=period)
                got = {k: (v["events.transferred_out"], v["events.transferred_in"]) for k, _label, v in by_child.rows if any(v.values())}
                out_a = 1 if period[0] < move_day else 0  # the February exit from district A
                assert got == {t.district_b.pk: (1, 0), t.district_a.pk: (out_a, 1)}, (period, ledger_on)
                assert engine.count("events.transferred_out", t.district_b, period=period) == 1
                assert engine.count("events.transferred_in", t.district_a, period=period) == 1
                assert engine.count("events.transferred_out", t.commune_b1, period=period) == 1
                exits = engine.rows("events.transferred_out", t.province, by="child", key=t.district_b.pk, period=period)
                assert [e.member_id for e in exits] == [leaving.pk]
    assert ledger.compare_with_rebuild() == []
