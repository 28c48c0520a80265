"""Scope-leak registry of the political-system pages (see coso/access/tests/scope_urls.py).

Huyện B's commune (xã Bình Yên, the area of Đảng bộ xã B1, set by the access registry) gets its
bodies and a village head whose name no page of huyện A may show.
"""

import datetime as dt

from coso.grassroots import services
from coso.people.services import create_person

SIBLING_NAMES = ["Trần Văn Kín Chức"]
D = dt.date


def extend_world(world, people):
    commune_b, village_b = world["commune_b"], world["village_b"]
    bodies = services.create_standard_bodies(actor=people.staff_b, unit=commune_b, on=D(2024, 3, 1), villages=[village_b],
                                             organization=world["tree"].commune_b1)
    village = next(b for b in bodies if b.kind == "village")
    holder = create_person(actor=people.staff_b, full_name="Trần Văn Kín Chức", gender="M", birth_date=D(1970, 1, 1))
    post = services.appoint(actor=people.staff_b, body=village, title="village_head", person=holder, valid_from=D(2024, 3, 1))
    world.update({"gr_body_b": village, "gr_post_b": post, "gr_holder_b": holder})


OBJECT_URLS = {
    "grassroots:unit": lambda w: [{"pk": w["commune_b"].pk}],
    "grassroots:standard": lambda w: [{"pk": w["commune_b"].pk}],
    "grassroots:export": lambda w: [{"pk": w["commune_b"].pk}],
    "grassroots:import": lambda w: [{"pk": w["commune_b"].pk}],
    "grassroots:body": lambda w: [{"pk": w["gr_body_b"].pk}],
    "grassroots:appoint": lambda w: [{"pk": w["gr_body_b"].pk}],
    "grassroots:end": lambda w: [{"pk": w["gr_post_b"].pk}],
    "grassroots:replace": lambda w: [{"pk": w["gr_post_b"].pk}],
    "grassroots:person": lambda w: [{"pk": w["gr_holder_b"].pk}],
}

LIST_URLS = {
    "grassroots:index": lambda w: [{}, {"q": "binh yen", "ngay": "01/03/2024"}],
    "grassroots:concurrent": lambda w: [{"ngay": "01/03/2024"}, {"to_chuc": w["tree"].district_a.pk, "ngay": "01/03/2024",
                                                                 "a": "cell:cell_secretary", "b": "village:village_head"}],
    "grassroots:person_options": lambda w: [{"q": "kin chuc"}, {"q": "tran"}],
}

EXEMPT: set[str] = set()
