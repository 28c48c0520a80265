"""An organization board's officer merges two village cells in a real Chromium at 1366 × 768: the
restructuring is created from the menu ('Tổ chức' → 'Sắp xếp, sáp nhập'), the merge is added with
the pickers, the preview shows who moves (by name on request) and the counts before and after,
the decision is carried out, and the organizations' pages show the predecessor and the successor.
The top bar fits at 1366 px. Screenshots: artifacts/screenshots/restr-*.png.
"""

import re

import pytest
from playwright.sync_api import expect

from coso.access.models import Role
from coso.conftest import build_tree, make_user
from coso.members.models import EventType, MemberEvent, MemberPeriod
from coso.restructuring.tests.helpers import ON, member

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
A1A = ["Nguyễn Văn An", "Trần Thị Bích", "Lê Văn Cường"]
A1B = ["Phạm Thị Dung", "Hoàng Văn Em", "Vũ Thị Giang"]


def _pick(page, name: str, query: str, pk: int) -> None:
    """A search picker: type, wait for the option, choose it."""
    select = page.locator(f"select[name={name}]")
    select.locator("xpath=..").locator("input[type=search]").fill(query)
    expect(select.locator(f"option[value='{pk}']")).to_be_attached()
    select.select_option(str(pk))


def _top_bar_fits(page) -> None:
    box = page.get_by_role("button", name="Đăng xuất").bounding_box()
    assert box is not None and box["x"] + box["width"] <= 1366, box
    assert page.evaluate("document.querySelector('nav.navbar').scrollWidth <= window.innerWidth")


def test_an_officer_merges_two_cells_sees_the_preview_and_the_lineage(live_server, page, watch, shot):
    base = live_server.url
    t = build_tree()
    make_user("board_a", Role.ORG_STAFF, t.district_a)
    for name in A1A:
        member(t.cell_a1a, name)
    for name in A1B:
        member(t.cell_a1b, name)

    log_in(page, base, "board_a", "pw-board_a")
    _top_bar_fits(page)

    # 1. From the menu to a new restructuring decided by huyện A's committee.
    page.get_by_role("button", name="Tổ chức").or_(page.get_by_role("link", name="Tổ chức", exact=True)).first.click()
    page.get_by_role("link", name="Sắp xếp, sáp nhập").click()
    page.wait_for_url(re.compile(r"/sap-xep/$"))
    page.get_by_role("link", name="Phương án mới").click()
    _pick(page, "organization", "huyen a", t.district_a.pk)
    page.get_by_label("Tên phương án").fill("Sáp nhập chi bộ thôn A1a vào A1b")
    page.get_by_label("Số quyết định").fill("125-QĐ/HU")
    page.get_by_label("Cơ quan ban hành").fill("Huyện ủy A")
    page.get_by_label("Ngày quyết định").fill("20/06/2024")
    page.get_by_label("Ngày hiệu lực").fill(ON.strftime("%d/%m/%Y"))
    shot(page, "restr-01-new-1366")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(re.compile(r"/sap-xep/\d+/$"))

    # 2. The merge: A1a's members into A1b, which stays.
    page.locator("summary", has_text="Thêm thao tác").click()
    form = page.get_by_test_id("add-operation")
    form.locator("select[name=kind]").select_option("merge")
    _pick(page, "organization", "a1b", t.cell_a1b.pk)
    _pick(page, "source_1", "a1a", t.cell_a1a.pk)
    shot(page, "restr-02-operation-1366")
    form.get_by_role("button", name="Thêm thao tác").click()
    expect(page.get_by_test_id("operations")).to_contain_text("Hợp nhất, sáp nhập")

    # 3. The preview: who moves where, by name on request, and the counts before and after.
    moves = page.get_by_test_id("moves")
    expect(moves).to_contain_text("Chi bộ thôn A1a")
    expect(moves.locator("tbody tr").first.locator("td").last).to_have_text("3")
    counts = page.get_by_test_id("counts")
    expect(counts.locator("tr", has_text="Chi bộ thôn A1b").locator("td")).to_have_text(["Chi bộ thôn A1b", "3", "6"])
    expect(counts.locator("tr", has_text="Chi bộ thôn A1a").locator("td")).to_have_text([re.compile("Chi bộ thôn A1a"), "3", "0"])
    page.get_by_role("link", name="Xem tên từng đảng viên").click()
    for name in A1A:
        expect(page.get_by_test_id("moves")).to_contain_text(name)
    expect(page.get_by_test_id("moves")).not_to_contain_text(A1B[0])
    assert MemberEvent.objects.filter(type=EventType.ORG_HANDOVER).count() == 0  # the preview writes nothing
    shot(page, "restr-03-preview-1366")

    # 4. Carry it out.
    page.get_by_test_id("commit").click()
    expect(page.get_by_test_id("done")).to_contain_text("3 đảng viên được chuyển giao")
    expect(page.get_by_test_id("undo")).to_be_visible()
    shot(page, "restr-04-done-1366")
    assert MemberPeriod.objects.on(ON).filter(organization=t.cell_a1b).count() == 6
    assert not MemberPeriod.objects.on(ON).filter(organization=t.cell_a1a).exists()

    # 5. The lineage on both organizations' pages.
    page.goto(f"{base}/to-chuc/{t.cell_a1b.pk}/")
    lineage = page.get_by_test_id("lineage")
    expect(lineage).to_contain_text("Tiền thân")
    expect(lineage.get_by_role("link", name="Chi bộ thôn A1a")).to_be_visible()
    expect(lineage).to_contain_text(ON.strftime("%d/%m/%Y"))
    expect(lineage).to_contain_text("125-QĐ/HU")
    shot(page, "restr-05-successor-page-1366")
    lineage.get_by_role("link", name="Chi bộ thôn A1a").click()
    lineage = page.get_by_test_id("lineage")
    expect(lineage).to_contain_text("Kế thừa")
    expect(lineage.get_by_role("link", name="Chi bộ thôn A1b")).to_be_visible()
    shot(page, "restr-06-predecessor-page-1366")
    _top_bar_fits(page)
    watch.assert_clean()
