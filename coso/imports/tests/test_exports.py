import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from coso.access.models import ExportLog
from coso.audit.models import AuditEvent
from coso.imports.columns import COLUMNS, vietnamese
from coso.imports.models import ImportJob
from coso.imports.tests.files import commit, dry_run, member_row, template_file
from coso.lib import excel
from coso.lib.tests.responses import whole
from coso.members.models import Member, MemberEvent, MemberPeriod
from coso.people.models import Person

pytestmark = pytest.mark.django_db
D = dt.date

RICH = [
    member_row(name="Nguyễn Văn An", birth="12/05/1980", national_id="001080012345", **{
        "Tên gọi khác": "Út", "Dân tộc": "Tày", "Tôn giáo": "Phật giáo", "Quê quán": "Xã An Phú, huyện A", "Nơi cư trú": "Thôn 1",
        "Giáo dục phổ thông": "12/12", "Trình độ chuyên môn": "Đại học Luật", "Lý luận chính trị": "Trung cấp", "Nghề nghiệp": "Công chức",
        "Chức vụ": "Phó Chủ tịch UBND xã", "Ngày quyết định kết nạp": "01/10/2010", "Số thẻ đảng viên": "08123456",
        "Người giới thiệu": "- Đồng chí Lê Văn Tám; - Đồng chí Trần Thị Chín"}),
    member_row(name="Lê Thị Bình", gender="Nữ", birth="1975", cell="Chi bộ thôn A1b", admitted="02/01/2024", recognized=None),
    member_row(name="Đỗ Văn Cường", birth="03/1968", cell="Chi bộ cơ sở A2"),
]
FORMULA = '=HYPERLINK("http://x","bấm")'  # text someone typed into a form


@pytest.fixture
def members(tree, people):
    job = commit(people.staff_a, dry_run(people.staff_a, tree.district_a, template_file(*RICH)))
    assert job.status == ImportJob.Status.DONE, (job.message, job.report["problems"])
    Member.objects.filter(person__full_name="Đỗ Văn Cường").update(introducers=FORMULA)
    return job


def _export(client, organization, **params):
    return whole(client.get(reverse("imports:export_members"), {"to_chuc": organization.pk, "ngay": "01/07/2024", **params}))


def _sheet_rows(content: bytes) -> list[list]:
    return [values for _n, values in excel.open_book(content, "x.xlsx").sheets[0].rows()]


def test_it_exports_the_members_of_a_subtree_on_a_date_and_logs_it(client, tree, people, members, django_assert_max_num_queries):
    client.force_login(people.staff_a)
    # session, user, organization, scope root paths, scope check, placement, subtree cells,
    # members (one query), whether they left the scope since (two a batch: decision 0007), the
    # export log, and the session's sliding expiry (3)
    with django_assert_max_num_queries(14):
        response = _export(client, tree.district_a)
    assert response.status_code == 200 and response["Content-Disposition"].startswith(f'attachment; filename="dang-vien-{tree.district_a.code}-20240701.xlsx"')
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert ws["A1"].value == "DANH SÁCH ĐẢNG VIÊN" and ws["A2"].value == "Đảng bộ huyện A — 01/07/2024"
    assert [c.value for c in ws[3]] == [vietnamese(c.label) for c in COLUMNS]  # the template's columns
    assert ws["A3"].font.b and ws.freeze_panes == "A4" and ws.column_dimensions["A"].width == 26
    # Vietnamese order: by given name (An, Bình, Cường)
    assert [ws.cell(row=r, column=1).value for r in (4, 5, 6)] == ["Nguyễn Văn An", "Lê Thị Bình", "Đỗ Văn Cường"]
    assert ws["D4"].value == dt.datetime(1980, 5, 12) and ws["D4"].number_format == "DD/MM/YYYY"
    assert ws["D5"].value == 1975 and ws["D6"].value == "03/1968"  # partial birth dates stay partial
    log = ExportLog.objects.get()
    assert (log.user, log.kind, log.file_format, log.rows, log.sensitive, log.organization_id) == (
        people.staff_a, "members.list", "xlsx", 3, True, tree.district_a.pk)
    assert log.parameters == {"to_chuc": tree.district_a.pk, "ngay": "01/07/2024"}


def test_it_exports_the_list_as_it_stood_on_the_date(client, tree, people, members):
    client.force_login(people.staff_a)
    rows = _sheet_rows(_export(client, tree.commune_a1, ngay="01/06/2024", dinh_dang="xlsx").content)[3:]
    assert [r[0] for r in rows] == ["Nguyễn Văn An", "Lê Thị Bình"]  # the commune's cells only; recorded from 01/06/2024
    assert _sheet_rows(_export(client, tree.commune_a1, ngay="31/05/2024").content)[3:] == []


def test_it_leaves_sensitive_columns_out_for_roles_without_the_permission(client, tree, people, members):
    client.force_login(people.leader_a)
    response = _export(client, tree.district_a)
    header = _sheet_rows(response.content)[2]
    assert "Số định danh cá nhân" not in header and "Dân tộc" not in header and "Tôn giáo" not in header
    assert "001080012345" not in str(_sheet_rows(response.content))
    assert ExportLog.objects.get().sensitive is False


def test_it_refuses_exports_outside_the_scope_or_without_the_permission(client, tree, people, members):
    client.force_login(people.staff_b)
    assert _export(client, tree.district_a).status_code == 404
    client.force_login(people.secretary_a1a)
    assert _export(client, tree.cell_a1a).status_code == 403
    client.force_login(people.staff_a)
    assert _export(client, tree.province).status_code == 404
    assert client.get(reverse("imports:export_members"), {"to_chuc": "abc"}).status_code == 404
    assert not ExportLog.objects.exists()


def test_it_escapes_formulas_in_xlsx_and_csv(client, tree, people, members):
    client.force_login(people.staff_a)
    ws = load_workbook(io.BytesIO(_export(client, tree.district_a).content)).worksheets[0]
    formula, dashes = ws["T6"], ws["T4"]
    assert formula.value == FORMULA and formula.data_type == "s" and formula.quotePrefix
    assert dashes.value.startswith("- Đồng chí") and dashes.data_type == "s" and dashes.quotePrefix
    csv_text = _export(client, tree.district_a, dinh_dang="csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK(\"\"http://x\"\",\"\"bấm\"\")" in csv_text and ",'- Đồng chí Lê Văn Tám" in csv_text
    assert ExportLog.objects.filter(file_format="csv", rows=3).exists()


def _snapshot():
    return sorted(
        (m.person.full_name, m.person.other_names, m.person.gender, m.person.birth_date, m.person.birth_precision, m.person.national_id,
         m.person.ethnicity, m.person.religion, m.person.origin_text, m.person.residence_text, m.person.education, m.person.qualification,
         m.person.qualification_field, m.person.theory_level, m.person.occupation, m.person.job_title, m.organization_id, m.status,
         m.admitted_on, m.admission_decision_date, m.recognized_on, m.card_number, m.introducers)
        for m in Member.objects.select_related("person")
    )


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_it_exports_a_file_that_imports_back_unchanged(client, tree, people, members, file_format):
    client.force_login(people.staff_a)
    before = _snapshot()
    exported = _export(client, tree.district_a, dinh_dang=file_format).content
    # the same members into an empty registry
    AuditEvent.objects.filter(event_type="members.member.imported").delete()
    MemberPeriod.objects.all().delete()
    MemberEvent.objects.all().delete()
    Member.objects.all().delete()
    Person.objects.all().delete()
    job = dry_run(people.staff_a, tree.district_a, exported, name=f"xuat.{file_format}")
    assert job.report["invalid"] == 0 and job.report["total"] == 3, job.report["problems"]
    commit(people.staff_a, job)
    assert _snapshot() == before
    again = _export(client, tree.district_a, dinh_dang=file_format).content
    if file_format == "csv":
        assert again == exported
    else:  # an .xlsx also holds the time it was written
        assert _sheet_rows(again) == _sheet_rows(exported)


def test_it_escapes_a_formula_in_the_title_row(client, tree, people, members):
    """Security finding: the title row put the organization's name first, unescaped, so an
    organization named '=HYPERLINK(…)' gave a formula cell. Every cell of every export, titles
    and headers included, goes through the same escaping."""
    from coso.organizations import services as organizations

    organizations.rename_organization(actor=None, organization=tree.district_a, name=FORMULA, valid_from=dt.date(2024, 6, 1))
    client.force_login(people.staff_a)
    ws = load_workbook(io.BytesIO(_export(client, tree.district_a).content)).worksheets[0]
    cells = [cell for row in ws.iter_rows() for cell in row if cell.value is not None]
    assert any(FORMULA in str(cell.value) for cell in cells)
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]


def test_it_escapes_every_text_cell_of_a_printed_form():
    from openpyxl import Workbook

    wb = Workbook()
    wb.active["B2"] = FORMULA
    wb.active["C3"] = "+84 905"
    ws = load_workbook(io.BytesIO(excel.workbook_bytes(wb))).active
    assert ws["B2"].value == FORMULA and ws["B2"].data_type == "s" and ws["B2"].quotePrefix
    assert ws["C3"].data_type == "s" and ws["C3"].quotePrefix
