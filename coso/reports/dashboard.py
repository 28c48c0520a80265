"""The dashboard (Tổng quan): an organization's key figures on a date, their change against the
same date a year before, and charts, for the user's scope.

Every number comes from the measure engine; this module only chooses the measures, asks the
engine and shapes the answers for the page (cards, chart series as JSON, the table of children).
Engine calls, whatever the size of the tree: the key figures by child (one table), the same a year
before (one table), the members on 31/12 of each of the last ten years (ten counts: the engine has
no several-dates table), four compositions (one table each) and the admissions by year (one table).
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from coso.access.scope import scope_for
from coso.lib import pagecache
from coso.lib.dates import fmt
from coso.lib.numbers import number_texts
from coso.measures import engine
from coso.measures.catalog import INDICATORS, MEASURES
from coso.measures.engine import MeasureError
from coso.members.forms import OrganizationPickForm
from coso.organizations import selectors as org_selectors
from coso.organizations.models import Placement
from coso.organizations.scope import Scope
from coso.organizations.selectors import requested_organization_id
from coso.organizations.workday import working_day

# "reports.view" is not yet granted by coso/access/permissions.py: the dashboard is open to whoever
# may read the member list, until the reports permission lands.
PERMISSION = "members.view"

YEARS = 10

# the cards, in order: (name, is an indicator)
CARDS = [
    ("members", False),
    ("pct.female", True),
    ("pct.minority", True),
    ("pct.probationary", True),
    ("orgs.grassroots", False),
    ("orgs.subordinate_cells", False),
    ("candidates", False),
    ("members_per_cell", True),
]
# the short headings of the children's table, one per card
COLUMNS = [
    gettext_lazy("Đảng viên"), gettext_lazy("Nữ (%)"), gettext_lazy("Dân tộc thiểu số (%)"), gettext_lazy("Dự bị (%)"),
    gettext_lazy("Tổ chức cơ sở đảng"), gettext_lazy("Chi bộ trực thuộc"), gettext_lazy("Quần chúng ưu tú"),
    gettext_lazy("Đảng viên mỗi chi bộ"),
]
RATIOS = [name for name, is_indicator in CARDS if is_indicator]
# the measures behind the cards (the indicators' numerators and denominators included)
KEY_MEASURES = [
    "members", "members.female", "members.minority", "members.probationary",
    "orgs.grassroots", "orgs.subordinate_cells", "orgs.cells", "candidates",
]
# organizations by kind, top level first; kinds with none are left out of the chart
KIND_MEASURES = [
    "orgs.district_committees", "orgs.commune_committees", "orgs.grassroots_committees", "orgs.grassroots_cells",
    "orgs.partial_committees", "orgs.subordinate_cells", "orgs.party_groups",
]
COMPOSITIONS = [
    ("gender", gettext_lazy("Theo giới tính")),
    ("ethnic_group", gettext_lazy("Theo dân tộc")),
    ("age", gettext_lazy("Theo độ tuổi")),
    ("education", gettext_lazy("Theo trình độ giáo dục phổ thông")),
]


@dataclass
class Card:
    name: str
    label: str
    value: int | Decimal | None
    before: int | Decimal | None  # None: unknown (the organization did not exist a year before) or no ratio
    known_before: bool

    @property
    def change(self) -> int | Decimal | None:
        """The change against a year before: absolute, in percentage points for percentages."""
        if not self.known_before or self.value is None or self.before is None:
            return None
        return self.value - self.before

    @property
    def direction(self) -> str:
        change = self.change
        if change is None:
            return ""
        return "up" if change > 0 else "down" if change < 0 else "same"

    @property
    def magnitude(self):
        change = self.change
        return None if change is None else abs(change)

    @property
    def percent(self) -> bool:
        return self.name in INDICATORS and INDICATORS[self.name].percent


@dataclass
class ChildRow:
    organization_id: int
    name: str
    url: str  # "" for the organization's own members (not a child)
    values: dict  # {measure or indicator: value}
    texts: list[str] = field(default_factory=list)  # the values in the order of the cards, as printed

    @property
    def cells(self) -> list:
        """The values in the order of the cards (None: no ratio)."""
        return [self.values[name] for name, _is_indicator in CARDS]


@dataclass
class Dashboard:
    on: dt.date
    before_on: dt.date
    cards: list[Card]
    children: list[ChildRow]
    charts: dict = field(default_factory=dict)  # the chart series, sent to the page as JSON
    has_members: bool = False

    def chart_rows(self, key: str) -> list[tuple]:
        """(label, value) of a chart, for its table (screen readers, printing)."""
        chart = self.charts[key]
        return list(zip(chart["labels"], chart["values"], strict=True))

    @property
    def composition_tables(self) -> list[tuple[dict, list[tuple]]]:
        return [(c, list(zip(c["labels"], c["values"], strict=True))) for c in self.charts["compositions"]]

    @property
    def columns(self) -> list[tuple[str, bool]]:
        """(heading, is a percentage) of the children's table."""
        return [(str(label), card.percent) for label, card in zip(COLUMNS, self.cards, strict=True)]

    @property
    def totals(self) -> list[str]:
        text = number_texts()
        return [text(card.value) for card in self.cards]

    @property
    def series_rows(self):
        return self.chart_rows("members_by_year")

    @property
    def admission_rows(self):
        return self.chart_rows("admissions")

    @property
    def kind_rows(self):
        return self.chart_rows("kinds")


def dashboard_url(organization_id: int | None, on: dt.date, page: str = "") -> str:
    """The dashboard of the organization on the date (page: the dashboard's path, when known)."""
    params = {"ngay": fmt(on)}
    if organization_id is not None:
        params = {"to_chuc": organization_id, **params}
    return f"{page or reverse('reports:dashboard')}?{urlencode(params)}"


def _series(organization_id, on: dt.date, scope: Scope, today_value: int) -> dict:
    """Members on 31/12 of each of the last ten years, then on the date (None where the
    organization did not exist): one query through engine.series."""
    days = [dt.date(year, 12, 31) for year in range(on.year - YEARS, on.year)]
    values = engine.series("members", organization_id, days, scope=scope)
    return {"labels": [fmt(d) for d in days] + [fmt(on)], "values": [*values, today_value]}


def _composition(table) -> dict:
    rows = [(label, values["members"]) for _key, label, values in table.rows if values["members"]]
    return {"labels": [label for label, _n in rows], "values": [n for _label, n in rows]}


def _admissions(organization_id, on: dt.date, scope: Scope, tree) -> dict:
    first = on.year - YEARS + 1
    table = engine.table(["events.admitted"], organization_id, by="year", period=(dt.date(first, 1, 1), on), scope=scope, tree=tree)
    found = {int(key): values["events.admitted"] for key, _label, values in table.rows if key not in (None, "?")}
    years = list(range(first, on.year + 1))
    return {"labels": [str(y) for y in years], "values": [found.get(y, 0) for y in years]}


def build(organization_id: int | None, on: dt.date, scope: Scope, *, checked: bool = False) -> Dashboard:
    """The dashboard of the organization's subtree (None: the whole tree of a global scope).

    checked: the caller found the organization's placement on the date inside the scope. Its
    subtree on that date then lies inside the scope (every path under it starts with a path of the
    scope), so the calls about that date skip the engine's own scope check (one query each and a
    condition in every subquery); the calls about other dates keep it, the tree may have differed.
    """
    here = None if checked else scope
    tree = engine.subtree(organization_id, on, here)  # resolved once for every table of the date
    main = engine.table(KEY_MEASURES + [m for m in KIND_MEASURES if m not in KEY_MEASURES], organization_id,
                        by="child", on=on, scope=here, tree=tree)
    compositions = engine.tables(["members"], organization_id, [by for by, _title in COMPOSITIONS], on=on, scope=here, tree=tree)
    now = {**main.total, **engine.indicators(RATIOS, on=on, measures=main.total)}
    before_on = engine.year_before(on)
    try:
        previous = engine.table(KEY_MEASURES, organization_id, on=before_on, scope=scope).total
        before = {**previous, **engine.indicators(RATIOS, on=before_on, measures=previous)}
    except MeasureError:
        before = None
    cards = [
        Card(name=name, label=str(INDICATORS[name].label if is_indicator else MEASURES[name].label), value=now[name],
             before=before[name] if before else None, known_before=before is not None)
        for name, is_indicator in CARDS
    ]

    text = number_texts()
    page = reverse("reports:dashboard")
    children = []
    for key, label, values in main.rows:
        own = key == organization_id
        row = ChildRow(organization_id=key, name=label, url="" if own else dashboard_url(key, on, page),
                       values={**values, **engine.indicators(RATIOS, on=on, measures=values)})
        row.texts = [text(v) for v in row.cells]
        children.append(row)
    by_members = sorted(children, key=lambda c: -c.values["members"])

    charts = {
        "members_by_year": _series(organization_id, on, scope, main.total["members"]),
        "compositions": [
            {"key": by, "title": str(title), **_composition(compositions[by])} for by, title in COMPOSITIONS
        ],
        "admissions": _admissions(organization_id, on, here, tree),
        "kinds": {
            "labels": [str(MEASURES[m].label) for m in KIND_MEASURES if main.total[m]],
            "values": [main.total[m] for m in KIND_MEASURES if main.total[m]],
        },
        "children": {
            "labels": [c.name for c in by_members],
            "values": [c.values["members"] for c in by_members],
            "urls": [c.url for c in by_members],
        },
        "text": {"members": _("Đảng viên"), "admitted": _("Kết nạp"), "organizations": _("Tổ chức")},
    }
    return Dashboard(on=on, before_on=before_on, cards=cards, children=children, charts=charts,
                     has_members=main.total["members"] > 0)


# ---------------------------------------------------------------- the page


def _organization_id(request, scope: Scope) -> int | None:
    return requested_organization_id(request, default=scope.root_id)  # None: a global administrator sees the whole tree


@require_GET
def dashboard(request):
    scope = scope_for(request)
    scope.require(PERMISSION)
    day = working_day(request)  # the scope's last day when it has ended; an unreadable date is an error
    on = day.on
    organization_id = _organization_id(request, scope)
    placement = None
    ancestors = []
    context = {"on": on, "on_text": fmt(on), "board": None, "workday": day}
    if not day.ok:
        if organization_id is not None:
            scope.check(organization_id)
    elif organization_id is None and not scope.is_global:
        messages.info(request, _("Chọn một tổ chức để xem."))
    elif organization_id is not None:
        # one query in the common case: the placement on the date, inside the scope
        placement = Placement.objects.on(on).visible_to(scope).filter(organization_id=organization_id).first()
        if placement is None:
            scope.check(organization_id)  # 404 outside the scope; else not in force that day
            messages.warning(request, _("Tổ chức này không hoạt động trong phạm vi của bạn vào ngày %(date)s.") % {"date": fmt(on)})
        elif organization_id != scope.root_id:
            ancestors = org_selectors.ancestors(placement, on, scope)
    if day.ok and ((organization_id is None and scope.is_global) or placement is not None):
        checked = placement is not None
        # asked again while the data has not changed: from the cache (coso/lib/pagecache.py)
        board = pagecache.cached(("dashboard", scope.root_id, scope.is_global, organization_id, on, checked),
                                 lambda: build(organization_id, on, scope, checked=checked), subtree=organization_id)
        context.update({
            "board": board,
            "before_text": fmt(board.before_on),
            "charts": board.charts,
            "title": placement.name if placement else _("Toàn hệ thống"),
        })
    context.update({
        "placement": placement,
        "ancestors": [(a.name, dashboard_url(a.organization_id, on)) for a in ancestors],
        "root_url": dashboard_url(None, on) if scope.is_global else "",
        "pick": OrganizationPickForm(placement=placement or (org_selectors.last_placement(organization_id) if organization_id and not day.ok else None),
                                     on_text=day.box, invalid=not day.ok),
    })
    return render(request, "reports/dashboard/page.html", context)
