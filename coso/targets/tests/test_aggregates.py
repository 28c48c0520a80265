"""Aggregate entry: rules as data; a refused entry writes nothing; the rules hold on computed figures."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coso.audit.models import AuditEvent
from coso.targets import aggregates, services
from coso.targets.models import AggregateReport

from .helpers import existing

D = dt.date
pytestmark = pytest.mark.django_db


def accept(tree, values, form="organizations"):
    return services.accept_aggregate(actor=None, organization=tree.district_a, form_code=form, on=D(2022, 8, 8), reporter="Huyện ủy Đắk Mil",
                                     values=values)


def test_31_plus_17_is_not_49_and_the_message_names_the_fields(tree):
    with pytest.raises(ValidationError) as error:
        accept(tree, {"tccs": 49, "grassroots_committees": 17, "grassroots_cells": 31, "subordinate_cells": 120})
    errors = error.value.message_dict
    assert set(errors) == {"tccs", "grassroots_committees", "grassroots_cells"}
    assert errors["tccs"] == ["Tổ chức cơ sở đảng (49) phải bằng tổng Đảng bộ cơ sở, Chi bộ cơ sở: 17 + 31 = 48 ≠ 49."]
    assert AggregateReport.objects.count() == 0
    report = accept(tree, {"tccs": 48, "grassroots_committees": 17, "grassroots_cells": 31, "subordinate_cells": 120})
    assert report.values["tccs"] == 48


def test_a_share_above_100_and_a_count_below_its_sub_count_are_refused(tree):
    with pytest.raises(ValidationError) as error:
        accept(tree, {"members": 10, "official": 8, "probationary": 2, "female": 12, "good_share": 101}, form="members")
    errors = error.value.message_dict
    assert "không thể ít hơn" in errors["female"][0] and "100%" in errors["good_share"][0]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.fixed_dictionaries({name: st.integers(0, 60) for name in aggregates.FORMS["organizations"].field_names()}))
def test_a_refused_entry_writes_nothing(tree, values):
    before = (AggregateReport.objects.count(), AuditEvent.objects.count())
    ok = values["tccs"] == values["grassroots_committees"] + values["grassroots_cells"]
    try:
        accept(tree, values)
    except ValidationError:
        assert not ok and (AggregateReport.objects.count(), AuditEvent.objects.count()) == before
    else:
        assert ok
        AggregateReport.objects.all().delete()


def test_the_same_rules_hold_on_computed_figures(tree):
    existing(tree.cell_a1a, "Nguyễn Thị Hoa", gender="F")
    existing(tree.cell_a2, "Trần Văn Nam")
    for form in aggregates.FORMS.values():
        assert aggregates.check_computed(form, tree.province.pk, D(2024, 6, 1)) == []
    assert aggregates.computed(aggregates.FORMS["organizations"], tree.province.pk, D(2024, 6, 1))["tccs"] == 3
