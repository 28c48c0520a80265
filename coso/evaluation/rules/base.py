"""What every rule set module shares: levels, the facts a check reads, violations, and the rules
that recur from one rule set to the next. Each module says which of them apply, with its own
source; nothing here decides on its own which rule is in force.

A rule set module exposes:

    CODE, TITLE, SHORT        its code (stored on the period), full title, short name
    IN_FORCE_FROM             the first period end date it governs (rules.for_date)
    PERIOD_KINDS              the kinds of period it provides (year; 366 adds quarter and term)
    SCORED                    True when ratings carry a 100-point score (366)
    REMEDIES                  True when a breach found and remedied lifts the discipline rule (124, 366)
    DEFAULT_CAP_PERCENT       the cap on "Hoàn thành xuất sắc nhiệm vụ" (None: no cap)
    SETTINGS                  the period's settings of the rule set, each with its default, its source
                              and whether the source is SECONDARY (verbatim) or UNCONFIRMED
                              (rules.settings_of; evaluation-answers.md gives each)
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
from coso.lib.numbers import num
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
    "disciplined": "an organization or collective itself disciplined in the period (124 Điều 12.4; 366 Điều 11 khoản 1.1): "
                   "recorded by the proposal, beside an organization's discipline in the records (Context.disciplined_units)",
}

# the cap's settings (Period.cap_base, cap_rounding; choices.CapBase, CapRounding)
BASE_GOOD, BASE_GOOD_OR_BETTER = "good", "good_or_better"
ROUND_DOWN, ROUND_HALF_UP = "down", "half_up"
# the confidence of a setting's source (evaluation-answers.md: nothing is CONFIRMED from the text)
SECONDARY, UNCONFIRMED = "secondary", "unconfirmed"


NO_ROUNDING_RULE = gettext_lazy("không văn bản nào quy định cách làm tròn; “không vượt quá” được hiểu là làm tròn xuống")
NOT_FOUND = gettext_lazy("không tìm thấy quy định trong văn bản; giữ như quy định trước làm mặc định, có thể thay đổi")

NOT_FOUND_OFF = gettext_lazy("không tìm thấy quy định này trong văn bản; mặc định không áp dụng, có thể bật")


@dataclass(frozen=True)
class Setting:
    """One setting of a rule set: its default, and the text it rests on with its confidence."""

    key: str
    default: object
    source: str  # a lazy translation: the clause, or why it is open
    confidence: str  # SECONDARY or UNCONFIRMED


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
    cap_group: int | None = None  # the CapGroup it is counted in; None: the rule set's default group


@dataclass(frozen=True)
class Discipline:
    on: dt.date  # the decision's date: what places it in a period (366 Điều 11 khoản 4.3)
    form: str  # members.DisciplineForm
    breach_on: dt.date | None = None  # when the breach happened, when recorded
    category: str = ""  # members.BreachCategory; "" not recorded
    remedied: bool = False  # the competent level found it found and remedied by the member (RemediedBreach)


@dataclass(frozen=True)
class GroupCap:
    """A group of comparable subjects defined by the competent level, and its allowance."""

    name: str
    organization_id: int | None
    raised_percent: Decimal | None = None  # up to 25 (366 Điều 11 khoản 1.5); None: the period's cap
    decision_number: str = ""
    raised_on: dt.date | None = None
    issuer: str = ""


@dataclass
class Context:
    """What a check knows besides the ratings: the period and the records it reads."""

    starts_on: dt.date
    ends_on: dt.date
    cap_percent: Decimal | None = Decimal(20)
    discipline: Mapping[int, list[Discipline]] = field(default_factory=dict)  # member id → in the period
    names: Mapping[int, str] = field(default_factory=dict)  # organization id → its name on the reference date
    cap_base: str = BASE_GOOD
    cap_rounding: str = ROUND_DOWN
    groups: Mapping[int, GroupCap] = field(default_factory=dict)  # CapGroup id → its name and allowance
    leader_not_above_collective: bool = False
    kinds: Mapping[int, str] = field(default_factory=dict)  # organization id → its kind's label (default groups)
    # organizations disciplined with effect in the period, from the records (coso/inspection)
    disciplined_units: frozenset = frozenset()

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


def allowed_excellent(counted: int, percent, rounding: str = ROUND_DOWN) -> int:
    """The most that may be rated HTXSNV when `counted` form the base: floor(counted × percent / 100)
    ("không vượt quá": 10 → 2, 9 → 1, 4 → 0), or, as a setting, rounded half up."""
    exact = Decimal(counted) * Decimal(percent) / 100
    if rounding == ROUND_HALF_UP:
        return int((exact + Decimal("0.5")) // 1)
    return int(exact // 1)


def member_groups(r: RatingFact, context: "Context"):
    """The default group of HD 21 (and 124 as configured): the members of each grassroots organization."""
    if r.kind == SubjectKind.MEMBER:
        return ("grassroots", r.grassroots_id)
    return None


def cap_excellent(ratings, context: Context, *, source: str, label: Labeler, default_group=member_groups) -> list[Violation]:
    """At most cap_percent % of the number rated "Hoàn thành tốt nhiệm vụ" (the base; a setting may
    count "tốt" and above) may be rated "Hoàn thành xuất sắc nhiệm vụ", in each group: a CapGroup
    the competent level defined (its allowance may raise its cap up to 25%), else the rule set's
    default group (default_group(fact, context) → a key, or None: not capped). Rounded down unless the
    period says otherwise (allowed_excellent)."""
    if context.cap_percent is None:
        return []
    groups: dict[tuple, list[RatingFact]] = defaultdict(list)
    for r in rated(ratings):
        key = ("group", r.cap_group) if r.cap_group is not None else default_group(r, context)
        if key is not None:
            groups[key].append(r)
    out = []
    for key, rows in sorted(groups.items(), key=lambda item: str(item[0])):
        excellent = [r for r in rows if r.level == EXCELLENT]
        if not excellent:
            continue
        good = sum(1 for r in rows if r.level == GOOD)
        counted = good + (len(excellent) if context.cap_base == BASE_GOOD_OR_BETTER else 0)
        group = context.groups.get(key[1]) if key[0] == "group" else None
        percent = Decimal(group.raised_percent if group and group.raised_percent is not None else context.cap_percent)
        allowed = allowed_excellent(counted, percent, context.cap_rounding)
        if len(excellent) <= allowed:
            continue
        values = {"excellent": num(len(excellent)), "top": label(EXCELLENT), "percent": _percent(percent), "good_label": label(GOOD),
                  "good": num(counted), "allowed": num(allowed), "source": source}
        if key[0] == "grassroots" and context.cap_base != BASE_GOOD_OR_BETTER:
            rule, organization_id = "cap.members", key[1]
            message = _(
                "%(organization)s: %(excellent)s đảng viên được xếp loại “%(top)s”, vượt quá %(percent)s%% số đảng viên "
                "được xếp loại “%(good_label)s” (%(good)s người, tối đa %(allowed)s) theo %(source)s."
            ) % {"organization": context.name(key[1]), **values}
        else:
            if group is not None:
                rule, organization_id, name = "cap.group", group.organization_id, group.name
            else:
                rule, organization_id = f"cap.{key[0]}", key[1]
                name = default_group_name(key, context)
            if context.cap_base == BASE_GOOD_OR_BETTER:
                message = _(
                    "Nhóm “%(group)s”: %(excellent)s đối tượng được xếp loại “%(top)s”, vượt quá %(percent)s%% số được xếp loại "
                    "“%(good_label)s” trở lên (%(good)s, tối đa %(allowed)s) theo %(source)s."
                ) % {"group": name, **values}
            else:
                message = _(
                    "Nhóm “%(group)s”: %(excellent)s đối tượng được xếp loại “%(top)s”, vượt quá %(percent)s%% số được xếp loại "
                    "“%(good_label)s” (%(good)s, tối đa %(allowed)s) theo %(source)s."
                ) % {"group": name, **values}
        out.append(Violation(rule, message, source, key, tuple(r.key for r in excellent), organization_id))
    return out


def default_group_name(key: tuple, context: Context) -> str:
    """A default group as the messages and the period page name it."""
    kind, organization_id = key[0], key[1]
    values = {"organization": context.name(organization_id)}
    if kind == "grassroots":
        return _("Đảng viên của %(organization)s") % values
    if kind == "leaders":
        return _("Cá nhân lãnh đạo, quản lý do %(organization)s quyết định") % values
    if kind == "collectives":
        return _("Tập thể lãnh đạo, quản lý do %(organization)s quyết định") % values
    if kind == "mass":
        return _("Mặt trận Tổ quốc, đoàn thể do %(organization)s quyết định") % values
    if len(key) > 2 and key[2]:
        return _("%(kind)s do %(organization)s quyết định") % {"kind": key[2], **values}
    return _("Tổ chức đảng do %(organization)s quyết định") % values


def _counts(d: Discipline, forms, categories, remedies: bool) -> bool:
    """Whether a discipline triggers a rule: its form among `forms` (None: any), its category among
    `categories` (None: any; a category not recorded counts: nothing shows the breach unrelated),
    and, where the rule set honours it (remedies), not found remedied by the competent level."""
    return ((forms is None or d.form in forms) and (categories is None or not d.category or d.category in categories)
            and not (remedies and d.remedied))


def disciplined_person(ratings, context: Context, *, highest: str, source: str, label: Labeler,
                       forms: tuple | None = None, categories: tuple | None = None, remedies: bool = False,
                       exempt: str | None = None, rule: str = "discipline.member") -> list[Violation]:
    """A member (or leader) disciplined in the period may be rated at most `highest`.

    The period is the decision's: a breach of an earlier year disciplined in the period counts in it
    (366 Điều 11 khoản 4.3), the breach's date shown beside. forms, categories, remedies: which
    disciplines count (_counts); exempt: a condition key that lifts the rule when the rating
    records it true (kept for ratings recorded before the RemediedBreach record).
    """
    out = []
    for r in rated(ratings, *PERSON_KINDS):
        if RANK.get(r.level, 0) <= RANK[highest] or (exempt and r.conditions.get(exempt) is True):
            continue
        hits = [d for d in context.disciplined(r.member_id) if _counts(d, forms, categories, remedies)]
        if not hits:
            continue
        d = hits[0]
        values = {"name": r.name, "form": form_label(d.form), "date": fmt(d.on), "highest": label(highest), "level": label(r.level),
                  "source": source}
        if d.breach_on is not None and d.breach_on < context.starts_on:
            message = _(
                "%(name)s bị kỷ luật %(form)s ngày %(date)s (vi phạm ngày %(breach)s, trước kỳ đánh giá, được tính vào kỳ này) "
                "nên chỉ được xếp loại “%(highest)s”, không được xếp loại “%(level)s” theo %(source)s."
            ) % {**values, "breach": fmt(d.breach_on)}
        else:
            message = _(
                "%(name)s bị kỷ luật %(form)s ngày %(date)s nên chỉ được xếp loại “%(highest)s”, không được xếp loại "
                "“%(level)s” theo %(source)s."
            ) % values
        out.append(Violation(rule, message, source, r.key, (r.key,), r.organization_id))
    return out


def leaders_disciplined(ratings, context: Context, *, kinds: tuple, above: str, source: str, label: Labeler,
                        forms: tuple | None = None, categories: tuple | None = None, remedies: bool = False,
                        rule: str = "discipline.collective") -> list[Violation]:
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
            hits = [d for d in context.disciplined(leader.member_id) if _counts(d, forms, categories, remedies)]
            if hits:
                message = _(
                    "%(name)s có thành viên lãnh đạo (%(leader)s) bị kỷ luật %(form)s ngày %(date)s nên không được xếp loại "
                    "“%(level)s” theo %(source)s."
                ) % {"name": r.name, "leader": leader.name, "form": form_label(hits[0].form), "date": fmt(hits[0].on),
                     "level": label(r.level), "source": source}
                out.append(Violation(rule, message, source, r.key, (r.key, leader.key), r.organization_id))
                break
    return out


def led_units(ratings) -> dict[int, list[RatingFact]]:
    """Organization id → the units rated in the period that it leads: the party organizations
    directly under it, and the Front and mass organizations of its commune."""
    units: dict[int, list[RatingFact]] = defaultdict(list)
    for r in rated(ratings, SubjectKind.ORGANIZATION):
        if r.parent_id is not None:
            units[r.parent_id].append(r)
    for r in rated(ratings, SubjectKind.MASS_ORGANIZATION):
        units[r.organization_id].append(r)
    return units


def leader_units_failed(ratings, *, share: Decimal, highest: str, source: str, label: Labeler,
                        rule: str = "leader.units") -> list[Violation]:
    """A leader whose led units rated "Không hoàn thành nhiệm vụ" are more than `share` of them
    may be rated at most `highest` (366 Điều 11 khoản 4: "trên 50% … bị xếp loại 'Không hoàn
    thành nhiệm vụ'"). The units are those of the organization the leader leads (led_units)."""
    units = led_units(ratings)
    out = []
    for r in rated(ratings, SubjectKind.LEADER):
        mine = units.get(r.organization_id, [])
        failed = sum(1 for u in mine if u.level == FAILED)
        if not mine or RANK.get(r.level, 0) <= RANK[highest] or Decimal(failed) <= share * len(mine):
            continue
        message = _(
            "%(name)s: %(failed)s/%(total)s đơn vị do mình phụ trách bị xếp loại “%(failed_label)s” (trên %(share)s%%) nên chỉ "
            "được xếp loại “%(highest)s”, không được xếp loại “%(level)s” theo %(source)s."
        ) % {"name": r.name, "failed": num(failed), "total": num(len(mine)), "failed_label": label(FAILED), "share": _percent(share * 100),
             "highest": label(highest), "level": label(r.level), "source": source}
        out.append(Violation(rule, message, source, r.key, (r.key, *(u.key for u in mine if u.level == FAILED)), r.organization_id))
    return out


def leader_not_above_collective(ratings, context: Context, *, source: str, label: Labeler,
                                rule: str = "leader.collective") -> list[Violation]:
    """When the period holds it (Context.leader_not_above_collective), a leader may not be rated
    above the leadership collective of the organization they lead, or, without one rated, the
    organization itself (HD 21 tiết 4; a setting elsewhere)."""
    if not context.leader_not_above_collective:
        return []
    heads: dict[int, RatingFact] = {}
    for r in rated(ratings, SubjectKind.ORGANIZATION, SubjectKind.COLLECTIVE):
        if r.kind == SubjectKind.COLLECTIVE or r.organization_id not in heads:
            heads[r.organization_id] = r
    out = []
    for r in rated(ratings, SubjectKind.LEADER):
        head = heads.get(r.organization_id)
        if head is None or RANK.get(r.level, 0) <= RANK.get(head.level, 0):
            continue
        message = _(
            "%(name)s được xếp loại “%(level)s”, cao hơn mức “%(head_level)s” của %(head)s do mình đứng đầu theo %(source)s."
        ) % {"name": r.name, "level": label(r.level), "head_level": label(head.level), "head": head.name, "source": source}
        out.append(Violation(rule, message, source, r.key, (r.key, head.key), r.organization_id))
    return out


def unit_disciplined(r: RatingFact, context: Context | None) -> bool:
    """A party organization disciplined in the period: in the records (an enforced decision of
    coso/inspection with effect in the period, not annulled), or recorded on its rating."""
    return r.conditions.get("disciplined") is True or (
        context is not None and r.kind == SubjectKind.ORGANIZATION and r.organization_id in context.disciplined_units)


def units_disciplined(ratings, *, kinds: tuple, share: Decimal | None, highest: str, source: str, label: Labeler,
                      itself: bool = False, rule: str = "organization.units_disciplined", context: Context | None = None) -> list[Violation]:
    """An organization (or collective) whose subordinate units disciplined in the period are more
    than `share` of them (None: any one) may be rated at most `highest`; with itself, also when
    it was disciplined itself. A unit's discipline: unit_disciplined."""
    units = led_units(ratings)
    out = []
    for r in rated(ratings, *kinds):
        if RANK.get(r.level, 0) <= RANK[highest]:
            continue
        mine = [u for u in units.get(r.organization_id, []) if u.kind == SubjectKind.ORGANIZATION]
        hit = [u for u in mine if unit_disciplined(u, context)]
        values = {"name": r.name, "highest": label(highest), "level": label(r.level), "source": source}
        if itself and unit_disciplined(r, context):
            message = _("%(name)s bị kỷ luật trong kỳ nên chỉ được xếp loại “%(highest)s”, không được xếp loại “%(level)s” theo "
                        "%(source)s.") % values
        elif hit and (share is None or Decimal(len(hit)) > share * len(mine)):
            message = _("%(name)s có %(hit)s/%(total)s đơn vị trực thuộc bị kỷ luật trong kỳ nên chỉ được xếp loại “%(highest)s”, "
                        "không được xếp loại “%(level)s” theo %(source)s.") % {**values, "hit": num(len(hit)), "total": num(len(mine))}
        else:
            continue
        out.append(Violation(rule, message, source, r.key, (r.key,), r.organization_id))
    return out


def _percent(value: Decimal) -> str:
    value = Decimal(value).normalize()
    return format(value, "f").replace(".", ",")
