"""End-to-end checks in a real Chromium: log in, browse the tree, create, validate, switch
language, log out; and keyboard use (skip link, tree toggle with Enter).

The tree from coso.conftest is dated 01/01/2024, so pages are opened as of 01/02/2024.
"""

import re

import pytest
from playwright.sync_api import expect

from coso.access.models import Role
from coso.conftest import build_tree, make_user
from coso.organizations.models import Organization

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ON = "01/02/2024"


def node(page, org):
    return page.locator(f"li[data-testid=node-{org.pk}]")


def toggle(page, org):
    return node(page, org).locator(":scope > .node > button[data-tree-toggle]")


def test_log_in_browse_create_validate_switch_language_and_log_out(live_server, page, watch, shot):
    base = live_server.url
    t = build_tree()
    make_user("admin", Role.ADMIN, None, is_staff=True, is_superuser=True)

    # 1. Log in.
    page.goto(f"{base}/tai-khoan/dang-nhap/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("button", name="Đăng nhập")).to_be_visible()
    shot(page, "01-login")
    log_in(page, base, "admin", "pw-admin")
    expect(page.get_by_test_id("scope")).to_contain_text("admin")

    # 2. The tree as of a date: only the root is rendered, its children are not loaded yet.
    page.goto(f"{base}/to-chuc/?ngay={ON}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cây tổ chức đảng")
    expect(node(page, t.province)).to_be_visible()
    expect(node(page, t.district_a)).to_have_count(0)
    shot(page, "02-tree")

    # 3. Expand: children arrive through htmx; expand one more level.
    with page.expect_response(re.compile(rf"/to-chuc/{t.province.pk}/con/")) as response:
        toggle(page, t.province).click()
    assert response.value.request.headers.get("hx-request") == "true"
    expect(toggle(page, t.province)).to_have_attribute("aria-expanded", "true")
    expect(node(page, t.district_a)).to_be_visible()
    expect(node(page, t.district_b)).to_be_visible()
    toggle(page, t.district_a).click()
    expect(node(page, t.commune_a1)).to_be_visible()
    expect(node(page, t.cell_a2)).to_be_visible()
    shot(page, "03-tree-expanded")
    # A second click only hides what was loaded (no new request).
    toggle(page, t.district_a).click()
    expect(node(page, t.commune_a1)).to_be_hidden()
    toggle(page, t.district_a).click()
    expect(node(page, t.commune_a1)).to_be_visible()

    # 4. The parent's page, then its "create a subordinate organization" button.
    node(page, t.district_a).locator(":scope > .node > a").click()
    page.wait_for_url(re.compile(rf"/to-chuc/{t.district_a.pk}/\?ngay="))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đảng bộ huyện A")
    shot(page, "04-organization")
    page.get_by_role("link", name="Thành lập tổ chức trực thuộc").click()
    page.wait_for_url(re.compile(rf"/to-chuc/tao-moi/\?cha={t.district_a.pk}"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thành lập tổ chức đảng")
    expect(page.get_by_text("Trực thuộc: Đảng bộ huyện A")).to_be_visible()
    page.get_by_label("Tên tổ chức").fill("Chi bộ cơ sở A3")
    page.get_by_label("Loại tổ chức").select_option("gr_cell")
    page.get_by_label("Lĩnh vực").select_option("school")
    page.get_by_label("Số quyết định").fill("12-QĐ/HU")
    shot(page, "05-create-form")

    # 5. An impossible date is refused with a readable message; nothing is created.
    page.get_by_label("Hiệu lực từ ngày").fill("31/02/2024")
    page.get_by_role("button", name="Lưu").click()
    error = page.get_by_role("alert").filter(has_text="Ngày không hợp lệ")
    expect(error).to_be_visible()
    expect(page.get_by_label("Hiệu lực từ ngày")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.get_by_label("Hiệu lực từ ngày")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Tên tổ chức")).to_have_value("Chi bộ cơ sở A3")
    assert not Organization.objects.filter(placements__name="Chi bộ cơ sở A3").exists()
    shot(page, "06-create-invalid-date")

    # 6. Correct the date, save, land on the new organization's page.
    page.get_by_label("Hiệu lực từ ngày").fill(ON)
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(re.compile(r"/to-chuc/\d+/\?ngay="))
    created = Organization.objects.get(placements__name="Chi bộ cơ sở A3")
    assert page.url == f"{base}/to-chuc/{created.pk}/?ngay={ON}"  # shown as of its founding date
    expect(page.get_by_role("heading", level=1)).to_have_text("Chi bộ cơ sở A3")
    expect(page.get_by_role("status")).to_contain_text("Đã thành lập Chi bộ cơ sở A3.")
    expect(page.get_by_role("navigation", name="breadcrumb")).to_contain_text("Đảng bộ huyện A")
    shot(page, "07-created")

    # 7. Switch to English: the select submits itself; Django now renders in English.
    page.goto(f"{base}/to-chuc/?ngay={ON}")
    with page.expect_navigation():
        page.locator("select#language").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("select#language")).to_have_value("en")
    assert page.url == f"{base}/to-chuc/?ngay={ON}"  # back where we were
    expect(node(page, t.province)).to_be_visible()
    shot(page, "08-english")

    # 8. Log out (a POST form; its label may or may not be translated yet) → the login page.
    page.locator("form[action='/tai-khoan/dang-xuat/'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/tai-khoan/dang-nhap/$"))
    expect(page.locator("input[name=username]")).to_be_visible()
    expect(page.get_by_test_id("scope")).to_have_count(0)
    shot(page, "09-logged-out")
    # The session is gone: the tree now sends us back to the login page.
    page.goto(f"{base}/to-chuc/")
    expect(page).to_have_url(re.compile(r"/tai-khoan/dang-nhap/\?next=/to-chuc/"))

    watch.assert_clean()


def test_keyboard_skip_link_first_then_tree_toggle_with_enter(live_server, page, watch, shot):
    base = live_server.url
    t = build_tree()
    make_user("staff_a", Role.ORG_STAFF, t.district_a)
    log_in(page, base, "staff_a", "pw-staff_a")
    page.goto(f"{base}/to-chuc/?ngay={ON}")
    expect(node(page, t.district_a)).to_be_visible()  # the scope's root
    expect(node(page, t.province)).to_have_count(0)

    # The first Tab from the top of the page lands on the skip link, which becomes visible.
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_class(re.compile(r"\bskip-link\b"))
    expect(focused).to_have_attribute("href", "#main")
    expect(focused).to_be_visible()
    box = focused.bounding_box()
    assert box and box["width"] > 20 and box["height"] > 10
    shot(page, "10-keyboard-skip-link")

    # Enter follows it: focus moves to <main>, so the next Tabs stay inside the content.
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    target = toggle(page, t.district_a)
    for _ in range(15):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            break
    expect(target).to_be_focused()

    # Enter on the toggle loads the children (htmx) and marks the node expanded.
    page.keyboard.press("Enter")
    expect(node(page, t.commune_a1)).to_be_visible()
    expect(node(page, t.cell_a2)).to_be_visible()
    expect(target).to_have_attribute("aria-expanded", "true")
    expect(target).to_be_focused()
    shot(page, "11-keyboard-toggle-expanded")
    # Enter again collapses.
    page.keyboard.press("Enter")
    expect(node(page, t.commune_a1)).to_be_hidden()
    expect(target).to_have_attribute("aria-expanded", "false")

    watch.assert_clean()
