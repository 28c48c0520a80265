"""Scope-leak registry of the evaluation pages (see coso/access/tests/scope_urls.py).

Huyện B gets a member with a name no page of huyện A may show, rated in two periods: the
province's 2024 period (opened above both districts: staff_a sees the period, never huyện B's
part of it) and huyện B's own 2025 period (staff_a does not see it at all).
"""

import datetime as dt

from coso.access.models import Role
from coso.evaluation import services
from coso.evaluation.choices import SubjectKind
from coso.evaluation.models import Rating
from coso.members import services as members
from coso.people.services import create_person

SIBLING_NAMES = ["Võ Thị Kín Tiếng"]
D = dt.date


def extend_world(world, people):
    tree = world["tree"]
    person = create_person(actor=people.staff_b, full_name="Võ Thị Kín Tiếng", gender="F", birth_date=D(1985, 3, 1))
    members.record_existing_member(actor=people.staff_b, person=person, organization=tree.cell_b1a, on=D(2024, 1, 10),
                                   admitted_on=D(2010, 1, 1), recognized_on=D(2011, 1, 1))
    admin = next((u for u in vars(people).values() if u.role == Role.ADMIN), None)
    province = services.open_period(actor=admin, organization=tree.province, year=2024)
    own = services.open_period(actor=people.staff_b, organization=tree.district_b, year=2025)

    def rating(period):
        return Rating.objects.get(period=period, subject_kind=SubjectKind.MEMBER, subject_name="Võ Thị Kín Tiếng")

    group = services.create_cap_group(actor=people.staff_b, period=own, organization=tree.district_b,
                                      name="Nhóm Kín Tiếng")
    world.update({"eval_province": province, "eval_b": own, "eval_b_rating": rating(own), "eval_province_b_rating": rating(province),
                  "eval_b_group": group})


def _period(w):
    return [{"pk": w["eval_b"].pk}]


def _ratings(w):
    return [{"pk": w["eval_b_rating"].pk}, {"pk": w["eval_province_b_rating"].pk}]


OBJECT_URLS = {
    "evaluation:period": _period,
    "evaluation:violations": _period,
    "evaluation:decide": _period,
    "evaluation:publish": _period,
    "evaluation:export": _period,
    "evaluation:subjects": _period,
    "evaluation:add_collective": _period,
    "evaluation:add_leader": _period,
    "evaluation:add_mass_organization": _period,
    "evaluation:import": _period,
    # huyện B's period, and the province's period (visible) at huyện B's cell (not)
    "evaluation:entry": lambda w: [{"pk": w["eval_b"].pk, "org": w["tree"].cell_b1a.pk},
                                   {"pk": w["eval_province"].pk, "org": w["tree"].cell_b1a.pk},
                                   {"pk": w["eval_province"].pk, "org": w["tree"].district_b.pk}],
    "evaluation:rating": _ratings,
    "evaluation:self_assess": _ratings,
    "evaluation:comment": _ratings,
    "evaluation:propose": _ratings,
    "evaluation:correct": _ratings,
    "evaluation:remedy": _ratings,
    "evaluation:unit_discipline": _ratings,
    "evaluation:groups": _period,
    "evaluation:create_group": _period,
    "evaluation:rule_settings": _period,
    "evaluation:assign_group": lambda w: [{"pk": w["eval_b_group"].pk}],
    "evaluation:raise_cap": lambda w: [{"pk": w["eval_b_group"].pk}],
}

LIST_URLS = {
    "evaluation:periods": lambda w: [{}, {"trang": "2"}],
    "evaluation:open": lambda w: [{}, {"to_chuc": w["tree"].district_b.pk}],
}

EXEMPT: set[str] = set()
