"""Training and staffing in a real Chromium at 1366x768: staff open a course, enrol a member, record
the completion with its certificate, and the member's theory level on their training page follows
it; the commune's staffing page shows headcount against quota and the before/after figures.
Screenshots: artifacts/screenshots/training-*.png."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from coso.access.models import Role
from coso.conftest import build_tree, make_user
from coso.members import services as members
from coso.organizations.models import Placement
from coso.people.services import create_person
from coso.places.models import AdminUnit, Generation, Level, UnitKind
from coso.staffing import services as staffing
from coso.staffing.reference import BodyKind, Category, Ending, ExitForm

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = dt.date


def test_a_course_completion_dates_the_theory_level_and_staffing_shows_against_quota(live_server, page, watch, shot):
    t = build_tree()
    staff = make_user("staff", Role.ORG_STAFF, t.district_a)
    person = create_person(actor=staff, full_name="Nguyễn Văn Học Viên", gender="M", birth_date=D(1985, 4, 2), theory_level="so_cap")
    members.record_existing_member(actor=staff, person=person, organization=t.cell_a1a, on=D(2024, 1, 10), admitted_on=D(2010, 1, 1),
                                   recognized_on=D(2011, 1, 1))
    log_in(page, live_server.url, "staff", "pw-staff")

    page.goto(f"{live_server.url}/dao-tao/")
    page.get_by_role("link", name="Mở lớp").first.click()
    page.get_by_label("Tên lớp").fill("Lớp trung cấp lý luận chính trị khóa 2024")
    page.locator("select[name=program]").select_option("trung_cap")
    page.locator("select[name=body]").select_option("truong_tinh")
    page.get_by_label("Ngày khai giảng").fill("01/03/2024")
    page.get_by_label("Ngày bế giảng").fill("30/11/2024")
    shot(page, "training-01-course-form")
    page.get_by_role("button", name="Mở lớp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lớp trung cấp lý luận chính trị khóa 2024")

    course_url = page.url
    page.get_by_role("link", name="Thêm học viên").click()
    page.locator("select[name=person]").evaluate(
        f"(s) => {{ s.add(new Option('Nguyễn Văn Học Viên', '{person.pk}', true, true)); }}")
    page.get_by_role("button", name="Thêm vào lớp").click()
    page.get_by_role("link", name="Hoàn thành").click()
    page.get_by_label("Ngày hoàn thành").fill("01/12/2024")
    page.get_by_label("Số văn bằng, chứng chỉ").fill("TC-2024-001")
    page.get_by_role("button", name="Ghi nhận hoàn thành").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("trong thời gian học của lớp")  # after the course closed: refused
    shot(page, "training-02-refused")
    page.get_by_label("Ngày hoàn thành").fill("30/11/2024")
    page.get_by_role("button", name="Ghi nhận hoàn thành").click()
    expect(page).to_have_url(course_url)
    expect(page.get_by_test_id("enrolments")).to_contain_text("TC-2024-001")
    shot(page, "training-03-course")

    page.get_by_role("link", name="Nguyễn Văn Học Viên").click()
    page.get_by_label("Tính đến ngày").fill("01/11/2024")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_test_id("level")).to_contain_text("Sơ cấp")
    page.get_by_label("Tính đến ngày").fill("01/12/2024")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_test_id("level")).to_contain_text("Trung cấp")
    shot(page, "training-04-person")

    province = AdminUnit.objects.create(generation=Generation.LEGACY, level=Level.PROVINCE, kind=UnitKind.PROVINCE, code="96", name="Thử",
                                        full_name="Tỉnh Thử")
    commune = AdminUnit.objects.create(generation=Generation.LEGACY, level=Level.COMMUNE, kind=UnitKind.COMMUNE, code="96001", name="An Lạc",
                                       full_name="Xã An Lạc", parent=province)
    Placement.objects.filter(organization=t.commune_a1).update(area=commune)
    staffing.set_quota(actor=staff, commune=commune, category=Category.COMMUNE_CIVIL_SERVANT, number=6, valid_from=D(2023, 8, 1))
    for i, post in enumerate(["Văn phòng – thống kê", "Tư pháp – hộ tịch", "Tài chính – kế toán", "Văn hóa – xã hội"]):
        e = staffing.start_employment(actor=staff, commune=commune, body_kind=BodyKind.COMMITTEE, category=Category.COMMUNE_CIVIL_SERVANT,
                                      position=f"Công chức {post}", valid_from=D(2021, 6, 1),
                                      new_person={"full_name": f"Trần Thị Công Chức {i + 1}", "gender": "F"})
        if i == 0:
            staffing.end_employment(actor=staff, employment=e, valid_to=D(2025, 3, 1), ending=Ending.STREAMLINING, basis="29/2023",
                                    exit_form=ExitForm.EARLY_RETIREMENT)
    page.goto(f"{live_server.url}/bien-che/?ngay=01/06/2025")
    page.get_by_role("link", name="Xã An Lạc").click()
    expect(page.get_by_test_id("against-quota")).to_contain_text("Công chức cấp xã")
    page.goto(f"{page.url}&tu=01/01/2025&den=01/06/2025")
    expect(page.get_by_test_id("before-after")).to_contain_text("Công chức cấp xã")
    shot(page, "training-05-staffing")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(course_url)
    shot(page, "training-06-course-phone")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    watch.assert_clean()
