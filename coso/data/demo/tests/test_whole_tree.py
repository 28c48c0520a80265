"""Every family of the catalog, on the demo: the whole tree broken down by its top organizations
gives each of them what the organization's own table gives. A family that could not place its rows
under a top organization when the tree was not limited (the political system's posts and bodies:
0 for every province of the country's report) fails here, whatever family comes next."""

import datetime as dt
from collections import defaultdict

import pytest

from coso.measures import engine
from coso.measures.catalog import FAMILIES, MEASURES
from coso.organizations.models import Placement

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
D = dt.date


def _by_family():
    names = defaultdict(list)
    for name, measure in MEASURES.items():
        if "child" in FAMILIES[measure.family].breakdowns:
            names[measure.family].append(name)
    return sorted(names.items())


@pytest.mark.parametrize("on", [D(2024, 3, 31), D(2026, 1, 1)], ids=str)
@pytest.mark.parametrize(("family", "names"), _by_family(), ids=[f for f, _n in _by_family()])
def test_the_whole_tree_by_top_organization_agrees_with_each_organizations_own_figures(demo, family, names, on):
    period = (D(on.year - 1, 1, 1), on) if FAMILIES[family].over_period else None
    when = {"period": period} if period else {"on": on}
    whole = engine.table(names, None, by="child", **when)
    tops = set(Placement.objects.on(on).filter(parent__isnull=True).values_list("organization_id", flat=True))
    assert tops and tops <= {key for key, _label, _values in whole.rows}
    for key, label, values in whole.rows:
        if key not in tops:  # over a period: a top organization ended in it, named as it was
            continue
        assert values == engine.table(names, key, **when).total, (family, label)
