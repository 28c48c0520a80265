"""The inspection report of a subtree for a period: sections of figures from the measure engine,
each with the same period of the year before, shown on the page, in Excel and in PDF from the
same rows (reports/exports.py does the same for the statistical report).

The periods are those of the inspection statistics (885-QĐ/UBKTTW, reference §4.4): a month,
the first quarter, six months, nine months, the year and the term. The forms' codes and rows are
UNCONFIRMED, so the sections keep plain names. Every figure links to the records behind it;
there is no field to type or adjust a count.
"""

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from coso.lib.dates import fmt
from coso.lib.excel import OutColumn, write_xlsx
from coso.measures import engine
from coso.measures import inspection as m
from coso.measures.catalog import MEASURES

TERM_YEARS = 5


def period_of(kind: str, year: int, month: int | None = None, term_from: int | None = None) -> tuple[dt.date, dt.date]:
    if kind == "month":
        month = month or 1
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    if kind == "q1":
        return dt.date(year, 1, 1), dt.date(year, 3, 31)
    if kind == "six":
        return dt.date(year, 1, 1), dt.date(year, 6, 30)
    if kind == "nine":
        return dt.date(year, 1, 1), dt.date(year, 9, 30)
    if kind == "term":
        start = term_from or year
        return dt.date(start, 1, 1), dt.date(start + TERM_YEARS - 1, 12, 31)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def year_before(period):
    return engine.year_before(period[0]), engine.year_before(period[1])


@dataclass
class Line:
    label: str
    values: list  # this period's figures, then the year before's
    links: list  # (measure, by, key) behind each of this period's figures
    cells: list = field(default_factory=list)  # (figure, query of its records): the page's


@dataclass
class Section:
    title: str
    headers: list
    lines: list = field(default_factory=list)


def _section(title, measures, organization, period, scope, *, by=None, on_end=False) -> Section:
    before = year_before(period)
    headers = [str(MEASURES[n].label) for n in measures]
    headers = headers + [_("%(label)s (cùng kỳ năm trước)") % {"label": h} for h in headers]
    kwargs_now = {"on": period[1]} if on_end else {"period": period}
    kwargs_then = {"on": before[1]} if on_end else {"period": before}
    now = engine.table(measures, organization, by=by, scope=scope, **kwargs_now)
    try:
        then = engine.table(measures, organization, by=by, scope=scope, **kwargs_then)
    except engine.MeasureError:  # the organization did not exist a year before
        then = None
    section = Section(title, headers)
    if by is None:
        rows = [(None, _("Tổng số"), now.total)]
    else:
        rows = [*now.rows, (None, _("Tổng số"), now.total)]
    for key, label, values in rows:
        previous = [then.value(n, key) if then else None for n in measures]
        section.lines.append(Line(str(label), [values.get(n, 0) for n in measures] + previous,
                                  [(n, by if key is not None else None, key) for n in measures]))
    return section


def report(organization, period, scope) -> list[Section]:
    """The sections of the report: each one grouped query per family (engine.table)."""
    cases = ["inspection.cases", "inspection.cases.organizations", "inspection.cases.members"]
    return [
        _section(_("Kiểm tra, giám sát theo loại công việc"), cases, organization, period, scope, by=m.WORK_TYPE),
        _section(_("Kiểm tra, giám sát theo chủ thể"), cases, organization, period, scope, by=m.BODY),
        _section(_("Kiểm tra, giám sát theo tổ chức trực thuộc"), cases, organization, period, scope, by="child"),
        _section(_("Kết luận kiểm tra, giám sát"), ["inspection.concluded", "inspection.violations", "inspection.violations.organizations",
                                                   "inspection.violations.members", "inspection.discipline_considered"],
                 organization, period, scope),
        _section(_("Thi hành kỷ luật theo hình thức"), ["inspection.disciplined.members", "inspection.disciplined.organizations"],
                 organization, period, scope, by=m.FORM),
        _section(_("Thi hành kỷ luật theo cơ quan quyết định"), ["inspection.disciplined.members", "inspection.disciplined.organizations"],
                 organization, period, scope, by=m.BODY),
        _section(_("Thi hành kỷ luật theo nội dung vi phạm"), ["inspection.disciplined.members", "inspection.disciplined.organizations"],
                 organization, period, scope, by=m.CATEGORY),
        _section(_("Đơn tố cáo, khiếu nại kỷ luật nhận được"), ["inspection.denunciations", "inspection.complaints"], organization, period, scope),
        _section(_("Đơn tố cáo, khiếu nại kỷ luật đã giải quyết, theo kết quả"),
                 ["inspection.denunciations.handled", "inspection.complaints.handled"], organization, period, scope, by=m.OUTCOME),
        _section(_("Giải quyết, thay đổi quyết định kỷ luật"), ["inspection.corrections", "inspection.corrections.wrongful",
                                                                  "inspection.restored"], organization, period, scope, by=m.CORRECTION),
        _section(_("Kiến nghị sau kiểm tra, giám sát (tại ngày cuối kỳ)"), ["inspection.remedies.open", "inspection.remedies.overdue"],
                 organization, period, scope, on_end=True),
    ]


def _cell(v):
    return "" if v is None else v


def workbook(sections, title: list[str]) -> tuple[bytes, int]:
    width = max(len(s.headers) for s in sections) + 1
    rows = []
    for s in sections:
        rows.append([s.title])
        rows.append(["", *s.headers])
        for line in s.lines:
            rows.append([line.label, *[_cell(v) for v in line.values]])
        rows.append([])
    columns = [OutColumn(_("Chỉ tiêu"), 48)] + [OutColumn("", 14) for _i in range(width - 1)]
    return write_xlsx(sheet=_("Báo cáo kiểm tra"), columns=columns, rows=rows, title=title)


def _refuse(url, *args, **kwargs):
    raise ValueError(f"the report PDF loads no resource: {url}")


def pdf(sections, *, organization_name: str, period, issued: dt.date) -> tuple[bytes, int]:
    from weasyprint import HTML

    html = render_to_string("inspection/report_pdf.html", {
        "sections": sections, "organization_name": organization_name, "start": fmt(period[0]), "end": fmt(period[1]),
        "issued": fmt(issued)})
    return HTML(string=html, url_fetcher=_refuse).write_pdf(), sum(len(s.lines) for s in sections)
