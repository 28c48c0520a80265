"""Resolutions and targets in a real Chromium at 1366x768: a committee term is declared, a
resolution registered with the number the register proposes, two targets added (one computed from
the records, one reported), a member's admission recorded through the members' pages changes the
computed target's status, a mid-term review is adopted and exported to Excel and PDF; the cascade and
the register's list.
Screenshots: artifacts/screenshots/resolutions-*.png.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from coso.access.models import Role
from coso.conftest import build_tree, make_user
from coso.members import services as members
from coso.people.services import create_person
from coso.resolutions.models import Document
from coso.targets.models import Review

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_a_resolution_follow_its_targets_and_adopt_a_review(live_server, page, watch, shot):
    base = live_server.url
    t = build_tree()
    make_user("staff_a", Role.ORG_STAFF, t.district_a)
    person = create_person(actor=None, full_name="Nguyễn Thị Hồng", gender="F", birth_date=dt.date(1998, 4, 12))
    candidate = members.add_candidate(actor=None, person=person, organization=t.cell_a1a, listed_on=dt.date(2024, 1, 10),
                                      course_completed_on=dt.date(2024, 1, 20))
    log_in(page, base, "staff_a", "pw-staff_a")

    # 1. The register, the committee's term.
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Nghị quyết", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sổ đăng ký văn bản")
    page.get_by_role("link", name="Nhiệm kỳ cấp ủy").click()
    page.locator("#id_name").fill("2024–2029")
    page.get_by_label("Bắt đầu từ ngày").fill("01/01/2024")
    page.get_by_role("button", name="Khai báo").click()
    expect(page.get_by_test_id("terms")).to_contain_text("2024–2029")
    shot(page, "resolutions-01-terms")

    # 2. Register a resolution: the next number is proposed beside the number box.
    page.goto(f"{base}/van-ban/dang-ky/")
    page.get_by_label("Loại văn bản").select_option("nq")
    page.get_by_label("Ngày ban hành").fill("15/01/2024")
    page.get_by_label("Ngày ban hành").blur()
    expect(page.get_by_test_id("proposal")).to_contain_text("01-NQ/HU")
    page.get_by_label("Trích yếu").fill("Về xây dựng hệ thống chính trị cơ sở vững mạnh toàn diện")
    page.get_by_label("Người ký", exact=True).fill("Nguyễn Văn Bí Thư")
    shot(page, "resolutions-02-register")
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    expect(page.get_by_test_id("symbol")).to_have_text("01-NQ/HU")
    document = Document.objects.get()
    shot(page, "resolutions-03-document")

    # 3. Two targets: admissions counted from the records, an income figure reported.
    page.get_by_role("link", name="Chỉ tiêu và tiến độ").click()
    for code, text, numerator, threshold in (("1", "Kết nạp ít nhất 1 đảng viên mới trong nhiệm kỳ", "events.admitted", "1"),
                                              ("2", "Thu nhập bình quân đầu người đạt 60 triệu đồng", "", "60")):
        page.get_by_role("link", name="Thêm chỉ tiêu").click()
        page.get_by_label("Mã chỉ tiêu").fill(code)
        page.get_by_label("Nội dung chỉ tiêu (như trong văn bản)").fill(text)
        page.get_by_label("Số liệu (tử số)").select_option(numerator)
        page.get_by_label("Mức chỉ tiêu").fill(threshold)
        if numerator:  # each cell is expected to meet it too: the cascade shows who does
            page.get_by_label("Giao cho từng tổ chức cấp dưới").check()
        page.get_by_role("button", name="Thêm chỉ tiêu").click()
        expect(page.get_by_role("status")).to_contain_text(f"Đã thêm chỉ tiêu {code}")
    page.goto(f"{base}/chi-tieu/van-ban/{document.pk}/?ngay=01/06/2024")
    computed = page.get_by_test_id("computed")
    expect(computed.get_by_test_id("status")).to_have_text("Chưa đạt")
    expect(page.get_by_test_id("headline")).to_contain_text("0/2 chỉ tiêu đạt và vượt")
    shot(page, "resolutions-04-dashboard-before")

    # 4. The admission, recorded through the members' pages, changes the status.
    page.goto(f"{base}/dang-vien/quan-chung/{candidate.pk}/ket-nap/")
    page.get_by_label("Ngày lễ kết nạp").fill("01/03/2024")
    page.get_by_label("Số quyết định kết nạp").fill("15-QĐ/ĐU")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_test_id("member-status")).to_have_text("Dự bị")
    page.goto(f"{base}/chi-tieu/van-ban/{document.pk}/?ngay=01/06/2024")
    expect(page.get_by_test_id("computed").get_by_test_id("status")).to_have_text("Đạt")
    expect(page.get_by_test_id("headline")).to_contain_text("1/2 chỉ tiêu đạt và vượt")
    shot(page, "resolutions-05-dashboard-after")
    page.get_by_role("link", name="Kết nạp ít nhất 1 đảng viên mới trong nhiệm kỳ").click()
    expect(page.get_by_test_id("value")).to_contain_text("1")
    page.wait_for_function("document.querySelector('#target-chart') && document.querySelector('#target-chart').width > 0")
    shot(page, "resolutions-06-target")

    # 5. A mid-term review: prefilled, adopted, exported.
    page.goto(f"{base}/chi-tieu/van-ban/{document.pk}/?ngay=01/06/2024")
    page.get_by_label("Loại").select_option("midterm")
    page.get_by_role("button", name="Lập bảng").click()
    page.wait_for_url(re.compile(r"/chi-tieu/so-ket/\d+/$"))
    expect(page.get_by_test_id("review-lines")).to_contain_text("Đạt")
    page.get_by_test_id("adopt").click()
    expect(page.get_by_test_id("review-state")).to_have_text("Đã thông qua")
    assert Review.objects.get().state == Review.State.ADOPTED
    shot(page, "resolutions-07-review")
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")

    # 6. The cascade: each lower organization against the admissions target; the register's list.
    target = document.targets.get(code="1")
    page.goto(f"{base}/chi-tieu/{target.pk}/cap-duoi/?ngay=01/06/2024")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shot(page, "resolutions-08-cascade")
    page.goto(f"{base}/van-ban/")
    expect(page.get_by_role("cell", name="01-NQ/HU")).to_be_visible()
    shot(page, "resolutions-09-register")

    # 7. On a phone (a cell secretary reads the district's targets): no sideways scroll.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/chi-tieu/van-ban/{document.pk}/?ngay=01/06/2024")
    expect(page.get_by_test_id("headline")).to_contain_text("1/2")
    shot(page, "resolutions-10-phone-dashboard")
    page.goto(f"{base}/van-ban/")
    shot(page, "resolutions-11-phone-register")
    watch.assert_clean()
