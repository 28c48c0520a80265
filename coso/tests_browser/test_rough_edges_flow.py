"""The pages of issue #10 §4-5 and #11 §1.7 in a real Chromium: the member page on its date with an
exemption recorded ahead, the lifecycle form's confirmation, the audit log in Vietnamese, the
error pages in the layout, the user's own password page, the report's document date.
Screenshots: artifacts/screenshots/r-*.png (and /tmp/shots-rough when it exists)."""

import datetime as dt
import shutil
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from coso.access.models import Role
from coso.conftest import build_tree, make_user
from coso.lib.dates import fmt
from coso.members import services
from coso.organizations import services as org_services
from coso.people.services import create_person

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
KEEP = Path("/tmp/shots-rough")


def test_the_rough_edges_pages(live_server, page, watch, shot):
    base = live_server.url

    def snap(name):
        path = shot(page, f"r-{name}")
        if KEEP.is_dir():
            shutil.copy(path, KEEP / path.name)

    t = build_tree()
    make_user("staff_a", Role.ORG_STAFF, t.district_a)
    make_user("leader_a", Role.LEADER, t.district_a)
    org_services.rename_organization(actor=None, organization=t.cell_a2, name="Chi bộ Đông Hòa", valid_from=dt.date(2024, 2, 1))
    person = create_person(actor=None, full_name="Nguyễn Văn Đức", gender="M", birth_date=dt.date(1985, 4, 12))
    m = services.record_existing_member(actor=None, person=person, organization=t.cell_a1a, on=dt.date(2024, 1, 5),
                                        admitted_on=dt.date(2010, 1, 1), recognized_on=dt.date(2011, 1, 1))
    for name in ("Trần Văn Dũng", "Lê Thị Ánh", "Phạm Văn Duy"):
        p = create_person(actor=None, full_name=name, gender="M", birth_date=dt.date(1980, 1, 1))
        services.record_existing_member(actor=None, person=p, organization=t.cell_a1a, on=dt.date(2024, 1, 5),
                                        admitted_on=dt.date(2010, 1, 1), recognized_on=dt.date(2011, 1, 1))
    ahead = timezone.localdate() + dt.timedelta(days=60)
    lan = create_person(actor=None, full_name="Phan Thị Lan", gender="F", birth_date=dt.date(2000, 1, 1))
    candidacy = services.add_candidate(actor=None, person=lan, organization=t.cell_a1a, listed_on=dt.date(2024, 1, 10),
                                       course_completed_on=dt.date(2024, 1, 20))
    services.admit_candidate(actor=None, candidate=candidacy, admitted_on=dt.date(2024, 5, 2), decision_number="5-QĐ/ĐU")

    log_in(page, base, "staff_a", "pw-staff_a")
    # the lifecycle form: a date ahead needs the box
    page.goto(f"{base}/dang-vien/{m.pk}/su-kien/mien/")
    page.get_by_label("Ngày hiệu lực").fill(fmt(ahead))
    page.get_by_label("Số quyết định").fill("12-QĐ/ĐU")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("hãy đánh dấu “Xác nhận ghi trước”")).to_be_visible()
    snap("01-event-needs-confirmation")
    page.get_by_label("Xác nhận ghi trước").check()
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_test_id("later-events")).to_be_visible()
    expect(page.get_by_test_id("member-exempted")).to_have_count(0)
    snap("02-member-today-with-later-event")
    page.get_by_label("Tình trạng vào ngày").fill(fmt(ahead))
    page.get_by_role("button", name="Xem", exact=True).click()
    expect(page.get_by_test_id("member-exempted")).to_be_visible()
    snap("03-member-on-the-later-date")
    page.set_viewport_size({"width": 390, "height": 844})
    snap("04-member-mobile")
    page.set_viewport_size({"width": 1366, "height": 768})
    # the member list in the Vietnamese order
    page.goto(f"{base}/dang-vien/?ngay=01/03/2024")
    snap("05-member-list-order")
    # the candidates in training on a past date, as the dashboard counts them
    page.goto(f"{base}/dang-vien/quan-chung/?ngay=31/03/2024")
    expect(page.get_by_text("Phan Thị Lan")).to_be_visible()
    snap("05b-candidates-on-a-past-date")
    # the audit log
    page.goto(f"{base}/nhat-ky/")
    expect(page.get_by_test_id("audit")).to_contain_text("Đổi tên tổ chức đảng")
    expect(page.get_by_test_id("audit")).not_to_contain_text("organizations.organization")
    snap("06-audit-log")
    # the report's document date
    page.goto(f"{base}/bao-cao/thong-ke/?ngay=01/03/2024")
    expect(page.get_by_label("Ngày ghi trên văn bản")).to_be_visible()
    snap("07-report-export-choice")
    # the organization's children in order
    page.goto(f"{base}/to-chuc/{t.district_a.pk}/?ngay=01/03/2024")
    snap("08-organization-children")
    # a 404 in the layout
    page.goto(f"{base}/dang-vien/999999/")
    expect(page.get_by_test_id("error-page")).to_contain_text("Không tìm thấy")
    snap("09-error-404")
    # the user's own password page, from the user menu
    page.get_by_role("link", name="Đổi mật khẩu").click()
    page.locator("input[name=old_password]").fill("pw-staff_a")
    page.locator("input[name=new_password1]").fill("abc")
    page.locator("input[name=new_password2]").fill("abc")
    page.get_by_role("button", name="Lưu mật khẩu mới").click()
    expect(page.get_by_text("Mật khẩu quá ngắn")).to_be_visible()
    snap("10-password-change-refused")
    # a 403 in the layout
    page.locator("form[action='/tai-khoan/dang-xuat/'] button[type=submit]").click()
    log_in(page, base, "leader_a", "pw-leader_a")
    page.goto(f"{base}/nhat-ky/")
    expect(page.get_by_test_id("error-page")).to_contain_text("Bạn không có quyền")
    snap("11-error-403")
