"""Point persons and meeting scores in a real Chromium (issue #16 points 3 and 4): the district's
organization staff reads who is below the quarter's minimum, a point person's year ("gắn trách
nhiệm": the assigned cell's meetings, scores and rating) and a cell's quarterly score picture, at
1366 × 768 and on a phone; a score typed above a criterion's maximum is refused by name and the
right one is saved. Screenshots: artifacts/screenshots/pp-*.png."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from coso.access.models import Role
from coso.activities import scoring, services
from coso.activities.models import MeetingScore, PointRole, Rater
from coso.conftest import build_tree, make_user
from coso.members import lifecycle
from coso.members import services as member_services
from coso.people.services import create_person

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
D = dt.date


def _member(cell, name):
    person = create_person(actor=None, full_name=name, gender="M", birth_date=D(1975, 5, 1))
    return member_services.record_existing_member(actor=None, person=person, organization=cell, on=D(2024, 1, 2),
                                                  admitted_on=D(2005, 1, 1), recognized_on=lifecycle.add_months(D(2005, 1, 1), 12))


def test_the_district_reads_its_point_persons_and_the_cells_scores(live_server, page, watch, shot):
    base = live_server.url
    t = build_tree()
    make_user("board_a", Role.ORG_STAFF, t.district_a)
    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"):
        _member(t.cell_a1a, name)
    boss = _member(t.cell_a1b, "Phạm Văn Phụ Trách")
    follower = _member(t.cell_a1b, "Hoàng Văn Theo Dõi")
    services.define_score_sheet(actor=None, owner=t.province, valid_from=D(2024, 1, 1),
                                **{k: scoring.DEFAULT_SHEET[k] for k in ("name", "criteria", "bands", "source")})
    services.assign_point_person(actor=None, member=boss, organization=t.cell_a1a, role=PointRole.IN_CHARGE,
                                 valid_from=D(2024, 1, 2), decision_number="15-QĐ/ĐU", decision_date=D(2023, 12, 28))
    services.assign_point_person(actor=None, member=follower, organization=t.cell_a1a, role=PointRole.FOLLOWS, valid_from=D(2024, 1, 2))
    full = {c["key"]: c["points"] for c in scoring.DEFAULT_SHEET["criteria"]}
    meetings = []
    for month in (1, 2, 3, 4):
        m = services.record_meeting(actor=None, organization=t.cell_a1a, held_on=D(2024, month, 10),
                                    superior_attendee_id=boss.pk if month in (1, 4) else None)
        meetings.append(m)
    services.score_meeting(actor=None, meeting=meetings[0], rater=Rater.POINT_PERSON, points=full)
    services.score_meeting(actor=None, meeting=meetings[1], rater=Rater.CELL, points={**full, "conduct": 0})

    log_in(page, base, "board_a", "pw-board_a")
    # 1. Who is below the minimum in the first quarter: the follower came to none of the three meetings.
    page.goto(f"{base}/sinh-hoat/phu-trach/?to_chuc={t.commune_a1.pk}&nam=2024&quy=1&ngay=31/12/2024")
    main = page.locator("main")
    below = page.get_by_test_id("below-minimum")
    expect(below).to_contain_text("Hoàng Văn Theo Dõi")
    expect(below).not_to_contain_text("Phạm Văn Phụ Trách")
    expect(page.get_by_test_id("assignments")).to_contain_text("Phạm Văn Phụ Trách")
    shot(page, "pp-01-below-minimum-1366")

    # 2. The point person's year: the assigned cell with its meetings attended out of held.
    page.goto(f"{base}/sinh-hoat/phu-trach/dang-vien/{boss.pk}/?nam=2024&ngay=31/12/2024")
    expect(main).to_contain_text("Chi bộ thôn A1a")
    expect(main).to_contain_text("15-QĐ/ĐU")
    shot(page, "pp-02-point-person-year-1366")

    # 3. The cell's score picture: the first quarter's two scored meetings.
    page.goto(f"{base}/sinh-hoat/chi-bo/{t.cell_a1a.pk}/cham-diem/?nam=2024&ngay=31/12/2024")
    expect(main).to_contain_text("Phạm Văn Phụ Trách")
    shot(page, "pp-03-cell-scores-1366")

    # 4. Scoring the March meeting as the cell: a criterion above its maximum is refused by name.
    page.goto(f"{base}/sinh-hoat/{meetings[2].pk}/cham-diem/?nguoi_cham=cell")
    first = scoring.DEFAULT_SHEET["criteria"][0]
    for c in scoring.DEFAULT_SHEET["criteria"]:
        page.locator(f"input[name='{c['key']}']").fill(str(c["points"]))
    page.locator(f"input[name='{first['key']}']").fill(str(first["points"] + 5))
    page.locator("main form button[type=submit]").last.click()
    expect(main).to_contain_text(str(first["points"]))
    assert not MeetingScore.objects.filter(meeting=meetings[2]).exists()
    shot(page, "pp-04-score-refused-1366")
    page.locator(f"input[name='{first['key']}']").fill(str(first["points"]))
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("main")).to_be_visible()
    page.wait_for_load_state()
    assert MeetingScore.objects.filter(meeting=meetings[2], rater=Rater.CELL, total=100).exists()

    # 5. The same pages on a phone.
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/sinh-hoat/chi-bo/{t.cell_a1a.pk}/cham-diem/?nam=2024&ngay=31/12/2024")
    expect(main).to_contain_text("Phạm Văn Phụ Trách")
    shot(page, "pp-05-cell-scores-390")
    page.goto(f"{base}/sinh-hoat/phu-trach/dang-vien/{boss.pk}/?nam=2024&ngay=31/12/2024")
    expect(main).to_contain_text("Chi bộ thôn A1a")
    shot(page, "pp-06-point-person-year-390")
