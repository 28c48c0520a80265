"""The write side of evaluation: one function per step, each atomic and audited ("evaluation.…").

Every step takes the actor, like every service (decision 0006), and checks the actor's competence
itself, because which committee may open, decide and publish for which subtree is a rule of the
Party's, not only of the page: the actor's scope (`scope_of(actor)`, the request's when a view
calls) answers Http404 outside the subtree and PermissionDenied without the permission
(evaluation/permissions.py); ValidationError (messages in Vietnamese) when the step is not
allowed. A refused step changes nothing. check_period, violations_for and subjects_for are reads
and take the scope.

The way of a period:

    period = open_period(actor=…, organization=district, year=2024)   # enrolls the subjects
    self_assess(…, rating=r, level="htt", score=None, note="…")                # each subject
    comment(…, rating=r, text="…")                                              # the collective's view
    propose(…, period=period, cell=cell, levels={member_id: "htt", …})          # the cell, in bulk
    propose_rating(…, rating=org_rating, level="htt")                           # one subject
    check_period(scope=…, period=period) -> [Violation]                         # before deciding
    decide(…, period=period, organization=commune, decision_number="…")         # refused while a violation stands
    publish(…, period=period, organization=commune)                             # refused likewise
    correct(…, rating=r, level="kht", reason="…")                               # after publication only

Subjects beyond members and party organizations are added by hand: add_collective (a leadership
collective), add_leader (a leader in a post), add_mass_organization (the Front or a mass
organization of a commune; create_mass_organization names one).

Who decides (Rating.competent): the grassroots organization for its members; the organization
above for a party organization, its leadership collective and its leaders; the commune's party
organization for its Front and mass organizations. decide() and publish() act for the ratings
whose competent level lies in the subtree of the organization given, all at once: the cap is
counted over a whole grassroots organization, so nothing there is decided while a subject still
waits for a proposal.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from coso.access.scope import scope_of
from coso.audit import services as audit
from coso.inspection import selectors as inspection
from coso.lib.dates import fmt
from coso.lib.numbers import num
from coso.lib.text import clean
from coso.members.models import EventType, Member, MemberEvent
from coso.members.selectors import members_on
from coso.organizations.dated import path_under
from coso.organizations.models import (
    GRASSROOTS_KINDS,
    Kind,
    Organization,
    Placement,
    path_ids,
)

from . import permissions as perms
from . import rules
from .choices import CapBase, CapRounding, PeriodKind, SubjectKind
from .models import CapGroup, Correction, MassOrganization, Period, Rating, RemediedBreach
from .rules.base import Context, Discipline, GroupCap, RatingFact, Violation

# the party organizations rated in a period (reference §3.2, 43-HD/BTCTW: grassroots committees,
# sub-committees and subordinate cells)
RATED_ORGANIZATION_KINDS = (Kind.GRASSROOTS_COMMITTEE, Kind.GRASSROOTS_CELL, Kind.PARTIAL_COMMITTEE, Kind.SUBORDINATE_CELL)

S = Rating.State
BEFORE_COMMENT = (S.PENDING, S.SELF_ASSESSED)
BEFORE_PROPOSAL = (S.PENDING, S.SELF_ASSESSED, S.COMMENTED)
BEFORE_DECISION = (*BEFORE_PROPOSAL, S.PROPOSED)
RESULT_STATES = (S.DECIDED, S.PUBLISHED)
NAMES_SHOWN = 5  # subjects named in a message before "…"

RATING_FIELDS = ["id", "subject_kind", "subject_name", "member_id", "organization_id", "grassroots_id", "competent_id", "state",
                 "level", "score", "proposed_level", "proposed_score", "conditions", "cap_group_id"]


def _today(on: dt.date | None) -> dt.date:
    return on or timezone.localdate()


def _user(actor):
    return actor if actor is not None and actor.pk else None


# -- periods --------------------------------------------------------------------------------------------


def _span(kind: str, year: int | None, quarter: int | None, starts_on, ends_on) -> tuple[dt.date, dt.date, int]:
    if kind == PeriodKind.YEAR:
        if not year:
            raise ValidationError({"year": _("Chưa nhập năm đánh giá.")})
        return starts_on or dt.date(year, 1, 1), ends_on or dt.date(year, 12, 31), year
    if kind == PeriodKind.QUARTER:
        if not year or quarter not in (1, 2, 3, 4):
            raise ValidationError({"quarter": _("Quý phải từ 1 đến 4.")})
        first = dt.date(year, 3 * quarter - 2, 1)
        last = (dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)) - dt.timedelta(days=1)
        return starts_on or first, ends_on or last, year
    if kind == PeriodKind.TERM:
        if not (starts_on and ends_on):
            raise ValidationError({"starts_on": _("Đánh giá theo nhiệm kỳ cần ngày bắt đầu và ngày kết thúc nhiệm kỳ.")})
        return starts_on, ends_on, ends_on.year
    raise ValidationError({"kind": _("Kỳ đánh giá không hợp lệ.")})


def _placement(organization_id, on: dt.date) -> Placement:
    placement = Placement.objects.on(on).filter(organization_id=organization_id).first()
    if placement is None:
        raise ValidationError(_("Tổ chức không hoạt động vào ngày %(date)s.") % {"date": fmt(on)})
    return placement


def _refuse_overlap(organization_id: int, path: str, kind: str, starts_on: dt.date, ends_on: dt.date) -> None:
    """One rating per subject per span: no two periods of a kind over overlapping dates on one line
    of the tree (an ancestor's period already covers this subtree, a descendant's part of it)."""
    others = list(Period.objects.filter(kind=kind, starts_on__lte=ends_on, ends_on__gte=starts_on).values_list("organization_id", flat=True))
    if not others:
        return
    paths = Placement.objects.during(starts_on, ends_on).filter(organization_id__in=others)
    for other_id, other_path in paths.values_list("organization_id", "path"):
        if other_id == organization_id or path_under(path, other_path) or path_under(other_path, path):
            raise ValidationError(_("Đã có kỳ đánh giá cùng loại, trùng thời gian, của tổ chức cấp trên, cấp dưới hoặc của chính tổ chức này."))


@transaction.atomic
def open_period(*, actor, organization, year: int | None = None, kind: str = PeriodKind.YEAR, quarter: int | None = None,
                starts_on: dt.date | None = None, ends_on: dt.date | None = None, reference_date: dt.date | None = None,
                cap_percent=None, on: dt.date | None = None, enroll_subjects: bool = True) -> Period:
    """Open a period for the organization's subtree, under the rule set in force on its last day.

    A year runs 01/01–31/12 unless dates are given; a quarter is the calendar quarter; a term needs
    its dates. reference_date (default: the last day) fixes whose members are rated. cap_percent:
    None takes the rule set's default, False opens the period without a cap, a number sets it
    (reference §8.3: configurable). Enrolls the members and organizations unless told not to.
    """
    scope = scope_of(actor)  # the actor's competence, a rule of the domain (decision 0006)
    org_id = organization.pk if isinstance(organization, Organization) else int(organization)
    perms.check(scope, org_id, perms.DECIDE)
    starts_on, ends_on, year = _span(kind, year, quarter, starts_on, ends_on)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("Ngày kết thúc trước ngày bắt đầu.")})
    module = rules.for_date(ends_on)
    if kind not in module.PERIOD_KINDS:
        raise ValidationError({"kind": _("%(rules)s không quy định đánh giá theo kỳ “%(kind)s”.") % {
            "rules": module.SHORT, "kind": PeriodKind(kind).label}})
    reference_date = reference_date or ends_on
    placement = _placement(org_id, reference_date)
    _refuse_overlap(org_id, placement.path, kind, starts_on, ends_on)
    if cap_percent is None:
        cap = module.DEFAULT_CAP_PERCENT
    else:
        cap = None if cap_percent is False else _decimal(cap_percent, "cap_percent", Decimal(0), Decimal(100))
    defaults = {key: setting.default for key, setting in rules.settings_of(module).items()}
    period = Period.objects.create(
        organization_id=org_id, kind=kind, year=year, quarter=quarter if kind == PeriodKind.QUARTER else None,
        starts_on=starts_on, ends_on=ends_on, reference_date=reference_date, rule_set=module.CODE,
        cap_percent=cap, opened_on=_today(on), opened_by=_user(actor),
        cap_base=defaults.get("cap_base", CapBase.GOOD), cap_rounding=defaults.get("cap_rounding", CapRounding.DOWN),
        leader_not_above_collective=bool(defaults.get("leader_not_above_collective", False)),
    )
    audit.record(actor=actor, event_type="evaluation.period.opened", target=period, organization_id=org_id,
                 new={"kind": kind, "year": year, "quarter": period.quarter, "starts_on": starts_on, "ends_on": ends_on,
                      "reference_date": reference_date, "rule_set": module.CODE, "cap_percent": cap})
    if enroll_subjects:
        enroll(actor=actor, period=period)
    return period


# -- subjects -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    kind: str
    name: str
    organization_id: int
    grassroots_id: int | None
    competent_id: int | None
    member_id: int | None = None
    organization_kind: str = ""


@dataclass
class Subjects:
    members: list[Subject]
    organizations: list[Subject]


class _Tree:
    """The placements of a subtree on a date, with its ancestors: names, parents, grassroots."""

    def __init__(self, root: Placement, on: dt.date, scope=None):
        qs = Placement.objects.under(root.path, on=on)
        if scope is not None:
            qs = qs.visible_to(scope)
        fields = ("organization_id", "name", "kind", "path", "parent_id")
        self.rows = {row[0]: row for row in qs.values_list(*fields)}
        above = path_ids(root.path)[:-1]
        # the ancestors' kinds and names only (which of them is the grassroots organization)
        for row in Placement.objects.on(on).filter(organization_id__in=above).values_list(*fields):
            self.rows.setdefault(row[0], row)

    def name(self, org_id) -> str:
        row = self.rows.get(org_id)
        return row[1] if row else ""

    def grassroots(self, org_id) -> int | None:
        row = self.rows.get(org_id)
        if row is None:
            return None
        for ancestor in reversed(path_ids(row[3])):
            a = self.rows.get(ancestor)
            if a is not None and a[2] in GRASSROOTS_KINDS:
                return ancestor
        return None

    def parent(self, org_id) -> int | None:
        row = self.rows.get(org_id)
        return row[4] if row else None


def _root_placement(period: Period, organization_id) -> Placement:
    """The organization's placement on the reference date; it must lie in the period's subtree."""
    placement = _placement(organization_id, period.reference_date)
    top = _placement(period.organization_id, period.reference_date)
    if not path_under(placement.path, top.path):
        raise ValidationError(_("Tổ chức không thuộc phạm vi của kỳ đánh giá này."))
    return placement


def subjects_for(scope, period: Period, organization=None) -> Subjects:
    """Who is rated in the period under the organization (default: the period's): the members
    placed in its cells on the reference date (exempted members are not rated, reference §8.2),
    and the party organizations of the subtree (grassroots organizations, sub-committees and
    subordinate cells), the period's own organization excepted (its superior rates it).
    Three queries whatever the size of the subtree."""
    root_id = period.organization_id if organization is None else (organization.pk if isinstance(organization, Organization) else int(organization))
    perms.check(scope, root_id, perms.VIEW)
    on = period.reference_date
    root = _root_placement(period, root_id)
    tree = _Tree(root, on, scope)
    # coso.members.selectors, not the measure engine: measures sits above evaluation (DESIGN)
    rows = (members_on(scope, root.path, on).filter(exempted=False)
            .order_by("member__person__name_order", "member_id").values_list("member_id", "organization_id", "member__person__full_name"))
    members = []
    for member_id, cell_id, name in rows:
        grassroots = tree.grassroots(cell_id)
        members.append(Subject(SubjectKind.MEMBER, name, cell_id, grassroots, grassroots or cell_id, member_id=member_id))
    organizations = [
        Subject(SubjectKind.ORGANIZATION, name, org_id, tree.grassroots(org_id), parent_id, organization_kind=kind)
        for org_id, name, kind, path, parent_id in sorted(tree.rows.values(), key=lambda r: r[3])
        if kind in RATED_ORGANIZATION_KINDS and org_id != period.organization_id and path_under(path, root.path)
    ]
    return Subjects(members, organizations)


@transaction.atomic
def enroll(*, actor, period: Period) -> int:
    """Create the ratings of the subjects not yet enrolled (idempotent); the number created."""
    scope = scope_of(actor)  # the actor's competence, a rule of the domain (decision 0006)
    perms.check(scope, period.organization_id, perms.DECIDE)
    _require_open(period)
    subjects = subjects_for(scope, period)
    have_members = set(Rating.objects.filter(period=period, subject_kind=SubjectKind.MEMBER).values_list("member_id", flat=True))
    have_orgs = set(Rating.objects.filter(period=period, subject_kind=SubjectKind.ORGANIZATION).values_list("organization_id", flat=True))
    new = [
        Rating(period=period, subject_kind=s.kind, member_id=s.member_id, organization_id=s.organization_id, grassroots_id=s.grassroots_id,
               competent_id=s.competent_id, subject_name=s.name[:255])
        for s in subjects.members if s.member_id not in have_members
    ] + [
        Rating(period=period, subject_kind=s.kind, organization_id=s.organization_id, grassroots_id=s.grassroots_id,
               competent_id=s.competent_id, subject_name=s.name[:255])
        for s in subjects.organizations if s.organization_id not in have_orgs
    ]
    Rating.objects.bulk_create(new, batch_size=1000)
    if new:
        audit.record(actor=actor, event_type="evaluation.period.enrolled", target=period, organization_id=period.organization_id,
                     new={"members": sum(1 for r in new if r.subject_kind == SubjectKind.MEMBER),
                          "organizations": sum(1 for r in new if r.subject_kind == SubjectKind.ORGANIZATION)})
    return len(new)


def _add(actor, period: Period, rating: Rating, event: str) -> Rating:
    rating.save()
    audit.record(actor=actor, event_type=f"evaluation.rating.{event}", target=rating, organization_id=rating.organization_id,
                 new={"period": period.pk, "subject_kind": rating.subject_kind, "subject": rating.subject_name, "post": rating.post})
    return rating


@transaction.atomic
def add_collective(*, actor, period: Period, organization, name: str = "") -> Rating:
    """The leadership collective of a party organization (its committee, cell committee or
    standing board) as a subject; decided by the organization above."""
    scope = scope_of(actor)  # the actor's competence, a rule of the domain (decision 0006)
    org_id = organization.pk if isinstance(organization, Organization) else int(organization)
    perms.check(scope, org_id, perms.DECIDE)
    _require_open(period)
    placement = _root_placement(period, org_id)
    tree = _Tree(placement, period.reference_date)
    if Rating.objects.filter(period=period, subject_kind=SubjectKind.COLLECTIVE, organization_id=org_id).exists():
        raise ValidationError(_("Tập thể lãnh đạo của tổ chức này đã có trong kỳ đánh giá."))
    name = clean(name) or _("Tập thể lãnh đạo %(organization)s") % {"organization": placement.name}
    rating = Rating(period=period, subject_kind=SubjectKind.COLLECTIVE, organization_id=org_id, grassroots_id=tree.grassroots(org_id),
                    competent_id=placement.parent_id, subject_name=name[:255])
    return _add(actor, period, rating, "collective_added")


@transaction.atomic
def add_leader(*, actor, period: Period, member: Member, organization, post: str) -> Rating:
    """A member in a leadership post of a party organization (bí thư, phó bí thư…) as a subject,
    apart from their rating as a member of their cell (43-HD/BTCTW: a cadre with several posts is
    reviewed in each place); decided by the organization above."""
    scope = scope_of(actor)  # the actor's competence, a rule of the domain (decision 0006)
    org_id = organization.pk if isinstance(organization, Organization) else int(organization)
    perms.check(scope, org_id, perms.DECIDE)
    _require_open(period)
    post = clean(post)
    if not post:
        raise ValidationError({"post": _("Chưa nhập chức vụ.")})
    placement = _root_placement(period, org_id)
    tree = _Tree(placement, period.reference_date)
    if Rating.objects.filter(period=period, subject_kind=SubjectKind.LEADER, organization_id=org_id, member=member).exists():
        raise ValidationError(_("Đảng viên này đã có trong kỳ đánh giá với tư cách lãnh đạo của tổ chức này."))
    name = str(member.person)
    rating = Rating(period=period, subject_kind=SubjectKind.LEADER, member=member, organization_id=org_id, post=post,
                    grassroots_id=tree.grassroots(org_id), competent_id=placement.parent_id, subject_name=name[:255])
    return _add(actor, period, rating, "leader_added")


@transaction.atomic
def create_mass_organization(*, actor, organization, name: str, kind: str = MassOrganization.Kind.OTHER) -> MassOrganization:
    scope = scope_of(actor)  # the actor's competence, a rule of the domain (decision 0006)
    org_id = organization.pk if isinstance(organization, Organization) else int(organization)
    perms.check(scope, org_id, perms.DECIDE)
    name = clean(name)
    if not name:
        raise ValidationError({"name": _("Chưa nhập tên.")})
    if kind not in MassOrganization.Kind.values:
        raise ValidationError({"kind": _("Loại tổ chức không hợp lệ.")})
    if MassOrganization.objects.filter(organization_id=org_id, name=name).exists():
        raise ValidationError({"name": _("Đã có tổ chức cùng tên.")})
    mass = MassOrganization.objects.create(organization_id=org_id, name=name, kind=kind)
    audit.record(actor=actor, event_type="evaluation.mass_organization.created", target=mass, organization_id=org_id,
                 new={"name": name, "kind": kind})
    return mass


@transaction.atomic
def add_mass_organization(*, actor, period: Period, mass_organization: MassOrganization) -> Rating:
    """The Front or a mass organization of a commune as a subject; decided by the commune's party
    organization. Rated on the scale the rule set gives mass organizations."""
    scope = scope_of(actor)  # the actor's competence, a rule of the domain (decision 0006)
    org_id = mass_organization.organization_id
    perms.check(scope, org_id, perms.DECIDE)
    _require_open(period)
    placement = _root_placement(period, org_id)
    tree = _Tree(placement, period.reference_date)
    if Rating.objects.filter(period=period, mass_organization=mass_organization).exists():
        raise ValidationError(_("Tổ chức này đã có trong kỳ đánh giá."))
    rating = Rating(period=period, subject_kind=SubjectKind.MASS_ORGANIZATION, mass_organization=mass_organization, organization_id=org_id,
                    grassroots_id=tree.grassroots(org_id), competent_id=org_id, subject_name=mass_organization.name[:255])
    return _add(actor, period, rating, "mass_organization_added")


@transaction.atomic
def add_new_mass_organization(*, actor, period: Period, organization, name: str,
                              kind: str = MassOrganization.Kind.OTHER) -> Rating:
    """A Front or mass organization not named yet, named and added to the period as one step: a
    refusal to add it (the period closed) leaves it unnamed too."""
    mass = create_mass_organization(actor=actor, organization=organization, name=name, kind=kind)
    return add_mass_organization(actor=actor, period=period, mass_organization=mass)


# -- steps ----------------------------------------------------------------------------------------------


def _require_open(period: Period) -> None:
    if period.state != Period.State.OPEN:
        raise ValidationError(_("Kỳ đánh giá đã công bố kết quả; chỉ còn điều chỉnh từng kết quả."))


def _require_state(rating: Rating, allowed, message: str) -> None:
    """message: the refusal, with %(name)s and %(state)s (the subject and the step it is at)."""
    if rating.state not in allowed:
        raise ValidationError(message % {"name": rating.subject_name, "state": rating.get_state_display()})


def _require_level(module, rating_kind: str, level: str) -> str:
    codes = [lv.code for lv in module.levels_for(rating_kind)]
    if level not in codes:
        raise ValidationError({"level": _("Mức xếp loại “%(level)s” không có trong %(rules)s.") % {"level": level, "rules": module.SHORT}})
    return level


def _decimal(value, field: str, low: Decimal, high: Decimal) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Giá trị không hợp lệ.")}) from None
    if not low <= number <= high:
        raise ValidationError({field: _("Giá trị phải từ %(low)s đến %(high)s.") % {"low": low, "high": high}})
    return number


def _score(module, score, *, required: bool) -> Decimal | None:
    if not module.SCORED:
        if score is not None:
            raise ValidationError({"score": _("%(rules)s không chấm điểm theo thang điểm 100.") % {"rules": module.SHORT}})
        return None
    if score is None:
        if required:
            raise ValidationError({"score": _("Chưa chấm điểm (thang điểm 100).")})
        return None
    return _decimal(score, "score", Decimal(0), module.SCORE_MAX)


def _locked(rating: Rating) -> Rating:
    return Rating.objects.select_for_update().select_related("period").get(pk=rating.pk)


@transaction.atomic
def self_assess(*, actor, rating: Rating, level: str, score=None, note: str = "", on: dt.date | None = None) -> Rating:
    """Step 1: the subject rates itself (forms 2A/2B/2C under 43-HD/BTCTW). Under a scored rule set
    the score is required and the level may not exceed what the score allows."""
    scope = scope_of(actor)  # the actor's competence, a rule of the domain (decision 0006)
    rating = _locked(rating)
    perms.check(scope, rating.organization_id, perms.ASSESS)
    period = rating.period
    _require_open(period)
    _require_state(rating, BEFORE_COMMENT, _("%(name)s đang ở bước “%(state)s”, không thể tự đánh giá lại."))
    module = period.rules
    _require_level(module, rating.subject_kind, level)
    score = _score(module, score, required=True)
    if score is not None:
        allowed = module.level_for_score(score, rating.conditions, rating.subject_kind)
        if rules.base.RANK[level] > rules.base.RANK[allowed]:
            raise ValidationError({"level": _("Với %(score)s điểm chỉ được tự xếp loại “%(allowed)s” trở xuống.") % {
                "score": score, "allowed": module.label(rating.subject_kind, allowed)}})
    old = {"state": rating.state, "self_level": rating.self_level, "self_score": rating.self_score}
    rating.self_level, rating.self_score, rating.self_note = level, score, note.strip()
    rating.self_assessed_on, rating.self_assessed_by, rating.state = _today(on), _user(actor), S.SELF_ASSESSED
    rating.save(update_fields=["self_level", "self_score", "self_note", "self_assessed_on", "self_assessed_by", "state"])
    audit.record(actor=actor, event_type="evaluation.rating.self_assessed", target=rating, organization_id=rating.organization_id,
                 old=old, new={"state": rating.state, "self_level": level, "self_score": score, "on": rating.self_assessed_on})
    return rating


@transaction.atomic
def comment(*, actor, rating: Rating, text: str, on: dt.date | None = None) -> Rating:
    """Step 2: the collective's comments (the cell meeting, or the committee's for an organization)."""
    scope = scope_of(actor)  # the actor's competence, a rule of the domain (decision 0006)
    rating = _locked(rating)
    perms.check(scope, rating.organization_id, perms.ASSESS)
    _require_open(rating.period)
    _require_state(rating, BEFORE_PROPOSAL, _("%(name)s đang ở bước “%(state)s”, không thể ghi ý kiến của tập thể."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Chưa nhập ý kiến của tập thể.")})
    old = {"state": rating.state, "comments": rating.comments}
    rating.comments, rating.commented_on, rating.commented_by, rating.state = text, _today(on), _user(actor), S.COMMENTED
    rating.save(update_fields=["comments", "commented_on", "commented_by", "state"])
    audit.record(actor=actor, event_type="evaluation.rating.commented", target=rating, organization_id=rating.organization_id,
                 old=old, new={"state": rating.state, "comments": text, "on": rating.commented_on})
    return rating


def _level_and_score(value) -> tuple[str, object]:
    if isinstance(value, (tuple, list)):
        return value[0], value[1]
    return value, None


def _apply_proposal(module, rating: Rating, actor, level: str, score, conditions, on: dt.date) -> tuple[dict, dict]:
    _require_state(rating, BEFORE_DECISION, _("%(name)s đang ở bước “%(state)s”, không thể đề xuất mức xếp loại."))
    _require_level(module, rating.subject_kind, level)
    score = _score(module, score, required=False)
    if score is None and module.SCORED:
        score = rating.self_score  # the self-assessed score stands unless the proposal changes it
    old = {"state": rating.state, "proposed_level": rating.proposed_level, "proposed_score": rating.proposed_score}
    rating.proposed_level, rating.proposed_score, rating.proposed_on, rating.proposed_by = level, score, on, _user(actor)
    if conditions is not None:
        rating.conditions = {k: v for k, v in dict(conditions).items() if k in rules.base.CONDITION_KEYS}
    rating.state = S.PROPOSED
    new = {"state": rating.state, "proposed_level": level, "proposed_score": score, "conditions": rating.conditions, "on": on}
    return old, new


PROPOSAL_FIELDS = ["proposed_level", "proposed_score", "proposed_on", "proposed_by", "conditions", "state"]


@transaction.atomic
def propose(*, actor, period: Period, cell, levels: dict, conditions: dict | None = None, on: dt.date | None = None) -> list[Rating]:
    """Step 3 for a cell's members, in bulk: {member_id: level} or {member_id: (level, score)}
    (conditions: {member_id: {...}}). The proposal may break a rule: check_period shows it, and
    decide() refuses it until it is mended. Unknown members or levels refuse the whole batch."""
    scope = scope_of(actor)  # the actor's competence, a rule of the domain (decision 0006)
    cell_id = cell.pk if isinstance(cell, Organization) else int(cell)
    perms.check(scope, cell_id, perms.ASSESS)
    _require_open(period)
    module = period.rules
    by_member = {r.member_id: r for r in Rating.objects.select_for_update().filter(
        period=period, subject_kind=SubjectKind.MEMBER, organization_id=cell_id)}
    unknown = [m for m in levels if m not in by_member]
    if unknown:
        raise ValidationError(_("Không có trong danh sách đánh giá của chi bộ: đảng viên mã %(ids)s.") % {
            "ids": ", ".join(str(m) for m in unknown)})
    when, changed, events = _today(on), [], []
    for member_id, value in levels.items():
        rating = by_member[member_id]
        level, score = _level_and_score(value)
        old, new = _apply_proposal(module, rating, actor, level, score, (conditions or {}).get(member_id), when)
        changed.append(rating)
        events.append(audit.build_event(actor=actor, event_type="evaluation.rating.proposed", target=rating,
                                        organization_id=rating.organization_id, old=old, new=new))
    Rating.objects.bulk_update(changed, PROPOSAL_FIELDS, batch_size=500)
    audit.record_many(events)
    return changed


@transaction.atomic
def propose_rating(*, actor, rating: Rating, level: str, score=None, conditions: dict | None = None,
                   on: dt.date | None = None) -> Rating:
    """Step 3 for one subject (an organization, a collective, a leader, a mass organization, or a
    single member)."""
    scope = scope_of(actor)  # the actor's competence, a rule of the domain (decision 0006)
    rating = _locked(rating)
    perms.check(scope, rating.organization_id, perms.ASSESS)
    _require_open(rating.period)
    old, new = _apply_proposal(rating.period.rules, rating, actor, level, score, conditions, _today(on))
    rating.save(update_fields=PROPOSAL_FIELDS)
    audit.record(actor=actor, event_type="evaluation.rating.proposed", target=rating, organization_id=rating.organization_id, old=old, new=new)
    return rating


# -- the rule set's check -------------------------------------------------------------------------------


def _fact(row: dict, levels: dict | None) -> RatingFact:
    if levels and row["id"] in levels:
        level, score = levels[row["id"]]
    elif row["state"] in RESULT_STATES:
        level, score = row["level"], row["score"]
    else:
        level, score = row["proposed_level"], row["proposed_score"]
    return RatingFact(key=row["id"], kind=row["subject_kind"], name=row["subject_name"], level=level or None, member_id=row["member_id"],
                      organization_id=row["organization_id"], grassroots_id=row["grassroots_id"], parent_id=row["competent_id"],
                      score=score, conditions=row["conditions"] or {}, cap_group=row["cap_group_id"])


def context_for(period: Period) -> Context:
    """What the check reads besides the ratings: the discipline of the period's members decided in
    the period, with the breach's date and kind and whether the competent level found it remedied
    (one query; a decision changed or annulled since counts as it stands: one more when there is
    any), the organizations disciplined with effect in the period (coso/inspection, one query),
    the names and kinds of the organizations the messages and default groups name (one query), and
    the period's comparable groups with their allowances (one query)."""
    members = Rating.objects.filter(period=period, member__isnull=False).values("member_id")
    remedied = Exists(RemediedBreach.objects.filter(period=period, discipline_id=OuterRef("pk")))
    discipline: dict[int, list[Discipline]] = {}
    events = list(MemberEvent.objects.filter(type=EventType.DISCIPLINED, effective_date__gte=period.starts_on, effective_date__lte=period.ends_on,
                                             member_id__in=members)
                  .annotate(remedied=remedied).order_by("effective_date", "id")
                  .values_list("id", "member_id", "effective_date", "discipline_form", "breach_on", "breach_category", "remedied"))
    # a decision changed or annulled since (a complaint, a superior, 117-QĐ/TW) counts as it stands
    standing = inspection.standing_member_forms([e[0] for e in events]) if events else {}
    for event_id, member_id, on, form, breach_on, category, found in events:
        form = standing.get(event_id, form)
        if form:
            discipline.setdefault(member_id, []).append(Discipline(on, form, breach_on, category, found))
    units = Rating.objects.filter(period=period, subject_kind=SubjectKind.ORGANIZATION).values("organization_id")
    disciplined_units = frozenset(inspection.disciplined_organizations(units, period.starts_on, period.ends_on))
    named = Rating.objects.filter(period=period)
    ids = (Q(organization_id__in=named.filter(grassroots__isnull=False).values("grassroots_id"))
           | Q(organization_id__in=named.filter(competent__isnull=False).values("competent_id"))
           | Q(organization_id__in=named.values("organization_id")))
    names, kinds = {}, {}
    for org_id, name, kind in Placement.objects.on(period.reference_date).filter(ids).values_list(
            "organization_id", "name", "kind"):
        names[org_id], kinds[org_id] = name, str(Kind(kind).label) if kind in Kind.values else kind
    groups = {g.pk: GroupCap(g.name, g.organization_id, g.raised_percent, g.raised_decision_number, g.raised_on, g.raised_issuer)
              for g in CapGroup.objects.filter(period=period)}
    return Context(starts_on=period.starts_on, ends_on=period.ends_on, cap_percent=period.cap_percent, discipline=discipline, names=names,
                   cap_base=period.cap_base, cap_rounding=period.cap_rounding, groups=groups,
                   leader_not_above_collective=period.leader_not_above_collective, kinds=kinds, disciplined_units=disciplined_units)


def violations(period: Period, *, levels: dict | None = None) -> list[Violation]:
    """The rule set's check over the whole period (unscoped: the services' own use). Each rating
    counts with its result when decided, else its proposal, else not at all; levels overrides
    some ({rating id: (level, score)}) to test a decision before making it. Four queries (the ratings, context_for's three)."""
    rows = list(Rating.objects.filter(period=period).values(*RATING_FIELDS))
    facts = [_fact(row, levels) for row in rows]
    return period.rules.check(facts, context_for(period))


def check_period(*, scope, period: Period, organization=None) -> list[Violation]:
    """What breaks a rule in the period, for the part of it under the organization (default: the
    period's) that the scope sees."""
    root_id = period.organization_id if organization is None else (organization.pk if isinstance(organization, Organization) else int(organization))
    perms.check(scope, root_id, perms.VIEW)
    root = _root_placement(period, root_id)
    visible = set(Placement.objects.under(root.path, on=period.reference_date)
                  .visible_to(scope).values_list("organization_id", flat=True))
    return [v for v in violations(period) if v.organization_id in visible]


def violations_for(*, scope, period: Period, organization=None) -> list[Violation]:
    """What the pages show for the part of the period under the organization (default: the
    period's): the violations standing there (check_period), and those that touch its ratings
    while standing above it (the cap counted over the grassroots organization that a cell's
    members belong to: the cell sees why its proposals are refused). Read only; ten queries."""
    root_id = period.organization_id if organization is None else (organization.pk if isinstance(organization, Organization) else int(organization))
    perms.check(scope, root_id, perms.VIEW)
    root = _root_placement(period, root_id)
    visible = set(Placement.objects.under(root.path, on=period.reference_date)
                  .visible_to(scope).values_list("organization_id", flat=True))
    rows = list(Rating.objects.filter(period=period).values(*RATING_FIELDS))
    mine = {row["id"] for row in rows if row["organization_id"] in visible}
    found = period.rules.check([_fact(row, None) for row in rows], context_for(period))
    return [v for v in found if v.organization_id in visible or mine.intersection(v.keys)]


# -- decision, publication, correction ------------------------------------------------------------------


def _names(ratings) -> str:
    names = [r.subject_name for r in ratings[:NAMES_SHOWN]]
    return ", ".join(names) + (", …" if len(ratings) > NAMES_SHOWN else "")


def _competent_here(period: Period, root_id) -> list[Rating]:
    """The ratings whose competent level lies in the subtree of root on the reference date, locked."""
    root = _root_placement(period, root_id)
    under = Placement.objects.under(root.path, on=period.reference_date).values("organization_id")
    return list(Rating.objects.select_for_update().filter(period=period, competent_id__in=under).order_by("id"))


def _refuse(found: list[Violation], ids: set) -> None:
    blocking = [v for v in found if ids.intersection(v.keys)]
    if blocking:
        raise ValidationError([v.message for v in blocking])


def _lock_period(period: Period) -> Period:
    return Period.objects.select_for_update().get(pk=period.pk)


DECISION_FIELDS = ["level", "score", "decision_number", "decided_on", "decided_by", "state"]


@transaction.atomic
def decide(*, actor, period: Period, organization=None, levels: dict | None = None, decision_number: str = "",
           on: dt.date | None = None) -> list[Rating]:
    """Step 4: the competent level decides, for every subject it is competent for under the
    organization (default: the period's), the proposed level, or the one given in levels
    ({rating id: level or (level, score)}). A decided rating may be decided again until published.

    Refused, changing nothing, while a subject there waits for its proposal or while any violation
    of the rule set touches the ratings decided (the messages are the violations')."""
    scope = scope_of(actor)  # the actor's competence, a rule of the domain (decision 0006)
    period = _lock_period(period)
    root_id = period.organization_id if organization is None else (organization.pk if isinstance(organization, Organization) else int(organization))
    perms.check(scope, root_id, perms.DECIDE)
    _require_open(period)
    ratings = _competent_here(period, root_id)
    waiting = [r for r in ratings if r.state in BEFORE_PROPOSAL]
    if waiting:
        raise ValidationError(_("Còn %(count)s đối tượng chưa có đề xuất mức xếp loại: %(names)s.") % {
            "count": num(len(waiting)), "names": _names(waiting)})
    targets = [r for r in ratings if r.state in (S.PROPOSED, S.DECIDED)]
    levels = levels or {}
    if not any(r.state == S.PROPOSED for r in targets) and not levels:
        raise ValidationError(_("Không có đối tượng nào chờ quyết định xếp loại."))
    by_id = {r.id: r for r in targets}
    unknown = [k for k in levels if k not in by_id]
    if unknown:
        raise ValidationError(_("Không thể quyết định xếp loại cho các đối tượng: %(ids)s.") % {"ids": ", ".join(map(str, unknown))})
    module = period.rules
    candidate = {}
    for r in targets:
        if r.id in levels:
            level, score = _level_and_score(levels[r.id])
            _require_level(module, r.subject_kind, level)
            score = _score(module, score, required=False)
            if score is None and module.SCORED:
                score = r.proposed_score
        elif r.state == S.DECIDED:
            level, score = r.level, r.score
        else:
            level, score = r.proposed_level, r.proposed_score
        candidate[r.id] = (level, score)
    _refuse(violations(period, levels=candidate), set(candidate))
    when, number, events = _today(on), clean(decision_number), []
    for r in targets:
        old = {"state": r.state, "level": r.level, "score": r.score}
        r.level, r.score = candidate[r.id]
        r.decision_number, r.decided_on, r.decided_by, r.state = number, when, _user(actor), S.DECIDED
        events.append(audit.build_event(actor=actor, event_type="evaluation.rating.decided", target=r, organization_id=r.organization_id,
                                        old=old, new={"state": r.state, "level": r.level, "score": r.score, "decision_number": number, "on": when}))
    Rating.objects.bulk_update(targets, DECISION_FIELDS, batch_size=500)
    audit.record_many(events)
    return targets


@transaction.atomic
def publish(*, actor, period: Period, organization=None, on: dt.date | None = None) -> int:
    """Step 5: publish the decided results the organization (default: the period's) is competent
    for. Refused, changing nothing, while a subject there is not decided yet or while a violation
    touches the results (a discipline recorded since the decision, say). When the last result of
    the period is published, the period is. Returns the number published."""
    scope = scope_of(actor)  # the actor's competence, a rule of the domain (decision 0006)
    period = _lock_period(period)
    root_id = period.organization_id if organization is None else (organization.pk if isinstance(organization, Organization) else int(organization))
    perms.check(scope, root_id, perms.DECIDE)
    _require_open(period)
    ratings = _competent_here(period, root_id)
    undecided = [r for r in ratings if r.state in BEFORE_DECISION]
    if undecided:
        raise ValidationError(_("Còn %(count)s đối tượng chưa được quyết định xếp loại: %(names)s.") % {
            "count": num(len(undecided)), "names": _names(undecided)})
    targets = [r for r in ratings if r.state == S.DECIDED]
    if not targets:
        raise ValidationError(_("Không có kết quả nào chờ công bố."))
    ids = {r.id for r in targets}
    _refuse(violations(period), ids)
    when, user = _today(on), _user(actor)
    count = Rating.objects.filter(pk__in=ids, state=S.DECIDED).update(state=S.PUBLISHED, published_on=when, published_by=user)
    if count != len(ids):
        raise ValidationError(_("Kết quả vừa được người khác thay đổi; hãy tải lại và thử lại."))
    audit.record_many([
        audit.build_event(actor=actor, event_type="evaluation.rating.published", target=r, organization_id=r.organization_id,
                          old={"state": S.DECIDED}, new={"state": S.PUBLISHED, "level": r.level, "score": r.score, "on": when})
        for r in targets
    ])
    if not Rating.objects.filter(period=period).exclude(state=S.PUBLISHED).exists():
        if Period.objects.filter(pk=period.pk, state=Period.State.OPEN).update(state=Period.State.PUBLISHED, published_on=when, published_by=user):
            audit.record(actor=actor, event_type="evaluation.period.published", target=period, organization_id=period.organization_id,
                         old={"state": Period.State.OPEN}, new={"state": Period.State.PUBLISHED, "on": when})
    return count


@transaction.atomic
def correct(*, actor, rating: Rating, level: str, reason: str, score=None, decision_number: str = "",
            on: dt.date | None = None) -> Correction:
    """After publication, the only way a result changes: recorded with who, when, why, old → new.
    Refused when it would create a violation the period did not have (124 Điều 12.4.5: a breach
    disciplined later re-rates the year it happened in, by such a correction)."""
    scope = scope_of(actor)  # the actor's competence, a rule of the domain (decision 0006)
    rating = _locked(rating)
    perms.check(scope, rating.competent_id or rating.organization_id, perms.DECIDE)
    if rating.state != S.PUBLISHED:
        raise ValidationError(_("Chỉ điều chỉnh kết quả đã công bố; trước khi công bố, cấp có thẩm quyền quyết định lại."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Chưa nêu lý do điều chỉnh.")})
    period = rating.period
    module = period.rules
    _require_level(module, rating.subject_kind, level)
    score = _score(module, score, required=False)
    if score is None and module.SCORED:
        score = rating.score
    if level == rating.level and score == rating.score:
        raise ValidationError(_("Mức xếp loại và điểm không thay đổi."))
    before = {v.ident for v in violations(period)}
    new = [v for v in violations(period, levels={rating.id: (level, score)}) if v.ident not in before]
    if new:
        raise ValidationError([v.message for v in new])
    when, number = _today(on), clean(decision_number)
    correction = Correction.objects.create(rating=rating, old_level=rating.level, new_level=level, old_score=rating.score, new_score=score,
                                           reason=reason, decision_number=number, corrected_on=when, corrected_by=_user(actor))
    if Rating.objects.filter(pk=rating.pk, state=S.PUBLISHED, level=rating.level).update(level=level, score=score) != 1:
        raise ValidationError(_("Kết quả vừa được người khác thay đổi; hãy tải lại và thử lại."))
    audit.record(actor=actor, event_type="evaluation.rating.corrected", target=rating, organization_id=rating.organization_id,
                 old={"level": correction.old_level, "score": correction.old_score},
                 new={"level": level, "score": score, "reason": reason, "decision_number": number, "on": when})
    rating.level, rating.score = level, score
    return correction


# -- the rule set's settings, comparable groups and their allowance, breaches remedied ----------------


@transaction.atomic
def set_rule_settings(*, actor, period: Period, cap_base: str, cap_rounding: str, leader_not_above_collective: bool) -> Period:
    """The settings the sources leave open (evaluation-answers.md §1, §4), chosen by the level
    that opened the period while it is open: the cap's base and rounding, and whether a leader
    may be rated above the collective they head."""
    scope = scope_of(actor)  # the actor's competence, a rule of the domain (decision 0006)
    period = _lock_period(period)
    perms.check(scope, period.organization_id, perms.DECIDE)
    _require_open(period)
    if cap_base not in CapBase.values:
        raise ValidationError({"cap_base": _("Giá trị không hợp lệ.")})
    if cap_rounding not in CapRounding.values:
        raise ValidationError({"cap_rounding": _("Giá trị không hợp lệ.")})
    fields = ["cap_base", "cap_rounding", "leader_not_above_collective"]
    old = {f: getattr(period, f) for f in fields}
    period.cap_base, period.cap_rounding, period.leader_not_above_collective = cap_base, cap_rounding, bool(leader_not_above_collective)
    new = {f: getattr(period, f) for f in fields}
    if new == old:
        return period
    period.save(update_fields=fields)
    audit.record(actor=actor, event_type="evaluation.period.settings_changed", target=period, organization_id=period.organization_id,
                 old=old, new=new)
    return period


@transaction.atomic
def create_cap_group(*, actor, period: Period, organization, name: str) -> CapGroup:
    """A group of subjects of comparable position, role and duties, defined by the competent level
    (the organization) for its part of the period (366-QĐ/TW Điều 11 khoản 1.5)."""
    scope = scope_of(actor)  # the actor's competence, a rule of the domain (decision 0006)
    org_id = organization.pk if isinstance(organization, Organization) else int(organization)
    perms.check(scope, org_id, perms.DECIDE)
    _require_open(period)
    _root_placement(period, org_id)
    name = clean(name)
    if not name:
        raise ValidationError({"name": _("Chưa nhập tên nhóm.")})
    if CapGroup.objects.filter(period=period, name=name).exists():
        raise ValidationError({"name": _("Kỳ đánh giá đã có nhóm cùng tên.")})
    try:
        with transaction.atomic():  # a savepoint: another user may have created it since the check
            group = CapGroup.objects.create(period=period, organization_id=org_id, name=name[:255])
    except IntegrityError:
        raise ValidationError({"name": _("Kỳ đánh giá đã có nhóm cùng tên.")}) from None
    audit.record(actor=actor, event_type="evaluation.cap_group.created", target=group, organization_id=org_id,
                 new={"period": period.pk, "name": group.name})
    return group


@transaction.atomic
def assign_to_cap_group(*, actor, group: CapGroup, organization, kind: str) -> int:
    """Count in the group the subjects of a kind under the organization (itself and its subtree, on
    the period's reference date), which must lie within the group's competent level. Subjects
    already decided keep their group (the decision was checked against it). Returns how many."""
    scope = scope_of(actor)  # the actor's competence, a rule of the domain (decision 0006)
    group = CapGroup.objects.select_for_update().select_related("period").get(pk=group.pk)
    period = group.period
    perms.check(scope, group.organization_id, perms.DECIDE)
    _require_open(period)
    if kind not in SubjectKind.values:
        raise ValidationError({"kind": _("Đối tượng không hợp lệ.")})
    org_id = organization.pk if isinstance(organization, Organization) else int(organization)
    perms.check(scope, org_id, perms.DECIDE)
    top = _root_placement(period, group.organization_id)
    placement = _root_placement(period, org_id)
    if not path_under(placement.path, top.path):
        raise ValidationError({"organization": _("Tổ chức không thuộc phạm vi của cấp có thẩm quyền xác định nhóm.")})
    under = Placement.objects.under(placement.path, on=period.reference_date).values("organization_id")
    ratings = Rating.objects.filter(period=period, subject_kind=kind, organization_id__in=under, state__in=BEFORE_DECISION)
    ids = list(ratings.exclude(cap_group=group).values_list("id", flat=True))
    if not ids:
        raise ValidationError(_("Không có đối tượng nào chưa quyết định xếp loại để đưa vào nhóm."))
    Rating.objects.filter(pk__in=ids).update(cap_group=group)
    audit.record(actor=actor, event_type="evaluation.cap_group.assigned", target=group, organization_id=group.organization_id,
                 new={"organization": org_id, "kind": kind, "ratings": len(ids)})
    return len(ids)


@transaction.atomic
def raise_cap(*, actor, group: CapGroup, percent, decision_number: str, decided_on: dt.date, issuer: str, reason: str = "") -> CapGroup:
    """The competent level's decision raising the group's cap, for a unit with outstanding results,
    to at most 25% (366-QĐ/TW Điều 11 khoản 1.5): its number, date and issuer are recorded and
    shown beside the check. Only under a rule set that provides it; a decided group keeps its cap."""
    scope = scope_of(actor)  # the actor's competence, a rule of the domain (decision 0006)
    group = CapGroup.objects.select_for_update().select_related("period").get(pk=group.pk)
    period = group.period
    perms.check(scope, group.organization_id, perms.DECIDE)
    _require_open(period)
    ceiling = rules.settings_of(period.rules).get("cap_allowance")
    if ceiling is None:
        raise ValidationError(_("%(rules)s không quy định nâng tỷ lệ “Hoàn thành xuất sắc nhiệm vụ”.") % {"rules": period.rules.SHORT})
    percent = _decimal(percent, "percent", Decimal("0.01"), Decimal(ceiling.default))
    number, issuer = clean(decision_number), clean(issuer)
    errors = {}
    if not number:
        errors["decision_number"] = _("Chưa nhập số quyết định.")
    if decided_on is None:
        errors["decided_on"] = _("Chưa nhập ngày quyết định.")
    if not issuer:
        errors["issuer"] = _("Chưa nhập cơ quan quyết định.")
    if errors:
        raise ValidationError(errors)
    if Rating.objects.filter(cap_group=group, state__in=RESULT_STATES).exists():
        raise ValidationError(_("Nhóm đã có đối tượng được quyết định xếp loại; không thể thay đổi tỷ lệ."))
    fields = ["raised_percent", "raised_decision_number", "raised_on", "raised_issuer", "raised_reason", "raised_by"]
    old = {f: getattr(group, f) for f in fields[:5]}
    group.raised_percent, group.raised_decision_number, group.raised_on = percent, number, decided_on
    group.raised_issuer, group.raised_reason, group.raised_by = issuer[:255], (reason or "").strip(), _user(actor)
    group.save(update_fields=fields)
    audit.record(actor=actor, event_type="evaluation.cap_group.raised", target=group, organization_id=group.organization_id,
                 old=old, new={f: getattr(group, f) for f in fields[:5]})
    return group


@transaction.atomic
def flag_remedied_breach(*, actor, rating: Rating, discipline: MemberEvent, evidence: str, decision_number: str = "",
                         on: dt.date | None = None) -> RemediedBreach:
    """The competent level finds that the member found the breach and remedied its consequences
    themselves (124-QĐ/TW Điều 12 khoản 4.3.d; 366-QĐ/TW Điều 11 khoản 4.2): the discipline no
    longer holds the rating at "Không hoàn thành nhiệm vụ". Needs the evidence; refused under a
    rule set without the exception (HD 21), for a discipline outside the period, and twice."""
    scope = scope_of(actor)  # the actor's competence, a rule of the domain (decision 0006)
    rating = _locked(rating)
    period = rating.period
    competent = rating.competent_id or rating.organization_id
    perms.check(scope, competent, perms.DECIDE)
    _require_open(period)
    if not getattr(period.rules, "REMEDIES", False):
        raise ValidationError(_("%(rules)s không có ngoại lệ cho vi phạm tự phát hiện, khắc phục.") % {"rules": period.rules.SHORT})
    if rating.member_id is None or discipline.member_id != rating.member_id or discipline.type != EventType.DISCIPLINED:
        raise ValidationError(_("Quyết định kỷ luật không phải của đối tượng này."))
    if not period.starts_on <= discipline.effective_date <= period.ends_on:
        raise ValidationError(_("Quyết định kỷ luật không thuộc kỳ đánh giá."))
    if rating.state in RESULT_STATES:
        raise ValidationError(_("%(name)s đã được quyết định xếp loại.") % {"name": rating.subject_name})
    evidence = (evidence or "").strip()
    if not evidence:
        raise ValidationError({"evidence": _("Chưa nêu căn cứ cho thấy đảng viên tự phát hiện và khắc phục xong hậu quả.")})
    if RemediedBreach.objects.filter(period=period, discipline=discipline).exists():
        raise ValidationError(_("Vi phạm này đã được ghi nhận là tự phát hiện, khắc phục."))
    try:
        with transaction.atomic():  # a savepoint: another user may have recorded it since the check
            found = RemediedBreach.objects.create(period=period, discipline=discipline, member_id=rating.member_id, organization_id=competent,
                                                  evidence=evidence, decision_number=clean(decision_number), decided_on=_today(on),
                                                  decided_by=_user(actor))
    except IntegrityError:
        raise ValidationError(_("Vi phạm này đã được ghi nhận là tự phát hiện, khắc phục.")) from None
    audit.record(actor=actor, event_type="evaluation.breach.remedied", target=rating, organization_id=rating.organization_id,
                 new={"discipline": discipline.pk, "evidence": evidence, "decision_number": found.decision_number, "on": found.decided_on})
    return found


UNIT_KINDS = (SubjectKind.ORGANIZATION, SubjectKind.COLLECTIVE)


@transaction.atomic
def record_unit_discipline(*, actor, rating: Rating, disciplined: bool) -> Rating:
    """Whether a party organization (or a leadership collective) was itself disciplined in the
    period, when the records do not hold it: a decision recorded in coso/inspection is read by
    context_for by itself; for others the competent level records it on the rating (the
    condition "disciplined"), which 124-QĐ/TW Điều 12 khoản 4 reads (the
    collective itself, or more than 20% of the units under it) and 366-QĐ/TW Điều 11 khoản 1.1
    (no unit under an organization rated "Hoàn thành xuất sắc nhiệm vụ" disciplined)."""
    scope = scope_of(actor)  # the actor's competence, a rule of the domain (decision 0006)
    rating = _locked(rating)
    perms.check(scope, rating.competent_id or rating.organization_id, perms.DECIDE)
    _require_open(rating.period)
    if rating.subject_kind not in UNIT_KINDS:
        raise ValidationError(_("Chỉ ghi kỷ luật của tổ chức đảng hoặc tập thể lãnh đạo ở đây; kỷ luật đảng viên ghi trong hồ sơ đảng viên."))
    if rating.state in RESULT_STATES:
        raise ValidationError(_("%(name)s đã được quyết định xếp loại.") % {"name": rating.subject_name})
    old = rating.conditions.get("disciplined")
    if old is bool(disciplined):
        return rating
    rating.conditions = {**rating.conditions, "disciplined": bool(disciplined)}
    rating.save(update_fields=["conditions"])
    audit.record(actor=actor, event_type="evaluation.rating.unit_disciplined", target=rating, organization_id=rating.organization_id,
                 old={"disciplined": old}, new={"disciplined": bool(disciplined)})
    return rating
