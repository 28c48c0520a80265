"""Inspection tests: the shared tree and personas (coso/conftest.py), an inspection officer for
each district, and members recorded through the members services."""

import datetime as dt
from types import SimpleNamespace

import pytest

from coso.access.models import Role
from coso.conftest import make_user
from coso.members import lifecycle
from coso.members import services as member_services
from coso.people.services import create_person

D = dt.date
RECORDED_ON = D(2024, 1, 5)


ADMITTED = D(2010, 1, 1)


def member(cell, name, admitted=ADMITTED, official=True):
    p = create_person(actor=None, full_name=name, gender="M", birth_date=D(1980, 5, 1))
    return member_services.record_existing_member(actor=None, person=p, organization=cell, on=RECORDED_ON, admitted_on=admitted,
                                                  recognized_on=lifecycle.add_months(admitted, 12) if official else None)


@pytest.fixture
def officers(tree):
    return SimpleNamespace(a=make_user("kiemtra_a", Role.INSPECTION_STAFF, tree.district_a),
                           b=make_user("kiemtra_b", Role.INSPECTION_STAFF, tree.district_b),
                           commune=make_user("kiemtra_a1", Role.INSPECTION_STAFF, tree.commune_a1))
