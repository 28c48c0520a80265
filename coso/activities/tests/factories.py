"""Members for the meeting tests, recorded through the members services on the shared tree
(coso/conftest.py, founded 01/01/2024)."""

import datetime as dt

from coso.members import lifecycle
from coso.members import services as member_services
from coso.people.services import create_person

D = dt.date
RECORDED_ON = D(2024, 1, 2)
ADMITTED_ON = D(2010, 1, 1)


def member(cell, name, on=RECORDED_ON, admitted=ADMITTED_ON, official=True):
    person = create_person(actor=None, full_name=name, gender="M", birth_date=D(1980, 5, 1))
    return member_services.record_existing_member(actor=None, person=person, organization=cell, on=on, admitted_on=admitted,
                                                  recognized_on=lifecycle.add_months(admitted, 12) if official else None)


def members(cell, prefix, count):
    return [member(cell, f"{prefix} Văn {chr(ord('A') + i)}") for i in range(count)]
