"""Scope-leak registry of the dashboard (format: coso/access/tests/scope_urls.py).

The dashboard takes the organization as ?to_chuc=: staff_a asking for huyện B or anything under
it gets 404, and the default (its own huyện A) shows nothing of huyện B.
"""

SIBLING_NAMES: list = []


def extend_world(world, people):
    pass


OBJECT_URLS: dict = {}
LIST_URLS: dict = {
    "reports:dashboard": lambda w: [
        {},
        {"ngay": "01/03/2024"},
        {"to_chuc": w["tree"].district_b.pk, "ngay": "01/03/2024"},
        {"to_chuc": w["tree"].commune_b1.pk},
        {"to_chuc": w["tree"].cell_b1a.pk, "ngay": "01/03/2024"},
        {"to_chuc": w["tree"].province.pk, "ngay": "01/03/2024"},
    ],
}
EXEMPT: set = set()
