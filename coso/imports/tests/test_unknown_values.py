"""A file that does not say a member's ethnicity, religion, qualification or theory level leaves
it not known (""): counted under "Chưa rõ", never as Kinh, no religion or not trained."""

import datetime as dt

import pytest

from coso.imports.columns import COLUMNS
from coso.imports.exports import MemberExport
from coso.imports.tests.files import commit, dry_run, member_row, template_file, xlsx
from coso.measures import engine
from coso.measures.dimensions import UNKNOWN
from coso.organizations.scope import Scope
from coso.people.models import Person

pytestmark = pytest.mark.django_db
D = dt.date
ON = D(2024, 6, 1)
FOUR = ("ethnicity", "religion", "qualification", "theory_level")


def _four(name: str) -> tuple:
    return tuple(Person.objects.filter(full_name=name).values_list(*FOUR).get())


def test_it_leaves_the_fields_unknown_when_the_file_has_no_such_column(tree, people):
    header = ["Họ và tên", "Giới tính", "Ngày sinh", "Chi bộ", "Ngày kết nạp", "Ngày công nhận chính thức"]
    content = xlsx({"DS": [header,
                           ["Nguyễn Văn An", "Nam", "12/05/1980", "Chi bộ thôn A1a", "10/10/2010", "10/10/2011"],
                           ["Trần Thị Bình", "Nữ", "1975", "Chi bộ thôn A1b", "10/10/2010", "10/10/2011"]]})
    job = dry_run(people.staff_a, tree.district_a, content, on=ON)
    assert job.report["invalid"] == 0, job.report["problems"]
    assert [n for n in job.report["notices"] if "chưa rõ" in n] == [
        f"Tệp không có cột «{column}»: mục này của mọi đảng viên được ghi là chưa rõ."
        for column in ("Dân tộc", "Tôn giáo", "Trình độ chuyên môn", "Lý luận chính trị")]
    commit(people.staff_a, job)
    assert _four("Nguyễn Văn An") == _four("Trần Thị Bình") == ("", "", "", "")

    # the engine counts them under "Chưa rõ", not as Kinh, no religion or not trained
    by_ethnicity = engine.table(["members", "members.minority"], tree.district_a, by="ethnicity", on=ON)
    assert by_ethnicity.value("members") == 2 and by_ethnicity.value("members", UNKNOWN) == 2
    assert by_ethnicity.value("members", "01") == 0 and by_ethnicity.value("members.minority") == 0
    assert dict((k, label) for k, label, _v in by_ethnicity.rows)[UNKNOWN] == "Chưa rõ"
    for by, known in (("religion", "00"), ("qualification", "none"), ("theory", "none"), ("ethnic_group", "kinh")):
        found = engine.table(["members"], tree.district_a, by=by, on=ON)
        assert (found.value("members", UNKNOWN), found.value("members", known)) == (2, 0), by


def test_it_leaves_a_blank_cell_unknown_and_reads_what_is_written(tree, people):
    content = template_file(
        member_row(name="Trống Hết"),
        member_row(name="Ghi Chưa Rõ", **{"Dân tộc": "Chưa rõ", "Tôn giáo": "không rõ", "Trình độ chuyên môn": "Chưa rõ Luật",
                                          "Lý luận chính trị": "?"}),
        member_row(name="Ghi Đủ", **{"Dân tộc": "Kinh", "Tôn giáo": "Không", "Trình độ chuyên môn": "Chưa qua đào tạo",
                                     "Lý luận chính trị": "Chưa qua đào tạo"}),
    )
    job = dry_run(people.staff_a, tree.district_a, content, on=ON)
    assert job.report["invalid"] == 0, job.report["problems"]
    assert not [n for n in job.report["notices"] if "Tệp không có cột" in n]  # the columns are there
    # the blanks (not "Chưa rõ" written) are counted in the report (test_cell_lists.py)
    assert job.report["blank_unknown"] == [["Dân tộc", 1], ["Tôn giáo", 1], ["Giáo dục phổ thông", 3], ["Trình độ chuyên môn", 1],
                                           ["Lý luận chính trị", 1]]
    commit(people.staff_a, job)
    assert _four("Trống Hết") == _four("Ghi Chưa Rõ") == ("", "", "", "")
    assert Person.objects.get(full_name="Ghi Chưa Rõ").qualification_field == "Luật"
    assert _four("Ghi Đủ") == ("01", "00", "none", "none")
    table = engine.table(["members"], tree.district_a, by="ethnicity", on=ON)
    assert (table.value("members", UNKNOWN), table.value("members", "01")) == (2, 1)


def test_it_exports_an_unknown_value_as_chua_ro(tree, people):
    commit(people.staff_a, dry_run(people.staff_a, tree.district_a, template_file(member_row(name="Trống Hết")), on=ON))
    exporter = MemberExport(scope=Scope(people.staff_a), organization=tree.district_a, on=ON)
    (row,) = list(exporter.rows())
    values = dict(zip((c.name for c in COLUMNS), row, strict=True))
    assert [values[name] for name in FOUR] == ["Chưa rõ"] * 4  # read back as "" (test_exports: imports back unchanged)
