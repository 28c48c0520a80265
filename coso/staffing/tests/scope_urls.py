"""Scope-leak registry of the staffing pages (see coso/access/tests/scope_urls.py).

Huyện B's commune (Bình Yên, coso/access/tests/scope_urls.py) employs a person and has a quota;
no page of huyện A may show the person.
"""

import datetime as dt

from coso.staffing import services
from coso.staffing.reference import BodyKind, Category

SIBLING_NAMES = ["Đỗ Thị Công Vụ Kín"]
D = dt.date


def extend_world(world, people):
    commune = world.get("commune_b")
    if commune is None:  # the core registry (places) creates it; its order is alphabetical, before this one
        return
    e = services.start_employment(actor=people.staff_b, commune=commune, body_kind=BodyKind.COMMITTEE, category=Category.COMMUNE_CIVIL_SERVANT,
                                  position="Công chức Tư pháp – hộ tịch", valid_from=D(2024, 1, 1), title="cong_chuc",
                                  new_person={"full_name": "Đỗ Thị Công Vụ Kín", "gender": "F", "birth_date": D(1990, 1, 1)})
    services.set_quota(actor=people.staff_b, commune=commune, category=Category.COMMUNE_CIVIL_SERVANT, number=6, valid_from=D(2024, 1, 1))
    world.update({"staffing_employment_b": e})


def _commune(w):
    return [{"pk": w["commune_b"].pk}]


OBJECT_URLS = {
    "staffing:commune": _commune,
    "staffing:employment_create": _commune,
    "staffing:quota_set": _commune,
    "staffing:part_time_end": _commune,
    "staffing:employment_end": lambda w: [{"pk": w["staffing_employment_b"].pk}],
}

LIST_URLS = {
    "staffing:index": lambda w: [{}, {"ngay": "01/03/2024"}, {"ngay": "x"}, {"trang": "3"}],
}

EXEMPT: set[str] = set()
