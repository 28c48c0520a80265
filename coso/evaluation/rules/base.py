"""What every rule set module shares: levels, the facts a check reads, violations, and the rules
that recur from one rule set to the next. Each module says which of them apply, with its own
source; nothing here decides on its own which rule is in force.

A rule set module exposes:

    CODE, TITLE, SHORT        its code (stored on the period), full title, short name
    IN_FORCE_FROM             the first period end date it governs (rules.for_date)
    PERIOD_KINDS              the kinds of period it provides (year; 366 adds quarter and term)
    SCORED                    True when ratings carry a 100-point score (366)
    DEFAULT_CAP_PERCENT       the cap on "Hoàn thành xuất sắc nhiệm vụ" (None: no cap)
    levels_for(kind)          the scale of a subject kind, best first
    label(kind, code)         a level's Vietnamese label ("" for an unknown code)
    check(ratings, context)   -> list[Violation]: what breaks a rule before a decision

Ratings reach check() as RatingFact rows (plain data, no model), so a rule is tested with a
handful of facts and the services feed it the period's rows read in a few queries.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coso.lib.dates import fmt
from coso.members.models import DisciplineForm

from ..choices import PERSON_KINDS, SubjectKind

# -- the four levels (reference §3.1), unchanged since 132-QĐ/TW (2018) -----------------------------

EXCELLENT = "htxs"  # Hoàn thành xuất sắc nhiệm vụ
GOOD = "htt"  # Hoàn thành tốt nhiệm vụ
SATISFACTORY = "ht"  # Hoàn thành nhiệm vụ
FAILED = "kht"  # Không hoàn thành nhiệm vụ


@dataclass(frozen=True)
class Level:
    code: str
    label: str  # a lazy translation
    rank: int  # 4 best … 1 worst; the rules compare ranks, never codes
    short: str = ""


FOUR_LEVELS = (
    Level(EXCELLENT, gettext_lazy("Hoàn thành xuất sắc nhiệm vụ"), 4, "HTXSNV"),
    Level(GOOD, gettext_lazy("Hoàn thành tốt nhiệm vụ"), 3, "HTTNV"),
    Level(SATISFACTORY, gettext_lazy("Hoàn thành nhiệm vụ"), 2, "HTNV"),
    Level(FAILED, gettext_lazy("Không hoàn thành nhiệm vụ"), 1, "KHTNV"),
)
RANK = {level.code: level.rank for level in FOUR_LEVELS}

# Conditions a rating may record beside its level (Rating.conditions). Absent = not recorded: a
# rule only objects to a recorded fact that contradicts the level, never to a missing one.
CONDITION_KEYS = {
    "on_time": "100% of tasks done on time, with quality (366 Điều 11: HTTNV and above)",
    "exceeded_pct": "share of tasks done beyond requirements, in % (366 Điều 11: HTXSNV needs ≥ 30)",
    "shortcomings_fixed": "all previously identified shortcomings remedied (366 Điều 11: HTXSNV)",
    "completed": "100% of tasks completed (366 Điều 11: HTNV, collectives)",
    "late_pct": "share of tasks behind schedule, in % (366 Điều 11: HTNV, collectives ≤ 20)",
    "self_remedied": "the disciplined breach was found and remedied by the subject itself (124 Điều 12.4)",
}


# -- facts in, violations out -------------------------------------------------------------------------


@dataclass
class RatingFact:
    """One subject's rating as a check reads it."""

    key: object  # the rating's id (any hashable in tests)
    kind: str  # SubjectKind
    name: str  # the subject as named in messages
    level: str | None  # the level under check (decided, else proposed); None: not rated yet
    member_id: int | None = None  # members and leaders
    organization_id: int | None = None  # member: their cell; organization: itself; others: their organization
    grassroots_id: int | None = None  # the grassroots organization (TCCS) it belongs to
    parent_id: int | None = None  # organization, collective, leader: the organization above (competent level)
    score: Decimal | None = None
    conditions: Mapping = field(default_factory=dict)


@dataclass(frozen=True)
class Discipline:
    on: dt.date
    form: str  # members.DisciplineForm


@dataclass
class Context:
    """What a check knows besides the ratings: the period and the records it reads."""

    starts_on: dt.date
    ends_on: dt.date
    cap_percent: Decimal | None = Decimal(20)
    discipline: Mapping[int, list[Discipline]] = field(default_factory=dict)  # member id → in the period
    names: Mapping[int, str] = field(default_factory=dict)  # organization id → its name on the reference date

    def disciplined(self, member_id) -> list[Discipline]:
        return [d for d in self.discipline.get(member_id, ()) if self.starts_on <= d.on <= self.ends_on]

    def name(self, organization_id) -> str:
        return self.names.get(organization_id) or str(organization_id)


@dataclass(frozen=True)
class Violation:
    rule: str  # stable code: "cap.members", "discipline.member"...
    message: str  # Vietnamese: names the subject and the rule with its source
    source: str
    subject: object  # what breaks the rule: a rating key, or ("group", organization id)
    keys: tuple = ()  # the ratings concerned
    organization_id: int | None = None  # where it stands (its group, or the subject's organization)

    @property
    def ident(self) -> tuple:
        """Identity across two checks (the counts in the message may differ)."""
        return (self.rule, self.subject)


Labeler = Callable[[str], str]


def sort_violations(violations: Iterable[Violation]) -> list[Violation]:
    return sorted(violations, key=lambda v: (v.rule, str(v.subject), v.message))


def rated(ratings: Iterable[RatingFact], *kinds: str) -> list[RatingFact]:
    return [r for r in ratings if r.level is not None and (not kinds or r.kind in kinds)]


def form_label(form: str) -> str:
    try:
        return str(DisciplineForm(form).label).lower()
    except ValueError:
        return form


# -- rules that recur ----------------------------------------------------------------------------------


def cap_excellent(ratings, context: Context, *, source: str, label: Labeler, rule: str = "cap.members",
                  kinds=(SubjectKind.MEMBER,)) -> list[Violation]:
    """At most cap_percent % of the number rated "Hoàn thành tốt nhiệm vụ" may be rated "Hoàn thành
    xuất sắc nhiệm vụ", in each grassroots organization.

    The base is those rated HTTNV (not HTTNV and above), as the text reads. The text states no
    rounding: "không vượt quá 20%" is read exactly, excellent × 100 ≤ good × percent, so the most
    allowed is floor(good × percent / 100): 10 rated good allow 2; 4 rated good allow none.
    """
    if context.cap_percent is None:
        return []
    percent = Decimal(context.cap_percent)
    groups: dict[int | None, list[RatingFact]] = defaultdict(list)
    for r in rated(ratings, *kinds):
        groups[r.grassroots_id].append(r)
    out = []
    for grassroots_id, rows in groups.items():
        excellent = [r for r in rows if r.level == EXCELLENT]
        good = sum(1 for r in rows if r.level == GOOD)
        if excellent and Decimal(len(excellent)) * 100 > Decimal(good) * percent:
            allowed = int(Decimal(good) * percent // 100)
            message = _(
                "%(organization)s: %(excellent)d đảng viên được xếp loại “%(top)s”, vượt quá %(percent)s%% số đảng viên "
                "được xếp loại “%(good_label)s” (%(good)d người, tối đa %(allowed)d) theo %(source)s."
            ) % {
                "organization": context.name(grassroots_id), "excellent": len(excellent), "top": label(EXCELLENT),
                "percent": _percent(percent), "good_label": label(GOOD), "good": good, "allowed": allowed, "source": source,
            }
            out.append(Violation(rule, message, source, ("group", grassroots_id), tuple(r.key for r in excellent), grassroots_id))
    return out


def disciplined_person(ratings, context: Context, *, highest: str, source: str, label: Labeler,
                       forms: tuple | None = None, exempt: str | None = None, rule: str = "discipline.member") -> list[Violation]:
    """A member (or leader) disciplined in the period may be rated at most `highest`.

    forms: the discipline forms that count (None: any); exempt: a condition key that lifts the
    rule when the rating records it true (124: the subject found and remedied the breach).
    """
    out = []
    for r in rated(ratings, *PERSON_KINDS):
        if RANK.get(r.level, 0) <= RANK[highest] or (exempt and r.conditions.get(exempt) is True):
            continue
        hits = [d for d in context.disciplined(r.member_id) if forms is None or d.form in forms]
        if not hits:
            continue
        d = hits[0]
        message = _(
            "%(name)s bị kỷ luật %(form)s ngày %(date)s nên chỉ được xếp loại “%(highest)s”, không được xếp loại "
            "“%(level)s” theo %(source)s."
        ) % {"name": r.name, "form": form_label(d.form), "date": fmt(d.on), "highest": label(highest), "level": label(r.level),
             "source": source}
        out.append(Violation(rule, message, source, r.key, (r.key,), r.organization_id))
    return out


def leaders_disciplined(ratings, context: Context, *, kinds: tuple, above: str, source: str, label: Labeler,
                        forms: tuple | None = None, rule: str = "discipline.collective") -> list[Violation]:
    """A collective (or organization) whose leadership has a member disciplined in the period may
    not be rated above `above`. The leadership is the leader subjects rated in the same period for
    the same organization (until coso/grassroots keeps the posts)."""
    leaders: dict[int, list[RatingFact]] = defaultdict(list)
    for r in ratings:
        if r.kind == SubjectKind.LEADER and r.member_id is not None:
            leaders[r.organization_id].append(r)
    out = []
    for r in rated(ratings, *kinds):
        if RANK.get(r.level, 0) <= RANK[above]:
            continue
        for leader in leaders.get(r.organization_id, ()):
            hits = [d for d in context.disciplined(leader.member_id) if forms is None or d.form in forms]
            if hits:
                message = _(
                    "%(name)s có thành viên lãnh đạo (%(leader)s) bị kỷ luật %(form)s ngày %(date)s nên không được xếp loại "
                    "“%(level)s” theo %(source)s."
                ) % {"name": r.name, "leader": leader.name, "form": form_label(hits[0].form), "date": fmt(hits[0].on),
                     "level": label(r.level), "source": source}
                out.append(Violation(rule, message, source, r.key, (r.key, leader.key), r.organization_id))
                break
    return out


def _percent(value: Decimal) -> str:
    value = Decimal(value).normalize()
    return format(value, "f").replace(".", ",")
