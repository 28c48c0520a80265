"""The statistical report in Excel and PDF: the engine's numbers, the document head, the log.

The files are opened the way a reader opens them: the .xlsx with openpyxl, the PDF's text with
pdfium (pypdfium2, a test dependency).
"""

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from django.urls import reverse

from coso.access.models import ExportLog
from coso.lib.tests.responses import whole
from coso.measures.catalog import MEASURES
from coso.organizations.models import Placement
from coso.places.models import AdminUnit, Generation, Level, UnitKind
from coso.reports import standard

from .test_tables import ON, populated  # noqa: F401 (the fixture the tests use)

pytestmark = pytest.mark.django_db
XLSX = reverse("reports:statistics_xlsx")
PDF = reverse("reports:statistics_pdf")
ARTIFACTS = Path(__file__).resolve().parents[3] / "artifacts"


def workbook(response):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(whole(response).content))


def section_tables(ws) -> dict[str, list[list]]:
    """{section title: rows (header, lines, total)} read back from the sheet."""
    tables, current = {}, None
    for row in ws.iter_rows(min_row=8, values_only=True):
        first = row[0]
        if first is None:
            current = None
            continue
        if current is None:
            current = tables.setdefault(first, [])
            continue
        current.append([v for v in row if v is not None] if row[1] is not None else [first])
    return tables


def pdf_text(content: bytes) -> str:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(content)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


@pytest.mark.usefixtures("populated")
def test_the_excel_file_carries_the_engines_numbers(client, people, tree):
    client.force_login(people.staff_a)
    response = client.get(XLSX, {"to_chuc": tree.district_a.pk, "ngay": ON})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert 'filename="bao-cao-thong-ke-' in response["Content-Disposition"]
    wb = workbook(response)
    assert len(wb.worksheets) == 1
    ws = wb.active
    tables = section_tables(ws)
    expected = standard.build(tree.district_a, dt.date(2024, 5, 1))
    assert len(tables) == len(expected.tables)
    for number, ((section, table), (title, rows)) in enumerate(zip(expected.tables, tables.items(), strict=True), start=1):
        assert title.startswith(f"{number}. {section.title}")
        header, *lines, total = rows
        assert header[1:] == [str(MEASURES[m].label) for m in table.measures]
        assert [line[0] for line in lines] == [label for _k, label, _v in table.rows]
        assert [line[1:] for line in lines] == [[v[m] for m in table.measures] for _k, _l, v in table.rows], section.code
        assert total == ["Tổng số", *[table.total[m] for m in table.measures]]


@pytest.mark.usefixtures("populated")
def test_the_excel_file_is_set_up_for_printing(client, people, tree):
    client.force_login(people.staff_a)
    ws = workbook(client.get(XLSX, {"ngay": ON})).active
    texts = [c.value for row in ws.iter_rows(max_row=6) for c in row if c.value]
    assert (ws["A1"].value, ws["A2"].value, ws["A3"].value) == ("ĐẢNG BỘ TỈNH THỬ NGHIỆM", "ĐẢNG BỘ HUYỆN A", "*")
    assert ws["A2"].font.b
    assert ws["F1"].value == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert "BÁO CÁO THỐNG KÊ ĐẢNG VIÊN, TỔ CHỨC ĐẢNG" in texts
    assert "Tính đến ngày 01/05/2024" in texts
    assert any(t.startswith("…………, ngày ") for t in texts)  # no area: the place is left to fill in
    header = next(row for row in ws.iter_rows(min_row=8) if row[0].value == "Tổ chức trực thuộc")
    assert all(c.font.b and c.border.top.style == "thin" for c in header if c.value)
    number = ws.cell(row=header[0].row + 1, column=2)
    assert isinstance(number.value, int) and number.number_format == "#,##0" and number.border.left.style == "thin"
    assert ws.column_dimensions["A"].width > ws.column_dimensions["B"].width >= 10
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 and ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0


def test_the_place_is_the_district_of_the_organizations_area(client, people, tree):
    province = AdminUnit.objects.create(generation=Generation.LEGACY, level=Level.PROVINCE, kind=UnitKind.PROVINCE, code="49",
                                        name="Quảng Nam", full_name="Tỉnh Quảng Nam")
    district = AdminUnit.objects.create(generation=Generation.LEGACY, level=Level.DISTRICT, kind=UnitKind.DISTRICT, code="49001",
                                        name="Núi Thành", full_name="Huyện Núi Thành", parent=province)
    commune = AdminUnit.objects.create(generation=Generation.LEGACY, level=Level.COMMUNE, kind=UnitKind.COMMUNE, code="49001001",
                                       name="Tam Sơn", full_name="Xã Tam Sơn", parent=district)
    Placement.objects.filter(organization=tree.commune_a1).update(area=commune)
    client.force_login(people.staff_a)
    ws = workbook(client.get(XLSX, {"to_chuc": tree.commune_a1.pk, "ngay": ON})).active
    assert (ws["A1"].value, ws["A2"].value) == ("ĐẢNG BỘ HUYỆN A", "ĐẢNG BỘ XÃ A1")
    assert ws["F3"].value.startswith("Núi Thành, ngày ")


@pytest.mark.usefixtures("populated")
def test_the_pdf_carries_the_head_the_title_and_the_numbers(client, people, tree):
    client.force_login(people.staff_a)
    response = whole(client.get(PDF, {"to_chuc": tree.district_a.pk, "ngay": ON}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    if os.environ.get("COSO_KEEP_PDF"):
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "report.pdf").write_bytes(response.content)
    text = pdf_text(response.content)
    flat = " ".join(text.split())
    for expected in ("ĐẢNG BỘ TỈNH THỬ NGHIỆM", "ĐẢNG BỘ HUYỆN A", "ĐẢNG CỘNG SẢN VIỆT NAM", "BÁO CÁO THỐNG KÊ ĐẢNG VIÊN, TỔ CHỨC ĐẢNG",
                     "Tính đến ngày 01/05/2024", "Đảng viên theo dân tộc", "Biến động đảng viên trong kỳ", "Chi bộ cơ sở A2", "Tày"):
        assert expected in flat, expected
    report = standard.build(tree.district_a, dt.date(2024, 5, 1))
    members = next(t for s, t in report.tables if s.code == "members")
    assert members.total["members"] == 4
    assert "Tổng số 4 2 1 1 1 0" in flat  # members, women, minority, religious, probationary, exempted
    # the written summary opens the report
    from coso.reports import summary

    assert " ".join(summary.paragraph(report).split()) in flat


@pytest.mark.usefixtures("populated")
def test_every_export_is_logged(client, people, tree):
    client.force_login(people.leader_a)  # leaders export aggregates
    for url, file_format in ((XLSX, "xlsx"), (PDF, "pdf")):
        assert client.get(url, {"ngay": ON, "tu_ngay": "01/02/2024"}).status_code == 200
        log = ExportLog.objects.order_by("-pk").first()
        assert (log.user, log.kind, log.file_format, log.organization_id) == (people.leader_a, "reports.statistics", file_format, tree.district_a.pk)
        assert log.rows > 0 and not log.sensitive
        assert log.parameters == {"to_chuc": tree.district_a.pk, "ngay": "01/05/2024", "tu_ngay": "01/02/2024", "den_ngay": "01/05/2024"}
    assert ExportLog.objects.count() == 2


@pytest.mark.usefixtures("populated")
def test_exports_need_the_export_permission(client, people, tree):
    client.force_login(people.secretary_a1a)  # reads the report, may not export it
    assert client.get(reverse("reports:statistics"), {"ngay": ON}).status_code == 200
    assert "reports/thong-ke/excel" not in client.get(reverse("reports:statistics"), {"ngay": ON}).content.decode()
    for url in (XLSX, PDF):
        assert client.get(url, {"ngay": ON}).status_code == 403
        assert client.post(url).status_code == 405
    assert ExportLog.objects.count() == 0


@pytest.mark.usefixtures("populated")
def test_exports_are_in_vietnamese_whatever_the_users_language(client, people, tree):
    client.force_login(people.staff_a)
    client.cookies["django_language"] = "en"
    ws = workbook(client.get(XLSX, {"ngay": ON}, HTTP_ACCEPT_LANGUAGE="en")).active
    texts = [c.value for row in ws.iter_rows(max_row=10) for c in row if c.value]
    assert "BÁO CÁO THỐNG KÊ ĐẢNG VIÊN, TỔ CHỨC ĐẢNG" in texts and "Tổ chức trực thuộc" in texts


@pytest.mark.usefixtures("populated")
def test_an_administrator_exports_the_whole_tree(client, people):
    client.force_login(people.admin)
    response = whole(client.get(PDF, {"ngay": ON}))
    assert response.status_code == 200 and "toan-he-thong" in response["Content-Disposition"]
    assert "TOÀN HỆ THỐNG" in " ".join(pdf_text(response.content).split())
    ws = workbook(client.get(XLSX, {"ngay": ON})).active
    assert ws["A2"].value == "TOÀN HỆ THỐNG"
    assert ExportLog.objects.filter(organization_id=None, user=people.admin).count() == 2


def _legacy_area_that_ended(tree):
    """Tam Sơn in Núi Thành, Quảng Nam, whose district and province ended on 01/07/2025; the
    province went into Đà Nẵng (the lineage of places)."""
    from coso.places.models import Lineage

    reform = dt.date(2025, 7, 1)
    province = AdminUnit.objects.create(generation=Generation.LEGACY, level=Level.PROVINCE, kind=UnitKind.PROVINCE, code="49",
                                        name="Quảng Nam", full_name="Tỉnh Quảng Nam", valid_to=reform)
    district = AdminUnit.objects.create(generation=Generation.LEGACY, level=Level.DISTRICT, kind=UnitKind.DISTRICT, code="49001",
                                        name="Núi Thành", full_name="Huyện Núi Thành", parent=province, valid_to=reform)
    commune = AdminUnit.objects.create(generation=Generation.LEGACY, level=Level.COMMUNE, kind=UnitKind.COMMUNE, code="49001001",
                                       name="Tam Sơn", full_name="Xã Tam Sơn", parent=district, valid_to=reform)
    da_nang = AdminUnit.objects.create(generation=Generation.CURRENT, level=Level.PROVINCE, kind=UnitKind.CITY, code="48",
                                       name="Đà Nẵng", full_name="Thành phố Đà Nẵng", valid_from=reform)
    Lineage.objects.create(old=province, new=da_nang, effective=reform)
    Placement.objects.filter(organization=tree.commune_a1).update(area=commune)


def test_the_place_and_date_follow_the_date_the_user_chooses(client, people, tree):
    from django.utils import timezone

    from coso.reports.exports import Head

    _legacy_area_that_ended(tree)
    client.force_login(people.staff_a)
    query = {"to_chuc": tree.commune_a1.pk, "ngay": ON}
    ws = workbook(client.get(XLSX, {**query, "ngay_ghi": "bao-cao"})).active
    assert ws["F3"].value == "Núi Thành, ngày 01 tháng 5 năm 2024"
    today = timezone.localdate()
    printed = Head("", "", "Đà Nẵng", today).place_and_date
    ws = workbook(client.get(XLSX, {**query, "ngay_ghi": "in"})).active
    assert ws["F3"].value == printed  # the place of today: Núi Thành's province went into Đà Nẵng
    flat = " ".join(pdf_text(whole(client.get(PDF, {**query, "ngay_ghi": "bao-cao"})).content).split())
    assert "Núi Thành, ngày 01 tháng 5 năm 2024" in flat
    # the report page offers the choice
    body = client.get(reverse("reports:statistics"), query).content.decode()
    assert "Ngày báo cáo (01/05/2024)" in body and 'name="ngay_ghi"' in body


def test_a_committee_that_has_ended_is_dated_with_its_report_date_by_default(client, people, tree):
    from coso.organizations import services

    _legacy_area_that_ended(tree)
    for organization in (tree.cell_a1a, tree.cell_a1b, tree.commune_a1):
        services.close_organization(actor=None, organization=organization, closed_on=dt.date(2025, 6, 30))
    client.force_login(people.staff_a)
    ws = workbook(client.get(XLSX, {"to_chuc": tree.commune_a1.pk, "ngay": ON})).active
    assert ws["F3"].value == "Núi Thành, ngày 01 tháng 5 năm 2024"
