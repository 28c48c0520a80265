"""Cascade: a superior's target given to lower organizations, inherited or stricter, never looser."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coso.targets import progress, services

from .helpers import admit, resolution

D = dt.date
pytestmark = pytest.mark.django_db


def test_a_lower_organization_may_tighten_but_not_loosen_and_the_superior_sees_who_meets_it(tree):
    doc = resolution(tree.province, term_to=D(2026, 1, 1))
    target = services.create_target(actor=None, document=doc, code="1", text="Mỗi đảng bộ kết nạp ít nhất 1 đảng viên",
                                     numerator="events.admitted", threshold=Decimal(1), cascade=True)
    with pytest.raises(ValidationError) as error:
        services.inherit_target(actor=None, target=target, organization=tree.district_a, on=D(2024, 3, 1), threshold=Decimal("0.5"))
    assert "threshold" in error.value.message_dict and "thấp hơn" in error.value.message_dict["threshold"][0]
    with pytest.raises(ValidationError) as error:
        services.inherit_target(actor=None, target=target, organization=tree.province, on=D(2024, 3, 1))
    assert "organization" in error.value.message_dict
    services.inherit_target(actor=None, target=target, organization=tree.district_b, on=D(2024, 3, 1), threshold=Decimal(2))
    admit(tree.cell_a1a, "Một", D(2024, 3, 1))
    admit(tree.cell_b1a, "Hai", D(2024, 3, 1))
    rows, _period = progress.cascade(target, tree.province.pk, D(2025, 12, 31))
    by_name = {r.name: r for r in rows}
    assert by_name["Đảng bộ huyện A"].status == progress.Status.MET and by_name["Đảng bộ huyện A"].threshold == 1
    assert by_name["Đảng bộ huyện B"].own and by_name["Đảng bộ huyện B"].threshold == 2
    assert by_name["Đảng bộ huyện B"].status == progress.Status.NOT_MET
