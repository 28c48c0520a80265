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

from coso.evaluation.choices import PeriodKind, SubjectKind
from coso.evaluation.models import Rating
from coso.inspection.models import Discipline
from coso.lib.dated import overlaps_q
from coso.lib.text import sort_key
from coso.members.models import EventType, MemberEvent, MemberPeriod
from coso.members.services import MEMBER_ORG_KINDS
from coso.organizations.dated import path_on
from coso.organizations.models import Placement, path_ids
from coso.restructuring.models import Lineage

from . import commendations as commendation_rules
from . import dues, rules, scoring
from .models import (
    Absence,
    Commendation,
    DuesPayment,
    DuesProfile,
    Mark,
    Meeting,
    MeetingKind,
    MeetingScore,
    PointPerson,
    Rater,
    ScoreSheet,
    Task,
)


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


def removal_list(scope, root_id: int | str, year: int, on: dt.date) -> list[RemovalCase]:
    """Members with unexcused absences in at least `removal_months` months of the year at the
    meetings of the cells under root (an organization, or its path on the date): a list for the
    cell to consider, never a removal (two queries; one given the path)."""
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


def arrears(scope, root_id: int | str, year: int, on: dt.date) -> list[ArrearsCase]:
    """Members of the cells under root (an organization, or its path on the date) with at least
    `removal_months` elapsed months of the year with dues owed and neither paid nor excused by a
    reason: a list for the cell to consider, never a removal (five queries; four given the path)."""
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
            cases.append(ArrearsCase(member_id, names[member_id], unpaid, str(r.removal_rule)))
    return sorted(cases, key=lambda c: (sort_key(c.name), c.member_id))


# ---------------------------------------------------------------- point persons


def point_persons_of(organization_id: int, on: dt.date):
    """The assignments in force on the date for the organization."""
    return PointPerson.objects.on(on).filter(organization_id=organization_id)


def quarter_span(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * quarter - 2, 1)
    return start, rules.month_end(dt.date(year, 3 * quarter, 1))


def last_ended_quarter(on: dt.date) -> tuple[int, int]:
    quarter = (on.month - 1) // 3 + 1
    return (on.year, quarter - 1) if quarter > 1 else (on.year - 1, 4)


@dataclass
class PointFigures:
    """An assignment over a span: the cell's meetings while it was in force, and those its point
    person attended (recorded as the meeting's superior attendee)."""

    assignment: PointPerson
    cell_name: str
    start: dt.date
    end: dt.date
    held: int = 0
    attended: int = 0
    minimum: int = 0
    score_average: float | None = None
    score_band: str = ""
    rating: str = ""

    @property
    def below(self) -> bool:
        return self.attended < self.minimum


def _clip(assignment: PointPerson, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date] | None:
    s = max(start, assignment.valid_from)
    e = end if assignment.valid_to is None else min(end, assignment.valid_to - dt.timedelta(days=1))
    return (s, e) if s <= e else None


def _quarters(start: dt.date, end: dt.date) -> int:
    """The quarters [start, end] touches."""
    return (end.year * 4 + (end.month - 1) // 3) - (start.year * 4 + (start.month - 1) // 3) + 1


def point_figures(assignments: list[PointPerson], names: dict[int, str], start: dt.date, end: dt.date) -> list[PointFigures]:
    """Each assignment's meetings held and attended in [start, end] (one query for all the cells)."""
    spans = {a.pk: _clip(a, start, end) for a in assignments}
    cells = {a.organization_id for a in assignments}
    held = defaultdict(list)
    for org_id, held_on, attendee in (Meeting.objects.filter(organization_id__in=cells, held_on__gte=start, held_on__lte=end)
                                      .values_list("organization_id", "held_on", "superior_attendee_id")):
        held[org_id].append((held_on, attendee))
    minimum = scoring.point_person_rules_on(end).per_quarter
    out = []
    for a in assignments:
        span = spans[a.pk]
        row = PointFigures(a, names.get(a.organization_id, ""), *(span or (start, end)), minimum=minimum * _quarters(*span) if span else 0)
        if span is not None:
            meetings = [m for m in held[a.organization_id] if span[0] <= m[0] <= span[1]]
            row.held = len(meetings)
            row.attended = sum(1 for _d, attendee in meetings if attendee == a.member_id)
        out.append(row)
    return out


def _names(organization_ids, on: dt.date) -> dict[int, str]:
    """The organizations' names on the date, else their latest (one query)."""
    names = {}
    for org_id, name in (Placement.objects.filter(organization_id__in=list(organization_ids)).filter(valid_from__lte=on)
                         .order_by("valid_from").values_list("organization_id", "name")):
        names[org_id] = name
    return names


def below_minimum(scope, root_id: int, year: int, quarter: int, on: dt.date) -> list[PointFigures]:
    """The point persons of the organizations under root who attended fewer meetings of an assigned
    cell in the quarter than the minimum (scoring.POINT_PERSON_RULES): three queries."""
    start, end = quarter_span(year, quarter)
    end = min(end, on)
    if end < start:
        return []
    cells = Placement.objects.under(root_id, on=end).visible_to(scope).values("organization_id")
    assignments = list(PointPerson.objects.during(start, end).filter(organization_id__in=cells)
                       .select_related("member__person").order_by("member__person__name_order", "member_id", "id"))
    names = _names({a.organization_id for a in assignments}, end)
    rows = [r for r in point_figures(assignments, names, start, end) if r.below]
    return rows


def assignments_of(scope, member_id: int):
    """A person's assignments, newest first, in the organizations the scope sees."""
    visible = Placement.objects.visible_to(scope).values("organization_id")
    return PointPerson.objects.filter(member_id=member_id, organization_id__in=visible).order_by("-valid_from", "-id")


def point_person_year(scope, member_id: int, year: int, on: dt.date) -> list[PointFigures]:
    """The person's assignments in force during the year with the assigned cells' figures of the
    year: meetings held and attended, the average meeting score and its band, the cell's year-end
    rating (the "gắn trách nhiệm" of political-system.md §E): five queries."""
    start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), max(on, dt.date(year, 1, 1)))
    assignments = list(assignments_of(scope, member_id).filter(overlaps_q(start, end)))
    cells = {a.organization_id for a in assignments}
    rows = point_figures(assignments, _names(cells, end), start, end)
    yearly = {s.organization_id: s for s in score_summaries(cells, year)}
    labels = {r.organization_id: r.level_label
              for r in Rating.objects.filter(organization_id__in=cells, subject_kind=SubjectKind.ORGANIZATION, period__ends_on__year=year)
              .exclude(level="").select_related("period").order_by("period__ends_on", "id")}
    for row in rows:
        if (s := yearly.get(row.assignment.organization_id)) is not None:
            row.score_average, row.score_band = s.year_average, s.year_band
        row.rating = labels.get(row.assignment.organization_id, "")
    return rows


# ---------------------------------------------------------------- score sheets


def sheet_for(organization_id: int, on: dt.date) -> ScoreSheet | None:
    """The score sheet in force for the organization on the date: the nearest owner above it (the
    commune's own before the province's), two queries."""
    path = path_on(organization_id, on)
    if path is None:
        return None
    ancestors = [int(p) for p in path.strip("/").split("/") if p]
    sheets = {s.owner_id: s for s in ScoreSheet.objects.on(on).filter(owner_id__in=ancestors)}
    return next((sheets[a] for a in reversed(ancestors) if a in sheets), None)


@dataclass
class ScoreSummary:
    organization_id: int
    quarters: dict  # {quarter: (count, average, band)}
    year_count: int
    year_average: float | None
    year_band: str


def score_summaries(organization_ids, year: int) -> list[ScoreSummary]:
    """Per cell the quarterly and yearly average of its meetings' scores (the point person's score
    where both rated a meeting) and the band of the average on the latest sheet used: one query
    for the scores, one for the sheets."""
    scores = defaultdict(dict)
    for org_id, meeting_id, rater, total, held_on, sheet_id in (
            MeetingScore.objects.filter(organization_id__in=list(organization_ids), held_on__year=year)
            .values_list("organization_id", "meeting_id", "rater", "total", "held_on", "sheet_id").order_by("held_on", "id")):
        kept = scores[org_id].get(meeting_id)
        if kept is None or rater == Rater.POINT_PERSON:
            scores[org_id][meeting_id] = (total, held_on, sheet_id)
    sheets = {s.pk: s for s in ScoreSheet.objects.filter(pk__in={v[2] for m in scores.values() for v in m.values()})}
    out = []
    for org_id, meetings in scores.items():
        values = list(meetings.values())
        bands = sheets[values[-1][2]].bands
        quarters = {}
        for q in range(1, 5):
            totals = [t for t, held_on, _s in values if (held_on.month - 1) // 3 + 1 == q]
            if totals:
                average = sum(totals) / len(totals)
                quarters[q] = (len(totals), average, scoring.band_of(bands, average))
        average = sum(t for t, _h, _s in values) / len(values)
        out.append(ScoreSummary(org_id, quarters, len(values), average, scoring.band_of(bands, average)))
    return out


def candidates(scope, superior_id: int, on: dt.date) -> list[tuple[int, str]]:
    """The party members of the organizations under the superior one on the date (a point person is
    one of its committee members; posts are not required): two queries, name order."""
    cells = Placement.objects.under(superior_id, on=on).visible_to(scope).values("organization_id")
    return list(MemberPeriod.objects.on(on).filter(organization_id__in=cells)
                .values_list("member_id", "member__person__full_name").order_by("member__person__name_order", "member_id"))


# ---------------------------------------------------------------- commendations


def commendations_under(scope, root_id: int, start: dt.date, end: dt.date):
    """The awards decided within [start, end] to organizations (and members of organizations)
    that lay under root on the last day, as the scope sees them: one query, bounded by the caller."""
    organizations = Placement.objects.under(root_id, on=end).visible_to(scope).values("organization_id")
    return (Commendation.objects.filter(organization_id__in=organizations, decided_on__gte=start, decided_on__lte=end)
            .select_related("member__person").order_by("-decided_on", "-id"))


@dataclass
class EligibleRow:
    """An organization or a member that met the level in each year of the window with no discipline."""

    organization_id: int
    name: str
    member_id: int | None = None
    cell_name: str = ""
    # the organizations merged into this one whose ratings count for the years before the merge
    predecessors: list[str] = field(default_factory=list)


def predecessors_of(organization_ids) -> dict[int, set[int]]:
    """Each organization's predecessors through the lineage of restructurings, transitively (one
    query per generation of merges, never one per organization)."""
    found: dict[int, set[int]] = {o: set() for o in organization_ids}
    frontier = {o: {o} for o in organization_ids}  # successor → the organizations of ours it stands for
    for _generation in range(10):
        if not frontier:
            break
        links = list(Lineage.objects.filter(successor_id__in=list(frontier)).values_list("successor_id", "predecessor_id"))
        following = defaultdict(set)
        for successor, predecessor in links:
            for ours in frontier[successor]:
                if predecessor not in found[ours] and predecessor != ours:
                    found[ours].add(predecessor)
                    following[predecessor].add(ours)
        frontier = following
    return found


def eligible_organizations(scope, root_id: int, last_year: int, rule: commendation_rules.Eligibility, on: dt.date) -> list[EligibleRow]:
    """Organizations under root on the date rated at the rule's level in each year of the window,
    counting the ratings of the organizations merged into them (the lineage), with no discipline of
    theirs decided in the window. A year is met when it has at least one published yearly rating
    among the organization and its predecessors and every one of them is at the level. Four
    queries plus one per generation of merges."""
    first, last = commendation_rules.years_window(last_year, rule)
    placements = list(Placement.objects.under(root_id, on=on).visible_to(scope).exclude(organization_id=root_id)
                      .values_list("organization_id", "name"))
    names = dict(placements)
    lineage = predecessors_of(names)
    everyone = set(names) | {p for ps in lineage.values() for p in ps}
    by_year: dict[int, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for org_id, year, level in (Rating.objects.filter(subject_kind=SubjectKind.ORGANIZATION, organization_id__in=everyone,
                                                      period__kind=PeriodKind.YEAR, period__year__gte=first, period__year__lte=last,
                                                      state=Rating.State.PUBLISHED)
                                .values_list("organization_id", "period__year", "level")):
        by_year[org_id][year].append(level)
    disciplined = set(Discipline.objects.filter(subject_organization_id__in=everyone, enforced=True,
                                                decided_on__gte=dt.date(first, 1, 1), decided_on__lte=dt.date(last, 12, 31))
                      .values_list("subject_organization_id", flat=True))
    predecessor_names = _names({p for ps in lineage.values() for p in ps}, on)
    rows = []
    for org_id, name in placements:
        family = {org_id} | lineage[org_id]
        if family & disciplined:
            continue
        met = True
        for year in range(first, last + 1):
            levels = [level for o in family for level in by_year[o].get(year, ())]
            if not levels or any(level not in rule.organization_levels for level in levels):
                met = False
                break
        if met:
            rows.append(EligibleRow(org_id, name, predecessors=sorted(predecessor_names.get(p, "") for p in lineage[org_id])))
    return sorted(rows, key=lambda r: sort_key(r.name))


ELIGIBLE_MEMBERS_LIMIT = 500


def eligible_members(scope, root_id: int, last_year: int, rule: commendation_rules.Eligibility, on: dt.date) -> list[EligibleRow]:
    """Members of organizations under root on the date whose published yearly ratings were at the
    rule's level in each year of the window (wherever they were rated: a rating follows the member
    across transfers and merges), none below it, and with no discipline in the window: three
    queries, at most ELIGIBLE_MEMBERS_LIMIT rows."""
    first, last = commendation_rules.years_window(last_year, rule)
    in_subtree = MemberPeriod.objects.under(root_id, on).visible_to(scope)
    window = (dt.date(first, 1, 1), dt.date(last, 12, 31))
    disciplined = MemberEvent.objects.filter(type__in=(EventType.DISCIPLINED, EventType.EXPELLED),
                                             effective_date__gte=window[0], effective_date__lte=window[1]).values("member_id")
    good = Q(level__in=rule.member_levels)
    met = (Rating.objects.filter(subject_kind=SubjectKind.MEMBER, member_id__in=in_subtree.values("member_id"), period__kind=PeriodKind.YEAR,
                                 period__year__gte=first, period__year__lte=last, state=Rating.State.PUBLISHED)
           .exclude(member_id__in=disciplined)
           .values("member_id").annotate(years=Count("period__year", distinct=True, filter=good), below=Count("id", filter=~good))
           .filter(years=rule.years, below=0).values("member_id"))
    found = list(in_subtree.filter(member_id__in=met)
                 .values_list("member_id", "member__person__full_name", "organization_id")
                 .order_by("member__person__name_order", "member_id")[:ELIGIBLE_MEMBERS_LIMIT])
    cells = _names({o for _m, _n, o in found}, on)
    return [EligibleRow(org_id, name, member_id=member_id, cell_name=cells.get(org_id, "")) for member_id, name, org_id in found]


def awarding_bodies(placement: Placement, on: dt.date) -> list[tuple[int, str]]:
    """The organization and those above it on the date, nearest first: the party bodies that may
    have awarded something to it or its members (one query)."""
    ids = path_ids(placement.path)
    names = dict(Placement.objects.on(on).filter(organization_id__in=ids).values_list("organization_id", "name"))
    return [(i, names[i]) for i in reversed(ids) if i in names]
