"""The demo's political system: bodies and posts of Núi Thành's 17 communes (2015 – 30/06/2025,
the old model) and of the 6 communes that succeeded them (from 01/07/2025, the new model), built
through coso.grassroots.services. Deterministic.

As in the Núi Thành article (31/03/2024), the secretaries of Thị trấn Núi Thành, xã Tam Sơn and
xã Tam Thạnh are also chairs of their People's Committees; about 46% of village heads are party
members (Đắk Mil's 58/125) and one village in twenty has its cell secretary as its head.
"""

import datetime as dt

from coso.grassroots import services
from coso.grassroots.models import Obtained
from coso.members.models import MemberPeriod
from coso.people.services import create_person
from coso.places.models import AdminUnit, Level

from .dataset import REFORM, Demo

TERM = dt.date(2020, 10, 1)  # the commune congresses of 2020–2025
VILLAGE_TERM = dt.date(2022, 1, 1)
SECRETARY_ALSO_CHAIR = {"Núi Thành", "Tam Sơn", "Tam Thạnh"}
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Đình", "Minh", "Hữu", "Ngọc", "Công", "Xuân"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hòa", "Hùng", "Lan", "Mai", "Nam", "Phúc", "Quang", "Sơn", "Thảo", "Tuấn", "Vinh"]


class _Names:
    def __init__(self):
        self.i = 0
        self.village = 0  # villages across communes: the shares below hold for the district

    def person(self, actor):
        i = self.i = self.i + 1
        middle = MIDDLE[i % len(MIDDLE)]
        return create_person(actor=actor, full_name=f"{FAMILY[i % len(FAMILY)]} {middle} {GIVEN[(i * 7) % len(GIVEN)]}",
                             gender="F" if middle == "Thị" else "M", birth_date=dt.date(1965 + i % 30, 1 + i % 12, 1 + i % 28))


def _members_of(organization_ids, on):
    """{organization id: [person, ...]} of the members in force on the date (one query)."""
    out: dict = {}
    for period in (MemberPeriod.objects.on(on).filter(organization_id__in=list(organization_ids)).select_related("member__person")
                   .order_by("member__person__name_order", "id")):
        out.setdefault(period.organization_id, []).append(period.member.person)
    return out


def _commune(actor, unit, committee, villages, cells, on, members, names, *, also_chair):
    """The unit's bodies on `on`, its leaders, and each village's head and cell secretary."""
    bodies = services.create_standard_bodies(actor=actor, unit=unit, on=on, organization=committee, villages=villages)
    by_kind = {(b.kind, b.village_id): b for b in bodies}
    leaders = [p for c in cells.values() for p in members.get(c.pk, [])[:3]]
    pool = iter(leaders)

    def take():
        return next(pool, None) or names.person(actor)

    secretary = take()
    services.appoint(actor=actor, body=by_kind[("party_committee", None)], title="secretary", person=secretary, valid_from=on,
                     obtained=Obtained.ELECTED, decision_number="01-NQ/ĐH")
    services.appoint(actor=actor, body=by_kind[("hdnd", None)], title="chair", person=secretary, valid_from=on)
    chair = secretary if also_chair else take()
    services.appoint(actor=actor, body=by_kind[("ubnd", None)], title="chair", person=chair, valid_from=on)
    services.appoint(actor=actor, body=by_kind[("fatherland_front", None)], title="chair", person=take(), valid_from=on)
    services.appoint(actor=actor, body=by_kind[("women", None)], title="chair", person=take(), valid_from=on)
    for village in villages:
        i = names.village = names.village + 1
        cell = cells.get(village.pk)
        cell_members = members.get(cell.pk, []) if cell is not None else []
        cell_secretary = cell_members[-1] if cell_members else None
        if cell is not None:
            body = services.create_body(actor=actor, kind="cell", unit=unit, village=village, organization=cell, valid_from=on)
            if cell_secretary is not None:
                services.appoint(actor=actor, body=body, title="cell_secretary", person=cell_secretary, valid_from=on)
        if i % 20 == 1 and cell_secretary is not None:
            head = cell_secretary
        elif i % 13 < 5 and len(cell_members) > 1:
            head = cell_members[-2]
        else:
            head = names.person(actor)
        services.appoint(actor=actor, body=by_kind[("village", village.pk)], title="village_head", person=head,
                         valid_from=max(on, VILLAGE_TERM), obtained=Obtained.ELECTED)


def build(d: Demo, *, actor=None, say=print) -> int:
    names = _Names()
    cells_of = {}  # legacy commune pk -> {village pk: cell}
    for cell in d.cells:
        if cell.role == "village":
            cells_of.setdefault(cell.commune.pk, {})[cell.village.pk] = cell.organization
    members = _members_of([c.organization.pk for c in d.cells if c.role == "village"], dt.date(2024, 3, 31))
    committees = {c.placements.get().area_id: c for c in d.grassroots}
    for unit in d.communes:
        villages = list(AdminUnit.objects.filter(parent=unit, level=Level.VILLAGE).order_by("code"))
        _commune(actor, unit, committees.get(unit.pk), villages, cells_of.get(unit.pk, {}), TERM, members, names,
                 also_chair=unit.name in SECRETARY_ALSO_CHAIR)
    new_members = _members_of([c.pk for c in d.new_village_cells], REFORM)
    new_cells = {}
    for cell in d.new_village_cells:
        placement = cell.placements.get()
        new_cells[placement.villages.get().pk] = cell
    for committee in d.new_communes.values():
        unit = committee.placements.get().area
        villages = list(AdminUnit.objects.filter(parent=unit, level=Level.VILLAGE).order_by("code"))
        _commune(actor, unit, committee, villages, {v.pk: new_cells[v.pk] for v in villages if v.pk in new_cells},
                 REFORM, new_members, names, also_chair=False)
    say(f"Hệ thống chính trị: {len(d.communes)} xã, thị trấn (đến 30/06/2025) và {len(d.new_communes)} xã (từ 01/07/2025).")
    return names.i
