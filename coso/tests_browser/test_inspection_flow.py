"""An inspection on signs of violation of a member in a real Chromium (issue 15): the district's
inspection officer records the case, concludes it with a violation, sees the limitation status
before deciding, decides a warning (cảnh cáo); the organization staff of the same district are
refused the case's page (403) and see the member's 2025 rating "Hoàn thành tốt nhiệm vụ" blocked
by the evaluation's own check. Screenshots: artifacts/screenshots/inspection-*.png.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from coso.access.models import Role
from coso.conftest import build_tree, make_user
from coso.evaluation import services as evaluation
from coso.evaluation.rules.base import GOOD
from coso.inspection.models import Case, Discipline
from coso.members import services as members
from coso.members.models import EventType, MemberEvent
from coso.people.services import create_person

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_warning_after_an_inspection_blocks_a_good_rating(live_server, page, watch, shot):
    base = live_server.url
    t = build_tree()
    person = create_person(actor=None, full_name="Lê Văn Cảnh", gender="M", birth_date=dt.date(1975, 2, 1))
    member = members.record_existing_member(actor=None, person=person, organization=t.cell_a2, on=dt.date(2024, 1, 10),
                                            admitted_on=dt.date(2005, 1, 1), recognized_on=dt.date(2006, 1, 1))
    make_user("kiemtra_a", Role.INSPECTION_STAFF, t.district_a)
    staff = make_user("staff_a", Role.ORG_STAFF, t.district_a)
    log_in(page, base, "kiemtra_a", "pw-kiemtra_a")

    # 1. The case: an inspection on signs of violation of the member, by the inspection commission.
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Kiểm tra - Giám sát").click()
    page.wait_for_url(re.compile(r"/kiem-tra/$"))
    page.get_by_test_id("new-case").click()
    page.get_by_label("Loại công việc").select_option(label="Kiểm tra khi có dấu hiệu vi phạm")
    picker = page.locator("#id_subject_member").locator("xpath=..")
    picker.get_by_label("Tìm để chọn").fill("le van canh")
    expect(page.locator("#id_subject_member")).to_have_value(str(member.pk))
    page.get_by_label("Số quyết định").fill("05-QĐ/UBKT")
    page.get_by_label("Ngày quyết định").fill("01/03/2025")
    page.get_by_label("Hạn kết luận").fill("30/04/2025")
    shot(page, "inspection-01-case-form")
    page.get_by_role("button", name="Lưu").click()
    case = Case.objects.get()
    page.wait_for_url(re.compile(rf"/kiem-tra/{case.pk}/$"))
    expect(page.get_by_test_id("case-title")).to_contain_text("Kiểm tra khi có dấu hiệu vi phạm: Lê Văn Cảnh")

    # 2. The conclusion: a violation, to be considered for discipline.
    form = page.get_by_test_id("conclude-form")
    form.get_by_label("Ngày kết luận").fill("20/04/2025")
    form.locator("#id_violation_found").select_option(label="Có vi phạm")
    form.get_by_label("Đến mức phải xem xét kỷ luật").check()
    form.get_by_label("Ưu điểm, khuyết điểm, vi phạm").fill("Vi phạm quy định về trách nhiệm nêu gương.")
    form.get_by_role("button", name="Ghi kết luận").click()
    expect(page.get_by_test_id("conclusion")).to_contain_text("Có vi phạm")
    shot(page, "inspection-02-concluded")

    # 3. The discipline: the limitation status first, then the decision.
    page.get_by_test_id("decide-discipline").click()
    page.get_by_label("Hình thức kỷ luật").select_option(label="Cảnh cáo")
    page.get_by_label("Ngày bắt đầu vi phạm").fill("10/01/2025")
    page.get_by_label("Nội dung vi phạm").select_option("duty")
    page.get_by_label("Số phiếu tán thành").fill("5")
    page.get_by_label("Số thành viên có quyền biểu quyết").fill("7")
    page.get_by_label("Ngày quyết định").fill("01/05/2025")
    page.get_by_label("Ngày có hiệu lực").fill("01/05/2025")
    page.get_by_label("Số quyết định").fill("12-QĐ/UBKT")
    page.get_by_test_id("check-limitation").click()
    expect(page.get_by_test_id("limitation")).to_contain_text("Còn thời hiệu xử lý kỷ luật: 10 năm kể từ ngày 10/01/2025")
    shot(page, "inspection-03-limitation")
    page.get_by_test_id("decide").click()
    discipline = Discipline.objects.get()
    page.wait_for_url(re.compile(rf"/kiem-tra/ky-luat/{discipline.pk}/$"))
    expect(page.get_by_test_id("discipline-title")).to_contain_text("Cảnh cáo: Lê Văn Cảnh")
    shot(page, "inspection-04-discipline")
    assert MemberEvent.objects.filter(member=member, type=EventType.DISCIPLINED, discipline_form="canh_cao").exists()
    watch.assert_clean()

    # 4. The organization staff of the district: no case contents; the 2025 rating is blocked.
    page.context.clear_cookies()
    log_in(page, base, "staff_a", "pw-staff_a")
    response = page.goto(f"{base}/kiem-tra/{case.pk}/")
    assert response.status == 403
    shot(page, "inspection-05-staff-refused")
    page.goto(f"{base}/kiem-tra/bao-cao/?to_chuc={t.district_a.pk}&ky=year&nam=2025")
    expect(page.get_by_test_id("report-section").first).to_contain_text("Kiểm tra khi có dấu hiệu vi phạm")
    expect(page.locator("body")).not_to_contain_text("Lê Văn Cảnh")  # the figures, never the names
    shot(page, "inspection-05b-staff-report")
    period = evaluation.open_period(actor=staff, organization=t.district_a, year=2025)
    evaluation.propose(actor=staff, period=period, cell=t.cell_a2, levels={member.pk: GOOD})
    page.goto(f"{base}/danh-gia/{period.pk}/")
    expect(page.locator("body")).to_contain_text("Lê Văn Cảnh bị kỷ luật cảnh cáo ngày 01/05/2025 nên chỉ được xếp loại")
    shot(page, "inspection-06-rating-blocked")


def test_a_complaint_annuls_a_wrongful_warning_and_the_rating_is_no_longer_blocked(live_server, page, watch, shot):
    """The district's standing committee, on the member's complaint, annuls a warning as wrongful
    (117-QĐ/TW): the decision stays in the history with the annulment beside it, the complaint is
    closed with its outcome, and the member's 2025 rating is no longer held down."""
    from coso.inspection import services as inspection
    from coso.inspection.choices import Body, Channel, Form, IntakeKind, SubjectKind

    base = live_server.url
    t = build_tree()
    person = create_person(actor=None, full_name="Lê Văn Khiếu", gender="M", birth_date=dt.date(1975, 2, 1))
    member = members.record_existing_member(actor=None, person=person, organization=t.cell_a2, on=dt.date(2024, 1, 10),
                                            admitted_on=dt.date(2005, 1, 1), recognized_on=dt.date(2006, 1, 1))
    officer = make_user("kiemtra_a", Role.INSPECTION_STAFF, t.district_a)
    staff = make_user("staff_a", Role.ORG_STAFF, t.district_a)
    discipline = inspection.decide_discipline(
        actor=officer, organization=t.district_a, body=Body.COMMISSION, subject_kind=SubjectKind.MEMBER, subject_member=member,
        form=Form.WARNING, breach_started_on=dt.date(2025, 1, 10), votes_for=5, votes_entitled=7, decided_on=dt.date(2025, 5, 1),
        effective_on=dt.date(2025, 5, 1), decision_number="12-QĐ/UBKT", breach_category="duty")
    inspection.register_intake(actor=officer, organization=t.district_a, body=Body.COMMITTEE, kind=IntakeKind.COMPLAINT,
                               received_on=dt.date(2025, 6, 1), channel=Channel.LETTER, concerned="Lê Văn Khiếu")
    period = evaluation.open_period(actor=staff, organization=t.district_a, year=2025)
    evaluation.propose(actor=staff, period=period, cell=t.cell_a2, levels={member.pk: (GOOD, 80)})
    log_in(page, base, "kiemtra_a", "pw-kiemtra_a")

    page.goto(f"{base}/kiem-tra/ky-luat/{discipline.pk}/")
    page.get_by_test_id("correct").click()
    page.wait_for_url(re.compile(rf"/kiem-tra/ky-luat/{discipline.pk}/giai-quyet/$"))
    form = page.get_by_test_id("correction-form")
    form.get_by_label("Cơ quan quyết định").select_option(label="Ban Thường vụ")
    form.get_by_label("Nội dung quyết định").select_option(label="Xóa bỏ quyết định kỷ luật")
    form.get_by_label("Kỷ luật oan").check()
    form.get_by_label("Lý do").fill("Không đủ căn cứ kết luận vi phạm.")
    form.get_by_label("Số quyết định").fill("30-QĐ/HU")
    form.get_by_label("Ngày quyết định").fill("01/09/2025")
    form.get_by_label("Ngày có hiệu lực").fill("01/09/2025")
    form.get_by_label("Theo đơn khiếu nại").select_option(index=1)
    shot(page, "inspection-07-correction-form")
    page.get_by_test_id("save-correction").click()
    page.wait_for_url(re.compile(rf"/kiem-tra/ky-luat/{discipline.pk}/$"))
    expect(page.get_by_test_id("standing")).to_contain_text("Quyết định kỷ luật đã bị xóa bỏ.")
    expect(page.get_by_test_id("corrections")).to_contain_text("Xóa bỏ quyết định kỷ luật")
    expect(page.get_by_test_id("discipline-title")).to_contain_text("Cảnh cáo: Lê Văn Khiếu")  # the decision, kept
    shot(page, "inspection-08-annulled")
    watch.assert_clean()

    page.context.clear_cookies()
    log_in(page, base, "staff_a", "pw-staff_a")
    page.goto(f"{base}/danh-gia/{period.pk}/")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Lê Văn Khiếu bị kỷ luật")
    shot(page, "inspection-09-rating-free")
    assert not [v for v in evaluation.violations(period) if v.rule == "discipline.member"]
