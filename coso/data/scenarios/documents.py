"""The documents a scenario's figures count (Nghèn: 41 resolutions, 16 conclusions and 12 action
programs from 2010 to 17/02/2017), registered through coso.resolutions.services.

The committee gets five-year terms from the first period's start (numbers restart in each
term, as HD 36-HD/VPTW says), and each figure's documents are issued on days spread evenly over
its period, so the engine's count over the period is the figure.
"""

import datetime as dt

from coso.resolutions import services
from coso.resolutions.models import Term
from coso.resolutions.symbols import DocumentKind

MEASURES = {
    "documents.resolutions": DocumentKind.RESOLUTION,
    "documents.conclusions": DocumentKind.CONCLUSION,
    "documents.action_programs": DocumentKind.ACTION_PROGRAM,
}
SUBJECTS = {
    DocumentKind.RESOLUTION: "Nghị quyết chuyên đề số {n} của nhiệm kỳ",
    DocumentKind.CONCLUSION: "Kết luận của Ban Thường vụ số {n} của nhiệm kỳ",
    DocumentKind.ACTION_PROGRAM: "Chương trình hành động số {n} thực hiện nghị quyết",
}
TERM_YEARS = 5


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def build(p, *, actor=None) -> int:
    """Register the documents the plan's figures ask for; returns how many."""
    checks = p.needs.documents
    if not checks:
        return 0
    organization = p.main.organization
    first = min(c.period[0] for c in checks)
    last = max(c.period[1] for c in checks)
    if not Term.objects.filter(organization=organization).exists():
        start, n = first, 0
        while start <= last:
            services.open_term(actor=actor, organization=organization, name=f"{start.year}–{start.year + TERM_YEARS}", starts_on=start)
            start, n = _years_later(first, TERM_YEARS * (n + 1)), n + 1
    made = 0
    for c in checks:
        kind = MEASURES[c.measure]
        start, end = c.period
        span = (end - start).days
        count = int(c.expected)
        for i in range(count):
            day = start + dt.timedelta(days=span * (i + 1) // (count + 1))
            services.register_document(actor=actor, organization=organization, kind=kind, issued_on=day,
                                       subject=SUBJECTS[kind].format(n=i + 1))
            made += 1
    return made
