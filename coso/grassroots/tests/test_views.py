"""The political-system pages: the chart on a date, a body's posts with vacancies, the forms, a
person's posts, concurrent posts; out of scope 404, read-only 403, wrong method 405."""

import datetime as dt

import pytest
from django.urls import reverse

from coso.grassroots import services
from coso.grassroots.models import Post

from .conftest import ON, member

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def chair(tree, place):
    return services.appoint(actor=None, body=place.body("ubnd"), title="chair", person=member(tree, "Chủ Tịch Xã"), valid_from=ON)


def test_the_chart_shows_bodies_holders_and_vacancies_on_the_date(client, people, place, chair):
    client.force_login(people.staff_a)
    response = client.get(reverse("grassroots:unit", args=[place.commune.pk]), {"ngay": "01/04/2024"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Chủ Tịch Xã" in body and "Ủy ban nhân dân" in body and "Thôn Một" in body
    assert "chưa có người giữ" in body  # the vacant heads
    before = client.get(reverse("grassroots:unit", args=[place.commune.pk]), {"ngay": "01/02/2024"}).content.decode()
    assert "Chủ Tịch Xã" not in before


def test_a_bad_date_is_a_message_not_an_error(client, people, place):
    client.force_login(people.staff_a)
    response = client.get(reverse("grassroots:unit", args=[place.commune.pk]), {"ngay": "31/02/2024"})
    assert response.status_code == 200 and "Ngày không hợp lệ" in response.content.decode()


def test_the_chart_query_count_does_not_grow_with_bodies(client, people, place, chair, django_assert_max_num_queries):
    client.force_login(people.staff_a)
    url = reverse("grassroots:unit", args=[place.commune.pk])
    # session, user, scope placements, unit, bodies, posts, bodies and posts for the warnings, audit-free page
    with django_assert_max_num_queries(12):
        assert client.get(url, {"ngay": "01/04/2024"}).status_code == 200


def test_appointing_through_the_form(client, people, place):
    client.force_login(people.staff_a)
    body = place.body("village", place.village1)
    url = reverse("grassroots:appoint", args=[body.pk])
    assert client.get(url, {"ngay": "01/04/2024"}).status_code == 200
    response = client.post(url, {"title": "village_head", "new_full_name": "Lê Văn Thôn", "new_gender": "M",
                                 "obtained": "elected", "valid_from": "01/04/2024"})
    assert response.status_code == 302
    assert Post.objects.get(body=body).person.full_name == "Lê Văn Thôn"


def test_a_refused_appointment_names_the_field_and_writes_nothing(client, people, place, chair):
    client.force_login(people.staff_a)
    url = reverse("grassroots:appoint", args=[place.body("ubnd").pk])
    response = client.post(url, {"title": "chair", "new_full_name": "Người Thứ Hai", "new_gender": "F",
                                 "obtained": "elected", "valid_from": "01/05/2024"})
    assert response.status_code == 200
    assert "Chủ Tịch Xã" in response.context["form"].errors["valid_from"][0]
    assert Post.objects.filter(body=place.body("ubnd")).count() == 1


@pytest.mark.parametrize("data", [
    {"valid_from": ""},
    {"title": "chair", "valid_from": "hôm qua", "obtained": "x"},
    {"title": "không có", "person": "999999", "valid_from": "01/05/2024", "obtained": "elected"},
    {"title": "chair", "person": "abc", "new_full_name": "A" * 500, "valid_from": "01/05/2024", "valid_to": "01/01/2024", "obtained": "elected"},
])
def test_malformed_input_is_a_form_error_never_a_500(client, people, place, data):
    client.force_login(people.staff_a)
    response = client.post(reverse("grassroots:appoint", args=[place.body("ubnd").pk]), data)
    assert response.status_code == 200 and response.context["form"].errors


def test_ending_and_replacing(client, people, place, chair):
    client.force_login(people.staff_a)
    response = client.post(reverse("grassroots:replace", args=[chair.pk]),
                           {"on": "01/09/2024", "new_full_name": "Chủ Tịch Mới", "new_gender": "M", "obtained": "elected"})
    assert response.status_code == 302
    new = Post.objects.get(body=chair.body, valid_from=D(2024, 9, 1))
    response = client.post(reverse("grassroots:end", args=[new.pk]), {"valid_to": "01/10/2024", "reason": "Chuyển công tác"})
    assert response.status_code == 302
    new.refresh_from_db()
    assert new.valid_to == D(2024, 10, 1)


def test_the_body_page_and_the_persons_page(client, people, place, chair):
    client.force_login(people.leader_a)
    body = client.get(reverse("grassroots:body", args=[chair.body.pk]), {"ngay": "01/04/2024"}).content.decode()
    assert "Chủ Tịch Xã" in body and "Giao chức vụ" not in body  # read-only: no forms offered
    services.appoint(actor=None, body=place.body("party_committee"), title="secretary", person=chair.person, valid_from=D(2024, 5, 1))
    page = client.get(reverse("grassroots:person", args=[chair.person.pk])).content.decode()
    assert "Ban Chấp hành Đảng bộ Xã An Lạc" in page and "Ủy ban nhân dân" in page


def test_read_only_roles_get_403_on_writes(client, people, place, chair):
    client.force_login(people.leader_a)
    assert client.get(reverse("grassroots:appoint", args=[chair.body.pk])).status_code == 403
    assert client.post(reverse("grassroots:end", args=[chair.pk]), {"valid_to": "01/10/2024"}).status_code == 403
    assert client.post(reverse("grassroots:standard", args=[place.commune.pk]), {"valid_from": "01/03/2024"}).status_code == 403


def test_out_of_scope_is_404(client, people, place, chair):
    client.force_login(people.staff_b)
    assert client.get(reverse("grassroots:unit", args=[place.commune.pk])).status_code == 404
    assert client.get(reverse("grassroots:body", args=[chair.body.pk])).status_code == 404
    assert client.get(reverse("grassroots:person", args=[chair.person.pk])).status_code == 404


def test_wrong_method(client, people, place):
    client.force_login(people.staff_a)
    assert client.get(reverse("grassroots:standard", args=[place.commune.pk])).status_code == 302  # to the unit's page
    assert client.post(reverse("grassroots:unit", args=[place.commune.pk])).status_code == 405


def test_the_concurrent_page_counts_the_models_and_a_pair(client, people, tree, place, chair):
    services.appoint(actor=None, body=place.body("party_committee"), title="secretary", person=chair.person, valid_from=ON)
    client.force_login(people.staff_a)
    response = client.get(reverse("grassroots:concurrent"), {"to_chuc": tree.district_a.pk, "ngay": "01/04/2024",
                                                            "a": "party_committee:secretary", "b": "ubnd:chair"})
    assert response.status_code == 200
    assert response.context["total"][0] == 1  # secretary also People's Committee chair
    assert response.context["pair_rows"][-1][1] == 1


def test_creating_the_standard_bodies_from_the_page(client, people, tree, place):
    client.force_login(people.staff_a)
    response = client.post(reverse("grassroots:standard", args=[place.commune.pk]), {"valid_from": "01/03/2024"})
    assert response.status_code == 302  # nothing new: already created by the fixture


def test_the_index_lists_the_scopes_communes(client, people, place):
    client.force_login(people.staff_a)
    body = client.get(reverse("grassroots:index"), {"ngay": "01/04/2024"}).content.decode()
    assert "Xã An Lạc" in body and "Xã Bình Lợi" not in body


def test_person_options(client, people, place, chair):
    client.force_login(people.staff_a)
    assert "Chủ Tịch Xã" in client.get(reverse("grassroots:person_options"), {"q": "chu tich"}).content.decode()
    client.force_login(people.staff_b)
    assert "Chủ Tịch Xã" not in client.get(reverse("grassroots:person_options"), {"q": "chu tich"}).content.decode()


def test_the_post_list_exports_to_excel_and_is_logged(client, people, place, chair):
    from coso.access.models import ExportLog
    from coso.lib.excel import open_book

    client.force_login(people.staff_a)
    response = client.get(reverse("grassroots:export", args=[place.commune.pk]), {"ngay": "01/04/2024"})
    assert response.status_code == 200
    book = open_book(b"".join(response.streaming_content), "x.xlsx")
    texts = [v for sheet in book.sheets for _n, row in sheet.rows() for v in row if v]
    assert "Chủ Tịch Xã" in texts and "Có" in texts
    assert ExportLog.objects.filter(kind="grassroots.posts", rows=1).exists()
    client.force_login(people.secretary_a1a)  # no data.export
    assert client.get(reverse("grassroots:export", args=[place.commune.pk])).status_code in (403, 404)


def test_the_exported_post_list_has_its_headers_a_known_row_and_no_formula(client, people, place, chair):
    """The file as an office opens it (openpyxl): the title, the headers on row 3, one row per post
    in the chart's order; a decision number typed as a formula stays text."""
    import io

    from openpyxl import load_workbook

    head = services.appoint(actor=None, body=place.body("village", place.village1), title="village_head",
                            new_person={"full_name": "Trưởng Thôn Một", "gender": "M", "birth_date": D(1980, 5, 6)},
                            obtained="recognized", valid_from=ON, decision_number="=HYPERLINK(\"http://x\",\"bấm\")")
    client.force_login(people.staff_a)
    response = client.get(reverse("grassroots:export", args=[place.commune.pk]), {"ngay": "01/04/2024"})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    assert ws["A1"].value == "DANH SÁCH CHỨC VỤ TRONG HỆ THỐNG CHÍNH TRỊ XÃ AN LẠC NGÀY 01/04/2024"
    assert [c.value for c in ws[3]] == ["STT", "Họ và tên", "Ngày sinh", "Chức danh", "Cơ quan, tổ chức", "Thôn, tổ dân phố",
                                        "Đảng viên", "Giữ chức từ ngày", "Hình thức", "Số quyết định"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    assert [r[1] for r in rows] == ["Chủ Tịch Xã", "Trưởng Thôn Một"]  # the commune's bodies, then the villages'
    assert rows[0] == [1, "Chủ Tịch Xã", "01/01/1975", "Chủ tịch", place.body("ubnd").name, None, "Có", f"{ON:%d/%m/%Y}", "Bầu cử", None]
    assert rows[1][:8] == [2, "Trưởng Thôn Một", "06/05/1980", "Trưởng thôn, Tổ trưởng tổ dân phố",
                           place.body("village", place.village1).name, place.village1.full_name, None, f"{ON:%d/%m/%Y}"]
    assert rows[1][8] == "Công nhận" and rows[1][9] == head.decision_number
    decision = ws.cell(row=5, column=10)
    assert decision.data_type == "s" and decision.quotePrefix
    assert not [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_the_report_page_takes_as_many_statements_with_more_communes_bodies_and_posts(client, people, tree, place, chair):
    """The political-system section of the standard report: grouped counts whatever the number of
    communes, bodies and posts (never one statement per commune, body or post)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from coso.organizations import services as org_services
    from coso.organizations.models import Kind, Placement
    from coso.places.models import Level, UnitKind
    from coso.places.services import create_village

    from .conftest import unit

    def statements():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("reports:statistics"), {"ngay": "01/04/2024"}).status_code == 200
        return len(queries.captured_queries)

    client.force_login(people.staff_a)
    statements()  # what is done once per process
    few = statements()
    for n in range(3):  # three more communes of huyện A, each with its villages, bodies and posts
        commune = unit(f"98001{n + 10}", f"Thêm {n}", Level.COMMUNE, UnitKind.COMMUNE, place.district_a)
        organization = org_services.create_organization(actor=None, parent=tree.district_a, name=f"Đảng bộ xã Thêm {n}",
                                                        kind=Kind.GRASSROOTS_COMMITTEE, valid_from=D(2024, 1, 1))
        Placement.objects.filter(organization=organization).update(area=commune)
        villages = [create_village(actor=None, commune=commune, name=f"Thôn {n}-{i}", kind=UnitKind.VILLAGE, valid_from=D(2020, 1, 1))
                    for i in range(3)]
        bodies = {(b.kind, b.village_id): b for b in services.create_standard_bodies(
            actor=None, unit=commune, on=ON, organization=organization, villages=villages)}
        secretary = member(tree, f"Bí Thư Thêm {n}")
        services.appoint(actor=None, body=bodies[("party_committee", None)], title="secretary", person=secretary, valid_from=ON)
        services.appoint(actor=None, body=bodies[("ubnd", None)], title="chair", person=secretary, valid_from=ON)
        for i, village in enumerate(villages):
            services.appoint(actor=None, body=bodies[("village", village.pk)], title="village_head",
                             person=member(tree, f"Trưởng Thôn Thêm {n} {i}") if i % 2 else None,
                             new_person=None if i % 2 else {"full_name": f"Trưởng Thôn Ngoài {n} {i}", "gender": "M"},
                             valid_from=ON)
    assert statements() == few


def test_posts_feed_training_s_lists_of_who_lacks_the_required_theory_level(client, people, tree, place, chair):
    """training.holders: the chair of the People's Committee (trung cấp required before QĐ 350) is
    listed by training; the sibling subtree's staff do not see them; a village head (no requirement) is not."""
    from coso.grassroots.selectors import training_holders
    from coso.training import selectors as training

    services.appoint(actor=None, body=place.body("village", place.village1), title="village_head",
                     new_person={"full_name": "Trưởng Thôn Một", "gender": "M"}, valid_from=ON)
    held = list(training_holders(None, D(2024, 4, 1)))
    assert [(h.person_id, h.title) for h in held] == [(chair.person_id, "chu_tich_ubnd")]
    client.force_login(people.staff_a)
    page = client.get(reverse("training:lacking"), {"ngay": "01/04/2024"}).content.decode()
    assert "Chủ Tịch Xã" in page and "Trưởng Thôn Một" not in page
    assert [g.title for g in training.lacking_level(None, D(2024, 4, 1)) if g.person.pk == chair.person_id] == ["chu_tich_ubnd"]
    client.force_login(people.staff_b)
    assert "Chủ Tịch Xã" not in client.get(reverse("training:lacking"), {"ngay": "01/04/2024"}).content.decode()
    assert not list(training_holders(None, D(2024, 2, 1)))  # before the post


def test_the_index_and_a_bodys_history_are_paginated(client, people, tree, place):
    """Communes with bodies come first, fifty a page; a body's history too (never an unbounded list)."""
    from coso.grassroots.views import PAGE_SIZE
    from coso.places.models import AdminUnit, Generation, Level, UnitKind

    for n in range(PAGE_SIZE + 5):
        AdminUnit.objects.create(generation=Generation.LEGACY, level=Level.COMMUNE, kind=UnitKind.COMMUNE, code=f"97{n:05d}", name=f"Aa {n}",
                                 full_name=f"Xã Aa {n}", parent=place.district_a, valid_to=D(2025, 7, 1))
    client.force_login(people.staff_a)
    first = client.get(reverse("grassroots:index"), {"ngay": "01/04/2024"})
    units = list(first.context["page"])
    assert len(units) == PAGE_SIZE and units[0] == place.commune  # the one with bodies first, although "Aa" sorts before it
    second = client.get(reverse("grassroots:index"), {"ngay": "01/04/2024", "trang": 2})
    assert first.context["page"].paginator.count == PAGE_SIZE + 7  # the 55 communes, An Lạc and huyện A
    assert len(second.context["page"]) == 7 and place.commune not in second.context["page"]
    body = place.body("village", place.village1)
    for n in range(PAGE_SIZE + 1):
        start = D(2024, 3, 1) + dt.timedelta(days=2 * n)
        services.appoint(actor=None, body=body, title="village_head", valid_from=start, valid_to=start + dt.timedelta(days=1),
                         new_person={"full_name": f"Người {n}", "gender": "M"})
    page = client.get(reverse("grassroots:body", args=[body.pk]), {"trang": 2}).context["history"]
    assert page.paginator.count == PAGE_SIZE + 1 and len(page) == 1


def test_the_report_takes_a_column_for_any_pair_of_concurrent_posts(client, people, tree, place, chair):
    """The standard report's political-system section gains a column for two titles the user
    picks (here the People's Committee chair also chairing the Women's Union), in the page, its
    drill-down and its Excel file; a title paired with itself adds nothing."""
    from coso.lib.excel import open_book

    services.appoint(actor=None, body=place.body("women"), title="chair", person=chair.person, valid_from=ON)
    client.force_login(people.staff_a)
    params = {"to_chuc": tree.district_a.pk, "ngay": "01/04/2024", "kn_a": "ubnd:chair", "kn_b": "women:chair"}
    response = client.get(reverse("reports:statistics"), params)
    label = "Chủ tịch đồng thời là Chủ tịch"
    page = response.content.decode()
    assert response.status_code == 200 and label in page
    name = "concurrent.pair.ubnd.chair.women.chair"
    assert f"chi_tieu={name}" in page  # the figure links to the people behind it
    figure = client.get(reverse("reports:figure"), {**params, "chi_tieu": name})
    assert figure.status_code == 200 and "Chủ Tịch Xã" in figure.content.decode()
    xlsx = client.get(reverse("reports:statistics_xlsx"), params)
    book = open_book(b"".join(xlsx.streaming_content) if xlsx.streaming else xlsx.content, "r.xlsx")
    texts = [v for sheet in book.sheets for _n, row in sheet.rows() for v in row if isinstance(v, str)]
    assert label in texts
    same = client.get(reverse("reports:statistics"), {**params, "kn_b": "ubnd:chair"})  # a title with itself: no column
    assert same.status_code == 200 and label not in same.content.decode() and "Chủ tịch xã" not in same.content.decode()
