"""The dashboard in a real Chromium: the charts render from static Chart.js (no CDN, no inline
script, no console error), a click on a child's bar opens that child's dashboard, and the table of
children links there too.

A small district founded in 2016 with members recorded over the years and admissions in most
years, so the charts have something to show. Screenshots: artifacts/screenshots/d-*.png.
"""

import datetime as dt
import random
import re

import pytest
from playwright.sync_api import expect

from coso.access.models import Role
from coso.conftest import make_user
from coso.members import lifecycle, services
from coso.organizations import services as org_services
from coso.organizations.models import Kind, Sector
from coso.people.services import create_person

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOUNDED = dt.date(2016, 1, 1)
NAMES = ["An", "Bình", "Cúc", "Dũng", "Hoa", "Lan", "Minh", "Nga", "Phúc", "Quý", "Sơn", "Tâm", "Uyên", "Vinh", "Xuân"]
FAMILIES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hồ", "Võ"]


def build_district():
    def org(name, kind, parent=None, sector=Sector.COMMUNE):
        return org_services.create_organization(actor=None, parent=parent, name=name, kind=kind, sector=sector, valid_from=FOUNDED)

    province = org("Đảng bộ tỉnh Thử nghiệm", Kind.PROVINCE_COMMITTEE)
    district = org("Đảng bộ huyện Sông Xanh", Kind.DISTRICT_COMMITTEE, province)
    names = ("Tam Hòa", "Tam Lộc", "Tam Phú")
    communes = [org(f"Đảng bộ xã {n}", Kind.GRASSROOTS_COMMITTEE, district) for n in names]
    cells = [org(f"Chi bộ thôn {v} {n}", Kind.SUBORDINATE_CELL, c) for n, c in zip(names, communes, strict=True) for v in ("Đông", "Tây")]
    agency = org("Chi bộ Trường THPT Sông Xanh", Kind.GRASSROOTS_CELL, district, Sector.SCHOOL)
    cells.append(agency)
    rng = random.Random(7)
    n = 0
    for cell, size in zip(cells, [9, 6, 7, 4, 8, 5, 3], strict=True):
        for _ in range(size):
            n += 1
            recorded = dt.date(rng.randint(2016, 2025), rng.randint(1, 12), 1)
            admitted = dt.date(rng.randint(1985, 2014), 6, 1)
            person = create_person(actor=None, full_name=f"{rng.choice(FAMILIES)} Văn {NAMES[n % len(NAMES)]} {n}",
                                   gender=rng.choice("MFF"), birth_date=dt.date(min(rng.randint(1955, 1998), admitted.year - 19), 3, 1),  # admitted at 18 or older
                                   ethnicity=rng.choice(["01", "01", "01", "30"]), education=rng.choice(["12/12", "9/12"]))
            services.record_existing_member(actor=None, person=person, organization=cell, on=recorded, admitted_on=admitted,
                                            recognized_on=lifecycle.add_months(admitted, 12))
    for year in range(2017, 2026):
        for k in range(rng.randint(0, 3)):
            person = create_person(actor=None, full_name=f"Đoàn Thị Mới {year} {k}", gender="F", birth_date=dt.date(1995, 1, 1))
            candidate = services.add_candidate(actor=None, person=person, organization=rng.choice(cells),
                                               listed_on=dt.date(year, 2, 1), course_completed_on=dt.date(year, 3, 1))
            services.admit_candidate(actor=None, candidate=candidate, admitted_on=dt.date(year, 5, 1), decision_number=f"{year}-QĐ")
    return district, communes


def test_the_dashboard_draws_its_charts_and_drills_down_to_a_child(live_server, page, watch, shot):
    base = live_server.url
    district, communes = build_district()
    make_user("staff", Role.ORG_STAFF, district)
    log_in(page, base, "staff", "pw-staff")

    # 1. The district's dashboard, as of today: cards, and every chart drawn by Chart.js.
    page.goto(f"{base}/bao-cao/tong-quan/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tổng quan: Đảng bộ huyện Sông Xanh")
    expect(page.get_by_test_id("card-members")).to_contain_text("Đảng viên")
    canvases = page.locator("canvas[data-chart]")
    expect(canvases).to_have_count(8)
    drawn = page.evaluate("""() => [...document.querySelectorAll("canvas[data-chart]")].map(
        (c) => Boolean(window.Chart && Chart.getChart(c)) && c.width > 0 && c.height > 0)""")
    assert drawn == [True] * 8
    shot(page, "d-01-district")

    # 2. A click on the largest child's bar opens that child's dashboard.
    first = page.evaluate("""() => {
        const canvas = document.getElementById("chart-children");
        const chart = Chart.getChart(canvas);
        const bar = chart.getDatasetMeta(0).data[0];
        return {label: chart.data.labels[0], x: bar.x - (bar.x - bar.base) / 2, y: bar.y};
    }""")
    page.locator("#chart-children").scroll_into_view_if_needed()
    page.locator("#chart-children").click(position={"x": first["x"], "y": first["y"]})
    page.wait_for_url(re.compile(r"/bao-cao/tong-quan/\?to_chuc=\d+"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Tổng quan: {first['label']}")
    assert page.evaluate("() => Chart.getChart(document.getElementById('chart-members-by-year')) !== undefined")
    shot(page, "d-02-child")

    # 3. Back up through the breadcrumb; the table of children links to each child too.
    page.get_by_role("navigation", name="breadcrumb").get_by_role("link", name="Đảng bộ huyện Sông Xanh").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tổng quan: Đảng bộ huyện Sông Xanh")
    page.get_by_test_id("children").get_by_role("link", name="Đảng bộ xã Tam Phú").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tổng quan: Đảng bộ xã Tam Phú")
    expect(page.get_by_test_id("children").locator("tbody tr")).to_have_count(2)
    shot(page, "d-03-commune")

    # 4. Another date: the district as of 31/12/2020, members up on the year before.
    page.get_by_role("navigation", name="breadcrumb").get_by_role("link", name="Đảng bộ huyện Sông Xanh").click()
    page.get_by_role("textbox", name="Tính đến ngày").fill("31/12/2020")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_test_id("dashboard-dates")).to_contain_text("Tính đến ngày 31/12/2020; thay đổi so với ngày 31/12/2019.")
    expect(page.get_by_test_id("card-members").get_by_test_id("change")).to_contain_text(re.compile(r"tăng\s+\d+\s+so với 31/12/2019"))
    shot(page, "d-04-district-2020")
    watch.assert_clean()
