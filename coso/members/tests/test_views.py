"""The member list, the member's page, recording a member and the lifecycle forms."""

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from coso.audit.models import AuditEvent
from coso.members import services
from coso.members.models import EventType, Member, MemberEvent, Status, TransferKind
from coso.people.models import Person
from coso.people.services import create_person

pytestmark = pytest.mark.django_db
D = dt.date
ON = "01/03/2024"
BORN, ADMITTED, RECOGNIZED = D(1990, 5, 1), D(2010, 1, 1), D(2011, 1, 1)


def make_members(tree, actor=None) -> SimpleNamespace:
    """Members of huyện A (and one of huyện B), recorded through the services on 05/01/2024.

    Their given names (An, Bình, Chí, Dũng) sort the other way round from their family names.
    """

    def member(name, cell, gender="M", born=BORN, recognized=RECOGNIZED, admitted=ADMITTED, card="", **person):
        p = create_person(actor=actor, full_name=name, gender=gender, birth_date=born, **person)
        return services.record_existing_member(actor=actor, person=p, organization=cell, on=D(2024, 1, 5), admitted_on=admitted,
                                               recognized_on=recognized, card_number=card)

    return SimpleNamespace(
        an=member("Trần Văn An", tree.cell_a1a, card="0123456", ethnicity="02", religion="01", national_id="001090000123"),
        binh=member("Nguyễn Thị Bình", tree.cell_a1b, gender="F", born=D(1960, 2, 3), recognized=None, admitted=D(2023, 3, 10),
                    ethnicity="01", religion="00"),
        chi=member("Lê Văn Chí", tree.cell_a2, born=D(2000, 7, 1), admitted=D(2019, 1, 1), recognized=D(2020, 1, 1), ethnicity="01", religion="00"),
        dung=member("Bùi Văn Dũng", tree.cell_b1a),
    )


@pytest.fixture
def m(tree):
    return make_members(tree)


@pytest.fixture
def as_staff_a(client, people):
    client.force_login(people.staff_a)
    return client


def names_in(body: str, *names) -> list[str]:
    """The given names in the order the page shows them."""
    found = [(body.find(n), n) for n in names if n in body]
    return [n for _, n in sorted(found)]


# ---------------------------------------------------------------- the list


def test_it_lists_the_subtree_in_the_vietnamese_order(as_staff_a, m, django_assert_max_num_queries):
    # session, user, scope root paths, the organization's placement on the date (in scope), its
    # children (filter), the count, the page's rows (with person and cell name), the scope's
    # name in the header, and the session's sliding expiry (savepoint, update, release)
    with django_assert_max_num_queries(12):  # + whether they left the scope (2, decision 0007), - the name (with the paths)
        response = as_staff_a.get(reverse("members:list"), {"ngay": ON})
    body = response.content.decode()
    assert response.status_code == 200
    assert names_in(body, "Trần Văn An", "Nguyễn Thị Bình", "Lê Văn Chí") == ["Trần Văn An", "Nguyễn Thị Bình", "Lê Văn Chí"]
    assert "Bùi Văn Dũng" not in body  # huyện B
    assert "Chi bộ thôn A1a" in body and "3 đảng viên" in body


def test_it_keeps_the_query_count_with_more_rows(as_staff_a, tree, m, django_assert_max_num_queries):
    for i in range(10):
        p = create_person(actor=None, full_name=f"Đỗ Văn Thêm {i}", gender="M", birth_date=D(1980, 1, 1))
        services.record_existing_member(actor=None, person=p, organization=tree.cell_a2, on=D(2024, 1, 5), admitted_on=D(2000, 1, 1))
    with django_assert_max_num_queries(12):  # the same twelve queries as with three rows
        response = as_staff_a.get(reverse("members:list"), {"ngay": ON, "tim": "them"})
    assert response.content.decode().count("Đỗ Văn Thêm") == 10


def test_it_finds_a_name_typed_without_diacritics(as_staff_a, m):
    body = as_staff_a.get(reverse("members:list"), {"ngay": ON, "tim": "nguyen thi binh"}).content.decode()
    assert "Nguyễn Thị Bình" in body and "Trần Văn An" not in body
    body = as_staff_a.get(reverse("members:list"), {"ngay": ON, "tim": "BÌNH"}).content.decode()
    assert "Nguyễn Thị Bình" in body  # part of the name, any case
    body = as_staff_a.get(reverse("members:list"), {"ngay": ON, "tim": "012"}).content.decode()
    assert "Trần Văn An" in body and "Nguyễn Thị Bình" not in body  # card number prefix
    body = as_staff_a.get(reverse("members:list"), {"ngay": ON, "tim": "bui van dung"}).content.decode()
    assert "Bùi Văn Dũng" not in body and "Không tìm thấy đảng viên nào" in body


def test_it_renders_only_the_table_under_htmx(as_staff_a, m):
    response = as_staff_a.get(reverse("members:list"), {"ngay": ON, "tim": "an"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and "Trần Văn An" in body and 'id="filters"' not in body


def test_it_filters_by_status_gender_age_and_child(as_staff_a, tree, m):
    url = reverse("members:list")

    def shown(**params):
        body = as_staff_a.get(url, {"ngay": ON, **params}).content.decode()
        return names_in(body, "Trần Văn An", "Nguyễn Thị Bình", "Lê Văn Chí")

    assert shown(trang_thai="probationary") == ["Nguyễn Thị Bình"]
    assert shown(trang_thai="official") == ["Trần Văn An", "Lê Văn Chí"]
    assert shown(gioi_tinh="F") == ["Nguyễn Thị Bình"]
    assert shown(do_tuoi="18-30") == ["Lê Văn Chí"]  # 23 on 01/03/2024
    assert shown(do_tuoi="61-70") == ["Nguyễn Thị Bình"]  # 64
    assert shown(do_tuoi="31-40") == ["Trần Văn An"]
    assert shown(to_chuc_con=tree.commune_a1.pk) == ["Trần Văn An", "Nguyễn Thị Bình"]
    assert shown(dan_toc="minority") == ["Trần Văn An"]
    assert shown(ton_giao="any") == ["Trần Văn An"]
    assert shown(ton_giao="none") == ["Nguyễn Thị Bình", "Lê Văn Chí"]
    assert shown(to_chuc_con=tree.commune_b1.pk) == ["Trần Văn An", "Nguyễn Thị Bình", "Lê Văn Chí"]  # not a child: ignored


def test_it_shows_the_list_as_it_stood_on_a_date(as_staff_a, tree, m):
    services.record_event(actor=None, member=m.chi, type=EventType.DECEASED, effective_date=D(2024, 2, 1))
    assert "Lê Văn Chí" in as_staff_a.get(reverse("members:list"), {"ngay": "31/01/2024"}).content.decode()
    assert "Lê Văn Chí" not in as_staff_a.get(reverse("members:list"), {"ngay": ON}).content.decode()
    assert "Lê Văn Chí" not in as_staff_a.get(reverse("members:list"), {"ngay": "01/01/2024"}).content.decode()  # not yet recorded


def test_it_hides_sensitive_columns_and_filters_from_a_leader(client, people, m):
    client.force_login(people.leader_a)
    body = client.get(reverse("members:list"), {"ngay": ON}).content.decode()
    assert "Trần Văn An" in body
    assert "Dân tộc" not in body and "Tôn giáo" not in body and "001090000123" not in body and "Tày" not in body
    # a religion filter would reveal the religion: it is ignored too
    body = client.get(reverse("members:list"), {"ngay": ON, "ton_giao": "01"}).content.decode()
    assert "Nguyễn Thị Bình" in body
    client.force_login(people.staff_a)
    body = client.get(reverse("members:list"), {"ngay": ON}).content.decode()
    assert "001090000123" in body and "Tày" in body and "Phật giáo" in body


def test_it_asks_a_global_administrator_to_choose_an_organization(client, people, tree, m):
    client.force_login(people.admin)
    body = client.get(reverse("members:list"), {"ngay": ON}).content.decode()
    assert "Chọn một tổ chức để xem." in body and "Trần Văn An" not in body
    body = client.get(reverse("members:list"), {"ngay": ON, "to_chuc": tree.province.pk}).content.decode()
    assert "Trần Văn An" in body and "Bùi Văn Dũng" in body


def test_it_answers_404_for_an_organization_outside_the_scope(as_staff_a, tree, m):
    assert as_staff_a.get(reverse("members:list"), {"to_chuc": tree.district_b.pk}).status_code == 404
    assert as_staff_a.get(reverse("members:list"), {"to_chuc": "x"}).status_code == 404


def test_it_refuses_the_wrong_method_on_lists(as_staff_a, m):
    assert as_staff_a.post(reverse("members:list")).status_code == 405
    assert as_staff_a.post(reverse("members:detail", args=[m.an.pk])).status_code == 405


def test_it_offers_only_cells_of_the_scope_in_the_picker(as_staff_a, tree):
    body = as_staff_a.get(reverse("members:cell_options"), {"q": "chi bo"}).content.decode()
    assert "Chi bộ thôn A1a" in body and "Chi bộ cơ sở A2" in body
    assert "Đảng bộ xã A1" not in body and "Chi bộ thôn B1a" not in body


# ---------------------------------------------------------------- the member's page


def test_it_shows_the_record_and_the_timeline(as_staff_a, m, django_assert_max_num_queries):
    services.record_event(actor=None, member=m.an, type=EventType.DISCIPLINED, effective_date=D(2024, 2, 1), discipline_form="khien_trach",
                          decision_number="QĐ 5", issuing_body="UBKT Huyện ủy A")
    url = reverse("members:detail", args=[m.an.pk])
    # session, user, scope root paths, the member (visibility subqueries, person, units), the
    # events, the placements of the organizations they name, "current cell in scope", the
    # candidacy, the scope's name in the header, and the session's sliding expiry (savepoint,
    # update, release)
    with django_assert_max_num_queries(13):  # + whether the member left the scope (2, decision 0007), - the name
        response = as_staff_a.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Trần Văn An" in body and "Chi bộ thôn A1a" in body
    assert "Ghi nhận hồ sơ đảng viên đang sinh hoạt" in body and "Kỷ luật: Khiển trách" in body and "UBKT Huyện ủy A" in body
    assert "01/01/2010" in body  # admission
    assert re.search(r'data-testid="party-age">\d+ năm \d+ tháng', body)
    assert "001090000123" in body  # staff see the national ID
    assert reverse("audit:object", args=["members.member", m.an.pk]) in body
    assert reverse("members:event", args=[m.an.pk, "chuyen-di"]) in body


def test_it_hides_sensitive_fields_and_actions_from_a_leader(client, people, m):
    client.force_login(people.leader_a)
    body = client.get(reverse("members:detail", args=[m.an.pk])).content.decode()
    assert "Trần Văn An" in body
    assert "001090000123" not in body and "Tày" not in body and "Phật giáo" not in body
    assert reverse("members:event", args=[m.an.pk, "chuyen-di"]) not in body


def test_it_answers_404_outside_the_scope_and_403_when_read_only(client, people, m):
    client.force_login(people.staff_a)
    assert client.get(reverse("members:detail", args=[m.dung.pk])).status_code == 404
    assert client.post(reverse("members:event", args=[m.dung.pk, "xoa-ten"]), {"effective_date": ON}).status_code == 404
    client.force_login(people.leader_a)
    assert client.get(reverse("members:event", args=[m.an.pk, "xoa-ten"])).status_code == 403
    assert client.post(reverse("members:event", args=[m.an.pk, "xoa-ten"]), {"effective_date": ON}).status_code == 403
    assert client.get(reverse("members:person_edit", args=[m.an.pk])).status_code == 403
    # a cell secretary changes the members of their cell only
    client.force_login(people.secretary_a1a)
    assert client.get(reverse("members:event", args=[m.an.pk, "xoa-ten"])).status_code == 200
    assert client.get(reverse("members:detail", args=[m.binh.pk])).status_code == 404
    assert Member.objects.get(pk=m.an.pk).status == Status.OFFICIAL


def test_it_answers_404_for_an_unknown_action(as_staff_a, m):
    assert as_staff_a.get(reverse("members:event", args=[m.an.pk, "bay-len"])).status_code == 404


# ---------------------------------------------------------------- writing


def test_it_records_an_existing_member_with_the_person(as_staff_a, tree):
    response = as_staff_a.post(reverse("members:create"), {
        "full_name": "  Hoàng   Thị Mai ", "gender": "F", "birth_date": "12/08/1985", "birth_precision": "day", "ethnicity": "01",
        "religion": "00", "qualification": "dai_hoc", "theory_level": "trung_cap", "education": "12/12",
        "organization": tree.cell_a2.pk, "on": "01/02/2024", "admitted_on": "03/02/2010", "recognized_on": "03/02/2011",
        "card_number": "777888",
    })
    assert response.status_code == 302
    member = Member.objects.get(person__full_name="Hoàng Thị Mai")
    assert response["Location"] == reverse("members:detail", args=[member.pk])
    assert member.status == Status.OFFICIAL and member.organization_id == tree.cell_a2.pk and member.card_number == "777888"
    assert AuditEvent.objects.filter(event_type="people.person.created").exists()


IMPOSSIBLE = [
    # (what the security test typed, the field refused, the reason shown)
    ({"birth_date": "01/01/1800"}, "birth_date", "Năm sinh 1800 không hợp lý."),
    ({"birth_date": "01/01/0001"}, "birth_date", "Năm sinh 1 không hợp lý."),
    ({"birth_date": "01/01/2100"}, "birth_date", "Năm sinh 2100 không hợp lý."),
    ({"birth_date": "12/08/2012"}, "admitted_on", "khi chưa đủ 18 tuổi"),  # admitted before birth
    ({"birth_date": "12/08/2000"}, "admitted_on", "khi chưa đủ 18 tuổi"),  # admitted at 10
    ({"on": "01/01/2099", "recognized_on": ""}, "on", "ở tương lai"),  # recorded in 2099
    ({"admitted_on": "03/02/1925", "recognized_on": ""}, "admitted_on", "trước khi Đảng thành lập"),
]


@pytest.mark.parametrize("typed, field, reason", IMPOSSIBLE)
def test_it_refuses_impossible_dates_as_the_importer_does(as_staff_a, tree, typed, field, reason):
    """Security finding: the member form accepted dates the importer refuses. One set of date
    rules (people.dates, members.dates) now serves forms, imports and services."""
    count = Person.objects.count()
    data = {
        "full_name": "Hoàng Thị Mai", "gender": "F", "birth_date": "12/08/1985", "birth_precision": "day", "ethnicity": "01",
        "religion": "00", "qualification": "none", "theory_level": "none", "education": "12/12",
        "organization": tree.cell_a2.pk, "on": "01/02/2024", "admitted_on": "03/02/2010", "recognized_on": "03/02/2011",
    }
    response = as_staff_a.post(reverse("members:create"), {**data, **typed})
    assert response.status_code == 200
    errors = {**response.context["person_form"].errors, **response.context["record_form"].errors}
    assert field in errors and reason in " ".join(errors[field]), errors
    assert Person.objects.count() == count


def test_it_keeps_nothing_when_the_membership_is_refused(as_staff_a, tree):
    count = Person.objects.count()
    response = as_staff_a.post(reverse("members:create"), {
        "full_name": "Hoàng Thị Mai", "gender": "F", "birth_precision": "day", "ethnicity": "01", "religion": "00",
        "qualification": "none", "theory_level": "none",
        "organization": tree.commune_a1.pk, "on": "01/02/2024", "admitted_on": "03/02/2010",
    })
    assert response.status_code == 200
    assert "Đảng viên sinh hoạt ở chi bộ" in response.content.decode()  # the service's message, on the field
    assert Person.objects.count() == count


def test_it_refuses_a_cell_outside_the_scope_as_an_invalid_choice(as_staff_a, tree):
    response = as_staff_a.post(reverse("members:create"), {
        "full_name": "Hoàng Thị Mai", "gender": "F", "birth_precision": "day", "ethnicity": "01", "religion": "00",
        "qualification": "none", "theory_level": "none", "organization": tree.cell_b1a.pk, "on": "01/02/2024", "admitted_on": "03/02/2010",
    })
    assert response.status_code == 200 and not Person.objects.filter(full_name="Hoàng Thị Mai").exists()
    assert "Chi bộ thôn B1a" not in response.content.decode()


def test_it_edits_the_person_without_touching_hidden_fields(client, people, m):
    client.force_login(people.secretary_a1a)  # may change, may not see sensitive fields
    url = reverse("members:person_edit", args=[m.an.pk])
    body = client.get(url).content.decode()
    assert "001090000123" not in body and 'name="national_id"' not in body
    response = client.post(url, {"full_name": "Trần Văn Ân", "gender": "M", "birth_date": "01/05/1990", "birth_precision": "day",
                                 "qualification": "none", "theory_level": "so_cap"})
    assert response.status_code == 302
    person = Person.objects.get(pk=m.an.person_id)
    assert person.full_name == "Trần Văn Ân" and person.national_id == "001090000123" and person.religion == "01"


def test_it_transfers_and_the_receiving_side_records_receipt(client, people, tree, m):
    client.force_login(people.staff_a)
    response = client.post(reverse("members:event", args=[m.chi.pk, "chuyen-di"]), {
        "transfer_kind": TransferKind.OFFICIAL, "target": tree.cell_a1a.pk, "effective_date": ON, "decision_number": "GT 15",
    })
    assert response.status_code == 302
    m.chi.refresh_from_db()
    assert m.chi.in_transit and m.chi.organization_id == tree.cell_a2.pk
    # the secretary of the receiving cell sees the member (not of their cell yet) and receives them
    client.force_login(people.secretary_a1a)
    body = client.get(reverse("members:detail", args=[m.chi.pk])).content.decode()
    assert reverse("members:receive", args=[m.chi.pk]) in body
    assert reverse("members:event", args=[m.chi.pk, "huy-chuyen"]) not in body  # the sender's act
    assert client.post(reverse("members:event", args=[m.chi.pk, "huy-chuyen"]), {"effective_date": ON}).status_code == 403
    response = client.post(reverse("members:receive", args=[m.chi.pk]), {"effective_date": "05/03/2024"})
    assert response.status_code == 302
    m.chi.refresh_from_db()
    assert not m.chi.in_transit and m.chi.organization_id == tree.cell_a1a.pk
    assert MemberEvent.objects.filter(member=m.chi, type=EventType.TRANSFER_RECEIVED, organization_id=tree.cell_a1a.pk).exists()


def test_only_the_receiving_side_records_receipt(client, people, tree, m):
    services.record_event(actor=None, member=m.an, type=EventType.TRANSFER_OUT, effective_date=D(2024, 2, 1), target_id=tree.cell_a2.pk)
    client.force_login(people.secretary_a1a)  # the sending cell
    assert client.get(reverse("members:receive", args=[m.an.pk])).status_code == 403
    assert client.post(reverse("members:receive", args=[m.an.pk]), {"effective_date": ON}).status_code == 403
    client.force_login(people.staff_b)  # outside both
    assert client.get(reverse("members:receive", args=[m.an.pk])).status_code == 404
    client.force_login(people.staff_a)
    assert client.get(reverse("members:receive", args=[m.binh.pk])).status_code == 403  # not in transit


def test_it_shows_the_rules_refusal_in_vietnamese(as_staff_a, tree, m):
    services.record_event(actor=None, member=m.chi, type=EventType.REMOVED, effective_date=D(2024, 2, 1))
    response = as_staff_a.post(reverse("members:event", args=[m.chi.pk, "chuyen-di"]), {"target": tree.cell_a1a.pk, "transfer_kind": "official",
                                                                                       "effective_date": ON})
    assert response.status_code == 200
    assert "Đảng viên không còn sinh hoạt đảng (trạng thái: Đã xóa tên)." in response.content.decode()
    response = as_staff_a.post(reverse("members:event", args=[m.an.pk, "mien"]), {"effective_date": "01/01/2024"})
    assert "trước sự kiện gần nhất" in response.content.decode()
    response = as_staff_a.post(reverse("members:event", args=[m.an.pk, "chuyen-di"]), {"transfer_kind": "official", "effective_date": ON})
    assert "Chọn chi bộ nhận trong hệ thống hoặc ghi rõ nơi chuyển đến." in response.content.decode()


def test_it_records_each_lifecycle_action_through_its_form(as_staff_a, tree, people, m, time_machine):
    def post(member, action, **data):
        response = as_staff_a.post(reverse("members:event", args=[member.pk, action]), data)
        assert response.status_code == 302, response.content.decode()[-3000:]
        member.refresh_from_db()

    post(m.an, "mien", effective_date="01/02/2024", decision_number="NQ 3")
    assert m.an.exempted
    post(m.an, "thoi-mien", effective_date="01/03/2024")
    post(m.an, "ky-luat", effective_date="02/03/2024", discipline_form="khien_trach", decision_number="QĐ 9", issuing_body="UBKT Huyện ủy A")
    post(m.an, "the-dang", effective_date="03/03/2024", card_number="0999111")
    assert m.an.card_number == "0999111"
    post(m.an, "chuyen-di", effective_date="04/03/2024", transfer_kind="temporary", destination="Đảng ủy phường Hải Châu")
    post(m.an, "tro-ve", effective_date="05/03/2024")
    post(m.an, "chuyen-di", effective_date="06/03/2024", transfer_kind="official", target=tree.cell_a2.pk, decision_number="GT 1")
    post(m.an, "huy-chuyen", effective_date="07/03/2024")
    assert not m.an.in_transit
    post(m.an, "xoa-ten", effective_date="08/03/2024", decision_number="QĐ 10")
    assert m.an.status == Status.REMOVED
    time_machine.move_to(dt.datetime(2027, 4, 1, 9, 0))  # readmission comes 36 months after removal: a date not in the future
    as_staff_a.force_login(people.staff_a)  # the session of 2024 has expired by then
    post(m.an, "ket-nap-lai", effective_date="08/03/2027", organization=tree.cell_a1a.pk, decision_number="QĐ 11")
    assert m.an.status == Status.PROBATIONARY
    post(m.chi, "khai-tru", effective_date="01/03/2024")
    assert m.chi.status == Status.EXPELLED
    post(m.binh, "ra-khoi-dang", effective_date="01/03/2024")
    assert m.binh.status == Status.LEFT
    p = create_person(actor=None, full_name="Ngô Văn Lão", gender="M", birth_date=D(1940, 1, 1))
    old = services.record_existing_member(actor=None, person=p, organization=tree.cell_a2, on=D(2024, 1, 5), admitted_on=D(1960, 1, 1),
                                          recognized_on=D(1961, 1, 1))
    post(old, "huy-hieu", effective_date="01/02/2024", badge_years=60)
    post(old, "tu-tran", effective_date="01/03/2024")
    assert old.status == Status.DECEASED


def test_it_recognizes_a_member_at_the_end_of_probation(as_staff_a, m):
    url = reverse("members:recognize", args=[m.binh.pk])
    assert "10/03/2024" in as_staff_a.get(url).content.decode()  # the date is computed: 12 months after admission
    response = as_staff_a.post(url, {"decision_number": "40-QĐ/ĐU", "decision_date": "20/03/2024"})
    assert response.status_code == 302
    m.binh.refresh_from_db()
    assert m.binh.status == Status.OFFICIAL and m.binh.recognized_on == D(2024, 3, 10)
    response = as_staff_a.post(url, {"decision_number": "41-QĐ/ĐU"})
    assert "Chỉ công nhận chính thức đảng viên dự bị." in response.content.decode()


def test_it_shows_a_members_audit_history_within_the_scope(client, people, m):
    client.force_login(people.staff_a)
    assert client.get(reverse("audit:object", args=["members.member", m.an.pk])).status_code == 200
    assert client.get(reverse("audit:object", args=["people.person", m.an.person_id])).status_code == 200
    assert client.get(reverse("audit:object", args=["members.member", m.dung.pk])).status_code == 404
    assert client.get(reverse("audit:object", args=["people.person", m.dung.person_id])).status_code == 404


def test_it_links_the_members_from_the_menu_and_the_organization_page(as_staff_a, tree):
    body = as_staff_a.get(reverse("members:list")).content.decode()
    assert f'class="nav-link active" aria-current="page" href="{reverse("members:list")}"' in body
    body = as_staff_a.get(reverse("organizations:detail", args=[tree.commune_a1.pk]), {"ngay": ON}).content.decode()
    assert f'{reverse("members:list")}?to_chuc={tree.commune_a1.pk}&amp;ngay={ON}' in body


def test_it_shows_where_a_transfer_came_from_in_the_timeline(as_staff_a, tree, m):
    services.record_event(actor=None, member=m.an, type=EventType.TRANSFER_OUT, effective_date=D(2024, 2, 1), target_id=tree.cell_a2.pk,
                          transfer_kind=TransferKind.OFFICIAL, decision_number="GT 3")
    body = as_staff_a.get(reverse("members:detail", args=[m.an.pk])).content.decode()
    assert "Chi bộ thôn A1a → Chi bộ cơ sở A2" in body
    assert "Đang chuyển sinh hoạt đến Chi bộ cơ sở A2" in body


def test_it_reads_an_organization_id_written_with_a_thousands_separator(as_staff_a, tree, m):
    response = as_staff_a.get(reverse("members:list"), {"to_chuc": f"{tree.cell_a1a.pk:,}".replace(",", "."), "ngay": ON})
    assert response.status_code == 200 and "Trần Văn An" in response.content.decode()


def test_the_discipline_form_records_the_breach_date_and_kind_beside_the_decision(as_staff_a, m):
    response = as_staff_a.post(reverse("members:event", args=[m.an.pk, "ky-luat"]),
                               {"effective_date": "02/03/2026", "discipline_form": "khien_trach", "breach_on": "20/11/2025", "breach_category": "duty"})
    assert response.status_code == 302
    event = MemberEvent.objects.get(member=m.an, type=EventType.DISCIPLINED)
    assert (event.effective_date, event.breach_on, event.breach_category) == (D(2026, 3, 2), D(2025, 11, 20), "duty")
    page = as_staff_a.get(reverse("members:detail", args=[m.an.pk])).content.decode()
    assert "vi phạm ngày 20/11/2025; liên quan đến chức trách" in page
    response = as_staff_a.post(reverse("members:event", args=[m.an.pk, "ky-luat"]),
                               {"effective_date": "02/03/2026", "discipline_form": "canh_cao", "breach_on": "03/03/2026"})
    assert "Ngày vi phạm sau ngày quyết định kỷ luật." in response.content.decode()


def test_a_row_shows_other_names_unknown_fields_and_badges_escaped(as_staff_a, tree, m):
    """The rows are written in Python (coso/members/rows.py): what the template wrote, escaped."""
    p = create_person(actor=None, full_name="Đỗ <b>Văn</b> Giáp", other_names="Tư & \"Ba\"", gender="M", birth_date=BORN)
    giap = services.record_existing_member(actor=None, person=p, organization=tree.cell_a1a, on=D(2024, 1, 5),
                                           admitted_on=ADMITTED, recognized_on=RECOGNIZED)
    services.record_event(actor=None, member=giap, type=EventType.TRANSFER_OUT, effective_date=D(2024, 2, 1),
                          target_id=tree.cell_b1a.pk, transfer_kind=TransferKind.OFFICIAL)
    body = as_staff_a.get(reverse("members:list"), {"ngay": ON, "tim": "giap"}).content.decode()
    row = body[body.index("<tbody>"):body.index("</tbody>")]
    assert f'<a href="{reverse("members:detail", args=[giap.pk])}">Đỗ &lt;b&gt;Văn&lt;/b&gt; Giáp</a>' in row
    assert '<span class="text-muted small">(Tư &amp; &quot;Ba&quot;)</span>' in row
    assert row.count(">Chưa rõ</td>") == 2  # ethnicity and religion not recorded
    assert '<td class="num">1</td>' in row
    assert '<span class="badge text-bg-warning">đang chuyển</span>' in row
    assert "<b>" not in row
