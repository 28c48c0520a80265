"""The staffing and training families (coso/measures/political.py): figures from the records, the
records behind each figure as many as the figure, the derived theory level, the subtree on a date."""

import datetime as dt

import pytest

from coso.measures import engine
from coso.measures.catalog import family
from coso.organizations.models import Placement
from coso.people.services import create_person
from coso.places.models import AdminUnit, Generation, Level, UnitKind
from coso.staffing import services as staffing
from coso.staffing.reference import BodyKind, Category, Ending, ExitForm
from coso.training import services as training
from coso.training.choices import Body, Program

pytestmark = pytest.mark.django_db
D = dt.date


def unit(code, name, level, kind, parent=None):
    return AdminUnit.objects.create(generation=Generation.LEGACY, level=level, kind=kind, code=code, name=name,
                                    full_name=f"{UnitKind(kind).label} {name}", parent=parent)


@pytest.fixture
def world(tree, people):
    province = unit("97", "Đo", Level.PROVINCE, UnitKind.PROVINCE)
    a = unit("97001", "Xã Một", Level.COMMUNE, UnitKind.COMMUNE, province)
    b = unit("97002", "Xã Hai", Level.COMMUNE, UnitKind.COMMUNE, province)
    Placement.objects.filter(organization=tree.commune_a1).update(area=a)
    Placement.objects.filter(organization=tree.commune_b1).update(area=b)
    actor = people.admin

    def employ(commune, name, category=Category.COMMUNE_CIVIL_SERVANT, on=None, position="Công chức", **person):
        p = create_person(actor=actor, full_name=name, gender="M", **person)
        return staffing.start_employment(actor=actor, person=p, commune=commune, body_kind=BodyKind.COMMITTEE, category=category,
                                         position=position, valid_from=on or D(2024, 1, 1))

    w = {"a": a, "b": b}
    w["a1"] = employ(a, "Một Một", theory_level="trung_cap", qualification="thac_si")
    w["a2"] = employ(a, "Một Hai")
    w["a3"] = employ(a, "Một Ba", category=Category.COMMUNE_PART_TIME, position="Không chuyên trách")
    w["b1"] = employ(b, "Hai Một")
    staffing.set_quota(actor=actor, commune=a, category=Category.COMMUNE_CIVIL_SERVANT, number=5, valid_from=D(2023, 8, 1))
    staffing.set_quota(actor=actor, commune=b, category=Category.COMMUNE_CIVIL_SERVANT, number=4, valid_from=D(2023, 8, 1))
    staffing.end_employment(actor=actor, employment=w["a2"], valid_to=D(2024, 7, 1), ending=Ending.STREAMLINING, basis="29/2023",
                            exit_form=ExitForm.EARLY_RETIREMENT)
    course = training.create_course(actor=actor, organizer=tree.commune_a1, name="Cao cấp", program=Program.ADVANCED,
                                    body=Body.NATIONAL_ACADEMY, starts_on=D(2024, 2, 1), ends_on=D(2024, 9, 30))
    e = training.enrol(actor=actor, course=course, person=w["a1"].person)
    training.complete(actor=actor, enrolment=e, completed_on=D(2024, 9, 30), certificate_number="CC-1")
    training.enrol(actor=actor, course=course, person=w["b1"].person)
    return w


STAFF = ["staffing.cadres", "staffing.part_time", "staffing.cadres.master_or_above", "staffing.cadres.theory_intermediate",
         "staffing.cadres.theory_advanced", "staffing.cadres.theory_none", "quotas.cadres"]


def test_staffing_figures_on_a_date_by_child_and_the_records_behind_them(tree, world):
    t = engine.table(STAFF, tree.province, by="child", on=D(2024, 3, 1))
    assert t.total == {"staffing.cadres": 3, "staffing.part_time": 1, "staffing.cadres.master_or_above": 1,
                       "staffing.cadres.theory_intermediate": 1, "staffing.cadres.theory_advanced": 0, "staffing.cadres.theory_none": 2,
                       "quotas.cadres": 9}
    assert t.value("staffing.cadres", tree.district_a.pk) == 2 and t.value("staffing.cadres", tree.district_b.pk) == 1
    # the level is derived on the date: cao cấp from the completion on 30/09/2024; one streamlined by then
    later = engine.table(STAFF, tree.district_a, on=D(2024, 10, 1)).total
    assert later["staffing.cadres"] == 1 and later["staffing.cadres.theory_advanced"] == 1 and later["staffing.cadres.theory_intermediate"] == 0
    for name in STAFF:
        for key in (None, tree.district_a.pk):
            qs = engine.rows(name, tree.province, by="child" if key else None, key=key, on=D(2024, 3, 1))
            if name.startswith("quotas"):
                assert sum(q.number for q in qs) == t.value(name, key)
            else:
                assert len({r.person_id for r in qs}) == t.value(name, key), name
            assert list(family(name).order(qs)) is not None


def test_exits_and_training_over_a_period(tree, world):
    period = (D(2024, 1, 1), D(2024, 12, 31))
    t = engine.table(["staff_exits", "staff_exits.streamlined", "training.enrolments", "training.completions",
                      "training.completions.degree"], tree.province, by="child", period=period)
    assert t.total == {"staff_exits": 1, "staff_exits.streamlined": 1, "training.enrolments": 2, "training.completions": 1,
                       "training.completions.degree": 1}
    # the course is recorded by xã A1: both enrolments count in huyện A, whoever was enrolled
    assert t.value("training.enrolments", tree.district_a.pk) == 2 and t.value("training.enrolments", tree.district_b.pk) == 0
    assert engine.rows("training.enrolments", tree.district_a, period=period).count() == 2
    assert engine.rows("staff_exits.streamlined", tree.district_a, by="child", key=tree.commune_a1.pk, period=period).count() == 1
    assert engine.count("training.enrolments", tree.district_b, period=period) == 0
    assert engine.count("staff_exits", tree.province, period=(D(2024, 7, 1), D(2024, 12, 31))) == 0  # last day 30/06


def test_a_scope_limits_the_figures(tree, people, world):
    from coso.access.scope import scope_of

    assert engine.count("staffing.cadres", None, on=D(2024, 3, 1), scope=scope_of(people.staff_b)) == 1
    assert engine.count("training.enrolments", None, period=(D(2024, 1, 1), D(2024, 12, 31)), scope=scope_of(people.staff_b)) == 0


def test_the_number_of_queries_does_not_grow_with_the_communes(tree, world, django_assert_max_num_queries):
    # subtree path, areas, one grouped query for staffing, one for quotas (and the child map)
    with django_assert_max_num_queries(8):
        engine.table(STAFF, tree.province, by="child", on=D(2024, 3, 1))
