"""Members and restructurings for the tests, made through the services."""

import datetime as dt

from coso.members import lifecycle, services
from coso.members.models import Member, MemberEvent, MemberPeriod
from coso.organizations.models import Organization, Placement
from coso.people.services import create_person
from coso.restructuring import services as restructuring

D = dt.date
RECORDED_ON = D(2024, 1, 5)
ADMITTED_ON = D(2010, 1, 1)
ON = D(2024, 7, 1)


def member(cell, name, *, admitted=ADMITTED_ON, on=RECORDED_ON, official=True):
    person = create_person(actor=None, full_name=name, gender="M", birth_date=D(1980, 5, 1))
    return services.record_existing_member(actor=None, person=person, organization=cell, on=on, admitted_on=admitted,
                                           recognized_on=lifecycle.add_months(admitted, 12) if official else None)


def populate(tree) -> dict:
    """Three official members in each village cell of huyện A, two in A2, three in B1a."""
    names = {
        "a1a": ["Nguyễn Văn An", "Trần Thị Bích", "Lê Văn Cường"],
        "a1b": ["Phạm Thị Dung", "Hoàng Văn Em", "Vũ Thị Giang"],
        "a2": ["Đỗ Văn Hải", "Bùi Thị Hằng"],
        "b1a": ["Ngô Văn Khoa", "Dương Thị Lan", "Lý Văn Minh"],
    }
    cells = {"a1a": tree.cell_a1a, "a1b": tree.cell_a1b, "a2": tree.cell_a2, "b1a": tree.cell_b1a}
    return {key: [member(cells[key], n) for n in ns] for key, ns in names.items()}


def draft(tree, actor=None, organization=None, on=ON, **kw):
    return restructuring.create_restructuring(
        actor=actor, organization=organization or tree.province, title=kw.get("title", "Sắp xếp thử"),
        decision_number=kw.get("number", "15-QĐ/TU"), decision_issuer="Tỉnh ủy Thử nghiệm", decision_date=on - dt.timedelta(days=10),
        effective_date=on,
    )


def state() -> dict:
    """Every row a restructuring writes or changes, as plain values (for an exact comparison)."""
    def rows(qs, *fields):
        return sorted(qs.values_list(*fields))

    through = Placement.villages.through
    return {
        "organizations": rows(Organization.objects.all(), "id", "code", "closed_on", "close_reason", "close_decision"),
        "placements": rows(Placement.objects.all(), "id", "organization_id", "parent_id", "name", "kind", "sector", "path", "depth",
                           "valid_from", "valid_to", "change", "decision_number"),
        "villages": rows(through.objects.all(), "placement_id", "adminunit_id"),
        "members": rows(Member.objects.all(), "id", "status", "organization_id", "admitted_on", "recognized_on", "exempted", "in_transit"),
        "events": rows(MemberEvent.objects.all(), "id", "member_id", "type", "effective_date", "sequence", "organization_id", "target_id",
                       "owner_id"),
        "periods": rows(MemberPeriod.objects.all(), "member_id", "organization_id", "status", "exempted", "in_transit", "host_id",
                        "valid_from", "valid_to"),
    }
