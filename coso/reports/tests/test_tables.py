"""The statistical report page and the lists behind its figures.

What users rely on: the page shows the measure engine's numbers for the organization and date
asked for; every linked number opens a list of exactly that many records; lists that reveal
individuals' ethnicity or religion need "people.sensitive"; nobody reports outside their scope.
"""

import datetime as dt
import re
from html import escape as html_escape
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from coso.measures import engine
from coso.measures.catalog import MEASURES
from coso.members import lifecycle, services
from coso.members.models import EventType, TransferKind
from coso.organizations.scope import Scope
from coso.people.services import create_person
from coso.reports import standard

pytestmark = pytest.mark.django_db
D = dt.date
ON = "01/05/2024"
PAGE = reverse("reports:statistics")
FIGURE = reverse("reports:figure")
LINK = re.compile(r'<a href="(/bao-cao/thong-ke/so-lieu/\?[^"]+)"[^>]*>([\d.]+)</a>')


ADMITTED = D(2010, 1, 1)


def member(cell, name, gender="M", admitted=ADMITTED, **person):
    p = create_person(actor=None, full_name=name, gender=gender, birth_date=person.pop("birth_date", D(1980, 5, 1)), **person)
    on = D(2024, 1, 5)
    return services.record_existing_member(actor=None, person=p, organization=cell, on=on, admitted_on=admitted,
                                           recognized_on=lifecycle.add_months(admitted, 12) if admitted < on - dt.timedelta(days=400) else None)


@pytest.fixture
def populated(tree):
    """Six members in huyện A (one Tày and Buddhist), two in huyện B; a transfer A → B and a death in 2024."""
    m = [
        member(tree.cell_a1a, "Nguyễn Thị Hoa", "F", ethnicity="02", religion="01"),
        member(tree.cell_a1a, "Trần Văn Bình", ethnicity="01"),
        member(tree.cell_a1b, "Lê Thị Cúc", "F", birth_date=D(1999, 3, 3), admitted=D(2018, 1, 1), ethnicity="01", religion="00"),
        member(tree.cell_a1b, "Phạm Văn Dũng", admitted=D(2023, 6, 1)),
        member(tree.cell_a2, "Hồ Văn Em"),
        member(tree.cell_a2, "Đỗ Văn Giang"),
        member(tree.cell_b1a, "Vũ Thị Hạnh", "F"),
        member(tree.cell_b1a, "Võ Văn Ích"),
    ]
    services.record_event(actor=None, member=m[1], type=EventType.TRANSFER_OUT, effective_date=D(2024, 3, 1),
                          target_id=tree.cell_b1a.pk, transfer_kind=TransferKind.OFFICIAL)
    services.record_event(actor=None, member=m[1], type=EventType.TRANSFER_RECEIVED, effective_date=D(2024, 3, 20),
                          organization_id=tree.cell_b1a.pk)
    services.record_event(actor=None, member=m[5], type=EventType.DECEASED, effective_date=D(2024, 4, 10))
    return m


def links(response) -> list[tuple[str, int]]:
    """(url, number) of every linked figure on the page."""
    body = response.content.decode()
    return [(unescape(url), int(text.replace(".", ""))) for url, text in LINK.findall(body)]


def section_html(response, code: str) -> str:
    body = response.content.decode()
    start = body.index(f'data-testid="section-{code}"')
    return body[start:body.index("</section>", start)]


# ------------------------------------------------------------------------------- the page


def test_it_shows_the_engines_numbers_for_every_section(client, people, tree, populated):
    client.force_login(people.staff_a)
    response = client.get(PAGE, {"to_chuc": tree.district_a.pk, "ngay": ON})
    assert response.status_code == 200
    expected = standard.build(tree.district_a, D(2024, 5, 1))
    shown = response.context["sections"]
    assert [s.rows.code for s in shown] == [s.code for s in standard.SECTIONS]
    for page_section, (section, table) in zip(shown, expected.tables, strict=True):
        assert [row.label for row in page_section.lines] == [label for _k, label, _v in table.rows]
        for row, (_key, _label, values) in zip(page_section.lines, table.rows, strict=True):
            assert [c.value for c in row.cells] == [values[m] for m in table.measures], section.code
        assert [c.value for c in page_section.total.cells] == [table.total[m] for m in table.measures]
    members = section_html(response, "members")
    assert "Đảng bộ xã A1" in members and "Chi bộ cơ sở A2" in members
    assert "Tổng số" in members


def test_it_defaults_to_the_scope_organization_today_and_the_year_so_far(client, people, tree, populated, time_machine):
    time_machine.move_to(dt.datetime(2024, 5, 1, 9, 0))
    client.force_login(people.staff_a)
    response = client.get(PAGE)
    assert response.status_code == 200
    where = response.context["where"]
    assert where.organization_id == tree.district_a.pk
    assert (where.on, where.period) == (D(2024, 5, 1), (D(2024, 1, 1), D(2024, 5, 1)))
    assert "Đảng bộ huyện A" in response.content.decode()
    changes = next(s for s in response.context["sections"] if s.rows.code == "changes")
    assert changes.total.cells[changes.rows.table.measures.index("events.transferred_out")].value == 1
    assert changes.total.cells[changes.rows.table.measures.index("events.deceased")].value == 1


def test_the_period_of_the_changes_table_is_chosen_and_checked(client, people, tree, populated):
    client.force_login(people.staff_a)
    response = client.get(PAGE, {"ngay": ON, "tu_ngay": "01/04/2024", "den_ngay": "30/04/2024"})
    changes = next(s for s in response.context["sections"] if s.rows.code == "changes")
    values = dict(zip(changes.rows.table.measures, [c.value for c in changes.total.cells], strict=True))
    assert values["events.transferred_out"] == 0 and values["events.deceased"] == 1
    response = client.get(PAGE, {"ngay": ON, "tu_ngay": "30/04/2024", "den_ngay": "01/04/2024"})
    assert response.status_code == 200 and response.context["sections"] == []
    assert "Ngày bắt đầu của kỳ phải trước ngày kết thúc." in response.content.decode()


def test_an_administrator_reports_on_the_whole_tree(client, people, tree, populated):
    client.force_login(people.admin)
    response = client.get(PAGE, {"ngay": ON})
    assert "Toàn hệ thống" in response.content.decode()
    members = response.context["sections"][3]
    assert members.rows.code == "members"
    assert members.total.cells[0].value == engine.count("members", None, on=D(2024, 5, 1)) == 7


def test_numbers_are_written_the_vietnamese_way_and_ids_in_links_are_not(client, people, tree, monkeypatch):
    big = engine.Table(measures=["members"], by="child", rows=[(tree.commune_a1.pk, "Đảng bộ xã A1", {"members": 5400})],
                       total={"members": 5400})
    report = standard.Report(tree.district_a.pk, "Đảng bộ huyện A", D(2024, 5, 1), (D(2024, 1, 1), D(2024, 5, 1)),
                             [(standard.SECTION_BY_CODE["members"], big)])
    monkeypatch.setattr(standard, "build", lambda *a, **k: report)
    client.force_login(people.staff_a)
    body = client.get(PAGE, {"ngay": ON}).content.decode()
    assert ">5.400</a>" in body
    url, number = links(client.get(PAGE, {"ngay": ON}))[0]
    assert number == 5400
    query = parse_qs(urlsplit(url).query)
    assert query["to_chuc"] == [str(tree.district_a.pk)] and query["khoa"] == [str(tree.commune_a1.pk)]


def test_labels_in_rows_and_in_figure_titles_are_escaped(client, people, tree, monkeypatch):
    """The rows are written in Python (views._page_section), not by the template: what the
    template's autoescaping did, they do."""
    label = 'Chi bộ <Thôn "Mới"> & Co'
    table = engine.Table(measures=["members", "members.female"], by="child", rows=[(tree.commune_a1.pk, label, {"members": 3, "members.female": 0})],
                         total={"members": 3, "members.female": 0})
    report = standard.Report(tree.district_a.pk, "Đảng bộ huyện A", D(2024, 5, 1), (D(2024, 1, 1), D(2024, 5, 1)),
                             [(standard.SECTION_BY_CODE["members"], table)])
    monkeypatch.setattr(standard, "build", lambda *a, **k: report)
    client.force_login(people.staff_a)
    section = section_html(client.get(PAGE, {"ngay": ON}), "members")
    escaped = "Chi bộ &lt;Thôn &quot;Mới&quot;&gt; &amp; Co"
    assert f'<th scope="row" class="fw-normal">{escaped}</th>' in section and label not in section
    assert f'title="{html_escape(str(MEASURES["members"].label))} — {escaped}">3</a></td><td class="num">0</td>' in section
    assert '<td class="num"><a href="/bao-cao/thong-ke/so-lieu/?chi_tieu=members&amp;' in section


def test_rows_of_zeros_of_long_breakdowns_are_hidden_behind_a_toggle(client, people, tree, populated):
    client.force_login(people.staff_a)
    response = client.get(PAGE, {"ngay": ON})
    ethnicity = section_html(response, "ethnicity")
    assert 'data-testid="toggle-ethnicity"' in ethnicity and 'data-bs-target=".zero-ethnicity"' in ethnicity
    hidden = re.findall(r'<tr class="collapse zero-ethnicity">\s*<th scope="row" class="fw-normal">([^<]+)</th>', ethnicity)
    assert "Kinh" not in hidden and "Tày" not in hidden and "Hoa" in hidden
    assert len(hidden) == sum(1 for line in response.context["sections"][6].lines if line.zero) > 40
    # short breakdowns show every row
    assert "collapse" not in section_html(response, "gender")


def test_the_page_refuses_other_methods_and_users_without_the_permission(client, people, tree):
    client.force_login(people.staff_a)
    assert client.post(PAGE).status_code == 405
    client.logout()
    assert client.get(PAGE).status_code == 302  # to the login page


def test_the_page_runs_a_bounded_number_of_queries(client, people, tree, populated, django_assert_max_num_queries):
    client.force_login(people.staff_a)
    # session and user (2), the scope's paths, the placement, then per section: the root's
    # placement and at most four grouped queries (placements, counts, child map, labels); the
    # period sections share the page's tree; cell work adds one grouped query for each of its four
    # families (meetings, absences, dues, commendations)
    # 64 (61 on SQLite) before each subtree read once what every table asked of it again (#11 §2)
    with django_assert_max_num_queries(33):
        client.get(PAGE, {"ngay": ON})


# ------------------------------------------------------------------------------- the figures


def test_every_linked_number_opens_a_list_of_exactly_that_many_records(client, people, tree, populated):
    client.force_login(people.staff_a)
    response = client.get(PAGE, {"to_chuc": tree.district_a.pk, "ngay": ON})
    found = links(response)
    assert len(found) > 30
    measures = set()
    for url, number in found:
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert answer.context["page"].paginator.count == number, url
        body = answer.content.decode()
        assert f'data-testid="figure-count">{number}<' in body
        assert body.count("<tr>") - 1 == min(number, 50), url  # the header row, then one per record
        measures.add(parse_qs(urlsplit(url).query)["chi_tieu"][0])
    assert {"members", "members.minority", "orgs.subordinate_cells", "events.transferred_out", "events.deceased"} <= measures


def test_a_figure_lists_the_records_with_their_details(client, people, tree, populated):
    client.force_login(people.staff_a)
    response = client.get(FIGURE, {"chi_tieu": "members.female", "to_chuc": tree.district_a.pk, "ngay": ON,
                                   "theo": "child", "khoa": tree.commune_a1.pk})
    body = response.content.decode()
    assert response.context["page"].paginator.count == 2
    assert "Nguyễn Thị Hoa" in body and "Lê Thị Cúc" in body and "Chi bộ thôn A1b" in body
    assert "Đảng bộ xã A1" in body  # the breakdown's key, by name
    response = client.get(FIGURE, {"chi_tieu": "events.deceased", "to_chuc": tree.district_a.pk, "tu_ngay": "01/01/2024",
                                   "den_ngay": "31/12/2024"})
    body = response.content.decode()
    assert response.context["page"].paginator.count == 1
    assert "Đỗ Văn Giang" in body and "10/04/2024" in body
    response = client.get(FIGURE, {"chi_tieu": "orgs.subordinate_cells", "to_chuc": tree.district_a.pk, "ngay": ON})
    assert [r.name for r in response.context["rows"]] == ["Chi bộ thôn A1a", "Chi bộ thôn A1b"]


def test_lists_are_paged_by_fifty(client, people, tree):
    for i in range(53):
        member(tree.cell_a2, f"Người Thứ {i:02d}")
    client.force_login(people.staff_a)
    response = client.get(FIGURE, {"chi_tieu": "members", "to_chuc": tree.district_a.pk, "ngay": ON})
    assert response.context["page"].paginator.count == 53 and len(response.context["rows"]) == 50
    second = client.get(FIGURE, {"chi_tieu": "members", "to_chuc": tree.district_a.pk, "ngay": ON, "trang": 2})
    assert len(second.context["rows"]) == 3


def test_lists_revealing_ethnicity_or_religion_need_the_sensitive_permission(client, people, tree, populated):
    assert not Scope(people.leader_a).can("people.sensitive")
    client.force_login(people.leader_a)
    response = client.get(PAGE, {"ngay": ON})
    urls = [url for url, _n in links(response)]
    queries = [parse_qs(urlsplit(u).query) for u in urls]
    assert not [q for q in queries if q.get("theo") in (["ethnicity"], ["religion"])]
    assert not [q for q in queries if q["chi_tieu"][0] in ("members.minority", "members.religious")]
    # the numbers are still shown: aggregates
    ethnicity = section_html(response, "ethnicity")
    assert re.search(r'Tày</th>\s*<td class="num">1</td>', ethnicity)
    members = response.context["sections"][3]
    minority = members.rows.table.measures.index("members.minority")
    assert members.total.cells[minority].value == 1 and members.total.cells[minority].url == ""
    assert members.total.cells[0].url  # plain member counts stay linked
    sensitive = [
        {"chi_tieu": "members", "theo": "ethnicity", "khoa": "02"},
        {"chi_tieu": "members", "theo": "religion", "khoa": "01"},
        {"chi_tieu": "members", "theo": "ethnic_group", "khoa": "minority"},
        {"chi_tieu": "members.minority"},
        {"chi_tieu": "members.religious", "theo": "child", "khoa": tree.commune_a1.pk},
    ]
    for params in sensitive:
        assert client.get(FIGURE, {**params, "ngay": ON}).status_code == 403, params
    client.force_login(people.staff_a)
    for params in sensitive:
        assert client.get(FIGURE, {**params, "ngay": ON}).status_code == 200, params
    response = client.get(FIGURE, {"chi_tieu": "members", "theo": "ethnicity", "khoa": "02", "ngay": ON})
    assert [r.member.person.full_name for r in response.context["rows"]] == ["Nguyễn Thị Hoa"]


def test_a_figure_runs_a_bounded_number_of_queries_whatever_the_page(client, people, tree, django_assert_max_num_queries):
    for i in range(60):
        member(tree.cell_a1a if i % 2 else tree.cell_a1b, f"Người Thứ {i:02d}")
    client.force_login(people.staff_a)
    params = {"chi_tieu": "members", "to_chuc": tree.district_a.pk, "ngay": ON, "theo": "child", "khoa": tree.commune_a1.pk}
    # session, user; the scope's paths, the organization on the date; the engine: the root's
    # placement, the scope check, the child's placement; count, the page of 50 with persons,
    # the cells' names, the key's name; the header's scope name; the session saved (3)
    with django_assert_max_num_queries(15):
        response = client.get(FIGURE, params)
    assert len(response.context["rows"]) == 50


def test_bad_figure_requests_answer_404(client, people, tree, populated):
    client.force_login(people.staff_a)
    for params in [{"chi_tieu": "members.tall"}, {"chi_tieu": "members", "theo": "height"},
                   {"chi_tieu": "members", "theo": "child", "khoa": "x"},
                   {"chi_tieu": "orgs.grassroots", "theo": "gender", "khoa": "M"}]:
        assert client.get(FIGURE, {**params, "ngay": ON}).status_code == 404, params


# ------------------------------------------------------------------------------- scope


def test_staff_of_one_district_cannot_report_on_another(client, people, tree, populated):
    client.force_login(people.staff_a)
    b = tree.district_b.pk
    assert client.get(PAGE, {"to_chuc": b, "ngay": ON}).status_code == 404
    assert client.get(PAGE, {"to_chuc": tree.province.pk, "ngay": ON}).status_code == 404
    assert client.get(FIGURE, {"chi_tieu": "members", "to_chuc": b, "ngay": ON}).status_code == 404
    child_of_b = {"chi_tieu": "members", "to_chuc": tree.district_a.pk, "theo": "child", "khoa": tree.commune_b1.pk, "ngay": ON}
    assert client.get(FIGURE, child_of_b).status_code == 404
    for name in ("reports:statistics_xlsx", "reports:statistics_pdf"):
        assert client.get(reverse(name), {"to_chuc": b, "ngay": ON}).status_code == 404
    client.force_login(people.staff_b)
    response = client.get(PAGE, {"ngay": ON})
    assert response.status_code == 200 and response.context["where"].organization_id == b
    assert response.context["sections"][3].total.cells[0].value == engine.count("members", tree.district_b, on=D(2024, 5, 1)) == 3


def test_a_cell_secretary_reports_on_the_cell(client, people, tree, populated):
    client.force_login(people.secretary_a1a)
    response = client.get(PAGE, {"ngay": ON})
    assert response.status_code == 200
    assert response.context["sections"][3].total.cells[0].value == engine.count("members", tree.cell_a1a, on=D(2024, 5, 1)) == 1
    assert client.get(PAGE, {"to_chuc": tree.cell_a1b.pk, "ngay": ON}).status_code == 404


def test_an_organization_not_in_force_on_the_date_is_explained(client, people, tree):
    client.force_login(people.staff_a)
    response = client.get(PAGE, {"ngay": "01/01/2020"})
    assert response.status_code == 200 and response.context["sections"] == []
    assert "không hoạt động" in response.content.decode()


def test_the_main_navigation_leads_to_the_report(client, people, tree):
    client.force_login(people.staff_a)
    body = client.get(reverse("members:list")).content.decode()
    assert f'href="{PAGE}">Báo cáo</a>' in body


def test_the_figure_addresses_are_the_whole_query_encoded_once():
    """The page builds each figure's address from parts encoded once: the same address as the
    whole query encoded for each figure (the records' page reads it back)."""
    from urllib.parse import urlencode

    from coso.reports import views

    class Dates:
        def dates(self):
            return D(2024, 3, 1), (D(2023, 1, 1), D(2024, 3, 1))

        def pair(self):  # no column for a pair of concurrent posts
            return None

    where = views.Where(organization_id=7, placement=None, form=Dates())
    url = views._figure_urls(where)
    for measure, by, key in (("members", None, None), ("members.female", "child", 12), ("members", "ethnicity", "01"),
                             ("events.admitted", "age", "18-30"), ("members", "tenure", "40+")):
        params = {"chi_tieu": measure, **where.query()}
        if by is not None:
            params.update(theo=by, khoa=key)
        assert url(measure, by, key) == f"{FIGURE}?{urlencode(params)}"
