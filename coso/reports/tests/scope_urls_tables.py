"""Scope-leak registry of the statistical report pages (see coso/access/tests/scope_urls.py).

The pages take no object id in the path: the organization, the figure's breakdown key (a child
organization) and the dates come in the query string, so every variant is a list URL. staff_a
asks for huyện B, its commune, the province above both, and for a child key of huyện B under
huyện A: each answers 404, or a page of huyện A's own figures.
"""

SIBLING_NAMES: list = []


def extend_world(world, people):
    pass  # huyện B's organizations, villages and members come from the other registries


OBJECT_URLS: dict = {}


def _report(w):
    t = w["tree"]
    return [{}, {"ngay": "01/03/2024"}, {"to_chuc": t.district_b.pk}, {"to_chuc": t.commune_b1.pk, "ngay": "01/03/2024"},
            {"to_chuc": t.province.pk, "ngay": "01/03/2024"}, {"to_chuc": t.district_a.pk, "ngay": "01/03/2024"},
            {"to_chuc": t.district_a.pk, "tu_ngay": "01/01/2024", "den_ngay": "31/12/2024"}]


def _figures(w):
    t = w["tree"]
    a, b = t.district_a.pk, t.district_b.pk
    return [
        {"chi_tieu": "members", "ngay": "01/03/2024"},
        {"chi_tieu": "members", "to_chuc": b, "ngay": "01/03/2024"},
        {"chi_tieu": "members", "to_chuc": t.province.pk, "ngay": "01/03/2024"},
        {"chi_tieu": "members", "to_chuc": a, "theo": "child", "khoa": t.commune_b1.pk, "ngay": "01/03/2024"},
        {"chi_tieu": "members", "to_chuc": a, "theo": "child", "khoa": a, "ngay": "01/03/2024"},
        {"chi_tieu": "members.probationary", "to_chuc": a, "ngay": "01/03/2024"},
        {"chi_tieu": "orgs.subordinate_cells", "to_chuc": a, "ngay": "01/03/2024"},
        {"chi_tieu": "orgs.subordinate_cells", "to_chuc": b, "ngay": "01/03/2024"},
        {"chi_tieu": "villages", "to_chuc": a, "ngay": "01/03/2024"},
        {"chi_tieu": "villages", "to_chuc": b, "ngay": "01/03/2024"},
        {"chi_tieu": "candidates", "to_chuc": a, "ngay": "01/03/2024"},
        {"chi_tieu": "events.transferred_out", "to_chuc": a, "tu_ngay": "01/01/2024", "den_ngay": "31/12/2024"},
        {"chi_tieu": "events.transferred_out", "to_chuc": b, "tu_ngay": "01/01/2024", "den_ngay": "31/12/2024"},
        {"chi_tieu": "members", "to_chuc": a, "theo": "ethnicity", "khoa": "01", "ngay": "01/03/2024"},
    ]


LIST_URLS = {
    "reports:statistics": _report,
    "reports:figure": _figures,
    "reports:statistics_xlsx": _report,
    "reports:statistics_pdf": _report,
}

EXEMPT: set = set()
