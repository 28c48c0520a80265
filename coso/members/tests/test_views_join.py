"""Receiving a member who arrives with a transfer letter from outside the system (JOINED_BY_TRANSFER),
and the working-day deadlines of the member worklists around Tết."""

import datetime as dt

import pytest
from django.urls import reverse

from coso.audit.models import AuditEvent
from coso.members import services
from coso.members.models import EventType, Member, MemberEvent, Status, TransferKind
from coso.people.models import Person
from coso.people.services import create_person

pytestmark = pytest.mark.django_db
D = dt.date

PERSON = {"full_name": "Phan Văn Đến", "gender": "M", "birth_date": "02/09/1980", "birth_precision": "day", "ethnicity": "01",
          "religion": "00", "qualification": "none", "theory_level": "none"}


@pytest.fixture
def as_staff_a(client, people):
    client.force_login(people.staff_a)
    return client


def join(client, tree, **fields):
    data = {**PERSON, "organization": tree.cell_a2.pk, "on": "15/03/2024", "came_from": "Đảng ủy phường Hải Châu, thành phố Đà Nẵng",
            "letter_number": "125-GGT/ĐU", "letter_date": "05/03/2024", "issuing_body": "Đảng ủy phường Hải Châu",
            "admitted_on": "19/05/2005", "decision_date": "10/05/2005", "recognized_on": "19/05/2006", "card_number": "0456789", **fields}
    return client.post(reverse("members:join_by_transfer"), data)


def test_the_member_list_links_to_it_for_those_who_may_change(client, people, tree):
    client.force_login(people.staff_a)
    assert reverse("members:join_by_transfer") in client.get(reverse("members:list")).content.decode()
    client.force_login(people.leader_a)
    assert reverse("members:join_by_transfer") not in client.get(reverse("members:list")).content.decode()
    assert client.get(reverse("members:join_by_transfer")).status_code == 403
    assert client.post(reverse("members:join_by_transfer"), PERSON).status_code == 403


def test_it_shows_the_form(as_staff_a, tree, django_assert_max_num_queries):
    # session, user, scope root paths, the chosen cell's label (in the scope), the scope's name in
    # the header, and the session's sliding expiry (savepoint, update, release)
    with django_assert_max_num_queries(9):
        response = as_staff_a.get(reverse("members:join_by_transfer"), {"to_chuc": tree.cell_a2.pk})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Tiếp nhận đảng viên chuyển đến" in body and "Chuyển từ (tổ chức đảng nơi đi)" in body
    assert "Số giấy giới thiệu sinh hoạt đảng" in body and "Chi bộ cơ sở A2" in body
    assert as_staff_a.put(reverse("members:join_by_transfer")).status_code == 405


def test_it_records_the_member_with_where_they_came_from(as_staff_a, tree):
    response = join(as_staff_a, tree, note="Chuyển công tác.")
    assert response.status_code == 302
    member = Member.objects.get(person__full_name="Phan Văn Đến")
    assert response["Location"] == reverse("members:detail", args=[member.pk])
    assert member.status == Status.OFFICIAL and member.organization_id == tree.cell_a2.pk and member.card_number == "0456789"
    # party age counts from the admission decision, not from the letter
    assert member.admitted_on == D(2005, 5, 19) and member.admission_decision_date == D(2005, 5, 10)
    event = MemberEvent.objects.get(member=member)
    assert event.type == EventType.JOINED_BY_TRANSFER and event.effective_date == D(2024, 3, 15)
    assert event.destination == "Đảng ủy phường Hải Châu, thành phố Đà Nẵng"
    assert event.decision_number == "125-GGT/ĐU" and event.issuing_body == "Đảng ủy phường Hải Châu"
    assert event.note == "Giấy giới thiệu ngày 05/03/2024. Chuyển công tác."
    audit = AuditEvent.objects.get(event_type="members.member.joined_by_transfer")
    assert audit.organization_id == tree.cell_a2.pk and audit.new["destination"] == event.destination
    body = as_staff_a.get(response["Location"]).content.decode()
    assert "Chuyển đến từ đơn vị ngoài hệ thống" in body
    assert "Đảng ủy phường Hải Châu, thành phố Đà Nẵng → Chi bộ cơ sở A2" in body  # where from, then where to
    assert "Đã ghi nhận đảng viên Phan Văn Đến chuyển đến." in body


def test_a_probationary_member_arrives_still_on_probation(as_staff_a, tree):
    assert join(as_staff_a, tree, admitted_on="01/09/2023", decision_date="", recognized_on="", letter_date="").status_code == 302
    member = Member.objects.get(person__full_name="Phan Văn Đến")
    assert member.status == Status.PROBATIONARY and member.admission_decision_date == D(2023, 9, 1)
    assert MemberEvent.objects.get(member=member).note == ""


@pytest.mark.parametrize(("fields", "message"), [
    ({"letter_date": "16/03/2024"}, "Ngày giấy giới thiệu sau ngày tiếp nhận sinh hoạt đảng."),
    ({"letter_date": "01/01/2005"}, "Ngày giấy giới thiệu trước ngày kết nạp."),
    ({"recognized_on": "01/01/2006"}, "Ngày công nhận chính thức sớm hơn ngày kết nạp cộng 12 tháng dự bị."),
    ({"organization": "", "came_from": "", "letter_number": ""}, "Trường này là bắt buộc."),
])
def test_it_refuses_inconsistent_dates_and_keeps_nothing(as_staff_a, tree, fields, message):
    response = join(as_staff_a, tree, **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Person.objects.filter(full_name="Phan Văn Đến").exists() and not Member.objects.exists()


def test_it_refuses_a_card_number_already_issued(as_staff_a, tree):
    other = create_person(actor=None, full_name="Lê Văn Cũ", gender="M", birth_date=D(1970, 1, 1))
    services.record_existing_member(actor=None, person=other, organization=tree.cell_a1a, on=D(2024, 1, 5), admitted_on=D(2000, 1, 1),
                                    card_number="0456789")
    response = join(as_staff_a, tree)
    assert "Số thẻ 0456789 đã cấp cho đảng viên khác." in response.content.decode()
    assert not Person.objects.filter(full_name="Phan Văn Đến").exists()


def test_it_refuses_a_cell_outside_the_scope_as_an_invalid_choice(as_staff_a, tree):
    response = join(as_staff_a, tree, organization=tree.cell_b1a.pk)
    assert response.status_code == 200 and "Chi bộ thôn B1a" not in response.content.decode()
    assert not Member.objects.exists()


def test_the_transfer_deadline_counts_working_days_without_tet(as_staff_a, tree):
    """30 working days from a letter of Monday 02/02/2026 end on 23/03/2026: the five days of Tết
    Bính Ngọ (16-20/02/2026) do not count."""
    person = create_person(actor=None, full_name="Vũ Văn Đi", gender="M", birth_date=D(1980, 1, 1))
    member = services.record_existing_member(actor=None, person=person, organization=tree.cell_a1a, on=D(2024, 1, 5),
                                             admitted_on=D(2000, 1, 1), recognized_on=D(2001, 1, 1))
    services.record_event(actor=None, member=member, type=EventType.TRANSFER_OUT, effective_date=D(2026, 2, 2), target_id=tree.cell_a2.pk,
                          transfer_kind=TransferKind.OFFICIAL, decision_number="GT 9")
    body = as_staff_a.get(reverse("members:transfers"), {"ngay": "10/03/2026"}).content.decode()
    assert "Vũ Văn Đi" in body and "23/03/2026" in body
