"""Invariants of staffing: a person is counted once per commune and category however many positions
they hold; a refused record writes nothing; the headcount on a date is the records in force then."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coso.audit.models import AuditEvent
from coso.people.services import create_person
from coso.staffing import selectors, services
from coso.staffing.models import Employment
from coso.staffing.reference import BodyKind, Category

pytestmark = pytest.mark.django_db
D = dt.date
CATEGORIES = [Category.COMMUNE_CADRE, Category.COMMUNE_CIVIL_SERVANT, Category.COMMUNE_PART_TIME, Category.CADRE, Category.PUBLIC_EMPLOYEE]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(posts=st.lists(st.tuples(st.integers(0, 2), st.sampled_from(CATEGORIES), st.dates(D(2023, 1, 1), D(2026, 12, 31))), max_size=8),
       on=st.dates(D(2023, 1, 1), D(2026, 12, 31)))
def test_a_person_is_counted_once_and_a_refused_record_writes_nothing(tree, people, communes, posts, on):
    Employment.objects.all().delete()
    persons = [create_person(actor=people.staff_a, full_name=f"Người {i}", gender="M") for i in range(3)]
    accepted = []
    for i, (who, category, start) in enumerate(posts):
        before = (Employment.objects.count(), AuditEvent.objects.count())
        try:
            accepted.append(services.start_employment(actor=people.staff_a, person=persons[who], commune=communes[0], body_kind=BodyKind.COMMITTEE,
                                                      category=category, position=f"Chức vụ {i}", valid_from=start))
        except ValidationError:
            assert (Employment.objects.count(), AuditEvent.objects.count()) == before
    counts = selectors.headcount(Employment.objects.all(), on)
    expected: dict = {}
    for e in accepted:
        if e.valid_from <= on:
            expected.setdefault((communes[0].pk, e.category), set()).add(e.person_id)
    assert counts == {k: len(v) for k, v in expected.items()}
