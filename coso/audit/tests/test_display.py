"""The audit log reads as Vietnamese: labels for actions, field names, dd/mm/yyyy, choices by label."""

import datetime as dt
import pathlib
import re

import pytest
from django.urls import reverse

import coso
from coso.audit import registry
from coso.members import services as member_services
from coso.members.models import EventType
from coso.organizations import services
from coso.people.services import create_person

pytestmark = pytest.mark.django_db


def test_every_event_type_written_in_the_code_has_a_label():
    root = pathlib.Path(coso.__file__).parent
    literal = re.compile(r'(?:event_type|audit_type)="([a-z_]+\.[a-z_.]+)"')
    written = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        written |= set(literal.findall(path.read_text()))
    written |= {f"members.member.{t.value}" for t in EventType}
    missing = sorted(t for t in written if registry.event_label(t) is None)
    assert not missing


def test_the_log_shows_labels_field_names_and_dates_not_codes_or_dicts(client, people, tree):
    services.rename_organization(actor=people.staff_a, organization=tree.cell_a2, name="Chi bộ Đông Hòa", valid_from=dt.date(2024, 2, 1))
    services.close_organization(actor=people.staff_a, organization=tree.cell_a1b, closed_on=dt.date(2024, 3, 31))
    person = create_person(actor=None, full_name="Trần Văn Đức", gender="M", birth_date=dt.date(1990, 5, 1))
    m = member_services.record_existing_member(actor=people.staff_a, person=person, organization=tree.cell_a1a, on=dt.date(2024, 1, 5),
                                               admitted_on=dt.date(2010, 1, 1), recognized_on=dt.date(2011, 1, 1))
    member_services.record_event(actor=people.staff_a, member=m, type=EventType.EXEMPTED, effective_date=dt.date(2024, 2, 15),
                                 decision_number="12-QĐ/ĐU")
    client.force_login(people.staff_a)
    body = client.get(reverse("audit:list")).content.decode()
    assert "Kết thúc hoạt động tổ chức đảng" in body and "Đổi tên tổ chức đảng" in body
    assert "Miễn công tác và sinh hoạt đảng" in body
    assert "organizations.organization" not in body and "members.member" not in body
    assert "{&#x27;" not in body and "{'" not in body  # no raw dicts
    assert "2024-02-15" not in body and "15/02/2024" in body  # dates as offices write them
    assert "Ngày hiệu lực" in body and "Tên" in body  # the models' field names
    assert "Chi bộ Đông Hòa" in body
    assert "Chính thức" in body or "Đảng viên chính thức" in body  # a status by its label, not "official"
    assert "Chi bộ thôn A1a" in body  # an organization id shown by its name


def test_an_objects_history_reads_the_same_way(client, people, tree):
    services.rename_organization(actor=people.staff_a, organization=tree.cell_a2, name="Chi bộ Đông Hòa", valid_from=dt.date(2024, 2, 1))
    client.force_login(people.staff_a)
    body = client.get(reverse("audit:object", args=["organizations.organization", tree.cell_a2.pk])).content.decode()
    assert "Đổi tên tổ chức đảng" in body and "Chi bộ cơ sở A2" in body and "Chi bộ Đông Hòa" in body
    assert "01/02/2024" in body and "2024-02-01" not in body
