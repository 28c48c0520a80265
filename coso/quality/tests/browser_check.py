"""The quality page in a real Chromium at 1366x768: no sideways scroll, no CSP violation, the
filter select submits itself and opens at the list. Screenshots in artifacts/screenshots/quality-*.png.

Not collected by the suite (the name does not start with test_): it borrows the session browser
of coso/tests_browser/conftest.py, and a second session browser in the same run would clash.
Run it alone: `.venv/bin/pytest coso/quality/tests/browser_check.py`; it belongs in
coso/tests_browser/ once that folder takes it."""

import pytest
from playwright.sync_api import expect

from coso.access.models import Role
from coso.conftest import build_tree, make_user
from coso.tests_browser.conftest import browser, log_in, page, screenshot_dir, shot, watch  # noqa: F401

from .helpers import D, members, national_id, row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_quality_page_at_1366_px(live_server, page, watch, shot):  # noqa: F811
    t = build_tree()
    make_user("staff", Role.ORG_STAFF, t.district_a)
    spoiled = [
        lambda i: {"education": ""}, lambda i: {"theory_level": ""}, lambda i: {"gender": "F", "national_id": f"00208000{i:04d}"},
        lambda i: {"national_id": f"00308000{i:04d}"}, lambda i: {"residence_text": ""}, lambda i: {"birth": None},
        lambda i: {"religion": ""}, lambda i: {},
    ]
    rows = [row(t.cell_a1a if i % 2 else t.cell_a1b, name=f"Nguyễn Văn Thành {i}", **spoiled[i % len(spoiled)](i)) for i in range(64)]
    rows += [row(t.cell_a2, name="Trần Thị Dự Bị", gender="F", national_id=national_id("F", D(1980, 5, 1)),
                 admitted_on=D(2022, 9, 1), recognized_on=None)]
    members(*rows)
    log_in(page, live_server.url, "staff", "pw-staff")
    page.goto(f"{live_server.url}/to-chuc/{t.district_a.pk}/?ngay=01/06/2024")
    page.get_by_role("link", name="Chất lượng dữ liệu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chất lượng dữ liệu: Đảng bộ huyện A")
    shot(page, "quality-01-overview")
    page.get_by_label("Lọc theo vấn đề").select_option("probation_overdue")
    expect(page.get_by_role("heading", name="Đảng viên có vấn đề: Quá hạn xét công nhận đảng viên chính thức")).to_be_visible()
    expect(page.get_by_test_id("problem-members")).to_contain_text("Trần Thị Dự Bị")
    expect(page.get_by_test_id("problem-members")).to_be_in_viewport()  # the page opens at the list
    shot(page, "quality-02-filtered")
    watch.assert_clean()
