"""The statistical report in a real Chromium at 1366x768: reached from the main navigation, it
shows the engine's numbers; a number opens the list of the records behind it; the rows of zeros
of the ethnicity table appear with the toggle. No sideways scroll, no CSP violation or failed
request. Screenshots: artifacts/screenshots/reports-*.png.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from coso.access.models import Role
from coso.conftest import build_tree, make_user
from coso.measures import engine
from coso.members import services
from coso.people.services import create_person

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = dt.date


def test_a_number_of_the_report_opens_the_members_behind_it(live_server, page, watch, shot):
    t = build_tree()
    make_user("staff_a", Role.ORG_STAFF, t.district_a)
    names = ["Nguyễn Thị Hoa", "Trần Văn Bình", "Lê Thị Cúc", "Phạm Văn Dũng", "Hồ Văn Em"]
    for i, name in enumerate(names):
        person = create_person(actor=None, full_name=name, gender="F" if "Thị" in name else "M", birth_date=D(1980 + i, 5, 1),
                               ethnicity="02" if i == 0 else "01", religion="00")
        services.record_existing_member(actor=None, person=person, organization=t.cell_a1a if i < 3 else t.cell_a2,
                                        on=D(2024, 1, 5), admitted_on=D(2010, 1, 1), recognized_on=D(2011, 1, 1))
    on = D(2024, 5, 1)
    log_in(page, live_server.url, "staff_a", "pw-staff_a")

    # 1. The report, from the main navigation, for a date.
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Báo cáo").click()
    page.wait_for_url(re.compile(r"/bao-cao/thong-ke/$"))
    page.get_by_label("Tính đến ngày").fill("01/05/2024")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo thống kê đảng viên, tổ chức đảng: Đảng bộ huyện A")
    members = page.get_by_test_id("section-members")
    commune_row = members.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Đảng bộ xã A1"))
    expected = engine.count("members", t.commune_a1, on=on)
    assert expected == 3
    expect(commune_row.get_by_role("cell").first).to_have_text(str(expected))
    shot(page, "reports-01-statistics")

    # 2. The rows of zeros of the ethnicity table are behind a toggle.
    ethnicity = page.get_by_test_id("section-ethnicity")
    expect(ethnicity.get_by_role("rowheader", name="Tày", exact=True)).to_be_visible()
    expect(ethnicity.get_by_role("rowheader", name="Mường", exact=True)).to_be_hidden()
    ethnicity.get_by_test_id("toggle-ethnicity").click()
    expect(ethnicity.get_by_role("rowheader", name="Mường", exact=True)).to_be_visible()

    # 3. The number opens the list of exactly those members.
    commune_row.get_by_role("link", name=str(expected)).first.click()
    page.wait_for_url(re.compile(r"/bao-cao/thong-ke/so-lieu/\?"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đảng viên: Đảng bộ xã A1")
    expect(page.get_by_test_id("figure-count")).to_have_text(str(expected))
    listed = page.get_by_test_id("figure-rows")
    expect(listed.locator("tbody tr")).to_have_count(expected)
    for name in names[:3]:
        expect(listed).to_contain_text(name)
    expect(listed).not_to_contain_text("Hồ Văn Em")
    shot(page, "reports-02-figure")

    # 4. Back to the report, same organization and date.
    page.get_by_role("link", name="Quay lại báo cáo").click()
    expect(page.get_by_test_id("report-dates")).to_contain_text("Tính đến ngày 01/05/2024")
    watch.assert_clean()
