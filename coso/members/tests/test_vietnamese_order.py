"""People in lists in the Vietnamese order: given name first, Đ after D, from a stored indexed key."""

import datetime as dt

import pytest
from django.urls import reverse

from coso.lib.text import person_sort_key
from coso.members import services
from coso.people.models import Person
from coso.people.services import create_person, update_person

pytestmark = pytest.mark.django_db
D = dt.date


def _member(name, cell):
    p = create_person(actor=None, full_name=name, gender="M", birth_date=D(1990, 1, 1))
    return services.record_existing_member(actor=None, person=p, organization=cell, on=D(2024, 1, 5), admitted_on=D(2010, 1, 1),
                                           recognized_on=D(2011, 1, 1))


def test_the_member_list_puts_d_with_stroke_after_d(client, people, tree):
    for name in ("Nguyễn Văn Đức", "Trần Văn Dũng", "Lê Văn Duy", "Phạm Thị Ánh"):
        _member(name, tree.cell_a1a)
    client.force_login(people.staff_a)
    body = client.get(reverse("members:list"), {"ngay": "01/03/2024"}).content.decode()
    found = sorted((body.index(n), n) for n in ("Đức", "Dũng", "Duy", "Ánh"))
    assert [n for _, n in found] == ["Ánh", "Dũng", "Duy", "Đức"]


def test_the_key_is_stored_and_follows_a_new_name(people, tree):
    m = _member("Nguyễn Văn Đức", tree.cell_a1a)
    person = Person.objects.get(pk=m.person_id)
    assert person.name_order == person_sort_key("Nguyễn Văn Đức")
    update_person(actor=None, person=person, full_name="Nguyễn Văn Dũng")
    assert Person.objects.get(pk=person.pk).name_order == person_sort_key("Nguyễn Văn Dũng")
