"""The political system in a real Chromium at 1366x768: a village head who is a party member (the
village's cell secretary) is appointed through the form, the concurrent post "cell secretary also
village head" is counted on the concurrent-posts page, the post is ended, and the figure changes
from that day (the day before still counts it). Screenshots: artifacts/screenshots/grassroots-*.png.
"""

import datetime as dt

import pytest
from playwright.sync_api import expect

from coso.access.models import Role
from coso.conftest import build_tree, make_user
from coso.grassroots import services
from coso.grassroots.tests.conftest import member, unit
from coso.organizations.models import Placement
from coso.places.models import Level, UnitKind
from coso.places.services import create_village

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = dt.date
ON = D(2024, 3, 1)


def test_appointing_a_village_head_who_is_a_member_counts_the_concurrent_post(live_server, page, watch, shot):
    t = build_tree()
    make_user("staff", Role.ORG_STAFF, t.district_a)
    commune = unit("9800101", "An Lạc", Level.COMMUNE, UnitKind.COMMUNE)
    Placement.objects.filter(organization=t.commune_a1).update(area=commune)
    village = create_village(actor=None, commune=commune, name="Một", kind=UnitKind.VILLAGE, valid_from=D(2020, 1, 1))
    bodies = {b.kind: b for b in services.create_standard_bodies(actor=None, unit=commune, on=ON, organization=t.commune_a1,
                                                                 villages=[village])}
    cell = services.create_body(actor=None, kind="cell", unit=commune, village=village, organization=t.cell_a1a, valid_from=ON)
    secretary = member(t, "Lê Văn Kiêm")
    services.appoint(actor=None, body=cell, title="cell_secretary", person=secretary, valid_from=ON)
    concurrent = f"{live_server.url}/he-thong-chinh-tri/kiem-nhiem/?to_chuc={t.district_a.pk}"
    figure = page.get_by_test_id("total-5")  # the fifth model: cell secretary also village head

    log_in(page, live_server.url, "staff", "pw-staff")
    page.goto(f"{concurrent}&ngay=01/04/2024")
    expect(figure).to_have_text("0")

    page.goto(f"{live_server.url}/he-thong-chinh-tri/don-vi/{commune.pk}/?ngay=01/04/2024")
    shot(page, "grassroots-01-chart")
    page.get_by_role("link", name="Thôn Một", exact=True).click()
    head_row = page.get_by_role("row").filter(has=page.get_by_role("cell", name="Trưởng thôn, Tổ trưởng tổ dân phố", exact=True))
    head_row.get_by_role("link", name="Giao chức vụ").click()
    page.get_by_placeholder("Gõ để tìm (không cần dấu)…").fill("le van kiem")
    person = page.get_by_label("Người giữ chức vụ")
    expect(person.locator("option", has_text="Lê Văn Kiêm")).to_have_count(1)
    person.select_option(label=person.locator("option", has_text="Lê Văn Kiêm").inner_text())
    shot(page, "grassroots-02-appoint")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("alert").or_(page.locator(".alert-success"))).to_contain_text("Lê Văn Kiêm")
    expect(head_row.first).to_contain_text("Đảng viên")  # the first table: the posts on the day
    shot(page, "grassroots-03-body")
    assert bodies["village"].posts.get().person == secretary

    page.goto(f"{concurrent}&ngay=01/04/2024")
    expect(figure).to_have_text("1")
    expect(page.get_by_test_id("village-heads-summary")).to_have_text("1/1 trưởng thôn, tổ trưởng tổ dân phố là đảng viên, chiếm 100,0%.")
    shot(page, "grassroots-04-concurrent")

    page.goto(f"{live_server.url}/he-thong-chinh-tri/co-quan/{bodies['village'].pk}/?ngay=01/04/2024")
    page.get_by_role("link", name="Thôi giữ chức").click()
    page.get_by_label("Thôi giữ chức từ ngày").fill("01/05/2024")
    page.get_by_role("button", name="Ghi nhận").click()
    page.goto(f"{concurrent}&ngay=01/05/2024")
    expect(figure).to_have_text("0")
    page.goto(f"{concurrent}&ngay=30/04/2024")
    expect(figure).to_have_text("1")
    watch.assert_clean()


def test_importing_a_post_list_shows_each_problem_then_writes_the_whole_file(live_server, page, watch, shot, tmp_path):
    """An organization officer opens "Nhập Excel" from the chart, sends a list with a wrong body and
    two chairs of one People's Committee: the page lists row, column and reason and nothing is
    written; the corrected file is written whole, and the chart shows the holders (also at 390 px)."""
    import io

    from openpyxl import Workbook

    from coso.grassroots.models import Post

    t = build_tree()
    make_user("staff", Role.ORG_STAFF, t.district_a)
    commune = unit("9800101", "An Lạc", Level.COMMUNE, UnitKind.COMMUNE)
    Placement.objects.filter(organization=t.commune_a1).update(area=commune)
    village = create_village(actor=None, commune=commune, name="Một", kind=UnitKind.VILLAGE, valid_from=D(2020, 1, 1))
    services.create_standard_bodies(actor=None, unit=commune, on=ON, organization=t.commune_a1, villages=[village])
    member(t, "Lê Văn Kiêm")

    def workbook(rows, name):
        wb = Workbook()
        ws = wb.active
        ws.append(["DANH SÁCH CHỨC VỤ XÃ AN LẠC"])
        ws.append(["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Chức danh", "Cơ quan, tổ chức", "Thôn, tổ dân phố", "Đảng viên",
                   "Giữ chức từ ngày"])
        for n, row in enumerate(rows, start=1):
            ws.append([n, *row])
        path = tmp_path / name
        out = io.BytesIO()
        wb.save(out)
        path.write_bytes(out.getvalue())
        return path

    log_in(page, live_server.url, "staff", "pw-staff")
    page.goto(f"{live_server.url}/he-thong-chinh-tri/don-vi/{commune.pk}/?ngay=01/04/2024")
    page.get_by_role("link", name="Nhập Excel").click()
    bad = workbook([
        ["Lê Văn Kiêm", "01/01/1975", "Nam", "Chủ tịch", "Ủy ban nhân dân", "", "Có", "01/03/2024"],
        ["Trần Thị Hai", "1980", "Nữ", "Chủ tịch", "Ủy ban nhân dân", "", "", "01/03/2024"],
        ["Phạm Văn Ba", "", "Nam", "Trưởng thôn, Tổ trưởng tổ dân phố", "Hội Cờ Tướng", "Thôn Một", "", "01/03/2024"],
    ], "sai.xlsx")
    page.get_by_label("Tệp Excel (.xlsx) hoặc CSV").set_input_files(str(bad))
    page.get_by_role("button", name="Kiểm tra và ghi").click()
    report = page.get_by_test_id("import-report")
    expect(report).to_contain_text("3 dòng, 2 lỗi. Chưa ghi gì")
    expect(report).to_contain_text("Lê Văn Kiêm")  # row 4: the chair is taken by row 3
    expect(report).to_contain_text("Hội Cờ Tướng")
    shot(page, "grassroots-05-import-errors")
    assert not Post.objects.exists()

    good = workbook([
        ["Lê Văn Kiêm", "01/01/1975", "Nam", "Chủ tịch", "Ủy ban nhân dân", "", "Có", "01/03/2024"],
        ["Lê Văn Kiêm", "01/01/1975", "Nam", "Trưởng thôn, Tổ trưởng tổ dân phố", "", "Thôn Một", "Có", "01/03/2024"],
        ["Trần Thị Hai", "1980", "Nữ", "Phó Chủ tịch", "Ủy ban nhân dân", "", "", "01/03/2024"],
    ], "dung.xlsx")
    page.get_by_label("Tệp Excel (.xlsx) hoặc CSV").set_input_files(str(good))
    page.get_by_role("button", name="Kiểm tra và ghi").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã ghi 3 chức vụ từ tệp dung.xlsx (1 người mới có hồ sơ)")
    expect(page.get_by_test_id("body-ubnd")).to_contain_text("Trần Thị Hai")
    shot(page, "grassroots-06-chart-after-import")
    assert Post.objects.count() == 3
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/he-thong-chinh-tri/don-vi/{commune.pk}/?ngay=01/04/2024")
    expect(page.get_by_test_id("body-village")).to_contain_text("Lê Văn Kiêm")
    shot(page, "grassroots-07-chart-phone")
    page.goto(f"{live_server.url}/he-thong-chinh-tri/don-vi/{commune.pk}/nhap-excel/")
    shot(page, "grassroots-08-import-phone")
    watch.assert_clean()
