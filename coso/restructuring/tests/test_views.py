"""The restructuring pages: draft, preview, accept, commit, handover record, undo; the lineage on
the organization's page; who may do what."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from coso.evaluation import services as evaluation
from coso.organizations.models import Kind
from coso.restructuring import plan as planning
from coso.restructuring import services
from coso.restructuring.models import OperationKind, Restructuring, State

from .helpers import D, draft, populate

pytestmark = pytest.mark.django_db


def _merge_communes(tree, actor):
    r = draft(tree, actor, organization=tree.district_a, title="Hợp nhất xã A1 và A2")
    services.add_operation(actor=actor, restructuring=r, kind=OperationKind.MERGE, organization=tree.commune_a1, sources=[tree.cell_a2])
    return r


def test_it_creates_a_draft_from_the_form(client, tree, people):
    client.force_login(people.staff_a)
    response = client.post(reverse("restructuring:create"), {
        "organization": tree.district_a.pk, "title": "Sắp xếp chi bộ", "decision_number": "12-QĐ/HU", "decision_issuer": "Huyện ủy A",
        "decision_date": "20/06/2024", "effective_date": "01/07/2024"})
    r = Restructuring.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("restructuring:detail", args=[r.pk])
    assert (r.organization_id, r.effective_date) == (tree.district_a.pk, D(2024, 7, 1))


def test_a_wrong_date_is_a_message_on_its_field(client, tree, people):
    client.force_login(people.staff_a)
    response = client.post(reverse("restructuring:create"), {
        "organization": tree.district_a.pk, "title": "X", "decision_number": "1", "decision_issuer": "Y",
        "decision_date": "20/07/2024", "effective_date": "32/13/2024"})
    assert response.status_code == 200 and not Restructuring.objects.exists()


def test_an_operation_is_added_from_the_page(client, tree, people):
    r = draft(tree, people.staff_a, organization=tree.district_a)
    client.force_login(people.staff_a)
    response = client.post(reverse("restructuring:add_operation", args=[r.pk]), {
        "kind": "merge", "name": "Chi bộ thôn A1 chung", "org_kind": Kind.SUBORDINATE_CELL, "parent": tree.commune_a1.pk,
        "source_1": tree.cell_a1a.pk, "source_2": tree.cell_a1b.pk})
    assert response.status_code == 302
    page = client.get(reverse("restructuring:detail", args=[r.pk])).content.decode()
    assert "Chi bộ thôn A1 chung" in page and "Chi bộ thôn A1a" in page


def test_the_preview_shows_why_members_cannot_go_to_a_committee(client, tree, people):
    populate(tree)
    r = _merge_communes(tree, people.staff_a)  # cell A2 merged into the commune committee A1: its members need a cell
    client.force_login(people.staff_a)
    page = client.get(reverse("restructuring:detail", args=[r.pk])).content.decode()
    assert "Đỗ Văn Hải được giao cho Đảng bộ xã A1" in page and "phải xử lý trước" in page
    client.post(reverse("restructuring:commit", args=[r.pk]))
    assert Restructuring.objects.get(pk=r.pk).state == State.DRAFT


def test_a_reader_sees_the_preview_but_cannot_act(client, tree, people):
    r = _merge_communes(tree, people.staff_a)
    client.force_login(people.leader_a)
    assert client.get(reverse("restructuring:detail", args=[r.pk])).status_code == 200
    for name in ("commit", "undo", "accept", "add_operation"):
        assert client.post(reverse(f"restructuring:{name}", args=[r.pk])).status_code == 403
    client.force_login(people.staff_a)
    assert client.get(reverse("restructuring:commit", args=[r.pk])).status_code == 405  # the wrong method, after the scope


def test_the_full_flow_on_the_pages(client, tree, people):
    members = populate(tree)
    evaluation.open_period(actor=people.admin, organization=tree.cell_a1a, year=2024, on=D(2024, 6, 1))
    r = draft(tree, people.staff_a, organization=tree.district_a)
    services.add_operation(actor=people.staff_a, restructuring=r, kind=OperationKind.MERGE, organization=tree.cell_a1b, sources=[tree.cell_a1a])
    client.force_login(people.staff_a)
    url = reverse("restructuring:detail", args=[r.pk])
    page = client.get(url).content.decode()
    assert "đang mở qua ngày 01/07/2024" in page and "disabled" in page
    key = planning.build(r).conflicts[0].key
    client.post(reverse("restructuring:accept", args=[r.pk]), {"chap_nhan": [key]})
    page = client.get(url + "?ten=1").content.decode()
    assert "đã chấp nhận" in page and "Nguyễn Văn An" in page
    response = client.post(reverse("restructuring:commit", args=[r.pk]))
    assert response.status_code == 302 and Restructuring.objects.get(pk=r.pk).state == State.COMMITTED
    book = load_workbook(io.BytesIO(b"".join(client.get(reverse("restructuring:handover", args=[r.pk, "xlsx"])).streaming_content)))
    names = [row[1] for row in book.active.iter_rows(values_only=True)]
    assert {m.person.full_name for m in members["a1a"]} <= set(names)
    pdf = b"".join(client.get(reverse("restructuring:handover", args=[r.pk, "pdf"])).streaming_content)
    assert pdf.startswith(b"%PDF")
    # the organization's page shows where it went
    page = client.get(reverse("organizations:detail", args=[tree.cell_a1a.pk])).content.decode()
    assert "Kế thừa" in page and "Chi bộ thôn A1b" in page
    client.post(reverse("restructuring:undo", args=[r.pk]))
    assert Restructuring.objects.get(pk=r.pk).state == State.DRAFT
    assert "Kế thừa" not in client.get(reverse("organizations:detail", args=[tree.cell_a1a.pk])).content.decode()


def test_the_lineage_names_no_organization_outside_the_scope(client, tree, people):
    populate(tree)
    r = draft(tree, people.admin)  # the province merges B1a into A1a
    services.add_operation(actor=people.admin, restructuring=r, kind=OperationKind.MERGE, organization=tree.cell_a1a, sources=[tree.cell_b1a])
    services.commit(actor=people.admin, restructuring=r)
    client.force_login(people.staff_b)
    page = client.get(reverse("organizations:detail", args=[tree.cell_b1a.pk]), {"ngay": "30/06/2024"}).content.decode()
    assert "Tổ chức ngoài phạm vi của bạn" in page and "Chi bộ thôn A1a" not in page
    client.force_login(people.admin)
    page = client.get(reverse("organizations:detail", args=[tree.cell_b1a.pk]), {"ngay": "30/06/2024"}).content.decode()
    assert "Chi bộ thôn A1a" in page


def test_an_absurd_effective_date_is_refused_with_the_reason(client, tree, people):
    client.force_login(people.staff_a)
    response = client.post(reverse("restructuring:create"), {
        "organization": tree.district_a.pk, "title": "Sắp xếp chi bộ", "decision_number": "12-QĐ/HU", "decision_issuer": "Huyện ủy A",
        "decision_date": "20/06/2024", "effective_date": "31/12/9999"})
    page = response.content.decode()
    assert response.status_code == 200 and not Restructuring.objects.exists()
    assert "Ngày hiệu lực 31/12/9999 ở tương lai, quá xa" in page


def test_the_figures_page_compares_a_merged_commune_with_its_predecessors(client, tree, people):
    populate(tree)
    r = draft(tree, people.admin)
    services.add_operation(actor=people.admin, restructuring=r, kind=OperationKind.MERGE, parent=tree.district_a,
                           name="Đảng bộ xã A1B1", org_kind=Kind.GRASSROOTS_COMMITTEE, sources=[tree.commune_a1, tree.commune_b1])
    services.commit(actor=people.admin, restructuring=r)
    client.force_login(people.staff_a)  # huyện A: xã B1 lies outside the scope, its figure comes with its successor
    url = reverse("restructuring:figures")
    page = client.get(url, {"to_chuc": tree.district_a.pk, "ngay": "10/07/2024", "so_voi": "30/06/2024", "nhom": "ke_thua"}).content.decode()
    assert "Đảng viên ngày 10/07/2024, so với cùng địa bàn ngày 30/06/2024" in page
    row = page.split("Đảng bộ xã A1B1")[1].split("</tr>")[0]
    assert [cell.split(">")[-1] for cell in row.split("</td>")[:3]] == ["9", "9", "0"]  # now, before (6 + 3), difference
    assert "Đảng bộ xã B1" not in page and "Chi bộ thôn B1a" not in page  # names of outside organizations: never
    assert "tính cho tổ chức kế thừa hiện nay" in page
    # another district's committee: 404; a committee that ended: the page says so
    assert client.get(url, {"to_chuc": tree.district_b.pk}).status_code == 404
    page = client.get(url, {"to_chuc": tree.commune_a1.pk, "ngay": "10/07/2024"}).content.decode()
    assert "Tổ chức không hoạt động vào ngày 10/07/2024" in page
    assert "Đảng viên ngày" in client.get(url, {"to_chuc": tree.commune_a1.pk, "ngay": "30/06/2024"}).content.decode()


def test_villages_are_merged_from_the_page_within_the_scope(client, tree, people):
    from coso.places import services as places
    from coso.places.models import AdminUnit, Generation, Level, UnitKind

    def commune(code, name, organization):
        unit = AdminUnit.objects.create(generation=Generation.LEGACY, level=Level.COMMUNE, kind=UnitKind.COMMUNE, code=code, name=name,
                                        full_name=f"Xã {name}")
        from coso.organizations.models import Placement

        Placement.objects.filter(organization=organization).update(area=unit)
        return unit

    a1, b1 = commune("99201", "An Một", tree.commune_a1), commune("99202", "Bình Một", tree.commune_b1)
    east, west = (places.create_village(actor=None, commune=a1, name=n, kind=UnitKind.VILLAGE, valid_from=D(2020, 1, 1)) for n in ("Đông", "Tây"))
    foreign = places.create_village(actor=None, commune=b1, name="Bí Mật", kind=UnitKind.VILLAGE, valid_from=D(2020, 1, 1))
    r = draft(tree, people.staff_a, organization=tree.district_a)
    client.force_login(people.staff_a)
    page = client.get(reverse("restructuring:detail", args=[r.pk])).content.decode()
    assert "Thôn Đông (Xã An Một)" in page and "Bí Mật" not in page  # huyện B's villages are not offered
    url = reverse("restructuring:add_operation", args=[r.pk])
    response = client.post(url, {"kind": "merge_villages", "name": "Đông Tây", "merged_villages": [east.pk, foreign.pk]})
    assert response.status_code == 400 and not r.operations.exists()  # a village outside the scope: refused, nothing written
    response = client.post(url, {"kind": "merge_villages", "name": "Đông Tây", "merged_villages": [east.pk, west.pk]})
    assert response.status_code == 302
    page = client.get(reverse("restructuring:detail", args=[r.pk])).content.decode()
    assert "Thôn Đông, Thôn Tây" in page and "Sáp nhập thôn, tổ dân phố" in page
