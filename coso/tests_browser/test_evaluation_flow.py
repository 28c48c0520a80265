"""A whole evaluation cycle for one cell in a real Chromium, under Quy định 366-QĐ/TW (2025):
the district's staff open the period for chi bộ cơ sở A2 (30 members), record one member's
self-assessment, rate the 30 members on the fast-entry page with the keyboard only (digit for the
level, Tab, score, Tab: each row saved through htmx, no page load), see the 20% cap on
"Hoàn thành xuất sắc nhiệm vụ" broken in the violations panel, are refused the decision with
that reason, mend it with the arrow keys, decide, publish, and correct one result with a reason.
A second test imports a file with bad rows: each reported, nothing written.
Screenshots: artifacts/screenshots/eval-*.png.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from coso.access.models import Role
from coso.conftest import build_tree, make_user
from coso.evaluation.models import Period, Rating
from coso.members import services as members
from coso.people.services import create_person

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hòa", "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long",
         "Mai", "Minh", "Nam", "Nga", "Ngọc", "Nhung", "Phong", "Phúc", "Quang", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Yến"]
EXCELLENT_ROWS = 8  # 8 × 100 > 22 × 20: the cap allows 4 of 22 rated "Hoàn thành tốt nhiệm vụ"


def _cell_of_30(cell):
    for i, given in enumerate(GIVEN):
        person = create_person(actor=None, full_name=f"{'Nguyễn Trần Lê Phạm'.split()[i % 4]} Văn {given}", gender="M",
                               birth_date=dt.date(1950 + i, 1, 15))  # admitted in 2005 at 18 or older
        members.record_existing_member(actor=None, person=person, organization=cell, on=dt.date(2024, 1, 10),
                                       admitted_on=dt.date(2005, 1, 1), recognized_on=dt.date(2006, 1, 1))


def test_a_cell_is_rated_from_opening_to_publication(live_server, page, watch, shot):
    base = live_server.url
    t = build_tree()
    _cell_of_30(t.cell_a2)
    make_user("staff_a", Role.ORG_STAFF, t.district_a)
    log_in(page, base, "staff_a", "pw-staff_a")

    # 1. Open the 2025 period for chi bộ cơ sở A2 from the periods page.
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Đánh giá").click()
    page.wait_for_url(re.compile(r"/danh-gia/$"))
    page.get_by_role("link", name="Mở kỳ đánh giá").click()
    page.get_by_label("Tìm để chọn").fill("co so a2")
    expect(page.get_by_label("Cấp ủy tổ chức đánh giá")).to_have_value(str(t.cell_a2.pk))
    page.get_by_label("Năm").fill("2025")
    shot(page, "eval-01-open")
    page.get_by_role("button", name="Mở kỳ đánh giá").click()
    period = Period.objects.get()
    page.wait_for_url(re.compile(rf"/danh-gia/{period.pk}/$"))
    expect(page.get_by_role("status").filter(has_text="30 đối tượng")).to_be_visible()
    expect(page.get_by_test_id("rule-set")).to_contain_text("Quy định 366-QĐ/TW ngày 30/08/2025")
    shot(page, "eval-02-period")

    # 2. A member's self-assessment (form 2C), from the rating page.
    page.get_by_role("link", name="Nguyễn Văn An", exact=True).click()
    page.get_by_label("Tự xếp loại").select_option(label="Hoàn thành tốt nhiệm vụ")
    page.get_by_label("Điểm (thang điểm 100)").fill("86,5")
    page.get_by_label("Tóm tắt bản tự kiểm điểm").fill("Hoàn thành các nhiệm vụ được giao; tham gia đầy đủ sinh hoạt chi bộ.")
    page.get_by_role("button", name="Lưu tự đánh giá").click()
    expect(page.get_by_test_id("rating-state")).to_have_text("Đã tự đánh giá")
    shot(page, "eval-03-self-assessed")

    # 3. The fast entry: 30 rows by keyboard only, each saved without a page load.
    page.get_by_role("link", name="Chi bộ cơ sở A2").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xếp loại chất lượng: Chi bộ cơ sở A2")
    page.wait_for_load_state("load")
    loads = []
    page.on("load", lambda: loads.append(page.url))
    rows = page.locator("tr[data-rating-row]")
    expect(rows).to_have_count(30)
    rows.nth(0).locator("select").focus()
    for i in range(30):
        excellent = i < EXCELLENT_ROWS
        page.keyboard.press("1" if excellent else "2")
        page.keyboard.press("Tab")
        page.keyboard.type("95" if excellent else "80")
        page.keyboard.press("Tab")
    for i in range(30):
        expect(rows.nth(i).get_by_test_id("state")).to_have_text("Đã đề xuất mức xếp loại")
    assert loads == []  # no full page load
    panel = page.get_by_test_id("violations")
    expect(panel).to_contain_text("8 đảng viên được xếp loại “Hoàn thành xuất sắc nhiệm vụ”, vượt quá 20%")
    expect(panel.locator("[data-level=htxs]")).to_contain_text("8")
    shot(page, "eval-04-entry-over-the-cap")
    assert Rating.objects.filter(period=period, proposed_level="htxs", proposed_score=95).count() == EXCELLENT_ROWS
    assert Rating.objects.filter(period=period, proposed_level="htt", proposed_score=80).count() == 30 - EXCELLENT_ROWS

    # 4. The decision is refused while the cap is broken, with the reason.
    page.get_by_role("link", name="Về trang kỳ đánh giá").click()
    page.get_by_label("Số quyết định").fill("25-QĐ/CB")
    page.get_by_role("button", name="Quyết định xếp loại").click()
    expect(page.get_by_role("status").filter(has_text="vượt quá 20%").first).to_be_visible()
    expect(page.get_by_test_id("period-state")).to_have_text("Đang đánh giá")
    shot(page, "eval-05-refused")
    assert not Rating.objects.filter(period=period, state=Rating.State.DECIDED).exists()

    # 5. Mended on the fast entry: rows 8 to 5 lowered to "Hoàn thành tốt nhiệm vụ", with ↑.
    page.get_by_role("link", name="Nhập nhanh mức xếp loại").click()
    rows.nth(EXCELLENT_ROWS - 1).locator("select").focus()
    for _ in range(4):
        page.keyboard.press("2")
        page.keyboard.press("ArrowUp")
    expect(panel).to_contain_text("Không có vi phạm")
    expect(panel.locator("[data-level=htxs]")).to_contain_text("4")
    expect(rows.nth(3).locator("select")).to_be_focused()
    shot(page, "eval-06-mended")

    # 6. Decide, then publish.
    page.get_by_role("link", name="Về trang kỳ đánh giá").click()
    page.get_by_label("Số quyết định").fill("25-QĐ/CB")
    page.get_by_role("button", name="Quyết định xếp loại").click()
    expect(page.get_by_role("status").filter(has_text="Đã quyết định xếp loại 30 đối tượng.")).to_be_visible()
    page.get_by_role("button", name="Công bố kết quả").click()
    expect(page.get_by_role("status").filter(has_text="Đã công bố kết quả xếp loại của 30 đối tượng.")).to_be_visible()
    expect(page.get_by_test_id("period-state")).to_have_text("Đã công bố kết quả")
    shot(page, "eval-07-published")
    assert Rating.objects.filter(period=period, state=Rating.State.PUBLISHED).count() == 30
    assert Rating.objects.filter(period=period, level="htxs").count() == 4

    # 7. After publication a result changes only by a correction, with its reason.
    page.get_by_role("link", name="Nguyễn Văn An", exact=True).click()
    page.get_by_label("Mức xếp loại mới").select_option(label="Hoàn thành tốt nhiệm vụ")
    page.get_by_label("Lý do điều chỉnh").fill("Kết luận kiểm tra ngày 10/01/2026: chưa hoàn thành 100% nhiệm vụ đúng tiến độ.")
    page.get_by_label("Số quyết định").fill("02-QĐ/CB")
    page.get_by_role("button", name="Ghi điều chỉnh").click()
    expect(page.get_by_test_id("corrections")).to_contain_text("Hoàn thành xuất sắc nhiệm vụ → Hoàn thành tốt nhiệm vụ")
    expect(page.get_by_test_id("result")).to_contain_text("Hoàn thành tốt nhiệm vụ")
    shot(page, "eval-08-corrected")

    # 8. The periods list.
    page.get_by_role("link", name="Đánh giá, xếp loại chất lượng").click()
    expect(page.get_by_test_id("periods")).to_contain_text("Đã công bố kết quả")
    shot(page, "eval-09-periods")
    watch.assert_clean()


def test_an_import_with_bad_rows_is_reported_and_writes_nothing(live_server, page, watch, shot):
    from openpyxl import Workbook

    from coso.evaluation import services

    t = build_tree()
    _cell_of_30(t.cell_a2)
    staff = make_user("staff_a", Role.ORG_STAFF, t.district_a)
    period = services.open_period(actor=staff, organization=t.cell_a2, year=2025)
    wb = Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH ĐỀ XUẤT XẾP LOẠI ĐẢNG VIÊN NĂM 2025"])
    ws.append([])
    ws.append(["STT", "Họ và tên", "Mức xếp loại", "Điểm"])
    ws.append([1, "Nguyễn Văn An", "Hoàn thành tốt nhiệm vụ", 86])
    ws.append([2, "Trần Văn Bình", "Tốt", 80])
    ws.append([3, "Lê Văn Chí", "HTTNV", 75])
    ws.append([4, "Phạm Văn Dũng", "HTXSNV", "chín mươi"])
    ws.append([5, "Nguyễn Văn An", "HTNV", 60])
    import io

    buffer = io.BytesIO()
    wb.save(buffer)
    log_in(page, live_server.url, "staff_a", "pw-staff_a")
    page.goto(f"{live_server.url}/danh-gia/{period.pk}/")
    page.get_by_role("link", name="Nhập đề xuất từ Excel").click()
    page.get_by_label("Tệp Excel (.xlsx) hoặc CSV").set_input_files(
        files=[{"name": "de-xuat.xlsx", "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "buffer": buffer.getvalue()}])
    page.get_by_role("button", name="Kiểm tra và ghi").click()
    report = page.get_by_test_id("import-report")
    expect(report).to_contain_text("5 dòng, 4 lỗi. Chưa ghi gì")
    expect(report).to_contain_text("Không có đảng viên “Lê Văn Chí” trong danh sách đánh giá của Chi bộ cơ sở A2; có phải “Lê Văn Chi”?")
    expect(report).to_contain_text("Nguyễn Văn An đã có ở dòng 4.")
    shot(page, "eval-10-import-errors")
    assert not Rating.objects.filter(period=period, state=Rating.State.PROPOSED).exists()
    watch.assert_clean()
