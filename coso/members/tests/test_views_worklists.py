"""Worklists: probation ending, transfers in transit (each side), badges due."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from coso.members import services
from coso.members.models import EventType, TransferKind
from coso.members.selectors import probation_cutoff
from coso.members.tests.test_views import make_members
from coso.people.services import create_person

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def m(tree):
    return make_members(tree)


def veteran(tree, name, admitted, decision=None, cell=None):
    p = create_person(actor=None, full_name=name, gender="M", birth_date=D(1940, 1, 1))
    return services.record_existing_member(actor=None, person=p, organization=cell or tree.cell_a2, on=D(2024, 1, 5), admitted_on=admitted,
                                           decision_date=decision, recognized_on=D(admitted.year + 1, admitted.month, admitted.day))


def tables(response) -> str:
    """The page's tables only (not the flash message naming the member)."""
    body = response.content.decode()
    return "".join(part.split("</table>")[0] for part in body.split("<table")[1:])


def row_of(body: str, name: str) -> str:
    return next((row for row in body.split("<tr") if name in row), "")


def test_the_probation_cutoff_inverts_the_twelve_months():
    assert probation_cutoff(D(2024, 3, 10)) == D(2023, 3, 10)
    assert probation_cutoff(D(2025, 2, 28)) == D(2024, 2, 29)  # admitted 29/02/2024: 12 months end 28/02/2025
    assert probation_cutoff(D(2024, 2, 29)) == D(2023, 2, 28)


def test_it_lists_probation_ending_within_n_days_or_overdue(client, people, m, django_assert_max_num_queries):
    client.force_login(people.staff_a)
    url = reverse("members:probation")
    # session, user, scope root paths, the placement, the count, the rows, the scope's name in
    # the header, and the session's sliding expiry (savepoint, update, release)
    with django_assert_max_num_queries(10):
        body = client.get(url, {"ngay": "01/03/2024"}).content.decode()
    assert "Nguyễn Thị Bình" in body and "10/03/2024" in body and "còn 9 ngày" in body
    assert "Trần Văn An" not in body  # official
    assert "Nguyễn Thị Bình" not in client.get(url, {"ngay": "01/03/2024", "so_ngay": "5"}).content.decode()
    body = client.get(url, {"ngay": "01/05/2024"}).content.decode()
    assert "Nguyễn Thị Bình" in body and "quá hạn xét công nhận" in body  # 30 working days after 10/03/2024 have passed
    with time_machine.travel(D(2024, 3, 12)):
        assert "đã đủ 12 tháng, chờ công nhận" in client.get(url).content.decode()  # as of today by default
    client.force_login(people.staff_b)
    assert "Nguyễn Thị Bình" not in client.get(url, {"ngay": "01/03/2024"}).content.decode()


def test_it_lists_transfers_in_transit_for_each_side(client, people, tree, m):
    services.record_event(actor=people.admin, member=m.an, type=EventType.TRANSFER_OUT, effective_date=D(2024, 2, 1), target_id=tree.cell_b1a.pk,
                          transfer_kind=TransferKind.OFFICIAL, decision_number="GT 21")
    url = reverse("members:transfers")
    client.force_login(people.staff_a)
    page = client.get(url, {"ngay": "01/03/2024"}).content.decode()
    sending, receiving = page.split('data-testid="transfers-sending"')[1].split('data-testid="transfers-receiving"')
    assert "Trần Văn An" in sending and "Chi bộ thôn B1a" in sending and "GT 21" in sending
    assert "Trần Văn An" not in receiving and "quá hạn" not in sending  # the deadline is 14/03/2024
    assert "quá hạn" in client.get(url, {"ngay": "15/03/2024"}).content.decode()
    client.force_login(people.staff_b)
    page = client.get(url, {"ngay": "01/03/2024"}).content.decode()
    sending, receiving = page.split('data-testid="transfers-sending"')[1].split('data-testid="transfers-receiving"')
    assert "Trần Văn An" in receiving and "Trần Văn An" not in sending
    assert reverse("members:receive", args=[m.an.pk]) in receiving
    # the receiving side sees the member it is about to receive, and receives them
    assert client.get(reverse("members:detail", args=[m.an.pk])).status_code == 200
    assert client.post(reverse("members:receive", args=[m.an.pk]), {"effective_date": "05/03/2024"}).status_code == 302
    m.an.refresh_from_db()
    assert m.an.organization_id == tree.cell_b1a.pk
    assert "Trần Văn An" not in tables(client.get(url, {"ngay": "06/03/2024"}))
    assert "Trần Văn An" in tables(client.get(url, {"ngay": "04/03/2024"}))  # as it stood that day
    # huyện A keeps read access to its former member's record, but may no longer change it
    client.force_login(people.staff_a)
    assert client.get(reverse("members:detail", args=[m.an.pk])).status_code == 200
    assert client.get(reverse("members:event", args=[m.an.pk, "xoa-ten"])).status_code == 403


def test_it_lists_badges_due_on_a_date(client, people, tree, m, django_assert_max_num_queries):
    due_30 = veteran(tree, "Hồ Văn Ba Mươi", D(1990, 1, 1))  # 34 years, no badge
    veteran(tree, "Hồ Văn Đã Nhận", D(1990, 6, 1))
    services.record_event(actor=None, member=veteran(tree, "Hồ Văn Đã Nhận Rồi", D(1991, 1, 1)), type=EventType.BADGE_AWARDED,
                          effective_date=D(2024, 1, 10), badge_years=30)
    due_40 = veteran(tree, "Hồ Văn Bốn Mươi", D(1984, 3, 1), decision=D(1984, 2, 20))
    veteran(tree, "Hồ Văn Chưa Đủ", D(1995, 1, 1))
    client.force_login(people.staff_a)
    # session, user, scope root paths, the placement, the rows, their events, the scope's name
    # in the header, and the session's sliding expiry (savepoint, update, release)
    with django_assert_max_num_queries(10):
        body = client.get(reverse("members:badges"), {"ngay": "01/03/2024"}).content.decode()
    assert "Hồ Văn Ba Mươi" in body and "Hồ Văn Đã Nhận" in body and "Hồ Văn Đã Nhận Rồi" not in body
    assert "Hồ Văn Bốn Mươi" in body and "20/02/2024" in body  # 40 years from the decision date
    assert "Hồ Văn Chưa Đủ" not in body
    assert "40 năm" in row_of(body, "Hồ Văn Bốn Mươi") and "30 năm" in row_of(body, "Hồ Văn Ba Mươi")
    # a day before: the highest milestone reached is 30 years
    body = client.get(reverse("members:badges"), {"ngay": "19/02/2024"}).content.decode()
    assert "30 năm" in row_of(body, "Hồ Văn Bốn Mươi") and "39 năm 11 tháng" in row_of(body, "Hồ Văn Bốn Mươi")
    assert reverse("members:detail", args=[due_30.pk]) in body and reverse("members:detail", args=[due_40.pk]) in body
    client.force_login(people.staff_b)
    assert "Hồ Văn Ba Mươi" not in client.get(reverse("members:badges"), {"ngay": "01/03/2024"}).content.decode()


def test_a_global_administrator_chooses_the_organization_of_a_worklist(client, people, tree, m):
    client.force_login(people.admin)
    assert "Chọn một tổ chức để xem." in client.get(reverse("members:probation")).content.decode()
    assert "Nguyễn Thị Bình" in client.get(reverse("members:probation"), {"to_chuc": tree.province.pk, "ngay": "01/03/2024"}).content.decode()


def test_it_refuses_the_wrong_method_and_foreign_organizations(client, people, tree):
    client.force_login(people.staff_a)
    for name in ("members:probation", "members:transfers", "members:badges"):
        assert client.post(reverse(name)).status_code == 405
        assert client.get(reverse(name), {"to_chuc": tree.district_b.pk}).status_code == 404
