"""Scope-leak registry of the training pages (see coso/access/tests/scope_urls.py).

Huyện B's commune records a course with a name no page of huyện A may show, and enrols one of its
members in it.
"""

import datetime as dt

from coso.members import services as members
from coso.people.services import create_person
from coso.training import services
from coso.training.choices import Body, Program

SIBLING_NAMES = ["Lớp Bí Danh B", "Trần Văn Học Kín"]
D = dt.date


def extend_world(world, people):
    tree = world["tree"]
    person = create_person(actor=people.staff_b, full_name="Trần Văn Học Kín", gender="M", birth_date=D(1980, 5, 1))
    members.record_existing_member(actor=people.staff_b, person=person, organization=tree.cell_b1a, on=D(2024, 1, 10),
                                   admitted_on=D(2010, 1, 1), recognized_on=D(2011, 1, 1))
    course = services.create_course(actor=people.staff_b, organizer=tree.commune_b1, name="Lớp Bí Danh B", program=Program.ELEMENTARY,
                                    body=Body.DISTRICT_CENTRE, starts_on=D(2024, 3, 1), ends_on=D(2024, 4, 1))
    enrolment = services.enrol(actor=people.staff_b, course=course, person=person)
    world.update({"training_course_b": course, "training_enrolment_b": enrolment, "training_person_b": person})


OBJECT_URLS = {
    "training:course": lambda w: [{"pk": w["training_course_b"].pk}],
    "training:enrol": lambda w: [{"pk": w["training_course_b"].pk}],
    "training:complete": lambda w: [{"pk": w["training_enrolment_b"].pk}],
    "training:withdraw": lambda w: [{"pk": w["training_enrolment_b"].pk}],
    "training:person": lambda w: [{"pk": w["training_person_b"].pk}],
}

LIST_URLS = {
    "training:courses": lambda w: [{}, {"nam": "2024"}, {"chuong_trinh": "so_cap"}, {"nam": "x", "trang": "9"}],
    "training:course_create": lambda w: [{}],
    "training:lacking": lambda w: [{}, {"ngay": "01/03/2024"}, {"ngay": "31/02/2024"}],
    "training:refresher": lambda w: [{}, {"ngay": "01/03/2024"}],
}

EXEMPT: set[str] = set()
