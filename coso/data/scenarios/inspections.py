"""The inspection and supervision cases a scenario's figures count (issue 15, point 7), built
through the inspection services: for each figure ("inspections and supervisions carried out in
Quế Lộc … at least 140 in ten years"), as many cases as it states, evenly over its period, by the
named organization's committee and inspection commission in turn, each on one of the
organizations under it as the tree stood that day (itself when none), concluded a month later.
The figure is then the engine's count of these records (coso/measures/inspection.py).
"""

import datetime as dt

from django.utils.translation import gettext as _

from coso.inspection import services
from coso.inspection.choices import Body, SubjectKind, WorkType
from coso.lib.dates import fmt
from coso.organizations.models import Placement

# (body, work type) in turn: the committee inspects compliance and supervises; the commission
# inspects how subordinates inspect, party finances, and supervises by theme
TURNS = [(Body.COMMITTEE, WorkType.COMPLIANCE), (Body.COMMISSION, WorkType.SUBORDINATE_WORK),
         (Body.COMMITTEE, WorkType.REGULAR_SUPERVISION), (Body.COMMISSION, WorkType.FINANCE),
         (Body.COMMITTEE, WorkType.THEMATIC_SUPERVISION), (Body.COMMISSION, WorkType.THEMATIC_SUPERVISION)]
CONCLUDED_AFTER = dt.timedelta(days=30)


def build(p, organization_for, *, actor=None) -> list[str]:
    """The cases of every inspection figure of the plan; a line per figure for the loader's report."""
    lines = []
    for check in p.needs.inspections:
        organization = organization_for(p.main.organization, check)
        start, end = max(check.period[0], p.start), check.period[1]  # the records begin on p.start
        n = check.expected
        span = (end - start).days
        subjects: dict = {}
        for i in range(n):
            day = start + dt.timedelta(days=(span * i) // max(n, 1))
            under = subjects.get(day.year)
            if under is None:
                under = subjects[day.year] = list(
                    Placement.objects.on(dt.date(day.year, 7, 1) if start <= dt.date(day.year, 7, 1) <= end else day)
                    .filter(parent_id=organization.pk).order_by("name_order", "organization_id").select_related("organization"))
            placement = under[i % len(under)] if under else None
            subject = placement.organization if placement is not None and placement.in_force_on(day) else organization
            body, work_type = TURNS[i % len(TURNS)]
            case = services.open_case(actor=actor, organization=organization, body=body, work_type=work_type,
                                      subject_kind=SubjectKind.ORGANIZATION, subject_organization=subject, decided_on=day)
            if day + CONCLUDED_AFTER <= end:
                services.conclude_case(actor=actor, case=case, concluded_on=day + CONCLUDED_AFTER, violation_found=False)
        lines.append(_("%(count)s cuộc kiểm tra, giám sát của %(name)s từ ngày %(start)s đến ngày %(end)s.") % {
            "count": n, "name": services.name_on(organization.pk, end), "start": fmt(start), "end": fmt(end)})
    return lines
