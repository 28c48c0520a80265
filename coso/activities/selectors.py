"""The read side of cell meetings: the roster of a meeting, its attendance and quality flags, the
calendar of what is due, the cells that missed a month, the removal (xóa tên) list.

The roster of a cell on a date is the member periods in force that day placed in the cell and not
hosted elsewhere, plus the temporary members it hosts (a member sinh hoạt tạm thời attends the
host cell's meetings; they stay in their home cell's headcount, which is the measures' business).
Members in transit are still the sending cell's. One query, on the periods' (organization,
valid_from) index and the host column.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from coso.lib.dated import overlaps_q
from coso.lib.text import sort_key
from coso.members.models import MemberPeriod
from coso.members.services import MEMBER_ORG_KINDS
from coso.organizations.models import Placement

from . import dues, rules
from .models import Absence, DuesPayment, DuesProfile, Mark, Meeting, MeetingKind, Task


def roster_q(organization_id: int) -> Q:
    return Q(organization_id=organization_id, host__isnull=True) | Q(host_id=organization_id)


@dataclass
class RosterRow:
    member_id: int
    name: str
    exempted: bool
    temporary: bool  # hosted here from another cell
    status: str
    mark: str = Mark.PRESENT
    reason: str = ""


def roster(organization_id: int, on: dt.date) -> list[RosterRow]:
    """The members of the cell on the date, in name order (one query)."""
    rows = (MemberPeriod.objects.on(on).filter(roster_q(organization_id))
            .values_list("member_id", "member__person__full_name", "exempted", "host_id", "status")
            .order_by("member__person__name_order", "member_id"))
    return [RosterRow(member_id, name, exempted, host_id == organization_id, status)
            for member_id, name, exempted, host_id, status in rows]


def attendance(meeting: Meeting) -> list[RosterRow]:
    """Every member of the cell on the meeting's date with their mark: exempted from the
    lifecycle, the stored marks, present otherwise (two queries)."""
    rows = roster(meeting.organization_id, meeting.held_on)
    stored = {a.member_id: a for a in Absence.objects.filter(meeting=meeting)}
    for row in rows:
        if row.exempted:
            row.mark = Mark.EXEMPTED
        elif (a := stored.get(row.member_id)) is not None:
            row.mark, row.reason = a.mark, a.reason
    return rows


def counts_of(rows: list[RosterRow]) -> rules.Counts:
    n = defaultdict(int)
    for row in rows:
        n[row.mark] += 1
    return rules.Counts(roster=len(rows), present=n[Mark.PRESENT], excused=n[Mark.EXCUSED], unexcused=n[Mark.UNEXCUSED],
                        exempted=n[Mark.EXEMPTED], on_duty=n[Mark.ON_DUTY])


def stored_counts(meeting: Meeting) -> rules.Counts:
    return rules.Counts(roster=meeting.roster_count, present=meeting.present_count, excused=meeting.excused_count,
                        unexcused=meeting.unexcused_count, exempted=meeting.exempted_count, on_duty=meeting.on_duty_count)


def excused_runs(meeting: Meeting) -> dict[int, int]:
    """{member: consecutive excused absences ending at this meeting} for the members excused at
    it, over the cell's meetings of the year up to it (two queries)."""
    earlier = list(Meeting.objects.filter(organization_id=meeting.organization_id, held_on__year=meeting.held_on.year)
                   .filter(Q(held_on__lt=meeting.held_on) | Q(held_on=meeting.held_on, id__lte=meeting.id))
                   .order_by("held_on", "id").values_list("id", flat=True))
    excused = defaultdict(set)
    for meeting_id, member_id in Absence.objects.filter(meeting_id__in=earlier, mark=Mark.EXCUSED).values_list("meeting_id", "member_id"):
        excused[member_id].add(meeting_id)
    runs = {}
    for member_id, meetings in excused.items():
        if meeting.id in meetings:
            runs[member_id] = rules.trailing_run([Mark.EXCUSED if m in meetings else Mark.PRESENT for m in earlier], Mark.EXCUSED)
    return runs


@dataclass
class Quality:
    counts: rules.Counts
    flags: rules.Flags
    rules: rules.MeetingRules
    runs: dict
    duration: int | None
    minimum: int | None

    @property
    def rate(self):
        return self.counts.rate()

    @property
    def too_short(self) -> bool:
        return self.minimum is not None and self.duration is not None and self.duration < self.minimum


def quality(meeting: Meeting) -> Quality:
    r = rules.rules_on(meeting.held_on)
    counts = stored_counts(meeting)
    runs = excused_runs(meeting)
    return Quality(counts, rules.flags(r, counts, max(runs.values(), default=0)), r, runs, meeting.duration,
                   rules.minimum_minutes(r, meeting.combined))


# ---------------------------------------------------------------- the calendar


@dataclass
class CellCalendar:
    organization_id: int
    name: str
    months: list = field(default_factory=list)
    quarters: list = field(default_factory=list)

    @property
    def missed_months(self) -> list:
        return [m for m in self.months if m.missed]

    @property
    def missed_quarters(self) -> list:
        return [q for q in self.quarters if q.missed]

    @property
    def short_months(self) -> list:
        return [m for m in self.months if m.short]


def _is_short(held_on, starts_at, ends_at, combined) -> bool:
    minimum = rules.minimum_minutes(rules.rules_on(held_on), combined)
    duration = rules.minutes_between(starts_at, ends_at)
    return minimum is not None and duration is not None and duration < minimum


def calendars(cells: list[tuple[int, str, dt.date | None, dt.date | None]], year: int, on: dt.date) -> list[CellCalendar]:
    """The due calendar of each cell (id, name, first day, end) for the year as of `on`: one query
    for the meetings of every cell."""
    ids = [c[0] for c in cells]
    regular, thematic, short = defaultdict(dict), defaultdict(dict), defaultdict(set)
    meetings = (Meeting.objects.filter(organization_id__in=ids, counts_for__year=year, held_on__lte=on,
                                       kind__in=[MeetingKind.REGULAR, MeetingKind.THEMATIC])
                .values_list("organization_id", "kind", "counts_for", "held_on", "starts_at", "ends_at", "combined"))
    for org_id, kind, month, held_on, starts_at, ends_at, combined in meetings:
        target = regular if kind == MeetingKind.REGULAR else thematic
        target[org_id][month] = target[org_id].get(month, 0) + 1
        if kind == MeetingKind.REGULAR and _is_short(held_on, starts_at, ends_at, combined):
            short[org_id].add(month)
    out = []
    for org_id, name, since, until in cells:
        months, quarters = rules.due_calendar(year, on, regular[org_id], thematic[org_id], short[org_id], since, until)
        out.append(CellCalendar(org_id, name, months, quarters))
    return out


def cell_span(organization_id: int) -> tuple[dt.date | None, dt.date | None]:
    """The first day of the cell and its end (None while it exists)."""
    spans = list(Placement.objects.filter(organization_id=organization_id).order_by("valid_from").values_list("valid_from", "valid_to"))
    if not spans:
        return None, None
    return spans[0][0], spans[-1][1]


def calendar(organization_id: int, name: str, year: int, on: dt.date) -> CellCalendar:
    since, until = cell_span(organization_id)
    return calendars([(organization_id, name, since, until)], year, on)[0]


def cells_under(scope, root_id: int, year: int, on: dt.date) -> list[tuple[int, str, dt.date | None, dt.date | None]]:
    """The cells under root (as the tree stands on `on`) that existed during the year, with their
    span: two queries."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    placements = list(Placement.objects.under(root_id, on=on).visible_to(scope).filter(kind__in=MEMBER_ORG_KINDS)
                      .values_list("organization_id", "name", "name_order"))
    spans: dict[int, list] = {}
    for org_id, valid_from, valid_to in (Placement.objects.filter(organization_id__in=[p[0] for p in placements])
                                          .filter(overlaps_q(start, end)).order_by("valid_from")
                                          .values_list("organization_id", "valid_from", "valid_to")):
        span = spans.setdefault(org_id, [valid_from, valid_to])
        span[1] = valid_to
    rows = []
    for org_id, name, _order in sorted(placements, key=lambda p: (p[2], p[0])):
        if org_id in spans:
            rows.append((org_id, name, spans[org_id][0], spans[org_id][1]))
    return rows


def missed(scope, root_id: int, year: int, on: dt.date) -> list[CellCalendar]:
    """The cells under root that missed a regular month or a thematic quarter in the year."""
    return [c for c in calendars(cells_under(scope, root_id, year, on), year, on) if c.missed_months or c.missed_quarters]


# ---------------------------------------------------------------- the removal (xóa tên) list


@dataclass
class RemovalCase:
    member_id: int
    name: str
    organization_id: int
    months: list
    rule: str


def unexcused_months(member_ids, year: int, on: dt.date) -> dict[int, list[dt.date]]:
    """{member: the months of the year with an unexcused absence, up to `on`} (one query)."""
    months = defaultdict(set)
    for member_id, month in (Absence.objects.filter(member_id__in=member_ids, mark=Mark.UNEXCUSED,
                                                    meeting__held_on__year=year, meeting__held_on__lte=on)
                             .values_list("member_id", "meeting__counts_for")):
        months[member_id].add(month)
    return {m: sorted(v) for m, v in months.items()}


def removal_list(scope, root_id: int, year: int, on: dt.date) -> list[RemovalCase]:
    """Members with unexcused absences in at least `removal_months` months of the year at the
    meetings of the cells under root: a list for the cell to consider, never a removal (two
    queries)."""
    r = rules.rules_on(on)
    cells = Placement.objects.under(root_id, on=on).visible_to(scope).values("organization_id")
    absences = Absence.objects.filter(mark=Mark.UNEXCUSED, meeting__held_on__year=year, meeting__held_on__lte=on,
                                      meeting__organization_id__in=cells)
    counted = (absences.values("member_id").annotate(n=Count("meeting__counts_for", distinct=True))
               .filter(n__gte=r.removal_months).values("member_id"))
    cases: dict[int, RemovalCase] = {}
    for member_id, name, org_id, month in (absences.filter(member_id__in=counted)
                                          .values_list("member_id", "member__person__full_name", "meeting__organization_id",
                                                       "meeting__counts_for")
                                          .order_by("member__person__name_order", "member_id", "meeting__counts_for")):
        case = cases.setdefault(member_id, RemovalCase(member_id, name, org_id, [], str(r.removal_rule)))
        if month not in case.months:
            case.months.append(month)
        case.organization_id = org_id
    return list(cases.values())


# ---------------------------------------------------------------- a cell's meetings and tasks


def meetings_of(organization_id: int, year: int):
    return Meeting.objects.filter(organization_id=organization_id, held_on__year=year).order_by("-held_on", "-id")


def last_meeting(organization_id: int, on: dt.date) -> Meeting | None:
    return Meeting.objects.filter(organization_id=organization_id, held_on__lte=on).order_by("-held_on", "-id").first()


def next_meeting(organization_id: int, on: dt.date) -> Meeting | None:
    return Meeting.objects.filter(organization_id=organization_id, held_on__gt=on).order_by("held_on", "id").first()


def open_tasks(organization_id: int, on: dt.date):
    """Tasks given at the cell's meetings up to the date and not yet reviewed as done."""
    return (Task.objects.filter(meeting__organization_id=organization_id, meeting__held_on__lte=on)
            .exclude(outcome=Task.Outcome.DONE).select_related("member__person", "meeting").order_by("due_on", "id"))


# ---------------------------------------------------------------- party dues


def dues_owed(member_ids, month: dt.date) -> dict[int, int]:
    """{member: dues of the month in đồng} for the members with a profile in force on the month's
    first day (one query)."""
    r = dues.rules_for_month(month)
    owed = {}
    for p in DuesProfile.objects.on(month).filter(member_id__in=member_ids):
        try:
            owed[p.member_id] = dues.monthly_amount(r, income_kind=p.income_kind, income=p.income, area=p.area,
                                                    past_working_age=p.past_working_age, voluntary=p.voluntary)
        except dues.DuesError:
            continue  # a profile the rules of that month cannot price: shown as without a rate
    return owed


@dataclass
class DuesRow:
    member_id: int
    name: str
    due: int | None
    paid: int = 0
    reason: str = ""
    recorded: bool = False

    @property
    def owed(self) -> int:
        return max((self.due or 0) - self.paid, 0)


@dataclass
class DuesMonth:
    month: dt.date
    rows: list
    rules: dues.DuesRules

    @property
    def expected(self) -> int:
        return sum(r.due or 0 for r in self.rows)

    @property
    def collected(self) -> int:
        return sum(r.paid for r in self.rows)

    @property
    def owed(self) -> int:
        return sum(r.owed for r in self.rows)

    @property
    def kept(self) -> int:
        return dues.remittance(self.rules, self.collected)[0]

    @property
    def remitted(self) -> int:
        return dues.remittance(self.rules, self.collected)[1]


def dues_month(organization_id: int, month: dt.date, on: dt.date) -> DuesMonth:
    """The cell's dues of the month: its members (at the month's end, or on `on` before it), what
    each owes and paid (three queries)."""
    month = rules.month_start(month)
    rows = roster(organization_id, min(rules.month_end(month), max(on, month)))
    ids = [r.member_id for r in rows]
    owed = dues_owed(ids, month)
    payments = {p.member_id: p for p in DuesPayment.objects.filter(member_id__in=ids, month=month)}
    out = []
    for r in rows:
        row = DuesRow(r.member_id, r.name, owed.get(r.member_id))
        if (p := payments.get(r.member_id)) is not None:
            row.due, row.paid, row.reason, row.recorded = p.due, p.paid, p.reason, True
        out.append(row)
    return DuesMonth(month, out, dues.rules_for_month(month))


@dataclass
class ArrearsCase:
    member_id: int
    name: str
    months: list
    rule: str


def arrears(scope, root_id: int, year: int, on: dt.date) -> list[ArrearsCase]:
    """Members of the cells under root with at least `removal_months` elapsed months of the year
    with dues owed and neither paid nor excused by a reason: a list for the cell to consider, never
    a removal (three queries)."""
    r = dues.rules_for_month(dt.date(year, 1, 1))
    months = [dt.date(year, m, 1) for m in range(1, 13) if rules.month_end(dt.date(year, m, 1)) < on]
    if not months:
        return []
    cells = set(Placement.objects.under(root_id, on=on).visible_to(scope).filter(kind__in=MEMBER_ORG_KINDS)
                .values_list("organization_id", flat=True))
    member_months = defaultdict(set)
    names = {}
    for member_id, name, org_id, host_id, valid_from, valid_to in (
            MemberPeriod.objects.during(months[0], rules.month_end(months[-1])).filter(Q(organization_id__in=cells) | Q(host_id__in=cells))
            .values_list("member_id", "member__person__full_name", "organization_id", "host_id", "valid_from", "valid_to")):
        if (host_id or org_id) not in cells:
            continue
        names[member_id] = name
        for m in months:
            end = rules.month_end(m)
            if valid_from <= end and (valid_to is None or valid_to > end):
                member_months[member_id].add(m)
    profiles = defaultdict(list)
    for member_id, valid_from, valid_to in (DuesProfile.objects.during(months[0], rules.month_end(months[-1]))
                                            .filter(member_id__in=list(member_months)).values_list("member_id", "valid_from", "valid_to")):
        profiles[member_id].append((valid_from, valid_to))
    settled = set(DuesPayment.objects.filter(member_id__in=list(member_months), month__in=months)
                  .filter(Q(paid__gt=0) | ~Q(reason="")).values_list("member_id", "month"))
    cases = []
    for member_id, held in member_months.items():
        unpaid = sorted(m for m in held if (member_id, m) not in settled
                        and any(f <= m and (t is None or t > m) for f, t in profiles[member_id]))
        if len(unpaid) >= r.removal_months:
            cases.append(ArrearsCase(member_id, names[member_id], unpaid, str(rules.REMOVAL_DUES_RULE)))
    return sorted(cases, key=lambda c: (sort_key(c.name), c.member_id))
