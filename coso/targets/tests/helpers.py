"""Records for the targets' tests, made through the services."""

import datetime as dt

from coso.members import services as members
from coso.people.services import create_person
from coso.resolutions import services as register
from coso.resolutions.symbols import DocumentKind

D = dt.date
JAN_1, JAN_2, JAN_15 = D(2024, 1, 1), D(2024, 1, 2), D(2024, 1, 15)


def admit(cell, name: str, on: dt.date, gender: str = "M"):
    person = create_person(actor=None, full_name=name, gender=gender, birth_date=D(1995, 5, 1))
    candidate = members.add_candidate(actor=None, person=person, organization=cell, listed_on=on - dt.timedelta(days=60),
                                      course_completed_on=on - dt.timedelta(days=30))
    return members.admit_candidate(actor=None, candidate=candidate, admitted_on=on, decision_number="1-QĐ/ĐU")


def existing(cell, name: str, on: dt.date = JAN_2, gender: str = "M"):
    person = create_person(actor=None, full_name=name, gender=gender, birth_date=D(1980, 5, 1))
    return members.record_existing_member(actor=None, person=person, organization=cell, on=on, admitted_on=D(2010, 1, 1),
                                          recognized_on=D(2011, 1, 1))


def resolution(org, *, term_from=JAN_1, term_to=None, on=JAN_15, subject="Nghị quyết Đại hội"):
    term = register.open_term(actor=None, organization=org, name="2024–2026", starts_on=term_from)
    if term_to is not None:
        term.valid_to = term_to
        term.save(update_fields=["valid_to"])
    return register.register_document(actor=None, organization=org, kind=DocumentKind.RESOLUTION, issued_on=on, subject=subject)
