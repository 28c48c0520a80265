"""A year of cell work for the cells of xã Đức Phú: meetings (a regular one a month, a thematic one
a quarter, with a few missed), attendance, party dues; one member absent without reason in three
months, so that the removal list has a case. Through the activities services, except the dues
payments, written in bulk (thousands of rows) with one audit row per cell and month."""

import datetime as dt
import random

from coso.activities import dues, rules, scoring, selectors, services
from coso.activities.models import DuesPayment, DuesProfile, Mark, MeetingKind, PointRole, Rater
from coso.audit import services as audit
from coso.members.models import Member
from coso.members.services import MEMBER_ORG_KINDS
from coso.organizations.models import Placement

from .dataset import REFORM, Demo

REASONS = ["Ốm", "Đi làm ăn xa", "Việc gia đình", "Đi học"]


def _months(today: dt.date) -> list[dt.date]:
    """The twelve months before the current one, from the reform on (the cells of today begin then)."""
    first = rules.month_start(today)
    months = []
    for _i in range(12):
        first = rules.month_start(first - dt.timedelta(days=1))
        if first >= REFORM:
            months.append(first)
    return sorted(months)


def populate(d: Demo, *, actor=None, today: dt.date, featured=None, say=print) -> int:
    """The cells' meetings, attendance and dues of the twelve months before today's."""
    committee = d.new_communes.get("Đức Phú")
    if committee is None:
        return 0
    rng = random.Random(16)
    cells = list(Placement.objects.on(today).filter(parent_id=committee.pk, kind__in=MEMBER_ORG_KINDS)
                 .order_by("name_order").values_list("organization_id", flat=True))
    months = _months(today)
    count = 0
    points = _point_persons(committee, cells, months, actor)
    for cell_id in cells:
        cell = Placement.objects.on(today).get(organization_id=cell_id).organization
        roster = selectors.roster(cell_id, today)
        _dues(cell, roster, months, actor, rng)
        # the removal list's case: in the featured cell (the README's first account), its first member
        chronic = next((r.member_id for r in roster if not r.exempted), None) if featured is not None and cell_id == featured.pk else None
        for j, month in enumerate(months):
            if rng.random() < 0.06 and j < len(months) - 3:
                continue  # a month missed
            attendee = points.get(cell_id) if j % 3 == 0 else None
            meeting = services.record_meeting(actor=actor, organization=cell, held_on=month.replace(day=10), kind=MeetingKind.REGULAR,
                                              starts_at=dt.time(19, 30), ends_at=dt.time(21, 15), place="Nhà văn hóa thôn",
                                              superior_attendee_id=attendee)
            if points:
                services.score_meeting(actor=actor, meeting=meeting, rater=Rater.POINT_PERSON if attendee else Rater.CELL,
                                       points={c["key"]: max(0, c["points"] - rng.randint(0, c["points"] // 3)) for c in scoring.DEFAULT_SHEET["criteria"]})
            marks = {}
            for row in selectors.roster(cell_id, meeting.held_on):
                if row.exempted:
                    continue
                draw = rng.random()
                if row.member_id == chronic and j >= len(months) - 3:
                    marks[row.member_id] = (Mark.UNEXCUSED, "")
                elif draw < 0.06:
                    marks[row.member_id] = (Mark.EXCUSED, rng.choice(REASONS))
                elif draw < 0.08:
                    marks[row.member_id] = (Mark.UNEXCUSED, "")
                elif draw < 0.09:
                    marks[row.member_id] = (Mark.ON_DUTY, "")
            services.record_marks(actor=actor, meeting=meeting, marks=marks)
            count += 1
            if month.month % 3 == 2 and rng.random() < 0.85:
                services.record_meeting(actor=actor, organization=cell, held_on=month.replace(day=20), kind=MeetingKind.THEMATIC,
                                        starts_at=dt.time(19, 30), ends_at=dt.time(21, 0), place="Nhà văn hóa thôn")
                count += 1
    awards = _commendations(committee, cells, months, today, actor, rng)
    say(f"Đức Phú: {count} buổi sinh hoạt chi bộ của {len(cells)} chi bộ, {awards} lượt khen thưởng.")
    return count


def _commendations(committee, cells, months, today, actor, rng) -> int:
    """Year-end awards decided in the last month shown: the commune's committee gives a giấy khen to
    two cells and to two members of each of them; each cell praises one of its members (the ladder
    of 01/07/2025, activities.commendations)."""
    if not months:
        return 0
    decided = months[-1].replace(day=25)
    year = decided.year - 1 if decided.month < 12 else decided.year
    count = 0
    for i, cell_id in enumerate(cells):
        cell = Placement.objects.on(decided).get(organization_id=cell_id).organization
        roster = [r for r in selectors.roster(cell_id, decided) if not r.exempted and not r.temporary]
        if not roster:
            continue
        chosen = rng.sample(roster, min(2, len(roster)))
        if i < 2:
            services.record_commendation(actor=actor, organization=cell, form="certificate", title="Chi bộ hoàn thành xuất sắc nhiệm vụ",
                                         decision_number=f"{40 + i}-QĐ/ĐU", decided_on=decided, year_from=year, awarded_by=committee,
                                         gift_value=1_000_000)
            count += 1
            for j, row in enumerate(chosen):
                services.record_commendation(actor=actor, organization=cell, member=Member.objects.get(pk=row.member_id),
                                             form="certificate", title="Đảng viên hoàn thành xuất sắc nhiệm vụ",
                                             decision_number=f"{50 + 2 * i + j}-QĐ/ĐU", decided_on=decided, year_from=year,
                                             awarded_by=committee, gift_value=300_000)
                count += 1
        services.record_commendation(actor=actor, organization=cell, member=Member.objects.get(pk=chosen[0].member_id), form="praise",
                                     title="Tích cực trong phong trào xây dựng nông thôn mới", period_kind="campaign",
                                     decision_number=f"{i + 1:02d}-QĐ/CB", decided_on=decided, year_from=decided.year, awarded_by=cell)
        count += 1
    return count


def _dues(cell, roster, months, actor, rng) -> None:
    """Each member's dues profile from the first month (a pensioner in four), and the months paid
    (about 95%; a few not paid with a reason, a few without), in bulk."""
    if not months:
        return
    profiles, payments = [], []
    for i, row in enumerate(roster):
        pension = i % 4 == 3
        profile = DuesProfile(member_id=row.member_id, valid_from=months[0], area=dues.Area.OTHER,
                              income_kind=dues.IncomeKind.PENSION if pension else dues.IncomeKind.OTHER,
                              income=5_000_000 if pension else None)
        profiles.append(profile)
        due = dues.monthly_amount(dues.rules_for_month(months[0]), income_kind=profile.income_kind, income=profile.income, area=profile.area)
        for month in months:
            draw = rng.random()
            paid = draw < 0.95
            payments.append(DuesPayment(member_id=row.member_id, organization=cell, month=month, due=due, paid=due if paid else 0,
                                        paid_on=month.replace(day=10) if paid else None,
                                        reason="" if paid or draw > 0.98 else rng.choice(REASONS)))
    DuesProfile.objects.bulk_create(profiles)
    DuesPayment.objects.bulk_create(payments, batch_size=1000)
    audit.record(actor=actor, event_type="activities.dues.recorded", target=cell, organization_id=cell.pk,
                 new={"months": [m.isoformat() for m in months], "payments": len(payments)})


def _point_persons(committee, cells, months, actor) -> dict[int, int]:
    """The commune's score sheet (the default one of activities.scoring) and, for the first cells,
    a point person taken from the next cell, from the first month: {cell: member}."""
    if not months or len(cells) < 2:
        return {}
    services.define_score_sheet(actor=actor, owner=committee, valid_from=months[0],
                                **{k: scoring.DEFAULT_SHEET[k] for k in ("name", "criteria", "bands", "source")})
    points = {}
    for i, cell_id in enumerate(cells[:4]):
        other = cells[(i + 1) % len(cells)]
        row = next((r for r in selectors.roster(other, months[0]) if not r.exempted), None)
        if row is None:
            continue
        services.assign_point_person(actor=actor, member=Member.objects.get(pk=row.member_id),
                                     organization=Placement.objects.on(months[0]).get(organization_id=cell_id).organization,
                                     role=[PointRole.IN_CHARGE, PointRole.ANCHOR, PointRole.FOLLOWS][i % 3], valid_from=months[0],
                                     decision_number=f"{10 + i}-QĐ/ĐU", decision_date=months[0])
        points[cell_id] = row.member_id
    return points
