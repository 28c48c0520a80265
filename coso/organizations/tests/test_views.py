import datetime as dt

import pytest
from django.urls import reverse

from coso.audit.models import AuditEvent
from coso.organizations import selectors
from coso.organizations.models import Kind, Placement

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_staff_a(client, people):
    client.force_login(people.staff_a)
    return client


def test_it_shows_the_first_level_of_the_users_scope(as_staff_a, tree):
    response = as_staff_a.get(reverse("organizations:tree"), {"ngay": "01/02/2024"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Đảng bộ huyện A" in body and "Đảng bộ huyện B" not in body
    assert "Đảng bộ tỉnh Thử nghiệm" not in body


def test_it_expands_a_node_with_child_counts(as_staff_a, tree, django_assert_max_num_queries):
    url = reverse("organizations:children", args=[tree.district_a.pk])
    # session, user, organization, scope root paths, scope check, children, child counts,
    # and the session's sliding expiry (savepoint, update, release)
    with django_assert_max_num_queries(10):
        response = as_staff_a.get(url, {"ngay": "01/02/2024"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Đảng bộ xã A1" in body and "Chi bộ cơ sở A2" in body
    assert "<html" not in body  # a partial, not the whole page
    assert '<span class="badge rounded-pill text-bg-secondary" title="Số tổ chức trực thuộc">2</span>' in body


def test_it_finds_an_organization_typed_without_diacritics(as_staff_a, tree):
    response = as_staff_a.get(reverse("organizations:search"), {"q": "dang bo xa a1", "ngay": "01/02/2024"})
    assert "Đảng bộ xã A1" in response.content.decode()
    response = as_staff_a.get(reverse("organizations:search"), {"q": "xa b1", "ngay": "01/02/2024"})
    assert "Đảng bộ xã B1" not in response.content.decode()


def test_it_shows_breadcrumbs_children_and_history(as_staff_a, tree, django_assert_max_num_queries):
    url = reverse("organizations:detail", args=[tree.commune_a1.pk])
    with django_assert_max_num_queries(16):
        response = as_staff_a.get(url, {"ngay": "01/02/2024"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Đảng bộ huyện A" in body  # breadcrumb
    assert "Chi bộ thôn A1a" in body  # child
    assert "Thành lập" in body  # history row
    assert "Đảng bộ tỉnh Thử nghiệm" not in body  # above the scope


def test_it_creates_an_organization_under_a_parent(as_staff_a, tree):
    response = as_staff_a.post(
        reverse("organizations:create"),
        {"cha": tree.commune_a1.pk, "name": "Chi bộ thôn Mới", "kind": Kind.SUBORDINATE_CELL, "sector": "commune",
         "valid_from": "15/02/2024", "decision_number": "9-QĐ/ĐU"},
    )
    assert response.status_code == 302
    placement = Placement.objects.get(name="Chi bộ thôn Mới")
    assert placement.parent_id == tree.commune_a1.pk and placement.valid_from == dt.date(2024, 2, 15)
    assert AuditEvent.objects.filter(event_type="organizations.organization.created", target_id=str(placement.organization_id)).exists()


def test_it_shows_a_vietnamese_error_for_a_forbidden_placement(as_staff_a, tree):
    response = as_staff_a.post(
        reverse("organizations:create"),
        {"cha": tree.cell_a1a.pk, "name": "Đảng bộ sai chỗ", "kind": Kind.GRASSROOTS_COMMITTEE, "sector": "other", "valid_from": "15/02/2024"},
    )
    assert response.status_code == 200
    assert not Placement.objects.filter(name="Đảng bộ sai chỗ").exists()
    # the form offers only the kinds allowed under the parent; a forged one is refused
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    response = as_staff_a.post(reverse("organizations:move", args=[tree.cell_a1b.pk]), {"parent": tree.cell_a2.pk, "valid_from": "01/03/2024"})
    assert "Chi bộ trực thuộc không thể trực thuộc Chi bộ cơ sở" in response.content.decode()


def test_it_reports_a_bad_date_in_vietnamese(as_staff_a, tree):
    response = as_staff_a.post(
        reverse("organizations:rename", args=[tree.cell_a2.pk]), {"name": "Tên mới", "valid_from": "31/02/2024"}
    )
    assert "Ngày không hợp lệ: hãy nhập một ngày có thật theo dạng dd/mm/yyyy" in response.content.decode()


def test_it_renames_moves_and_closes_through_the_pages(as_staff_a, tree):
    assert as_staff_a.post(reverse("organizations:rename", args=[tree.cell_a2.pk]), {"name": "Chi bộ Trường A", "valid_from": "01/03/2024"}).status_code == 302
    assert selectors.placement_on(tree.cell_a2.pk, dt.date(2024, 3, 1)).name == "Chi bộ Trường A"
    assert as_staff_a.post(reverse("organizations:move", args=[tree.cell_a1b.pk]), {"parent": tree.cell_a2.pk, "valid_from": "01/03/2024"}).status_code == 200  # a sub cell cannot sit under a grassroots cell
    assert as_staff_a.post(reverse("organizations:close", args=[tree.cell_a1b.pk]), {"closed_on": "01/04/2024", "reason": "dissolved"}).status_code == 302
    assert selectors.placement_on(tree.cell_a1b.pk, dt.date(2024, 4, 1)) is None


def test_it_refuses_changes_to_a_read_only_leader(client, people, tree):
    client.force_login(people.leader_a)
    assert client.get(reverse("organizations:detail", args=[tree.commune_a1.pk])).status_code == 200
    assert client.get(reverse("organizations:rename", args=[tree.commune_a1.pk])).status_code == 403
    assert client.post(reverse("organizations:rename", args=[tree.commune_a1.pk]), {"name": "X", "valid_from": "01/03/2024"}).status_code == 403


def test_it_answers_404_outside_the_scope(as_staff_a, tree):
    assert as_staff_a.get(reverse("organizations:detail", args=[tree.commune_b1.pk])).status_code == 404
    assert as_staff_a.post(reverse("organizations:rename", args=[tree.commune_b1.pk]), {"name": "X", "valid_from": "01/03/2024"}).status_code == 404


def test_it_refuses_the_wrong_method(as_staff_a, tree):
    assert as_staff_a.post(reverse("organizations:detail", args=[tree.commune_a1.pk])).status_code == 405


def test_it_sends_anonymous_users_to_the_login_page(client, tree):
    response = client.get(reverse("organizations:tree"))
    assert response.status_code == 302 and reverse("access:login") in response["Location"]


def test_it_never_prints_ids_with_a_thousands_separator(rf, people):
    """Numbers are grouped (5.400) in Vietnamese; ids in attributes must stay plain (12345)."""
    from types import SimpleNamespace

    from django.template.loader import render_to_string
    from django.utils import translation

    node = SimpleNamespace(organization_id=12345, name="Chi bộ", child_count=1234, get_kind_display=lambda: "Chi bộ")
    with translation.override("vi"):
        html = render_to_string("organizations/tree.html#nodes", {"nodes": [node], "on_text": "01/02/2024"})
    assert "12.345" not in html and 'id="children-12345"' in html and 'hx-target="#children-12345"' in html
    assert ">1.234<" in html  # a count keeps its grouping


@pytest.mark.parametrize("value", ["99999999999999999999", "9223372036854775808", "-1", "0", "１２", "1e3"])
@pytest.mark.parametrize("name", ["members:list", "reports:dashboard", "reports:statistics", "reports:figure", "grassroots:concurrent",
                                  "resolutions:documents", "resolutions:terms", "targets:aggregate"])
def test_an_organization_id_out_of_the_keys_range_is_not_found_on_every_page_that_takes_one(client, people, name, value):
    """?to_chuc= above the largest key raised OverflowError on SQLite (a 500); every page reads it
    through requested_organization_id, which answers 404."""
    client.force_login(people.admin)
    assert client.get(reverse(name), {"to_chuc": value}).status_code == 404


def test_the_largest_key_itself_is_read_and_then_checked_against_the_scope(rf):
    from coso.organizations.selectors import MAX_ID, requested_organization_id

    assert requested_organization_id(rf.get("/", {"to_chuc": str(MAX_ID)})) == MAX_ID
    assert requested_organization_id(rf.get("/", {"to_chuc": "1.234"})) == 1234
    assert requested_organization_id(rf.get("/"), default=7) == 7


def test_the_edit_page_of_an_organization_with_an_area_offers_its_villages(as_staff_a, tree):
    """The edit page read the area's villages through a manager method the dated vocabulary had
    renamed (AdminUnit.objects.in_force): every organization with an area answered 500."""
    from coso.places.models import AdminUnit, Generation, Level, UnitKind

    day = dt.date(2024, 1, 1)
    province = AdminUnit.objects.create(generation=Generation.LEGACY, level=Level.PROVINCE, kind=UnitKind.PROVINCE, code="97",
                                        name="Thử", full_name="Tỉnh Thử", valid_from=day)
    commune = AdminUnit.objects.create(generation=Generation.LEGACY, level=Level.COMMUNE, kind=UnitKind.COMMUNE, code="97001",
                                       name="An Lạc", full_name="Xã An Lạc", parent=province, valid_from=day)
    AdminUnit.objects.create(generation=Generation.LEGACY, level=Level.VILLAGE, kind=UnitKind.VILLAGE, code="97001-01",
                             name="Thôn Một", full_name="Thôn Một", parent=commune, valid_from=day)
    Placement.objects.filter(organization=tree.commune_a1).update(area=commune)
    url = reverse("organizations:edit", args=[tree.commune_a1.pk])
    response = as_staff_a.get(url, {"ngay": "01/02/2024"})
    assert response.status_code == 200
    assert "Thôn Một" in response.content.decode()
    # an area that is not a number: the form answers, no server error, nothing written
    before = Placement.objects.filter(organization=tree.commune_a1).count()
    response = as_staff_a.post(url + "?ngay=01/02/2024", {"area": "abc", "valid_from": "01/02/2024", "kind": Kind.GRASSROOTS_COMMITTEE})
    assert response.status_code in (200, 400)
    assert Placement.objects.filter(organization=tree.commune_a1).count() == before
