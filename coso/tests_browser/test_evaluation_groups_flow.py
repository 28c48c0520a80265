"""The 2026 year-end round under 366-QĐ/TW with two groups of comparable subjects, one raised to
25% (issue #18), in a real Chromium: the district's staff see commune A1's members over the 20%
cap in their default group, define two groups on the groups page (commune A1's members; the
members of chi bộ cơ sở A2), see the cap counted in the group beside the check and the decision
refused, record the standing board's decision raising commune A1's group to 25%, record that a
member reprimanded in 2026 for a 2025 breach found and remedied it himself, and decide and publish. The rule set's settings show their source, the rounding "UNCONFIRMED".
Screenshots: artifacts/screenshots/eval2026-*.png (and /tmp/eval2026-*.png when EVAL2026_SHOTS=1).
"""

import datetime as dt
import os
import re

import pytest
from playwright.sync_api import expect

from coso.access.models import Role
from coso.conftest import build_tree, make_user
from coso.evaluation import services
from coso.evaluation.choices import SubjectKind
from coso.evaluation.models import CapGroup, Rating
from coso.members import services as members
from coso.members.models import EventType
from coso.people.services import create_person

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hòa", "Hùng"]


def _members(cell, family, n):
    out = []
    for i in range(n):
        person = create_person(actor=None, full_name=f"{family} Văn {GIVEN[i]}", gender="M", birth_date=dt.date(1975 + i, 3, 1))
        out.append(members.record_existing_member(actor=None, person=person, organization=cell, on=dt.date(2024, 1, 10),
                                                  admitted_on=dt.date(2005, 1, 1), recognized_on=dt.date(2006, 1, 1)))
    return out


def _shot(page, shot, name):
    shot(page, name)
    if os.environ.get("EVAL2026_SHOTS"):
        page.screenshot(path=f"/tmp/{name}.png", full_page=True)


def test_a_2026_period_with_two_groups_one_raised_to_25_percent(live_server, page, watch, shot):
    base = live_server.url
    t = build_tree()
    commune = _members(t.cell_a1a, "Nguyễn", 6) + _members(t.cell_a1b, "Trần", 4)
    agency = _members(t.cell_a2, "Lê", 10)
    # Lê Văn Bình: reprimanded on 02/03/2026 for a breach of 20/11/2025 (counted in 2026, 366 Điều 11 khoản 4.3)
    members.record_event(actor=None, member=agency[1], type=EventType.DISCIPLINED, effective_date=dt.date(2026, 3, 2),
                         discipline_form="khien_trach", breach_on=dt.date(2025, 11, 20), breach_category="duty",
                         decision_number="12-QĐ/UBKT", issuing_body="Ủy ban Kiểm tra Huyện ủy A")
    staff = make_user("staff_a", Role.ORG_STAFF, t.district_a)
    period = services.open_period(actor=staff, organization=t.district_a, year=2026)
    # commune A1: 8 "tốt", 2 "xuất sắc" (20% of 8 allows 1; 25% allows 2); A2: 9 "tốt", 1 "xuất sắc"
    for cell, people in ((t.cell_a1a, commune[:6]), (t.cell_a1b, commune[6:]), (t.cell_a2, agency)):
        services.propose(actor=staff, period=period, cell=cell,
                         levels={m.pk: ("htxs", 95) if m in (commune[0], commune[6], agency[0]) else ("htt", 80) for m in people})
    for org in (t.commune_a1, t.cell_a2, t.cell_a1a, t.cell_a1b):
        rating = Rating.objects.get(period=period, subject_kind=SubjectKind.ORGANIZATION, organization=org)
        services.propose_rating(actor=staff, rating=rating, level="htt", score=80)
    log_in(page, base, "staff_a", "pw-staff_a")

    # 1. The period page: the rule set's settings with their sources, the default groups, the cap broken in commune A1.
    page.goto(f"{base}/danh-gia/{period.pk}/")
    expect(page.get_by_test_id("setting-cap_percent")).to_contain_text("Quy định 366-QĐ/TW ngày 30/08/2025, Điều 11, khoản 1, điểm 1.5")
    expect(page.get_by_test_id("setting-cap_rounding")).to_contain_text("UNCONFIRMED")
    expect(page.get_by_test_id("violations")).to_contain_text("Đảng bộ xã A1: 2 đảng viên được xếp loại “Hoàn thành xuất sắc nhiệm vụ”")
    expect(page.get_by_test_id("cap-groups")).to_contain_text("Chưa xác định nhóm tương đồng")
    _shot(page, shot, "eval2026-01-period-default-groups")

    # 2. The groups page: two groups, each with its subjects.
    page.get_by_role("link", name="Nhóm tương đồng và cấu hình").click()
    page.wait_for_url(re.compile(rf"/danh-gia/{period.pk}/nhom-tuong-dong/$"))
    for organization, name in (("Đảng bộ xã A1", "Đảng viên xã A1"), ("Chi bộ cơ sở A2", "Đảng viên khối cơ quan")):
        page.get_by_label("Cấp có thẩm quyền xác định nhóm").select_option(label=organization)
        page.get_by_label("Tên nhóm").fill(name)
        page.get_by_role("button", name="Tạo nhóm").click()
        expect(page.get_by_role("status").filter(has_text=f"Đã tạo nhóm “{name}”.")).to_be_visible()
    for name, organization, count in (("Đảng viên xã A1", "Đảng bộ xã A1", 10), ("Đảng viên khối cơ quan", "Chi bộ cơ sở A2", 10)):
        group = CapGroup.objects.get(period=period, name=name)
        form = page.get_by_test_id(f"assign-{group.pk}")
        form.get_by_label("Đối tượng thuộc").select_option(label=organization)
        form.get_by_label("Loại đối tượng").select_option(label="Đảng viên")
        form.get_by_role("button", name=f"Đưa vào nhóm “{name}”").click()
        expect(page.get_by_role("status").filter(has_text=f"Đã đưa {count} đối tượng vào nhóm “{name}”.")).to_be_visible()
    expect(page.get_by_test_id("group-table")).to_contain_text("Đảng viên xã A1")
    _shot(page, shot, "eval2026-02-groups")

    # 3. The cap is counted in the group, beside the check; the decision is refused.
    page.get_by_role("link", name=re.compile("Năm 2026")).click()
    expect(page.get_by_test_id("violations")).to_contain_text("Nhóm “Đảng viên xã A1”: 2 đối tượng")
    page.get_by_label("Số quyết định").fill("30-QĐ/HU")
    page.get_by_role("button", name="Quyết định xếp loại").click()
    expect(page.get_by_role("status").filter(has_text="Nhóm “Đảng viên xã A1”").first).to_be_visible()
    assert not Rating.objects.filter(period=period, state=Rating.State.DECIDED).exists()

    # 4. The standing board raises commune A1's group to 25%: a dated decision.
    page.get_by_role("link", name="Nhóm tương đồng và cấu hình").click()
    group = CapGroup.objects.get(period=period, name="Đảng viên xã A1")
    page.locator("details", has=page.get_by_test_id(f"raise-{group.pk}")).locator("summary").click()
    form = page.get_by_test_id(f"raise-{group.pk}")
    form.get_by_label("Tỷ lệ tối đa (%)").fill("25")
    form.get_by_label("Số quyết định").fill("15-QĐ/HU")
    form.get_by_label("Ngày quyết định").fill("10/12/2026")
    form.get_by_label("Cơ quan quyết định").fill("Ban Thường vụ Huyện ủy A")
    form.get_by_label("Thành tích xuất sắc, nổi trội").fill("Dẫn đầu phong trào thi đua của huyện năm 2026")
    _shot(page, shot, "eval2026-03-raise-form")
    form.get_by_role("button", name="Ghi quyết định").click()
    expect(page.get_by_role("status").filter(has_text="Đã ghi quyết định nâng tỷ lệ của nhóm “Đảng viên xã A1”.")).to_be_visible()
    expect(page.get_by_test_id("group-table")).to_contain_text("Quyết định số 15-QĐ/HU ngày 10/12/2026 của Ban Thường vụ Huyện ủy A")

    # 5. Lê Văn Bình's breach, found and remedied by himself: the competent level records it with its evidence.
    expect(page.get_by_test_id("group-table")).to_be_visible()
    rating = Rating.objects.get(period=period, member=agency[1], subject_kind=SubjectKind.MEMBER)
    page.goto(f"{base}/danh-gia/xep-loai/{rating.pk}/")
    page.get_by_role("link", name="Kỷ luật trong kỳ; vi phạm tự phát hiện, khắc phục").click()
    expect(page.get_by_test_id("disciplines")).to_contain_text("20/11/2025")
    page.get_by_label(re.compile("^Căn cứ")).fill("Tự báo cáo vi phạm ngày 25/11/2025; đã khắc phục xong hậu quả (biên bản ngày 15/12/2025).")
    page.get_by_label("Số văn bản của cấp có thẩm quyền").fill("08-BB/CB")
    page.get_by_role("button", name="Ghi nhận", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Đã ghi nhận vi phạm tự phát hiện, khắc phục của Lê Văn Bình.")).to_be_visible()
    _shot(page, shot, "eval2026-04b-remedied")

    # 6. Back on the period page the check is clean, the decision beside it; decide and publish.
    page.goto(f"{base}/danh-gia/{period.pk}/")
    expect(page.get_by_test_id("violations")).to_contain_text("Không có vi phạm")
    expect(page.get_by_test_id("cap-groups")).to_contain_text("theo Quyết định số 15-QĐ/HU ngày 10/12/2026 của Ban Thường vụ Huyện ủy A")
    _shot(page, shot, "eval2026-04-period-raised")
    page.get_by_label("Số quyết định").fill("30-QĐ/HU")
    page.get_by_role("button", name="Quyết định xếp loại").click()
    expect(page.get_by_role("status").filter(has_text="Đã quyết định xếp loại 24 đối tượng.")).to_be_visible()
    page.get_by_role("button", name="Công bố kết quả").click()
    expect(page.get_by_test_id("period-state")).to_have_text("Đã công bố kết quả")
    _shot(page, shot, "eval2026-05-published")
    assert Rating.objects.filter(period=period, state=Rating.State.PUBLISHED, level="htxs").count() == 3
    watch.assert_clean()
