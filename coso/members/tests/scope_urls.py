"""Scope-leak registry of the member pages (see coso/access/tests/scope_urls.py).

Huyện B gets a cell of its own beside chi bộ thôn B1a, members in every worklist (probationary,
in transit between its two cells, due for a badge) and a candidate, all with names no page of
huyện A may show.
"""

import datetime as dt

from coso.members import services
from coso.members.models import EventType, TransferKind
from coso.organizations import services as organizations
from coso.organizations.models import Kind
from coso.people.services import create_person

SIBLING_NAMES = ["Phạm Thị Bí Ẩn", "Hoàng Văn Kín Đáo", "Vũ Thị Giấu Tên", "Đinh Văn Lão Thành", "Chi bộ thôn B1b"]

D = dt.date


def extend_world(world, people):
    tree = world["tree"]
    staff_b = people.staff_b
    cell_b1b = organizations.create_organization(actor=staff_b, parent=tree.commune_b1, name="Chi bộ thôn B1b", kind=Kind.SUBORDINATE_CELL,
                                                 valid_from=D(2024, 1, 1))

    def person(name, gender="F", born=None):
        return create_person(actor=staff_b, full_name=name, gender=gender, birth_date=born or D(1990, 1, 1))

    probationary = services.record_existing_member(actor=staff_b, person=person("Phạm Thị Bí Ẩn"), organization=tree.cell_b1a,
                                                   on=D(2024, 1, 10), admitted_on=D(2023, 3, 1), card_number="990001")
    moving = services.record_existing_member(actor=staff_b, person=person("Vũ Thị Giấu Tên"), organization=tree.cell_b1a, on=D(2024, 1, 10),
                                             admitted_on=D(2010, 1, 1), recognized_on=D(2011, 1, 1))
    services.record_event(actor=staff_b, member=moving, type=EventType.TRANSFER_OUT, effective_date=D(2024, 1, 20), target_id=cell_b1b.pk,
                          transfer_kind=TransferKind.OFFICIAL, decision_number="GT 7")
    veteran = services.record_existing_member(actor=staff_b, person=person("Đinh Văn Lão Thành", "M", D(1950, 1, 1)), organization=cell_b1b,
                                              on=D(2024, 1, 10), admitted_on=D(1980, 1, 1), recognized_on=D(1981, 1, 1))
    candidate = services.add_candidate(actor=staff_b, person=person("Hoàng Văn Kín Đáo", "M", D(2000, 1, 1)), organization=tree.cell_b1a,
                                       listed_on=D(2024, 1, 10), course_completed_on=D(2024, 1, 15))
    world.update({"b_probationary": probationary, "b_moving": moving, "b_veteran": veteran, "b_candidate": candidate, "cell_b1b": cell_b1b})


def _pk(name):
    return lambda w: [{"pk": w[name].pk}]


OBJECT_URLS = {
    "members:detail": lambda w: [{"pk": w["b_probationary"].pk}, {"pk": w["b_moving"].pk}, {"pk": w["b_veteran"].pk}],
    "members:person_edit": _pk("b_probationary"),
    "members:recognize": _pk("b_probationary"),
    "members:receive": _pk("b_moving"),
    "members:event": lambda w: [
        {"pk": w["b_veteran"].pk, "action": "chuyen-di"}, {"pk": w["b_moving"].pk, "action": "huy-chuyen"},
        {"pk": w["b_probationary"].pk, "action": "xoa-ten"},
    ],
    # the person's photo (none here: the scope answers before the file is looked for; test_views_person checks one)
    "members:photo": lambda w: [{"pk": w["b_probationary"].person_id}, {"pk": w["b_candidate"].person_id}],
    "members:candidate": _pk("b_candidate"),
    "members:candidate_edit": _pk("b_candidate"),
    "members:candidate_person_edit": _pk("b_candidate"),
    "members:admit": _pk("b_candidate"),
    "members:drop": _pk("b_candidate"),
}


def _worklist(w):
    b = w["tree"]
    return [{}, {"ngay": "01/03/2024"}, {"to_chuc": b.district_b.pk}, {"to_chuc": b.commune_b1.pk, "ngay": "01/03/2024"},
            {"to_chuc": w["cell_b1b"].pk, "ngay": "01/03/2024"}]


LIST_URLS = {
    "members:list": lambda w: [*_worklist(w), {"tim": "bi an", "ngay": "01/03/2024"}, {"tim": "99", "ngay": "01/03/2024"},
                               {"to_chuc": w["tree"].district_a.pk, "to_chuc_con": w["tree"].commune_b1.pk, "ngay": "01/03/2024"}],
    "members:create": lambda w: [{}, {"to_chuc": w["tree"].cell_b1a.pk}],
    "members:join_by_transfer": lambda w: [{}, {"to_chuc": w["tree"].cell_b1a.pk}],
    # huyện B's commune (coso/access/tests/scope_urls.py) and its village "Thôn Bí Mật"
    "members:village_options": lambda w: [{"origin_unit": w["commune_b"].pk}, {"residence_unit": w["commune_b"].pk}],
    "members:cell_options": lambda w: [{"q": "b1"}, {"q": "mat danh"}, {"q": "thon"}],
    "members:person_options": lambda w: [{"q": "bi an"}, {"q": "kin dao"}, {"q": "thi"}],
    "members:candidates": lambda w: [*_worklist(w), {"tim": "kin dao", "tinh_trang": "all"}],
    "members:candidate_create": lambda w: [{}, {"nguoi": w["b_candidate"].person_id}],
    "members:probation": lambda w: [*_worklist(w), {"so_ngay": "366", "ngay": "01/03/2024"}],
    "members:transfers": _worklist,
    "members:badges": _worklist,
}

EXEMPT: set[str] = set()
