"""Commendations and a committee's own score sheet in a real Chromium (issue #16 points 6 and 3).

A district's organization staff records a giấy khen for a member: awarded by the village cell it
is refused (a cell may only praise), by the commune committee it is saved; the year's list shows it
with the figures by form, and the five-year eligibility lists name the cell and the member rated
HTXSNV from 2020 to 2024. A province's staff defines its own score sheet: points that do not add up
to the total are refused on the page, the corrected sheet is saved and shown as the one in force.
At 1366 × 768 and on a phone. Screenshots: artifacts/screenshots/kt-*.png."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from coso.access.models import Role
from coso.activities.models import Commendation, ScoreSheet
from coso.conftest import build_tree, make_user
from coso.evaluation.models import Period, Rating
from coso.members import lifecycle
from coso.members import services as member_services
from coso.people.services import create_person

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
D = dt.date


def _member(cell, name):
    person = create_person(actor=None, full_name=name, gender="F", birth_date=D(1978, 5, 1))
    return member_services.record_existing_member(actor=None, person=person, organization=cell, on=D(2024, 1, 2),
                                                  admitted_on=D(2005, 1, 1), recognized_on=lifecycle.add_months(D(2005, 1, 1), 12))


def _clean_but_the_refusal(watch):
    """Nothing left the machine, no script failed; the only error responses are the refused form's 422."""
    assert watch.requests and watch.outside_requests() == [] and watch.page_errors == [] and watch.failed == []
    assert all("422" in e for e in watch.console_errors), watch.console_errors
    assert all("422" in e for e in watch.bad_responses), watch.bad_responses


def _published_years(t, best):
    """Five published yearly ratings at HTXSNV for the cell and one member (as the evaluation leaves them)."""
    for year in range(2020, 2025):
        period = Period.objects.create(organization=t.district_a, year=year, starts_on=D(year, 1, 1), ends_on=D(year, 12, 31),
                                       reference_date=D(year, 12, 31), rule_set="qd124_2023", opened_on=D(year, 11, 1),
                                       state=Period.State.PUBLISHED)
        Rating.objects.create(period=period, subject_kind="organization", organization=t.cell_a1a, subject_name="Chi bộ thôn A1a",
                              level="htxs", state=Rating.State.PUBLISHED)
        Rating.objects.create(period=period, subject_kind="member", member=best, organization=t.cell_a1a, subject_name="x",
                              level="htxs", state=Rating.State.PUBLISHED)


def test_a_district_records_a_commendation_and_reads_who_is_eligible(live_server, page, watch, shot):
    base = live_server.url
    t = build_tree()
    make_user("board_a", Role.ORG_STAFF, t.district_a)
    best = _member(t.cell_a1a, "Nguyễn Thị Xuất Sắc")
    _member(t.cell_a1a, "Trần Văn Bình")
    _published_years(t, best)

    log_in(page, base, "board_a", "pw-board_a")
    main = page.locator("main")
    # 1. The eligibility lists of xã A1 for 2020–2024 name the cell and the member.
    page.goto(f"{base}/sinh-hoat/khen-thuong/?to_chuc={t.commune_a1.pk}&nam=2025&ngay=15/01/2025")
    expect(page.get_by_test_id("eligible-organizations")).to_contain_text("Chi bộ thôn A1a")
    expect(page.get_by_test_id("eligible-members")).to_contain_text("Nguyễn Thị Xuất Sắc")
    expect(main).to_contain_text("2020–2024")
    shot(page, "kt-01-eligible-1366")

    # 2. From the list, record a giấy khen for the member: first awarded by the village cell.
    page.get_by_test_id("eligible-members").get_by_role("link", name="Ghi khen thưởng").click()
    expect(page.locator("select[name=member]")).to_have_value(str(best.pk))
    page.locator("select[name=form]").select_option("certificate")
    page.locator("input[name=title]").fill("Đảng viên hoàn thành xuất sắc nhiệm vụ 5 năm liền (2020–2024)")
    page.locator("select[name=period_kind]").select_option("five_years")
    page.locator("input[name=year_to]").fill("2024")
    page.locator("select[name=awarded_by]").select_option(str(t.cell_a1a.pk))
    page.locator("input[name=decision_number]").fill("125-QĐ/ĐU")
    page.locator("input[name=decided_on]").fill("15/01/2025")
    page.locator("input[name=gift_value]").fill("500000")
    page.locator("main form button[type=submit]").click()
    expect(main).to_contain_text("Biểu dương")  # the cell's only form, named
    assert not Commendation.objects.exists()
    shot(page, "kt-02-refused-1366")

    # 3. Awarded by the commune's committee: saved, back on the list with the figures by form.
    page.locator("select[name=awarded_by]").select_option(str(t.commune_a1.pk))
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("awards")).to_contain_text("125-QĐ/ĐU")
    award = Commendation.objects.get()
    assert (award.member_id, award.form, award.year_from, award.year_to, award.gift_value) == (best.pk, "certificate", 2020, 2024, 500_000)
    expect(page.get_by_test_id("commendation-figures")).to_contain_text("500.000")
    shot(page, "kt-03-recorded-1366")

    # 4. The same on a phone.
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/sinh-hoat/khen-thuong/?to_chuc={t.commune_a1.pk}&nam=2025&ngay=15/01/2025")
    expect(page.get_by_test_id("awards")).to_contain_text("Nguyễn Thị Xuất Sắc")
    shot(page, "kt-04-list-390")
    page.goto(f"{base}/sinh-hoat/to-chuc/{t.cell_a1a.pk}/khen-thuong/them/?ngay=15/01/2025")
    expect(page.locator("select[name=awarded_by]")).to_be_visible()
    shot(page, "kt-05-form-390")
    _clean_but_the_refusal(watch)


def test_a_province_defines_its_own_score_sheet(live_server, page, watch, shot):
    base = live_server.url
    t = build_tree()
    make_user("tinh", Role.ORG_STAFF, t.province)
    log_in(page, base, "tinh", "pw-tinh")
    main = page.locator("main")
    page.goto(f"{base}/sinh-hoat/to-chuc/{t.province.pk}/phieu-cham-diem/?ngay=01/07/2024")
    expect(page.get_by_test_id("sheet-applying")).to_contain_text("Chưa có phiếu")
    page.get_by_role("link", name="Ban hành phiếu mới").click()
    # the form starts from the default sheet: 8 criteria adding up to 100
    page.locator("input[name=name]").fill("Phiếu chấm điểm của Tỉnh ủy (Hướng dẫn 05-HD/TU)")
    page.locator("input[name=crit_points_1]").fill("10")  # 105 of 100
    page.locator("input[name=crit_label_9]").fill("Ứng dụng công nghệ thông tin")
    page.locator("input[name=crit_points_9]").fill("5")
    page.locator("main form button[type=submit]").click()
    expect(main).to_contain_text("chưa bằng tổng điểm")
    assert not ScoreSheet.objects.exists()
    shot(page, "kt-06-sheet-refused-1366")
    page.locator("input[name=crit_points_1]").fill("5")
    page.locator("input[name=crit_points_3]").fill("5")  # 100 again, with the new criterion
    page.locator("input[name=band_min_2]").fill("75")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("sheet-applying")).to_contain_text("Ứng dụng công nghệ thông tin")
    sheet = ScoreSheet.objects.get()
    assert sum(c["points"] for c in sheet.criteria) == 100 and len(sheet.criteria) == 9
    assert [b["min"] for b in sheet.bands] == [90, 75, 50, 0]
    shot(page, "kt-07-sheet-1366")
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/sinh-hoat/to-chuc/{t.province.pk}/phieu-cham-diem/ban-hanh/?ngay=01/01/2025")
    expect(page.locator("input[name=crit_label_9]")).to_have_value("Ứng dụng công nghệ thông tin")
    shot(page, "kt-08-sheet-form-390")
    page.goto(f"{base}/sinh-hoat/to-chuc/{t.province.pk}/phieu-cham-diem/?ngay=01/07/2024")
    shot(page, "kt-09-sheet-390")
    _clean_but_the_refusal(watch)
