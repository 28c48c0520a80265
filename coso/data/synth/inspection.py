"""A year of inspection work for the synthetic country (`coso synth --kiem-tra NĂM`, issue 15 point 7).

For every synthetic organization (code SYN-…) in force, deterministically from (seed, year), at
rates of the order the seeds and the domain notes give (UNCONFIRMED as national averages: Quế
Lộc's ≥ 140 inspections and supervisions by a commune's committee and commission in ten years;
Đắk Nông's 1,777 members and 110 organizations under Điều 30 in 2024; about 0.3 % of members
disciplined a year):

- cases: each committee above grassroots CASES_ABOVE a year, each grassroots committee
  CASES_GRASSROOTS, each chi bộ cơ sở CASES_GRASSROOTS_CELL, each subordinate cell or đảng bộ bộ
  phận CASES_CELL; work types by WORK_MIX (commission-only types by the inspection commission);
  a committee's cases are half on members (drawn from the cells under it, each cell its share),
  half on the organizations directly under it; a cell's on its own members. Most are concluded
  within 75 days, violations mostly in inspections on signs of violation, with recommendations
  and their remedies;
- discipline: each member active on the year's reference day with P_MEMBER_DISCIPLINE (its
  DISCIPLINED event written beside the member's others: it changes no period), by a body the
  competence table allows (rules.COMPETENCE); every expulsion the members' generator wrote in the
  year gets its decision (the EXPELLED event's own); organizations with P_ORG_DISCIPLINE;
- denunciations and complaints received by committees, most handled within the year.

2025 is built in two halves, each on its tree (the reform of 01/07/2025). Rows are written with
bulk_create in chunks of cells (their members read once per chunk); one audit row says what was
built. Refuses a year already built.
"""

import datetime as dt
import random
import time

from django.db import transaction

from coso.audit.models import AuditEvent
from coso.inspection.choices import (
    COMPLAINT_OUTCOMES,
    DENUNCIATION_OUTCOMES,
    Body,
    Channel,
    Form,
    IntakeKind,
    Stage,
    SubjectKind,
    WorkType,
)
from coso.inspection.models import Case, Discipline, Intake, Recommendation
from coso.members import owners
from coso.members.models import EventType, MemberEvent, MemberPeriod, Status
from coso.members.watchers import events_changing
from coso.organizations.models import Kind, Placement

from .builder import CODE_PREFIX, REFORM

CHUNK = 2_000
CASES_ABOVE, CASES_GRASSROOTS, CASES_GRASSROOTS_CELL, CASES_CELL = 30.0, 12.0, 3.0, 1.0
WORK_MIX = [(WorkType.COMPLIANCE, 0.25), (WorkType.SIGNS, 0.08), (WorkType.SUBORDINATE_WORK, 0.07), (WorkType.FINANCE, 0.10),
            (WorkType.REGULAR_SUPERVISION, 0.30), (WorkType.THEMATIC_SUPERVISION, 0.18), (WorkType.ASSETS, 0.02)]
COMMISSION_ONLY = (WorkType.SUBORDINATE_WORK, WorkType.FINANCE, WorkType.ASSETS)
P_CONCLUDED, P_VIOLATION_SIGNS, P_VIOLATION = 0.92, 0.70, 0.10
P_MEMBER_DISCIPLINE, P_ORG_DISCIPLINE = 0.0025, 0.0005
DENUNCIATIONS_ABOVE, DENUNCIATIONS_GRASSROOTS, P_COMPLAINT = 6.0, 0.5, 0.15
ABOVE = (Kind.PROVINCE_COMMITTEE, Kind.DISTRICT_COMMITTEE, Kind.COMMUNE_COMMITTEE)
CELLS = (Kind.GRASSROOTS_CELL, Kind.SUBORDINATE_CELL)


def _passes(year: int):
    """(reference day, first day, last day) of each part of the year with one tree."""
    if year == REFORM.year:
        return [(dt.date(year, 4, 1), dt.date(year, 1, 5), dt.date(year, 6, 25)), (dt.date(year, 10, 1), dt.date(year, 7, 5), dt.date(year, 12, 20))]
    return [(dt.date(year, 7, 1), dt.date(year, 1, 5), dt.date(year, 12, 20))]


def _draws(r: random.Random, rate: float) -> int:
    n = int(rate)
    return n + (1 if r.random() < rate - n else 0)


def _pick(r: random.Random, mix):
    x, acc = r.random(), 0.0
    for value, share in mix:
        acc += share
        if x < acc:
            return value
    return mix[-1][0]


class _Year:
    def __init__(self, r: random.Random, share: float):
        self.r, self.share = r, share
        self.cases, self.recs, self.disciplines, self.events, self.intakes = [], [], [], [], []

    def day(self, start, end):
        return start + dt.timedelta(days=self.r.randrange((end - start).days + 1))

    def case(self, org_id, kind, start, end, *, member=None, subject_org=None):
        r = self.r
        cell = kind in CELLS
        work = WorkType.REGULAR_SUPERVISION if cell and r.random() < 0.6 else _pick(r, WORK_MIX)
        if cell and work in COMMISSION_ONLY:
            work = WorkType.COMPLIANCE
        if cell:
            body = Body.CELL
        elif work in COMMISSION_ONLY:
            body = Body.COMMISSION
        else:
            x = r.random()
            body = Body.COMMITTEE if x < 0.5 else Body.STANDING if x < 0.6 and kind in ABOVE else Body.COMMISSION
        decided = self.day(start, end)
        concluded = decided + dt.timedelta(days=r.randint(30, 75)) if r.random() < P_CONCLUDED else None
        violation = concluded is not None and r.random() < (P_VIOLATION_SIGNS if work == WorkType.SIGNS else P_VIOLATION)
        name = member[1] if member else subject_org[1]
        c = Case(organization_id=org_id, body=body, work_type=work, subject_kind=SubjectKind.MEMBER if member else SubjectKind.ORGANIZATION,
                 subject_member_id=member[0] if member else None, subject_organization_id=None if member else subject_org[0],
                 subject_name=name, decided_on=decided, decision_number=f"{r.randint(1, 300)}-QĐ", preparation_due=decided + dt.timedelta(days=10),
                 conduct_from=decided + dt.timedelta(days=12), conduct_due=decided + dt.timedelta(days=40),
                 conclusion_due=decided + dt.timedelta(days=75), stage=Stage.CONCLUDED if concluded else Stage.CONDUCT, concluded_on=concluded,
                 violation_found=violation if concluded else None, discipline_considered=violation and r.random() < 0.5)
        recs = []
        if concluded and (violation or r.random() < 0.3):
            for _i in range(r.randint(1, 2)):
                due = concluded + dt.timedelta(days=r.randint(60, 120))
                remedied = due - dt.timedelta(days=r.randint(0, 40)) if r.random() < 0.85 else None
                recs.append(Recommendation(text="Khắc phục khuyết điểm theo kết luận", owner=name[:255], due_on=due, remedied_on=remedied,
                                           remedy="Đã khắc phục" if remedied else ""))
        self.cases.append((c, recs))

    def intake(self, org_id, name, start, end):
        r = self.r
        kind = IntakeKind.COMPLAINT if r.random() < P_COMPLAINT else IntakeKind.DENUNCIATION
        received = self.day(start, end)
        closed = received + dt.timedelta(days=r.randint(30, 80)) if r.random() < 0.9 else None
        outcome = ""
        if closed:
            outcome = _pick(r, list(zip(DENUNCIATION_OUTCOMES, (0.25, 0.35, 0.40), strict=True)) if kind == IntakeKind.DENUNCIATION
                            else list(zip(COMPLAINT_OUTCOMES, (0.70, 0.20, 0.10), strict=True)))
        self.intakes.append(Intake(organization_id=org_id, body=Body.COMMISSION, kind=kind, received_on=received, channel=Channel.LETTER,
                                   concerned=name[:255], due_on=received + dt.timedelta(days=60), closed_on=closed, outcome=outcome))


def build_year(year: int, *, seed: int = 1, say=print) -> dict:
    """The year's inspection records for every synthetic organization; refuses a year already built."""
    synthetic = Placement.objects.filter(organization__code__startswith=CODE_PREFIX)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if Case.objects.filter(decided_on__gte=first, decided_on__lte=last, organization_id__in=synthetic.values("organization_id")).exists():
        return {"cases": 0, "disciplines": 0, "intakes": 0, "recommendations": 0, "seconds": 0.0, "already": True}
    t0 = time.perf_counter()
    totals = {"cases": 0, "disciplines": 0, "intakes": 0, "recommendations": 0}
    for index, (ref, start, end) in enumerate(_passes(year)):
        r = random.Random(seed * 1_000_003 + year * 10 + index)
        share = (end - start).days / 350
        tree = {p[0]: p for p in synthetic.on(ref).values_list("organization_id", "parent_id", "kind", "path", "name")}
        children: dict[int, list] = {}
        cells_under: dict[int, int] = {}
        for org_id, parent_id, kind, path, _name in tree.values():
            children.setdefault(parent_id, []).append(org_id)
            if kind in CELLS:
                for ancestor in path.strip("/").split("/"):
                    cells_under[int(ancestor)] = cells_under.get(int(ancestor), 0) + 1
        y = _Year(r, share)

        def rate(kind, share=share):
            return share * {Kind.GRASSROOTS_COMMITTEE: CASES_GRASSROOTS, Kind.GRASSROOTS_CELL: CASES_GRASSROOTS_CELL,
                            Kind.SUBORDINATE_CELL: CASES_CELL, Kind.PARTIAL_COMMITTEE: CASES_CELL}.get(kind, CASES_ABOVE)

        # committees: half their cases on the organizations directly under them; denunciations; organizations disciplined
        for org_id in sorted(tree):
            _o, parent_id, kind, path, name = tree[org_id]
            if kind not in CELLS:
                under = [tree[c] for c in children.get(org_id, ())]
                for _i in range(_draws(r, rate(kind) / 2)) if under else ():
                    child = r.choice(under)
                    y.case(org_id, kind, start, end, subject_org=(child[0], child[4]))
                if kind in ABOVE or kind == Kind.GRASSROOTS_COMMITTEE:
                    for _i in range(_draws(r, share * (DENUNCIATIONS_ABOVE if kind in ABOVE else DENUNCIATIONS_GRASSROOTS))):
                        y.intake(org_id, name, start, end)
            parent = tree.get(parent_id)
            if parent is not None and parent[2] in (*ABOVE, Kind.GRASSROOTS_COMMITTEE) and r.random() < P_ORG_DISCIPLINE * share * 2:
                decided = y.day(start, end)
                form = Form.REPRIMAND if r.random() < 0.6 else Form.WARNING
                y.disciplines.append(Discipline(
                    organization_id=parent_id, body=Body.COMMITTEE, subject_kind=SubjectKind.ORGANIZATION, subject_organization_id=org_id,
                    subject_name=name, form=form, breach_started_on=decided - dt.timedelta(days=r.randint(60, 400)), votes_for=7,
                    votes_entitled=9, decided_on=decided, effective_on=decided, decision_number=f"{r.randint(1, 300)}-QĐ/KL",
                    limitation_text="Còn thời hiệu xử lý kỷ luật."))
        # members, a chunk of cells at a time: cases of each cell and its share of its committees' member cases; discipline
        cells = sorted(o for o, p in tree.items() if p[2] in CELLS)
        for i in range(0, len(cells), CHUNK):
            chunk = cells[i:i + CHUNK]
            roster: dict[int, list] = {}
            for cell, member_id, name, status, valid_from, valid_to in (
                    MemberPeriod.objects.on(ref).filter(organization_id__in=chunk)
                    .values_list("organization_id", "member_id", "member__person__full_name", "status", "valid_from", "valid_to")
                    .order_by("organization_id", "member_id")):
                roster.setdefault(cell, []).append((member_id, name, status, valid_from, valid_to))
            for cell in chunk:
                members = roster.get(cell, [])
                path = [int(a) for a in tree[cell][3].strip("/").split("/")]
                for ancestor in path if members else ():
                    kind = tree[ancestor][2] if ancestor in tree else Kind.PROVINCE_COMMITTEE
                    expected = rate(kind) / (1 if ancestor == cell else 2 * cells_under.get(ancestor, 1))
                    for _i in range(_draws(r, expected)):
                        m = r.choice(members)
                        y.case(ancestor, kind, start, end, member=m)
                for member_id, name, status, valid_from, valid_to in members:
                    if r.random() >= P_MEMBER_DISCIPLINE * share:
                        continue
                    lo, hi = max(start, valid_from), min(end, (valid_to or end + dt.timedelta(days=1)) - dt.timedelta(days=1))
                    if hi < lo:
                        continue
                    decided = y.day(lo, hi)
                    x = r.random()
                    committees = [a for a in path if a in tree and tree[a][2] in (*ABOVE, Kind.GRASSROOTS_COMMITTEE)]
                    if x < 0.5 or not committees:
                        org_id, body, form = cell, Body.CELL, Form.REPRIMAND if r.random() < 0.65 else Form.WARNING
                    else:
                        org_id = committees[-1] if x < 0.8 else committees[max(0, len(committees) - 2)]
                        body = Body.COMMISSION
                        allowed = [Form.REPRIMAND, Form.WARNING] + ([Form.DISMISSAL] if tree[org_id][2] in ABOVE and status == Status.OFFICIAL else [])
                        form = _pick(r, list(zip(allowed, (0.62, 0.30, 0.08), strict=False)))
                    breach = decided - dt.timedelta(days=r.randint(30, 500))
                    category = _pick(r, [("duty", 0.4), ("forbidden", 0.25), ("example", 0.1), ("other", 0.25)])
                    number = f"{r.randint(1, 300)}-QĐ/KL"
                    event = MemberEvent(member_id=member_id, type=EventType.DISCIPLINED, effective_date=decided, sequence=9, discipline_form=form,
                                        breach_on=breach, breach_category=category, decision_number=number, decision_date=decided,
                                        issuing_body=Body(body).label)
                    y.events.append(event)
                    y.disciplines.append(Discipline(
                        organization_id=org_id, body=body, subject_kind=SubjectKind.MEMBER, subject_member_id=member_id, subject_name=name,
                        form=form, breach_started_on=breach, breach_category=category, votes_for=7, votes_entitled=9, decided_on=decided,
                        effective_on=decided, decision_number=number, limitation_text="Còn thời hiệu xử lý kỷ luật.", member_event=event))
            # the expulsions of the members' generator in this part of the year: their decisions
            ended = {(m, to): c for c, m, to in MemberPeriod.objects.filter(organization_id__in=chunk, valid_to__gte=start, valid_to__lte=end)
                     .values_list("organization_id", "member_id", "valid_to")}
            for event in (MemberEvent.objects.filter(type=EventType.EXPELLED, effective_date__gte=start, effective_date__lte=end,
                                                     member_id__in={m for m, _to in ended}).select_related("member__person")):
                cell = ended.get((event.member_id, event.effective_date))
                if cell is None:
                    continue
                above = [int(a) for a in tree[cell][3].strip("/").split("/") if int(a) in tree and tree[int(a)][2] in ABOVE]
                y.disciplines.append(Discipline(
                    organization_id=above[-1] if above else cell, body=Body.COMMISSION, subject_kind=SubjectKind.MEMBER, subject_member_id=event.member_id,
                    subject_name=event.member.person.full_name, form=Form.EXPULSION, breach_started_on=event.effective_date - dt.timedelta(days=200),
                    breach_category="forbidden", votes_for=7, votes_entitled=9, decided_on=event.effective_date, effective_on=event.effective_date,
                    decision_number=event.decision_number or "KT", limitation_text="Không áp dụng thời hiệu.", member_event=event))
            _flush(y, totals)
            say(f"  kiểm tra {year}: {min(i + CHUNK, len(cells))}/{len(cells)} chi bộ, {totals['cases']} cuộc ({time.perf_counter() - t0:.0f} s)")
        _flush(y, totals)
    seconds = time.perf_counter() - t0
    with transaction.atomic():
        AuditEvent.objects.create(actor_name="system", event_type="inspection.synth.built", target_type="inspection.synth", target_id=str(year),
                                  target_repr=f"coso synth --kiem-tra {year}", new={**totals, "seconds": round(seconds, 1)})
    return {**totals, "seconds": seconds, "already": False}


def _flush(y: _Year, totals: dict) -> None:
    with transaction.atomic():
        created = Case.objects.bulk_create([c for c, _recs in y.cases], batch_size=5_000)
        recs = []
        for case, (_c, rs) in zip(created, y.cases, strict=True):
            for rec in rs:
                rec.case_id = case.pk
                recs.append(rec)
        Recommendation.objects.bulk_create(recs, batch_size=5_000)
        with events_changing.watching({e.member_id for e in y.events}):  # the ledger of events
            MemberEvent.objects.bulk_create(y.events, batch_size=5_000)
            owners.refresh({e.member_id for e in y.events})  # the organization each belongs to
        for d in y.disciplines:
            if d.member_event is not None:
                d.member_event_id = d.member_event.pk
        Discipline.objects.bulk_create(y.disciplines, batch_size=5_000)
        Intake.objects.bulk_create(y.intakes, batch_size=5_000)
    totals["cases"] += len(y.cases)
    totals["recommendations"] += len(recs)
    totals["disciplines"] += len(y.disciplines)
    totals["intakes"] += len(y.intakes)
    y.cases, y.events, y.disciplines, y.intakes = [], [], [], []
