"""The published annual evaluations the figures on ratings ask for (kinds.py says which years).

For each (organization, year) a figure names, the loader runs the year's round through
coso.evaluation.services, each step validated by the rule set in force and audited, as the
organization's staff would (an ORG_STAFF scope on the organization; the actor the loader was given):

    open_period (01/12, enrolls the members placed in the subtree on 31/12 and its party
    organizations) → propose, cell by cell, the members' levels (15/12) → propose_rating for each
    party organization (20/12) → decide (28/12) → publish (10/01 of the next year, or the
    scenario's last day if sooner).

Levels are drawn deterministically from the seed (one random stream per organization and year,
apart from the plan's) and respect the rules of the period's rule set:

- members: a member disciplined in the year is rated at the lowest level (HD 21 2.3.d); a few
  others (under 1 %) too, never where that would put a cell over a fifth of failed members; of the
  rest, a share rated "Hoàn thành tốt nhiệm vụ" or better, drawn between 86 % and 97 % and never
  under the figure's floor ("≥ 90 %"), counted in each grassroots organization; of these, 10–16 %
  "xuất sắc", never more than the period's cap allows (20 % of those rated "tốt", HD 21 2.3.a);
  the others "Hoàn thành nhiệm vụ";
- party organizations, deepest first, against their members (or, without members of their own,
  their subordinate organizations), HD 21 1.3: more than a fifth failed → failed; any failed, or
  fewer than half rated "tốt" or better → "Hoàn thành nhiệm vụ"; else "tốt" (about 70 %),
  "xuất sắc" (about 20 %) or "Hoàn thành nhiệm vụ". A figure giving the number of failed
  organizations (Nghèn: 0) gets exactly that many: the cells drawn to fail get over a fifth of
  their members failed.

Levels are chosen by rank (4 best … 1 worst) and written as the rule set's codes, so a year under
the old scales (27-HD/BTCTW: "Trong sạch, vững mạnh" … "Yếu kém") is rated on its own scale.
A step a rule refuses stops the loader with the rule's message (FigureError).
"""

import datetime as dt
import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from coso.access.models import Role, User
from coso.evaluation import services
from coso.evaluation.choices import SubjectKind
from coso.evaluation.models import Rating
from coso.lib.dates import fmt
from coso.organizations.models import Placement

from .kinds import FigureError

OPENED, PROPOSED, ASSESSED, DECIDED = (12, 1), (12, 15), (12, 20), (12, 28)
PUBLISHED = (1, 10)  # of the next year
GOOD_SHARE = (86, 97)  # % of members rated "tốt" or better, drawn in this range (never under a figure's floor)
EXCELLENT_SHARE = (0.10, 0.16)  # of those rated "tốt" or better, within the cap
FAILED_SHARE = 0.01  # at most, of the members with no discipline
EXCELLENT_ORGANIZATION, SATISFACTORY_ORGANIZATION = 0.2, 0.07
RANKS = (4, 3, 2, 1)


@dataclass
class Round:
    """One organization's annual evaluation, as the figures constrain it."""

    organization: str  # as the figure names it; "" for the scenario's committee
    year: int
    member_floor: Decimal | None = None  # % of members rated "tốt" or better, at least
    failed_organizations: int | None = None  # party organizations rated failed, exactly
    name: str = ""
    rules: str = ""
    published_on: dt.date | None = None
    members: Counter = field(default_factory=Counter)  # rank -> members
    organizations: Counter = field(default_factory=Counter)  # rank -> party organizations

    def describe(self) -> str:
        rated = sum(self.members.values())
        good = self.members[4] + self.members[3]
        share = (Decimal(good) * 100 / rated).quantize(Decimal("0.1")) if rated else Decimal(0)
        return _("Đánh giá, xếp loại chất lượng năm %(year)s của %(name)s (%(rules)s), công bố ngày %(date)s: %(members)s đảng viên, "
                 "%(good)s hoàn thành tốt nhiệm vụ trở lên (%(share)s%%); %(organizations)s tổ chức đảng, %(failed)s không hoàn thành "
                 "nhiệm vụ.") % {"year": self.year, "name": self.name, "rules": self.rules, "date": fmt(self.published_on),
                                 "members": rated, "good": good, "share": str(share).replace(".", ","),
                                 "organizations": sum(self.organizations.values()), "failed": self.organizations[1]}


def rounds(needs, scenario: str = "") -> list[Round]:
    """The rounds the rating checks of a plan's needs ask for, by organization and year."""
    found: dict[tuple, Round] = {}
    for c in needs.ratings:
        r = found.setdefault((c.organization, c.period[1].year), Round(c.organization, c.period[1].year))
        if c.measure == "ratings.members.good_or_better" and c.base:
            r.member_floor = max(r.member_floor or Decimal(0), Decimal(c.expected))
        elif c.measure == "ratings.organizations.failed" and c.role == "value":
            if r.failed_organizations is not None and r.failed_organizations != c.expected:
                raise FigureError(_("Kịch bản %(scenario)s: hai số liệu năm %(year)s khác nhau về số tổ chức đảng không hoàn thành nhiệm vụ.") % {
                    "scenario": scenario, "year": r.year})
            r.failed_organizations = int(c.expected)
    return sorted(found.values(), key=lambda r: (r.year, r.organization))


def build(p, *, seed: int, actor=None) -> list[Round]:
    """Every round the plan's figures ask for, published; returns them with what was rated."""
    done = []
    for r in rounds(p.needs, p.scenario.key):
        committee = p.committee(r.organization) if r.organization else p.main
        rng = random.Random(f"{seed}:{p.scenario.key}:evaluation:{committee.name}:{r.year}")
        try:
            _run(p, r, committee.organization, rng, actor)
        except (ValidationError, FigureError) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise FigureError(_("Kịch bản %(scenario)s, đánh giá năm %(year)s của %(name)s: %(error)s") % {
                "scenario": p.scenario.key, "year": r.year, "name": committee.name, "error": " ".join(messages)}) from None
        done.append(r)
    return done


def staff(organization) -> User:
    """The organization's staff (who open, decide and publish its evaluations): an unsaved user,
    recorded as the system in the audit trail."""
    return User(username="scenario", role=Role.ORG_STAFF, scope=organization, is_active=True)


def _run(p, r: Round, organization, rng: random.Random, actor) -> None:
    year = r.year
    actor = actor if actor is not None and actor.is_authenticated else staff(organization)
    published = min(dt.date(year + 1, *PUBLISHED), max(p.end, dt.date(year, 12, 31)))
    period = services.open_period(actor=actor, organization=organization, year=year, on=dt.date(year, *OPENED))
    module = period.rules
    r.name = Placement.objects.on(period.reference_date).get(organization=organization).name
    r.rules, r.published_on = str(module.SHORT), published
    rows = list(Rating.objects.filter(period=period).order_by("id").values(
        "id", "subject_kind", "member_id", "organization_id", "grassroots_id", "competent_id"))
    people = [row for row in rows if row["subject_kind"] == SubjectKind.MEMBER]
    bodies = [row for row in rows if row["subject_kind"] == SubjectKind.ORGANIZATION]
    failing = _failing(r, bodies, people, rng)
    disciplined = set(services.context_for(period).discipline)
    ranks = _member_ranks(r, people, failing, disciplined, period.cap_percent, rng)
    codes = {kind: {level.rank: level.code for level in module.levels_for(kind)} for kind in (SubjectKind.MEMBER, SubjectKind.ORGANIZATION)}
    by_cell: dict[int, dict] = defaultdict(dict)
    for row in people:
        by_cell[row["organization_id"]][row["member_id"]] = codes[SubjectKind.MEMBER][ranks[row["id"]]]
    for cell_id, levels in by_cell.items():
        services.propose(actor=actor, period=period, cell=cell_id, levels=levels, on=dt.date(year, *PROPOSED))
    body_ranks = _organization_ranks(period, bodies, people, ranks, failing, rng)
    if r.failed_organizations is not None and sum(1 for rank in body_ranks.values() if rank == 1) != r.failed_organizations:
        raise FigureError(_("không dựng được đúng %(n)s tổ chức đảng không hoàn thành nhiệm vụ.") % {"n": r.failed_organizations})
    by_id = {rating.id: rating for rating in Rating.objects.filter(pk__in=list(body_ranks)).select_related("period")}
    for rating_id, rank in body_ranks.items():
        services.propose_rating(actor=actor, rating=by_id[rating_id], level=codes[SubjectKind.ORGANIZATION][rank],
                                on=dt.date(year, *ASSESSED))
    services.decide(actor=actor, period=period, decision_number=f"{year}-QĐ/ĐGXL", on=dt.date(year, *DECIDED))
    services.publish(actor=actor, period=period, on=published)
    r.members = Counter(ranks[row["id"]] for row in people)
    r.organizations = Counter(body_ranks.values())


def _failing(r: Round, bodies: list, people: list, rng: random.Random) -> set:
    """The party organizations drawn to be rated failed (as many as a figure says; none without one)."""
    wanted = r.failed_organizations or 0
    with_members = sorted({row["organization_id"] for row in people} & {row["organization_id"] for row in bodies})
    if wanted > len(with_members):
        raise FigureError(_("chỉ có %(n)s chi bộ có đảng viên để xếp loại.") % {"n": len(with_members)})
    return set(rng.sample(with_members, wanted))


def _member_ranks(r: Round, people: list, failing: set, disciplined: set, cap, rng: random.Random) -> dict:
    """{rating id: rank} of the members, each grassroots organization drawn on its own."""
    size = Counter(row["organization_id"] for row in people)
    groups: dict = defaultdict(list)
    for row in people:
        groups[row["grassroots_id"]].append(row)
    ranks = {}
    for group in groups.values():
        failed = {row["id"] for row in group if row["member_id"] in disciplined}
        for cell in sorted({row["organization_id"] for row in group} & failing):
            members = [row["id"] for row in group if row["organization_id"] == cell]
            more = size[cell] // 5 + 1 - sum(1 for m in members if m in failed)
            failed |= set(rng.sample([m for m in members if m not in failed], max(0, more)))
        # a few more, never putting a cell over a fifth failed
        cell_failed = Counter(row["organization_id"] for row in group if row["id"] in failed)
        extra = round(len(group) * rng.uniform(0, FAILED_SHARE))
        candidates = [row for row in group if row["id"] not in failed and row["organization_id"] not in failing]
        rng.shuffle(candidates)
        for row in candidates[:extra]:
            if (cell_failed[row["organization_id"]] + 1) * 5 <= size[row["organization_id"]]:
                failed.add(row["id"])
                cell_failed[row["organization_id"]] += 1
        rest = [row["id"] for row in group if row["id"] not in failed]
        rng.shuffle(rest)
        n = len(group)
        floor = r.member_floor or Decimal(0)
        least = math.ceil(floor * n / 100)
        low = max(GOOD_SHARE[0], math.floor(floor) + 1) if floor else GOOD_SHARE[0]
        good = min(max(least, round(n * rng.uniform(low, max(low, GOOD_SHARE[1])) / 100)), len(rest))
        if good < least:
            raise FigureError(_("%(failed)s trong %(n)s đảng viên phải xếp loại không hoàn thành nhiệm vụ; không đạt được "
                                "%(floor)s%% hoàn thành tốt nhiệm vụ trở lên.") % {"failed": len(failed), "n": n, "floor": floor})
        excellent = round(good * rng.uniform(*EXCELLENT_SHARE))
        if cap is not None:  # excellent × 100 ≤ (good − excellent) × cap
            excellent = min(excellent, int(Decimal(good) * Decimal(cap) // (100 + Decimal(cap))))
        for i, rating_id in enumerate(rest):
            ranks[rating_id] = 4 if i < excellent else 3 if i < good else 2
        ranks.update(dict.fromkeys(failed, 1))
    return ranks


def _organization_ranks(period, bodies: list, people: list, member_ranks: dict, failing: set, rng: random.Random) -> dict:
    """{rating id: rank} of the party organizations, deepest first, against their parts."""
    depth = {org_id: path.count("/") for org_id, path in Placement.objects.on(period.reference_date)
             .filter(organization_id__in=[row["organization_id"] for row in bodies]).values_list("organization_id", "path")}
    parts: dict = defaultdict(list)
    for row in people:
        parts[row["organization_id"]].append(member_ranks[row["id"]])
    has_members = set(parts)
    below: dict = defaultdict(list)
    ranks = {}
    for row in sorted(bodies, key=lambda row: (-depth.get(row["organization_id"], 0), row["id"])):
        org_id = row["organization_id"]
        levels = parts[org_id] if org_id in has_members else below[org_id]
        n, failed = len(levels), sum(1 for rank in levels if rank == 1)
        good = sum(1 for rank in levels if rank >= 3)
        if org_id in failing or (n and failed * 5 > n):
            rank = 1
        elif failed or good * 2 < n:
            rank = 2
        else:
            draw = rng.random()
            rank = 4 if draw < EXCELLENT_ORGANIZATION else 2 if draw > 1 - SATISFACTORY_ORGANIZATION else 3
        ranks[row["id"]] = rank
        below[row["competent_id"]].append(rank)
    return ranks
