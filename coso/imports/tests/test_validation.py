"""Every bad row named with its row number, its column as in the file and the reason, in Vietnamese."""

import datetime as dt

import pytest

from coso.audit.models import AuditEvent
from coso.imports.tests.files import commit, dry_run, member_row, problems, template_file, xlsx
from coso.members.bulk import Row, record_members
from coso.members.models import Member
from coso.organizations import services as organizations
from coso.organizations.models import Kind
from coso.people.models import Person

pytestmark = pytest.mark.django_db
D = dt.date


TAKEN = "Số định danh {id} đã có trong hồ sơ của một người khác. Nếu là cùng một người, hãy đề nghị tổ chức đảng cấp trên kiểm tra và chuyển hồ sơ đó."


def test_it_names_row_column_and_reason_of_each_bad_cell(tree, people):
    content = template_file(
        member_row(name="Đúng Hết"),                                          # row 4
        member_row(name=None),                                               # row 5
        member_row(name="Sai Ngày", birth="31/02/1980"),                     # row 6
        member_row(name="Sai Giới", gender="Không rõ"),                      # row 7
        member_row(name="Sai Dân Tộc", **{"Dân tộc": "Sao Hỏa"}),            # row 8
        member_row(name="Thiếu Kết Nạp", admitted=None, recognized=None),   # row 9
        member_row(name="Năm Hai Số", admitted="12/5/65", recognized=None),  # row 10
        member_row(name="Sai Học Vấn", **{"Giáo dục phổ thông": "lớp 12"}),  # row 11
        member_row(name="Tương Lai", recognized="01/01/2099"),               # row 12
    )
    job = dry_run(people.staff_a, tree.district_a, content)
    assert job.report["total"] == 9 and job.report["valid"] == 1 and job.report["invalid"] == 8
    assert problems(job) == [
        (5, "Họ và tên", "Thiếu họ và tên."),
        (6, "Ngày sinh", "Ngày sinh «31/02/1980»: ngày không có thật."),
        (7, "Giới tính", "Giới tính «Không rõ» không rõ: ghi Nam hoặc Nữ."),
        (8, "Dân tộc", "«Sao Hỏa» không có trong danh mục dân tộc."),
        (9, "Ngày kết nạp", "Thiếu ngày kết nạp."),
        (10, "Ngày kết nạp", "Ngày «12/5/65»: năm phải ghi đủ 4 chữ số."),
        (11, "Giáo dục phổ thông", "Ghi dạng lớp/hệ, ví dụ 12/12 hoặc 9/10, không phải «lớp 12»."),
        (12, "Ngày công nhận chính thức", "Ngày 01/01/2099 ở tương lai."),
    ]
    letters = {p["row"]: p["letter"] for p in job.report["problems"]}
    assert letters[5] == "A" and letters[6] == "D" and letters[9] == "P"


def test_it_checks_the_national_id_against_gender_and_birth_year(tree, people):
    content = template_file(
        member_row(name="Đúng Số", birth="12/05/1980", national_id="001080012345"),
        member_row(name="Thiếu Số", national_id="00108001234"),
        member_row(name="Sai Năm", birth="12/05/1981", national_id="001080012346"),
        member_row(name="Sai Giới Tính", gender="Nữ", national_id="001080012347"),
        member_row(name="Mất Số Không", national_id=1080012348),  # Excel dropped the leading zero
    )
    job = dry_run(people.staff_a, tree.district_a, content)
    assert problems(job) == [
        (5, "Số định danh cá nhân", "Số định danh cá nhân phải gồm đúng 12 chữ số."),
        (6, "Số định danh cá nhân", "Số định danh ứng với năm sinh 1980, khác với năm sinh 1981 trong hồ sơ."),
        (7, "Số định danh cá nhân", "Chữ số thứ tư (0) chỉ giới tính Nam, khác với giới tính trong hồ sơ."),
    ]
    assert job.report["valid"] == 2


def test_it_refuses_dates_out_of_order(tree, people):
    content = template_file(
        member_row(name="Chính Thức Sớm", admitted="10/10/2010", recognized="10/09/2011"),
        member_row(name="Quyết Định Muộn", admitted="10/10/2010", **{"Ngày quyết định kết nạp": "20/10/2010"}),
        member_row(name="Chưa Đủ Tuổi", birth="12/05/1995", admitted="01/01/2012", recognized="01/01/2013"),
        member_row(name="Sau Ngày Ghi Nhận", admitted="01/03/2025", recognized=None),
        member_row(name="Chính Thức Sau Ghi Nhận", admitted="01/01/2024", recognized="01/01/2025"),
    )
    job = dry_run(people.staff_a, tree.district_a, content, on=D(2024, 12, 1))
    assert problems(job) == [
        (4, "Ngày công nhận chính thức", "Ngày công nhận chính thức 10/09/2011 sớm hơn ngày kết nạp cộng 12 tháng dự bị (10/10/2011)."),
        (5, "Ngày quyết định kết nạp", "Ngày quyết định kết nạp 20/10/2010 sau ngày kết nạp 10/10/2010."),
        (6, "Ngày kết nạp", "Ngày kết nạp 01/01/2012 khi chưa đủ 18 tuổi (sinh 12/05/1995)."),
        (7, "Ngày kết nạp", "Ngày kết nạp 01/03/2025 sau ngày ghi nhận sinh hoạt 01/12/2024."),
        (8, "Ngày công nhận chính thức", "Ngày công nhận chính thức 01/01/2025 sau ngày ghi nhận sinh hoạt 01/12/2024: chọn ngày ghi nhận muộn hơn."),
    ]


def test_it_refuses_a_cell_outside_the_organization_or_that_is_not_a_cell(tree, people):
    content = template_file(
        member_row(name="Ở Huyện B", cell="Chi bộ thôn B1a"),
        member_row(name="Ở Đảng Bộ", cell="Đảng bộ xã A1"),
        member_row(name="Không Có", cell="Chi bộ thôn Z"),
        member_row(name="Theo Mã", cell=tree.cell_a1b.code),
        member_row(name="Không Ghi", cell=None),
    )
    job = dry_run(people.staff_a, tree.district_a, content)
    assert problems(job) == [
        (4, "Chi bộ", "Không tìm thấy chi bộ «Chi bộ thôn B1a» trong Đảng bộ huyện A vào ngày 01/06/2024."),
        (5, "Chi bộ", "«Đảng bộ xã A1» là Đảng bộ cơ sở, không phải chi bộ: đảng viên sinh hoạt ở chi bộ."),
        (6, "Chi bộ", "Không tìm thấy chi bộ «Chi bộ thôn Z» trong Đảng bộ huyện A vào ngày 01/06/2024."),
        (8, "Chi bộ", "Chưa rõ chi bộ: ghi tên chi bộ, đặt tên trang tính theo chi bộ, hoặc chọn chi bộ mặc định."),
    ]
    assert "Huyện B" not in str(job.report) and "B1" not in str(job.report["by_cell"])


def test_it_asks_for_the_code_when_two_cells_share_a_name(tree, people):
    twin = organizations.create_organization(actor=None, parent=tree.district_a, name="Chi bộ thôn A1a", kind=Kind.GRASSROOTS_CELL,
                                             valid_from=D(2024, 1, 1))
    content = template_file(member_row(name="Trùng Tên"), member_row(name="Ghi Mã", cell=f"Chi bộ thôn A1a ({twin.code})"))
    job = dry_run(people.staff_a, tree.district_a, content)
    assert problems(job) == [(4, "Chi bộ", f"Có 2 chi bộ tên «Chi bộ thôn A1a» trong Đảng bộ huyện A: ghi mã chi bộ ({tree.cell_a1a.code}, {twin.code}).")]
    assert job.report["by_cell"] == [["Chi bộ thôn A1a", 1]]


BORN = D(1980, 5, 12)


def _existing(tree, name="Đã Có Sẵn", birth=BORN, national_id=None, card="", cell=None):
    record_members([Row(person={"full_name": name, "gender": "M", "birth_date": birth, "national_id": national_id},
                        organization_id=(cell or tree.cell_a1a).pk, on=D(2024, 1, 1), admitted_on=D(2000, 1, 1),
                        recognized_on=D(2001, 1, 1), card_number=card)])


def test_it_flags_likely_duplicates_in_the_file_and_in_the_database(tree, people):
    _existing(tree, "Đã Có Sẵn", national_id="001080099999", card="11112222")
    _existing(tree, "Trùng Tên Tuổi")
    _existing(tree, "Ở Huyện Khác", cell=tree.cell_b1a)  # outside staff_a's scope: not compared, not named
    content = template_file(
        member_row(name="Nguyễn Văn An", national_id="001080012345", **{"Số thẻ đảng viên": "12345678"}),  # 4
        member_row(name="NGUYỄN VĂN AN", national_id="001080012345"),                                   # 5 same ID as 4
        member_row(name="Khác Người", **{"Số thẻ đảng viên": "12345678"}),                              # 6 same card as 4
        member_row(name="Người Mới", national_id="001080099999"),                                       # 7 ID in the database
        member_row(name="Người Mới Hai", **{"Số thẻ đảng viên": "11112222"}),                           # 8 card in the database
        member_row(name="Trùng Tên Tuổi"),                                                              # 9 name and birth in scope
        member_row(name="Ở Huyện Khác"),                                                                # 10 only outside the scope
    )
    job = dry_run(people.staff_a, tree.district_a, content)
    assert problems(job) == [
        (5, "Số định danh cá nhân", "Số định danh 001080012345 trùng với dòng 4."),
        (6, "Số thẻ đảng viên", "Số thẻ đảng viên 12345678 trùng với dòng 4."),
        (7, "Số định danh cá nhân", TAKEN.format(id="001080099999")),  # the holder is not named
        (8, "Số thẻ đảng viên", "Số thẻ đảng viên 11112222 đã cấp cho một đảng viên khác trong hệ thống."),
    ]
    assert problems(job, "warning") == [
        (5, "Họ và tên", "Có thể trùng: cùng họ tên và ngày sinh với dòng 4."),
        (9, "Họ và tên", "Có thể trùng với đảng viên Trùng Tên Tuổi (sinh 12/05/1980) đã có trong hệ thống."),
    ]
    assert job.report["valid"] == 3 and job.report["warned"] == 2  # warnings flag, they do not refuse


def test_it_checks_the_database_again_when_writing(tree, people):
    content = template_file(member_row(name="Người Một", national_id="001080012345"), member_row(name="Người Hai"))
    job = dry_run(people.staff_a, tree.district_a, content)
    assert job.report["invalid"] == 0
    _existing(tree, "Nhập Nơi Khác", national_id="001080012345")  # between the dry run and the decision
    job = commit(people.staff_a, job)
    assert job.status == "ready" and "không còn hợp lệ" in job.message
    assert problems(job) == [(4, "Số định danh cá nhân", TAKEN.format(id="001080012345"))]
    assert Member.objects.count() == 1  # only the one recorded meanwhile
    job = commit(people.staff_a, job, mode="valid_only")
    assert job.status == "done" and job.result["taken"] == {"Đảng viên": [[5, 5]]} and job.result["not_taken"] == {"Đảng viên": [[4, 4]]}


def test_it_says_which_sheet_a_duplicate_is_on(tree, people):
    header = ["Họ và tên", "Giới tính", "Ngày sinh", "Số định danh cá nhân", "Ngày kết nạp", "Ngày công nhận chính thức"]
    row = ["Hai Nơi", "Nam", "12/05/1980", "001080012345", "01/01/2000", "01/01/2001"]
    job = dry_run(people.staff_a, tree.district_a, xlsx({"Chi bộ thôn A1a": [header, row], "Chi bộ thôn A1b": [header, row]}))
    assert problems(job)[0] == (2, "Số định danh cá nhân", "Số định danh 001080012345 trùng với dòng 2 (trang tính «Chi bộ thôn A1a»).")


def test_it_audits_the_national_ids_of_a_file_that_others_hold(tree, people):
    """A file is a way to probe national IDs: each one found on someone else's record is audited,
    against the holder's id and without their name (the trail is read by others)."""
    _existing(tree, "Người Ở Huyện Khác", national_id="001080099999", cell=tree.cell_b1a)
    holder = Person.objects.get(national_id="001080099999")
    job = dry_run(people.staff_a, tree.district_a, template_file(member_row(name="Người Mới", national_id="001080099999")))
    assert "Người Ở Huyện Khác" not in str(job.report)
    event = AuditEvent.objects.get(event_type="people.national_id.refused")
    assert (event.actor, event.target_id, event.target_repr) == (people.staff_a, str(holder.pk), "")
    assert event.new["national_id"] == "001080099999"
