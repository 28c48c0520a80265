"""A commune's page shows the places lineage (issue #17 point 1: predecessors and successors, with
dates, on every unit's page), for the commune and for each of its villages."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from coso.places.models import AdminUnit, Generation, Level, Lineage, UnitKind
from coso.places.services import create_village

pytestmark = pytest.mark.django_db
REFORM = dt.date(2025, 7, 1)


def _unit(generation, level, kind, code, full_name, parent=None, **dates):
    return AdminUnit.objects.create(generation=generation, level=level, kind=kind, code=code, name=full_name.split(" ", 1)[1],
                                    full_name=full_name, parent=parent, **dates)


@pytest.fixture
def merged():
    district = _unit(Generation.LEGACY, Level.DISTRICT, UnitKind.DISTRICT, "901", "Huyện Cũ", valid_to=REFORM)
    old_a = _unit(Generation.LEGACY, Level.COMMUNE, UnitKind.COMMUNE, "90101", "Xã Tam A", district, valid_to=REFORM)
    old_b = _unit(Generation.LEGACY, Level.COMMUNE, UnitKind.COMMUNE, "90102", "Xã Tam B", district, valid_to=REFORM)
    city = _unit(Generation.CURRENT, Level.PROVINCE, UnitKind.CITY, "98", "Thành phố Mới", valid_from=REFORM)
    new = _unit(Generation.CURRENT, Level.COMMUNE, UnitKind.COMMUNE, "90199", "Xã Tam Mới", city, valid_from=REFORM)
    Lineage.objects.create(old=old_a, new=new, effective=REFORM)
    Lineage.objects.create(old=old_b, new=new, effective=REFORM, partial=True)
    village_a = create_village(actor=None, commune=old_a, name="Đông", kind=UnitKind.VILLAGE, valid_from=dt.date(2020, 1, 1))
    assert village_a.valid_to == REFORM  # a legacy commune's village ends with it
    village_new = create_village(actor=None, commune=new, name="Đông Hòa", kind=UnitKind.VILLAGE, valid_from=REFORM)
    Lineage.objects.create(old=village_a, new=village_new, effective=REFORM)
    return old_a, new


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_new_commune_lists_its_predecessors_and_each_village_its_own(client, people, merged):
    old_a, new = merged
    client.force_login(people.admin)
    text = _text(client.get(reverse("places:commune", args=[new.pk]), {"ngay": "01/08/2025"}))
    assert "tiền thân và kế thừa" in text
    assert "Tiền thân Xã Tam A (Huyện Cũ) 01/07/2025" in text
    assert "Tiền thân (một phần) Xã Tam B (Huyện Cũ) 01/07/2025" in text
    assert "Thôn Đông Hòa" in text and "Thôn Đông (Xã Tam A)" in text


def test_the_legacy_commune_names_its_successor_and_each_village_where_it_went(client, people, merged):
    old_a, new = merged
    client.force_login(people.admin)
    response = client.get(reverse("places:commune", args=[old_a.pk]), {"ngay": "30/06/2025"})
    text = _text(response)
    assert "Kế thừa Xã Tam Mới (Thành phố Mới) 01/07/2025" in text
    assert "kế thừa: Thôn Đông Hòa từ 01/07/2025 (Xã Tam Mới)" in text
    assert f'href="{reverse("places:commune", args=[new.pk])}"' in response.content.decode()  # the admin's scope covers it


def test_a_commune_without_lineage_shows_no_lineage_card(client, people, merged):
    lone = _unit(Generation.CURRENT, Level.COMMUNE, UnitKind.COMMUNE, "90198", "Xã Lẻ", AdminUnit.objects.get(code="98"), valid_from=REFORM)
    client.force_login(people.admin)
    response = client.get(reverse("places:commune", args=[lone.pk]))
    assert response.status_code == 200 and 'data-testid="unit-lineage"' not in response.content.decode()
