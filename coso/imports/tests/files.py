"""Small files built in the tests, the way offices make them."""

import io

from openpyxl import Workbook

from coso.data.sheets import TEMPLATE_HEADER


def xlsx(sheets: dict, *, merges: dict | None = None, hidden=(), number_formats: dict | None = None) -> bytes:
    """sheets: {name: [row, ...]} with rows as lists (None for a blank cell); merges: {name: ["A1:C1"]};
    number_formats: {name: {"D5": "DD/MM/YYYY"}}."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for ref in (merges or {}).get(name, []):
            ws.merge_cells(ref)
        for ref, fmt in (number_formats or {}).get(name, {}).items():
            ws[ref].number_format = fmt
        if name in hidden:
            ws.sheet_state = "hidden"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def member_row(name="Nguyễn Văn An", gender="Nam", birth="12/05/1980", national_id="", cell="Chi bộ thôn A1a",
               admitted="10/10/2010", recognized="10/10/2011", **extra) -> list:
    values = dict(zip(TEMPLATE_HEADER, [None] * len(TEMPLATE_HEADER), strict=True))
    values.update({"Họ và tên": name, "Giới tính": gender, "Ngày sinh": birth, "Số định danh cá nhân": national_id or None, "Chi bộ": cell,
                   "Ngày kết nạp": admitted, "Ngày công nhận chính thức": recognized})
    for key, value in extra.items():
        values[key] = value
    return [values[h] for h in TEMPLATE_HEADER]


def template_file(*rows, sheet="Đảng viên") -> bytes:
    return xlsx({sheet: [["DANH SÁCH ĐẢNG VIÊN"], [], TEMPLATE_HEADER, *rows]})


def csv_bytes(rows: list[list], *, bom=True, delimiter=",") -> bytes:
    import csv

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" if bom else "").encode() + buffer.getvalue().encode()


def dry_run(actor, organization, content: bytes, *, name="danh-sach.xlsx", on=None, mapping=None, sheets=None, default_cell=None):
    """Upload and check a file through the services, with the proposed mapping unless given."""
    import datetime as dt

    from coso.imports import services

    job = services.create_job(actor=actor, organization=organization, file_name=name, content=content)
    proposed = dict(job.mapping)
    proposed.update(mapping or {})
    if sheets is None:
        sheets = [s["position"] for s in job.layout["sheets"] if s["use"]]
    services.confirm_mapping(actor=actor, job=job, mapping=proposed, sheets=sheets, on=on or dt.date(2024, 6, 1),
                             default_cell_id=default_cell.pk if default_cell else None)
    job.refresh_from_db()
    return job


def commit(actor, job, mode="all"):
    from coso.imports import services

    services.request_commit(actor=actor, job=job, mode=mode)
    job.refresh_from_db()
    return job


def problems(job, level="error") -> list[tuple]:
    """(row, column, message) of the job's report, for short assertions."""
    return [(p["row"], p["column"], p["message"]) for p in job.report["problems"] if p["level"] == level]
