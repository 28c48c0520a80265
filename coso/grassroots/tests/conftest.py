"""A commune of the test tree with villages and its political system.

The tree's Đảng bộ xã A1 covers xã An Lạc (two villages, Thôn Một and Thôn Hai); Đảng bộ xã B1
(huyện B, the sibling subtree) covers xã Bình Lợi. Bodies are created through the services for
1 March 2024 (the old model).
"""

import datetime as dt
from types import SimpleNamespace

import pytest

from coso.members import services as members
from coso.organizations.models import Placement
from coso.people.services import create_person
from coso.places.models import AdminUnit, Generation, Level, UnitKind
from coso.places.services import create_village

from .. import services

D = dt.date
ON = D(2024, 3, 1)


def unit(code, name, level, kind, parent=None):
    return AdminUnit.objects.create(generation=Generation.LEGACY, level=level, kind=kind, code=code, name=name,
                                    full_name=f"{UnitKind(kind).label} {name}", parent=parent, valid_to=D(2025, 7, 1))


BORN = D(1975, 1, 1)
SINCE = D(2024, 1, 10)


def person(name, gender="M", born=BORN):
    return create_person(actor=None, full_name=name, gender=gender, birth_date=born)


def member(tree, name, organization=None, on=SINCE):
    p = person(name)
    members.record_existing_member(actor=None, person=p, organization=organization or tree.cell_a1a, on=on,
                                   admitted_on=D(2010, 1, 1), recognized_on=D(2011, 1, 1))
    return p


@pytest.fixture
def place(tree):
    w = SimpleNamespace()
    w.province = unit("98", "Thử", Level.PROVINCE, UnitKind.PROVINCE)
    w.district_a = unit("98001", "A", Level.DISTRICT, UnitKind.DISTRICT, w.province)
    w.commune = unit("9800101", "An Lạc", Level.COMMUNE, UnitKind.COMMUNE, w.district_a)
    w.commune_b = unit("9800201", "Bình Lợi", Level.COMMUNE, UnitKind.COMMUNE, w.province)
    Placement.objects.filter(organization=tree.district_a).update(area=w.district_a)
    Placement.objects.filter(organization=tree.commune_a1).update(area=w.commune)
    Placement.objects.filter(organization=tree.commune_b1).update(area=w.commune_b)
    w.village1 = create_village(actor=None, commune=w.commune, name="Một", kind=UnitKind.VILLAGE, valid_from=D(2020, 1, 1))
    w.village2 = create_village(actor=None, commune=w.commune, name="Hai", kind=UnitKind.VILLAGE, valid_from=D(2020, 1, 1))
    bodies = services.create_standard_bodies(actor=None, unit=w.commune, on=ON, organization=tree.commune_a1,
                                             villages=[w.village1, w.village2])
    w.bodies = {(b.kind, b.village_id): b for b in bodies}
    w.body = lambda kind, village=None: w.bodies[(kind, getattr(village, "pk", None))]
    return w
