import pytest
from django.core.management import CommandError, call_command

from .helpers import member

pytestmark = pytest.mark.django_db


def test_it_prints_the_count_of_each_check_for_a_subtree(tree, capsys):
    member(tree.cell_a1a, name="Đỗ Văn Học", education="")
    member(tree.cell_a1b, name="Phạm Văn Sạch")
    member(tree.cell_b1a, name="Ngô Văn Bên", education="")
    call_command("quality", "check", "--org", tree.district_a.code, "--date", "01/06/2024")
    out = capsys.readouterr().out
    assert "Đảng bộ huyện A, tính đến ngày 01/06/2024: 2 đảng viên, 1 người có vấn đề." in out
    assert [line.split()[:2] for line in out.splitlines() if line.startswith("missing_education")] == [["missing_education", "1"]]
    assert [line.split()[:2] for line in out.splitlines() if line.startswith("nid_format")] == [["nid_format", "0"]]
    assert "50,0 %  Giáo dục phổ thông (1/2)" in out


def test_it_refuses_an_unknown_organization_or_date(tree):
    with pytest.raises(CommandError, match="Không có tổ chức mã KHONG"):
        call_command("quality", "check", "--org", "KHONG")
    with pytest.raises(CommandError, match="Ngày không hợp lệ"):
        call_command("quality", "check", "--org", tree.district_a.code, "--date", "31/02/2024")
    with pytest.raises(CommandError, match="không hoạt động vào ngày 01/01/2020"):
        call_command("quality", "check", "--org", tree.district_a.code, "--date", "01/01/2020")


def test_its_help_is_readable():
    from coso.quality.management.commands.quality import Command

    assert "Chất lượng dữ liệu" in Command().create_parser("coso", "quality").format_help()
