import re

import pytest
from django.urls import reverse

from coso.access.models import Role
from coso.access.permissions import ROLE_PERMISSIONS
from coso.quality import selectors, views

from .helpers import member, members, row

pytestmark = pytest.mark.django_db
ON = {"ngay": "01/06/2024"}


@pytest.fixture
def world(tree):
    return {
        "clean": member(tree.cell_a1a, name="Phạm Văn Sạch"),
        "no_education": member(tree.cell_a1a, name="Đỗ Văn Học", education=""),
        "bad_id": member(tree.cell_a1b, name="Lê Thị Sai", gender="F", national_id="003180000555"),
        "sibling": member(tree.cell_b1a, name="Ngô Văn Bên", education=""),
    }


def _url(org):
    return reverse("quality:organization", args=[org.pk])


def _body(response) -> str:
    return response.content.decode()


def _members_table(body: str) -> str:
    return body[body.index('data-testid="problem-members"'):]


def test_it_shows_the_problems_the_completeness_and_the_members_of_the_subtree(client, people, tree, world):
    client.force_login(people.staff_a)
    response = client.get(_url(tree.district_a), ON)
    body = _body(response)
    assert response.status_code == 200
    assert "Chất lượng dữ liệu: Đảng bộ huyện A" in body
    assert "3 đảng viên tính đến ngày 01/06/2024, 2 người có vấn đề cần xem lại." in body
    assert re.search(r"Thiếu trình độ giáo dục phổ thông</a></td>\s*<td>.*?</td>\s*<td class=\"num\">1</td>", body)
    # 2 of 3 have their general education: Vietnamese decimal comma
    assert "2/3" in body and "66,7 %" in body
    table = _members_table(body)
    assert "Đỗ Văn Học" in table and "Lê Thị Sai" in table and "Phạm Văn Sạch" not in table
    assert "Chi bộ thôn A1b" in table  # the member's cell on the date
    assert "Ngô Văn Bên" not in body  # huyện B


def test_it_lists_exactly_the_members_with_the_chosen_problem(client, people, tree, world):
    client.force_login(people.staff_a)
    table = _members_table(_body(client.get(_url(tree.district_a), {**ON, "van_de": "missing_education"})))
    assert "Đỗ Văn Học" in table and "Lê Thị Sai" not in table
    assert "Chưa có trình độ giáo dục phổ thông" in table
    # an unknown code lists every member with a problem
    table = _members_table(_body(client.get(_url(tree.district_a), {**ON, "van_de": "khong_co"})))
    assert "Đỗ Văn Học" in table and "Lê Thị Sai" in table


def test_it_shows_the_national_id_only_to_users_with_the_sensitive_permission(client, people, tree, world):
    client.force_login(people.staff_a)
    body = _body(client.get(_url(tree.district_a), ON))
    assert "Số định danh cá nhân 003180000555: Ba số đầu 003 không phải mã tỉnh" in body
    client.force_login(people.leader_a)
    body = _body(client.get(_url(tree.district_a), ON))
    assert "003180000555" not in body
    assert "Số định danh cá nhân không hợp lệ: ba số đầu không phải mã tỉnh." in body


def test_it_keeps_the_same_number_of_queries_for_more_members(client, people, tree, world, django_assert_num_queries):
    client.force_login(people.staff_a)
    url = _url(tree.district_a)
    client.get(url, ON)  # the session's first touch
    # session, user, organization, scope root paths, scope check, placement on the date, the
    # aggregate (every check's count, the members with any problem, every share: the paginator
    # takes its count from it), the page's rows (with their cell names and the facts about
    # other rows), ancestors for the breadcrumbs (2: on the date, then as of the path's time
    # since the province is outside the scope), and the scope's name in the header, which comes with its root paths (the session
    # is not rewritten on each request: coso.lib.middleware.SlidingSessionMiddleware)
    with django_assert_num_queries(10):
        client.get(url, ON)
    members(*[row(tree.cell_a2, name=f"Người {i}", education="", card="") for i in range(40)])
    with django_assert_num_queries(10):
        response = client.get(url, ON)
    assert "Người 39" in _members_table(_body(response))


def test_it_pages_the_members(client, people, tree, world, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 1)
    client.force_login(people.staff_a)
    first = _members_table(_body(client.get(_url(tree.district_a), ON)))
    second = _members_table(_body(client.get(_url(tree.district_a), {**ON, "trang": 2})))
    assert "1 / 2" in first
    assert ("Đỗ Văn Học" in first) != ("Đỗ Văn Học" in second)
    assert "trang=2" in first and "ngay=01/06/2024" in first


def test_it_links_each_member_to_the_member_page_once_it_exists(client, people, tree, world, monkeypatch):
    client.force_login(people.staff_a)
    monkeypatch.setattr(views, "_member_url", lambda: None)
    assert '<a href="/dang-vien/' not in _members_table(_body(client.get(_url(tree.district_a), ON)))
    monkeypatch.setattr(views, "_member_url", lambda: (lambda pk: f"/dang-vien/{pk}/"))
    table = _members_table(_body(client.get(_url(tree.district_a), ON)))
    assert f'<a href="/dang-vien/{world["no_education"].pk}/">Đỗ Văn Học</a>' in table


def test_it_answers_404_outside_the_scope(client, people, tree, world):
    client.force_login(people.staff_a)
    response = client.get(_url(tree.commune_b1), ON)
    assert response.status_code == 404 and "Ngô Văn Bên" not in _body(response)


def test_it_answers_403_to_a_role_without_the_permission(client, people, tree, world, monkeypatch):
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.LEADER, ROLE_PERMISSIONS[Role.LEADER] - {"quality.view"})
    client.force_login(people.leader_a)
    assert client.get(_url(tree.district_a), ON).status_code == 403


def test_it_refuses_the_wrong_method(client, people, tree):
    client.force_login(people.staff_a)
    assert client.post(_url(tree.district_a)).status_code == 405


def test_it_shows_an_organization_not_in_force_on_the_date_without_members(client, people, tree, world):
    client.force_login(people.staff_a)
    response = client.get(_url(tree.district_a), {"ngay": "01/06/2023"})
    assert response.status_code == 200
    assert "Tổ chức không hoạt động vào ngày 01/06/2023" in _body(response)


def test_the_organization_page_links_here(client, people, tree):
    client.force_login(people.staff_a)
    body = _body(client.get(reverse("organizations:detail", args=[tree.commune_a1.pk]), ON))
    assert f'href="{_url(tree.commune_a1)}?ngay=01/06/2024"' in body


def test_the_sibling_sees_its_own_problems(client, people, tree, world):
    client.force_login(people.staff_b)
    assert "Ngô Văn Bên" in _members_table(_body(client.get(_url(tree.district_b), ON)))


def test_the_sibling_member_of_the_leak_registry_has_problems_to_leak(client, people, tree):
    from .scope_urls import SIBLING_NAMES, extend_world

    world = {"tree": tree}
    extend_world(world, people)
    client.force_login(people.staff_b)
    body = _body(client.get(_url(tree.district_b), ON))
    assert all(name in body for name in SIBLING_NAMES)
