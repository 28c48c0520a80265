"""A review's table as the sơ kết/tổng kết appendix: one source of rows for the page, the Excel
file and the PDF (WeasyPrint with Debian's DejaVu fonts, no resource loaded from anywhere)."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coso.lib.dates import fmt
from coso.lib.excel import OutColumn, write_xlsx
from coso.lib.numbers import num
from coso.organizations.selectors import last_placement

from .models import Review
from .progress import Status, whole

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def filename(review: Review, file_format: str) -> str:
    return f"chi-tieu-{review.document.symbol.replace('/', '-')}-{review.on:%Y%m%d}.{file_format}"


def title(review: Review) -> str:
    return _("%(kind)s thực hiện %(document)s") % {"kind": review.get_kind_display(), "document": review.document.title}


def rows(review: Review) -> list[list]:
    """STT, mã, chỉ tiêu, mức chỉ tiêu, kết quả, % chỉ tiêu, đánh giá, nguồn, nhận xét."""
    out = []
    for i, line in enumerate(review.lines.select_related("target").order_by("order"), 1):
        t = line.target
        out.append([
            i, t.code, t.text, f"{t.sign} {num(t.threshold)}{t.unit_text}",
            "" if line.value is None else f"{num(line.value, 1 if line.value % 1 else 0)}{t.unit_text}",
            "" if line.achievement is None else f"{num(whole(line.achievement))}%",
            str(Status(line.status).label), _("Tính từ dữ liệu") if line.computed else _("Số liệu báo cáo") + (f": {line.note}" if line.note else ""),
            line.comment,
        ])
    return out


HEADERS = [(gettext_lazy("STT"), 6), (gettext_lazy("Mã"), 8), (gettext_lazy("Chỉ tiêu"), 50), (gettext_lazy("Mức chỉ tiêu"), 14),
           (gettext_lazy("Kết quả"), 14), (gettext_lazy("Đạt (phần trăm chỉ tiêu)"), 12), (gettext_lazy("Đánh giá"), 16),
           (gettext_lazy("Nguồn số liệu"), 24), (gettext_lazy("Nhận xét"), 30)]


def headers() -> list[tuple[str, float]]:
    return [(str(h), w) for h, w in HEADERS]


def _state(review: Review) -> str:
    if review.state == Review.State.ADOPTED:
        return _("Đã thông qua ngày %(date)s") % {"date": fmt(review.adopted_at.date())}
    return _("Dự thảo (chưa thông qua)")


def review_xlsx(review: Review) -> tuple[bytes, int]:
    return write_xlsx(sheet=_("Chỉ tiêu"), columns=[OutColumn(h, w) for h, w in headers()], rows=rows(review), title=[
        title(review).upper(), _("Số liệu tính đến ngày %(date)s — %(state)s") % {"date": fmt(review.on), "state": _state(review)},
        _("%(met)s/%(total)s chỉ tiêu đạt và vượt") % {"met": review.met, "total": review.total}])


def review_pdf(review: Review) -> tuple[bytes, int]:
    from weasyprint import (
        HTML,  # loaded when the first PDF is asked (coso/reports/pdf.py warms it up)
    )

    placement = last_placement(review.organization_id)
    table = rows(review)
    html = render_to_string("targets/review_pdf.html", {
        "review": review, "title": title(review).upper(), "committee": (placement.name if placement else "").upper(),
        "headers": [h for h, _w in headers()], "rows": table, "state": _state(review), "on_text": fmt(review.on),
        "sentences": [line.sentence for line in review.lines.order_by("order")],
    })
    return HTML(string=html, url_fetcher=_refuse).write_pdf(), len(table)


def _refuse(url, *args, **kwargs):
    raise ValueError(f"the review PDF loads no resource: {url}")
