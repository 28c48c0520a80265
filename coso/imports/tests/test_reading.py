"""Files as offices keep them: each is built here with openpyxl, checked, and written."""

import datetime as dt
import unicodedata

import pytest

from coso.imports.models import ImportJob
from coso.imports.tests.files import (
    TEMPLATE_HEADER,
    commit,
    csv_bytes,
    dry_run,
    member_row,
    problems,
    template_file,
    xlsx,
)
from coso.lib import excel
from coso.members.models import Member, Status
from coso.people.choices import DatePrecision, Gender, Qualification, TheoryLevel
from coso.people.models import Person

pytestmark = pytest.mark.django_db
D = dt.date


def _people():
    return {p.full_name: p for p in Person.objects.select_related("membership")}


def test_it_finds_the_header_row_below_a_title_block(tree, people):
    content = xlsx({"DS": [
        ["ĐẢNG BỘ HUYỆN A"], ["ĐẢNG BỘ XÃ A1"], [], ["DANH SÁCH ĐẢNG VIÊN NĂM 2024"], [],
        TEMPLATE_HEADER, member_row(), member_row(name="Lê Thị Bình", gender="Nữ"),
    ]}, merges={"DS": ["A4:T4"]})
    job = dry_run(people.staff_a, tree.district_a, content)
    sheet = job.layout["sheets"][0]
    assert sheet["header_rows"] == [6] and sheet["data_start"] == 7
    assert job.report["valid"] == 2 and job.report["taken"] == {"DS": [[7, 8]]}
    commit(people.staff_a, job)
    assert set(_people()) == {"Nguyễn Văn An", "Lê Thị Bình"}


def test_it_reads_a_two_line_merged_header_with_birth_years_under_nam_and_nu(tree, people):
    content = xlsx({"Chi bộ": [
        ["DANH SÁCH ĐẢNG VIÊN"],
        ["STT", "Họ và tên", "Ngày sinh", None, "Ngày tháng năm", None, "Chi bộ"],
        [None, None, "Nam", "Nữ", "Vào Đảng", "Chính thức", None],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
        [1, "Phạm Văn Cường", 1970, None, "03/02/1995", "03/02/1996", "Chi bộ thôn A1a"],
        [2, "Đỗ Thị Dung", None, "15/08/1982", dt.datetime(2005, 5, 19), None, "Chi bộ thôn A1a"],
    ]}, merges={"Chi bộ": ["A1:G1", "A2:A3", "B2:B3", "C2:D2", "E2:F2", "G2:G3"]})
    job = dry_run(people.staff_a, tree.district_a, content)
    sheet = job.layout["sheets"][0]
    assert sheet["header_rows"] == [2, 3] and sheet["data_start"] == 5  # the numbering row is skipped
    fields = {c["label"]: c["field"] for c in sheet["columns"]}
    assert fields["Ngày sinh / Nam"] == "male_mark" and fields["Ngày sinh / Nữ"] == "female_mark"
    assert fields["Ngày tháng năm / Vào Đảng"] == "admitted_on" and fields["Ngày tháng năm / Chính thức"] == "recognized_on"
    assert fields["STT"] == ""
    assert job.report["invalid"] == 0, job.report["problems"]
    # no recognition date 19 years after admission: taken as probationary, and flagged
    assert problems(job, "warning") == [(6, "Ngày tháng năm / Chính thức", "Đã quá 12 tháng dự bị (đến 19/05/2006) mà chưa có ngày công nhận chính thức.")]
    commit(people.staff_a, job)
    found = _people()
    cuong, dung = found["Phạm Văn Cường"], found["Đỗ Thị Dung"]
    assert (cuong.gender, cuong.birth_date, cuong.birth_precision) == (Gender.MALE, D(1970, 1, 1), DatePrecision.YEAR)
    assert (dung.gender, dung.birth_date, dung.birth_precision) == (Gender.FEMALE, D(1982, 8, 15), DatePrecision.DAY)
    assert dung.membership.admitted_on == D(2005, 5, 19) and dung.membership.status == Status.PROBATIONARY
    assert cuong.membership.status == Status.OFFICIAL


def test_it_reads_columns_in_any_order_under_their_usual_names(tree, people):
    content = xlsx({"Sheet1": [
        ["Ngày vào Đảng", "HỌ VÀ TÊN", "Số CCCD", "Nam/Nữ", "Chi bộ sinh hoạt", "Năm sinh", "Ngày chính thức", "Ghi chú"],
        ["10/10/2010", "Nguyễn Văn An", "001080012345", "Nam", "Chi bộ thôn A1a", "12/05/1980", "10/10/2011", "chuyển từ xã khác"],
    ]})
    job = dry_run(people.staff_a, tree.district_a, content)
    assert {c["label"]: c["field"] for c in job.layout["sheets"][0]["columns"]} == {
        "Ngày vào Đảng": "admitted_on", "HỌ VÀ TÊN": "full_name", "Số CCCD": "national_id", "Nam/Nữ": "gender",
        "Chi bộ sinh hoạt": "cell", "Năm sinh": "birth_date", "Ngày chính thức": "recognized_on", "Ghi chú": ""}
    assert job.report["valid"] == 1
    commit(people.staff_a, job)
    member = Member.objects.select_related("person").get()
    assert member.person.national_id == "001080012345" and member.recognized_on == D(2011, 10, 10)


def test_it_reads_gender_from_a_mark_in_a_nu_column(tree, people):
    content = xlsx({"A1a": [
        ["Họ tên", "Nữ", "Ngày sinh", "Ngày kết nạp", "Ngày công nhận chính thức"],
        ["Trần Văn Đức", None, "01/01/1970", "01/01/2000", "01/01/2001"],
        ["Vũ Thị Em", "x", "02/02/1975", "01/01/2000", "01/01/2001"],
        ["Lý Thị Gấm", "X", "03/03/1976", "01/01/2000", "01/01/2001"],
    ]})
    job = dry_run(people.staff_a, tree.district_a, content, default_cell=tree.cell_a1a)
    assert job.report["invalid"] == 0, job.report["problems"]
    commit(people.staff_a, job)
    assert {n: p.gender for n, p in _people().items()} == {"Trần Văn Đức": "M", "Vũ Thị Em": "F", "Lý Thị Gấm": "F"}


def test_it_reads_real_excel_dates_and_dates_typed_as_text(tree, people):
    content = template_file(
        member_row(name="A Một", birth=dt.datetime(1980, 5, 12), admitted=dt.datetime(2010, 10, 10), recognized=dt.datetime(2011, 10, 10)),
        member_row(name="A Hai", birth="5/3/1975", admitted="05-03-2000", recognized="5.3.2001"),
        member_row(name="A Ba", birth="1975-03-05", admitted="ngày 5 tháng 3 năm 2000", recognized=None),
    )
    job = commit(people.staff_a, dry_run(people.staff_a, tree.district_a, content, on=D(2000, 6, 1) + dt.timedelta(days=365 * 24)))
    found = _people()
    assert found["A Một"].birth_date == D(1980, 5, 12) and found["A Một"].membership.admitted_on == D(2010, 10, 10)
    assert found["A Hai"].birth_date == D(1975, 3, 5) and found["A Hai"].membership.recognized_on == D(2001, 3, 5)
    assert found["A Ba"].membership.admitted_on == D(2000, 3, 5)
    assert job.status == ImportJob.Status.DONE


def test_it_keeps_a_birth_year_alone_as_a_partial_date(tree, people):
    content = template_file(member_row(name="Năm Chữ", birth="1965"), member_row(name="Năm Số", birth=1966), member_row(name="Tháng", birth="03/1967"))
    commit(people.staff_a, dry_run(people.staff_a, tree.district_a, content))
    found = _people()
    assert (found["Năm Chữ"].birth_date, found["Năm Chữ"].birth_precision) == (D(1965, 1, 1), DatePrecision.YEAR)
    assert (found["Năm Số"].birth_date, found["Năm Số"].birth_precision) == (D(1966, 1, 1), DatePrecision.YEAR)
    assert (found["Tháng"].birth_date, found["Tháng"].birth_precision) == (D(1967, 3, 1), DatePrecision.MONTH)


def test_it_normalizes_names_in_capitals_with_stray_spaces_or_decomposed(tree, people):
    decomposed = unicodedata.normalize("NFD", "Hoàng Thị Huế")
    content = template_file(
        member_row(name="  NGUYỄN   VĂN  AN "), member_row(name="H'HEN NIÊ", gender="Nữ"), member_row(name=decomposed, gender="Nữ"),
        member_row(name="trần đại nghĩa"), member_row(name="Y Bhin Niê"),
    )
    commit(people.staff_a, dry_run(people.staff_a, tree.district_a, content))
    assert set(_people()) == {"Nguyễn Văn An", "H'Hen Niê", "Hoàng Thị Huế", "Trần Đại Nghĩa", "Y Bhin Niê"}
    assert Person.objects.get(full_name="Hoàng Thị Huế").full_name == unicodedata.normalize("NFC", "Hoàng Thị Huế")


def test_it_reads_one_sheet_per_cell(tree, people):
    header = ["Họ và tên", "Giới tính", "Ngày sinh", "Ngày kết nạp", "Ngày công nhận chính thức"]
    content = xlsx({
        "Chi bộ thôn A1a": [header, ["Đảng Viên Một", "Nam", "01/01/1970", "01/01/2000", "01/01/2001"]],
        "Thôn A1b": [["DANH SÁCH"], header, ["Đảng Viên Hai", "Nữ", "01/01/1971", "01/01/2000", "01/01/2001"],
                     ["Đảng Viên Ba", "Nam", "01/01/1972", "01/01/2000", "01/01/2001"]],
        "Danh mục": [["Dân tộc", "Tôn giáo"], ["Kinh", "Không"]],
    }, hidden={"Danh mục"})
    job = dry_run(people.staff_a, tree.district_a, content)
    assert [s["use"] for s in job.layout["sheets"]] == [True, True, False]
    assert job.report["taken"] == {"Chi bộ thôn A1a": [[2, 2]], "Thôn A1b": [[3, 4]]}
    commit(people.staff_a, job)
    placed = {m.person.full_name: m.organization_id for m in Member.objects.select_related("person")}
    assert placed == {"Đảng Viên Một": tree.cell_a1a.pk, "Đảng Viên Hai": tree.cell_a1b.pk, "Đảng Viên Ba": tree.cell_a1b.pk}


def test_it_takes_a_group_title_row_as_the_cell_of_the_rows_below(tree, people):
    header = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Ngày kết nạp", "Ngày công nhận chính thức"]
    content = xlsx({"DS": [
        header,
        ["I. Chi bộ thôn A1a"], [1, "Người Thứ Nhất", "Nam", "01/01/1970", "01/01/2000", "01/01/2001"],
        ["II. CHI BỘ THÔN A1B"], [1, "Người Thứ Hai", "Nữ", "01/01/1970", "01/01/2000", "01/01/2001"],
        [], ["Người lập biểu"],
    ]}, merges={"DS": ["A2:F2", "A4:F4"]})
    job = dry_run(people.staff_a, tree.district_a, content)
    assert job.report["invalid"] == 0, job.report["problems"]
    assert job.report["skipped_lines"] == [{"sheet": "DS", "row": 7, "text": "Người lập biểu"}]
    commit(people.staff_a, job)
    placed = {m.person.full_name: m.organization_id for m in Member.objects.select_related("person")}
    assert placed == {"Người Thứ Nhất": tree.cell_a1a.pk, "Người Thứ Hai": tree.cell_a1b.pk}


def test_it_reads_a_utf8_csv_with_a_bom(tree, people):
    content = csv_bytes([["Họ và tên", "Giới tính", "Ngày sinh", "Chi bộ", "Ngày kết nạp", "Ngày công nhận chính thức"],
                         ["Nguyễn Thị Hoa", "Nữ", "1980", "Chi bộ thôn A1a", "01/01/2010", "01/01/2011"]], delimiter=";")
    job = dry_run(people.staff_a, tree.district_a, content, name="ds.csv")
    assert job.layout["kind"] == "csv" and job.report["valid"] == 1
    commit(people.staff_a, job)
    assert Person.objects.get().full_name == "Nguyễn Thị Hoa"


def test_it_converts_a_list_typed_with_a_tcvn3_font(tree, people):
    legacy = [["Hä vµ tªn", "Giíi tÝnh", "Ngµy sinh", "Chi bé", "Ngµy kÕt n¹p", "Ngµy c«ng nhËn chÝnh thøc"],
              ["NguyÔn V¨n An", "Nam", "12/05/1980", "Chi bé th«n A1a", "10/10/2010", "10/10/2011"],
              ["TrÇn ThÞ B×nh", "N÷", "1975", "Chi bé th«n A1b", "10/10/2010", "10/10/2011"]]
    assert [excel.convert_legacy(t, "tcvn3") for t in legacy[0]] == ["Họ và tên", "Giới tính", "Ngày sinh", "Chi bộ", "Ngày kết nạp", "Ngày công nhận chính thức"]
    job = dry_run(people.staff_a, tree.district_a, xlsx({"DS": legacy}))
    assert "TCVN3" in job.report["notices"][0]
    assert job.report["invalid"] == 0, job.report["problems"]
    commit(people.staff_a, job)
    assert set(_people()) == {"Nguyễn Văn An", "Trần Thị Bình"}


def test_it_splits_name_columns_joins_address_columns_and_reads_variants(tree, people):
    content = xlsx({"DS": [
        ["Họ và tên đệm", "Tên", "Giới tính", "Ngày sinh", "Dân tộc", "Tôn giáo", "Quê quán", None, "Trình độ chuyên môn", "LLCT",
         "Văn hóa", "Chi bộ", "Ngày kết nạp", "Ngày chính thức"],
        [None, None, None, None, None, None, "Xã", "Huyện", None, None, None, None, None, None],
        ["Thạch Thị", "Sa Rết", "Nữ", "1980", "Khmer", "Phật giáo Hòa Hảo", "Xã An Phú", "Huyện A", "Đại học Luật", "Trung cấp",
         dt.datetime(2024, 12, 12), "Chi bộ thôn A1a", "01/01/2010", "01/01/2011"],
    ]}, merges={"DS": ["G1:H1"]})
    job = dry_run(people.staff_a, tree.district_a, content)
    assert job.report["invalid"] == 0, job.report["problems"]
    commit(people.staff_a, job)
    person = Person.objects.get()
    assert person.full_name == "Thạch Thị Sa Rết" and person.ethnicity == "05" and person.religion == "03"
    assert person.origin_text == "Xã An Phú, Huyện A"
    assert (person.qualification, person.qualification_field, person.theory_level) == (Qualification.UNIVERSITY, "Luật", TheoryLevel.INTERMEDIATE)
    assert person.education == "12/12"  # Excel had turned "12/12" into 12 December


def test_it_converts_an_old_csv_saved_with_a_vni_font(tree, people):
    lines = ["Hoï vaø teân,Giôùi tính,Ngaøy sinh,Chi boä,Ngaøy keát naïp,Ngaøy coâng nhaän chính thöùc",
             "Nguyeãn Vaên An,Nam,12/05/1980,Chi boä thoân A1a,10/10/2010,10/10/2011",
             "Traàn Thò Höông,Nöõ,1975,Chi boä thoân A1b,10/10/2010,10/10/2011"]
    content = "\r\n".join(lines).encode("latin-1")  # the bytes of the VNI font, not UTF-8
    job = dry_run(people.staff_a, tree.district_a, content, name="cu.csv")
    assert "VNI" in job.report["notices"][0] and job.report["invalid"] == 0, job.report["problems"]
    commit(people.staff_a, job)
    assert set(_people()) == {"Nguyễn Văn An", "Trần Thị Hương"}
