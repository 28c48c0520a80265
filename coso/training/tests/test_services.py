import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coso.audit.models import AuditEvent
from coso.training import selectors, services
from coso.training.choices import Body, Program
from coso.training.models import Course, Enrolment

from .conftest import make_member

pytestmark = pytest.mark.django_db
D = dt.date


MARCH, APRIL_END = D(2024, 3, 1), D(2024, 4, 30)


def course(actor, organizer, program=Program.ELEMENTARY, starts=MARCH, ends=APRIL_END, body=Body.DISTRICT_CENTRE, name="Lớp sơ cấp khóa I"):
    return services.create_course(actor=actor, organizer=organizer, name=name, program=program, body=body, starts_on=starts, ends_on=ends)


def snapshot():
    return (Course.objects.count(), list(Enrolment.objects.order_by("pk").values()), AuditEvent.objects.count())


def test_it_opens_a_course_and_audits_it(tree, people):
    c = course(people.staff_a, tree.commune_a1)
    event = AuditEvent.objects.get(event_type="training.course.created")
    assert event.target_id == str(c.pk) and event.organization_id == tree.commune_a1.pk and event.actor == people.staff_a


@pytest.mark.parametrize(("kwargs", "field", "words"), [
    ({"ends": D(2024, 2, 1)}, "ends_on", "trước ngày khai giảng"),
    ({"name": "  "}, "name", "Tên lớp"),
    ({"body": Body.DISTRICT_CENTRE, "starts": D(2025, 8, 1), "ends": D(2025, 9, 1)}, "body", "01/07/2025"),
    ({"body": Body.COMMUNE_CENTRE, "starts": D(2024, 3, 1)}, "body", "01/07/2025"),
    ({"starts": D(2023, 1, 1)}, "organizer", "không hoạt động"),
])
def test_it_refuses_a_course_against_the_rules_naming_the_field(tree, people, kwargs, field, words):
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        course(people.staff_a, tree.commune_a1, **kwargs)
    assert field in error.value.message_dict and words in " ".join(error.value.message_dict[field])
    assert snapshot() == before


def test_it_enrols_a_person_once_per_course(tree, people):
    c = course(people.staff_a, tree.commune_a1)
    person = make_member(people.staff_a, tree.cell_a1a, "Nguyễn Văn Học")
    enrolment = services.enrol(actor=people.staff_a, course=c, person=person)
    assert enrolment.enrolled_on == c.starts_on and enrolment.state == Enrolment.State.ENROLLED
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.enrol(actor=people.staff_a, course=c, person=person)
    assert "đã có tên trong lớp" in error.value.message_dict["person"][0]
    assert snapshot() == before


def test_it_refuses_an_enrolment_after_the_course_ended(tree, people):
    c = course(people.staff_a, tree.commune_a1)
    person = make_member(people.staff_a, tree.cell_a1a, "Nguyễn Văn Học")
    with pytest.raises(ValidationError) as error:
        services.enrol(actor=people.staff_a, course=c, person=person, enrolled_on=D(2024, 5, 2))
    assert "enrolled_on" in error.value.message_dict


def test_a_completion_dates_the_theory_level(tree, people):
    person = make_member(people.staff_a, tree.cell_a1a, "Nguyễn Văn Học", theory_level="so_cap")
    c = course(people.staff_a, tree.commune_a1, program=Program.INTERMEDIATE, body=Body.PROVINCIAL_SCHOOL)
    e = services.enrol(actor=people.staff_a, course=c, person=person)
    services.complete(actor=people.staff_a, enrolment=e, completed_on=D(2024, 4, 20), certificate_number="TC-0001")
    # the typed value is the undated starting level; the completion raises it from its date on
    assert selectors.levels_on([person.pk], D(2024, 4, 19)) == {person.pk: "so_cap"}
    assert selectors.levels_on([person.pk], D(2024, 4, 20)) == {person.pk: "trung_cap"}
    history = selectors.level_history(person)
    assert [(s.on, s.level) for s in history] == [(None, "so_cap"), (D(2024, 4, 20), "trung_cap")]
    assert AuditEvent.objects.filter(event_type="training.enrolment.completed", target_id=str(e.pk)).count() == 1


def test_a_short_course_gives_no_level_and_a_lower_degree_does_not_lower_it(tree, people):
    person = make_member(people.staff_a, tree.cell_a1a, "Nguyễn Văn Học", theory_level="cao_cap")
    for program, number in ((Program.NEW_MEMBERS, "DVM-1"), (Program.ELEMENTARY, "SC-1")):
        c = course(people.staff_a, tree.commune_a1, program=program, name=f"Lớp {number}")
        e = services.enrol(actor=people.staff_a, course=c, person=person)
        services.complete(actor=people.staff_a, enrolment=e, completed_on=D(2024, 4, 1), certificate_number=number)
    assert selectors.levels_on([person.pk], D(2024, 12, 31)) == {person.pk: "cao_cap"}


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"completed_on": D(2024, 2, 28)}, "completed_on"),
    ({"completed_on": D(2024, 5, 1)}, "completed_on"),
    ({"certificate_number": " "}, "certificate_number"),
    ({"certificate_issued_on": D(2024, 4, 1)}, "certificate_issued_on"),
])
def test_it_refuses_a_completion_against_the_rules_naming_the_field(tree, people, kwargs, field):
    c = course(people.staff_a, tree.commune_a1)
    e = services.enrol(actor=people.staff_a, course=c, person=make_member(people.staff_a, tree.cell_a1a, "Nguyễn Văn Học"))
    before = snapshot()
    arguments = {"completed_on": D(2024, 4, 20), "certificate_number": "SC-1"} | kwargs
    with pytest.raises(ValidationError) as error:
        services.complete(actor=people.staff_a, enrolment=e, **arguments)
    assert field in error.value.message_dict
    assert snapshot() == before


def test_a_certificate_number_is_used_once_per_course_and_a_completion_once(tree, people):
    c = course(people.staff_a, tree.commune_a1)
    first = services.enrol(actor=people.staff_a, course=c, person=make_member(people.staff_a, tree.cell_a1a, "Nguyễn Văn Một"))
    second = services.enrol(actor=people.staff_a, course=c, person=make_member(people.staff_a, tree.cell_a1a, "Nguyễn Văn Hai"))
    services.complete(actor=people.staff_a, enrolment=first, completed_on=D(2024, 4, 20), certificate_number="SC-1")
    with pytest.raises(ValidationError) as error:
        services.complete(actor=people.staff_a, enrolment=second, completed_on=D(2024, 4, 20), certificate_number="sc-1")
    assert "Nguyễn Văn Một" in error.value.message_dict["certificate_number"][0]
    with pytest.raises(ValidationError):
        services.complete(actor=people.staff_a, enrolment=first, completed_on=D(2024, 4, 21), certificate_number="SC-9")
    with pytest.raises(ValidationError):
        services.withdraw(actor=people.staff_a, enrolment=first, withdrawn_on=D(2024, 4, 21), reason="ốm")


def test_a_withdrawal_needs_a_reason_and_a_date_within_the_course(tree, people):
    c = course(people.staff_a, tree.commune_a1)
    e = services.enrol(actor=people.staff_a, course=c, person=make_member(people.staff_a, tree.cell_a1a, "Nguyễn Văn Học"))
    with pytest.raises(ValidationError) as error:
        services.withdraw(actor=people.staff_a, enrolment=e, withdrawn_on=D(2024, 3, 5), reason="")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.withdraw(actor=people.staff_a, enrolment=e, withdrawn_on=D(2024, 6, 5), reason="Ốm")
    assert "withdrawn_on" in error.value.message_dict
    services.withdraw(actor=people.staff_a, enrolment=e, withdrawn_on=D(2024, 3, 5), reason="Ốm dài ngày")
    e.refresh_from_db()
    assert e.state == Enrolment.State.WITHDRAWN and selectors.levels_on([e.person_id], D(2025, 1, 1))[e.person_id] == ""


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(day=st.dates(min_value=D(2024, 2, 1), max_value=D(2024, 6, 1)), number=st.text(max_size=8))
def test_a_refused_completion_writes_nothing_and_an_accepted_one_lies_within_the_course(tree, people, day, number):
    c = Course.objects.filter(name="Lớp tính chất").first() or course(people.staff_a, tree.commune_a1, name="Lớp tính chất")
    person = make_member(people.staff_a, tree.cell_a1a, "Nguyễn Văn Tính") if not Enrolment.objects.filter(course=c).exists() else None
    e = Enrolment.objects.filter(course=c).first() or services.enrol(actor=people.staff_a, course=c, person=person)
    Enrolment.objects.filter(pk=e.pk).update(state="enrolled", completed_on=None, certificate_number="", result="")
    before = snapshot()
    try:
        services.complete(actor=people.staff_a, enrolment=e, completed_on=day, certificate_number=number)
    except ValidationError:
        assert snapshot() == before
    else:
        e.refresh_from_db()
        assert c.starts_on <= e.completed_on <= c.ends_on and e.certificate_number.strip()
