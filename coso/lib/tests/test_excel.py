import codecs
import datetime as dt
import io
import unicodedata

import pytest
from openpyxl import Workbook, load_workbook

from coso.lib import excel
from coso.lib.excel import DateUnreadable, ExcelError, OutColumn, PartialDate, read_date

from .corpus import GOOD_ROWS, package, sheet


def _xlsx(build) -> bytes:
    wb = Workbook()
    build(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _rows(data: bytes, filename="f.xlsx", sheet=0):
    return list(excel.open_book(data, filename).sheets[sheet].rows())


def test_it_reads_strings_numbers_booleans_and_real_excel_dates():
    def build(wb):
        ws = wb.active
        ws.append(["Họ và tên", "Ngày sinh", "Số", "Đúng"])
        ws.append(["Nguyễn Văn An", dt.datetime(1980, 5, 12), 42, True])
        ws.append(["Lê Thị Bình", 29000, 1.5, False])  # a serial number in a cell not formatted as a date stays a number
    rows = _rows(_xlsx(build))
    assert rows[0] == (1, ["Họ và tên", "Ngày sinh", "Số", "Đúng"])
    assert rows[1] == (2, ["Nguyễn Văn An", dt.datetime(1980, 5, 12), 42, True])
    assert rows[2] == (3, ["Lê Thị Bình", 29000, 1.5, False])


def test_it_reads_shared_strings_rich_text_and_the_1904_date_system():
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    def build(wb):
        wb.epoch = __import__("openpyxl").utils.datetime.CALENDAR_MAC_1904
        ws = wb.active
        ws["A1"] = CellRichText([TextBlock(InlineFont(b=True), "Trần "), "Văn Cường"])
        ws["B1"] = dt.datetime(1975, 4, 30)
    rows = _rows(_xlsx(build))
    assert rows == [(1, ["Trần Văn Cường", dt.datetime(1975, 4, 30)])]


def test_it_fills_merged_cells_with_their_top_left_value():
    def build(wb):
        ws = wb.active
        ws.append(["DANH SÁCH ĐẢNG VIÊN"])
        ws.append(["Họ và tên", "Giới tính", None])
        ws.append([None, "Nam", "Nữ"])
        ws.merge_cells("A1:C1")
        ws.merge_cells("B2:C2")
        ws.merge_cells("A2:A3")
    rows = _rows(_xlsx(build))
    assert rows[0][1] == ["DANH SÁCH ĐẢNG VIÊN"] * 3
    assert rows[1][1] == ["Họ và tên", "Giới tính", "Giới tính"]
    assert rows[2][1] == ["Họ và tên", "Nam", "Nữ"]


def test_it_lists_sheets_with_their_state_and_stops_after_the_limit():
    def build(wb):
        wb.active.title = "Chi bộ 1"
        for i in range(10):
            wb.active.append([i + 1])
        hidden = wb.create_sheet("Danh mục")
        hidden.sheet_state = "hidden"
    book = excel.open_book(_xlsx(build), "f.xlsx")
    assert [(s.name, s.hidden) for s in book.sheets] == [("Chi bộ 1", False), ("Danh mục", True)]
    assert [n for n, _v in book.sheets[0].rows(limit=3)] == [1, 2, 3]
    assert book.sheets[0].estimated_rows == 10


def test_it_reads_csv_with_a_bom_and_semicolons():
    data = codecs.BOM_UTF8 + "Họ và tên;Ngày sinh\r\nNguyễn Văn An;12/05/1980\r\n;\r\n".encode()
    book = excel.open_book(data, "danh-sach.csv")
    assert book.kind == "csv" and book.sheets[0].name == "danh-sach"
    assert list(book.sheets[0].rows()) == [(1, ["Họ và tên", "Ngày sinh"]), (2, ["Nguyễn Văn An", "12/05/1980"]), (3, [None, None])]


def _cp1258(text: str) -> bytes:
    """Windows-1258 has ă â ê ô ơ ư đ but writes the five tones as combining marks."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


def test_it_reads_windows_1258_csv():
    book = excel.open_book(_cp1258("Họ và tên,Giới tính\nTrần Thị Hương,Nữ\n"), "b.csv")
    assert list(book.sheets[0].rows())[1][1] == ["Trần Thị Hương", "Nữ"]
    assert "Windows-1258" in book.notices[0]


def test_it_refuses_old_excel_and_other_files_with_a_clear_message():
    with pytest.raises(ExcelError, match=r"\.xls"):
        excel.open_book(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "cu.xls")
    with pytest.raises(ExcelError, match="hỏng"):
        excel.open_book(b"not a zip", "x.xlsx")
    with pytest.raises(ExcelError):
        excel.open_book(b"\x00\x01\x02\x03" * 10, "x.bin")


def test_it_recognizes_and_converts_tcvn3_text():
    texts = ["Hä vµ tªn", "NguyÔn V¨n An", "§¶ng bé x· A1"]
    assert excel.detect_legacy(texts) == "tcvn3"
    assert [excel.convert_legacy(t, "tcvn3") for t in texts] == ["Họ và tên", "Nguyễn Văn An", "Đảng bộ xã A1"]


def test_it_recognizes_and_converts_vni_text():
    texts = ["Hoï vaø teân", "Nguyeãn Vaên An", "Ñaûng boä xaõ A1", "Traàn Thò Höông"]
    assert excel.detect_legacy(texts) == "vni"
    assert [excel.convert_legacy(t, "vni") for t in texts] == ["Họ và tên", "Nguyễn Văn An", "Đảng bộ xã A1", "Trần Thị Hương"]
    assert excel.convert_legacy("NGUYEÃN THÒ HÖÔNG", "vni") == "NGUYỄN THỊ HƯƠNG"


def test_it_leaves_unicode_text_alone():
    texts = ["Nguyễn Văn An", "Hoàng Thị Hoà", "Quân", "Khoẻ"]
    assert excel.detect_legacy(texts) is None
    assert excel.convert_legacy("Nguyễn Văn An", "tcvn3") == "Nguyễn Văn An"  # a Unicode header in a TCVN3 file


@pytest.mark.parametrize(("value", "expected"), [
    ("12/05/1980", PartialDate(dt.date(1980, 5, 12))),
    ("2/3/1975", PartialDate(dt.date(1975, 3, 2))),
    ("02-03-1975", PartialDate(dt.date(1975, 3, 2))),
    ("02.03.1975", PartialDate(dt.date(1975, 3, 2))),
    ("1975-03-02", PartialDate(dt.date(1975, 3, 2))),
    ("ngày 2 tháng 3 năm 1975", PartialDate(dt.date(1975, 3, 2))),
    ("03/1965", PartialDate(dt.date(1965, 3, 1), "month")),
    ("1965", PartialDate(dt.date(1965, 1, 1), "year")),
    (1965, PartialDate(dt.date(1965, 1, 1), "year")),
    (29000, PartialDate(dt.date(1979, 5, 25))),
    (dt.datetime(1980, 5, 12), PartialDate(dt.date(1980, 5, 12))),
    ("", None),
    (None, None),
])
def test_it_reads_dates_as_offices_write_them(value, expected):
    assert read_date(value) == expected


@pytest.mark.parametrize(("value", "reason"), [("31/02/1980", "không có thật"), ("12/5/65", "4 chữ số"), ("hôm qua", "dd/mm/yyyy"), (1.5, "ngày tháng")])
def test_it_refuses_dates_it_cannot_read_without_guessing(value, reason):
    with pytest.raises(DateUnreadable, match=reason):
        read_date(value)


def test_it_escapes_formulas_in_csv_and_reads_them_back():
    assert excel.escape_formula("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert excel.escape_formula("- Đồng chí A") == "'- Đồng chí A"
    assert excel.escape_formula("Nguyễn Văn An") == "Nguyễn Văn An"
    assert excel.unescape_formula("'@SUM(A1)") == "@SUM(A1)"
    assert excel.unescape_formula("'quoted") == "'quoted"
    content, count = excel.write_csv(columns=[OutColumn("Họ và tên"), OutColumn("Ngày")], rows=[["+1 bad", dt.date(2020, 1, 2)]])
    assert count == 1
    assert content.startswith(codecs.BOM_UTF8) and content.decode("utf-8-sig").splitlines() == ["Họ và tên,Ngày", "'+1 bad,02/01/2020"]


def test_it_writes_a_formatted_xlsx_where_formulas_stay_text():
    columns = [OutColumn("Họ và tên", width=30), OutColumn("Ngày sinh", width=12), OutColumn("Ghi chú")]
    content, count = excel.write_xlsx(sheet="Đảng viên", columns=columns, title=["DANH SÁCH", "Xã A"],
                                      rows=[["=1+1", dt.date(1980, 5, 12), "@cmd"], ["Lê Thị Bình", None, 7]])
    assert count == 2
    ws = load_workbook(io.BytesIO(content))["Đảng viên"]
    assert ws["A3"].value == "Họ và tên" and ws["A3"].font.b
    assert ws.freeze_panes == "A4" and ws.column_dimensions["A"].width == 30
    assert ws["B4"].value == dt.datetime(1980, 5, 12) and ws["B4"].number_format == "DD/MM/YYYY"
    for ref in ("A4", "C4"):
        assert ws[ref].data_type == "s" and ws[ref].quotePrefix  # text, never evaluated
    assert ws["A4"].value == "=1+1" and ws["C4"].value == "@cmd"
    assert _rows(content)[3] == (4, ["=1+1", dt.datetime(1980, 5, 12), "@cmd"])


def test_it_refuses_a_sheet_past_the_row_cap_before_reading_a_row(settings):
    data = _xlsx(lambda wb: [wb.active.append([f"Dòng {n}"]) for n in range(1, 12)])
    assert len(_rows(data)) == 11
    settings.COSO_IMPORT_MAX_ROWS = 10
    with pytest.raises(ExcelError, match="có hơn 10 dòng"):
        next(excel.open_book(data, "f.xlsx").sheets[0].rows(limit=1))
    with pytest.raises(ExcelError, match="hơn 10 dòng"):
        excel.open_book("\n".join(f"a{n}" for n in range(12)).encode(), "f.csv")
    assert len(list(excel.open_book(data, "f.xlsx", max_rows=11).sheets[0].rows())) == 11


def test_it_reads_the_last_cell_of_excel_sparsely_and_refuses_one_past_it():
    far = package({"xl/worksheets/sheet1.xml": sheet(GOOD_ROWS + '<row r="1048576"><c r="XFD1048576"><v>7</v></c></row>')})
    number, values = _rows(far)[-1]
    assert (number, len(values), values[-1]) == (1_048_576, excel.MAX_COLUMNS, 7)
    past = package({"xl/worksheets/sheet1.xml": sheet(GOOD_ROWS + '<row r="3"><c r="ZZZZZ3"><v>7</v></c></row>')})
    with pytest.raises(ExcelError, match=r"ô «ZZZZZ3» nằm ngoài cột cuối cùng của Excel \(XFD\)"):
        _rows(past)


def test_it_keeps_filling_merged_cells_after_the_hardening():
    def build(wb):
        ws = wb.active
        ws.append(["Chi bộ thôn 1", None, None])
        ws.append(["Họ và tên", "Giới tính", None])
        ws.merge_cells("A1:C1")
        ws.merge_cells("B2:C2")
    assert _rows(_xlsx(build)) == [(1, ["Chi bộ thôn 1"] * 3), (2, ["Họ và tên", "Giới tính", "Giới tính"])]


def test_it_counts_the_rows_of_a_prefixed_sheet_once(settings):
    ns = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rows = "".join(f'<x:row r="{n}"><x:c r="A{n}" t="inlineStr"><x:is><x:t>Dòng {n}</x:t></x:is></x:c></x:row>' for n in range(1, 12))
    data = package({"xl/worksheets/sheet1.xml": f'<?xml version="1.0"?><x:worksheet {ns}><x:sheetData>{rows}</x:sheetData></x:worksheet>'})
    settings.COSO_IMPORT_MAX_ROWS = 11
    assert [n for n, _values in _rows(data)] == list(range(1, 12))
    settings.COSO_IMPORT_MAX_ROWS = 10
    with pytest.raises(ExcelError, match="có hơn 10 dòng"):
        _rows(data)


def test_the_writer_keeps_numbers_as_numbers_drops_characters_xml_cannot_hold_and_escapes_titles():
    from decimal import Decimal

    content, count = excel.write_xlsx(sheet="Danh sách: 1/2", columns=[OutColumn("A"), OutColumn("B"), OutColumn("C")],
                                      title=["=HYPERLINK(\"x\")"],
                                      rows=[[12, Decimal("2.5"), "Ba\x07 <b>&amp;</b> "], [True, None, dt.datetime(2025, 7, 1, 12)]])
    assert count == 2
    wb = load_workbook(io.BytesIO(content))
    ws = wb.active
    assert ws.title == "Danh sách 12"  # characters a sheet name cannot hold left out
    assert ws["A1"].value == '=HYPERLINK("x")' and ws["A1"].quotePrefix and ws["A1"].data_type == "s"
    assert (ws["A3"].value, ws["B3"].value, ws["C3"].value) == (12, 2.5, "Ba <b>&amp;</b> ")
    assert ws["A4"].value is True and ws["B4"].value is None and ws["C4"].value == dt.datetime(2025, 7, 1, 12)
    assert ws.auto_filter.ref == "A2:C2"
    assert _rows(content)[2] == (3, [12, 2.5, "Ba <b>&amp;</b>"]) or _rows(content)[2][1][:2] == [12, 2.5]
