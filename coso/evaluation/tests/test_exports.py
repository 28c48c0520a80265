"""The results of a period in Excel, as a committee publishes them: opened with openpyxl as a reader
opens the file; every export logged; the scope decides what it lists."""

import datetime as dt
import io

import pytest
from django.urls import reverse

from coso.access.models import ExportLog
from coso.evaluation import services
from coso.evaluation.choices import SubjectKind
from coso.evaluation.models import Rating
from coso.evaluation.rules.base import EXCELLENT, GOOD, SATISFACTORY

from .conftest import member, members

pytestmark = pytest.mark.django_db
D = dt.date


def workbook(response):
    from openpyxl import load_workbook

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))


def table(ws, header_row):
    """The rows of the first table under its header, until the first empty row."""
    rows = []
    for values in ws.iter_rows(min_row=header_row + 1, values_only=True):
        if values[0] is None:
            break
        rows.append(values)
    return rows


def header_row(ws) -> int:
    return next(c.row for c in ws["A"] if c.value == "STT")


@pytest.fixture
def published(tree, people, scopes):
    """2024 (124-QĐ/TW) in chi bộ cơ sở A2, decided and published: 5 good, 1 excellent (20% of 5), 1 satisfactory."""
    a2 = members(tree.cell_a2, "Lê", 7)
    period = services.open_period(actor=people.staff_a, organization=tree.cell_a2, year=2024)
    levels = {m.pk: GOOD for m in a2[:5]} | {a2[5].pk: EXCELLENT, a2[6].pk: SATISFACTORY}
    services.propose(actor=people.staff_a, period=period, cell=tree.cell_a2, levels=levels)
    services.decide(actor=people.staff_a, period=period, decision_number="30-QĐ/CB")
    services.publish(actor=people.staff_a, period=period)
    return period


def test_it_exports_the_results_in_the_published_form_and_logs_it(client, people, tree, published):
    client.force_login(people.staff_a)
    response = client.get(reverse("evaluation:export", args=[published.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="ket-qua-xep-loai-2024-chi-bo-co-so-a2.xlsx"'
    ws = workbook(response).active
    assert (ws["A1"].value, ws["A2"].value, ws["A3"].value) == ("ĐẢNG BỘ HUYỆN A", "CHI BỘ CƠ SỞ A2", "*")
    assert ws["D1"].value == "ĐẢNG CỘNG SẢN VIỆT NAM" and ws["D3"].value.startswith("…………, ngày ")
    assert ws["A5"].value == "KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM 2024"
    assert ws["A6"].value == "(Tính đến ngày 31/12/2024; theo 124-QĐ/TW, 25-HD/BTCTW)"
    top = header_row(ws)
    assert [c.value for c in ws[top]] == ["STT", "Họ và tên", "Chi bộ", "Mức xếp loại", "Ghi chú"]  # no score under 124
    rows = table(ws, top)
    assert [r[1] for r in rows] == [f"Lê Văn {c}" for c in "ABCDEFG"]  # the Vietnamese name order
    assert rows[0] == (1, "Lê Văn A", "Chi bộ cơ sở A2", "Hoàn thành tốt nhiệm vụ", None)
    assert rows[5][3] == "Hoàn thành xuất sắc nhiệm vụ" and rows[6][3] == "Hoàn thành nhiệm vụ"
    summary = {ws.cell(row=r, column=2).value: ws.cell(row=r, column=3).value for r in range(top, ws.max_row + 1)}
    assert summary["Hoàn thành tốt nhiệm vụ"] == 5 and summary["Hoàn thành xuất sắc nhiệm vụ"] == 1 and summary["Tổng số"] == 7
    assert "T/M CHI ỦY" in [c.value for c in ws["D"]]
    # print-ready: A4 portrait, one page wide, the table's header repeated on every page
    assert (ws.page_setup.paperSize, ws.page_setup.orientation, ws.page_setup.fitToWidth) == (9, "portrait", 1)  # 9: A4
    assert ws.print_title_rows == f"${top}:${top}"
    log = ExportLog.objects.get()
    assert (log.user, log.kind, log.file_format, log.rows, log.organization_id) == (people.staff_a, "evaluation.results", "xlsx", 7, tree.cell_a2.pk)


def test_a_scored_period_has_a_score_column_and_a_draft_says_so(client, people, tree, scopes):
    a2 = members(tree.cell_a2, "Lê", 2)
    period = services.open_period(actor=people.staff_a, organization=tree.cell_a2, year=2025)
    services.propose(actor=people.staff_a, period=period, cell=tree.cell_a2, levels={a2[0].pk: (GOOD, "82.5")})
    client.force_login(people.staff_a)
    ws = workbook(client.get(reverse("evaluation:export", args=[period.pk]))).active
    top = header_row(ws)
    assert [c.value for c in ws[top]] == ["STT", "Họ và tên", "Chi bộ", "Mức xếp loại", "Điểm", "Ghi chú"]
    rows = table(ws, top)
    assert rows[0] == (1, "Lê Văn A", "Chi bộ cơ sở A2", "Hoàn thành tốt nhiệm vụ", 82.5, "Mức đề xuất, chưa quyết định")
    assert rows[1][3:] == (None, None, "Chưa tự đánh giá")
    assert ws["A7"].value == "Dự thảo: còn 2 đối tượng chưa được quyết định xếp loại."


def test_text_a_spreadsheet_would_run_is_stored_as_text(client, people, tree, scopes):
    member(tree.cell_a2, "=HYPERLINK(\"http://x\")")
    period = services.open_period(actor=people.staff_a, organization=tree.cell_a2, year=2024)
    client.force_login(people.staff_a)
    ws = workbook(client.get(reverse("evaluation:export", args=[period.pk]))).active
    name = ws.cell(row=header_row(ws) + 1, column=2)
    assert name.value == "=HYPERLINK(\"http://x\")" and name.data_type == "s" and name.quotePrefix


def test_the_export_is_scoped_and_needs_the_export_permission(client, people, tree, published):
    url = reverse("evaluation:export", args=[published.pk])
    client.force_login(people.staff_b)
    assert client.get(url).status_code == 404
    client.force_login(people.secretary_a1a)
    assert client.get(url).status_code == 403  # a cell secretary does not export
    client.force_login(people.leader_a)
    assert client.get(url).status_code == 200
    client.force_login(people.staff_a)
    assert client.get(url, {"to_chuc": tree.cell_b1a.pk}).status_code == 404
    assert ExportLog.objects.count() == 1


def test_a_period_opened_above_exports_only_the_users_part(client, people, tree):
    members(tree.cell_a2, "Lê", 1)
    members(tree.cell_b1a, "Võ", 1)
    period = services.open_period(actor=people.admin, organization=tree.province, year=2024)
    client.force_login(people.staff_a)
    ws = workbook(client.get(reverse("evaluation:export", args=[period.pk]))).active
    assert ws["A2"].value == "ĐẢNG BỘ HUYỆN A"
    texts = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "Lê Văn A" in texts and "Võ Văn A" not in texts and "huyện B" not in texts and "B1" not in texts
    organizations = Rating.objects.filter(period=period, subject_kind=SubjectKind.ORGANIZATION, organization=tree.cell_a2)
    assert organizations.exists() and "Chi bộ cơ sở A2" in texts
