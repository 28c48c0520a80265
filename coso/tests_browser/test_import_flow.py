"""Issue #10, section 2, in a real Chromium: an office's list of one cell (no cell column, the
usual case) imported into that cell. The upload page proposes the cell itself as the default
cell, the mapping page keeps it, the first check passes and the members land in the cell.

Screenshots: artifacts/screenshots/i-*.png (1366 × 768 and, for the upload page a cell
secretary's office may use on a phone, 390 × 844).
"""

import re

import pytest
from playwright.sync_api import expect

from coso.access.models import Role
from coso.conftest import build_tree, make_user
from coso.imports.tests.files import xlsx
from coso.members.models import Member

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = ["STT", "Họ và tên", "Giới tính", "Năm sinh", "Dân tộc", "Tôn giáo", "Ngày vào Đảng", "Ngày chính thức"]
ROWS = [
    [1, "Nguyễn Văn An", "Nam", "1980", "Kinh", "Không", "10/10/2010", "10/10/2011"],
    [2, "Trần Thị Bình", "Nữ", "1985", "Kinh", "", "03/02/2012", "03/02/2013"],
    [3, "Hồ Văn Cường", "Nam", "1990", "Cơ Tu", "Không", "19/05/2015", "19/05/2016"],
    [4, "Bà Lê Thị Dung", "Nữ", "1978", "Kinh", "Không", "02/09/2009", "02/09/2010"],  # an honorific left in: a warning
]


def test_a_cells_list_without_a_cell_column_goes_into_that_cell_on_the_first_pass(live_server, page, watch, shot, tmp_path):
    base = live_server.url
    t = build_tree()
    make_user("staff_a", Role.ORG_STAFF, t.district_a)
    path = tmp_path / "ds-chi-bo-thon-a1a.xlsx"
    path.write_bytes(xlsx({"Sheet1": [["DANH SÁCH ĐẢNG VIÊN CHI BỘ THÔN A1A"], [], HEADER, *ROWS]}))
    log_in(page, base, "staff_a", "pw-staff_a")

    # 1. the cell's upload page: the cell is already the default cell
    page.goto(f"{base}/nhap-xuat/to-chuc/{t.cell_a1a.pk}/nhap/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chi bộ thôn A1a")
    default = page.get_by_label("Chi bộ cho các dòng không ghi chi bộ")
    expect(default).to_have_value(str(t.cell_a1a.pk))
    shot(page, "i-01-upload")
    page.set_input_files("input[name=file]", str(path))
    page.get_by_role("button", name="Tải lên và đọc tệp").click()

    # 2. the mapping page keeps it
    page.wait_for_url(re.compile(r"/lan-nhap/\d+/cot/$"))
    expect(page.get_by_label("Chi bộ cho các dòng không ghi chi bộ")).to_have_value(str(t.cell_a1a.pk))
    page.get_by_label("Ngày ghi nhận sinh hoạt tại chi bộ").fill("01/06/2024")
    shot(page, "i-02-mapping")
    page.get_by_role("button", name="Kiểm tra tệp (chưa ghi gì)").click()

    # 3. the first check passes: no error, the blanks said
    expect(page.get_by_role("button", name="Nhập 4 đảng viên")).to_be_visible()
    expect(page.get_by_text("Chưa rõ chi bộ")).to_have_count(0)
    expect(page.get_by_text("cột «Tôn giáo» 1 dòng")).to_be_visible()
    expect(page.get_by_text("Họ và tên bắt đầu bằng «Bà»")).to_be_visible()
    shot(page, "i-03-checked")
    page.get_by_role("button", name="Nhập 4 đảng viên").click()
    expect(page.get_by_text("Đã nhập", exact=False).first).to_be_visible()
    shot(page, "i-04-done")
    assert sorted(Member.objects.values_list("person__full_name", "organization_id")) == [
        ("Bà Lê Thị Dung", t.cell_a1a.pk), ("Hồ Văn Cường", t.cell_a1a.pk), ("Nguyễn Văn An", t.cell_a1a.pk),
        ("Trần Thị Bình", t.cell_a1a.pk)]

    # the data-quality page lists the name with its honorific among the cell's problems
    page.goto(f"{base}/chat-luong/to-chuc/{t.cell_a1a.pk}/")
    expect(page.get_by_text("Họ và tên còn danh xưng").first).to_be_visible()
    shot(page, "i-05-quality")

    # the upload page on a phone
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/nhap-xuat/to-chuc/{t.cell_a1a.pk}/nhap/")
    shot(page, "i-06-upload-phone")
    watch.assert_clean()
