import datetime as dt

import pytest

from coso.organizations.models import Placement
from coso.places.models import AdminUnit, Generation, Level, UnitKind

D = dt.date


def unit(code, name, level, kind, parent=None, valid_to=None):
    return AdminUnit.objects.create(generation=Generation.LEGACY, level=level, kind=kind, code=code, name=name,
                                    full_name=f"{UnitKind(kind).label} {name}", parent=parent, valid_to=valid_to)


@pytest.fixture
def communes(tree):
    """Huyện A's commune A1 and huyện B's commune B1 as administrative units (their placements' areas)."""
    province = unit("98", "Thử", Level.PROVINCE, UnitKind.PROVINCE)
    a = unit("98001", "An Hòa", Level.COMMUNE, UnitKind.COMMUNE, province)
    b = unit("98002", "Bình Lợi", Level.COMMUNE, UnitKind.COMMUNE, province)
    Placement.objects.filter(organization=tree.commune_a1).update(area=a)
    Placement.objects.filter(organization=tree.commune_b1).update(area=b)
    return a, b
