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
