"""Scope-leak registry of the restructuring pages (see coso/access/tests/scope_urls.py).

Huyện B drafts a restructuring of its own (a name no page of huyện A may show), with one
operation; staff_a must get 403 or 404 from every page and action of it.
"""

import datetime as dt

from coso.organizations.models import Kind
from coso.restructuring import services
from coso.restructuring.models import OperationKind

SIBLING_NAMES = ["Phương án Kín Đáo B", "Chi bộ Bí Ẩn B"]


def extend_world(world, people):
    tree = world["tree"]
    r = services.create_restructuring(actor=people.staff_b, organization=tree.district_b, title="Phương án Kín Đáo B",
                                      decision_number="9-QĐ/HU", decision_issuer="Huyện ủy B", decision_date=dt.date(2024, 6, 1),
                                      effective_date=dt.date(2024, 7, 1))
    op = services.add_operation(actor=people.staff_b, restructuring=r, kind=OperationKind.ESTABLISH, parent=tree.commune_b1,
                                name="Chi bộ Bí Ẩn B", org_kind=Kind.SUBORDINATE_CELL)
    world.update({"restructuring_b": r, "restructuring_b_op": op})


def _r(w):
    return [{"pk": w["restructuring_b"].pk}]


OBJECT_URLS = {
    "restructuring:detail": _r,
    "restructuring:add_operation": _r,
    "restructuring:remove_operation": lambda w: [{"pk": w["restructuring_b"].pk, "operation_pk": w["restructuring_b_op"].pk}],
    "restructuring:accept": _r,
    "restructuring:commit": _r,
    "restructuring:progress": _r,
    "restructuring:undo": _r,
    "restructuring:handover": lambda w: [{"pk": w["restructuring_b"].pk, "fmt": "xlsx"}, {"pk": w["restructuring_b"].pk, "fmt": "pdf"}],
}

LIST_URLS = {
    "restructuring:list": lambda w: [{}, {"trang": "2"}],
    "restructuring:create": lambda w: [{}],
    # huyện B's committee asked by id: 404; the default (the user's own subtree) names nothing of B
    "restructuring:figures": lambda w: [{}, {"to_chuc": w["tree"].district_b.pk}, {"to_chuc": w["tree"].commune_b1.pk, "nhom": "ke_thua"}],
}

EXEMPT: set[str] = set()
