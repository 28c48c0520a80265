"""The 2025 reorganization drafted from the places lineage and carried out by the command (#17
point 5): district committees end, one commune committee per 2025 commune under the province,
the legacy communes' cells become grassroots cells under it, the districts' other organizations
placed by name (else under the province), every member conserved."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from coso.measures import engine, ledger
from coso.measures import lineage as through_lineage
from coso.members.models import MemberPeriod
from coso.organizations import services as organizations
from coso.organizations.models import Kind, Placement, Sector
from coso.places.models import AdminUnit, Generation, Level, UnitKind
from coso.places.models import Lineage as PlaceLineage
from coso.restructuring import plan as planning
from coso.restructuring import reform2025
from coso.restructuring.models import Lineage, Restructuring, State

from .helpers import member, populate

pytestmark = pytest.mark.django_db
REFORM = reform2025.REFORM
DAY_BEFORE = REFORM - dt.timedelta(days=1)


def _unit(generation, level, kind, code, name, parent=None):
    return AdminUnit.objects.create(generation=generation, level=level, kind=kind, code=code, name=name,
                                    full_name=f"{UnitKind(kind).label} {name}", parent=parent)


@pytest.fixture
def places(tree):
    legacy = _unit(Generation.LEGACY, Level.PROVINCE, UnitKind.PROVINCE, "98", "Thử nghiệm")
    tam_hoa = _unit(Generation.LEGACY, Level.COMMUNE, UnitKind.COMMUNE, "98001", "Tam Hòa", legacy)
    tam_hai = _unit(Generation.LEGACY, Level.COMMUNE, UnitKind.COMMUNE, "98002", "Tam Hải", legacy)
    current = _unit(Generation.CURRENT, Level.PROVINCE, UnitKind.PROVINCE, "97", "Thử nghiệm mới")
    an_phu = _unit(Generation.CURRENT, Level.COMMUNE, UnitKind.COMMUNE, "97001", "An Phú", current)
    binh_minh = _unit(Generation.CURRENT, Level.COMMUNE, UnitKind.WARD, "97000", "Bình Minh", current)
    PlaceLineage.objects.create(old=tam_hoa, new=an_phu, effective=REFORM)
    PlaceLineage.objects.create(old=tam_hai, new=an_phu, effective=REFORM)
    PlaceLineage.objects.create(old=tam_hai, new=binh_minh, effective=REFORM, partial=True)  # a part only: not its primary successor
    Placement.objects.filter(organization=tree.commune_a1).update(area=tam_hoa)
    Placement.objects.filter(organization=tree.commune_b1).update(area=tam_hai)
    return {"an_phu": an_phu}


def test_the_command_carries_out_the_2025_change_and_conserves_every_member(tree, people, places):
    populate(tree)
    school = organizations.create_organization(actor=None, parent=tree.district_b, name="Chi bộ Trường THPT An Phú", kind=Kind.GRASSROOTS_CELL,
                                               sector=Sector.SCHOOL, valid_from=dt.date(2024, 1, 1))
    for name in ("Mai Văn Tùng", "Hồ Thị Vân", "Đinh Văn Xuân"):
        member(school, name)
    before = set(MemberPeriod.objects.on(DAY_BEFORE).values_list("member_id", "organization_id"))

    out = io.StringIO()
    call_command("restructuring", "reform2025", "--to-chuc", str(tree.province.pk), "--thuc-hien", stdout=out)
    assert "Đã thực hiện: 14 đảng viên" in out.getvalue()
    r = Restructuring.objects.get()
    assert r.state == State.COMMITTED and r.effective_date == REFORM

    on = {p.organization_id: p for p in Placement.objects.on(REFORM).select_related("area")}
    commune = next(p for p in on.values() if p.kind == Kind.COMMUNE_COMMITTEE)
    assert (commune.name, commune.parent_id, commune.area_id) == ("Đảng bộ xã An Phú", tree.province.pk, places["an_phu"].pk)
    assert not [p for p in on.values() if p.kind == Kind.DISTRICT_COMMITTEE]  # the district level has ended
    for cell in (tree.cell_a1a, tree.cell_a1b, tree.cell_b1a, school):
        assert (on[cell.pk].parent_id, on[cell.pk].kind) == (commune.organization_id, Kind.GRASSROOTS_CELL)
    assert on[tree.cell_a2.pk].parent_id == tree.province.pk  # no commune in its name: under the province
    assert tree.commune_a1.pk not in on and tree.district_a.pk not in on
    # every member in the same cell the day before and on the day: nobody lost, nobody moved cell
    assert set(MemberPeriod.objects.on(REFORM).values_list("member_id", "organization_id")) == before
    # figures: the old tree on the day before, the new one on the day, compared through the lineage
    assert engine.count("members", tree.district_b, on=DAY_BEFORE) == 6
    assert engine.count("members", commune.organization_id, on=REFORM) == 12
    result = through_lineage.compare(["members"], tree.province, on=REFORM, before=DAY_BEFORE)
    rows = {row["id"]: row for row in result.rows}
    assert rows[commune.organization_id]["before"]["members"] == 12 and rows[tree.cell_a2.pk]["before"]["members"] == 2
    assert ledger.compare_with_rebuild() == []


def test_the_draft_previews_without_writing_and_names_a_commune_without_lineage(tree, people, places):
    populate(tree)
    r = reform2025.draft(actor=people.admin, province=tree.province)
    plan = planning.build(r)
    assert plan.errors == [] and [c for c in plan.conflicts if not c.acceptable] == []
    assert sorted(n.name for n in plan.ended) == ["Đảng bộ huyện A", "Đảng bộ huyện B", "Đảng bộ xã A1", "Đảng bộ xã B1"]
    assert [n.name for n in plan.started] == ["Đảng bộ xã An Phú"]
    assert not MemberPeriod.objects.filter(valid_from=REFORM).exists()  # the preview wrote nothing
    # a legacy commune committee whose commune has no 2025 successor: refused, naming it
    r.delete()
    PlaceLineage.objects.filter(old__name="Tam Hòa").delete()
    with pytest.raises(Exception, match="Đảng bộ xã A1"):
        reform2025.draft(actor=people.admin, province=tree.province)
    assert not Restructuring.objects.exists()


def test_the_mapping_is_written_edited_in_excel_and_read_back(tree, people, places, tmp_path):
    """The districts' other organizations: the default mapping as a workbook (the school under
    An Phú by its name, A2 under the province), edited (the school to the province), given back."""
    from openpyxl import Workbook, load_workbook

    school = organizations.create_organization(actor=None, parent=tree.district_b, name="Chi bộ Trường THPT An Phú", kind=Kind.GRASSROOTS_CELL,
                                               sector=Sector.SCHOOL, valid_from=dt.date(2024, 1, 1))
    out = tmp_path / "bang-ghep.xlsx"
    call_command("restructuring", "reform2025", "--to-chuc", str(tree.province.pk), "--xuat-bang-ghep", str(out), stdout=io.StringIO())
    sheet = load_workbook(out).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if r[0] == "Mã tổ chức")
    table = {int(r[0]): r for r in rows[header + 1:] if r[0]}
    assert table[school.pk][3] == "97001" and table[tree.cell_a2.pk][3] in (None, "")
    # the user sends the school to the province: the code cleared
    edited = Workbook()
    ws = edited.active
    for r in rows[:header + 1]:
        ws.append(list(r))
    ws.append([school.pk, "Chi bộ Trường THPT An Phú", "Đảng bộ huyện B", "", ""])
    ws.append([tree.cell_a2.pk, "Chi bộ cơ sở A2", "Đảng bộ huyện A", "97001", ""])
    edited.save(tmp_path / "sua.xlsx")
    mapping = reform2025.read_mapping((tmp_path / "sua.xlsx").read_bytes(), "sua.xlsx", tree.province)
    assert mapping == {school.pk: None, tree.cell_a2.pk: places["an_phu"].pk}
    plan = planning.build(reform2025.draft(actor=None, province=tree.province, mapping=mapping))
    assert plan.nodes[school.pk].parent == tree.province.pk
    assert isinstance(plan.nodes[tree.cell_a2.pk].parent, str)  # under the new commune committee
    # a code that is no successor of the province: refused with its row, nothing read
    ws.append([school.pk, "", "", "12345", ""])
    edited.save(tmp_path / "sai.xlsx")
    with pytest.raises(Exception, match="Dòng .*12345 không phải xã, phường kế thừa"):
        reform2025.read_mapping((tmp_path / "sai.xlsx").read_bytes(), "sai.xlsx", tree.province)


@pytest.fixture
def merging(tree, places):
    """Tỉnh Thử nghiệm (legacy "98") and Tỉnh Bên cạnh (legacy "96", one district, one commune
    committee with a village cell, and an agency cell directly under the province committee) both
    became Tỉnh Thử nghiệm mới ("97") on 01/07/2025."""
    current = AdminUnit.objects.get(generation=Generation.CURRENT, level=Level.PROVINCE, code="97")
    legacy = AdminUnit.objects.get(generation=Generation.LEGACY, level=Level.PROVINCE, code="98")
    other = _unit(Generation.LEGACY, Level.PROVINCE, UnitKind.PROVINCE, "96", "Bên cạnh")
    tam_lanh = _unit(Generation.LEGACY, Level.COMMUNE, UnitKind.COMMUNE, "96001", "Tam Lãnh", other)
    PlaceLineage.objects.create(old=legacy, new=current, effective=REFORM)
    PlaceLineage.objects.create(old=other, new=current, effective=REFORM)
    PlaceLineage.objects.create(old=tam_lanh, new=places["an_phu"], effective=REFORM)
    Placement.objects.filter(organization=tree.province).update(area=legacy)

    def org(name, kind, parent=None, sector=Sector.COMMUNE, area=None):
        return organizations.create_organization(actor=None, parent=parent, name=name, kind=kind, sector=sector, area=area,
                                                 valid_from=dt.date(2015, 1, 1))

    province = org("Đảng bộ tỉnh Bên cạnh", Kind.PROVINCE_COMMITTEE, area=other)
    district = org("Đảng bộ huyện C", Kind.DISTRICT_COMMITTEE, province)
    commune = org("Đảng bộ xã Tam Lãnh", Kind.GRASSROOTS_COMMITTEE, district, area=tam_lanh)
    cell = org("Chi bộ thôn Tam Lãnh 1", Kind.SUBORDINATE_CELL, commune)
    agency = org("Chi bộ Sở Tài chính", Kind.GRASSROOTS_CELL, province, Sector.AGENCY)
    for name in ("Lò Văn Sáu", "Quàng Thị Bảy", "Cầm Văn Tám"):
        member(cell, name)
    member(agency, "Hà Thị Chín")
    return {"province": province, "district": district, "commune": commune, "cell": cell, "agency": agency, "current": current}


def test_merged_provinces_become_one_new_province_committee_in_the_same_decision(tree, people, places, merging):
    """Resolution 60-NQ/TW merged provinces too: the two legacy committees end into the 2025
    province's new committee, a root of the tree, and every commune committee, cell and member
    of both lands under it on the day; nobody is lost or moved cell. Before this change the
    command put the new communes under the legacy committee, which ended nothing."""
    populate(tree)
    before = set(MemberPeriod.objects.on(DAY_BEFORE).values_list("member_id", "organization_id"))
    out = io.StringIO()
    call_command("restructuring", "reform2025", "--to-chuc", str(tree.province.pk), "--chap-nhan", "--thuc-hien", stdout=out)
    assert "Đã thực hiện: 15 đảng viên" in out.getvalue()
    r = Restructuring.objects.get()
    assert r.organization_id is None and r.state == State.COMMITTED  # the Central Committee's decision

    on = {p.organization_id: p for p in Placement.objects.on(REFORM)}
    root = next(p for p in on.values() if p.kind == Kind.PROVINCE_COMMITTEE)
    assert (root.name, root.parent_id, root.area_id, root.path) == ("Đảng bộ tỉnh Thử nghiệm mới", None, merging["current"].pk,
                                                                    f"/{root.organization_id}/")
    assert tree.province.pk not in on and merging["province"].pk not in on
    assert {p.kind for p in on.values() if p.parent_id is None} == {Kind.PROVINCE_COMMITTEE} and len([p for p in on.values() if p.parent_id is None]) == 1
    commune = next(p for p in on.values() if p.kind == Kind.COMMUNE_COMMITTEE)
    assert (commune.name, commune.parent_id) == ("Đảng bộ xã An Phú", root.organization_id)
    assert on[merging["cell"].pk].parent_id == commune.organization_id  # Tam Lãnh's village came with its commune
    assert on[merging["agency"].pk].parent_id == root.organization_id  # the province's own agency, under the new committee
    assert all(p.path.startswith(root.path) for p in on.values())
    assert set(MemberPeriod.objects.on(REFORM).values_list("member_id", "organization_id")) == before
    successors = dict(Lineage.objects.filter(predecessor_id__in=[tree.province.pk, merging["province"].pk]).values_list("predecessor_id", "successor_id"))
    assert successors == {tree.province.pk: root.organization_id, merging["province"].pk: root.organization_id}
    assert engine.count("members", root.organization_id, on=REFORM) == 15
    assert ledger.compare_with_rebuild() == []
    # the decision's page is for a scope over the whole tree only
    from django.test import Client

    client = Client()
    client.force_login(people.staff_a)
    assert client.get(f"/sap-xep/{r.pk}/").status_code == 404
    client.force_login(people.admin)
    assert client.get(f"/sap-xep/{r.pk}/").status_code == 200


def test_a_province_that_continued_alone_keeps_its_committee(tree, people, places):
    """Its 2025 province took over no other (Hà Nội, Huế...): no merge, the committee decides."""
    legacy = AdminUnit.objects.get(generation=Generation.LEGACY, level=Level.PROVINCE, code="98")
    current = AdminUnit.objects.get(generation=Generation.CURRENT, level=Level.PROVINCE, code="97")
    PlaceLineage.objects.create(old=legacy, new=current, effective=REFORM)
    Placement.objects.filter(organization=tree.province).update(area=legacy)
    populate(tree)
    r = reform2025.draft(actor=None, province=tree.province)
    assert r.organization_id == tree.province.pk
    plan = planning.build(r)
    assert plan.errors == [] and tree.province.pk not in {n.ref for n in plan.ended}
