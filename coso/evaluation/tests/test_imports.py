"""Proposals imported from Excel: every bad row reported (row, column, reason in Vietnamese), nothing
written unless the whole file is valid; a file exported by the period page reads back."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coso.audit.models import AuditEvent
from coso.evaluation import services
from coso.evaluation.choices import SubjectKind
from coso.evaluation.models import Period, Rating
from coso.evaluation.rules.base import EXCELLENT, GOOD, SATISFACTORY
from coso.lib.tests.responses import whole
from coso.members.models import Member

from .conftest import member, members

pytestmark = pytest.mark.django_db
D = dt.date


def xlsx(rows, title=("DANH SÁCH ĐỀ XUẤT XẾP LOẠI", "")) -> SimpleUploadedFile:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for line in title:
        ws.append([line])
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("de-xuat.xlsx", buffer.getvalue())


@pytest.fixture
def a1a(tree):
    return members(tree.cell_a1a, "Nguyễn", 3)


@pytest.fixture
def period(tree, people, scopes, a1a):
    members(tree.cell_a1b, "Trần", 1)
    return services.open_period(actor=people.staff_a, organization=tree.district_a, year=2024)


def url(period, org=None):
    base = reverse("evaluation:import", args=[period.pk])
    return f"{base}?to_chuc={org.pk}" if org else base


def rating(period, m) -> Rating:
    return Rating.objects.get(period=period, subject_kind=SubjectKind.MEMBER, member=m)


def test_a_valid_file_proposes_every_row_at_once(client, people, tree, period, a1a):
    client.force_login(people.secretary_a1a)
    assert client.get(url(period, tree.cell_a1a)).status_code == 200
    upload = xlsx([("STT", "Họ và tên", "Mức xếp loại"), (1, "Nguyễn Văn A", "Hoàn thành tốt nhiệm vụ"),
                   (2, "nguyễn văn b", "HTTNV"), (3, "Nguyễn  Văn C", "hoan thanh nhiem vu")])
    response = client.post(url(period, tree.cell_a1a), {"file": upload})
    assert response.status_code == 302 and response["Location"] == reverse("evaluation:entry", args=[period.pk, tree.cell_a1a.pk])
    assert [rating(period, m).proposed_level for m in a1a] == [GOOD, GOOD, SATISFACTORY]
    assert {rating(period, m).proposed_by for m in a1a} == {people.secretary_a1a}
    assert AuditEvent.objects.filter(event_type="evaluation.rating.proposed").count() == 3


def test_every_bad_row_is_reported_and_nothing_is_written(client, people, tree, scopes, period, a1a):
    twin = member(tree.cell_a1a, "Nguyễn Văn A")  # a second Nguyễn Văn A in the cell
    services.enroll(actor=people.staff_a, period=period)
    client.force_login(people.secretary_a1a)
    upload = xlsx([
        ("STT", "Họ và tên", "Mức xếp loại", "Ghi chú"),
        (1, "Nguyễn Văn B", "Hoàn thành tốt nhiệm vụ", ""),  # valid
        (2, "Nguyễn Văn A", "HTTNV", ""),  # two members of that name
        (3, "Trần Văn A", "HTTNV", ""),  # in chi bộ A1b, not in this cell
        (4, "Nguyễn Văn C", "Tốt", ""),  # no such level
        (5, "Nguyễn Văn C", "", ""),  # no level, and C twice
        (6, "", "HTNV", "ghi chú"),  # nobody
        (7, "Nguyễn Vân C", "HTNV", ""),  # Vân is not Văn
    ])
    response = client.post(url(period, tree.cell_a1a), {"file": upload})
    assert response.status_code == 200
    problems = [(p.row, p.column, p.message) for p in response.context["report"].problems]
    assert problems == [  # the title takes rows 1-2, the header row 3
        (5, "B (Họ và tên)", "Có 2 đảng viên cùng tên “Nguyễn Văn A”: hãy ghi số thẻ đảng viên."),
        (6, "B (Họ và tên)", "Không có đảng viên “Trần Văn A” trong danh sách đánh giá của Chi bộ thôn A1a."),
        (7, "C (Mức xếp loại)", "Mức xếp loại “Tốt” không có trong 124-QĐ/TW, 25-HD/BTCTW; hãy ghi một trong: Hoàn thành xuất sắc nhiệm vụ, "
                                "Hoàn thành tốt nhiệm vụ, Hoàn thành nhiệm vụ, Không hoàn thành nhiệm vụ."),
        (8, "B (Họ và tên)", "Nguyễn Văn C đã có ở dòng 7."),
        (8, "C (Mức xếp loại)", "Chưa ghi mức xếp loại."),
        (9, "B (Họ và tên)", "Chưa ghi họ và tên hoặc số thẻ đảng viên."),
        (10, "B (Họ và tên)", "Không có đảng viên “Nguyễn Vân C” trong danh sách đánh giá của Chi bộ thôn A1a; có phải “Nguyễn Văn C”? "
                              "Hãy ghi đúng họ tên có dấu hoặc số thẻ đảng viên."),
    ]
    text = response.content.decode()
    assert "7 lỗi. Chưa ghi gì" in text and "Có 2 đảng viên cùng tên" in text
    assert not Rating.objects.filter(period=period, state=Rating.State.PROPOSED).exists()
    assert rating(period, twin).state == Rating.State.PENDING


def test_cards_and_scores_under_366(client, people, tree, scopes):
    a2 = members(tree.cell_a2, "Lê", 2)
    Member.objects.filter(pk=a2[0].pk).update(card_number="93000123")
    Member.objects.filter(pk=a2[1].pk).update(card_number="93000124")
    period = services.open_period(actor=people.staff_a, organization=tree.cell_a2, year=2025)
    client.force_login(people.staff_a)
    upload = xlsx([("Số thẻ đảng viên", "Họ và tên", "Xếp loại", "Điểm"), (93000123, "", "HTXSNV", 92.5), ("93000124", "Lê Văn A", "HTTNV", "80")])
    response = client.post(url(period), {"file": upload})
    problems = [(p.row, p.column, p.message) for p in response.context["report"].problems]
    assert problems == [(5, "B (Họ và tên)", "Số thẻ 93000124 là của đảng viên Lê Văn B, không phải “Lê Văn A”.")]
    upload = xlsx([("Số thẻ đảng viên", "Xếp loại", "Điểm"), (93000123, "HTXSNV", "92,5"), ("93000124", "HTTNV", 101)])
    response = client.post(url(period), {"file": upload})
    assert [(p.row, p.column) for p in response.context["report"].problems] == [(5, "C (Điểm)")]
    upload = xlsx([("Số thẻ đảng viên", "Xếp loại", "Điểm"), (93000123, "HTXSNV", "92,5"), ("93000124", "HTTNV", None)])
    response = client.post(url(period), {"file": upload})
    assert response.status_code == 302
    first, second = rating(period, a2[0]), rating(period, a2[1])
    assert (first.proposed_level, first.proposed_score, second.proposed_level, second.proposed_score) == (EXCELLENT, 92.5, GOOD, None)


def test_the_exported_file_reads_back(client, people, tree, scopes, period, a1a):
    services.propose(actor=people.staff_a, period=period, cell=tree.cell_a1a,
                     levels={a1a[0].pk: GOOD, a1a[1].pk: SATISFACTORY, a1a[2].pk: GOOD})
    client.force_login(people.staff_a)
    exported = whole(client.get(reverse("evaluation:export", args=[period.pk]), {"to_chuc": tree.cell_a1a.pk})).content
    services.propose(actor=people.staff_a, period=period, cell=tree.cell_a1a, levels={m.pk: EXCELLENT for m in a1a})
    response = client.post(url(period, tree.cell_a1a), {"file": SimpleUploadedFile("ket-qua.xlsx", exported)})
    assert response.status_code == 302, response.context["report"].problems
    assert [rating(period, m).proposed_level for m in a1a] == [GOOD, SATISFACTORY, GOOD]


def test_a_csv_typed_with_tcvn3_is_read(client, people, tree, period, a1a):
    # "Nguyễn Văn B" typed with a .VnTime font: the bytes of "NguyÔn V¨n B" in Latin-1
    data = "Ho va ten;Muc xep loai\nNguy\xd4n V\xa8n B;HTTNV\nNguy\xd4n V\xa8n C;HTNV\n".encode("latin-1")
    client.force_login(people.staff_a)
    response = client.post(url(period, tree.cell_a1a), {"file": SimpleUploadedFile("de-xuat.csv", data)})
    assert response.status_code == 302, (response.context["form"].errors, response.context["report"] and response.context["report"].problems)
    assert (rating(period, a1a[1]).proposed_level, rating(period, a1a[2]).proposed_level) == (GOOD, SATISFACTORY)


def test_a_file_that_cannot_be_read_is_refused_on_the_form(client, people, tree, period):
    client.force_login(people.staff_a)
    response = client.post(url(period), {"file": SimpleUploadedFile("x.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)})
    assert response.status_code == 200 and "Excel 97-2003 (.xls) chưa được hỗ trợ" in response.content.decode()
    response = client.post(url(period), {"file": xlsx([("Một", "Hai"), ("x", "y")])})
    assert "Không tìm thấy dòng tiêu đề" in response.content.decode()


def test_the_import_is_scoped(client, people, tree, scopes, period, a1a):
    upload = xlsx([("Họ và tên", "Mức xếp loại"), ("Nguyễn Văn A", "HTTNV")])
    client.force_login(people.staff_b)
    assert client.post(url(period, tree.cell_a1a), {"file": upload}).status_code == 404
    client.force_login(people.leader_a)
    assert client.get(url(period, tree.cell_a1a)).status_code == 403
    client.force_login(people.secretary_a1a)
    assert client.get(url(period, tree.cell_a1b)).status_code == 404
    assert not Rating.objects.filter(period=period, state=Rating.State.PROPOSED).exists()
    # a published period takes no more proposals
    Period.objects.filter(pk=period.pk).update(state=Period.State.PUBLISHED)
    client.force_login(people.staff_a)
    response = client.post(url(period, tree.cell_a1a), {"file": xlsx([("Họ và tên", "Mức xếp loại"), ("Nguyễn Văn A", "HTTNV")])})
    assert response.status_code == 200 and "không nhập đề xuất được nữa" in response.content.decode()
    assert not Rating.objects.filter(period=period, state=Rating.State.PROPOSED).exists()
