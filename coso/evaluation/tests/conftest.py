"""Evaluation tests: the shared tree (coso/conftest.py), founded in 2015 so that periods under each
rule set (2016: the old scales, 2022: HD 21, 2024: 124, 2025: 366) find it standing, and members
recorded through the members services."""

import datetime as dt
from types import SimpleNamespace

import pytest

from coso.members import lifecycle
from coso.members import services as member_services
from coso.members.models import EventType
from coso.organizations.scope import Scope
from coso.people.services import create_person

D = dt.date
FOUNDED = D(2015, 1, 1)
RECORDED_ON = D(2015, 1, 5)
ADMITTED_ON = D(2010, 1, 1)


@pytest.fixture(scope="module")
def tree_founded():
    return FOUNDED


@pytest.fixture
def scopes(people):
    return SimpleNamespace(**{name: Scope(user) for name, user in vars(people).items()})


def member(cell, name, on=RECORDED_ON, admitted=ADMITTED_ON):
    p = create_person(actor=None, full_name=name, gender="M", birth_date=D(1980, 5, 1))
    return member_services.record_existing_member(actor=None, person=p, organization=cell, on=on, admitted_on=admitted,
                                                  recognized_on=lifecycle.add_months(admitted, 12))


def members(cell, prefix, count):
    return [member(cell, f"{prefix} Văn {chr(ord('A') + i)}") for i in range(count)]


def discipline(m, on, form="khien_trach"):
    return member_services.record_event(actor=None, member=m, type=EventType.DISCIPLINED, effective_date=on, discipline_form=form,
                                        decision_number="01-QĐ/UBKT", issuing_body="Ủy ban Kiểm tra Huyện ủy A")
