"""The read side of membership: lists, a member's timeline, the worklists. Every function takes
the user's Scope (or rows already fetched through it).

"Members of X's subtree on D" is the MemberPeriod rows in force on D whose organization has a
placement in force on D under X's path (and in the scope): one query with a subquery on the
placements' (path, valid_from) index, whatever the size of the subtree. Organization names are
read from the placement in force on D through a correlated subquery in the same query.
"""

import datetime as dt
from dataclasses import dataclass, replace

from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, StrIndex, Substr
from django.utils import timezone

from coso.lib.text import fold
from coso.lib.workdays import add_working_days
from coso.organizations.models import Placement
from coso.organizations.scope import Scope
from coso.people.choices import KINH, NO_RELIGION
from coso.people.selectors import age_band_q, name_q, years_before

from . import lifecycle, search
from .models import ACTIVE, Candidate, EventType, MemberEvent, MemberPeriod, Status
from .services import MEMBER_ORG_KINDS

PAGE_SIZE = 50
# a transfer letter must be presented within 30 working days (294-QĐ/TW 6.3.1, reference §2.8)
TRANSFER_DEADLINE_WORKING_DAYS = 30
# the chi bộ considers recognition within 30 working days after the probation ends (§2.5)
RECOGNITION_DEADLINE_WORKING_DAYS = 30


def subtree_ids(scope: Scope, path: str, on: dt.date):
    """Subquery: ids of the organizations in force on the date under path, within the scope."""
    return Placement.objects.under(path, on=on).visible_to(scope).values("organization_id")


def name_on(on: dt.date, field: str = "organization_id"):
    """Correlated subquery: the name of the organization in `field` on the date."""
    return Subquery(Placement.objects.on(on).filter(organization_id=OuterRef(field)).values("name")[:1])


def children_on(scope: Scope, organization_id: int, on: dt.date) -> list[Placement]:
    return list(
        Placement.objects.on(on).filter(parent_id=organization_id).visible_to(scope)
        .only("organization_id", "name", "name_folded", "path").order_by("name_order", "organization_id")
    )


def cells(scope: Scope, query: str, on: dt.date, limit: int = 30) -> list[Placement]:
    """Cells (where members are placed) in force on the date and in the scope, by name."""
    qs = Placement.objects.on(on).visible_to(scope).filter(kind__in=MEMBER_ORG_KINDS)
    if needle := fold(query):
        qs = qs.filter(name_folded__contains=needle)
    return list(qs.order_by("name_order", "organization_id")[:limit])


# ---------------------------------------------------------------- the member list


@dataclass
class MemberFilters:
    """What the list is narrowed to; empty values do not filter."""

    query: str = ""
    status: str = ""
    exempted: bool | None = None
    in_transit: bool | None = None
    gender: str = ""
    ethnicity: str = ""  # "kinh", "minority" or a group's code
    religion: str = ""  # "none", "any" or a religion's code
    age_band: str = ""
    education: str = ""
    theory_level: str = ""
    qualification: str = ""


def members_on(scope: Scope, path: str, on: dt.date):
    """MemberPeriod rows in force on the date under path: who belonged to the subtree that day."""
    return MemberPeriod.objects.on(on).filter(organization_id__in=subtree_ids(scope, path, on))


def _filter_query(qs, query: str):
    """The list narrowed to a typed name or card number, on any date and with any filter: the
    search's match (search.matches: the name starts with the typed text, or the given name with
    the last word and the middle names with the others), or the name containing the typed text
    anywhere, or (digits typed) the card number starting with them.

    "contains" stays beside the search's rule here, though today's list (search.Search) does
    without it: the members tests expect a middle word to find a name whose last word is not the
    given name ("them" for "Đỗ Văn Thêm 0") on another date. Dropping it is one line here; either
    way this query reads the subtree's periods on the date first (about 430 ms for a province at
    national scale), so only today's list is fast.
    """
    words = search.words_of(query)
    if not words:
        return qs
    name_folded, name_sort = "member__person__name_folded", "member__person__name_sort"
    given = Q(**{f"{name_sort}__startswith": words[-1]})
    if len(words) > 1:
        # the middle names: what follows the given name (name_sort's first word) in name_sort
        qs = qs.alias(_space=StrIndex(name_sort, Value(" ")), _rest=Substr(name_sort, StrIndex(name_sort, Value(" ")) + 1))
        given &= Q(_space__gt=0, _rest__startswith=" ".join(words[:-1]))
    q = Q(**{f"{name_folded}__contains": " ".join(words)}) | given
    if any(c.isdigit() for c in query):
        q |= Q(member__card_number__startswith=query.replace(" ", ""))
    return qs.filter(q)


def filter_members(qs, f: MemberFilters, on: dt.date):
    person = "member__person__"
    qs = _filter_query(qs, f.query)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.exempted is not None:
        qs = qs.filter(exempted=f.exempted)
    if f.in_transit is not None:
        qs = qs.filter(in_transit=f.in_transit)
    if f.gender:
        qs = qs.filter(**{f"{person}gender": f.gender})
    if f.ethnicity == "kinh":
        qs = qs.filter(**{f"{person}ethnicity": KINH})
    elif f.ethnicity == "minority":
        qs = qs.exclude(**{f"{person}ethnicity__in": [KINH, ""]})  # unknown is not minority
    elif f.ethnicity:
        qs = qs.filter(**{f"{person}ethnicity": f.ethnicity})
    if f.religion == "none":
        qs = qs.filter(**{f"{person}religion": NO_RELIGION})
    elif f.religion == "any":
        qs = qs.exclude(**{f"{person}religion__in": [NO_RELIGION, ""]})  # unknown is not a religion
    elif f.religion:
        qs = qs.filter(**{f"{person}religion": f.religion})
    if f.age_band:
        qs = qs.filter(age_band_q(f.age_band, on, f"{person}birth_date"))
    if f.education:
        qs = qs.filter(**{f"{person}education": f.education})
    if f.theory_level:
        qs = qs.filter(**{f"{person}theory_level": f.theory_level})
    if f.qualification:
        qs = qs.filter(**{f"{person}qualification": f.qualification})
    return qs


def member_rows(scope: Scope, path: str, on: dt.date, filters: MemberFilters):
    """The list's rows: periods with their member and person, the cell's name on the date,
    in the Vietnamese order (given name, middle names, family name; then the person).

    Today's list with a name or card number typed (and at most a status filter) runs the search's
    statements (search.py: index ranges stopping at the page's last row, a few milliseconds at
    national scale, docs/benchmarks.md); any other date or filter narrows the periods of the
    subtree on that date."""
    if (rows := _searched_rows(scope, path, on, filters)) is not None:
        return rows
    qs = filter_members(members_on(scope, path, on), filters, on)
    return (
        qs.select_related("member__person")
        .annotate(cell_name=name_on(on))
        .order_by("member__person__name_order", "member__person_id")
    )


def _searched_rows(scope: Scope, path: str, on: dt.date, filters: MemberFilters):
    if not search.words_of(filters.query) or on != timezone.localdate():
        return None
    if replace(filters, query="", status="") != MemberFilters() or (filters.status and filters.status not in ACTIVE):
        return None
    # the search is bounded by the path alone: it must lie under one of the user's scope paths (the
    # view chose it there; otherwise the periods' query, which applies those paths as well)
    if not scope.is_global and not any(path.startswith(root) for root in scope.root_paths):
        return None
    return SearchRows(search.Search(filters.query, scope_path=path, statuses=(filters.status,) if filters.status else ACTIVE), on)


class SearchRows:
    """The list's rows from a search, for the paginator: count(), and slices. A slice runs the
    search up to its last row, then reads the members' periods in force (with person and cell
    name) in one query; a member whose current values are dated later than today has none
    and is left out of the page."""

    def __init__(self, found: search.Search, on: dt.date):
        self.search, self.on = found, on

    def count(self) -> int:
        return self.search.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index:index + 1][0]
        start, stop = index.start or 0, index.stop
        self.search.limit = stop if stop is not None else self.count()
        ids = [r[1] for r in self.search.run()[start:stop]]
        periods = MemberPeriod.objects.on(self.on).filter(member_id__in=ids).select_related("member__person").annotate(cell_name=name_on(self.on))
        by_member = {p.member_id: p for p in periods}
        return [by_member[i] for i in ids if i in by_member]


# ---------------------------------------------------------------- one member


@dataclass
class Timeline:
    events: list
    state: lifecycle.State  # on the page's date
    names: dict  # organization id -> name on the relevant day (see organization_names)
    latest: lifecycle.State | None = None  # after the last event recorded, future ones included


def placements_at(pairs) -> dict:
    """{(organization_id, day): placement}: each organization's placement as it stood that day (or
    its nearest one), from one query over the placements of the organizations involved."""
    ids = {org for org, _ in pairs if org}
    by_org: dict[int, list[Placement]] = {}
    for p in (Placement.objects.filter(organization_id__in=ids).only("organization_id", "parent_id", "name", "valid_from", "valid_to")
              .order_by("valid_from")):
        by_org.setdefault(p.organization_id, []).append(p)
    found = {}
    for org, day in pairs:
        placements = by_org.get(org)
        if not placements:
            continue
        chosen = placements[0]
        for p in placements:
            if p.valid_from <= day:
                chosen = p
        found[(org, day)] = chosen
    return found


def organization_names(pairs) -> dict:
    """{(organization_id, day): name}: each organization's name as it stood that day (or its
    nearest placement), from one query over the placements of the organizations involved."""
    return {key: p.name for key, p in placements_at(pairs).items()}


def timeline(member, on: dt.date, until: dt.date | None = None) -> Timeline:
    """The member's events in order, their state on the date `on` (the events effective by then;
    a later one, recorded ahead, is marked `later` and does not count yet: decision 0008), the
    state after the last one (`latest`, what the next event is checked against), and the names of
    the organizations they mention: two queries, a third when a move joins two organizations of
    the same name (then each is told apart by its superior: `organization_parent`, `target_parent`).
    until: only the events up to that day (a member who left the user's scope then: decision 0007)."""
    events = MemberEvent.objects.filter(member=member).order_by("effective_date", "sequence", "id")
    if until is not None:
        events = events.filter(effective_date__lte=until)
    events = list(events)
    state = latest = lifecycle.State()
    for e in events:
        # where the member stood when the event happened (a transfer letter names only its target)
        e.from_id = e.organization_id or latest.organization_id
        e.later = e.effective_date > on
        try:
            latest = lifecycle.apply(latest, e)
        except lifecycle.LifecycleError:
            pass  # a stored history the rules refuse is a data-quality problem: show it as it is
        if not e.later:
            state = latest
    pairs = {(e.from_id, e.effective_date) for e in events} | {(e.target_id, e.effective_date) for e in events}
    pairs |= {(state.organization_id, on), (state.transit_to, on), (state.host_id, on), (member.organization_id, on)}
    placements = placements_at(pairs)
    names = {key: p.name for key, p in placements.items()}
    ambiguous = []
    for e in events:
        e.organization_name = names.get((e.from_id, e.effective_date), "")
        e.target_name = names.get((e.target_id, e.effective_date), "")
        e.organization_parent = e.target_parent = ""
        if e.target_id and e.from_id != e.target_id and e.organization_name and e.organization_name == e.target_name:
            ambiguous.append(e)
    if ambiguous:
        def parent_of(org, day):
            p = placements.get((org, day))
            return (p.parent_id, day) if p is not None and p.parent_id else None

        wanted = {pair for e in ambiguous for pair in (parent_of(e.from_id, e.effective_date), parent_of(e.target_id, e.effective_date)) if pair}
        parents = organization_names(wanted)
        for e in ambiguous:
            e.organization_parent = parents.get(parent_of(e.from_id, e.effective_date), "")
            e.target_parent = parents.get(parent_of(e.target_id, e.effective_date), "")
    return Timeline(events=events, state=state, names=names, latest=latest)


# ---------------------------------------------------------------- candidates


def candidate_rows(scope: Scope, path: str, on: dt.date, state: str = "", query: str = ""):
    """The candidates of the subtree in their state on the date (Candidate.state_on_q, the
    measure engine's definition), each with `state_on` for the page."""
    qs = Candidate.objects.filter(Candidate.state_on_q(state, on), organization_id__in=subtree_ids(scope, path, on))
    if q := name_q(query, "person__name_folded"):
        qs = qs.filter(q)
    return (qs.select_related("person").annotate(cell_name=name_on(on), state_on=Candidate.state_on(on))
            .order_by("person__name_order", "id"))


# ---------------------------------------------------------------- worklists


def probation_cutoff(limit: dt.date) -> dt.date:
    """The latest admission date whose 12 months of probation end on or before limit.

    Inverse of lifecycle.add_months(admitted_on, 12), which clamps 29/02 to 28/02: when limit
    is the last day of its month, every admission on the same month's later days counts too.
    """
    cutoff = lifecycle.add_months(limit, -lifecycle.PROBATION_MONTHS)
    if (limit + dt.timedelta(days=1)).month != limit.month:
        cutoff = (lifecycle.add_months(cutoff.replace(day=1), 1)) - dt.timedelta(days=1)
    return cutoff


def probation_due(scope: Scope, path: str, on: dt.date, days: int):
    """Probationary members on the date whose probation ends within `days` days or has ended
    without recognition: soonest (most overdue) first."""
    cutoff = probation_cutoff(on + dt.timedelta(days=days))
    return (
        members_on(scope, path, on)
        .filter(status=Status.PROBATIONARY, member__admitted_on__lte=cutoff)
        .select_related("member__person")
        .annotate(cell_name=name_on(on))
        .order_by("member__admitted_on", "member__person__name_order", "member_id")
    )


def with_probation_deadlines(rows, on: dt.date) -> list:
    rows = list(rows)
    for row in rows:
        row.probation_ends = lifecycle.add_months(row.member.admitted_on, lifecycle.PROBATION_MONTHS)
        row.days_left = (row.probation_ends - on).days
        row.consider_by = add_working_days(row.probation_ends, RECOGNITION_DEADLINE_WORKING_DAYS)
        row.late = on > row.consider_by
    return rows


def _latest_transfer(on: dt.date):
    return Subquery(
        MemberEvent.objects.filter(member=OuterRef("member_id"), type=EventType.TRANSFER_OUT, effective_date__lte=on)
        .order_by("-effective_date", "-sequence", "-id")
        .values("id")[:1]
    )


def transfers_in_transit(scope: Scope, path: str, on: dt.date, side: str) -> list:
    """Members in transit on the date, with the letter that put them there.

    side "sending": their organization is in the subtree; side "receiving": the letter's target
    is. Two queries: the periods (with the letter's id), then the letters.
    """
    qs = MemberPeriod.objects.on(on).filter(in_transit=True).annotate(letter_id=_latest_transfer(on))
    orgs = subtree_ids(scope, path, on)
    if side == "sending":
        qs = qs.filter(organization_id__in=orgs)
    else:
        target = Subquery(MemberEvent.objects.filter(pk=OuterRef("letter_id")).values("target_id")[:1])
        qs = qs.annotate(letter_target=target).filter(letter_target__in=orgs)
    rows = list(qs.select_related("member__person").annotate(cell_name=name_on(on)).order_by("member__person__name_order", "member_id"))
    letters = MemberEvent.objects.annotate(target_name=name_on(on, "target_id")).in_bulk([r.letter_id for r in rows if r.letter_id])
    for row in rows:
        row.letter = letters.get(row.letter_id)
        letter_day = (row.letter.decision_date or row.letter.effective_date) if row.letter else row.valid_from
        row.letter_day = letter_day
        row.deadline = add_working_days(letter_day, TRANSFER_DEADLINE_WORKING_DAYS)
        row.overdue = on > row.deadline
    return rows


@dataclass
class BadgeDue:
    period: MemberPeriod
    years: int
    reached_on: dt.date
    party_months: int

    @property
    def age(self) -> tuple[int, int]:
        """(years, months) of party age."""
        return divmod(self.party_months, 12)


def badges_due(scope: Scope, path: str, on: dt.date) -> list[BadgeDue]:
    """Members on the date whose party age has reached a badge milestone by then without that
    badge (nor a higher one), for the award ceremonies.

    SQL keeps only the members admitted at least 30 years before the date (gaps only delay a
    milestone); their events are then replayed in Python for the party age minus the gaps and
    the badges already given: two queries.
    """
    earliest = years_before(on, lifecycle.BADGE_MILESTONES[0])
    rows = list(
        members_on(scope, path, on)
        .annotate(party_start=Coalesce(F("member__admission_decision_date"), F("member__admitted_on")))
        .filter(party_start__lte=earliest)
        .select_related("member__person")
        .annotate(cell_name=name_on(on))
        .order_by("member__person__name_order", "member_id")
    )
    events: dict[int, list] = {}
    for e in MemberEvent.objects.filter(member_id__in=[r.member_id for r in rows]).order_by("member_id", "effective_date", "sequence", "id"):
        events.setdefault(e.member_id, []).append(e)
    due = []
    for row in rows:
        member_events = [e for e in events.get(row.member_id, []) if e.effective_date <= on]
        try:
            state = lifecycle.replay(member_events).state
        except lifecycle.LifecycleError:
            continue  # a record the rules refuse is a data-quality problem, listed there
        months = state.party_months(on)
        reached = [m for m in lifecycle.BADGE_MILESTONES if months >= m * 12]
        if not reached:
            continue
        years = max(reached)
        if any(b >= years for b in state.badges):
            continue
        due.append(BadgeDue(period=row, years=years, reached_on=_reached_on(state, years, on), party_months=months))
    # grouped by milestone for the ceremony, highest first, names in order within each
    due.sort(key=lambda d: -d.years)
    return due


def _reached_on(state: lifecycle.State, years: int, on: dt.date) -> dt.date:
    """The day the party age reached `years` (the gaps push it later), at most the date."""
    start = state.first_decision_date or state.admitted_on
    day = lifecycle.add_months(start, years * 12)
    for gap_start, gap_end in state.gaps:
        if gap_start < day:
            day = lifecycle.add_months(day, lifecycle.months_between(gap_start, gap_end))
    return min(day, on)
