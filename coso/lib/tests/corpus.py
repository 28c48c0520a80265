"""Malformed and hostile uploads, built in memory: each must be refused with a message naming
what is wrong, without a server error and without writing anything.

Every case is a file that a real office or an attacker could upload as a member list or as
evaluation proposals. The .xlsx cases start from a minimal valid workbook (a header row naming
the member and level columns, then one member) and break one part of it, so the refusal comes
from the broken part and not from a missing header. `expect` is a fragment of the message the
user must see (for both imports, unless `expect_evaluation` says otherwise).
"""

import codecs
import io
import zipfile
from dataclasses import dataclass
from functools import cache

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
HEADER = ["Họ và tên", "Giới tính", "Ngày sinh", "Chi bộ", "Ngày kết nạp", "Mức xếp loại"]
MEMBER = ["Nguyễn Văn An", "Nam", "12/05/1980", "Chi bộ thôn A1a", "10/10/2010", "Hoàn thành tốt nhiệm vụ"]

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = f'<?xml version="1.0" encoding="UTF-8"?><workbook {NS} {RNS}><sheets><sheet name="Danh sách" sheetId="1" r:id="rId1"/></sheets></workbook>'
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?><styleSheet {NS}><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
    '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>'
)


def letters(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def inline_row(number: int, values: list[str], start: int = 0) -> str:
    cells = "".join(f'<c r="{letters(start + i)}{number}" t="inlineStr"><is><t>{_escape(v)}</t></is></c>' for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


def sheet(body: str, *, head: str = "", prolog: str = "", tail: str = "") -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet {NS} {RNS}>{head}<sheetData>{body}</sheetData>{tail}</worksheet>'


GOOD_ROWS = inline_row(1, HEADER) + inline_row(2, MEMBER)


def shared_strings(*texts: str, prolog: str = "", raw: str = "") -> str:
    items = "".join(f"<si><t>{_escape(t)}</t></si>" for t in texts)
    return f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<sst {NS} count="{len(texts)}" uniqueCount="{len(texts)}">{items}{raw}</sst>'


def package(parts: dict[str, str | bytes | None] | None = None, *, level: int = 6) -> bytes:
    """A zip of the minimal workbook with some parts replaced (a None value removes a part)."""
    files: dict[str, str | bytes | None] = {
        "[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": ROOT_RELS, "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS, "xl/styles.xml": STYLES, "xl/sharedStrings.xml": shared_strings(*HEADER),
        "xl/worksheets/sheet1.xml": sheet(GOOD_ROWS),
    }
    files.update(parts or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, content in files.items():
            if content is None:
                continue
            archive.writestr(name, content.encode() if isinstance(content, str) else content)
    return buffer.getvalue()


def with_row(row: str) -> bytes:
    """The minimal workbook with one more row after the member."""
    return package({"xl/worksheets/sheet1.xml": sheet(GOOD_ROWS + row)})


def streamed_sheet(chunks, *, repeat: int) -> bytes:
    """The minimal workbook whose sheet holds its good rows, then `repeat` times each chunk of
    bytes, compressed as it is written (never held whole in memory)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, content in (("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", ROOT_RELS), ("xl/workbook.xml", WORKBOOK),
                              ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS), ("xl/styles.xml", STYLES)):
            archive.writestr(name, content)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS} {RNS}><sheetData>{GOOD_ROWS}'.encode())
            for chunk in chunks:
                for _ in range(repeat):
                    f.write(chunk)
            f.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def corrupt_member(data: bytes, name: str) -> bytes:
    """The archive with the compressed bytes of one part scrambled (the directory intact)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    info = archive.getinfo(name)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    body = bytearray(data)
    for i in range(start + 5, start + info.compress_size - 2):
        body[i] ^= 0x5A
    return bytes(body)


LAUGHS = (
    '<!DOCTYPE sst [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
    '<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">'
    '<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">'
    '<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">'
    '<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">'
    '<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>'
)
XXE = '<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def csv_text(rows: list[list[str]]) -> str:
    return "\r\n".join(",".join(r) for r in rows) + "\r\n"


@dataclass(frozen=True)
class Case:
    id: str
    filename: str
    content: bytes
    expect: str  # a fragment of the message shown to the user; "" for a file that reads (and is then checked)
    expect_evaluation: str = ""  # when the evaluation import words it differently


DTD = "khai báo DTD"
BROKEN = "bị hỏng"


@cache
def corpus() -> tuple[Case, ...]:
    s = "Trang tính «Danh sách»"
    xfd_cols = "".join(f'<c r="{letters(i)}3" t="inlineStr"><is><t>x</t></is></c>' for i in range(20_000))
    good = package()
    cases = [
        # the nine cases of the hardening issue, and their relatives
        Case("shared-string-past-table", "a.xlsx", with_row('<row r="3"><c r="A3" t="s"><v>99</v></c></row>'), f"{s}, ô A3"),
        Case("shared-string-not-a-number", "a.xlsx", with_row('<row r="3"><c r="A3" t="s"><v>abc</v></c></row>'), f"{s}, ô A3"),
        Case("number-not-numeric", "a.xlsx", with_row('<row r="3"><c r="C3"><v>12/05/1980x</v></c></row>'), f"{s}, ô C3"),
        Case("number-not-finite", "a.xlsx", with_row('<row r="3"><c r="C3"><v>1e999</v></c></row>'), f"{s}, ô C3"),
        Case("row-number-not-a-number", "a.xlsx", with_row('<row r="ba"><c t="inlineStr"><is><t>x</t></is></c></row>'), "số dòng «ba»"),
        Case("row-number-past-excel", "a.xlsx", with_row('<row r="2000000"><c r="A2000000"><v>1</v></c></row>'), "số dòng «2000000»"),
        Case("rows-out-of-order", "a.xlsx", with_row(inline_row(2, MEMBER)), "dòng 2"),
        Case("reference-without-letters", "a.xlsx", with_row('<row r="3"><c r="3"><v>1</v></c></row>'), "«3»"),
        Case("reference-garbage", "a.xlsx", with_row('<row r="3"><c r="$%3"><v>1</v></c></row>'), "«$%3»"),
        Case("style-not-a-number", "a.xlsx", with_row('<row r="3"><c r="C3" s="x1"><v>29000</v></c></row>'), f"{s}, ô C3"),
        Case("styles-xml-bad-format-id", "a.xlsx", package({"xl/styles.xml": STYLES.replace('numFmtId="164" formatCode', 'numFmtId="abc" formatCode')}),
             "xl/styles.xml"),
        Case("billion-laughs-shared-strings", "a.xlsx", package({"xl/sharedStrings.xml": shared_strings(*HEADER, prolog=LAUGHS, raw="<si><t>&lol9;</t></si>")}), DTD),
        Case("billion-laughs-sheet", "a.xlsx", package({"xl/worksheets/sheet1.xml": sheet(GOOD_ROWS + '<row r="3"><c r="A3" t="inlineStr"><is><t>&lol9;</t></is></c></row>',
                                                                                        prolog=LAUGHS.replace("DOCTYPE sst", "DOCTYPE worksheet"))}), DTD),
        Case("dtd-after-a-long-comment", "a.xlsx", package({"xl/sharedStrings.xml": shared_strings(
            *HEADER, prolog="<!--" + "x" * 10_000 + "-->" + LAUGHS, raw="<si><t>&lol9;</t></si>")}), DTD),
        Case("xxe-shared-strings", "a.xlsx", package({"xl/sharedStrings.xml": shared_strings(*HEADER, prolog=XXE, raw="<si><t>&xxe;</t></si>")}), DTD),
        Case("xxe-workbook", "a.xlsx", package({"xl/workbook.xml": WORKBOOK.replace("<workbook", XXE.replace("sst", "workbook") + "<workbook", 1)}), DTD),
        # resource exhaustion from small files
        Case("reference-past-xfd", "a.xlsx", with_row('<row r="3"><c r="ZZZZZ3"><v>1</v></c></row>'), "ZZZZZ3"),
        Case("reference-at-xfd-plus-one", "a.xlsx", with_row('<row r="3"><c r="XFE3"><v>1</v></c></row>'), "XFE3"),
        Case("twenty-thousand-columns", "a.xlsx", with_row(f'<row r="3">{xfd_cols}</row>'), "XFE3"),
        Case("declared-dimension-past-excel", "a.xlsx", package({"xl/worksheets/sheet1.xml": sheet(GOOD_ROWS, head='<dimension ref="A1:ZZZZZ9999999"/>')}),
             "A1:ZZZZZ9999999"),
        # legal, and far: Excel's last cell. Read sparsely (a reader that makes the sheet a dense
        # grid asks for 17 billion cells here); the file holds one member and is not refused
        Case("last-cell-of-excel", "a.xlsx", with_row('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'), ""),
        Case("merge-flood", "a.xlsx", package({"xl/worksheets/sheet1.xml": sheet(
            GOOD_ROWS, tail="<mergeCells>" + "".join(f'<mergeCell ref="A{n}:B{n}"/>' for n in range(3, 400_000)) + "</mergeCells>")}), ""),
        Case("one-and-a-half-million-rows", "a.xlsx", streamed_sheet([b'<row><c t="n"><v>1</v></c><c t="n"><v>2</v></c></row>' * 10_000], repeat=150), "dòng"),
        Case("zip-bomb", "a.xlsx", streamed_sheet([b" " * 1_000_000], repeat=200), "giải nén"),
        Case("huge-shared-string", "a.xlsx", package({"xl/sharedStrings.xml": shared_strings(*HEADER, "A" * 40_000),
                      "xl/worksheets/sheet1.xml": sheet(GOOD_ROWS + '<row r="3"><c r="A3" t="s"><v>6</v></c></row>')}), "32.767"),
        Case("huge-inline-string", "a.xlsx", with_row(inline_row(3, ["B" * 100_000])), "32.767"),
        Case("deeply-nested", "a.xlsx", with_row('<row r="3"><c r="A3" t="inlineStr"><is>' + "<r>" * 200_000 + "</r>" * 200_000 + "</is></c></row>"),
             f"{s}, ô A3"),
        Case("unclosed-tag", "a.xlsx", with_row('<row r="3"><c r="A3"><v>1</c></row>'), BROKEN),
        # the package
        Case("not-a-zip", "a.xlsx", b"PK\x03\x04" + b"\x00garbage" * 50, BROKEN),
        Case("truncated-zip", "a.xlsx", truncated(good), BROKEN),
        Case("corrupt-compressed-sheet", "a.xlsx", corrupt_member(good, "xl/worksheets/sheet1.xml"), BROKEN),
        Case("zip-without-workbook", "a.xlsx", package({"xl/workbook.xml": None}), "không phải bảng tính Excel"),
        Case("workbook-not-xml", "a.xlsx", package({"xl/workbook.xml": "not xml at all"}), BROKEN),
        Case("wrong-rels", "a.xlsx", package({"xl/_rels/workbook.xml.rels": WORKBOOK_RELS.replace('Id="rId1"', 'Id="rId9"')}), "không có trang tính"),
        Case("missing-rels", "a.xlsx", package({"xl/_rels/workbook.xml.rels": None}), BROKEN),
        Case("missing-sheet", "a.xlsx", package({"xl/worksheets/sheet1.xml": None}), "xl/worksheets/sheet1.xml"),
        Case("rels-escape-the-package", "a.xlsx", package({"xl/_rels/workbook.xml.rels": WORKBOOK_RELS.replace("worksheets/sheet1.xml", "../../../../etc/passwd")}),
             "không có trang tính"),
        Case("ods", "a.xlsx", package({"xl/workbook.xml": None, "content.xml": "<office:document-content/>"}), ".ods"),
        # not a workbook at all
        Case("empty-file", "a.xlsx", b"", "rỗng"),
        Case("binary-garbage", "a.xlsx", bytes(range(256)) * 40, BROKEN),
        Case("old-xls-renamed", "a.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000), ".xls"),
        Case("pdf-renamed", "a.csv", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" + bytes(100), "không phải bảng tính"),
        # CSV
        Case("csv-nul-bytes", "a.csv", csv_text([HEADER, MEMBER]).encode() + b"x" * 5000 + b"\x00,\x00\r\n", "NUL"),
        Case("csv-utf32", "a.csv", codecs.BOM_UTF32_LE + csv_text([HEADER, MEMBER]).encode("utf-32-le"), "UTF-32"),
        Case("csv-utf16-without-bom", "a.csv", csv_text([HEADER, MEMBER]).encode("utf-16-le"), "không phải bảng tính"),
        Case("csv-shift-jis", "a.csv", csv_text([["氏名", "生年月日", "党員番号"], ["山田太郎", "1980/05/12", "123"]]).encode("shift_jis"),
             "Không tìm thấy bảng danh sách đảng viên", expect_evaluation="Không tìm thấy dòng tiêu đề"),
        Case("csv-too-many-rows", "a.csv", (csv_text([HEADER, MEMBER]) + "1\r\n" * 400_000).encode(), "dòng"),
        Case("csv-huge-field", "a.csv", (csv_text([HEADER, MEMBER]) + "C" * 200_000 + "\r\n").encode(), "32.767"),
    ]
    return tuple(cases)
