"""The read side of data quality: an organization's open problems and its completeness on a date.

"Members of X's subtree on D" are the members with a MemberPeriod in force on D in an
organization placed under X's path on D (and inside the user's scope). Counting every check
and every completeness share is one aggregate query over them (Count with filter=); listing the
members with a problem is one paged query that also reads their cell's name on D.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from coso.members.models import Member, MemberPeriod, Status
from coso.organizations.models import Placement
from coso.organizations.scope import Scope

from . import checks
from .checks import Check, Problem, Record, Run, blank_q

PAGE_SIZE = 50


def members_on(path: str, on: dt.date, scope: Scope | None):
    """Members of the subtree under path on the date. scope None: no user (management commands)."""
    periods = MemberPeriod.objects.under(path, on=on)
    if scope is not None:
        periods = periods.visible_to(scope)
    return Member.objects.filter(pk__in=periods.values("member_id"))


def run_for(placement: Placement | None, on: dt.date, scope: Scope | None) -> Run:
    """The checks' run over an organization's subtree; no members if it is not in force then."""
    in_force = placement is not None and placement.in_force_on(on)
    return Run(members=members_on(placement.path, on, scope) if in_force else Member.objects.none(), on=on)


# ---------------------------------------------------------------- completeness

@dataclass(frozen=True)
class Field:
    key: str
    label: str
    filled: Q
    official_only: bool = False  # the share among official members (cards go to them only)
    check: str = ""  # the missing-field check listing those without it


def _filled(path: str, also: str | None = None) -> Q:
    q = ~blank_q(path)
    return q | ~blank_q(also) if also else q


COMPLETENESS = [
    Field("birth_date", _("Ngày sinh"), _filled("person__birth_date"), check="missing_birth_date"),
    Field("national_id", _("Số định danh cá nhân"), _filled("person__national_id")),
    Field("ethnicity", _("Dân tộc"), _filled("person__ethnicity"), check="missing_ethnicity"),
    Field("religion", _("Tôn giáo"), _filled("person__religion"), check="missing_religion"),
    Field("education", _("Giáo dục phổ thông"), _filled("person__education"), check="missing_education"),
    Field("qualification", _("Trình độ chuyên môn"), _filled("person__qualification"), check="missing_qualification"),
    Field("theory_level", _("Lý luận chính trị"), _filled("person__theory_level"), check="missing_theory_level"),
    Field("occupation", _("Nghề nghiệp"), _filled("person__occupation")),
    Field("card_number", _("Số thẻ đảng viên"), _filled("card_number"), official_only=True, check="missing_card_number"),
    Field("residence", _("Nơi cư trú"), _filled("person__residence_unit", "person__residence_text"), check="missing_residence"),
    Field("origin", _("Quê quán"), _filled("person__origin_unit", "person__origin_text"), check="missing_origin"),
]


@dataclass
class Share:
    field: Field
    filled: int
    of: int

    @property
    def percent(self) -> float | None:
        return 100 * self.filled / self.of if self.of else None


@dataclass
class CheckCount:
    check: Check
    count: int


@dataclass
class Overview:
    total: int
    official: int
    affected: int  # members with at least one problem
    counts: list[CheckCount]
    shares: list[Share]

    def count(self, check: Check | None) -> int:
        """Members with the check's problem; with any problem for None."""
        if check is None:
            return self.affected
        return next(c.count for c in self.counts if c.check is check)

    def groups(self) -> list[tuple[str, list[CheckCount]]]:
        """The counts by category, in the registry's order."""
        groups: dict[str, list[CheckCount]] = {}
        for c in self.counts:
            groups.setdefault(c.check.category, []).append(c)
        return [(checks.Category.LABELS[k], v) for k, v in groups.items()]


def overview(run: Run) -> Overview:
    """Every check's count and every field's share: one aggregate query."""
    official = Q(status=Status.OFFICIAL)
    aggregates = {"total": Count("pk"), "official": Count("pk", filter=official), "affected": Count("pk", filter=checks.any_problem(run))}
    for check in checks.CHECKS:
        aggregates[f"check_{check.code}"] = Count("pk", filter=check.condition(run))
    for f in COMPLETENESS:
        aggregates[f"field_{f.key}"] = Count("pk", filter=f.filled & official if f.official_only else f.filled)
    row = run.members.aggregate(**aggregates)
    return Overview(
        total=row["total"],
        official=row["official"],
        affected=row["affected"],
        counts=[CheckCount(c, row[f"check_{c.code}"]) for c in checks.CHECKS],
        shares=[Share(f, row[f"field_{f.key}"], row["official"] if f.official_only else row["total"]) for f in COMPLETENESS],
    )


# ---------------------------------------------------------------- the members with a problem


def with_problems(run: Run, check: Check | None = None):
    """Members of the run with the check's problem (any problem without one), by name, with
    their cell's name on the date and the facts explain() needs: one query per page."""
    cell_id = Subquery(
        MemberPeriod.objects.on(run.on).filter(member_id=OuterRef("pk")).order_by("-valid_from").values("organization_id")[:1]
    )
    cell_name = Subquery(Placement.objects.on(run.on).filter(organization_id=OuterRef("q_cell_id")).values("name")[:1])
    condition = check.condition(run) if check else checks.any_problem(run)
    qs = run.members.filter(condition).select_related("person").annotate(q_cell_id=cell_id).annotate(q_cell_name=cell_name)
    return checks.annotate(qs, run).order_by("person__name_order", "pk")


@dataclass
class ProblemRow:
    member: Member
    cell_name: str
    problems: list[Problem]


def explain_rows(members, run: Run, check: Check | None = None) -> list[ProblemRow]:
    only = [check] if check else None
    return [
        ProblemRow(m, m.q_cell_name or "", checks.explain(Record.of(m.person, m), run.on, only))
        for m in members
    ]


def members_with(code: str, run: Run):
    """The members of the run with the problem `code` (none for an unknown code): for another
    list to filter by problem, e.g. member_id__in=members_with(code, run).values("pk")."""
    check = checks.get(code)
    return run.members.filter(check.condition(run)) if check else run.members.none()


def problem_counts(run: Run) -> dict[str, int]:
    """code -> number of members with the problem (the management command's view)."""
    return {c.check.code: c.count for c in overview(run).counts}
