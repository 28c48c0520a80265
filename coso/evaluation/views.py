"""Evaluation pages. Thin: scope → period or rating through the selectors (404 outside the scope,
403 without the permission) → form → one service → render or redirect.

A user works in a period at "their" organization: the period's own when their scope holds it,
else their scope's root (a district's period seen by a cell secretary shows their cell only).

The fast-entry page rates the subjects of one organization (a cell's members) on one screen:
each row posts itself through htmx when a value changes (evaluation:propose), comes back
re-rendered with its state, and the response's HX-Trigger ("evaluation-saved") makes the
violations panel reload itself. Keyboard handling lives in static/coso/evaluation.js.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import trigger_client_event

from coso.access.scope import scope_for
from coso.access.services import log_export
from coso.lib import downloads
from coso.lib.dates import fmt
from coso.lib.forms import apply_service_error
from coso.lib.numbers import num
from coso.lib.text import sort_key
from coso.measures import engine
from coso.organizations.dated import path_under
from coso.organizations.models import GRASSROOTS_KINDS, Placement, Sector
from coso.organizations.workday import working_day

from . import exports, imports, rules, selectors, services
from . import permissions as perms
from .choices import SubjectKind
from .forms import (
    AssignGroupForm,
    CapGroupForm,
    CollectiveForm,
    CommentForm,
    CorrectionForm,
    DecideForm,
    ImportForm,
    LeaderForm,
    MassOrganizationForm,
    OpenPeriodForm,
    ProposalForm,
    PublishForm,
    RaiseCapForm,
    RemedyForm,
    RuleSettingsForm,
    SelfAssessForm,
    UnitDisciplineForm,
    level_choices,
)
from .models import MassOrganization, Period, Rating
from .rules.base import UNCONFIRMED

S = Rating.State
EXPORT = "data.export"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SAVED_EVENT = "evaluation-saved"


# ---------------------------------------------------------------- helpers


def _root(scope, period: Period) -> int:
    """The organization the user works at in the period (see the module docstring)."""
    if scope.contains(period.organization_id):
        return period.organization_id
    if scope.root_id is None:
        raise Http404
    return scope.root_id


def _int_param(request, name: str) -> int | None:
    raw = request.GET.get(name) or request.POST.get(name) or ""
    return int(raw) if raw.isdigit() else None


def _in_period(scope, period: Period, organization_id: int) -> Placement:
    """The organization's placement, 404 outside the scope or outside the period's subtree."""
    perms.check(scope, organization_id, perms.VIEW)
    found = selectors.placements_on(period, {organization_id, period.organization_id})
    placement, top = found.get(organization_id), found.get(period.organization_id)
    if placement is None or top is None or not path_under(placement.path, top.path):
        raise Http404
    return placement


def _open(period: Period) -> bool:
    return period.state == Period.State.OPEN


def _period_url(period: Period, group: int | None = None) -> str:
    url = reverse("evaluation:period", args=[period.pk])
    return f"{url}?nhom={group}" if group else url


# ---------------------------------------------------------------- periods


@require_GET
def periods(request):
    scope = scope_for(request)
    scope.require(perms.VIEW)
    page = Paginator(selectors.visible_periods(scope), selectors.PAGE_SIZE).get_page(request.GET.get("trang"))
    rows = list(page.object_list)
    names = selectors.organization_names(rows)
    progress = selectors.progress(scope, rows)
    for p in rows:
        p.organization_name = names[p.id]
        states = progress.get(p.id, {})
        p.total = sum(states.values())
        p.proposed = p.total - sum(states.get(s, 0) for s in services.BEFORE_PROPOSAL)
        p.decided = states.get(S.DECIDED, 0) + states.get(S.PUBLISHED, 0)
    return render(request, "evaluation/periods.html", {"page": page, "rows": rows, "can_open": scope.can(perms.DECIDE)})


@require_http_methods(["GET", "POST"])
def open_period(request):
    scope = scope_for(request)
    scope.require(perms.DECIDE)
    initial_org = _int_param(request, "to_chuc") or scope.root_id
    if initial_org is not None and request.method == "GET":
        scope.check(initial_org)
    form = OpenPeriodForm(request.POST or None, scope=scope, initial={"organization": initial_org, "year": working_day(request).on.year})
    if request.method == "POST" and form.is_valid():
        try:
            period = services.open_period(actor=request.user, **form.service_arguments())
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            count = selectors.subject_count(period)
            messages.success(request, _("Đã mở kỳ đánh giá %(title)s: %(count)s đối tượng được đưa vào danh sách.") % {
                "title": period.title, "count": num(count)})
            return redirect("evaluation:period", pk=period.pk)
    return render(request, "evaluation/open.html", {"form": form})


# ---------------------------------------------------------------- one period


@dataclass
class Group:
    """A grassroots organization (the group the cap is counted in) under the user's organization."""

    id: int | None
    name: str = ""
    path: str = ""
    order: str = ""  # the name's Vietnamese order (Placement.name_order)
    total: int = 0
    waiting: int = 0  # not proposed yet
    proposed: int = 0
    decided: int = 0
    published: int = 0
    levels: dict = field(default_factory=dict)  # members: level code -> number (decided, else proposed)
    violations: int = 0


def _groups(scope, period: Period, root_id: int) -> list[Group]:
    """The grassroots organizations under root with their counts: one grouped query, one for names."""
    groups: dict[int | None, Group] = {}
    for grassroots_id, kind, state, code, n in selectors.group_counts(scope, period, root_id):
        g = groups.setdefault(grassroots_id, Group(grassroots_id))
        g.total += n
        if state in services.BEFORE_PROPOSAL:
            g.waiting += n
        elif state == S.PROPOSED:
            g.proposed += n
        elif state == S.DECIDED:
            g.decided += n
        else:
            g.published += n
        if kind == SubjectKind.MEMBER and code:
            g.levels[code] = g.levels.get(code, 0) + n
    placements = selectors.placements_on(period, groups)
    for g in groups.values():
        p = placements.get(g.id)
        g.name, g.path, g.order = (p.name, p.path, p.name_order) if p else (_("Ngoài tổ chức cơ sở đảng"), "~", "")
    # by name in the Vietnamese order; the subjects outside any grassroots organization last
    return sorted(groups.values(), key=lambda g: (g.path == "~", g.order, g.id or 0))


@dataclass
class Section:
    """The subjects of one organization (a cell's members, the organization itself)."""

    organization_id: int
    name: str
    path: str
    ratings: list = field(default_factory=list)


def _sections(scope, period: Period, root_id: int, group_id: int | None) -> list[Section]:
    ratings = list(selectors.ratings_of_group(scope, period, root_id, group_id))
    placements = selectors.placements_on(period, {r.organization_id for r in ratings})
    sections: dict[int, Section] = {}
    for r in ratings:
        p = placements.get(r.organization_id)
        s = sections.setdefault(r.organization_id, Section(r.organization_id, p.name if p else "", p.path if p else ""))
        s.ratings.append(r)
    for s in sections.values():
        s.ratings.sort(key=_subject_order)
    for r in ratings:
        r.score_text = _score_text(r.score if r.state in services.RESULT_STATES else r.proposed_score)
    return sorted(sections.values(), key=lambda s: s.path)


def _subject_order(r: Rating):
    """The organization and its leadership first, then the members by the Vietnamese name order."""
    if r.subject_kind == SubjectKind.MEMBER:
        return (1, r.member.person.name_order if r.member_id else sort_key(r.subject_name), r.id)
    return (0, r.subject_kind, r.id)


def _decision_choices(root: Placement, groups: list[Group]) -> list[tuple[int, str]]:
    """The root (acting for everything under it), or one of its grassroots organizations."""
    choices = [(root.organization_id, _("%(name)s (toàn bộ)") % {"name": root.name})]
    choices += [(g.id, g.name) for g in groups if g.id is not None and g.id != root.organization_id]
    return choices


@dataclass(frozen=True)
class LevelCount:
    code: str
    label: str
    short: str
    n: int


def _level_rows(period: Period, counts: dict) -> list[LevelCount]:
    """The member scale, best first, with the number at each level."""
    return [LevelCount(lv.code, str(lv.label), lv.short or str(lv.label), counts.get(lv.code, 0))
            for lv in period.rules.levels_for(SubjectKind.MEMBER)]


@require_GET
def period(request, pk):
    scope = scope_for(request)
    period = perms.get_period_for_user(request, pk)
    root_id = _root(scope, period)
    root = _in_period(scope, period, root_id)
    groups = _groups(scope, period, root_id)
    panel = _violations_context(scope, period, root_id)
    found = panel["violations"]
    # a violation stands at a grassroots organization (the cap) or at a subject's organization (a
    # cell): counted in the group of that organization (one query, only when there are some)
    group_of = {g.id: g.id for g in groups}
    stray = {v.organization_id for v in found} - set(group_of)
    if stray:
        group_of.update(selectors.grassroots_of(period, stray))
    by_group = defaultdict(int)
    for v in found:
        by_group[group_of.get(v.organization_id)] += 1
    for g in groups:
        g.violations = by_group.get(g.id, 0)
        g.level_rows = _level_rows(period, g.levels)
    chosen = _int_param(request, "nhom")
    group = next((g for g in groups if g.id == chosen), None) or (groups[0] if len(groups) == 1 else None)
    sections = _sections(scope, period, root_id, group.id) if group else []
    can_decide = scope.can(perms.DECIDE) and _open(period)
    choices = _decision_choices(root, groups) if can_decide else []
    initial = {"organization": group.id if group and len(groups) > 1 else root_id}
    module = period.rules
    context = {
        **panel,
        "period": period,
        "module": module,
        "cap_source": getattr(module, "SOURCE_CAP", ""),
        "root": root,
        "groups": groups,
        "group": group,
        "sections": sections,
        "levels": _level_rows(period, {}),
        "can_assess": scope.can(perms.ASSESS) and _open(period),
        "can_decide": can_decide,
        "can_export": scope.can(EXPORT),
        "decide_form": DecideForm(organizations=choices, initial=initial) if can_decide else None,
        "publish_form": PublishForm(organizations=choices, initial=initial, auto_id="publish_%s") if can_decide else None,
        "editable_states": services.BEFORE_DECISION,
        "rule_settings": _rule_settings(period),
        "cap_groups": selectors.cap_groups(scope, period, root_id),
    }
    return render(request, "evaluation/period.html", context)


@require_GET
def violations(request, pk):
    """The violations panel of the period page and the fast-entry page (reloaded after each save)."""
    scope = scope_for(request)
    period = perms.get_period_for_user(request, pk)
    org_id = _int_param(request, "to_chuc") or _root(scope, period)
    _in_period(scope, period, org_id)
    template = "evaluation/_violations.html#body" if request.htmx else "evaluation/_violations.html"
    return render(request, template, _violations_context(scope, period, org_id))


def _violations_context(scope, period: Period, org_id: int) -> dict:
    counts = engine.evaluation_levels(period, org_id, scope=scope, working=True).get(SubjectKind.MEMBER, {})
    return {
        "period": period,
        "org_id": org_id,
        "violations": services.violations_for(scope=scope, period=period, organization=org_id),
        "counts": _level_rows(period, counts),
    }


def _act(request, pk, form_class, run, success: str, refused: str):
    """Decide or publish for the organization chosen, then back to the period page; a refusal
    shows the service's reasons (the violations' messages)."""
    scope = scope_for(request)
    period = perms.get_period_for_user(request, pk, write=perms.DECIDE)
    if request.method != "POST":
        return redirect("evaluation:period", pk=period.pk)
    root_id = _root(scope, period)
    root = _in_period(scope, period, root_id)
    groups = _groups(scope, period, root_id)
    form = form_class(request.POST, organizations=_decision_choices(root, groups))
    chosen = None
    if not form.is_valid():
        messages.error(request, _("Cấp quyết định không hợp lệ."))
    else:
        chosen = form.cleaned_data["organization"]
        try:
            count = run(scope, period, form.cleaned_data)
        except ValidationError as error:
            messages.error(request, refused % {"reasons": " ".join(error.messages)})
        else:
            messages.success(request, success % {"count": num(count)})
    return redirect(_period_url(period, chosen if chosen != root_id else None))


@require_http_methods(["GET", "POST"])
def decide(request, pk):
    def run(scope, period, data):
        return len(services.decide(actor=request.user, period=period, organization=data["organization"],
                                   decision_number=data["decision_number"]))

    return _act(request, pk, DecideForm, run, _("Đã quyết định xếp loại %(count)s đối tượng."),
                _("Chưa quyết định được xếp loại: %(reasons)s"))


@require_http_methods(["GET", "POST"])
def publish(request, pk):
    def run(scope, period, data):
        return services.publish(actor=request.user, period=period, organization=data["organization"])

    return _act(request, pk, PublishForm, run, _("Đã công bố kết quả xếp loại của %(count)s đối tượng."),
                _("Chưa công bố được kết quả: %(reasons)s"))


# ---------------------------------------------------------------- subjects added by hand


def _subject_choices(scope, period: Period, root: Placement, group_id: int | None) -> dict:
    """What the forms adding a subject offer, within the scope on the period's reference date:
    the rated party organizations under root (leadership collectives), the communes' party
    organizations (the Front and mass organizations, with those already named and not yet in the
    period), and, for the grassroots organization chosen (group_id), its organizations and the
    members placed in it (leaders). Three queries, four with a group."""
    rows = selectors.organizations_under(scope, period, root.path)
    names = {r[0]: r[1] for r in rows}
    rated = [r for r in rows if r[2] in services.RATED_ORGANIZATION_KINDS and r[0] != period.organization_id]
    communes = [(r[0], r[1]) for r in rows if r[2] in GRASSROOTS_KINDS and r[3] == Sector.COMMUNE]
    existing = selectors.mass_organizations_to_add(period, [c[0] for c in communes])
    several = len(communes) > 1
    group = next((r for r in rows if r[0] == group_id and r[2] in GRASSROOTS_KINDS), None) if group_id else None
    members = []
    if group is not None:
        found = selectors.members_placed(scope, group[4], period.reference_date)
        members = [(m, f"{name} ({names.get(cell, '')})") for m, name, cell in found]
    return {
        "group": group,
        "collective": {"organization": [(r[0], r[1]) for r in rated]},
        "leader": {"organization": [(r[0], r[1]) for r in rated if group is not None and path_under(r[4], group[4])], "member": members},
        "mass": {"organization": communes,
                 "existing": [(pk, f"{name} ({names.get(org, '')})" if several else name) for pk, name, org in existing],
                 "owners": {pk: org for pk, _name, org in existing}},
    }


@require_GET
def subjects(request, pk):
    """The forms adding the subjects beyond members and party organizations (the period page
    loads them into its section "Đối tượng khác"; without htmx, a page of their own)."""
    scope = scope_for(request)
    period = perms.get_period_for_user(request, pk, write=perms.DECIDE)
    root = _in_period(scope, period, _root(scope, period))
    group_id = _int_param(request, "nhom")
    choices = _subject_choices(scope, period, root, group_id)
    context = {
        "period": period,
        "root": root,
        "open": _open(period),
        "group": choices["group"],
        "group_id": group_id if choices["group"] else None,
        "collective_form": CollectiveForm(choices=choices["collective"]),
        "leader_form": LeaderForm(choices=choices["leader"]),
        "mass_form": MassOrganizationForm(choices=choices["mass"]),
    }
    template = "evaluation/_subjects.html" if request.htmx else "evaluation/subjects.html"
    return render(request, template, context)


def _add_subject(request, pk, key: str, form_class, run, success: str):
    """Add one subject through its service, then back to the period page (at the subject's
    grassroots organization); refused input or a refused step: a message, nothing changed."""
    scope = scope_for(request)
    period = perms.get_period_for_user(request, pk, write=perms.DECIDE)
    group_id = _int_param(request, "nhom")
    if request.method != "POST":
        return redirect(_period_url(period, group_id))
    root = _in_period(scope, period, _root(scope, period))
    choices = _subject_choices(scope, period, root, group_id)
    form = form_class(request.POST, choices=choices[key])
    if not form.is_valid():
        messages.error(request, _("Chưa thêm được đối tượng: %(reasons)s") % {"reasons": " ".join(form.error_messages())})
        return redirect(_period_url(period, group_id))
    try:
        rating = run(scope, period, form.cleaned_data)
    except ValidationError as error:
        messages.error(request, _("Chưa thêm được đối tượng: %(reasons)s") % {"reasons": " ".join(error.messages)})
        return redirect(_period_url(period, group_id))
    messages.success(request, success % {"name": rating.subject_name})
    return redirect(_period_url(period, rating.grassroots_id) + "#danh-sach")


@require_http_methods(["GET", "POST"])
def add_collective(request, pk):
    def run(scope, period, data):
        return services.add_collective(actor=request.user, period=period, organization=data["organization"], name=data["name"])

    return _add_subject(request, pk, "collective", CollectiveForm, run, _("Đã thêm %(name)s vào kỳ đánh giá."))


@require_http_methods(["GET", "POST"])
def add_leader(request, pk):
    def run(scope, period, data):
        member = selectors.get_member(scope, data["member"])
        return services.add_leader(actor=request.user, period=period, member=member, organization=data["organization"],
                                   post=data["post"])

    return _add_subject(request, pk, "leader", LeaderForm, run, _("Đã thêm %(name)s (lãnh đạo) vào kỳ đánh giá."))


@require_http_methods(["GET", "POST"])
def add_mass_organization(request, pk):
    def run(scope, period, data):
        if data["existing"] is None:
            return services.add_new_mass_organization(actor=request.user, period=period, organization=data["organization"],
                                                      name=data["name"], kind=data["kind"] or MassOrganization.Kind.OTHER)
        return services.add_mass_organization(actor=request.user, period=period,
                                              mass_organization=selectors.get_mass_organization(scope, data["existing"]))

    return _add_subject(request, pk, "mass", MassOrganizationForm, run, _("Đã thêm %(name)s vào kỳ đánh giá."))


# ---------------------------------------------------------------- fast entry


@dataclass
class Row:
    rating: Rating
    n: int
    levels: list
    editable: bool
    errors: list = field(default_factory=list)
    saved: bool = False
    level: str = ""  # the values shown in the inputs (the proposal, or what was just typed)
    score: str = ""
    self_score: str = ""
    self_short: str = ""  # the self-assessed level's abbreviation (HTTNV), its label in a tooltip


def _short(period: Period, kind: str, code: str) -> str:
    level = next((lv for lv in period.rules.levels_for(kind) if lv.code == code), None) if code else None
    return (level.short or str(level.label)) if level else ""


def _score_text(value) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f").replace(".", ",")


def _row(rating: Rating, n: int, can_assess: bool, **extra) -> Row:
    period = rating.period
    editable = can_assess and _open(period) and rating.state in services.BEFORE_DECISION
    shown = rating.level if rating.state in services.RESULT_STATES else rating.proposed_level
    score = rating.score if rating.state in services.RESULT_STATES else rating.proposed_score
    row = Row(rating, n, level_choices(period, rating.subject_kind, empty=_("—")), editable, level=shown, score=_score_text(score),
              self_score=_score_text(rating.self_score), self_short=_short(period, rating.subject_kind, rating.self_level))
    for key, value in extra.items():
        setattr(row, key, value)
    return row


@require_GET
def entry(request, pk, org):
    scope = scope_for(request)
    period = perms.get_period_for_user(request, pk)
    placement = _in_period(scope, period, org)
    ratings = sorted(selectors.ratings_at(scope, period, org), key=_subject_order)
    for r in ratings:
        r.period = period  # one period object for all the rows (its rule set is read per row)
    can_assess = scope.can(perms.ASSESS)
    rows = [_row(r, n, can_assess) for n, r in enumerate(ratings, start=1)]
    context = {
        "period": period,
        "placement": placement,
        "rows": rows,
        "scored": period.rules.SCORED,
        "levels": [lv for lv in period.rules.levels_for(SubjectKind.MEMBER)],
        "editable": any(r.editable for r in rows),
        "can_export": scope.can(EXPORT),
        "can_import": can_assess and _open(period),
        **_violations_context(scope, period, org),
    }
    return render(request, "evaluation/entry.html", context)


# ---------------------------------------------------------------- one rating


def _rating_page(request, scope, rating: Rating, forms: dict | None = None, status: int = 200):
    period = rating.period
    open_ = _open(period)
    assess = scope.can(perms.ASSESS) and open_
    can_correct = rating.state == S.PUBLISHED and perms.can_decide_rating(scope, rating)
    forms = forms or {}
    users = selectors.step_users(rating)
    corrections = selectors.corrections_of(rating)
    for c in corrections:
        c.old_label, c.new_label = rating.label(c.old_level), rating.label(c.new_level)
    initial = {"level": rating.proposed_level or rating.self_level, "score": _score_text(rating.proposed_score or rating.self_score)}
    context = {
        "rating": rating,
        "period": period,
        "module": period.rules,
        "organization": selectors.placements_on(period, {rating.organization_id}).get(rating.organization_id),
        "corrections": corrections,
        "self_score": _score_text(rating.self_score),
        "proposed_score": _score_text(rating.proposed_score),
        "score": _score_text(rating.score),
        "self_form": forms.get("self") or (SelfAssessForm(rating=rating, initial={"level": rating.self_level, "score": _score_text(rating.self_score),
                                                                                 "note": rating.self_note})
                                           if assess and rating.state in services.BEFORE_COMMENT else None),
        "comment_form": forms.get("comment") or (CommentForm(initial={"text": rating.comments})
                                                 if assess and rating.state in services.BEFORE_PROPOSAL else None),
        "proposal_form": forms.get("proposal") or (ProposalForm(rating=rating, initial=initial)
                                                   if assess and rating.state in services.BEFORE_DECISION else None),
        "correction_form": forms.get("correction") or (CorrectionForm(rating=rating, initial={"level": rating.level}) if can_correct else None),
        "steps": [
            (S.SELF_ASSESSED.label, rating.self_assessed_on, users.get(rating.self_assessed_by_id)),
            (S.COMMENTED.label, rating.commented_on, users.get(rating.commented_by_id)),
            (S.PROPOSED.label, rating.proposed_on, users.get(rating.proposed_by_id)),
            (S.DECIDED.label, rating.decided_on, users.get(rating.decided_by_id)),
            (S.PUBLISHED.label, rating.published_on, users.get(rating.published_by_id)),
        ],
    }
    return render(request, "evaluation/rating.html", context, status=status)


@require_GET
def rating(request, pk):
    scope = scope_for(request)
    return _rating_page(request, scope, perms.get_rating_for_user(request, pk))


def _rating_action(request, pk, perm: str, key: str, make_form, run, success: str):
    scope = scope_for(request)
    rating = perms.get_rating_for_user(request, pk, write=perm)
    if request.method != "POST":
        return redirect("evaluation:rating", pk=rating.pk)
    form = make_form(rating)
    if form.is_valid():
        try:
            run(scope, rating, form)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, success % {"name": rating.subject_name})
            return redirect("evaluation:rating", pk=rating.pk)
    return _rating_page(request, scope, rating, {key: form})


@require_http_methods(["GET", "POST"])
def self_assess(request, pk):
    def run(scope, rating, form):
        level, score = form.level_and_score()
        services.self_assess(actor=request.user, rating=rating, level=level, score=score, note=form.cleaned_data["note"])

    return _rating_action(request, pk, perms.ASSESS, "self", lambda r: SelfAssessForm(request.POST, rating=r), run,
                          _("Đã ghi nhận tự đánh giá của %(name)s."))


@require_http_methods(["GET", "POST"])
def comment(request, pk):
    def run(scope, rating, form):
        services.comment(actor=request.user, rating=rating, text=form.cleaned_data["text"])

    return _rating_action(request, pk, perms.ASSESS, "comment", lambda r: CommentForm(request.POST), run,
                          _("Đã ghi ý kiến của tập thể về %(name)s."))


@require_http_methods(["GET", "POST"])
def correct(request, pk):
    def run(scope, rating, form):
        level, score = form.level_and_score()
        services.correct(actor=request.user, rating=rating, level=level, score=score, reason=form.cleaned_data["reason"],
                         decision_number=form.cleaned_data["decision_number"])

    return _rating_action(request, pk, perms.DECIDE, "correction", lambda r: CorrectionForm(request.POST, rating=r), run,
                          _("Đã điều chỉnh kết quả xếp loại của %(name)s."))


@require_http_methods(["GET", "POST"])
def propose(request, pk):
    """The proposal for one subject: a row of the fast-entry page under htmx (the row's cells come
    back re-rendered, and HX-Trigger reloads the violations panel), the rating page's form otherwise."""
    scope = scope_for(request)
    rating = perms.get_rating_for_user(request, pk, write=perms.ASSESS)
    if request.method != "POST":
        return redirect("evaluation:rating", pk=rating.pk)
    form = ProposalForm(request.POST, rating=rating)
    saved = False
    if form.is_valid():
        level, score = form.level_and_score()
        try:
            rating = services.propose_rating(actor=request.user, rating=rating, level=level, score=score)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            saved = True
    if request.htmx:
        n = _int_param(request, "n") or 0
        if saved:
            row = _row(rating, n, True, saved=True)
        else:
            errors = [e for errors in form.errors.values() for e in errors]
            row = _row(rating, n, True, errors=errors, level=request.POST.get("level", ""), score=request.POST.get("score", ""))
        response = render(request, "evaluation/_row.html#cells", {"row": row, "scored": rating.period.rules.SCORED, "period": rating.period})
        if saved:
            trigger_client_event(response, SAVED_EVENT)
        return response
    if saved:
        messages.success(request, _("Đã ghi mức đề xuất cho %(name)s.") % {"name": rating.subject_name})
        return redirect("evaluation:rating", pk=rating.pk)
    return _rating_page(request, scope, rating, {"proposal": form})


# ---------------------------------------------------------------- Excel


@require_GET
def export(request, pk):
    """The period's results as committees publish them (.xlsx, A4), for the user's organization or
    one under it (?to_chuc=); logged."""
    scope = scope_for(request)
    scope.require(EXPORT)
    period = perms.get_period_for_user(request, pk)
    org_id = _int_param(request, "to_chuc") or _root(scope, period)
    _in_period(scope, period, org_id)
    try:
        response, count = downloads.attachment(lambda: exports.results_workbook(scope, period, org_id, issued=timezone.localdate()),
                                               filename=exports.filename(period, org_id), content_type=XLSX)
    except downloads.ExportFailed as error:
        return downloads.failed(request, error)
    log_export(user=request.user, kind="evaluation.results", file_format="xlsx", rows=count, organization_id=org_id,
               parameters={"period": period.pk, "to_chuc": org_id})
    return response


@require_http_methods(["GET", "POST"])
def import_ratings(request, pk):
    """Proposals for many members from an Excel file: every row checked first; nothing written
    unless the whole file is valid."""
    scope = scope_for(request)
    period = perms.get_period_for_user(request, pk, write=perms.ASSESS)
    org_id = _int_param(request, "to_chuc") or _root(scope, period)
    placement = _in_period(scope, period, org_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = imports.import_proposals(actor=request.user, scope=scope, period=period, organization=org_id,
                                              content=upload.read(), filename=upload.name)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            if report.ok:
                messages.success(request, _("Đã ghi mức đề xuất cho %(count)s đảng viên từ tệp %(file)s.") % {
                    "count": num(report.written), "file": upload.name})
                target = reverse("evaluation:entry", args=[period.pk, org_id]) if report.single_cell == org_id else _period_url(period)
                return redirect(target)
    context = {"period": period, "placement": placement, "form": form, "report": report, "scored": period.rules.SCORED,
               "levels": period.rules.levels_for(SubjectKind.MEMBER), "today": fmt(timezone.localdate())}
    return render(request, "evaluation/import.html", context)



# ---------------------------------------------------------------- issue #18: settings, groups, remedies


@dataclass(frozen=True)
class SettingRow:
    """A setting of the rule set as the period holds it, with its source and confidence."""

    key: str
    label: str
    value: str
    source: str
    unconfirmed: bool


def _rule_settings(period: Period) -> list[SettingRow]:
    """The period's settings of its rule set beside their source (evaluation-answers.md)."""
    found = rules.settings_of(period.rules)
    if period.cap_percent is None:
        cap = _("Không áp dụng")
    else:
        cap = _("%(percent)s%% số được xếp loại “Hoàn thành tốt nhiệm vụ”") % {"percent": _number(period.cap_percent)}
    values = {
        "cap_percent": (_("Tỷ lệ khống chế “Hoàn thành xuất sắc nhiệm vụ”"), cap),
        "cap_allowance": (_("Nâng tỷ lệ cho đơn vị có thành tích xuất sắc, nổi trội"),
                          _("Tối đa %(percent)s%%, theo quyết định của cấp có thẩm quyền cho từng nhóm") % {
                              "percent": _number(found["cap_allowance"].default) if "cap_allowance" in found else ""}),
        "cap_base": (_("Cơ sở tính tỷ lệ"), period.get_cap_base_display()),
        "cap_rounding": (_("Làm tròn"), period.get_cap_rounding_display()),
        "cap_groups": (_("Nhóm tính tỷ lệ"), _("Nhóm tương đồng do cấp có thẩm quyền xác định, ngoài đó là nhóm mặc định")),
        "leader_not_above_collective": (_("Người đứng đầu không cao hơn tập thể"),
                                        _("Áp dụng") if period.leader_not_above_collective else _("Không áp dụng")),
    }
    return [SettingRow(key, str(values[key][0]), str(values[key][1]), str(setting.source), setting.confidence == UNCONFIRMED)
            for key, setting in found.items() if key in values]


def _number(value) -> str:
    return format(Decimal(value).normalize(), "f").replace(".", ",")


@require_GET
def groups(request, pk):
    """The groups of comparable subjects of the period, their caps and allowances, and the rule
    set's settings (366-QĐ/TW Điều 11 khoản 1.5; evaluation-answers.md §1)."""
    scope = scope_for(request)
    period = perms.get_period_for_user(request, pk)
    root = _in_period(scope, period, _root(scope, period))
    can_change = scope.can(perms.DECIDE) and _open(period)
    organizations = selectors.organization_choices(scope, period, root.path) if can_change else []
    found = list(selectors.cap_groups(scope, period, root.organization_id))
    allowance = "cap_allowance" in rules.settings_of(period.rules)
    context = {
        "period": period,
        "module": period.rules,
        "root": root,
        "groups": found,
        "rule_settings": _rule_settings(period),
        "can_change": can_change,
        "allowance": allowance,
        "settings_form": RuleSettingsForm(initial={"cap_base": period.cap_base, "cap_rounding": period.cap_rounding,
                                                    "leader_not_above_collective": period.leader_not_above_collective})
        if can_change and scope.contains(period.organization_id) else None,
        "group_form": CapGroupForm(organizations=organizations, initial={"organization": root.organization_id}) if can_change else None,
    }
    # one form per group, each with its own ids (labels point at their own fields)
    for g in found:
        g.assign_form = (AssignGroupForm(organizations=organizations, auto_id=f"assign{g.pk}_%s", initial={"organization": g.organization_id})
                         if can_change else None)
        g.raise_form = RaiseCapForm(auto_id=f"raise{g.pk}_%s") if can_change and allowance else None
    return render(request, "evaluation/groups.html", context)


def _groups_url(period: Period) -> str:
    return reverse("evaluation:groups", args=[period.pk])


def _refused(request, form=None, error=None) -> None:
    reasons = error.messages if error is not None else [e for errors in form.errors.values() for e in errors]
    messages.error(request, _("Chưa lưu được: %(reasons)s") % {"reasons": " ".join(reasons)})


def _group_change(request, period: Period, form, run):
    """The groups page's forms (the period's settings, a new group, an assignment, a raised cap):
    each posts back to the page, its refusal or its success told as a message. run(cleaned data)
    calls the service and returns the success message."""
    if request.method == "POST":
        if not form.is_valid():
            _refused(request, form)
        else:
            try:
                done = run(form.cleaned_data)
            except ValidationError as error:
                _refused(request, form, error)
            else:
                messages.success(request, done)
    return redirect(_groups_url(period))


def _group_choices(request, period: Period) -> list[tuple[int, str]]:
    scope = scope_for(request)
    root = _in_period(scope, period, _root(scope, period))
    return selectors.organization_choices(scope, period, root.path)


@require_http_methods(["GET", "POST"])
def rule_settings(request, pk):
    period = perms.get_period_for_user(request, pk, write=perms.DECIDE)
    perms.check(scope_for(request), period.organization_id, perms.DECIDE)  # the period's own level sets them

    def run(data):
        services.set_rule_settings(actor=request.user, period=period, **data)
        return _("Đã lưu cấu hình quy định của kỳ đánh giá.")

    return _group_change(request, period, RuleSettingsForm(request.POST or None), run)


@require_http_methods(["GET", "POST"])
def create_group(request, pk):
    period = perms.get_period_for_user(request, pk, write=perms.DECIDE)

    def run(data):
        group = services.create_cap_group(actor=request.user, period=period, **data)
        return _("Đã tạo nhóm “%(name)s”.") % {"name": group.name}

    form = CapGroupForm(request.POST, organizations=_group_choices(request, period)) if request.method == "POST" else None
    return _group_change(request, period, form, run)


@require_http_methods(["GET", "POST"])
def assign_group(request, pk):
    group = perms.get_cap_group_for_user(request, pk, write=perms.DECIDE)

    def run(data):
        count = services.assign_to_cap_group(actor=request.user, group=group, **data)
        return _("Đã đưa %(count)s đối tượng vào nhóm “%(name)s”.") % {"count": num(count), "name": group.name}

    form = AssignGroupForm(request.POST, organizations=_group_choices(request, group.period)) if request.method == "POST" else None
    return _group_change(request, group.period, form, run)


@require_http_methods(["GET", "POST"])
def raise_cap(request, pk):
    group = perms.get_cap_group_for_user(request, pk, write=perms.DECIDE)

    def run(data):
        services.raise_cap(actor=request.user, group=group, **data)
        return _("Đã ghi quyết định nâng tỷ lệ của nhóm “%(name)s”.") % {"name": group.name}

    return _group_change(request, group.period, RaiseCapForm(request.POST or None), run)


@require_http_methods(["GET", "POST"])
def remedy(request, pk):
    """A rated member's disciplines in the period and the competent level's finding that one was
    found and remedied by the member (124-QĐ/TW Điều 12 khoản 4.3.d; 366-QĐ/TW Điều 11 khoản 4.2)."""
    scope = scope_for(request)
    rating = perms.get_rating_for_user(request, pk)
    period = rating.period
    disciplines = selectors.disciplines_in_period(rating)
    choices = [(d.pk, f"{d.get_discipline_form_display()} · {fmt(d.effective_date)}") for d in disciplines if d.remedy is None]
    can_flag = (bool(choices) and getattr(period.rules, "REMEDIES", False) and _open(period)
                and perms.can_decide_rating(scope, rating) and rating.state not in services.RESULT_STATES)
    form = RemedyForm(request.POST or None, disciplines=choices) if can_flag else None
    if request.method == "POST":
        perms.check(scope, rating.competent_id or rating.organization_id, perms.DECIDE)
        if form is None:
            messages.error(request, _("Không thể ghi nhận vi phạm tự phát hiện, khắc phục cho đối tượng này."))
            return redirect("evaluation:remedy", pk=rating.pk)
        if form.is_valid():
            event = next(d for d in disciplines if d.pk == form.cleaned_data["discipline"])
            try:
                services.flag_remedied_breach(actor=request.user, rating=rating, discipline=event,
                                              evidence=form.cleaned_data["evidence"], decision_number=form.cleaned_data["decision_number"])
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("Đã ghi nhận vi phạm tự phát hiện, khắc phục của %(name)s.") % {"name": rating.subject_name})
                return redirect("evaluation:remedy", pk=rating.pk)
    unit = rating.subject_kind in services.UNIT_KINDS
    can_mark = (unit and _open(period) and perms.can_decide_rating(scope, rating)
                and rating.state not in services.RESULT_STATES)
    context = {"rating": rating, "period": period, "module": period.rules, "disciplines": disciplines, "form": form,
               "remedies": getattr(period.rules, "REMEDIES", False), "unit": unit,
               "unit_disciplined": rating.conditions.get("disciplined") is True,
               "unit_form": UnitDisciplineForm(initial={"disciplined": rating.conditions.get("disciplined") is True}) if can_mark else None}
    return render(request, "evaluation/remedy.html", context)


@require_http_methods(["GET", "POST"])
def unit_discipline(request, pk):
    """Record whether a party organization or leadership collective was itself disciplined in the
    period (services.record_unit_discipline), from the page of its discipline."""
    scope = scope_for(request)
    rating = perms.get_rating_for_user(request, pk)
    if request.method != "POST":
        return redirect("evaluation:remedy", pk=rating.pk)
    perms.check(scope, rating.competent_id or rating.organization_id, perms.DECIDE)
    form = UnitDisciplineForm(request.POST)
    form.is_valid()  # a checkbox: always valid
    try:
        services.record_unit_discipline(actor=request.user, rating=rating, disciplined=form.cleaned_data["disciplined"])
    except ValidationError as error:
        _refused(request, error=error)
    else:
        messages.success(request, _("Đã lưu thông tin kỷ luật của %(name)s.") % {"name": rating.subject_name})
    return redirect("evaluation:remedy", pk=rating.pk)
