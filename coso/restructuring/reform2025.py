"""The 2025 reorganization as one restructuring (issue #17 point 5), drafted from the places lineage.

Resolution 60-NQ/TW and 294-QĐ/TW (political-system.md section I): on 01/07/2025 the district level
ended and about 10,000 communes became 3,321; one commune, ward or special-zone committee per new
commune sits under the province committee and is the superior level of the grassroots
organizations inside it. `draft(province)` writes that change for a legacy province committee's
subtree as a draft restructuring, which the preview, the commit and the undo then treat as any
other (one transaction, members conserved, lineage written):

- one MERGE per 2025 commune: the legacy commune committees (grassroots committees whose area is a
  legacy commune) whose primary successor it is (places lineage, the whole successor first, then
  by code: the same rule as the demo's) end and a new COMMUNE_COMMITTEE is established under the
  province committee with the 2025 commune as its area; their cells and partial committees come
  with them;
- the cells that thereby sit directly under a commune committee become grassroots cells (chi bộ
  cơ sở) and the partial committees grassroots committees (CHANGE_KIND; a subordinate cell may not
  sit under a commune committee: organizations/rules.py);
- the other organizations directly under a district (its agencies, enterprises, armed forces):
  under the commune committee the mapping names (`mapping`: organization id → 2025 commune unit
  id, or None for the province), else under the commune committee whose name their name
  contains, else under the province committee (MOVE);
- every district committee DISSOLVED, the province committee its receiver (nothing is left in it).

Merged provinces (Resolution 60-NQ/TW: 63 provinces became 34). When the legacy province's 2025
province took over more than one legacy province (the places lineage), the Central Committee's
decision merges their committees in the same restructuring, which is then the Central
Committee's (Restructuring.organization None): one MERGE establishes the 2025 province committee
as a new root of the tree ("Đảng bộ thành phố Đà Nẵng" from Quảng Nam's and Đà Nẵng's), every
legacy province committee of the group ends into it, and everything above that would sit under
a legacy province committee sits under it (the new commune committees, the districts'
leftovers through their dissolution, the provinces' own agencies and enterprises). A legacy
province committee of the group that is not in the database is simply absent; one whose
province continued alone (Hà Nội, Huế, eleven in all) stays the deciding root, as before.
The change cannot be split in two decisions on the same day (a placement opened on 01/07/2025
cannot end that day): the province merge and the communes' change are one restructuring.

Not done here: the villages' own merges (places, an ordinary MERGE_VILLAGES operation).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coso.audit import services as audit
from coso.lib.excel import ExcelError, OutColumn, open_book, write_xlsx
from coso.lib.text import fold
from coso.organizations.models import Kind, Placement, Sector
from coso.places.models import AdminUnit, Level, UnitKind
from coso.places.models import Lineage as PlaceLineage

from . import services
from .models import Allocation, Operation, OperationKind, Restructuring

REFORM = dt.date(2025, 7, 1)
DECISION = "60-NQ/TW"
ISSUER = "Ban Chấp hành Trung ương"


def committee_name(unit: AdminUnit) -> str:
    if unit.level == Level.PROVINCE:
        return f"Đảng bộ {'thành phố' if unit.kind == UnitKind.CITY else 'tỉnh'} {unit.name}"
    return f"Đảng bộ {str(UnitKind(unit.kind).label).lower()} {unit.name}"


def province_group(province) -> tuple[list, AdminUnit | None]:
    """The legacy province committees (placements on 30/06/2025) the 2025 change merges with this
    one, itself first, and the 2025 province they become; ([its placement], None) when its province
    continued alone or its area is not a legacy province (three queries)."""
    day_before = REFORM - dt.timedelta(days=1)
    root = Placement.objects.on(day_before).filter(organization=province).select_related("area").first()
    if root is None or root.kind != Kind.PROVINCE_COMMITTEE:
        raise ValidationError(_("Sắp xếp năm 2025 áp dụng cho một đảng bộ tỉnh, thành phố đang hoạt động ngày 30/06/2025."))
    if root.area is None or root.area.level != Level.PROVINCE:
        return [root], None
    new_id = PlaceLineage.objects.filter(old_id=root.area_id, new__level=Level.PROVINCE).values_list("new_id", flat=True).first()
    olds = list(PlaceLineage.objects.filter(new_id=new_id).values_list("old_id", flat=True)) if new_id else []
    if len(olds) < 2:
        return [root], None
    others = (Placement.objects.on(day_before).filter(parent__isnull=True, kind=Kind.PROVINCE_COMMITTEE, area_id__in=olds)
              .exclude(organization=province).select_related("area").order_by("area__code", "organization_id"))
    return [root, *others], AdminUnit.objects.get(pk=new_id)


def primary_successors(commune_ids) -> dict[int, int]:
    """Legacy commune → its 2025 commune: the one that took it whole, else the first by code (one query)."""
    out: dict[int, int] = {}
    rows = (PlaceLineage.objects.filter(old_id__in=list(commune_ids)).order_by("old_id", "partial", "new__code")
            .values_list("old_id", "new_id"))
    for old, new in rows:
        out.setdefault(old, new)
    return out


@dataclass
class Province:
    """A legacy province committee's subtree on 30/06/2025, as the 2025 change reads it."""

    root: Placement
    placements: list
    districts: list
    under_district: list  # what sits directly under a district committee
    communes: list  # the legacy commune committees among them
    successor_of: dict  # legacy commune unit → its 2025 commune unit
    units: dict  # 2025 commune units by id

    @property
    def others(self) -> list:
        """The districts' organizations that are not commune committees (agencies, enterprises...)."""
        merged = {p.organization_id for p in self.communes}
        return [p for p in self.under_district if p.organization_id not in merged]

    def default_target(self, placement) -> int | None:
        """The 2025 commune whose name the organization's name contains (the longest), else None
        (the province committee)."""
        names = sorted({(fold(self.units[u].name), u) for u in self.successor_of.values()}, key=lambda x: -len(x[0]))
        folded = f" {fold(placement.name)}"
        return next((u for name, u in names if name and f" {name}" in folded), None)


def read(province, *, merged: bool = False) -> Province:
    """merged: a committee merged with the one the user named (a province without districts in
    the database is merged all the same)."""
    day_before = REFORM - dt.timedelta(days=1)
    root = Placement.objects.on(day_before).filter(organization=province).first()
    if root is None or root.kind != Kind.PROVINCE_COMMITTEE:
        raise ValidationError(_("Sắp xếp năm 2025 áp dụng cho một đảng bộ tỉnh, thành phố đang hoạt động ngày 30/06/2025."))
    placements = list(Placement.objects.on(day_before).under(root.path).select_related("area").order_by("depth", "organization_id"))
    districts = [p for p in placements if p.parent_id == root.organization_id and p.kind == Kind.DISTRICT_COMMITTEE]
    if not districts and not merged:
        raise ValidationError(_("%(name)s không có đảng bộ huyện nào ngày 30/06/2025: không có gì để sắp xếp.") % {"name": root.name})
    district_ids = {p.organization_id for p in districts}
    under_district = [p for p in placements if p.parent_id in district_ids]
    communes = [p for p in under_district if p.area is not None and p.area.level == Level.COMMUNE and p.kind == Kind.GRASSROOTS_COMMITTEE]
    successor_of = primary_successors({p.area_id for p in communes})
    missing = [p.name for p in communes if p.area_id not in successor_of]
    if missing:
        raise ValidationError(_("Không tìm thấy xã, phường kế thừa (dữ liệu đơn vị hành chính năm 2025) của: %(names)s.") % {
            "names": ", ".join(missing[:10])})
    units = {u.pk: u for u in AdminUnit.objects.filter(pk__in=set(successor_of.values()))}
    return Province(root, placements, districts, under_district, communes, successor_of, units)


@transaction.atomic
def draft(*, actor, province, mapping: dict | None = None, decision_number: str = DECISION, decision_date: dt.date = dt.date(2025, 4, 12),
          issuer: str = ISSUER) -> Restructuring:
    """The draft restructuring of the legacy province committee's subtree on 01/07/2025, with the
    committees of the provinces merged with it (province_group: then the Central Committee's).
    mapping: organization id → 2025 commune unit id (None: the province committee) for the
    districts' other organizations (read_mapping: the user's edited workbook)."""
    mapping = mapping or {}
    roots, new_province = province_group(province)
    provinces = [read(province)] + [read(p.organization, merged=True) for p in roots[1:]]
    successor_of = {k: v for found in provinces for k, v in found.successor_of.items()}
    units = {k: v for found in provinces for k, v in found.units.items()}
    strange = sorted({u for u in mapping.values() if u is not None} - set(successor_of.values()))
    if strange:
        raise ValidationError(_("Bảng ghép nêu xã, phường mới không kế thừa xã nào của %(name)s (mã đơn vị %(ids)s).") % {
            "name": provinces[0].root.name, "ids": ", ".join(str(u) for u in strange)})

    if new_province is None:
        title = _("Sắp xếp tổ chức đảng theo đơn vị hành chính hai cấp (01/07/2025): %(name)s") % {"name": provinces[0].root.name}
    else:
        title = _("Sắp xếp tổ chức đảng theo đơn vị hành chính hai cấp (01/07/2025): %(name)s, hợp nhất %(merged)s") % {
            "name": committee_name(new_province), "merged": ", ".join(found.root.name for found in provinces)}
    r = services.create_restructuring(actor=actor, organization=None if new_province else province, title=title[:255],
                                      decision_number=decision_number, decision_issuer=issuer, decision_date=decision_date,
                                      effective_date=REFORM)
    # the operations in bulk (a country has tens of thousands): built here, written in a few
    # statements per kind of row, audited as one change of the draft
    ops: list[Operation] = []
    sources: dict[int, list] = {}

    def add(kind, **fields) -> Operation:
        op = Operation(restructuring=r, sequence=len(ops) + 1, kind=kind, **fields)
        ops.append(op)
        return op

    if new_province is None:
        top = {"parent_id": province.pk}
    else:  # the 2025 province committee, established by merging the legacy ones (a new root)
        merger = add(OperationKind.MERGE, name=committee_name(new_province), org_kind=Kind.PROVINCE_COMMITTEE, sector=Sector.OTHER,
                     area=new_province)
        merger.save()
        sources[0] = [found.root.organization_id for found in provinces]
        top = {"parent_new": merger}
    # one new commune committee per 2025 commune, merging the legacy commune committees it took over
    by_new: dict[int, list] = defaultdict(list)
    for found in provinces:
        for p in found.communes:
            by_new[successor_of[p.area_id]].append(p)
    new_ops = {}
    for unit_id in sorted(by_new, key=lambda u: units[u].code):
        unit = units[unit_id]
        new_ops[unit_id] = add(OperationKind.MERGE, name=committee_name(unit), org_kind=Kind.COMMUNE_COMMITTEE, sector=Sector.COMMUNE, area=unit,
                               **top)
        sources[len(ops) - 1] = [p.organization_id for p in by_new[unit_id]]
    # their children now sit under a commune committee: cells become grassroots cells, partial
    # committees grassroots committees
    merged = {p.organization_id for found in provinces for p in found.communes}
    for found in provinces:
        for p in found.placements:
            if p.parent_id in merged:
                new_kind = {Kind.SUBORDINATE_CELL: Kind.GRASSROOTS_CELL, Kind.PARTIAL_COMMITTEE: Kind.GRASSROOTS_COMMITTEE}.get(p.kind)
                if new_kind:
                    add(OperationKind.CHANGE_KIND, organization_id=p.organization_id, org_kind=new_kind)
    Operation.objects.bulk_create([op for op in ops if op.kind == OperationKind.MERGE and op.pk is None], batch_size=1000)
    # the district's other organizations: the mapping, else a commune committee named in their name, else the province
    for found in provinces:
        for p in found.others:
            target = mapping[p.organization_id] if p.organization_id in mapping else found.default_target(p)
            op = new_ops.get(target)
            if op is not None:
                add(OperationKind.MOVE, organization_id=p.organization_id, parent_new=op)
            # else: left in the district, whose dissolution hands it to the province committee
    districts = [d for found in provinces for d in found.districts]
    for d in districts:
        add(OperationKind.DISSOLVE, organization_id=d.organization_id, **top)
    Operation.objects.bulk_create([op for op in ops if op.pk is None], batch_size=1000)
    Allocation.objects.bulk_create([Allocation(operation=ops[i], organization_id=org_id) for i, ids in sources.items() for org_id in ids],
                                   batch_size=1000)
    audit.record(actor=actor, event_type="restructuring.restructuring.changed", target=r, organization_id=r.organization_id,
                 new={"operations": len(ops), "reform2025": True, "communes": len(new_ops), "districts": len(districts),
                      "provinces": [found.root.organization_id for found in provinces]})
    return r


def roots_after(r: Restructuring) -> list[int]:
    """The province committees a committed 2025 change left: the new one of a merge, else the
    deciding committee."""
    if r.organization_id is not None:
        return [r.organization_id]
    return list(Operation.objects.filter(restructuring=r, org_kind=Kind.PROVINCE_COMMITTEE, created__isnull=False)
                .values_list("created_id", flat=True))


# ---------------------------------------------------------------- the mapping the user edits in Excel

MAPPING_HEADER = "Mã tổ chức"


def mapping_columns() -> list[OutColumn]:
    return [OutColumn(_("Mã tổ chức"), 12), OutColumn(_("Tên tổ chức"), 40), OutColumn(_("Đảng bộ huyện"), 30),
            OutColumn(_("Mã xã, phường mới (trống: trực thuộc tỉnh)"), 22, text_format=True), OutColumn(_("Tên xã, phường mới"), 30)]


def mapping_workbook(province) -> tuple[bytes, int]:
    """The districts' other organizations with the 2025 commune each goes under by default (the
    user edits the code column and gives the file back to the command)."""
    found = read(province)
    district_names = {p.organization_id: p.name for p in found.districts}
    rows = []
    for p in found.others:
        target = found.default_target(p)
        unit = found.units.get(target)
        rows.append([p.organization_id, p.name, district_names.get(p.parent_id, ""), unit.code if unit else "", unit.full_name if unit else ""])
    return write_xlsx(sheet=_("Bảng ghép"), columns=mapping_columns(), rows=rows,
                      title=[_("Tổ chức của đảng bộ huyện đặt dưới đảng bộ xã, phường nào từ 01/07/2025 (%(name)s)") % {"name": found.root.name}])


def read_mapping(data: bytes, filename: str, province) -> dict:
    """{organization id: 2025 commune unit id or None} from the edited workbook. A row naming an
    organization not in the districts or a code that is no successor commune of the province is
    refused with its row, and nothing is read."""
    found = read(province)
    allowed = {p.organization_id for p in found.others}
    by_code = {u.code: u.pk for u in found.units.values()}
    try:
        book = open_book(data, filename)
    except ExcelError as error:
        raise ValidationError(str(error)) from None
    mapping, errors, header_seen = {}, [], False
    for number, values in book.sheets[0].rows():
        cells = [("" if v is None else str(v)).strip() for v in values] + [""] * 4
        if not header_seen:
            header_seen = cells[0] == MAPPING_HEADER or cells[0] == str(_("Mã tổ chức"))
            continue
        if not any(cells[:4]):
            continue
        raw_id, code = cells[0].removesuffix(".0"), cells[3].removesuffix(".0")
        if not raw_id.isdigit() or int(raw_id) not in allowed:
            errors.append(_("Dòng %(row)s, cột “Mã tổ chức”: %(value)s không phải tổ chức trực thuộc một đảng bộ huyện của tỉnh.") % {
                "row": number, "value": raw_id or "(trống)"})
            continue
        if code and code not in by_code:
            errors.append(_("Dòng %(row)s, cột “Mã xã, phường mới”: %(value)s không phải xã, phường kế thừa địa bàn của tỉnh.") % {
                "row": number, "value": code})
            continue
        mapping[int(raw_id)] = by_code[code] if code else None
    if not header_seen:
        errors.append(_("Không thấy dòng tiêu đề có cột “Mã tổ chức”."))
    if errors:
        raise ValidationError(errors)
    return mapping


__all__ = ["REFORM", "Province", "committee_name", "draft", "mapping_workbook", "primary_successors", "province_group", "read", "read_mapping",
           "roots_after"]
