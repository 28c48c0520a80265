"""The read side of the political system: scoped, bounded.

- `chart(unit, on, scope)`: the unit's bodies in force on the date, as a tree (parent → children),
  each with its holders and its vacant head, the villages' bodies grouped by village: 3 queries
  (bodies, posts with persons, party members among the holders) whatever the number of bodies.
- `body_posts(body, on)`: the body's holders on the date by title, with vacancies.
- `person_posts(person, scope)`: a person's posts over time, within the scope.
- `warnings(unit, on)`: committee sizes and the People's Council chair rule as warnings.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from coso.lib.text import sort_key
from coso.members.models import MemberPeriod
from coso.places.models import AdminUnit
from coso.training.holders import Holder

from . import config
from .models import Body, Post


def is_member_on(on: dt.date, person_ref: str = "person_id"):
    """Exists: the person held a party membership on the date (a period in force on it)."""
    return Exists(MemberPeriod.objects.on(on).filter(member__person_id=OuterRef(person_ref)))


def visible_bodies(scope):
    return Body.objects.visible_to(scope)


def visible_posts(scope):
    return Post.objects.visible_to(scope)


@dataclass
class Seat:
    title: config.Title
    posts: list = field(default_factory=list)  # posts in force, with .is_member

    @property
    def vacant(self) -> bool:
        return not self.posts


@dataclass
class Node:
    body: Body
    seats: list = field(default_factory=list)
    children: list = field(default_factory=list)

    @property
    def kind(self) -> config.BodyKind:
        return config.BODY_KINDS[self.body.kind]

    @property
    def holders(self) -> int:
        return sum(len(s.posts) for s in self.seats)

    @property
    def vacancies(self) -> list:
        return [s for s in self.seats if s.vacant]


def _seats(body: Body, posts: list, on: dt.date) -> list[Seat]:
    """The titles with holders on the date, the head's seat even when empty (a vacancy), in the
    catalog's order; an old title still held shows too."""
    by_title: dict[str, list] = defaultdict(list)
    for post in posts:
        by_title[post.title].append(post)
    kind = config.BODY_KINDS[body.kind]
    seats = []
    for title in config.titles_of(body.kind):
        if by_title.get(title.code) or (title.code == kind.head and title.in_force_on(on)):
            seats.append(Seat(title, sorted(by_title.get(title.code, []), key=lambda p: (p.person.name_order, p.pk))))
    return seats


def chart(unit: AdminUnit, on: dt.date, bodies=None) -> dict:
    """{"groups": {group: [Node]}, "villages": [(village, [Node])]}: the unit's bodies in force on
    the date as trees, with holders on the date (3 queries); the villages in the Vietnamese order,
    numbers as numbers (Khối phố 2 before Khối phố 10)."""
    bodies = list((bodies if bodies is not None else Body.objects.all()).on(on).filter(unit=unit)
                  .select_related("village").order_by("village__name_folded", "id"))
    posts = defaultdict(list)
    # only what the cards and the export show: a person row has some thirty columns
    for post in (Post.objects.on(on).filter(body__in=[b.pk for b in bodies]).select_related("person")
                 .only("body_id", "title", "obtained", "decision_number", "valid_from", "valid_to", "person_id", "person__full_name",
                       "person__name_order", "person__birth_date", "person__birth_precision")
                 .annotate(is_member=is_member_on(on))):
        posts[post.body_id].append(post)
    nodes = {b.pk: Node(b, _seats(b, posts[b.pk], on)) for b in bodies}
    roots = []
    for b in bodies:
        if b.parent_id in nodes:
            nodes[b.parent_id].children.append(nodes[b.pk])
        else:
            roots.append(nodes[b.pk])
    groups: dict[str, list] = {"party": [], "state": [], "front": []}
    villages: dict = {}
    for node in roots:
        if node.body.village_id is not None:
            villages.setdefault(node.body.village, []).append(node)
        else:
            groups.setdefault(node.kind.group, []).append(node)
    order = list(config.BODY_KINDS)
    for nodes_ in (*groups.values(), *villages.values()):
        nodes_.sort(key=lambda n: (order.index(n.body.kind), n.body.name))
    return {"groups": groups, "villages": sorted(villages.items(), key=lambda kv: (sort_key(kv[0].name), kv[0].pk)), "count": len(bodies)}


def body_seats(body: Body, on: dt.date) -> list[Seat]:
    """The body's titles on the date: holders, and the vacant head (2 queries)."""
    posts = list(Post.objects.on(on).filter(body=body).select_related("person", "body").annotate(is_member=is_member_on(on)))
    seats = _seats(body, posts, on)
    held = {s.title.code for s in seats}
    # titles offered and empty, after the held ones: the page lists every title of the body
    seats += [Seat(t) for t in config.titles_of(body.kind, on) if t.code not in held]
    return seats


def body_history(body: Body):
    return Post.objects.filter(body=body).select_related("person").order_by("-valid_from", "title", "id")


def person_posts(person, scope):
    """The person's posts over time that the scope sees, newest first, with their bodies."""
    return (visible_posts(scope).filter(person=person).select_related("body", "body__unit", "body__village")
            .order_by("-valid_from", "id"))


def warnings(unit: AdminUnit, on: dt.date, bodies=None) -> list[str]:
    """Committee sizes outside the configured range (config.SIZES) and, from 01/07/2025, a People's
    Council chair who is neither the secretary nor the standing deputy secretary (Chỉ thị 45-CT/TW):
    warnings, never refusals. 2 queries."""
    bodies = {b.pk: b for b in (bodies if bodies is not None else Body.objects.all()).on(on).filter(unit=unit, village__isnull=True)}
    posts = list(Post.objects.on(on).filter(body__in=list(bodies)).values_list("body_id", "title", "person_id"))
    out = []
    for body in bodies.values():
        for size in config.sizes_on(body.kind, on):
            holders = {p for b, t, p in posts if b == body.pk and (not size.titles or t in size.titles)}
            n = len(holders)
            if (size.low is not None and n < size.low) or (size.high is not None and n > size.high):
                if size.titles:  # a rule on some titles: say which holders were counted
                    titles = ", ".join(config.title_label(body.kind, t) for t in size.titles)
                    out.append(_("%(body)s: %(n)s người giữ chức %(titles)s; %(rule)s (%(source)s).") % {
                        "body": body.name, "n": n, "titles": titles, "rule": size.label, "source": size.source})
                else:
                    out.append(_("%(body)s: %(n)s người; %(rule)s (%(source)s).") % {
                        "body": body.name, "n": n, "rule": size.label, "source": size.source})
    if on >= config.TWO_TIER:
        kinds = {b.pk: b.kind for b in bodies.values()}
        chairs = {p for b, t, p in posts if kinds[b] == "hdnd" and t == "chair"}
        leaders = {p for b, t, p in posts if kinds[b] == "party_committee" and t in ("secretary", "standing_deputy_secretary")}
        if chairs and not chairs & leaders:
            out.append(_("Chủ tịch HĐND không phải là bí thư hoặc phó bí thư thường trực đảng ủy (Chỉ thị 45-CT/TW)."))
    return out


def units_with_bodies(scope, on: dt.date):
    """Communes and districts in force on the date, in the scope, that have bodies then."""
    ids = visible_bodies(scope).on(on).values("unit_id")
    return AdminUnit.objects.on(on).filter(pk__in=ids).select_related("parent").order_by("name_folded", "id")


# The grassroots titles that training's requirements name (training.requirements.TITLES): the
# commune's posts only (the district's bodies, "d_…", and the other titles have no requirement).
TRAINING_TITLES: dict[tuple[str, str], str] = {
    ("party_committee", "secretary"): "bi_thu",
    ("party_committee", "standing_deputy_secretary"): "pho_bi_thu",
    ("party_committee", "deputy_secretary"): "pho_bi_thu",
    ("party_committee", "committee_member"): "cap_uy_vien",
    ("hdnd", "chair"): "chu_tich_hdnd",
    ("ubnd", "chair"): "chu_tich_ubnd",
    ("ubnd", "vice_chair"): "pho_chu_tich_ubnd",
    ("ubnd", "member_military"): "chi_huy_truong_qs",
    ("ubnd_department", "department_head"): "truong_phong",
    ("fatherland_front", "chair"): "chu_tich_mttq",
    ("cell", "cell_secretary"): "bi_thu_chi_bo",
}


def training_holders(scope, on: dt.date):
    """Training's holders registry: the posts held on the date (scoped) whose title training's
    requirements name, as its title codes. One query, whatever the number of posts."""
    kinds = {kind for kind, _code in TRAINING_TITLES}
    codes = {code for _kind, code in TRAINING_TITLES}
    qs = Post.objects.on(on).filter(body__kind__in=kinds, title__in=codes)
    if scope is not None:
        qs = qs.visible_to(scope)
    for person_id, kind, code, body_name, since in qs.values_list(
            "person_id", "body__kind", "title", "body__name", "valid_from").order_by("body_id", "valid_from", "id"):
        title = TRAINING_TITLES.get((kind, code))
        if title:
            yield Holder(person_id, title, body_name, since)
