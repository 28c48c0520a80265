"""A new family of measures is one class: registered in the catalog, it is counted, broken down,
listed and ordered through the engine without a change to it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count, Q

from coso.measures import catalog, engine
from coso.measures.dimensions import DIMENSIONS
from coso.measures.families import Family, grouped, roll_up
from coso.organizations.models import Kind

pytestmark = pytest.mark.django_db
ON = dt.date(2024, 5, 1)
NAME = "test.organizations"


class Organizations(Family):
    """Test only: the organizations of the subtree on the date, the root included."""

    name = "test_organizations"
    breakdowns = ("child",)

    def base(self, tree, period=None):
        return tree.placements()

    def count(self, tree, measures, by, period=None):
        counts = {f"m{i}": Count("id", filter=m.q or Q()) for i, m in enumerate(measures)}
        per = {}
        for row in grouped(self.base(tree), ["organization_id"] if by == "child" else [], counts):
            per[(row.get("organization_id"), None)] = {m.name: row[f"m{i}"] for i, m in enumerate(measures)}
        return roll_up(tree, per, by)

    def rows(self, tree, measure, by, key, period=None):
        part = self.part(tree, by, key)
        qs = self.base(tree).filter(organization_id=tree.root_id) if part is None else self.base(part)
        return qs.filter(measure.q or Q())

    def order(self, qs):
        return qs.order_by("name_folded", "organization_id")


@pytest.fixture
def registered():
    """The family and two measures of it, registered for the test only."""
    catalog.register_family(Organizations)
    catalog.MEASURES[NAME] = catalog.Measure(NAME, "Tổ chức", Organizations.name)
    catalog.MEASURES[f"{NAME}.cells"] = catalog.Measure(f"{NAME}.cells", "Chi bộ", Organizations.name,
                                                        q=Q(kind__in=[Kind.GRASSROOTS_CELL, Kind.SUBORDINATE_CELL]))
    yield
    del catalog.MEASURES[NAME], catalog.MEASURES[f"{NAME}.cells"], catalog.FAMILIES[Organizations.name]


def test_a_registered_family_is_counted_broken_down_listed_and_ordered(tree, registered, django_assert_max_num_queries):
    names = [NAME, f"{NAME}.cells"]
    # the root's placement, one grouped count, the child map, the children's names
    with django_assert_max_num_queries(4):
        t = engine.table(names, tree.district_a, by="child", on=ON)
    assert t.total == {NAME: 5, f"{NAME}.cells": 3}  # the district, the commune, three cells
    assert {label: v[NAME] for _k, label, v in t.rows} == {"Trực tiếp tại tổ chức": 1, "Chi bộ cơ sở A2": 1, "Đảng bộ xã A1": 3}
    for key, _label, values in t.rows:
        assert engine.rows(NAME, tree.district_a, by="child", key=key, on=ON).count() == values[NAME]
    listed = catalog.family(NAME).order(engine.rows(f"{NAME}.cells", tree.district_a, on=ON))
    assert [p.name for p in listed] == ["Chi bộ cơ sở A2", "Chi bộ thôn A1a", "Chi bộ thôn A1b"]
    assert engine.count(NAME, tree.province, on=ON) == 9
    assert Organizations.name in DIMENSIONS["child"].families and Organizations.name not in DIMENSIONS["gender"].families
    with pytest.raises(ValidationError, match="phân tổ"):
        engine.table([NAME], tree.province, by="gender", on=ON)
    with pytest.raises(ValidationError, match="Chuỗi"):
        engine.series(NAME, tree.province, [ON])
