"""Families of the commune's political system: staffing (coso/staffing) and political-theory
training (coso/training). Registered in the catalog like the core families (families.py).

- staffing: employment records in force on the date in the communes whose party organization lies
  in the subtree (the communes that are the area of a placement of the subtree, or lie in a
  district that is: like the villages family), each under the organization whose area holds it;
  a person holding two positions of one category in one commune is one row per position, the
  measures count persons (distinct) per commune and category where it matters (the cadres counted
  once: `distinct`);
- quotas: the staff allotted to those communes on the date (a sum, not a count);
- staff exits: employment records that ended within the period (their last day in it);
- training: enrolments in courses recorded by an organization of the subtree (as the tree stood
  on the course's opening day): enrolled within the period, completed within it.

Cadres by theory level count the level derived on the date (training.selectors.levels_on in SQL:
the typed starting value raised by the degree programmes completed by then).
"""

import datetime as dt
from collections import defaultdict

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy as _

from coso.lib.dated import in_force_q
from coso.people.choices import Qualification
from coso.staffing.models import Employment, Quota
from coso.staffing.reference import (
    CADRES_AND_CIVIL_SERVANTS,
    COMMUNE_PART_TIME,
    STREAMLINING_ENDINGS,
    Category,
)
from coso.training.choices import DEGREE_PROGRAMS, LEVEL_OF_PROGRAM, RANK, SHORT_PROGRAMS
from coso.training.models import Enrolment

from . import politicalledger
from .catalog import MEASURES, Measure, register_family
from .families import (
    Family,
    child_map,
    children_over_period,
    grouped,
    roll_up,
    roll_up_owners,
    sql_roll_ups,
)
from .tree import Subtree, units_within

STAFFING = "staffing"
QUOTAS = "quotas"
STAFF_EXITS = "staff_exits"
TRAINING = "training"

CADRES = tuple(CADRES_AND_CIVIL_SERVANTS)


def _staff(name, label, q=None, special=""):
    return Measure(name, label, STAFFING, q=q, special=special)


NEW_MEASURES = [
    _staff("staffing.cadres", _("Cán bộ, công chức cấp xã"), Q(category__in=CADRES)),
    _staff("staffing.part_time", _("Người hoạt động không chuyên trách cấp xã"), Q(category__in=COMMUNE_PART_TIME)),
    _staff("staffing.public_employees", _("Viên chức"), Q(category=Category.PUBLIC_EMPLOYEE)),
    _staff("staffing.village", _("Người hoạt động không chuyên trách ở thôn, tổ dân phố"),
           Q(category__in=(Category.VILLAGE_PART_TIME, Category.VILLAGE_DIRECT))),
    _staff("staffing.cadres.members", _("Cán bộ, công chức là đảng viên"), Q(category__in=CADRES), special="member"),
    _staff("staffing.cadres.master_or_above", _("Cán bộ, công chức có trình độ thạc sĩ trở lên"),
           Q(category__in=CADRES, person__qualification__in=(Qualification.MASTER, Qualification.DOCTOR))),
    _staff("staffing.cadres.theory_none", _("Cán bộ, công chức chưa qua đào tạo lý luận chính trị"), Q(category__in=CADRES, theory_rank=0),
           special="theory"),
    _staff("staffing.cadres.theory_elementary", _("Cán bộ, công chức có trình độ sơ cấp lý luận chính trị"),
           Q(category__in=CADRES, theory_rank=1), special="theory"),
    _staff("staffing.cadres.theory_intermediate", _("Cán bộ, công chức có trình độ trung cấp lý luận chính trị"),
           Q(category__in=CADRES, theory_rank=2), special="theory"),
    _staff("staffing.cadres.theory_advanced", _("Cán bộ, công chức có trình độ cao cấp, cử nhân lý luận chính trị"),
           Q(category__in=CADRES, theory_rank__gte=3), special="theory"),
    Measure("quotas.cadres", _("Biên chế cán bộ, công chức được giao"), QUOTAS, q=Q(category__in=CADRES)),
    Measure("quotas.part_time", _("Số người hoạt động không chuyên trách cấp xã được giao"), QUOTAS, q=Q(category__in=COMMUNE_PART_TIME)),
    Measure("staff_exits", _("Cán bộ, công chức, người lao động thôi việc, nghỉ"), STAFF_EXITS),
    Measure("staff_exits.streamlined", _("Tinh giản biên chế"), STAFF_EXITS, q=Q(ending__in=STREAMLINING_ENDINGS)),
    Measure("training.enrolments", _("Lượt cử đi đào tạo, bồi dưỡng lý luận chính trị"), TRAINING, special="enrolled"),
    Measure("training.completions", _("Lượt hoàn thành đào tạo, bồi dưỡng lý luận chính trị"), TRAINING, special="completed"),
    Measure("training.completions.degree", _("Lượt hoàn thành chương trình sơ cấp, trung cấp, cao cấp, cử nhân"), TRAINING,
            q=Q(course__program__in=DEGREE_PROGRAMS), special="completed"),
    Measure("training.completions.short", _("Lượt hoàn thành lớp bồi dưỡng"), TRAINING, q=Q(course__program__in=SHORT_PROGRAMS),
            special="completed"),
]
MEASURES.update({m.name: m for m in NEW_MEASURES})


def theory_rank(on: dt.date, person_ref: str = "person_id", level_field: str = "person__theory_level"):
    """The derived theory level's rank on the date, as an SQL expression on a row holding a person:
    the highest of the typed starting level and the degree programmes completed by then."""
    completed = (Enrolment.objects.filter(person_id=OuterRef(person_ref), state=Enrolment.State.COMPLETED, completed_on__lte=on,
                                          course__program__in=DEGREE_PROGRAMS)
                 .annotate(r=Case(*(When(course__program=p, then=Value(RANK[level])) for p, level in LEVEL_OF_PROGRAM.items()),
                                  default=Value(0), output_field=IntegerField()))
                 .order_by("-r").values("r")[:1])
    typed = Case(*(When(**{level_field: code}, then=Value(rank)) for code, rank in RANK.items() if rank),
                 default=Value(0), output_field=IntegerField())
    return Greatest(Coalesce(Subquery(completed, output_field=IntegerField()), Value(0)), typed, output_field=IntegerField())


class _Communes:
    """The communes of a subtree: {commune or district id: organization whose area it is}."""

    @staticmethod
    def areas(tree: Subtree) -> dict[int, int]:
        return tree.areas()

    @staticmethod
    def limit(qs, tree: Subtree):
        if tree.root_id is None and tree.scope is None:
            return qs
        return qs.filter(commune_id__in=tree.units())

    @staticmethod
    def owner(areas: dict, commune_id, district_id):
        return areas.get(commune_id) or areas.get(district_id)


class _CommuneFamily(Family):
    organization_attr = None

    def rows_in(self, tree: Subtree, qs, by, key, period=None):
        areas = _Communes.areas(tree)
        qs = _Communes.limit(qs, tree)
        if by == "child" and key is not None:
            child = child_map(tree, period) if period else tree.child_of()
            mine = {a for a, org in areas.items() if child.get(org) == key}
            qs = qs.filter(commune_id__in=units_within(mine, tree.on))
        return qs

    def grouped_by_commune(self, tree: Subtree, qs, counts: dict, by) -> dict:
        areas = _Communes.areas(tree)
        qs = _Communes.limit(qs, tree)
        per: dict = defaultdict(lambda: defaultdict(int))
        # grouped by commune whatever the breakdown: a person is counted once in each commune
        # (decision 0015), a total is the sum of its communes' counts
        group = ["commune_id", *(["commune__parent_id"] if by == "child" else [])]
        for row in grouped(qs, group, counts):
            org = _Communes.owner(areas, row.get("commune_id"), row.get("commune__parent_id")) if by == "child" else None
            for name, n in row.items():
                if name.startswith("m"):
                    per[(org, None)][name] += n or 0
        return per


@register_family
class Staffing(_CommuneFamily):
    name = STAFFING

    def base(self, tree: Subtree, period=None, *, theory: bool = False, member: bool = False):
        qs = Employment.objects.on(tree.on)
        if theory:
            qs = qs.annotate(theory_rank=theory_rank(tree.on))
        if member:
            # the person's membership period in force on the date, as a join (at most one a day,
            # as measures.grassroots.Posts does): "person_id IN (every period in force)" inside the
            # aggregate's FILTER made PostgreSQL scan the country's periods once per employment
            # when the subtree is the whole tree (over two minutes at a province's national density)
            qs = qs.annotate(active_period=FilteredRelation("person__membership__periods",
                                                            condition=in_force_q(tree.on, "person__membership__periods__")))
        return qs

    def _q(self, m: Measure) -> Q:
        q = m.q or Q()
        if m.special == "member":
            q &= Q(active_period__isnull=False)
        return q

    def count(self, tree, measures, by, period=None):
        if (found := politicalledger.answer(tree, measures, by)) is not None:  # the top of the tree, at once
            return found
        qs = self.base(tree, theory=any(m.special == "theory" for m in measures), member=any(m.special == "member" for m in measures))
        counts = {f"m{i}": Count("person_id", filter=self._q(m), distinct=True) for i, m in enumerate(measures)}
        per = self.grouped_by_commune(tree, qs, counts, by)
        return roll_up_owners(tree, {k: {m.name: v.get(f"m{i}", 0) for i, m in enumerate(measures)} for k, v in per.items()}, by)

    def rows(self, tree, measure, by, key, period=None):
        qs = self.rows_in(tree, self.base(tree, theory=measure.special == "theory", member=measure.special == "member"), by, key)
        return qs.filter(self._q(measure))

    def order(self, qs):
        return qs.select_related("person", "commune").order_by("commune__name_folded", "person__name_order", "id")


@register_family
class Quotas(_CommuneFamily):
    name = QUOTAS

    def base(self, tree: Subtree, period=None):
        return Quota.objects.on(tree.on)

    def count(self, tree, measures, by, period=None):
        if (found := politicalledger.answer(tree, measures, by)) is not None:
            return found
        counts = {f"m{i}": Sum("number", filter=m.q or Q()) for i, m in enumerate(measures)}
        per = self.grouped_by_commune(tree, self.base(tree), counts, by)
        return roll_up_owners(tree, {k: {m.name: v.get(f"m{i}", 0) for i, m in enumerate(measures)} for k, v in per.items()}, by)

    def rows(self, tree, measure, by, key, period=None):
        return self.rows_in(tree, self.base(tree), by, key).filter(measure.q or Q())

    def order(self, qs):
        return qs.select_related("commune").order_by("commune__name_folded", "category", "id")


@register_family
class StaffExits(_CommuneFamily):
    """Records whose last day lies within the period (valid_to − 1 in [start, end]); the communes
    are those of the subtree on the period's end."""

    name = STAFF_EXITS
    over_period = True

    def base(self, tree: Subtree, period=None):
        start, end = period
        return Employment.objects.filter(valid_to__gt=start, valid_to__lte=end + dt.timedelta(days=1))

    def count(self, tree, measures, by, period=None):
        counts = {f"m{i}": Count("id", filter=m.q or Q()) for i, m in enumerate(measures)}
        per = self.grouped_by_commune(tree, self.base(tree, period), counts, by)
        return roll_up_owners(tree, {k: {m.name: v.get(f"m{i}", 0) for i, m in enumerate(measures)} for k, v in per.items()}, by)

    def rows(self, tree, measure, by, key, period=None):
        return self.rows_in(tree, self.base(tree, period), by, key).filter(measure.q or Q())

    def order(self, qs):
        return qs.select_related("person", "commune").order_by("valid_to", "commune__name_folded", "id")


@register_family
class Training(Family):
    """Enrolments of the courses recorded in the subtree (the organizer under the root on the
    course's opening day), counted when enrolled, or when completed, within the period."""

    name = TRAINING
    over_period = True
    organization_attr = "organizer_id"

    @staticmethod
    def when(measure: Measure, period) -> Q:
        start, end = period
        if measure.special == "completed":
            return Q(state=Enrolment.State.COMPLETED, completed_on__gte=start, completed_on__lte=end)
        return Q(enrolled_on__gte=start, enrolled_on__lte=end)

    def base(self, tree: Subtree, period=None):
        start, end = period
        qs = Enrolment.objects.filter(Q(enrolled_on__gte=start, enrolled_on__lte=end) | Q(completed_on__gte=start, completed_on__lte=end))
        if tree.limited:
            qs = qs.filter(course__organizer_id__in=tree.span_ids(*period))
            qs = qs.filter(Exists(tree.placements_on_ref("course__starts_on", "course__organizer_id")))
        return qs.annotate(organizer_id=F("course__organizer_id"))

    def count(self, tree, measures, by, period=None):
        qs = self.base(tree, period)
        counts = {f"m{i}": Count("id", filter=self.when(m, period) & (m.q or Q())) for i, m in enumerate(measures)}
        group = ["course__organizer_id"] if by == "child" else []
        per = {}
        for row in grouped(qs, group, counts):
            per[(row.get("course__organizer_id"), None)] = {m.name: row[f"m{i}"] for i, m in enumerate(measures)}
        if by == "child":
            # the organizers' children alone (the tree at the period's end, then at its start) when the
            # summaries are read, not every organization's child read into Python (child_map)
            child = (children_over_period(tree, [org for org, _k in per if org is not None], period) if sql_roll_ups(tree)
                     else child_map(tree, period))
            out: dict = defaultdict(lambda: defaultdict(int))
            for (org, _k), values in per.items():
                c = child.get(org)
                if c is None:
                    continue
                for name, n in values.items():
                    out[c][name] += n
            return out
        return roll_up(tree, per, by)

    def rows(self, tree, measure, by, key, period=None):
        qs = self.base(tree, period).filter(self.when(measure, period) & (measure.q or Q()))
        if by == "child" and key is not None:
            qs = qs.filter(course__organizer_id__in=[o for o, c in child_map(tree, period).items() if c == key])
        return qs

    def order(self, qs):
        return qs.select_related("person", "course").order_by("course__starts_on", "course_id", "person__name_order", "id")
