"""The posts a scenario's figures count, built through coso.grassroots.services after the members:

- "village heads who are party members" (villages.head_member) and "chi bộ secretaries who are
  also village head" (villages.cell_secretary_head), on their date: each village in force then
  gets its self-management body and, with a cell, the cell's body; the cell's secretary is one of
  its members; the first villages (in the plan's order) have the secretary as head, the next a
  member of the cell, the others a head who is not a party member;
- "communes whose party secretary is also chair of the People's Committee"
  (concurrent.secretary_ubnd_chair): each commune's party committee and People's Committee on the
  date, the secretary a member of the commune's cells, also the chair in the communes the figure
  names (else the first ones), another person elsewhere.

A figure that cannot be met (too few villages with cells of enough members) is a FigureError.
"""

import datetime as dt

from django.utils.translation import gettext as _

from coso.data.synth import builder as synth
from coso.grassroots import services
from coso.lib.text import fold
from coso.members.models import MemberPeriod
from coso.people.models import Person
from coso.people.services import create_person
from coso.places.models import AdminUnit, Level

from .kinds import FigureError

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Hữu", "Ngọc", "Công", "Xuân", "Thanh", "Quang"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hùng", "Lan", "Long", "Mai", "Nam", "Phúc", "Quân", "Sơn",
         "Tâm", "Thảo", "Trung", "Tuấn", "Vinh"]
MEASURES = ("villages.head_member", "villages.cell_secretary_head", "concurrent.secretary_ubnd_chair")


def build(p, actor=None) -> int:
    """The posts of the plan's figures; the number of posts made."""
    needs = p.needs
    made = 0
    heads, both = needs.get("villages.head_member"), needs.get("villages.cell_secretary_head")
    if heads is not None or both is not None:
        made += _villages(p, actor, needs.date("villages.head_member", "villages.cell_secretary_head"), heads, both)
    chairs = needs.get("concurrent.secretary_ubnd_chair")
    if chairs is not None:
        names = next((f.data.get("names") or [] for f in p.scenario.figures if f.measure == "concurrent.secretary_ubnd_chair"), [])
        made += _secretaries(p, actor, needs.date("concurrent.secretary_ubnd_chair"), chairs, names)
    return made


def _someone(p, actor, commune, village_id):
    """A holder who is not a party member, living in the village (or the commune) of the post, with
    a national ID as the members' are (most of them): a person like any other of the scenario."""
    middle = p.rng.choice(MIDDLE)
    female = middle == "Thị"
    born = dt.date(p.rng.randint(1960, 1995), p.rng.randint(1, 12), p.rng.randint(1, 28))
    return create_person(actor=actor, full_name=f"{p.rng.choice(FAMILY)} {middle} {p.rng.choice(GIVEN)}",
                         gender="F" if female else "M", birth_date=born,
                         national_id=_national_id(p, female, born.year) if p.rng.random() < 0.95 else None,
                         residence_unit=commune, residence_village_id=village_id)


def _national_id(p, female: bool, year: int) -> str | None:
    province3 = "0" + p.area.province.code[-2:]
    for _i in range(20):
        nid = synth.national_id(province3, female, year, p.rng.randrange(1_000_000))
        if not Person.objects.filter(national_id=nid).exists():
            return nid
    return None


def _village_of(commune) -> int | None:
    """A village of the commune to live in (the first), None if it has none."""
    return AdminUnit.objects.filter(parent=commune, level=Level.VILLAGE).order_by("pk").values_list("pk", flat=True).first()


def _members_on(organizations, day) -> dict[int, list]:
    """{organization id: [person, ...]} of the members in force on the day (one query)."""
    out: dict = {}
    for period in (MemberPeriod.objects.on(day).filter(organization_id__in=[o.pk for o in organizations])
                   .select_related("member__person").order_by("member__person__name_order", "id")):
        out.setdefault(period.organization_id, []).append(period.member.person)
    return out


def _villages(p, actor, day: dt.date, heads: int | None, both: int | None) -> int:
    villages = p.villages_on(day)
    cell_of = {}
    for cell in p.cells:
        village = cell.village_on(day) if cell.in_force(day) else None
        if village is not None and cell.organization is not None:
            cell_of.setdefault(id(village), cell)
    members = _members_on([c.organization for c in cell_of.values()], day)
    both = both or 0
    heads = both if heads is None else heads
    if both > heads:
        raise FigureError(_("Số bí thư chi bộ kiêm trưởng thôn (%(both)s) lớn hơn số trưởng thôn là đảng viên (%(heads)s).") % {
            "both": both, "heads": heads})
    made = 0
    wanted_both, wanted_member = both, heads - both
    for village in villages:
        cell = cell_of.get(id(village))
        cell_members = members.get(cell.organization.pk, []) if cell is not None else []
        body = services.create_body(actor=actor, kind="village", unit=village.commune, village=village.unit, valid_from=day)
        secretary = None
        if cell is not None and cell_members:
            cell_body = services.create_body(actor=actor, kind="cell", unit=village.commune, village=village.unit,
                                             organization=cell.organization, valid_from=day)
            secretary = cell_members[0]
            services.appoint(actor=actor, body=cell_body, title="cell_secretary", person=secretary, valid_from=day)
            made += 1
        if wanted_both and secretary is not None:
            head, wanted_both = secretary, wanted_both - 1
        elif wanted_member and len(cell_members) > 1:
            head, wanted_member = cell_members[1], wanted_member - 1
        else:
            head = _someone(p, actor, village.commune, village.unit.pk)
        services.appoint(actor=actor, body=body, title="village_head", person=head, valid_from=day)
        made += 1
    if wanted_both or wanted_member:
        raise FigureError(_("Không đủ thôn có chi bộ với đảng viên để dựng %(heads)s trưởng thôn là đảng viên ngày %(date)s.") % {
            "heads": heads, "date": day.strftime("%d/%m/%Y")})
    return made


def _secretaries(p, actor, day: dt.date, chairs: int, names: list[str]) -> int:
    communes = [c for c in p.committees if c.commune is not None and c.organization is not None]
    wanted = {fold(n) for n in names}
    chosen = [c for c in communes if fold(c.commune.full_name) in wanted] if wanted else communes[:chairs]
    if len(chosen) != chairs or (wanted and len(chosen) != len(wanted)):
        raise FigureError(_("Không tìm được đúng %(n)s xã, thị trấn cho số liệu bí thư kiêm chủ tịch UBND: %(names)s.") % {
            "n": chairs, "names": ", ".join(names)})
    members = _members_on([cell.organization for c in communes for cell in c.cells if cell.organization is not None], day)
    made = 0
    for c in communes:
        committee = services.create_body(actor=actor, kind="party_committee", unit=c.commune, organization=c.organization, valid_from=day)
        ubnd = services.create_body(actor=actor, kind="ubnd", unit=c.commune, valid_from=day)
        pool = [person for cell in c.cells if cell.organization is not None for person in members.get(cell.organization.pk, [])]
        secretary = pool[0] if pool else _someone(p, actor, c.commune, _village_of(c.commune))
        services.appoint(actor=actor, body=committee, title="secretary", person=secretary, valid_from=day)
        chair = secretary if c in chosen else (pool[1] if len(pool) > 1 else _someone(p, actor, c.commune, _village_of(c.commune)))
        services.appoint(actor=actor, body=ubnd, title="chair", person=chair, valid_from=day)
        made += 2
    return made
