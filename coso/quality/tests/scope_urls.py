"""Scope-leak registry of the data-quality pages (see coso/access/tests/scope_urls.py).

huyện B gets a member with problems whose name and national ID staff_a must never see.
"""

from .helpers import member

SIBLING_NAMES = ["Lê Thị Bí Mật", "003180000777"]


def extend_world(world, people):
    tree = world["tree"]
    world["quality_member_b"] = member(tree.cell_b1a, name="Lê Thị Bí Mật", gender="F", national_id="003180000777", education="")


OBJECT_URLS = {
    "quality:organization": lambda w: [{"pk": w["tree"].commune_b1.pk}, {"pk": w["tree"].district_b.pk}, {"pk": w["tree"].cell_b1a.pk}],
}
LIST_URLS = {}
EXEMPT = set()
