"""The statistical report pages: the tables, the records behind each figure, Excel and PDF.

Every figure comes from the measure engine through standard.build (tables) or engine.rows (the
records behind a figure), with the user's scope: a page never counts anything itself.

The report takes the organization (?to_chuc=, default the user's scope organization; a global
administrator without one reports on the whole tree), the as-of date (?ngay=, default the working day: organizations.workday)
and the period of the changes table (?tu_ngay=&den_ngay=, default 1 January to the date).
Reading a report needs "members.view" (the figures are counts of the members and organizations
the user may read); exporting it "data.export", and every export is logged. Figures broken down
by ethnicity or religion are aggregates anyone with the report may see; the list of persons
behind such a figure reveals individuals' ethnicity or religion, so it needs "people.sensitive"
(DESIGN principle 4): without it the number is shown unlinked and the list answers 403.
"""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import quote_plus, urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from coso.access.scope import scope_for
from coso.access.services import log_export
from coso.lib import downloads, pagecache
from coso.lib.dates import fmt
from coso.lib.numbers import num, number_texts
from coso.measures import engine
from coso.measures.catalog import MEASURES, family
from coso.measures.dimensions import DIMENSIONS, keys_for
from coso.organizations.models import Placement
from coso.organizations.scope import Scope
from coso.organizations.selectors import requested_organization_id
from coso.organizations.workday import working_day
from coso.people.selectors import can_see_sensitive

from . import pdf, standard, summary
from .exports import head, period_text, report_workbook, section_rows
from .forms import ReportForm

VIEW = "members.view"
EXPORT = "data.export"
# A list of persons behind these figures shows who belongs to an ethnic group or a religion.
SENSITIVE_BREAKDOWNS = {"ethnicity", "ethnic_group", "religion"}
SENSITIVE_MEASURES = {"members.minority", "members.religious"}
PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def reveals_individuals(measure: str, by: str | None) -> bool:
    return measure in SENSITIVE_MEASURES or by in SENSITIVE_BREAKDOWNS


# ---------------------------------------------------------------- what a report is about


@dataclass
class Where:
    organization_id: int | None  # None: the whole tree (a global administrator)
    placement: Placement | None  # the organization on the as-of date; None if not in force then
    form: ReportForm
    whole_tree: bool = False
    day: object = None  # the working day (its line when the scope has ended; form errors are the form's)

    @property
    def workday(self):
        return self.day if self.day is not None and self.day.ok else None

    @property
    def on(self) -> dt.date:
        return self.form.dates()[0]

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        return self.form.dates()[1]

    @property
    def ready(self) -> bool:
        return self.whole_tree or self.placement is not None

    @property
    def name(self) -> str:
        return self.placement.name if self.placement else (_("Toàn hệ thống") if self.whole_tree else "")

    def query(self) -> dict:
        """The query string naming this report (the period only when it is not the default)."""
        params = {} if self.organization_id is None else {"to_chuc": self.organization_id}
        params["ngay"] = fmt(self.on)
        if self.period != standard.default_period(self.on):
            params.update(tu_ngay=fmt(self.period[0]), den_ngay=fmt(self.period[1]))
        if self.form.pair():
            params.update({name: self.form.cleaned_data[name] for name in self.form.PAIR_FIELDS})
        return params


def _where(request, scope: Scope, *, at_period_end: bool = False) -> Where:
    """The organization and dates asked for: 404 for an organization outside the scope. The
    organization must be in force on the as-of date (at the period's end for event figures)."""
    organization_id = requested_organization_id(request, default=scope.root_id)
    day = working_day(request)  # the default date: the scope's last day when it has ended
    form = ReportForm(request.GET, default_on=day.on)
    on, period = form.dates()
    if at_period_end:
        on = period[1]
    placement = None
    if organization_id is not None:
        placement = (Placement.objects.on(on).visible_to(scope).filter(organization_id=organization_id)
                     .select_related("organization").first())
        if placement is None:
            scope.check(organization_id)  # 404 outside the scope; else not in force that day
    form.show_organization(placement)
    return Where(organization_id, placement, form, whole_tree=organization_id is None and scope.is_global, day=day)


def _build(where: Where, scope: Scope):
    pair = where.form.pair()
    return standard.build(where.organization_id, where.on, where.period, scope=scope, name=where.name,
                          extra={"political_system": [pair]} if pair else None)


# ---------------------------------------------------------------- the report page


@dataclass
class Cell:
    value: int
    url: str = ""
    title: str = ""


@dataclass
class Row:
    label: str
    cells: list[Cell]
    zero: bool = False
    html: str = ""  # its <td> cells as the page shows them (_page_section)


@dataclass
class PageSection:
    rows: object  # exports.SectionRows
    lines: list[Row] = field(default_factory=list)
    total: Row | None = None
    body: str = ""  # the table's <tbody> rows, written once in Python (_page_section)


def _figure_urls(where: Where):
    """The address of the records behind each figure of a page (the measure, the report's query,
    the breakdown and its key): the address and the report's part of the query are built once (a report page links several hundred figures; reversing and encoding each whole
    cost a fifth of the page)."""
    head = f"{reverse('reports:figure')}?chi_tieu="
    tail = "&" + urlencode(where.query())

    def measure_part(measure: str) -> str:
        return head + quote_plus(measure) + tail

    def key_part(by, key) -> str:
        return "" if by is None else "&" + urlencode({"theo": by, "khoa": key})

    def url(measure: str, by, key) -> str:
        return measure_part(measure) + key_part(by, key)

    # a page's rows put together the measure's part (one per column) and the key's (one per row)
    url.measure_part, url.key_part = measure_part, key_part
    return url


def _page_section(s, where: Where, sensitive: bool, text=None) -> PageSection:
    """The section's rows with the address of each figure's records, and their HTML written here
    rather than by the template: a district's page has several thousand linked figures, and the
    template language's loop, escaping and number filter for each cost more than the rest of the
    page (the markup is the one the template wrote: coso/reports/templates/reports/statistics.html)."""
    measures = s.table.measures
    by = s.section.by
    figure_url = _figure_urls(where)
    text = text or number_texts()
    labels = [str(MEASURES[m].label) for m in measures]
    heads = [figure_url.measure_part(m) for m in measures]
    # escaping is per character: the escaped parts make the escaped whole
    heads_html, labels_html = [escape(h) for h in heads], [escape(label) for label in labels]
    hidden = [not sensitive and reveals_individuals(m, by) for m in measures]
    hidden_total = [not sensitive and reveals_individuals(m, None) for m in measures]

    def row(line, key_by, private) -> Row:
        cells, html = [], []
        label = escape(line.label)
        key = figure_url.key_part(key_by, line.key)
        key_html = escape(key)
        for i, value in enumerate(line.values):
            number = text(value) if type(value) is int else escape(num(value))
            if value and not private[i]:
                cells.append(Cell(value, heads[i] + key, f"{labels[i]} — {line.label}"))
                html.append(f'<td class="num"><a href="{heads_html[i]}{key_html}" title="{labels_html[i]} — {label}">{number}</a></td>')
            else:
                cells.append(Cell(value))
                html.append(f'<td class="num">{number}</td>')
        return Row(line.label, cells, zero=line.zero, html=mark_safe("".join(html)))  # noqa: S308 (every part escaped above)

    page = PageSection(s)
    page.lines = [row(line, by, hidden) for line in s.lines]
    page.total = row(s.total, None, hidden_total)  # the total's records: no breakdown needed
    collapse = f' class="collapse zero-{escape(s.code)}"'
    page.body = mark_safe("".join(  # noqa: S308 (every part escaped)
        f'<tr{collapse if s.long and r.zero else ""}>\n      <th scope="row" class="fw-normal">{escape(r.label)}</th>\n      {r.html}\n    </tr>'
        for r in page.lines))
    return page


@require_GET
def statistics(request):
    scope = scope_for(request)
    scope.require(VIEW)
    where = _where(request, scope)
    sections, paragraph = [], ""
    if not where.form.is_valid():
        pass  # the form says what is wrong with a date
    elif where.organization_id is None and not where.whole_tree:
        messages.info(request, _("Chọn một tổ chức để xem."))
    elif not where.ready:
        messages.warning(request, _("Tổ chức này không hoạt động trong phạm vi của bạn vào ngày %(date)s.") % {"date": fmt(where.on)})
    elif where.form.is_valid():
        sensitive = can_see_sensitive(scope)

        def page():
            report = _build(where, scope)
            text = number_texts()
            return [_page_section(s, where, sensitive, text) for s in section_rows(report)], summary.paragraph(report)

        # the same report asked again while the data has not changed: from the cache (coso/lib/pagecache.py)
        key = ("report", scope.root_id, scope.is_global, sensitive, sorted(where.query().items()))
        try:
            sections, paragraph = pagecache.cached(key, page, subtree=where.organization_id)
        except engine.MeasureError as error:
            messages.warning(request, error.messages[0])
    context = {
        "where": where,
        "workday": where.workday,
        "form": where.form,
        "on_text": fmt(where.on),
        "period_text": period_text(where.period),
        "sections": sections,
        "summary": paragraph,
        "can_export": scope.can(EXPORT) and bool(sections),
        "export_query": urlencode(where.query()),
        "export_params": where.query(),
        "document_dates": _document_dates(where),
    }
    return render(request, "reports/statistics.html", context)


# ---------------------------------------------------------------- the records behind a figure


def _key(by: str | None, raw: str | None):
    if by is None or raw is None or raw == "":
        return None
    if by in ("child", "year"):
        try:
            return int(raw.replace(".", "").replace(",", ""))
        except ValueError:
            raise Http404 from None
    return raw


def _key_label(by: str, key, where: Where, on: dt.date) -> str:
    if by == "child":
        if key == where.organization_id:
            return _("Trực tiếp tại tổ chức")
        placement = Placement.objects.on(on).filter(organization_id=key).only("name").first()
        return placement.name if placement else str(key)
    return str(dict(keys_for(by, [key])).get(key, key))


def _names_on(organization_ids, on: dt.date) -> dict[int, str]:
    """Each organization's name on the date (its last name when closed by then): one query."""
    names = {}
    rows = Placement.objects.filter(organization_id__in=set(organization_ids)).filter(valid_from__lte=on).order_by("valid_from")
    for organization_id, name in rows.values_list("organization_id", "name"):
        names[organization_id] = name
    return names


@require_GET
def figure(request):
    """The records counted by one figure of the report: as many rows as the figure says."""
    scope = scope_for(request)
    scope.require(VIEW)
    name = request.GET.get("chi_tieu", "")
    if name not in MEASURES:
        raise Http404
    counted = family(name)
    by = request.GET.get("theo") or None
    if by is not None and (by not in DIMENSIONS or by not in counted.breakdowns):
        raise Http404
    key = _key(by, request.GET.get("khoa"))
    over_period = counted.over_period
    where = _where(request, scope, at_period_end=over_period)
    if not where.form.is_valid():
        return redirect(f"{reverse('reports:statistics')}?{request.GET.urlencode()}")  # the report says what is wrong
    if not where.ready:
        raise Http404
    if reveals_individuals(name, by) and not can_see_sensitive(scope):
        raise PermissionDenied
    when = {"period": where.period} if over_period else {"on": where.on}
    try:
        qs = engine.rows(name, where.organization_id, by=by, key=key, scope=scope, **when)
    except (engine.MeasureError, ValueError, TypeError):
        raise Http404 from None
    as_of = where.period[1] if over_period else where.on
    page = Paginator(counted.order(qs), PAGE_SIZE).get_page(request.GET.get("trang"))
    rows = list(page.object_list)
    attr = counted.organization_attr  # the attribute naming a row's organization, if any
    if attr is not None:
        names = _names_on([getattr(r, attr) for r in rows if getattr(r, attr)], as_of)
        for r in rows:
            r.organization_name = names.get(getattr(r, attr), "")
    report_query = where.query()
    context = {
        "where": where,
        "measure": MEASURES[name],
        "rows_template": f"reports/rows/{counted.name}.html",  # one file per family: a new family adds its own
        "dimension": DIMENSIONS[by] if by else None,
        "key_label": _key_label(by, key, where, as_of) if by and key is not None else "",
        "events": over_period,
        "workday": where.workday,
        "on_text": fmt(where.on),
        "period_text": period_text(where.period),
        "page": page,
        "rows": rows,
        "report_url": f"{reverse('reports:statistics')}?{urlencode(report_query)}",
    }
    return render(request, "reports/figure.html", context)


# ---------------------------------------------------------------- exports


# the date a document is dated with ("Núi Thành, ngày … tháng … năm …"), as the user chooses
DOCUMENT_DATE_PARAM = "ngay_ghi"
REPORT_DATE, PRINT_DATE = "bao-cao", "in"


def _default_document_date(where: Where) -> str:
    """The printing date, unless the organization no longer exists today: a report of a
    committee that has ended is dated with its own date by default."""
    today = timezone.localdate()
    if where.placement is None or where.on >= today:
        return PRINT_DATE
    ended = not Placement.objects.on(today).filter(organization_id=where.placement.organization_id).exists()
    return REPORT_DATE if ended else PRINT_DATE


def _document_dates(where: Where) -> list[tuple[str, str, bool]]:
    """The choices of the export buttons: (value, label, chosen by default)."""
    default = _default_document_date(where)
    return [
        (REPORT_DATE, _("Ngày báo cáo (%(date)s)") % {"date": fmt(where.on)}, default == REPORT_DATE),
        (PRINT_DATE, _("Ngày in (%(date)s)") % {"date": fmt(timezone.localdate())}, default == PRINT_DATE),
    ]


def _issued(request, where: Where) -> dt.date:
    choice = request.GET.get(DOCUMENT_DATE_PARAM) or _default_document_date(where)
    return where.on if choice == REPORT_DATE else timezone.localdate()


def _export_report(request):
    """The report for an export, in Vietnamese whatever the user's language (the file is the
    office's document): 404 outside the scope, 403 without "data.export"."""
    scope = scope_for(request)
    scope.require(VIEW)
    where = _where(request, scope)
    scope.require(EXPORT)
    if not where.form.is_valid():
        raise _BadDates
    if not where.ready:
        raise Http404
    with translation.override("vi"):
        try:
            report = _build(where, scope)
        except engine.MeasureError:
            raise Http404 from None
        document = head(report, _issued(request, where))
    return where, report, document


def _filename(where: Where, extension: str) -> str:
    code = where.placement.organization.code if where.placement else "toan-he-thong"
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in code)
    return f"bao-cao-thong-ke-{safe}-{where.on:%Y%m%d}.{extension}"


def _log(request, where: Where, file_format: str, rows: int) -> None:
    log_export(user=request.user, kind="reports.statistics", file_format=file_format, rows=rows,
               organization_id=where.organization_id, sensitive=False, parameters=where.query())


class _BadDates(Exception):
    """An export asked with a date that is not a date: back to the report, which says so."""


def _back_to_report(view):
    def wrapper(request):
        try:
            return view(request)
        except _BadDates:
            return redirect(f"{reverse('reports:statistics')}?{request.GET.urlencode()}")
    wrapper.__name__, wrapper.__doc__ = view.__name__, view.__doc__
    return wrapper


def _send(request, where: Where, file_format: str, content_type: str, produce):
    """The file, written whole to disk before it is sent (a full disk: a message, no file), then logged."""
    try:
        with translation.override("vi"):
            response, rows = downloads.attachment(produce, filename=_filename(where, file_format), content_type=content_type)
    except downloads.ExportFailed as error:
        return downloads.failed(request, error)
    _log(request, where, file_format, rows)
    return response


@require_GET
@_back_to_report
def statistics_xlsx(request):
    where, report, document = _export_report(request)
    return _send(request, where, "xlsx", XLSX, lambda: report_workbook(report, document))


@require_GET
@_back_to_report
def statistics_pdf(request):
    where, report, document = _export_report(request)
    return _send(request, where, "pdf", "application/pdf", lambda: pdf.render(report, document))
