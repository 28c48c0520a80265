"""Measures of the commune's political system (coso/grassroots): posts and bodies on a date.

- posts: the posts in force on the date whose body's unit (a commune, a district before
  01/07/2025) is the area of an organization of the subtree, or lies under one (a commune of a
  district's); each belongs to the organization whose area is its unit, else its unit's parent.
  Measures about people count each person once however many posts they hold (a count of
  distinct persons); a party member is one with a membership period in force on the date.
  Concurrent posts (config.CONCURRENT_MODELS, or any pair of titles a user picks) are persons
  holding a post of the first side and, on the same date in the same unit (the same village for
  village posts), a post of the second side: overlaps of one person's posts, never a record.
- bodies: the bodies in force on the date in the same units; a body whose head (config: its
  chair, secretary, head) has no holder on the date is vacant.

Each family answers all its measures in one grouped query (conditional counts over annotated
rows); a breakdown by child groups by unit and rolls up through the areas of the subtree.
"""

from collections import defaultdict

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    FilteredRelation,
    OuterRef,
    Q,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from coso.grassroots import config
from coso.grassroots.models import Body, Post
from coso.lib.dated import in_force_q

from . import politicalledger
from .catalog import INDICATORS, MEASURES, VILLAGES, Indicator, Measure, register_family
from .families import Family, grouped, roll_up_owners
from .tree import Subtree

POSTS = "posts"
BODIES = "bodies"


def side_q(pairs, prefix: str = "") -> Q:
    """Posts of any (body kind, title) of a side."""
    q = Q(pk__in=[])
    for kind, title in pairs:
        q |= Q(**{f"{prefix}body__kind": kind, f"{prefix}title": title})
    return q


def _p(name, label, q=None, special="persons"):
    return Measure(name, label, POSTS, q=q, special=special)


VILLAGE_HEAD = Q(body__kind="village", title="village_head")
CELL_SECRETARY = Q(body__kind="cell", title="cell_secretary")

MEASURES.update({m.name: m for m in [
    _p("posts", _("Chức vụ có người giữ"), special="posts"),
    _p("posts.holders", _("Người giữ chức vụ")),
    _p("posts.holders.members", _("Người giữ chức vụ là đảng viên"), special="members"),
    _p("posts.village_heads", _("Trưởng thôn, tổ trưởng tổ dân phố"), VILLAGE_HEAD),
    _p("posts.village_heads.members", _("Trưởng thôn, tổ trưởng tổ dân phố là đảng viên"), VILLAGE_HEAD, special="members"),
    _p("posts.cell_secretaries", _("Bí thư chi bộ thôn, tổ dân phố"), CELL_SECRETARY),
    *(_p(f"concurrent.{m.code}", m.label, side_q(m.first), special=f"concurrent:{m.code}")
      for m in config.CONCURRENT_MODELS.values()),
    Measure("bodies", _("Cơ quan, tổ chức trong hệ thống chính trị"), BODIES),
    # village coverage: the villages family (families.Villages) counts these from village_posts()
    Measure("villages.with_head", _("Thôn, tổ dân phố có trưởng thôn, tổ trưởng"), VILLAGES, special="with_head"),
    Measure("villages.head_member", _("Thôn, tổ dân phố có trưởng thôn, tổ trưởng là đảng viên"), VILLAGES, special="head_member"),
    Measure("villages.cell_secretary_head", _("Thôn, tổ dân phố có bí thư chi bộ đồng thời là trưởng thôn, tổ trưởng"), VILLAGES,
            special="cell_secretary_head"),
    Measure("villages.cell_committee", _("Thôn, tổ dân phố có chi bộ có chi ủy"), VILLAGES, special="cell_committee"),
    Measure("bodies.head_vacant", _("Cơ quan, tổ chức khuyết người đứng đầu"), BODIES, special="head_vacant"),
]})

INDICATORS.update({i.name: i for i in [
    Indicator("pct.village_heads_members", _("Tỉ lệ trưởng thôn, tổ trưởng tổ dân phố là đảng viên"),
              "posts.village_heads.members", "posts.village_heads"),
    Indicator("pct.villages_head_member", _("Tỉ lệ thôn, tổ dân phố có trưởng thôn, tổ trưởng là đảng viên"),
              "villages.head_member", "villages"),
    Indicator("pct.holders_members", _("Tỉ lệ người giữ chức vụ là đảng viên"), "posts.holders.members", "posts.holders"),
]})


def pair_measure(first: tuple, second: tuple) -> Measure:
    """A concurrent-post measure for any two (body kind, title) pairs a user picks (not in the
    catalog: counted by the family like the named models)."""
    label = _("%(a)s đồng thời là %(b)s") % {"a": config.title_label(*first), "b": config.title_label(*second)}
    return Measure(f"concurrent.pair.{first[0]}.{first[1]}.{second[0]}.{second[1]}", label, POSTS, q=side_q([first]),
                   special="pair:" + "|".join((*first, *second)))


PAIR_PREFIX = "concurrent.pair."


def pair_from_name(name: str) -> Measure | None:
    """The measure of a pair named "concurrent.pair.<kind>.<title>.<kind>.<title>" (the catalog's
    resolver: a report column or a drill-down link for any two titles), None for other names."""
    if not name.startswith(PAIR_PREFIX):
        return None
    parts = name[len(PAIR_PREFIX):].split(".")
    if len(parts) != 4:
        return None
    first, second = (parts[0], parts[1]), (parts[2], parts[3])
    if config.title(*first) is None or config.title(*second) is None or first == second:
        return None
    return pair_measure(first, second)


MEASURES.resolvers.append(pair_from_name)


def _areas(tree: Subtree) -> dict[int, int] | None:
    """{unit id: organization id} of the subtree's areas; None for the whole tree (no limit)."""
    if not tree.limited and tree.root_id is None:
        return None
    return tree.areas()


def _in_units(qs, tree: Subtree, prefix: str):
    """The rows of the subtree's units (Subtree.units), all of them for the whole tree."""
    if _areas(tree) is None:
        return qs
    return qs.filter(**{f"{prefix}unit_id__in": tree.units()})


def _owner(areas, unit_id, parent_id):
    if areas is None:
        return None
    return areas.get(unit_id) or areas.get(parent_id)


class _UnitFamily(Family):
    organization_attr = None
    prefix = ""

    def _count(self, tree, qs, counts, by, names):
        areas = _areas(tree)
        qs = _in_units(qs, tree, self.prefix)
        # grouped by unit whatever the breakdown: a person is counted once in each unit where they
        # hold posts, a total is the sum of its units' counts (decision 0015; the ledger's rule)
        group = [f"{self.prefix}unit_id", *([f"{self.prefix}unit__parent_id"] if by == "child" else [])]
        # the whole tree limits no unit, but its breakdown still needs each unit's organization
        owners = tree.areas() if by == "child" and areas is None else areas
        per: dict = defaultdict(lambda: defaultdict(int))
        for row in grouped(qs, group, counts):
            owner = _owner(owners, row.get(group[0]), row.get(group[1])) if by == "child" else None
            for i, name in enumerate(names):
                per[(owner, None)][name] += row[f"m{i}"] or 0
        return roll_up_owners(tree, per, by)

    def _part(self, tree, by, key) -> Subtree:
        return self.part(tree, by, key) or tree


@register_family
class Posts(_UnitFamily):
    """Posts in force on the date in the subtree's units (see the module docstring)."""

    name = POSTS
    prefix = "body__"

    def base(self, tree: Subtree, period=None):
        return _in_units(Post.objects.on(tree.on), tree, self.prefix)

    def annotated(self, qs, on, measures):
        """The rows with the flags the measures need: membership, and one per concurrent measure."""
        if any(m.special == "members" for m in measures):
            # the holder's membership period in force on the date, as a join (at most one a day):
            # the optimizer picks index lookups for a commune and a hash join for the country,
            # where an EXISTS in the aggregate's FILTER made PostgreSQL hash every period of the
            # country for any subtree
            qs = qs.annotate(active_period=FilteredRelation("person__membership__periods", condition=in_force_q(on, "person__membership__periods__")))
        for i, m in enumerate(measures):
            if (second := politicalledger.second_side(m)) is not None:
                pairs, same_village = second
                other = Post.objects.on(on).filter(side_q(pairs), person_id=OuterRef("person_id"),
                                                   body__unit_id=OuterRef("body__unit_id"))
                if same_village:
                    other = other.filter(body__village_id=OuterRef("body__village_id"))
                # the other post is looked for only from a post of the first side (a secretary,
                # a cell secretary): CASE evaluates its subquery for those rows alone, not for
                # every post of the subtree (at national scale 1.4 million lookups → about 100,000)
                flag = Exists(other) if m.q is None else Case(When(m.q, then=Exists(other)), default=Value(False),
                                                                output_field=BooleanField())
                qs = qs.annotate(**{f"c{i}": flag})
        return qs

    def condition(self, measure: Measure, i: int) -> Q:
        q = measure.q if measure.q is not None else Q()
        if measure.special == "members":
            q &= Q(active_period__isnull=False)
        if politicalledger.second_side(measure) is not None:
            q &= Q(**{f"c{i}": True})
        return q

    def count(self, tree, measures, by, period=None):
        if (found := politicalledger.answer(tree, measures, by)) is not None:  # the top of the tree, at once
            return found
        qs = self.annotated(Post.objects.on(tree.on), tree.on, measures)
        counts = {}
        for i, m in enumerate(measures):
            if m.special == "posts":
                counts[f"m{i}"] = Count("id", filter=m.q) if m.q is not None else Count("id")
            else:
                counts[f"m{i}"] = Count("person_id", distinct=True, filter=self.condition(m, i) or None)
        return self._count(tree, qs, counts, by, [m.name for m in measures])

    def rows(self, tree, measure, by, key, period=None):
        """One post per person counted in each unit (the first by id), or every post for the count of posts."""
        qs = _in_units(self.annotated(Post.objects.on(tree.on), tree.on, [measure]), self._part(tree, by, key), self.prefix)
        qs = qs.filter(self.condition(measure, 0))
        if measure.special == "posts":
            return qs
        first: dict[tuple, int] = {}
        for unit_id, person_id, pk in qs.order_by("id").values_list("body__unit_id", "person_id", "id"):
            first.setdefault((unit_id, person_id), pk)
        return Post.objects.filter(pk__in=list(first.values()))

    def order(self, qs):
        return qs.select_related("person", "body", "body__unit", "body__village").order_by("person__name_order", "id")


@register_family
class Bodies(_UnitFamily):
    """Bodies in force on the date in the subtree's units; vacant: no holder of its head's title."""

    name = BODIES

    def base(self, tree: Subtree, period=None):
        return _in_units(Body.objects.on(tree.on), tree, self.prefix)

    @staticmethod
    def annotated(qs, on):
        head = Case(*(When(kind=k.code, then=Value(k.head)) for k in config.BODY_KINDS.values() if k.head),
                    default=Value(""), output_field=CharField())
        held = Post.objects.on(on).filter(body_id=OuterRef("pk"), title=OuterRef("head_title"))
        return qs.annotate(head_title=head, head_held=Exists(held))

    @staticmethod
    def condition(measure: Measure) -> Q:
        if measure.special == "head_vacant":
            return ~Q(head_title="") & Q(head_held=False)
        return Q()

    def count(self, tree, measures, by, period=None):
        if (found := politicalledger.answer(tree, measures, by)) is not None:
            return found
        qs = self.annotated(Body.objects.on(tree.on), tree.on)
        counts = {f"m{i}": Count("id", filter=self.condition(m) or None) for i, m in enumerate(measures)}
        return self._count(tree, qs, counts, by, [m.name for m in measures])

    def rows(self, tree, measure, by, key, period=None):
        return _in_units(self.annotated(Body.objects.on(tree.on), tree.on), self._part(tree, by, key), self.prefix).filter(self.condition(measure))

    def order(self, qs):
        return qs.select_related("unit", "village").order_by("unit__name_folded", "village__name_folded", "id")


def count_pair(first: tuple, second: tuple, tree: Subtree, by: str | None = None) -> dict:
    """{key: {measure name: n}} of persons holding both posts on the tree's date (a user's pair)."""
    measure = pair_measure(first, second)
    return Posts().count(tree, [measure], by)
