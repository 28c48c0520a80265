"""The dashboard (Tổng quan).

What users rely on: the cards show the measure engine's figures for the organization and date
asked for, with the change against the same date a year before ("—" where the organization did
not exist then); the charts carry the engine's series; every child links to its own dashboard;
the number of queries does not grow with the tree; nobody sees a dashboard outside their scope.
"""

import datetime as dt
import json
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coso.measures import engine
from coso.members import lifecycle, services
from coso.members.models import EventType, TransferKind
from coso.organizations import services as org_services
from coso.organizations.models import Kind
from coso.people.services import create_person
from coso.reports import dashboard

pytestmark = pytest.mark.django_db
D = dt.date
ON = "01/05/2025"
ON_DATE = D(2025, 5, 1)
BEFORE = D(2024, 5, 1)
PAGE = reverse("reports:dashboard")
RECORDED_ON = D(2024, 1, 5)
ADMITTED_ON = D(2010, 1, 1)


def member(cell, name, gender="M", on=RECORDED_ON, admitted=ADMITTED_ON, **person):
    p = create_person(actor=None, full_name=name, gender=gender, birth_date=person.pop("birth_date", D(1980, 5, 1)), **person)
    return services.record_existing_member(actor=None, person=p, organization=cell, on=on, admitted_on=admitted,
                                           recognized_on=lifecycle.add_months(admitted, 12) if admitted < on - dt.timedelta(days=400) else None)


def admit(cell, name, gender, listed_on, admitted_on, **person):
    p = create_person(actor=None, full_name=name, gender=gender, birth_date=D(2000, 1, 1), **person)
    candidate = services.add_candidate(actor=None, person=p, organization=cell, listed_on=listed_on,
                                       course_completed_on=listed_on + dt.timedelta(days=10))
    if admitted_on:
        services.admit_candidate(actor=None, candidate=candidate, admitted_on=admitted_on, decision_number="1-QĐ/HU")
    return candidate


@pytest.fixture
def populated(tree):
    """Huyện A on 01/05/2024: five members; by 01/05/2025 one left for huyện B, one was admitted, one
    was recorded, and a candidate is being prepared: six members."""
    m = [
        member(tree.cell_a1a, "Nguyễn Thị Hoa", "F", ethnicity="30", religion="01"),
        member(tree.cell_a1a, "Trần Văn Bình"),
        member(tree.cell_a1b, "Lê Thị Cúc", "F", birth_date=D(1999, 3, 3), admitted=D(2018, 1, 1), education="12/12"),
        member(tree.cell_a1b, "Phạm Văn Dũng", admitted=D(2023, 6, 1)),
        member(tree.cell_a2, "Hồ Văn Em"),
        member(tree.cell_a2, "Đỗ Văn Giang"),
        member(tree.cell_b1a, "Vũ Thị Hạnh", "F"),
        member(tree.cell_b1a, "Võ Văn Ích"),
    ]
    services.record_event(actor=None, member=m[5], type=EventType.DECEASED, effective_date=D(2024, 4, 10))
    services.record_event(actor=None, member=m[1], type=EventType.TRANSFER_OUT, effective_date=D(2024, 9, 1),
                          target_id=tree.cell_b1a.pk, transfer_kind=TransferKind.OFFICIAL)
    services.record_event(actor=None, member=m[1], type=EventType.TRANSFER_RECEIVED, effective_date=D(2024, 9, 10),
                          organization_id=tree.cell_b1a.pk)
    admit(tree.cell_a1b, "Mai Thị Khuê", "F", D(2024, 6, 1), D(2024, 10, 1), ethnicity="30")
    member(tree.cell_a2, "Lý Văn Lộc", on=D(2024, 12, 1))
    admit(tree.cell_a2, "Đinh Văn Minh", "M", D(2025, 1, 10), None)
    return m


def chart_data(response) -> dict:
    match = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', response.content.decode(), re.S)
    assert match, "no chart data on the page"
    return json.loads(match.group(1))


def card(response, name) -> str:
    """The text of a card: label, value and change, whitespace collapsed."""
    body = response.content.decode()
    match = re.search(rf'data-testid="card-{re.escape(name)}">(.*?)</div></div>', body, re.S)
    assert match, name
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def test_it_shows_the_engines_figures_and_their_change_over_a_year(client, people, tree, populated):
    client.force_login(people.staff_a)
    response = client.get(PAGE, {"ngay": ON})
    assert response.status_code == 200
    names = ["members", "members.female", "members.minority", "members.probationary", "orgs.grassroots",
             "orgs.subordinate_cells", "orgs.cells", "candidates"]
    now = engine.table(names, tree.district_a, on=ON_DATE).total
    before = engine.table(names, tree.district_a, on=BEFORE).total
    ratios = ["pct.female", "pct.minority", "pct.probationary", "members_per_cell"]
    now.update(engine.indicators(ratios, tree.district_a, on=ON_DATE))
    before.update(engine.indicators(ratios, tree.district_a, on=BEFORE))
    assert (now["members"], before["members"]) == (6, 5)  # the story of the fixture
    cards = {c.name: c for c in response.context["board"].cards}
    assert list(cards) == ["members", "pct.female", "pct.minority", "pct.probationary", "orgs.grassroots",
                           "orgs.subordinate_cells", "candidates", "members_per_cell"]
    for name, c in cards.items():
        assert (c.value, c.before) == (now[name], before[name]), name
    # as the page prints them: Vietnamese numbers, the change with its direction
    assert card(response, "members") == "Đảng viên 6 tăng 1 so với 01/05/2024"
    assert card(response, "candidates") == "Quần chúng ưu tú đang bồi dưỡng 1 tăng 1 so với 01/05/2024"
    female = card(response, "pct.female")
    assert female.startswith(f"Tỉ lệ đảng viên nữ {str(now['pct.female']).replace('.', ',')}%")
    change = now["pct.female"] - before["pct.female"]
    assert f"{'tăng' if change > 0 else 'giảm'} {str(abs(change)).replace('.', ',')} điểm %" in female
    assert "Tính đến ngày 01/05/2025; thay đổi so với ngày 01/05/2024." in response.content.decode()


def test_it_shows_a_dash_where_the_organization_did_not_exist_a_year_before(client, people, tree, populated):
    client.force_login(people.staff_a)
    response = client.get(PAGE, {"ngay": "01/05/2024"})  # the tree begins on 01/01/2024
    assert response.status_code == 200
    assert all(c.change is None for c in response.context["board"].cards)
    assert card(response, "members").startswith(f"Đảng viên {engine.count('members', tree.district_a, on=BEFORE)} —")


def test_the_chart_data_carries_the_engines_series(client, people, tree, populated):
    client.force_login(people.staff_a)
    data = chart_data(client.get(PAGE, {"ngay": ON}))
    years = data["members_by_year"]
    assert years["labels"] == [f"31/12/{y}" for y in range(2015, 2025)] + [ON]
    assert years["values"][:-2] == [None] * 9  # the tree begins in 2024
    assert years["values"][-2:] == [engine.count("members", tree.district_a, on=D(2024, 12, 31)), 6]
    admissions = dict(zip(data["admissions"]["labels"], data["admissions"]["values"], strict=True))
    assert list(admissions) == [str(y) for y in range(2016, 2026)]
    assert admissions["2024"] == engine.count("events.admitted", tree.district_a, period=(D(2024, 1, 1), D(2024, 12, 31))) == 1
    assert sum(admissions.values()) == 1
    gender = {c["key"]: dict(zip(c["labels"], c["values"], strict=True)) for c in data["compositions"]}["gender"]
    assert gender == {label: n for _k, label, n in engine.breakdown("members", tree.district_a, "gender", on=ON_DATE) if n}
    kinds = dict(zip(data["kinds"]["labels"], data["kinds"]["values"], strict=True))
    assert kinds == {"Đảng bộ cơ sở": 1, "Chi bộ cơ sở": 1, "Chi bộ trực thuộc": 2}
    children = dict(zip(data["children"]["labels"], data["children"]["values"], strict=True))
    assert children == {label: n for _k, label, n in engine.breakdown("members", tree.district_a, "child", on=ON_DATE)}
    assert data["children"]["labels"][0] == "Đảng bộ xã A1"  # the largest first
    assert data["children"]["urls"][0] == f"{PAGE}?to_chuc={tree.commune_a1.pk}&ngay=01%2F05%2F2025"


def test_a_child_links_to_its_own_dashboard(client, people, tree, populated):
    client.force_login(people.staff_a)
    response = client.get(PAGE, {"ngay": ON})
    body = response.content.decode()
    link = f"{PAGE}?to_chuc={tree.commune_a1.pk}&amp;ngay=01%2F05%2F2025"
    assert f'<a href="{link}">Đảng bộ xã A1</a>' in body
    child = client.get(unescape(link))
    assert child.status_code == 200
    assert child.context["title"] == "Đảng bộ xã A1"
    assert child.context["board"].cards[0].value == engine.count("members", tree.commune_a1, on=ON_DATE) == 4
    # the way back up: the breadcrumb links to huyện A's dashboard
    assert f'<a href="{PAGE}?to_chuc={tree.district_a.pk}&amp;ngay=01%2F05%2F2025">Đảng bộ huyện A</a>' in child.content.decode()
    rows = {r.name: r.cells for r in child.context["board"].children}
    assert rows["Chi bộ thôn A1b"][0] == engine.count("members", tree.cell_a1b, on=ON_DATE)


def test_it_defaults_to_the_scope_organization_today(client, people, tree, populated, time_machine):
    time_machine.move_to(dt.datetime(2025, 5, 1, 9, 0))
    client.force_login(people.leader_a)  # read-only roles read the dashboard too
    response = client.get(PAGE)
    assert response.status_code == 200
    assert response.context["title"] == "Đảng bộ huyện A"
    assert response.context["on"] == ON_DATE


def test_a_global_administrator_sees_the_whole_tree(client, people, tree, populated):
    client.force_login(people.admin)
    response = client.get(PAGE, {"ngay": ON})
    assert response.status_code == 200
    assert response.context["title"] == "Toàn hệ thống"
    assert response.context["board"].cards[0].value == engine.count("members", None, on=ON_DATE) == 9
    assert [r.name for r in response.context["board"].children] == ["Đảng bộ tỉnh Thử nghiệm"]


def test_an_organization_not_in_force_on_the_date_shows_a_warning(client, people, tree):
    client.force_login(people.staff_a)
    response = client.get(PAGE, {"ngay": "01/01/2020"})
    assert response.status_code == 200
    assert response.context["board"] is None
    assert "không hoạt động trong phạm vi của bạn vào ngày 01/01/2020" in response.content.decode()


def test_staff_of_a_district_cannot_open_the_other_districts_dashboard(client, people, tree, populated):
    client.force_login(people.staff_a)
    for org in (tree.district_b, tree.commune_b1, tree.cell_b1a, tree.province):
        assert client.get(PAGE, {"to_chuc": org.pk, "ngay": ON}).status_code == 404
    assert client.get(PAGE, {"to_chuc": "abc"}).status_code == 404
    body = client.get(PAGE, {"ngay": ON}).content.decode()
    assert "huyện B" not in body and "xã B1" not in body and "thôn B1a" not in body  # not bare "B1": CSRF tokens hold it by chance
    client.force_login(people.staff_b)
    assert client.get(PAGE, {"to_chuc": tree.district_b.pk, "ngay": ON}).status_code == 200


def test_figures_from_before_an_organization_entered_the_scope_stay_hidden(client, people, tree, populated):
    """Xã B1 moved from huyện B to huyện A on 01/03/2025: staff of huyện A see it from then on, not
    its figures of the time it lay in huyện B."""
    org_services.move_organization(actor=None, organization=tree.commune_b1, new_parent=tree.district_a, valid_from=D(2025, 3, 1))
    client.force_login(people.staff_a)
    response = client.get(PAGE, {"to_chuc": tree.commune_b1.pk, "ngay": ON})
    assert response.status_code == 200
    board = response.context["board"]
    assert board.cards[0].value == engine.count("members", tree.commune_b1, on=ON_DATE) == 3
    assert board.cards[0].before is None and card(response, "members").startswith("Đảng viên 3 —")
    assert chart_data(response)["members_by_year"]["values"][-2:] == [None, 3]  # 31/12/2024: in huyện B
    earlier = client.get(PAGE, {"to_chuc": tree.commune_b1.pk, "ngay": "01/02/2025"})  # still in huyện B
    assert earlier.status_code == 200 and earlier.context["board"] is None
    assert "không hoạt động trong phạm vi của bạn" in earlier.content.decode()


def test_it_is_read_only_and_needs_a_login(client, people):
    assert client.get(PAGE).status_code == 302
    client.force_login(people.staff_a)
    assert client.post(PAGE).status_code == 405


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE, params).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_tree(client, people, tree, populated, django_assert_max_num_queries):
    client.force_login(people.admin)
    province = {"to_chuc": tree.province.pk, "ngay": ON}
    # session, user (2); the province's placement on the date (1); the engine: the key figures by
    # child (the root's placement, three grouped counts, three child maps, the child names: 8), a year
    # before (placement, three counts: 4), ten year-ends (placement and count: 2 where the tree existed,
    # the placement alone where it did not: 11), four compositions (2 each: 8), the admissions by year
    # (2); the session saved (savepoint, update, release: 3)
    with django_assert_max_num_queries(39):
        client.get(PAGE, province)
    before = _queries(client, province)
    for i in range(4):  # more cells, more members: the same queries
        cell = org_services.create_organization(actor=None, parent=tree.commune_b1, name=f"Chi bộ thôn B1{i}",
                                                kind=Kind.SUBORDINATE_CELL, valid_from=D(2024, 1, 1))
        member(cell, f"Người Thứ {i}")
    assert _queries(client, province) == before
    # a scoped user: the scope's paths, its name in the header, and the engine's scope check in the
    # calls about other dates than the one asked for, where the tree existed (a year before, 31/12/2024):
    # 4 more (on the date asked for, the view has checked the organization against the scope)
    client.force_login(people.staff_a)
    with django_assert_max_num_queries(43):
        client.get(PAGE, {"ngay": ON})


def test_every_card_and_column_is_a_catalog_figure():
    from coso.measures.catalog import INDICATORS, MEASURES

    for name, is_indicator in dashboard.CARDS:
        assert name in (INDICATORS if is_indicator else MEASURES)
    assert len(dashboard.COLUMNS) == len(dashboard.CARDS)
