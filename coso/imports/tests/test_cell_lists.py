"""Issue #10, section 2: a real office list imported into a cell.

A cell's own list has no cell column (the usual case): the chosen organization, when it is a
cell, is the default cell of every row, proposed from the first page (services.default_cell_on).
The shell can name the default cell (--chi-bo) and prints each problem with its real column.
Names with markup, characters no name has or an honorific left in them are found by one
function (people.checks.name_findings) on import, in the person form and in the quality checks.
A blank cell in a column the file has is read as not known, and the report says so with counts.
"""

import re
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from coso.imports.models import ImportJob
from coso.imports.tests.files import commit, dry_run, member_row, problems, template_file, xlsx
from coso.members.models import Member
from coso.organizations.scope import Scope
from coso.people.forms import PersonForm

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# an office's list of one cell: no cell column
HEADER = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Tôn giáo", "Ngày kết nạp", "Ngày công nhận chính thức"]


def cell_list(*rows) -> bytes:
    return xlsx({"DS": [["DANH SÁCH ĐẢNG VIÊN CHI BỘ"], [], HEADER, *[[i + 1, *r] for i, r in enumerate(rows)]]})


def person(name="Nguyễn Văn An", gender="Nam", birth="12/05/1980", ethnicity="Kinh", religion="Không"):
    return [name, gender, birth, ethnicity, religion, "10/10/2010", "10/10/2011"]


def test_a_cells_own_list_goes_into_that_cell_on_the_first_pass(tree, people):
    job = dry_run(people.staff_a, tree.cell_a1a, cell_list(person(), person(name="Trần Thị Bình", gender="Nữ")))
    assert job.default_cell_id == tree.cell_a1a.pk
    assert (job.report["valid"], job.report["invalid"]) == (2, 0), job.report["problems"]
    commit(people.staff_a, job)
    assert set(Member.objects.values_list("organization_id", flat=True)) == {tree.cell_a1a.pk}


def test_a_committees_list_without_a_cell_column_still_asks_for_the_cell(tree, people):
    job = dry_run(people.staff_a, tree.commune_a1, cell_list(person()))
    assert job.default_cell_id is None and job.report["invalid"] == 1
    assert problems(job) == [(4, "Chi bộ", "Chưa rõ chi bộ: ghi tên chi bộ, đặt tên trang tính theo chi bộ, hoặc chọn chi bộ mặc định.")]


def test_the_upload_page_proposes_the_cell_and_the_mapping_page_keeps_it(client, tree, people):
    client.force_login(people.staff_a)
    page = client.get(reverse("imports:upload", args=[tree.cell_a1a.pk])).content.decode()
    assert re.search(rf'<option value="{tree.cell_a1a.pk}" selected>Chi bộ thôn A1a</option>', page)
    page = client.get(reverse("imports:upload", args=[tree.commune_a1.pk])).content.decode()
    assert 'name="default_cell"' in page and ' selected>Chi bộ' not in page  # a committee: the rows must say
    # a committee's user may still choose one on upload
    response = client.post(reverse("imports:upload", args=[tree.commune_a1.pk]), {
        "file": SimpleUploadedFile("ds.xlsx", cell_list(person()), content_type=XLSX), "default_cell": tree.cell_a1b.pk})
    job = ImportJob.objects.latest("pk")
    assert response.status_code == 302 and job.default_cell_id == tree.cell_a1b.pk
    page = client.get(reverse("imports:mapping", args=[job.pk])).content.decode()
    assert re.search(rf'<option value="{tree.cell_a1b.pk}" selected>', page)


def test_the_shell_names_the_default_cell_and_the_real_columns(tree, people, tmp_path):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(cell_list(person(), person(name="Lê Văn Hai", birth="x"), person(name="Lê Văn <b>Ba</b>")))
    out = StringIO()
    args = dict(to_chuc=tree.district_a.pk, user="staff_a", ngay="01/06/2024", stdout=out)
    with pytest.raises(CommandError, match="có dòng lỗi"):
        call_command("import_members", str(path), **args)
    text = out.getvalue()
    assert "DS, dòng 4, «Chi bộ» (tệp không có cột này): Chưa rõ chi bộ" in text
    assert "«»" not in text and "cột  " not in text
    with pytest.raises(CommandError, match="Không tìm thấy chi bộ «thôn Z»"):
        call_command("import_members", str(path), chi_bo="thôn Z", **args)
    with pytest.raises(CommandError, match="không phải chi bộ"):
        call_command("import_members", str(path), chi_bo=str(tree.commune_a1.pk), **args)
    out.truncate(0)
    out.seek(0)
    with pytest.raises(CommandError, match="có dòng lỗi"):
        call_command("import_members", str(path), chi_bo="Chi bộ thôn A1b", so_loi=1, **args)
    text = out.getvalue()
    assert "[LỖI] DS, dòng 5, cột D «Ngày sinh»: Ngày sinh «x»: không đọc được" in text, text
    assert "Họ và tên chứa mã HTML" not in text and "… và 1 lỗi, cảnh báo nữa (--so-loi N để in nhiều hơn)." in text
    call_command("import_members", str(path), chi_bo=str(tree.cell_a1b.pk), chi_nhap_dong_hop_le=True, **args)
    assert list(Member.objects.values_list("person__full_name", "organization_id")) == [("Nguyễn Văn An", tree.cell_a1b.pk)]


def test_names_that_are_no_names_are_errors_and_honorifics_warnings(tree, people):
    job = dry_run(people.staff_a, tree.cell_a1a, cell_list(
        person(name="<script>alert(1)</script>"), person(name="Nguyễn Văn 2", birth="01/01/1981"),
        person(name="Bà Nguyễn Thị Hoa", gender="Nữ"), person(name="Quý cô Lê Thị Mai", gender="Nữ"),
        person(name="H'Hen Niê", gender="Nữ", birth="02/02/1982"), person(name="Ông Ích Khiêm", birth="03/03/1983")))
    errors, warnings = problems(job), problems(job, "warning")
    assert [(row, column) for row, column, _m in errors] == [(4, "Họ và tên"), (5, "Họ và tên")]
    assert "mã HTML (<script>)" in errors[0][2] and "«2»" in errors[1][2]
    # an honorific is a warning: "Ông" is also a family name, the user decides
    assert [row for row, column, m in warnings if column == "Họ và tên" and "danh xưng" in m] == [6, 7, 9]
    assert (job.report["valid"], job.report["invalid"]) == (4, 2)


def test_the_person_form_refuses_markup_and_odd_characters(people):
    scope = Scope(people.staff_a)
    base = {"gender": "F", "birth_date": "12/08/1985", "birth_precision": "day", "ethnicity": "01", "religion": "00",
            "qualification": "none", "theory_level": "none"}
    for name in ("<script>alert(1)</script>", "Hoàng Thị Mai #2"):
        form = PersonForm({**base, "full_name": name}, sensitive=True, scope=scope)
        assert not form.is_valid() and "full_name" in form.errors, name
    assert PersonForm({**base, "full_name": "H'Hen Niê"}, sensitive=True, scope=scope).is_valid()


def test_a_blank_in_a_column_the_file_has_is_unknown_and_the_report_says_so(tree, people):
    """The decision: a blank is a question nobody answered, so "Chưa rõ", never "Không" or Kinh."""
    job = dry_run(people.staff_a, tree.cell_a1a, cell_list(
        person(religion=""), person(name="Trần Thị Bình", gender="Nữ", ethnicity="", religion=""), person(name="Lò Văn Ba", ethnicity="Thái")))
    assert job.report["invalid"] == 0, job.report["problems"]
    assert job.report["blank_unknown"] == [["Dân tộc", 1], ["Tôn giáo", 2]]
    assert ("Ô để trống được hiểu là chưa rõ (không phải “Không”, dân tộc Kinh hay chưa qua đào tạo): "
            "cột «Dân tộc» 1 dòng; cột «Tôn giáo» 2 dòng.") in job.report["notices"]
    commit(people.staff_a, job)
    assert dict(Member.objects.values_list("person__full_name", "person__religion")) == {
        "Nguyễn Văn An": "", "Trần Thị Bình": "", "Lò Văn Ba": "00"}


def test_the_template_file_leaves_no_blank_notice_when_all_is_filled(tree, people):
    row = member_row(**{"Dân tộc": "Kinh", "Tôn giáo": "Không", "Giáo dục phổ thông": "12/12", "Trình độ chuyên môn": "Đại học",
                        "Lý luận chính trị": "Trung cấp"})
    job = dry_run(people.staff_a, tree.district_a, template_file(row))
    assert job.report["blank_unknown"] == [], job.report["blank_unknown"]
