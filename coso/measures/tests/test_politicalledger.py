"""The ledger of the political system answers exactly what the rows answer (issue #13, speed of the
whole country; decision 0015).

Random sequences of the writes that change a commune's political-system figures — posts appointed,
ended and replaced, bodies and villages closed, staff hired and leaving, quotas, a holder admitted
or removed from the Party, a person's qualification and theory level, a degree completed, the
commune's party committee moved to another district — each example in its own savepoint rolled
back: on every probed date, for every summarized root and breakdown, the engine's table of every
measure the ledger keeps equals the table from the rows, and the ledger equals its recount.
"""

import datetime as dt
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coso.grassroots import services as grassroots
from coso.grassroots.models import Body, Post
from coso.grassroots.tests.conftest import ON, member, person, place  # noqa: F401 - the fixture
from coso.measures import engine, politicalledger
from coso.measures.models import PoliticalLedgerEntry
from coso.members import lifecycle
from coso.members import services as members
from coso.members.models import EventType, Member, MemberPeriod
from coso.organizations import services as org_services
from coso.organizations.models import Placement
from coso.people.services import update_person
from coso.places.models import AdminUnit
from coso.places.services import close_village
from coso.staffing import services as staffing
from coso.staffing.reference import BodyKind, Category
from coso.training import services as training
from coso.training.choices import Body as School
from coso.training.choices import Program

pytestmark = pytest.mark.django_db
D = dt.date
DAYS = 700

SEATS = [("party_committee", "secretary", None), ("ubnd", "chair", None), ("hdnd", "chair", None), ("ubnd", "vice_chair", None),
         ("village", "village_head", 1), ("village", "village_head", 2), ("cell", "cell_secretary", 1), ("cell", "cell_deputy", 1),
         ("cell", "cell_secretary", 2), ("fatherland_front", "chair", None)]
CATEGORIES = [Category.COMMUNE_CIVIL_SERVANT, Category.COMMUNE_CADRE, Category.COMMUNE_PART_TIME, Category.VILLAGE_PART_TIME]
DAY = st.integers(0, DAYS)
OP = st.one_of(
    st.tuples(st.just("appoint"), st.integers(0, len(SEATS) - 1), st.integers(0, 5), DAY, st.one_of(st.none(), st.integers(1, DAYS))),
    st.tuples(st.just("end"), st.integers(0, 30), DAY),
    st.tuples(st.just("replace"), st.integers(0, 30), st.integers(0, 5), DAY),
    st.tuples(st.just("hire"), st.integers(0, 5), st.integers(0, len(CATEGORIES) - 1), DAY),
    st.tuples(st.just("leave"), st.integers(0, 30), DAY),
    st.tuples(st.just("quota"), st.integers(0, 1), st.integers(0, 12), DAY),
    st.tuples(st.just("remove"), st.integers(0, 5), DAY),
    st.tuples(st.just("edit"), st.integers(0, 5), st.sampled_from(["", "thac_si", "tien_si", "dai_hoc"]),
              st.sampled_from(["", "none", "so_cap", "trung_cap", "cao_cap"])),
    st.tuples(st.just("degree"), st.integers(0, 5), st.sampled_from([Program.ELEMENTARY, Program.INTERMEDIATE]), DAY),
    st.tuples(st.just("move"), DAY),
    st.tuples(st.just("close_village"), st.integers(1, 2), DAY),
    st.tuples(st.just("close_body"), st.integers(0, len(SEATS) - 1), DAY),
)
PROBES = st.lists(st.integers(-30, DAYS + 30), min_size=1, max_size=3)


def day(n: int) -> dt.date:
    return ON + dt.timedelta(days=n)


def cell_body(tree, w, village: int):
    v = w.village1 if village == 1 else w.village2
    found = Body.objects.filter(kind="cell", village=v).first()
    return found or grassroots.create_body(actor=None, kind="cell", unit=w.commune, village=v, valid_from=ON,
                                          organization=tree.cell_a1a if village == 1 else tree.cell_a1b)


def seat_body(tree, w, seat):
    kind, _title, village = SEATS[seat]
    if kind == "cell":
        return cell_body(tree, w, village)
    return w.body(kind, {None: None, 1: w.village1, 2: w.village2}[village])


def run(tree, w, ops) -> None:
    # three party members (one in each cell's village) and three persons who are not members
    people = [member(tree, "Đảng Viên Một"), member(tree, "Đảng Viên Hai", tree.cell_a1b), member(tree, "Đảng Viên Ba"),
              person("Người Một"), person("Người Hai", gender="F"), person("Người Ba")]
    for op in ops:
        try:
            with transaction.atomic():
                kind = op[0]
                if kind == "appoint":
                    _k, seat, who, start, length = op
                    body = seat_body(tree, w, seat)
                    grassroots.appoint(actor=None, body=body, title=SEATS[seat][1], person=people[who], valid_from=day(start),
                                       valid_to=None if length is None else day(start + length))
                elif kind in ("end", "replace"):
                    posts = list(Post.objects.order_by("id"))
                    if not posts:
                        continue
                    post = posts[op[1] % len(posts)]
                    if kind == "end":
                        grassroots.end_post(actor=None, post=post, valid_to=day(op[2]))
                    else:
                        grassroots.replace(actor=None, post=post, on=day(op[3]), person=people[op[2]])
                elif kind == "hire":
                    _k, who, category, start = op
                    staffing.start_employment(actor=None, person=people[who], commune=w.commune, body_kind=BodyKind.COMMITTEE,
                                              category=CATEGORIES[category], position="Chuyên viên", valid_from=day(start))
                elif kind == "leave":
                    from coso.staffing.models import Employment

                    records = list(Employment.objects.order_by("id"))
                    if records:
                        staffing.end_employment(actor=None, employment=records[op[1] % len(records)], valid_to=day(op[2]), ending="resigned")
                elif kind == "quota":
                    _k, category, number, start = op
                    staffing.set_quota(actor=None, commune=w.commune, category=CATEGORIES[category], number=number, valid_from=day(start))
                elif kind == "remove":
                    m = Member.objects.filter(person=people[op[1]]).first()
                    if m is not None:
                        members.record_event(actor=None, member=m, type=EventType.REMOVED, effective_date=day(op[2]))
                elif kind == "edit":
                    _k, who, qualification, theory = op
                    update_person(actor=None, person=people[who], qualification=qualification, theory_level=theory)
                elif kind == "degree":
                    _k, who, program, start = op
                    course = training.create_course(actor=None, organizer=tree.commune_a1, name="Lớp", program=program,
                                                    body=School.DISTRICT_CENTRE, starts_on=day(start), ends_on=day(start + 60))
                    enrolment = training.enrol(actor=None, course=course, person=people[who], enrolled_on=day(start))
                    training.complete(actor=None, enrolment=enrolment, completed_on=day(start + 60), certificate_number=f"C{start}")
                elif kind == "move":
                    current = Placement.objects.current().get(organization=tree.commune_a1).parent_id
                    parent = tree.district_b if current == tree.district_a.pk else tree.district_a
                    org_services.move_organization(actor=None, organization=tree.commune_a1, new_parent=parent, valid_from=day(op[1]))
                elif kind == "close_village":
                    village = w.village1 if op[1] == 1 else w.village2
                    close_village(actor=None, village=village, valid_to=day(op[2]))
                elif kind == "close_body":
                    grassroots.close_body(actor=None, body=seat_body(tree, w, op[1]), valid_to=day(op[2]))
        except (ValidationError, lifecycle.LifecycleError):
            pass  # refused by the rules: nothing changed (the savepoint)


def roots_on(tree, on: dt.date) -> list:
    found = [None]
    for org in (tree.province, tree.district_a, tree.district_b):
        placement = Placement.objects.on(on).filter(organization=org).first()
        if placement is not None and placement.depth <= 1:
            found.append(org)
    return found


FLAGS = ["villages.with_head", "villages.head_member", "villages.cell_secretary_head", "villages.cell_committee"]


def village_flags(on: dt.date) -> dict:
    """The villages' post flags of the whole tree on the date, counted here from the posts
    themselves (an oracle of their own: see assert_ledger_equals_rows)."""
    held = list(Post.objects.on(on).filter(body__village__isnull=False, body__village__in=AdminUnit.objects.on(on))
                .values_list("body__village_id", "body__kind", "title", "person_id"))
    members = set(Member.objects.filter(periods__in=MemberPeriod.objects.on(on)).values_list("person_id", flat=True))
    heads = {(v, p) for v, k, t, p in held if (k, t) == ("village", "village_head")}
    secretaries = {(v, p) for v, k, t, p in held if (k, t) == ("cell", "cell_secretary")}
    return {
        "villages.with_head": len({v for v, _p in heads}),
        "villages.head_member": len({v for v, p in heads if p in members}),
        "villages.cell_secretary_head": len({v for v, _p in heads & secretaries}),
        "villages.cell_committee": len({v for v, k, t, _p in held if (k, t) in (("cell", "cell_deputy"), ("cell", "cell_committee_member"))}),
    }


def assert_ledger_equals_rows(tree, on: dt.date) -> None:
    # the villages' post flags against the posts themselves, from the ledger and from the rows
    expected = village_flags(on)
    assert engine.table(FLAGS, None, on=on).total == expected, on
    with override_settings(COSO_LEDGER=False):
        assert engine.table(FLAGS, None, on=on).total == expected, on
    names = [m.name for m in politicalledger.kept_measures() if m.name not in FLAGS]
    for root in roots_on(tree, on):
        for by in (None, "child"):
            with override_settings(COSO_LEDGER=False):
                rows = engine.table(names, root, by=by, on=on)
            answered = politicalledger.answer(engine.subtree(root, on), politicalledger.kept_measures(), by) is not None
            assert answered or (by == "child" and root is not None and root != tree.province), (root, by, on)
            from_ledger = engine.table(names, root, by=by, on=on)
            assert (from_ledger.rows, from_ledger.total) == (rows.rows, rows.total), (root, by, on)


@settings(max_examples=int(os.environ.get("COSO_PL_EXAMPLES", "20")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(OP, min_size=1, max_size=12), probes=PROBES)
def test_the_ledger_answers_what_the_rows_answer(tree, place, ops, probes):  # noqa: F811 - the fixture
    with transaction.atomic():
        run(tree, place, ops)
        for n in probes:
            assert_ledger_equals_rows(tree, day(n))
        assert politicalledger.differences() == []
        transaction.set_rollback(True)


def test_a_holder_admitted_after_appointment_counts_as_a_member_from_the_admission(tree, place):  # noqa: F811
    head = person("Trưởng Thôn Mới")
    grassroots.appoint(actor=None, body=place.body("village", place.village1), title="village_head", person=head, valid_from=ON)
    admitted = D(2024, 6, 1)
    members.record_existing_member(actor=None, person=head, organization=tree.cell_a1a, on=admitted, admitted_on=admitted)
    for on, expected in ((admitted - dt.timedelta(days=1), 0), (admitted, 1)):
        assert engine.count("posts.village_heads.members", tree.province, on=on) == expected
        assert engine.count("villages.head_member", None, on=on) == expected
    assert PoliticalLedgerEntry.objects.filter(measure="posts.village_heads.members", day=admitted, n=1).exists()


def test_a_person_holding_posts_in_two_communes_counts_once_in_each(tree, place):  # noqa: F811
    """Decision 0015: a unit's count, as each commune reports it; a total is the sum of its units'."""
    both = person("Cán Bộ Hai Nơi")
    other = grassroots.create_standard_bodies(actor=None, unit=place.commune_b, on=ON, organization=tree.commune_b1)
    ubnd_b = next(b for b in other if b.kind == "ubnd")
    grassroots.appoint(actor=None, body=place.body("ubnd"), title="vice_chair", person=both, valid_from=ON)
    grassroots.appoint(actor=None, body=ubnd_b, title="vice_chair", person=both, valid_from=ON)
    for ledger_on in (True, False):
        with override_settings(COSO_LEDGER=ledger_on):
            t = engine.table(["posts.holders"], tree.province, by="child", on=ON)
            assert t.total["posts.holders"] == 2
            assert {key: values["posts.holders"] for key, values, in [(r[0], r[2]) for r in t.rows]} == {
                tree.district_a.pk: 1, tree.district_b.pk: 1}
            assert engine.count("posts.holders", tree.province, on=ON) == 2


def test_measures_check_finds_a_political_ledger_that_drifted(tree, place, capsys):  # noqa: F811
    grassroots.appoint(actor=None, body=place.body("ubnd"), title="chair", person=person("Chủ Tịch"), valid_from=ON)
    call_command("measures", "check")
    PoliticalLedgerEntry.objects.filter(measure="posts.holders", root=0).update(n=5)
    with pytest.raises(SystemExit):
        call_command("measures", "check")
    assert "political" in capsys.readouterr().out
    call_command("measures", "rebuild")
    call_command("measures", "check")


def test_a_measure_it_does_not_keep_is_read_from_the_rows(tree, place):  # noqa: F811
    from coso.measures.grassroots import pair_measure

    measure = pair_measure(("ubnd", "chair"), ("hdnd", "chair"))
    assert not politicalledger.kept(measure)
    assert politicalledger.answer(engine.subtree(None, ON), [measure], None) is None


@pytest.mark.parametrize("same_day", [True, False], ids=["corrected-in-place", "from-a-later-day"])
def test_an_organization_given_another_area_moves_the_units_figures(tree, place, same_day):  # noqa: F811
    """change_organization corrects a same-day placement in place: the area it had is read before."""
    grassroots.appoint(actor=None, body=place.body("ubnd"), title="chair", person=person("Chủ Tịch"), valid_from=ON)
    placement = Placement.objects.current().get(organization=tree.commune_a1)
    on = placement.valid_from if same_day else ON + dt.timedelta(days=10)
    org_services.change_organization(actor=None, organization=tree.commune_a1, valid_from=on, area=place.commune_b)
    assert politicalledger.differences() == []
    later = ON + dt.timedelta(days=20)
    assert engine.count("posts.holders", tree.district_a, on=later) == 1  # An Lạc under huyện A's own area still
    assert engine.count("posts.holders", tree.commune_a1, on=later) == 0  # its committee now holds Bình Lợi
