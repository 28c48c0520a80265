"""A member's way through the pages in a real Chromium: a candidate is admitted, recognized as
official at the end of probation, transferred to another cell, received there by the receiving
cell's secretary, and found by a name typed without diacritics.

The dates lie in 2024-2025 so that the 12 months of probation have ended (the tree from
coso.conftest starts on 01/01/2024). Screenshots: artifacts/screenshots/m-*.png.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from coso.access.models import Role
from coso.conftest import build_tree, make_user
from coso.members import services
from coso.members.models import Member, Status
from coso.people.services import create_person

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_out(page):
    page.locator("form[action='/tai-khoan/dang-xuat/'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/tai-khoan/dang-nhap/$"))


def test_admit_recognize_transfer_receive_and_find_a_member(live_server, page, watch, shot):
    base = live_server.url
    t = build_tree()
    make_user("staff_a", Role.ORG_STAFF, t.district_a)
    make_user("secretary_a2", Role.CELL_SECRETARY, t.cell_a2)
    person = create_person(actor=None, full_name="Nguyễn Thị Hồng", gender="F", birth_date=dt.date(1998, 4, 12), education="12/12")
    candidate = services.add_candidate(actor=None, person=person, organization=t.cell_a1a, listed_on=dt.date(2024, 1, 10),
                                       course_completed_on=dt.date(2024, 1, 20), course_certificate="CN 45", introducers="Trần Văn An")
    log_in(page, base, "staff_a", "pw-staff_a")

    # 1. The candidates of the district; the candidate's page.
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Đảng viên").click()
    page.wait_for_url(re.compile(r"/dang-vien/$"))
    page.get_by_role("link", name="Quần chúng ưu tú", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quần chúng ưu tú")
    shot(page, "m-01-candidates")
    page.get_by_role("link", name="Nguyễn Thị Hồng").click()
    page.wait_for_url(re.compile(rf"/dang-vien/quan-chung/{candidate.pk}/$"))
    expect(page.get_by_test_id("candidate-state")).to_have_text("Đang bồi dưỡng")
    shot(page, "m-02-candidate")

    # 2. Admit: the form refuses an impossible date in Vietnamese, then admits.
    page.get_by_role("link", name="Kết nạp đảng viên").click()
    page.get_by_label("Ngày lễ kết nạp").fill("31/02/2024")
    page.get_by_label("Số quyết định kết nạp").fill("15-QĐ/ĐU")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("alert").filter(has_text="Ngày không hợp lệ")).to_be_visible()
    page.get_by_label("Ngày lễ kết nạp").fill("01/03/2024")
    page.get_by_label("Ngày quyết định kết nạp").fill("25/02/2024")
    page.get_by_label("Cơ quan ban hành").fill("Đảng ủy xã A1")
    shot(page, "m-03-admit-form")
    page.get_by_role("button", name="Lưu").click()
    member = Member.objects.get(person=person)
    page.wait_for_url(re.compile(rf"/dang-vien/{member.pk}/$"))
    expect(page.get_by_role("status")).to_contain_text("Đã kết nạp Nguyễn Thị Hồng vào Đảng.")
    expect(page.get_by_test_id("member-status")).to_have_text("Dự bị")
    expect(page.get_by_test_id("probation-ends")).to_contain_text("01/03/2025")
    shot(page, "m-04-admitted")

    # 3. Recognize at the end of the 12 months: the date is computed, not typed.
    page.get_by_role("link", name="Công nhận đảng viên chính thức").click()
    expect(page.get_by_test_id("intro")).to_contain_text("01/03/2025")
    page.get_by_label("Số quyết định").fill("40-QĐ/ĐU")
    page.get_by_label("Ngày quyết định").fill("15/03/2025")
    shot(page, "m-05-recognize-form")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(re.compile(rf"/dang-vien/{member.pk}/$"))
    expect(page.get_by_test_id("member-status")).to_have_text("Chính thức")
    expect(page.get_by_test_id("timeline")).to_contain_text("Công nhận đảng viên chính thức")

    # 4. Transfer to chi bộ cơ sở A2, picked by typing part of its name without diacritics.
    page.get_by_role("link", name="Giới thiệu chuyển sinh hoạt đảng").click()
    search = page.get_by_role("searchbox", name="Tìm để chọn")
    with page.expect_response(re.compile(r"/dang-vien/lua-chon-chi-bo/\?")):
        search.fill("co so a2")
    expect(page.get_by_label("Chuyển đến chi bộ (trong hệ thống)")).to_have_value(str(t.cell_a2.pk))
    page.get_by_label("Ngày giới thiệu").fill("20/03/2025")
    page.get_by_label("Số giấy giới thiệu sinh hoạt đảng").fill("GT 12")
    shot(page, "m-06-transfer-form")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(re.compile(rf"/dang-vien/{member.pk}/$"))
    expect(page.get_by_text("Đang chuyển sinh hoạt đến Chi bộ cơ sở A2")).to_be_visible()
    shot(page, "m-07-in-transit")
    log_out(page)

    # 5. The receiving cell's secretary finds the transfer in their worklist and records receipt.
    log_in(page, base, "secretary_a2", "pw-secretary_a2")
    page.goto(f"{base}/dang-vien/chuyen-sinh-hoat/?ngay=25/03/2025")
    receiving = page.get_by_test_id("transfers-receiving")
    expect(receiving).to_contain_text("Nguyễn Thị Hồng")
    expect(receiving).to_contain_text("GT 12")
    shot(page, "m-08-transfers-receiving")
    receiving.get_by_role("link", name="Tiếp nhận").click()
    expect(page.get_by_test_id("intro")).to_contain_text("Chi bộ cơ sở A2")
    page.get_by_label("Ngày tiếp nhận").fill("25/03/2025")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(re.compile(rf"/dang-vien/{member.pk}/$"))
    expect(page.get_by_test_id("timeline")).to_contain_text("Tiếp nhận sinh hoạt đảng")
    shot(page, "m-09-received")
    member.refresh_from_db()
    assert member.organization_id == t.cell_a2.pk and member.status == Status.OFFICIAL and not member.in_transit

    # 6. Find them in the cell's list by a name typed without diacritics (htmx swaps the table).
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Đảng viên").click()
    page.wait_for_url(re.compile(r"/dang-vien/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chi bộ cơ sở A2")
    with page.expect_response(re.compile(r"/dang-vien/\?.*tim=nguyen(\+|%20)thi(\+|%20)hong")) as response:
        page.get_by_label("Tìm theo tên hoặc số thẻ").fill("nguyen thi hong")
    assert response.value.request.headers.get("hx-request") == "true"
    rows = page.locator("#rows")
    expect(rows.get_by_role("link", name="Nguyễn Thị Hồng")).to_be_visible()
    expect(page.get_by_test_id("member-count")).to_contain_text("1 đảng viên")
    # the search is in the address, to share or reload (htmx pushes it after the swap: wait for it)
    expect(page).to_have_url(re.compile(r"tim=nguyen(\+|%20)thi"))
    shot(page, "m-10-found")
    rows.get_by_role("link", name="Nguyễn Thị Hồng").click()
    page.wait_for_url(re.compile(rf"/dang-vien/{member.pk}/$"))
    expect(page.get_by_test_id("member-status")).to_have_text("Chính thức")

    watch.assert_clean()


def test_the_member_list_and_worklists_fit_the_screen(live_server, page, watch, shot):
    """A fuller list (sensitive columns shown to organization staff) and the worklists."""
    base = live_server.url
    t = build_tree()
    make_user("staff_a", Role.ORG_STAFF, t.district_a)
    cells = [t.cell_a1a, t.cell_a1b, t.cell_a2]
    names = ["Trần Văn An", "Nguyễn Thị Bình", "Lê Văn Chí", "Phạm Thị Dung", "Hoàng Văn Em", "Võ Thị Giang", "Đặng Văn Hải",
             "Bùi Thị Khánh", "Đỗ Văn Long", "Hồ Thị Mai", "Ngô Văn Nam", "Dương Thị Oanh"]
    for i, name in enumerate(names):
        p = create_person(actor=None, full_name=name, gender="F" if "Thị" in name else "M", birth_date=dt.date(1950 + 4 * i, 1 + i % 12, 1 + i),
                          ethnicity="01" if i % 3 else "02", religion="00" if i % 4 else "02", national_id=None, education="12/12")
        admitted = dt.date(1984 + 3 * i, 3, 1) if i < 11 else dt.date(2023, 4, 1)
        services.record_existing_member(actor=None, person=p, organization=cells[i % 3], on=dt.date(2024, 1, 5), admitted_on=admitted,
                                        recognized_on=None if i == 11 else dt.date(admitted.year + 1, 3, 1), card_number=f"{10000 + i}")
    log_in(page, base, "staff_a", "pw-staff_a")
    page.goto(f"{base}/dang-vien/?ngay=01/03/2024")
    expect(page.get_by_test_id("member-count")).to_contain_text("12 đảng viên")
    shot(page, "m-11-list")
    page.goto(f"{base}/dang-vien/het-du-bi/?ngay=01/03/2024&so_ngay=60")
    expect(page.get_by_role("link", name="Dương Thị Oanh")).to_be_visible()
    shot(page, "m-12-probation")
    page.goto(f"{base}/dang-vien/huy-hieu/?ngay=01/03/2024")
    expect(page.get_by_test_id("badges")).to_contain_text("Trần Văn An")
    shot(page, "m-13-badges")
    an = Member.objects.get(person__full_name="Trần Văn An")
    page.goto(f"{base}/dang-vien/{an.pk}/")
    shot(page, "m-14-member")
    page.goto(f"{base}/dang-vien/them/")
    shot(page, "m-15-create-form")
    watch.assert_clean()
