"""Scope-leak registry of targets (see coso/access/tests/scope_urls.py).

Huyện B's resolution (coso/resolutions/tests/scope_urls.py) gets a target whose text no page of
huyện A may show, and a review. The province's resolution (above both districts: staff_a sees it)
gets a target given to every lower organization, which huyện B inherits with a stricter
threshold: staff_a sees the province's target and its own figures, never huyện B's copy, its
name or its figures.
"""

import datetime as dt
from decimal import Decimal

from coso.resolutions import services as register
from coso.resolutions.symbols import DocumentKind
from coso.targets import services

SIBLING_NAMES = ["Chỉ tiêu Kín của huyện B"]
D = dt.date


def extend_world(world, people):
    tree = world["tree"]
    admin = people.admin
    if "doc_b" not in world:
        register.open_term(actor=people.staff_b, organization=tree.district_b, name="2024–2029 B", starts_on=D(2024, 1, 1))
        world["doc_b"] = register.register_document(actor=people.staff_b, organization=tree.district_b, kind=DocumentKind.RESOLUTION,
                                                    issued_on=D(2024, 3, 1), subject="Nghị quyết B")
    target_b = services.create_target(actor=people.staff_b, document=world["doc_b"], code="1", text="Chỉ tiêu Kín của huyện B",
                                      numerator="events.admitted", threshold=Decimal(10))
    review_b = services.prepare_review(actor=people.staff_b, document=world["doc_b"], organization=tree.district_b, kind="annual",
                                       on=D(2024, 12, 31))
    register.open_term(actor=admin, organization=tree.province, name="2024–2029 tỉnh", starts_on=D(2024, 1, 1))
    province_doc = register.register_document(actor=admin, organization=tree.province, kind=DocumentKind.RESOLUTION,
                                              issued_on=D(2024, 3, 1), subject="Nghị quyết của tỉnh")
    province_target = services.create_target(actor=admin, document=province_doc, code="1", text="Kết nạp đảng viên mới",
                                             numerator="events.admitted", threshold=Decimal(5), cascade=True)
    inherited_b = services.inherit_target(actor=people.staff_b, target=province_target, organization=tree.district_b,
                                          on=D(2024, 3, 1), threshold=Decimal(7))
    world.update({"target_b": target_b, "review_b": review_b, "inherited_b": inherited_b, "province_target": province_target})


def _doc(w):
    return [{"pk": w["doc_b"].pk}]


def _targets(w):
    return [{"pk": w["target_b"].pk}, {"pk": w["inherited_b"].pk}]


def _review(w):
    return [{"pk": w["review_b"].pk}]


OBJECT_URLS = {
    "targets:document": _doc,
    "targets:create": _doc,
    "targets:review_create": _doc,
    "targets:detail": _targets,
    "targets:report": _targets,
    "targets:inherit": _targets,
    "targets:cascade": _targets,
    "targets:review": _review,
    "targets:review_adopt": _review,
    "targets:review_xlsx": _review,
    "targets:review_pdf": _review,
}

LIST_URLS = {
    "targets:aggregate": lambda w: [{"to_chuc": w["tree"].district_b.pk}, {}],
}

EXEMPT: set[str] = set()
