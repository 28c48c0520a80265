"""A commune's post list on a date as offices keep it (Excel): one row per post, the bodies in the
chart's order, party members marked. The same rows the chart shows (selectors.chart)."""

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from coso.lib import excel
from coso.lib.dates import fmt
from coso.lib.excel import put

from . import selectors

# lazy: translated when the file is made, in the language of the request (not at import)
L = gettext_lazy
HEADERS = [L("STT"), L("Họ và tên"), L("Ngày sinh"), L("Chức danh"), L("Cơ quan, tổ chức"), L("Thôn, tổ dân phố"),
           L("Đảng viên"), L("Giữ chức từ ngày"), L("Hình thức"), L("Số quyết định")]


def _nodes(nodes):
    for node in nodes:
        yield node
        yield from _nodes(node.children)


def rows(unit, on: dt.date):
    chart = selectors.chart(unit, on)
    nodes = [n for group in chart["groups"].values() for n in _nodes(group)]
    nodes += [n for _village, village_nodes in chart["villages"] for n in _nodes(village_nodes)]
    for node in nodes:
        for seat in node.seats:
            for post in seat.posts:
                yield (post.person.full_name, post.person.birth_display, str(seat.title.label), node.body.name,
                       node.body.village.full_name if node.body.village else "", _("Có") if post.is_member else "",
                       fmt(post.valid_from), post.get_obtained_display(), post.decision_number)


def workbook(unit, on: dt.date) -> tuple[bytes, int]:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Chức vụ")
    put(ws, "A1", _("DANH SÁCH CHỨC VỤ TRONG HỆ THỐNG CHÍNH TRỊ %(unit)s NGÀY %(date)s") % {"unit": unit.full_name.upper(), "date": fmt(on)},
        font=Font(bold=True), alignment=Alignment(horizontal="left"))
    for col, text in enumerate(HEADERS, start=1):
        put(ws, f"{excel.column_letter(col - 1)}3", str(text), font=Font(bold=True))
    n = 0
    for n, row in enumerate(rows(unit, on), start=1):
        for col, value in enumerate((n, *row), start=1):
            put(ws, f"{excel.column_letter(col - 1)}{n + 3}", value)
    for col, width in enumerate([5, 28, 12, 30, 40, 20, 10, 14, 12, 16], start=1):
        ws.column_dimensions[excel.column_letter(col - 1)].width = width
    return excel.workbook_bytes(wb), n
