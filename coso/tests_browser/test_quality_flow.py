"""The data quality page in a real Chromium at 1366x768: reached from the organization's page,
no sideways scroll, no CSP violation or failed request, and the problem filter submits itself
and opens the page at the list of members concerned. Screenshots: artifacts/screenshots/quality-*.png.
"""

import pytest
from playwright.sync_api import expect

from coso.access.models import Role
from coso.conftest import build_tree, make_user
from coso.quality.tests.helpers import D, members, national_id, row

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# one field spoiled per member, in turn: every kind of problem the page counts shows up
SPOILED = [
    lambda i: {"education": ""}, lambda i: {"theory_level": ""}, lambda i: {"gender": "F", "national_id": f"00208000{i:04d}"},
    lambda i: {"national_id": f"00308000{i:04d}"}, lambda i: {"residence_text": ""}, lambda i: {"birth": None},
    lambda i: {"religion": ""}, lambda i: {},
]


def test_the_quality_page_filters_to_the_members_with_a_problem(live_server, page, watch, shot):
    t = build_tree()
    make_user("staff", Role.ORG_STAFF, t.district_a)
    rows = [row(t.cell_a1a if i % 2 else t.cell_a1b, name=f"Nguyễn Văn Thành {i}", **SPOILED[i % len(SPOILED)](i)) for i in range(64)]
    # admitted 01/09/2022: 12 months of probation end 01/09/2023, unrecognized long past the 30 working days
    rows.append(row(t.cell_a2, name="Trần Thị Dự Bị", gender="F", national_id=national_id("F", D(1980, 5, 1)),
                    admitted_on=D(2022, 9, 1), recognized_on=None))
    members(*rows)
    log_in(page, live_server.url, "staff", "pw-staff")

    page.goto(f"{live_server.url}/to-chuc/{t.district_a.pk}/?ngay=01/06/2024")
    page.get_by_role("link", name="Chất lượng dữ liệu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chất lượng dữ liệu: Đảng bộ huyện A")
    shot(page, "quality-01-overview")

    page.get_by_label("Lọc theo vấn đề").select_option("probation_overdue")
    expect(page.get_by_role("heading", name="Đảng viên có vấn đề: Quá hạn xét công nhận đảng viên chính thức")).to_be_visible()
    listed = page.get_by_test_id("problem-members")
    expect(listed).to_contain_text("Trần Thị Dự Bị")
    expect(listed).not_to_contain_text("Nguyễn Văn Thành")
    expect(listed).to_be_in_viewport()  # the page opens at the list
    shot(page, "quality-02-filtered")
    watch.assert_clean()
