"""The statistical report as a PDF a party office files: A4, the committee at the top left and
"ĐẢNG CỘNG SẢN VIỆT NAM" at the top right, the place and date, the title, the written summary,
then the tables. WeasyPrint renders it with Debian's DejaVu fonts, named by family (no web font,
and the fetcher refuses every URL: nothing is loaded from anywhere).
"""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from coso.lib.dates import fmt

from . import summary
from .exports import Head, period_text, section_rows


def summary_paragraph(report) -> str:
    """The written summary of coso.reports.summary, the same paragraph as on the page."""
    return summary.paragraph(report)


def warm_up() -> None:
    """Load WeasyPrint, Pango and the DejaVu fonts once, before the first user asks for a PDF: the
    first PDF of a process otherwise pays about a second to import WeasyPrint and more to load
    the fonts (several seconds on a busy machine). Called when a server process starts
    (coso/gunicorn_conf.py; runserver through ReportsConfig.ready)."""
    from weasyprint import HTML

    HTML(string='<p style="font-family: \'DejaVu Serif\'">Đảng <b>Việt Nam</b> <i>ngày</i></p>', url_fetcher=_refuse).write_pdf()


def _refuse(url, *args, **kwargs):
    raise ValueError(f"the report PDF loads no resource: {url}")


WIDE = 6  # tables with more number columns than this print on a landscape page


def _widths(columns: int) -> tuple[float, float]:
    """Percent widths of the label column and of each number column: room for "5.600.000"."""
    measures = columns - 1
    each = 15.0 if measures <= 3 else 12.0 if measures <= WIDE else 7.8
    return round(100 - each * measures, 1), each


def render(report, document: Head) -> tuple[bytes, int]:
    """The PDF and the number of table rows it prints."""
    from weasyprint import HTML

    sections = []
    count = 0
    for s in section_rows(report):
        lines = s.printed_lines()
        count += len(lines)
        label_width, number_width = _widths(len(s.headers))
        sections.append({
            "rows": s, "lines": lines, "hidden": len(s.lines) - len(lines),
            "label_width": label_width, "number_width": number_width, "wide": len(s.headers) - 1 > WIDE,
            "period": period_text(s.period).lower() if s.period else "",
        })
    html = render_to_string("reports/pdf.html", {
        "report": report,
        "head": document,
        "on_text": fmt(report.on),
        "period": period_text(report.period),
        "summary": summary_paragraph(report),
        "sections": sections,
        "title": _("BÁO CÁO THỐNG KÊ ĐẢNG VIÊN, TỔ CHỨC ĐẢNG"),
    })
    return HTML(string=html, url_fetcher=_refuse).write_pdf(), count
