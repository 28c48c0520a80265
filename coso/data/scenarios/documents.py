"""The documents of a scenario, registered through coso.resolutions.services and coso.targets.services.

- The documents a figure counts (Nghèn: 41 resolutions, 16 conclusions and 12 action programs
  from 2010 to 17/02/2017): the committee gets five-year terms from the first period's start
  (numbers restart in each term, as HD 36-HD/VPTW says), and each figure's documents are issued on
  days spread evenly over its period, so the engine's count over the period is the figure.
- The documents the articles name and their targets (`documents:` and `targets:` sections):
  Núi Thành's 02-NQ/HU (2021), Nông Sơn's province resolution 13-NQ/TU (2013, the province
  committee's, inherited by the district) and Thạnh Trị's Nghị quyết 02 (term 2020–2025). Each
  target's kind is mapped to a formula over the catalog (TARGET_FORMULAS); the articles do not
  give the days of issue nor of the congresses, so those are set here (UNCONFIRMED, ISSUED).
  Nông Sơn's targets on villages and village heads are computed by the commune political system's
  measures (coso/measures/grassroots.py); Thạnh Trị's targets on the district's own cadres and
  department heads name figures the catalog does not have (the staffing capability covers commune
  cadres) and stay "chưa tính được", naming them.
"""

import datetime as dt
import re
from decimal import Decimal

from coso.organizations.models import Placement
from coso.resolutions import services
from coso.resolutions.models import Term
from coso.resolutions.symbols import DocumentKind
from coso.targets import services as targets

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
    """Register the documents the plan's figures ask for, then the named documents and their
    targets; returns how many documents."""
    return _counted(p, actor) + _named(p, actor)


def _counted(p, actor) -> int:
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


# (pattern on the target's kind, numerator, denominator, horizon): the first that matches
TARGET_FORMULAS = [
    (r"TCCS and chi bộ trực thuộc rated .*", "ratings.organizations.good_or_better", "ratings.organizations", "each_year"),
    (r"members rated .*", "ratings.members.good_or_better", "ratings.members", "each_year"),
    (r"new members admitted.*", "events.admitted", "", "term"),
    (r"socio-political organizations rated .*", "ratings.mass_organizations.good_or_better", "ratings.mass_organizations", "by_date"),
    # the commune political system (coso/grassroots): villages whose cell has a chi ủy among those
    # with a cell; village heads who are members (the deputy heads, militia leaders and police the
    # resolution also names are not posts of the catalog: the heads stand for them)
    (r"village chi bộ that have a chi ủy", "villages.cell_committee", "villages.with_cell", "by_date"),
    (r"village heads.*party members", "posts.village_heads.members", "posts.village_heads", "by_date"),
    # district-level staff (the district's own agencies and departments) are not records of the
    # system, whose staffing covers communes: "chưa tính được" naming the figure missing. Holding
    # them before 01/07/2025 takes a change of coso/staffing, not of this loader: an Employment's
    # employer is a commune (services refuse any other level of AdminUnit), its bodies are a
    # commune's (BodyKind), the cán bộ / công chức categories of a district are in force from
    # 01/07/2025 only (reference.CATEGORY_SPANS: before, only the commune-level ones), and no post
    # names a district department's head or deputy; the article gives the targets, not the staff
    (r"cadres, civil servants and public employees holding a master's degree", "staff.masters", "staff", "by_date"),
    (r"cadres and civil servants with intermediate political theory or higher", "staff.civil_servants.theory_intermediate_or_higher",
     "staff.civil_servants", "by_date"),
    (r"public employees with intermediate political theory or higher", "staff.public_employees.theory_intermediate_or_higher",
     "staff.public_employees", "by_date"),
    (r"heads of district departments.*advanced political theory", "posts.department_heads.theory_advanced", "posts.department_heads",
     "by_date"),
    (r"deputy heads of district departments.*advanced political theory", "posts.department_deputies.theory_advanced",
     "posts.department_deputies", "by_date"),
]
COMPARATORS = {">": "gt", ">=": "ge", "=": "eq", "<=": "le", "<": "lt"}
# (scenario, symbol): (issuing level, term start, issue date), UNCONFIRMED: the articles give the years only
ISSUED = {
    ("nui-thanh", "02-NQ/HU"): ("main", dt.date(2020, 10, 1), dt.date(2021, 6, 1)),
    ("nong-son", "13-NQ/TU"): ("province", dt.date(2010, 10, 1), dt.date(2013, 6, 1)),
    ("thanh-tri", "02-NQ/HU"): ("main", dt.date(2020, 10, 1), dt.date(2020, 12, 1)),
}
THANH_TRI_DOCUMENT = "02-NQ/HU"  # "Nghị quyết 02 of the district committee, term 2020-2025"


def formula(kind: str) -> tuple[str, str, str]:
    for pattern, numerator, denominator, horizon in TARGET_FORMULAS:
        if re.fullmatch(pattern, kind, flags=re.IGNORECASE):
            return numerator, denominator, horizon
    return "", "", "by_date"


def _issuer(p, level: str):
    if level == "main":
        return p.main.organization
    placement = Placement.objects.filter(organization=p.main.organization).order_by("valid_from").first()
    parent = placement.parent
    while parent is not None:
        top = Placement.objects.filter(organization=parent).order_by("-valid_from").first()
        if top.parent_id is None:
            return parent
        parent = top.parent
    return p.main.organization


def _document(p, symbol: str, subject: str, actor):
    level, term_start, issued = ISSUED[(p.scenario.key, symbol)]
    issuer = _issuer(p, level)
    if not Term.objects.filter(organization=issuer, valid_from=term_start).exists():
        services.open_term(actor=actor, organization=issuer, name=f"{term_start.year}–{term_start.year + TERM_YEARS}", starts_on=term_start)
    number = int(symbol.split("-")[0])
    return services.register_document(actor=actor, organization=issuer, kind=DocumentKind.RESOLUTION, issued_on=issued, number=number,
                                      subject=subject)


def _named(p, actor) -> int:
    made = {}
    for f in p.scenario.figures:
        if f.section == "documents":
            made[f.data["number"]] = _document(p, str(f.data["number"]), str(f.data.get("title") or f.kind), actor)
    for i, f in enumerate(x for x in p.scenario.figures if x.section == "targets"):
        symbol = str(f.data.get("document") or THANH_TRI_DOCUMENT).split(" ")[0]
        if symbol not in made:
            made[symbol] = _document(p, symbol, str(f.data.get("document") or "Nghị quyết 02 của Ban Chấp hành Đảng bộ huyện"), actor)
        document = made[symbol]
        numerator, denominator, horizon = formula(f.kind)
        threshold = Decimal(str(f.data.get("percent", f.data.get("value", 0))))
        by = f.data.get("by")
        due = dt.date(int(by), 12, 31) if by else _years_later(document.term.valid_from, TERM_YEARS) - dt.timedelta(days=1)
        target = targets.create_target(actor=actor, document=document, code=str(i + 1), text=f.kind[:500], numerator=numerator,
                                       denominator=denominator, comparator=COMPARATORS.get(str(f.data.get("comparator", ">=")), "ge"),
                                       threshold=threshold, horizon=horizon, due_on=due, percent="percent" in f.data,
                                       cascade=document.organization_id != p.main.organization.pk)
        if document.organization_id != p.main.organization.pk:  # a province's target: the district carries it out
            targets.inherit_target(actor=actor, target=target, organization=p.main.organization, on=p.end)
    return len(made)
