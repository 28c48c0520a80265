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


def _figure(page, row_name: str) -> list[str]:
    """The members' cells (now, before, difference) of a row of the figures page."""
    row = page.get_by_test_id("compare-members").locator("tbody tr", has_text=row_name)
    return [t.strip() for t in row.locator("td").all_inner_texts()[:3]]


def test_a_province_officer_merges_two_communes_accepts_a_conflict_checks_figures_and_undoes(live_server, page, watch, shot):
    """Two communes' committees of two districts into one new commune of huyện A: the preview's
    conflict (an evaluation period open across the date) accepted, the decision carried out, the
    figures on the day before and the day after (the new commune beside its predecessors), undone."""
    from coso.evaluation import services as evaluation
    from coso.organizations.models import Kind
    from coso.restructuring import services
    from coso.restructuring.models import OperationKind, Restructuring, State
    from coso.restructuring.tests.helpers import draft

    base = live_server.url
    t = build_tree()
    officer = make_user("board_p", Role.ORG_STAFF, t.province)
    admin = make_user("admin_p", Role.ADMIN, None, is_staff=True, is_superuser=True)
    for cell, names in ((t.cell_a1a, A1A), (t.cell_a1b, A1B), (t.cell_b1a, ["Ngô Văn Khoa", "Dương Thị Lan", "Lý Văn Minh"])):
        for name in names:
            member(cell, name)
    evaluation.open_period(actor=admin, organization=t.commune_a1, year=2024, on=ON.replace(month=6))
    r = draft(t, officer, title="Hợp nhất xã A1 và xã B1", number="310-QĐ/TU")
    services.add_operation(actor=officer, restructuring=r, kind=OperationKind.MERGE, parent=t.district_a, name="Đảng bộ xã A1B1",
                           org_kind=Kind.GRASSROOTS_COMMITTEE, sources=[t.commune_a1, t.commune_b1])

    log_in(page, base, "board_p", "pw-board_p")
    page.goto(f"{base}/sap-xep/{r.pk}/")
    # 1. The preview blocks on the open evaluation period until it is accepted.
    conflicts = page.get_by_test_id("conflicts")
    expect(conflicts).to_contain_text("đang mở qua ngày 01/07/2024")
    expect(page.get_by_test_id("commit")).to_be_disabled()
    shot(page, "restr-07-conflict-1366")
    conflicts.get_by_role("checkbox").check()
    conflicts.get_by_role("button", name="Chấp nhận các vướng mắc đã chọn").click()
    expect(page.get_by_test_id("conflicts")).to_contain_text("đã chấp nhận")
    expect(page.get_by_test_id("commit")).to_be_enabled()

    # 2. Carried out: the two committees end, the new one takes their cells and members.
    page.get_by_test_id("commit").click()
    expect(page.get_by_test_id("done")).to_contain_text("2 tổ chức kết thúc, 1 tổ chức thành lập, 9 đảng viên được chuyển giao")
    shot(page, "restr-08-merged-1366")

    # 3. Figures: the day before on the old tree, the day after on the new one beside the same area.
    page.goto(f"{base}/sap-xep/so-lieu/?to_chuc={t.district_a.pk}&ngay=30/06/2024&so_voi=30/06/2024")
    assert _figure(page, "Đảng bộ xã A1") == ["6", "6", "0"]
    page.goto(f"{base}/sap-xep/so-lieu/?to_chuc={t.district_a.pk}&ngay=01/07/2024&so_voi=30/06/2024&nhom=ke_thua")
    assert _figure(page, "Đảng bộ xã A1B1") == ["9", "9", "0"]  # xã A1's 6 and xã B1's 3 the day before
    expect(page.get_by_test_id("grouping")).to_contain_text("tổ chức kế thừa hiện nay")
    shot(page, "restr-09-figures-1366")

    # 4. Undone: the state before, exactly; the figure after the date is xã A1's again.
    page.goto(f"{base}/sap-xep/{r.pk}/")
    page.get_by_test_id("undo").click()
    expect(page.get_by_test_id("state")).to_have_text("Dự thảo")
    assert Restructuring.objects.get(pk=r.pk).state == State.DRAFT
    shot(page, "restr-10-undone-1366")
    page.goto(f"{base}/sap-xep/so-lieu/?to_chuc={t.district_a.pk}&ngay=01/07/2024&so_voi=30/06/2024")
    assert _figure(page, "Đảng bộ xã A1") == ["6", "6", "0"]
    expect(page.get_by_test_id("compare-members")).not_to_contain_text("A1B1")
    _top_bar_fits(page)
    watch.assert_clean()
