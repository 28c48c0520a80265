"""The first minutes of a newcomer on the demo (issue #10, section 1), in a real Chromium.

- `nuithanh.tochuc`, whose district ended on 01/07/2025: every page opens on 30/06/2025, full,
  with one line saying why; the organization picker finds "nui thanh" for 31/03/2024; a
  mistyped date is an error, not today; no member action and no import (read-only).
- `ducphu.bithu`, the README's first account, whose cell of xã Đức Phú exists today: every page
  opens full on today's date, without the line.

The demo is built once inside the test (a live server needs committed rows, flushed afterwards).
Screenshots: artifacts/screenshots/first-*.png (and /tmp/shots-newcomer when it exists).
"""

import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from coso.data.demo.builder import PASSWORD
from coso.lib.dates import fmt
from coso.organizations.models import Kind, Placement

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

LAST = "30/06/2025"
COPY = Path("/tmp/shots-newcomer")


def _menu(page, name):
    page.locator("#nav-areas").get_by_role("link", name=name, exact=True).click()
    page.wait_for_load_state("load")


def _member_rows(page):
    return page.locator("table tbody tr a[href*='/dang-vien/']")


def _keep(path):
    if COPY.is_dir():
        shutil.copy(path, COPY / path.name)


def _log_out(page):
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(re.compile(r"/tai-khoan/dang-nhap/"))


def test_the_first_minutes_of_an_account_whose_organization_ended_and_of_one_that_exists(page, live_server, shot, watch, settings):
    settings.COSO_DEMO = True  # the demo's accounts keep the demo's password (make run sets it)
    call_command("places", "load", verbosity=0)
    call_command("demo", verbosity=0)
    today = fmt(timezone.localdate())

    # -- nuithanh.tochuc: the district ended on 01/07/2025
    log_in(page, live_server.url, "nuithanh.tochuc", PASSWORD)
    line = page.get_by_test_id("workday")
    expect(line).to_contain_text(LAST)
    expect(line).to_contain_text("Đảng bộ huyện Núi Thành")
    expect(page.locator(".org-tree")).to_contain_text("Đảng bộ huyện Núi Thành")
    _keep(shot(page, "first-01-nuithanh-tree"))

    _menu(page, "Đảng viên")
    expect(page.get_by_test_id("workday")).to_contain_text(LAST)
    expect(page.locator("#pick_ngay")).to_have_value(LAST)
    expect(page.get_by_test_id("member-count")).to_be_visible()
    assert _member_rows(page).count() > 10
    assert page.get_by_role("link", name="Nhập từ Excel").count() == 0  # read-only: no import
    _keep(shot(page, "first-02-nuithanh-members"))

    _member_rows(page).first.click()
    page.wait_for_load_state("load")
    assert page.get_by_role("toolbar", name="Ghi nhận sự kiện").count() == 0  # no member actions
    expect(page.get_by_test_id("timeline")).to_be_visible()
    _keep(shot(page, "first-03-nuithanh-member"))

    page.goto(f"{live_server.url}{reverse('members:candidates')}")
    expect(page.get_by_test_id("workday")).to_contain_text(LAST)
    expect(page.locator("#pick_to_chuc")).to_contain_text("Đảng bộ huyện Núi Thành")
    _keep(shot(page, "first-04-nuithanh-candidates"))

    _menu(page, "Báo cáo")
    expect(page.get_by_test_id("workday")).to_contain_text(LAST)
    expect(page.get_by_test_id("report-dates")).to_contain_text(LAST)
    assert page.locator("section[data-testid^='section-']").count() > 3
    # the picker searches the tree of the date in the box
    page.locator("#report_ngay").fill("31/03/2024")
    page.locator(".search-select input[type=search]").fill("nui thanh")
    expect(page.locator("#report_to_chuc option", has_text="Núi Thành").first).to_be_attached()
    page.locator(".search-select input[type=search]").fill("tam son")
    expect(page.locator("#report_to_chuc option", has_text="Tam Sơn").first).to_be_attached()
    _keep(shot(page, "first-05-nuithanh-report"))

    _menu(page, "Tổng quan")
    expect(page.get_by_test_id("workday")).to_contain_text(LAST)
    expect(page.get_by_test_id("dashboard-dates")).to_contain_text(LAST)
    expect(page.get_by_test_id("card-members")).to_be_visible()
    _keep(shot(page, "first-06-nuithanh-dashboard"))

    # a mistyped date is an error, never today
    page.locator("#pick_ngay").fill("31/02/2024")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_load_state("load")
    expect(page.get_by_test_id("workday-error")).to_contain_text("Ngày không hợp lệ")
    expect(page.locator("#pick_ngay")).to_have_value("31/02/2024")
    _keep(shot(page, "first-07-nuithanh-bad-date"))

    # the import into a cell of the dissolved committee: refused, saying why, in the layout
    cell_id = Placement.objects.filter(kind=Kind.SUBORDINATE_CELL).values_list("organization_id", flat=True).first()
    response = page.goto(f"{live_server.url}{reverse('imports:upload', args=[cell_id])}")
    assert response.status == 403
    expect(page.get_by_test_id("read-only")).to_contain_text("đã kết thúc hoạt động")
    _keep(shot(page, "first-08-nuithanh-import-refused"))
    watch.bad_responses.clear()  # that 403 was the point
    watch.console_errors[:] = [e for e in watch.console_errors if "status of 403" not in e]
    _log_out(page)

    # -- ducphu.bithu: a cell of xã Đức Phú, which exists today
    log_in(page, live_server.url, "ducphu.bithu", PASSWORD)
    assert page.get_by_test_id("workday").count() == 0
    expect(page.locator(".org-tree")).to_contain_text("Chi bộ")
    _keep(shot(page, "first-11-ducphu-tree"))

    _menu(page, "Đảng viên")
    assert page.get_by_test_id("workday").count() == 0
    expect(page.locator("#pick_ngay")).to_have_value(today)
    assert _member_rows(page).count() > 3
    _keep(shot(page, "first-12-ducphu-members"))

    _member_rows(page).first.click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("toolbar", name="Ghi nhận sự kiện")).to_be_visible()  # it may write
    _keep(shot(page, "first-13-ducphu-member"))

    _menu(page, "Báo cáo")
    expect(page.get_by_test_id("report-dates")).to_contain_text(today)
    assert page.locator("section[data-testid^='section-']").count() > 3
    _keep(shot(page, "first-14-ducphu-report"))

    _menu(page, "Tổng quan")
    expect(page.get_by_test_id("dashboard-dates")).to_contain_text(today)
    expect(page.get_by_test_id("card-members")).to_be_visible()
    _keep(shot(page, "first-15-ducphu-dashboard"))

    page.set_viewport_size({"width": 390, "height": 844})
    assert page.goto(f"{live_server.url}{reverse('members:list')}").ok
    _keep(shot(page, "first-16-ducphu-members-390"))
    watch.assert_clean()
