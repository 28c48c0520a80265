"""A cell secretary's month on a phone (390 × 844) in a real Chromium: the secretary's page shows
what is due, a meeting is recorded from the form, attendance is marked by tapping (the row and the
summary change without a page load), and a member absent without reason in a third month of the
year appears on the removal (xóa tên) list with the rule cited, still a member.

Earlier meetings (January and February 2025, the member absent without reason at both) are
recorded through the services; the dues of March are tapped too. The March meeting links the
resolution the cell registered in the document register; a member's commendation shows on their
page. Screenshots: artifacts/screenshots/act-*.png (the secretary's page and the member page at
390 × 844 and 1366 × 768).
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from coso.access.models import Role
from coso.activities import services
from coso.activities.models import Mark
from coso.conftest import build_tree, make_user
from coso.members import lifecycle
from coso.members import services as member_services
from coso.members.models import Member
from coso.people.services import create_person
from coso.resolutions import services as register
from coso.resolutions.symbols import DocumentKind

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
D = dt.date


def _member(cell, name):
    person = create_person(actor=None, full_name=name, gender="M", birth_date=D(1980, 5, 1))
    return member_services.record_existing_member(actor=None, person=person, organization=cell, on=D(2024, 1, 2),
                                                  admitted_on=D(2010, 1, 1), recognized_on=lifecycle.add_months(D(2010, 1, 1), 12))


def test_a_secretary_records_a_meeting_taps_attendance_and_sees_the_removal_list(live_server, page, watch, shot):
    base = live_server.url
    t = build_tree()
    make_user("secretary_a1a", Role.CELL_SECRETARY, t.cell_a1a)
    names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em"]
    roll = {name: _member(t.cell_a1a, name) for name in names}
    absent = roll["Nguyễn Văn An"]
    for m in roll.values():
        services.set_dues_profile(actor=None, member=m, valid_from=D(2024, 1, 1), income_kind="other", area="other")
    for month in (1, 2):
        m = services.record_meeting(actor=None, organization=t.cell_a1a, held_on=D(2025, month, 10))
        services.mark_attendance(actor=None, meeting=m, member_id=absent.pk, mark=Mark.UNEXCUSED)
    register.open_term(actor=None, organization=t.cell_a1a, name="2025–2030", starts_on=D(2025, 1, 1))
    resolution = register.register_document(actor=None, organization=t.cell_a1a, kind=DocumentKind.RESOLUTION, issued_on=D(2025, 3, 10),
                                            subject="Nghị quyết sinh hoạt chi bộ tháng 3/2025")

    page.set_viewport_size(PHONE)
    log_in(page, base, "secretary_a1a", "pw-secretary_a1a")

    # 1. The secretary's page on 15/03/2025: March is still to hold.
    page.goto(f"{base}/sinh-hoat/?ngay=15/03/2025")
    page.wait_for_url(re.compile(rf"/sinh-hoat/chi-bo/{t.cell_a1a.pk}/"))
    page.goto(f"{base}/sinh-hoat/chi-bo/{t.cell_a1a.pk}/?ngay=15/03/2025")
    expect(page.get_by_test_id("due")).to_contain_text("Chưa sinh hoạt thường kỳ tháng 03/2025")
    expect(page.get_by_test_id("removal-count")).to_have_text("0")
    shot(page, "act-01-secretary-page-390")

    # 2. Record the March meeting from the form.
    page.get_by_role("link", name="Ghi buổi sinh hoạt").click()
    page.get_by_label("Ngày họp").fill("10/03/2025")
    page.get_by_label("Giờ bắt đầu").fill("19:30")
    page.get_by_label("Giờ kết thúc").fill("21:00")
    page.get_by_label("Địa điểm").fill("Nhà văn hóa thôn")
    page.get_by_label("Nghị quyết đã đăng ký trong sổ văn bản").select_option(str(resolution.pk))
    shot(page, "act-02-meeting-form-390")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(re.compile(r"/sinh-hoat/\d+/$"))
    expect(page.get_by_test_id("resolution")).to_contain_text(resolution.symbol)
    expect(page.get_by_test_id("roster")).to_have_text("5")
    expect(page.get_by_test_id("present")).to_have_text("5")

    # 3. Tap: An absent without reason; Bình excused, first without a reason (asked for), then with one.
    row = page.locator(f"#att-{absent.pk}")
    row.get_by_role("button", name="Không lý do").click()
    expect(page.locator(f"#att-{absent.pk}")).to_have_attribute("data-mark", "unexcused")
    expect(page.get_by_test_id("unexcused")).to_have_text("1")
    expect(page.get_by_test_id("present")).to_have_text("4")
    binh = roll["Trần Thị Bình"].pk
    page.locator(f"#att-{binh}").get_by_role("button", name="Có lý do").click()
    expect(page.locator(f"#att-{binh}").get_by_test_id("row-error")).to_contain_text("hãy ghi lý do")
    page.locator(f"#att-{binh} input[name=reason]").fill("Ốm, nằm viện")
    page.locator(f"#att-{binh}").get_by_role("button", name="Có lý do").click()
    expect(page.locator(f"#att-{binh}")).to_have_attribute("data-mark", "excused")
    expect(page.get_by_test_id("rate")).to_have_text("60,0%")
    shot(page, "act-03-attendance-tapped-390")

    # 4. The dues of March: Cường pays (6,000 đ under 03-HD/VPTW), the totals change in place.
    page.goto(f"{base}/sinh-hoat/chi-bo/{t.cell_a1a.pk}/dang-phi/?thang=03/2025")
    expect(page.get_by_test_id("dues-expected")).to_have_text("30.000 đ")
    cuong = roll["Lê Văn Cường"].pk
    page.locator(f"#dues-{cuong}").get_by_role("button", name="Đã đóng").click()
    expect(page.locator(f"#dues-{cuong}")).to_have_attribute("data-paid", "1")
    expect(page.get_by_test_id("dues-collected")).to_have_text("6.000 đ")
    shot(page, "act-04a-dues-390")

    # 5. The removal list: An, absent without reason in three months of 2025, with the rule; still a member.
    page.goto(f"{base}/sinh-hoat/chi-bo/{t.cell_a1a.pk}/?ngay=31/03/2025")
    expect(page.get_by_test_id("removal-count")).to_have_text("1")
    shot(page, "act-04-secretary-page-after-390")
    page.get_by_role("link", name="Đảng viên thuộc diện xem xét xóa tên").click()
    expect(page.get_by_test_id("removal")).to_contain_text("Nguyễn Văn An")
    expect(page.get_by_test_id("removal")).to_contain_text("01/2025, 02/2025, 03/2025")
    expect(page.get_by_test_id("rule")).to_contain_text("Điều 8")
    shot(page, "act-05-removal-list-390")
    assert Member.objects.get(pk=absent.pk).status == "official"

    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{base}/sinh-hoat/chi-bo/{t.cell_a1a.pk}/?ngay=31/03/2025")
    shot(page, "act-06-secretary-page-1366")

    # 6. A commendation of Bình shows on her page, at both sizes.
    services.record_commendation(actor=None, organization=t.cell_a1a, member=roll["Trần Thị Bình"], form="praise",
                                 title="Hoàn thành xuất sắc nhiệm vụ năm 2024", decision_number="01-QĐ/CB", decided_on=D(2025, 1, 15),
                                 awarded_by=t.cell_a1a)
    page.goto(f"{base}/dang-vien/{binh}/?ngay=31/03/2025")
    expect(page.get_by_test_id("award")).to_contain_text("Hoàn thành xuất sắc nhiệm vụ năm 2024")
    shot(page, "act-07-member-page-1366")
    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.get_by_test_id("award")).to_contain_text("01-QĐ/CB")
    shot(page, "act-08-member-page-390")
    watch.assert_clean()
