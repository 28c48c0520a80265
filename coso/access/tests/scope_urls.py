"""Scope-leak registry of the core pages (organizations, places, audit, access).

Each app with pages has a tests/scope_urls.py like this one: SIBLING_NAMES (data of huyện B
that staff_a must never see), extend_world(world, people) to create that app's sibling objects,
OBJECT_URLS (URL name -> kwargs variants pointing at sibling objects), LIST_URLS (URL name ->
query variants) and EXEMPT. access/tests/test_scope_leak.py collects them all.
"""

import datetime as dt

from coso.organizations import services
from coso.organizations.models import Placement
from coso.places.models import AdminUnit, Generation, Level, UnitKind
from coso.places.services import create_village

SIBLING_NAMES = ["Đảng bộ huyện B", "Đảng bộ xã B1", "Chi bộ thôn B1a", "Thôn Bí Mật", "Mật danh B"]


def _unit(code, name, level, kind, parent=None):
    return AdminUnit.objects.create(
        generation=Generation.LEGACY, level=level, kind=kind, code=code, name=name,
        full_name=f"{UnitKind(kind).label} {name}", parent=parent, valid_to=dt.date(2025, 7, 1),
    )


def extend_world(world, people):
    tree = world["tree"]
    province = _unit("99", "Thử nghiệm", Level.PROVINCE, UnitKind.PROVINCE)
    commune_a = _unit("99001", "An Phú", Level.COMMUNE, UnitKind.COMMUNE, province)
    commune_b = _unit("99002", "Bình Yên", Level.COMMUNE, UnitKind.COMMUNE, province)
    Placement.objects.filter(organization=tree.commune_a1).update(area=commune_a)
    Placement.objects.filter(organization=tree.commune_b1).update(area=commune_b)
    village_a = create_village(actor=people.staff_a, commune=commune_a, name="Thôn Mỹ", kind=UnitKind.VILLAGE, valid_from=dt.date(2024, 1, 1))
    village_b = create_village(actor=people.staff_b, commune=commune_b, name="Bí Mật", kind=UnitKind.VILLAGE, valid_from=dt.date(2024, 1, 1))
    services.rename_organization(actor=people.staff_b, organization=tree.cell_b1a, name="Mật danh B", valid_from=dt.date(2024, 2, 1))
    world.update({"commune_b": commune_b, "village_b": village_b, "village_a": village_a})


def _b(world):
    return world["tree"]


# URL name -> the kwargs of sibling objects to request it with (one or more variants)
OBJECT_URLS = {
    "organizations:detail": lambda w: [{"pk": _b(w).commune_b1.pk}, {"pk": _b(w).district_b.pk}],
    "organizations:children": lambda w: [{"pk": _b(w).district_b.pk}],
    "organizations:edit": lambda w: [{"pk": _b(w).commune_b1.pk}],
    "organizations:rename": lambda w: [{"pk": _b(w).cell_b1a.pk}],
    "organizations:move": lambda w: [{"pk": _b(w).commune_b1.pk}],
    "organizations:close": lambda w: [{"pk": _b(w).cell_b1a.pk}],
    "places:commune": lambda w: [{"pk": w["commune_b"].pk}],  # requested with ?ngay below too
    "places:close_village": lambda w: [{"pk": w["village_b"].pk}],
    "audit:object": lambda w: [
        {"target_type": "organizations.organization", "pk": _b(w).commune_b1.pk},
        {"target_type": "places.adminunit", "pk": w["village_b"].pk},
    ],
}

# URLs without object ids: requested with queries that would reveal sibling data if unscoped.
# They answer 200 (or 403/404), never with sibling data.
LIST_URLS = {
    "home": lambda w: [{}],
    "organizations:tree": lambda w: [{"ngay": "01/03/2024"}, {"q": "B1", "ngay": "01/03/2024"}],
    "organizations:search": lambda w: [{"q": "B1", "ngay": "01/03/2024"}, {"q": "mat danh", "ngay": "01/03/2024"}],
    "organizations:options": lambda w: [{"q": "B", "ngay": "01/03/2024"}],
    "organizations:create": lambda w: [{"cha": _b(w).commune_b1.pk}],
    "places:unit_options": lambda w: [{"q": "bi mat"}, {"q": "thon"}],
    "audit:list": lambda w: [{}, {"loai": "organizations"}],
    "access:password_change": lambda w: [{}],  # the user's own password: no other subtree's data
}

# Pages with no data of anyone's: logging in and out, choosing a language.
EXEMPT = {"access:login", "access:logout", "set_language"}
