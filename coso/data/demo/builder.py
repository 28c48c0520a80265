"""The demo dataset, built through the services on real administrative units. Deterministic.

Before 01/07/2025: Đảng bộ tỉnh Quảng Nam → Đảng bộ huyện Núi Thành shaped like the Núi Thành
scenario of shared/scenarios/seed_figures.yaml on 31/03/2024: 61 grassroots organizations
(22 đảng bộ cơ sở: the 17 communes and 5 agencies; 39 chi bộ cơ sở) and 223 chi bộ trực thuộc
(a cell for each of the 140 villages, 3 agency cells in each commune, 32 in the agencies).
The legacy tree ends on 01/07/2025, when Quảng Nam joined Đà Nẵng and the district level ended.

From 01/07/2025: Đảng bộ thành phố Đà Nẵng → the 6 commune committees that succeeded Núi Thành's
communes (the lineage of vietnamadminunits), each the superior level of its village cells, a
school, health-station, military, police and office cell, and the former district's grassroots
cells that sit in it (all chi bộ cơ sở under 294-QĐ/TW).

Members (coso/data/demo/members.py): 5,400 on 31/03/2024 with ten years of history; on 01/07/2025
every active member moves from the closing legacy cell to its successor cell, before the close.
"""


from django.db import transaction
from django.utils import timezone

from coso.access.models import Role, User
from coso.access.passwords import DEMO_PASSWORD
from coso.measures import politicalledger
from coso.organizations import services as org
from coso.organizations.models import CloseReason, Kind, Organization, Placement, Sector
from coso.places import services as places
from coso.places.models import AdminUnit, Generation, Level, UnitKind
from coso.places.models import Lineage as PlaceLineage
from coso.places.watchers import lineage_changing

from . import activities as demo_activities
from . import grassroots as political_system
from . import inspection, members, political
from .dataset import LEGACY_FROM, REFORM, Cell, Demo

PASSWORD = DEMO_PASSWORD
PROVINCE_CODE = "DEMO-QNAM"

# villages per legacy commune, in the order of their official codes (sum: 140)
VILLAGES_PER_COMMUNE = [10, 8, 8, 7, 9, 8, 9, 8, 8, 9, 7, 9, 8, 8, 8, 8, 8]
FIRST = ["An", "Bình", "Phú", "Tân", "Hòa", "Thuận", "Mỹ", "Long", "Xuân", "Đông", "Tây", "Trung",
         "Phước", "Thạnh", "Khánh", "Vĩnh", "Hưng", "Lộc", "Quý", "Thái"]
SECOND = ["Hòa", "Thạnh", "An", "Lộc", "Phú", "Quý", "Mỹ", "Hưng", "Xuân", "Sơn", "Hải", "Thủy",
          "Yên", "Trung", "Long", "Đông", "Tây", "Bình"]
COMMUNE_CELLS = ["Chi bộ Trường Tiểu học", "Chi bộ Trạm Y tế", "Chi bộ Quân sự"]
COMMUNE_CELL_ROLES = ["school", "health", "military"]
# the cells of each new commune that take over the legacy agency cells' members on 01/07/2025
NEW_COMMUNE_CELLS = [
    ("school", "Chi bộ Trường THCS {name}", Sector.SCHOOL),
    ("health", "Chi bộ Trạm Y tế {name}", Sector.PUBLIC_SERVICE),
    ("military", "Chi bộ Quân sự xã {name}", Sector.ARMED_FORCES),
    ("police", "Chi bộ Công an xã {name}", Sector.ARMED_FORCES),
    ("office", "Chi bộ Cơ quan Đảng - Chính quyền xã {name}", Sector.AGENCY),
]
# the role of the cells of each district agency committee, for the move of 01/07/2025
AGENCY_ROLES = {"Đảng bộ Quân sự huyện": "military", "Đảng bộ Công an huyện": "police", "Đảng bộ Cơ quan Chính quyền huyện": "office",
                "Đảng bộ Cơ quan Đảng - Đoàn thể huyện": "office", "Đảng bộ Trung tâm Y tế huyện": "health"}
AGENCY_COMMITTEES = [
    ("Đảng bộ Quân sự huyện", Sector.ARMED_FORCES, ["Ban Chỉ huy", "Phòng Tham mưu", "Phòng Chính trị", "Phòng Hậu cần - Kỹ thuật", "Đại đội Bộ binh", "Trung đội Cơ động", "Ban CHQS Khu kinh tế", "Kho vũ khí"]),
    ("Đảng bộ Công an huyện", Sector.ARMED_FORCES, ["Đội Tham mưu", "Đội Cảnh sát hình sự", "Đội An ninh", "Đội Cảnh sát giao thông", "Đội Cảnh sát PCCC", "Trại tạm giam", "Đội Quản lý hành chính"]),
    ("Đảng bộ Cơ quan Chính quyền huyện", Sector.AGENCY, ["Văn phòng HĐND và UBND", "Phòng Nội vụ", "Phòng Tài chính - Kế hoạch", "Phòng Kinh tế - Hạ tầng", "Phòng Tài nguyên và Môi trường", "Phòng Lao động - TB&XH"]),
    ("Đảng bộ Cơ quan Đảng - Đoàn thể huyện", Sector.AGENCY, ["Văn phòng Huyện ủy", "Ban Tổ chức - Ủy ban Kiểm tra", "Ban Tuyên giáo - Dân vận", "Ủy ban MTTQ và các đoàn thể", "Trung tâm Chính trị", "Huyện đoàn"]),
    ("Đảng bộ Trung tâm Y tế huyện", Sector.PUBLIC_SERVICE, ["Khoa Khám bệnh", "Khoa Nội - Nhi", "Khoa Ngoại - Sản", "Khoa Kiểm soát bệnh tật", "Phòng Kế hoạch - Điều dưỡng"]),
]
GRASSROOTS_CELLS = [
    ("Trường THPT Núi Thành", Sector.SCHOOL), ("Trường THPT Cao Bá Quát", Sector.SCHOOL),
    ("Trường THPT Nguyễn Huệ", Sector.SCHOOL), ("Trường THPT Chu Văn An", Sector.SCHOOL),
    ("Trường THPT Nguyễn Văn Trỗi", Sector.SCHOOL), ("Trung tâm GDNN - GDTX huyện", Sector.SCHOOL),
    ("Phòng Giáo dục và Đào tạo", Sector.AGENCY), ("Chi cục Thuế khu vực", Sector.AGENCY),
    ("Kho bạc Nhà nước huyện", Sector.AGENCY), ("Viện Kiểm sát nhân dân huyện", Sector.AGENCY),
    ("Tòa án nhân dân huyện", Sector.AGENCY), ("Chi cục Thi hành án dân sự", Sector.AGENCY),
    ("Chi cục Thống kê", Sector.AGENCY), ("Bảo hiểm xã hội huyện", Sector.AGENCY),
    ("Hạt Kiểm lâm", Sector.AGENCY), ("Ban Quản lý dự án đầu tư xây dựng", Sector.PUBLIC_SERVICE),
    ("Trung tâm Văn hóa - Thể thao và Truyền thanh", Sector.PUBLIC_SERVICE),
    ("Trung tâm Phát triển quỹ đất", Sector.PUBLIC_SERVICE), ("Ban Quản lý chợ", Sector.PUBLIC_SERVICE),
    ("Ngân hàng Nông nghiệp và PTNT chi nhánh huyện", Sector.ENTERPRISE),
    ("Ngân hàng Chính sách xã hội huyện", Sector.PUBLIC_SERVICE), ("Bưu điện huyện", Sector.ENTERPRISE),
    ("Điện lực Núi Thành", Sector.ENTERPRISE), ("Công ty TNHH MTV Cấp thoát nước", Sector.ENTERPRISE),
    ("Công ty Cổ phần Cảng Chu Lai", Sector.ENTERPRISE), ("Công ty TNHH Lâm nghiệp Núi Thành", Sector.ENTERPRISE),
    ("Hợp tác xã Nông nghiệp Tam Xuân", Sector.ENTERPRISE), ("Công ty Cổ phần Thủy sản Núi Thành", Sector.ENTERPRISE),
    ("Công ty Cổ phần Xây dựng Chu Lai", Sector.ENTERPRISE), ("Trạm Khuyến nông", Sector.PUBLIC_SERVICE),
    ("Hội Chữ thập đỏ huyện", Sector.OTHER), ("Liên đoàn Lao động huyện", Sector.OTHER),
    ("Đồn Biên phòng Tam Quang", Sector.ARMED_FORCES), ("Đồn Biên phòng Tam Hải", Sector.ARMED_FORCES),
    ("Văn phòng Đăng ký đất đai chi nhánh huyện", Sector.PUBLIC_SERVICE), ("Trung tâm Dịch vụ nông nghiệp", Sector.PUBLIC_SERVICE),
    ("Nhà Văn hóa Thanh thiếu nhi", Sector.PUBLIC_SERVICE), ("Trạm Thú y", Sector.PUBLIC_SERVICE),
    ("Công ty Cổ phần Du lịch Tam Hải", Sector.ENTERPRISE),
]


def village_names(count: int, offset: int) -> list[str]:
    """Distinct two-syllable names across the district, deterministic."""
    names = []
    i = offset
    while len(names) < count:
        names.append(f"{FIRST[i % len(FIRST)]} {SECOND[(i * 7 + i // len(FIRST)) % len(SECOND)]}")
        i += 1
    return names


def _unit(generation, level, code) -> AdminUnit:
    return AdminUnit.objects.get(generation=generation, level=level, code=code)


def _commune_party_name(commune: AdminUnit) -> str:
    prefix = {UnitKind.TOWNSHIP: "thị trấn", UnitKind.WARD: "phường"}.get(commune.kind, "xã")
    return f"Đảng bộ {prefix} {commune.name}"


def already_built() -> bool:
    return Organization.objects.filter(code=PROVINCE_CODE).exists()


@transaction.atomic
def build(actor=None, say=print) -> Demo:
    # through the services, appointment after appointment: the political system's figures taken once per unit, at the end
    with politicalledger.batch():
        return _build(actor=actor, say=say)


def _build(actor=None, say=print) -> Demo:
    d = Demo()

    def make(parent, name, kind, sector, valid_from, area=None, villages=(), code=None, decision=""):
        return org.create_organization(
            actor=actor, parent=parent, name=name, kind=kind, sector=sector, area=area, villages=villages,
            valid_from=valid_from, code=code, decision_number=decision,
        )

    quang_nam = _unit(Generation.LEGACY, Level.PROVINCE, "49")
    nui_thanh = _unit(Generation.LEGACY, Level.DISTRICT, "517")
    d.province = make(None, "Đảng bộ tỉnh Quảng Nam", Kind.PROVINCE_COMMITTEE, Sector.OTHER, LEGACY_FROM, quang_nam, code=PROVINCE_CODE)
    d.district = make(d.province, "Đảng bộ huyện Núi Thành", Kind.DISTRICT_COMMITTEE, Sector.OTHER, LEGACY_FROM, nui_thanh, code="DEMO-NUITHANH")

    communes = list(AdminUnit.objects.filter(parent=nui_thanh, level=Level.COMMUNE).order_by("code"))
    assert len(communes) == len(VILLAGES_PER_COMMUNE), "Núi Thành should have 17 legacy communes"
    d.communes = communes
    villages_by_commune: dict[int, list[AdminUnit]] = {}
    offset = 0
    for commune, count in zip(communes, VILLAGES_PER_COMMUNE, strict=True):
        committee = make(d.district, _commune_party_name(commune), Kind.GRASSROOTS_COMMITTEE, Sector.COMMUNE, LEGACY_FROM, commune, code=f"DEMO-{commune.code}")
        d.grassroots.append(committee)
        is_town = commune.kind == UnitKind.TOWNSHIP
        names = [str(n) for n in range(1, count + 1)] if is_town else village_names(count, offset)
        offset += count
        kind = UnitKind.KHOI_PHO if is_town else UnitKind.VILLAGE
        villages = [places.create_village(actor=actor, commune=commune, name=n, kind=kind, valid_from=LEGACY_FROM) for n in names]
        villages_by_commune[commune.pk] = villages
        for village in villages:
            cell = make(committee, f"Chi bộ {village.full_name}", Kind.SUBORDINATE_CELL, Sector.COMMUNE, LEGACY_FROM, commune, [village])
            d.sub_cells.append(cell)
            d.cells.append(Cell(cell, "village", Sector.COMMUNE, committee, commune, village))
            if commune.name == "Tam Sơn" and d.village_cell is None:
                d.village_cell = cell
        for cell_name, role in zip(COMMUNE_CELLS, COMMUNE_CELL_ROLES, strict=True):
            cell = make(committee, f"{cell_name} {commune.name}", Kind.SUBORDINATE_CELL, Sector.OTHER, LEGACY_FROM, commune)
            d.sub_cells.append(cell)
            d.cells.append(Cell(cell, role, Sector.OTHER, committee, commune))
    for name, sector, cells in AGENCY_COMMITTEES:
        committee = make(d.district, name, Kind.GRASSROOTS_COMMITTEE, sector, LEGACY_FROM, nui_thanh)
        d.grassroots.append(committee)
        for cell_name in cells:
            cell = make(committee, f"Chi bộ {cell_name}", Kind.SUBORDINATE_CELL, sector, LEGACY_FROM, nui_thanh)
            d.sub_cells.append(cell)
            d.cells.append(Cell(cell, AGENCY_ROLES[name], sector, committee))
    for name, sector in GRASSROOTS_CELLS:
        cell = make(d.district, f"Chi bộ {name}", Kind.GRASSROOTS_CELL, sector, LEGACY_FROM, nui_thanh)
        d.grassroots.append(cell)
        d.cells.append(Cell(cell, "grassroots", sector, None))
    say(f"Núi Thành: {len(d.grassroots)} tổ chức cơ sở đảng, {len(d.sub_cells)} chi bộ trực thuộc, 140 thôn, khối phố.")

    # From 01/07/2025: Đà Nẵng and the new communes that took over Núi Thành's.
    da_nang = _unit(Generation.CURRENT, Level.PROVINCE, "48")
    d.city = make(None, "Đảng bộ thành phố Đà Nẵng", Kind.PROVINCE_COMMITTEE, Sector.OTHER, REFORM, da_nang, code="DEMO-DANANG")
    successors: dict[int, list[AdminUnit]] = {}
    for commune in communes:
        link = commune.successors.select_related("new").order_by("partial", "new__code").first()
        successors.setdefault(link.new_id, []).append(commune)
    village_successor: dict[int, Organization] = {}
    village_lineage: list[PlaceLineage] = []  # each village goes on under the new commune (its residents with it)
    for new_id, olds in sorted(successors.items()):
        new_commune = AdminUnit.objects.get(pk=new_id)
        committee = make(d.city, f"Đảng bộ xã {new_commune.name}", Kind.COMMUNE_COMMITTEE, Sector.COMMUNE, REFORM, new_commune, code=f"DEMO-2025-{new_commune.code}")
        d.new_communes[new_commune.name] = committee
        for old in olds:
            d.new_commune_of[old.pk] = new_commune.name
            for village in villages_by_commune[old.pk]:
                name = village.name if village.kind == UnitKind.VILLAGE else f"{village.name} ({old.name})"
                new_village = places.create_village(actor=actor, commune=new_commune, name=name, kind=village.kind, valid_from=REFORM)
                village_lineage.append(PlaceLineage(old=village, new=new_village, effective=REFORM))
                cell = make(committee, f"Chi bộ {new_village.full_name}", Kind.GRASSROOTS_CELL, Sector.COMMUNE, REFORM, new_commune, [new_village])
                village_successor[village.pk] = cell
                d.new_village_cells.append(cell)
        for role, pattern, sector in NEW_COMMUNE_CELLS:
            d.new_cells[(new_commune.name, role)] = make(committee, pattern.format(name=new_commune.name), Kind.GRASSROOTS_CELL, sector, REFORM, new_commune)
    with lineage_changing.watching([link.old.pk for link in village_lineage]):
        PlaceLineage.objects.bulk_create(village_lineage)
    # The district's grassroots cells carry on under the commune they sit in (by their name, else the district seat).
    new_names = sorted(d.new_communes, key=len, reverse=True)
    legacy_names = sorted(communes, key=lambda c: len(c.name), reverse=True)
    for cell in d.cells:
        if cell.role == "village":
            cell.successor = village_successor[cell.village.pk]
        elif cell.commune is not None:
            cell.successor = d.new_cells[(d.new_commune_of[cell.commune.pk], cell.role)]
        elif cell.role == "grassroots":
            name = Placement.objects.filter(organization=cell.organization).values_list("name", flat=True).get()
            home = next((n for n in new_names if n in name), None) or next(
                (d.new_commune_of[c.pk] for c in legacy_names if c.name in name), "Núi Thành")
            unit = d.new_communes[home].placements.get().area
            cell.successor = make(d.new_communes[home], name, Kind.GRASSROOTS_CELL, cell.sector, REFORM, unit)
        # the district agencies' cells: their members go to the cell of the same role in the commune where they live
    say(f"Đà Nẵng: {len(d.new_communes)} đảng bộ xã kế thừa địa bàn Núi Thành.")

    # the members move to the successor cells before the legacy cells close
    members.populate(d, actor=actor, say=say)
    political_system.build(d, actor=actor, say=say)  # bodies and posts of the political system
    political.populate(d, actor=actor, say=say)

    # 01/07/2025: the legacy tree ends, bottom-up (a committee closes after its cells).
    for cell in d.sub_cells:
        org.close_organization(actor=actor, organization=cell, closed_on=REFORM, reason=CloseReason.MERGED)
    for grassroots in d.grassroots:
        org.close_organization(actor=actor, organization=grassroots, closed_on=REFORM, reason=CloseReason.MERGED)
    org.close_organization(actor=actor, organization=d.district, closed_on=REFORM, reason=CloseReason.DISSOLVED, decision_number="294-QĐ/TW")
    org.close_organization(actor=actor, organization=d.province, closed_on=REFORM, reason=CloseReason.MERGED)
    inspection.build(d, actor=actor, say=say)  # a year of inspection work in the district and in xã Đức Phú
    demo_activities.populate(d, actor=actor, today=timezone.localdate(), featured=ducphu_village_cell(d), say=say)
    return d


def ducphu_village_cell(d: Demo) -> Organization | None:
    """The first village cell of Đảng bộ xã Đức Phú by name (it exists today and has members)."""
    committee = d.new_communes.get("Đức Phú")
    if committee is None:
        return None
    organization_id = (Placement.objects.filter(parent_id=committee.pk, kind=Kind.GRASSROOTS_CELL, villages__isnull=False)
                       .order_by("name_folded").values_list("organization_id", flat=True).first())
    return Organization.objects.filter(pk=organization_id).first()


def users(d: Demo) -> list[tuple[str, str, str]]:
    """Demo users: (username, role label, scope). The same password for all: PASSWORD."""
    specs = [
        ("admin", Role.ADMIN, None, "Quản trị hệ thống"),
        ("nuithanh.tochuc", Role.ORG_STAFF, d.district, "Nguyễn Thị Hoa"),
        ("nuithanh.kiemtra", Role.INSPECTION_STAFF, d.district, "Trần Văn Bình"),
        ("nuithanh.lanhdao", Role.LEADER, d.district, "Lê Văn Cường"),
        ("tamson.bithu", Role.CELL_SECRETARY, d.village_cell, "Phạm Thị Dung"),
        ("danang.tochuc", Role.ORG_STAFF, d.city, "Võ Văn Em"),
        ("ducphu.tochuc", Role.ORG_STAFF, d.new_communes.get("Đức Phú"), "Huỳnh Thị Giang"),
        # a newcomer's first account: a village cell of xã Đức Phú, which exists today
        ("ducphu.bithu", Role.CELL_SECRETARY, ducphu_village_cell(d), "Đặng Văn Hùng"),
        ("ducphu.kiemtra", Role.INSPECTION_STAFF, d.new_communes.get("Đức Phú"), "Ngô Thị Kiều"),
    ]
    rows = []
    for username, role, scope, full_name in specs:
        user, _ = User.objects.get_or_create(username=username)
        user.role, user.scope, user.full_name = role, scope, full_name
        user.is_staff = user.is_superuser = role == Role.ADMIN
        user.set_password(PASSWORD)
        user.save()
        scope_name = Placement.objects.filter(organization=scope).order_by("-valid_from").values_list("name", flat=True).first() if scope else "Toàn hệ thống"
        rows.append((username, str(Role(role).label), scope_name))
    return rows
