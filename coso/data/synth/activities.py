"""A year of cell meetings for the synthetic country (`coso synth --sinh-hoat NĂM`, issue #16 point 8).

Every cell of the synthetic tree (code SYN-…) in force on the 5th of a month holds its regular
meeting that day (3 % of months missed) and, in the last month of each quarter, a thematic meeting
on the 20th (90 %). The roster of a meeting is the member periods of the cell in force on its date
(exempted members counted as such); each other member is absent with a small probability (excused
4 %, without reason 1.5 %, on duty 0.5 %), stored as exceptions (decision 0012): the meeting keeps
its counts, an Absence row each absence. At national scale this is about 3.6 million meetings and
some 60 million attendance marks, of which about 6 % are rows.

Written in chunks of cells (their periods read once per chunk, one grouped read), meetings with
bulk_create (their ids come back on both databases), then their absences. Deterministic for a
seed. Not audited one by one: one audit row says what was built, as the rest of `coso synth`.
"""

import datetime as dt
import random
import time

from django.db import transaction

from coso.activities.models import Absence, Mark, Meeting, MeetingKind
from coso.audit.models import AuditEvent
from coso.members.models import MemberPeriod
from coso.members.services import MEMBER_ORG_KINDS
from coso.organizations.models import Placement

from .builder import CODE_PREFIX

CHUNK = 2_000  # cells per read of their periods
P_MISSED, P_THEMATIC = 0.03, 0.90
P_EXCUSED, P_UNEXCUSED, P_ON_DUTY = 0.04, 0.015, 0.005


def _in_force(spans, day: dt.date) -> bool:
    return any(start <= day and (end is None or end > day) for start, end in spans)


def build_year(year: int, *, seed: int = 1, say=print) -> dict:
    """The year's meetings and absences of every synthetic cell; refuses a year already built."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    synthetic = Placement.objects.filter(organization__code__startswith=CODE_PREFIX)
    if Meeting.objects.filter(held_on__gte=start, held_on__lte=end, organization_id__in=synthetic.values("organization_id")).exists():
        return {"meetings": 0, "absences": 0, "marks": 0, "seconds": 0.0, "already": True}
    t0 = time.perf_counter()
    spans: dict[int, list] = {}
    for org_id, valid_from, valid_to in (synthetic.during(start, end).filter(kind__in=MEMBER_ORG_KINDS)
                                         .values_list("organization_id", "valid_from", "valid_to").order_by("organization_id")):
        spans.setdefault(org_id, []).append((valid_from, valid_to))
    cells = sorted(spans)
    r = random.Random(seed * 1_000_003 + year)
    totals = {"meetings": 0, "absences": 0, "marks": 0}
    for i in range(0, len(cells), CHUNK):
        chunk = cells[i:i + CHUNK]
        periods: dict[int, list] = {}
        for org_id, member_id, exempted, valid_from, valid_to in (
                MemberPeriod.objects.during(start, end).filter(organization_id__in=chunk, host__isnull=True)
                .values_list("organization_id", "member_id", "exempted", "valid_from", "valid_to").order_by("organization_id", "member_id", "valid_from")):
            periods.setdefault(org_id, []).append((member_id, exempted, valid_from, valid_to))
        meetings, marks = [], []
        for org_id in chunk:
            for month in range(1, 13):
                dates = []
                if r.random() >= P_MISSED:
                    dates.append((MeetingKind.REGULAR, dt.date(year, month, 5)))
                if month % 3 == 0 and r.random() < P_THEMATIC:
                    dates.append((MeetingKind.THEMATIC, dt.date(year, month, 20)))
                for kind, day in dates:
                    if not _in_force(spans[org_id], day):
                        continue
                    roster = {}
                    for member_id, exempted, valid_from, valid_to in periods.get(org_id, ()):
                        if valid_from <= day and (valid_to is None or valid_to > day):
                            roster[member_id] = exempted
                    absent = []
                    for member_id, exempted in roster.items():
                        if exempted:
                            continue
                        draw = r.random()
                        if draw < P_EXCUSED:
                            absent.append((member_id, Mark.EXCUSED, "Ốm"))
                        elif draw < P_EXCUSED + P_UNEXCUSED:
                            absent.append((member_id, Mark.UNEXCUSED, ""))
                        elif draw < P_EXCUSED + P_UNEXCUSED + P_ON_DUTY:
                            absent.append((member_id, Mark.ON_DUTY, ""))
                    exempted_count = sum(1 for e in roster.values() if e)
                    counts = {m: sum(1 for a in absent if a[1] == m) for m in (Mark.EXCUSED, Mark.UNEXCUSED, Mark.ON_DUTY)}
                    meetings.append(Meeting(
                        organization_id=org_id, kind=kind, counts_for=dt.date(year, month, 1), held_on=day, roster_count=len(roster),
                        present_count=len(roster) - exempted_count - len(absent), excused_count=counts[Mark.EXCUSED],
                        unexcused_count=counts[Mark.UNEXCUSED], on_duty_count=counts[Mark.ON_DUTY], exempted_count=exempted_count,
                        superior_attendee_name="Cấp ủy viên phụ trách" if month % 3 == 1 and kind == MeetingKind.REGULAR else ""))
                    marks.append(absent)
                    totals["marks"] += len(roster)
        with transaction.atomic():
            created = Meeting.objects.bulk_create(meetings, batch_size=5_000)
            Absence.objects.bulk_create([Absence(meeting_id=m.pk, member_id=member_id, mark=mark, reason=reason)
                                         for m, absent in zip(created, marks, strict=True) for member_id, mark, reason in absent],
                                        batch_size=5_000)
        totals["meetings"] += len(meetings)
        totals["absences"] += sum(len(a) for a in marks)
        say(f"  sinh hoạt {year}: {min(i + CHUNK, len(cells))}/{len(cells)} chi bộ, {totals['meetings']} buổi ({time.perf_counter() - t0:.0f} s)")
    seconds = time.perf_counter() - t0
    with transaction.atomic():
        AuditEvent.objects.create(actor_name="system", event_type="activities.synth.built", target_type="activities.synth",
                                  target_id=str(year), target_repr=f"coso synth --sinh-hoat {year}",
                                  new={**totals, "seconds": round(seconds, 1)})
    return {**totals, "seconds": seconds, "already": False}
