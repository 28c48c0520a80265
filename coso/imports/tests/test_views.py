import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from coso.imports.columns import COLUMNS, vietnamese
from coso.imports.models import ImportJob
from coso.imports.tests.files import dry_run, member_row, template_file
from coso.members.models import Member

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def as_staff_a(client, people):
    client.force_login(people.staff_a)
    return client


def _upload(client, organization, content, name="danh-sach.xlsx"):
    return client.post(reverse("imports:upload", args=[organization.pk]), {"file": SimpleUploadedFile(name, content, content_type=XLSX)})


def _mapping_post(job, **extra):
    data = {"on": "01/06/2024", "sheets": [s["position"] for s in job.layout["sheets"] if s["use"]], "default_cell": ""}
    keys = []
    for sheet in job.layout["sheets"]:
        for column in sheet["columns"]:
            if column["key"] not in keys:
                keys.append(column["key"])
    for index, key in enumerate(keys):
        data[f"col_{index}"] = job.mapping.get(key, "")
    data.update(extra)
    return data


def test_it_shows_the_upload_page_with_the_recent_imports(as_staff_a, tree, people, django_assert_max_num_queries):
    dry_run(people.staff_a, tree.district_a, template_file(member_row()), name="tháng-5.xlsx")
    # session, user, organization, scope root paths, scope check, placement, recent jobs,
    # and the session's sliding expiry (savepoint, update, release); the cells for the default
    # cell (the organization's placement, its subtree)
    with django_assert_max_num_queries(13):
        response = as_staff_a.get(reverse("imports:upload", args=[tree.district_a.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nhập danh sách đảng viên vào Đảng bộ huyện A" in body and "tháng-5.xlsx" in body
    assert reverse("imports:template", args=[tree.district_a.pk]) in body and reverse("imports:export_members") in body


def test_it_answers_404_outside_the_scope_and_403_without_the_permission(client, tree, people):
    job = dry_run(people.staff_a, tree.district_a, template_file(member_row()))
    urls = [reverse("imports:upload", args=[tree.district_a.pk]), reverse("imports:template", args=[tree.district_a.pk]),
            reverse("imports:job", args=[job.pk]), reverse("imports:mapping", args=[job.pk]), reverse("imports:progress", args=[job.pk])]
    client.force_login(people.staff_b)
    assert [client.get(url).status_code for url in urls] == [404] * 5
    assert client.post(reverse("imports:commit", args=[job.pk]), {"mode": "all"}).status_code == 404
    client.force_login(people.leader_a)  # reads and exports, does not import
    assert [client.get(url).status_code for url in urls] == [403] * 5
    assert client.post(reverse("imports:cancel", args=[job.pk])).status_code == 403
    client.force_login(people.secretary_a1a)
    assert client.get(reverse("imports:upload", args=[tree.cell_a1a.pk])).status_code == 403
    assert ImportJob.objects.get().status == ImportJob.Status.READY and not Member.objects.exists()


def test_it_refuses_the_wrong_method(as_staff_a, tree, people):
    job = dry_run(people.staff_a, tree.district_a, template_file(member_row()))
    assert as_staff_a.post(reverse("imports:progress", args=[job.pk])).status_code == 405
    assert as_staff_a.post(reverse("imports:job", args=[job.pk])).status_code == 405
    assert as_staff_a.post(reverse("imports:export_members"), {"to_chuc": tree.district_a.pk}).status_code == 405
    assert as_staff_a.delete(reverse("imports:upload", args=[tree.district_a.pk])).status_code == 405


def test_it_uploads_a_file_and_proposes_the_columns(as_staff_a, tree):
    response = _upload(as_staff_a, tree.district_a, template_file(member_row()))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:mapping", args=[job.pk])
    body = as_staff_a.get(response["Location"]).content.decode()
    assert "Xác nhận các cột của tệp danh-sach.xlsx" in body
    assert '<option value="admitted_on" selected>Ngày kết nạp</option>' in body
    assert "Chi bộ thôn A1a" in body  # a sample value, and a choice of default cell
    assert "Chi bộ thôn B1a" not in body


def test_it_explains_a_file_it_cannot_read(as_staff_a, tree):
    response = _upload(as_staff_a, tree.district_a, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), name="cu.xls")
    assert response.status_code == 200
    assert "Tệp Excel 97-2003 (.xls) chưa được hỗ trợ: hãy mở bằng Excel và lưu lại dạng .xlsx." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_it_checks_the_file_from_the_mapping_page_and_shows_every_problem(as_staff_a, tree, people, django_assert_max_num_queries):
    _upload(as_staff_a, tree.district_a, template_file(member_row(), member_row(name="Lỗi Ngày", birth="31/02/1980"), member_row(name="Ba")))
    job = ImportJob.objects.get()
    response = as_staff_a.post(reverse("imports:mapping", args=[job.pk]), _mapping_post(job))
    assert response.status_code == 302 and response["Location"] == reverse("imports:job", args=[job.pk])
    # session, user, job, scope root paths, scope check, placement, and the session's expiry (3)
    with django_assert_max_num_queries(10):
        response = as_staff_a.get(response["Location"])
    body = response.content.decode()
    assert "Kết quả kiểm tra (chạy thử, chưa ghi gì)" in body
    assert "<td>Đảng viên</td><td class=\"num\">5</td><td>D · Ngày sinh</td><td>Ngày sinh «31/02/1980»: ngày không có thật.</td>" in body
    assert "Tệp có 1 dòng lỗi: chưa thể nhập cả tệp." in body and "Chỉ nhập các dòng hợp lệ (2 dòng)" in body
    assert "Nguyễn Văn An" in body  # the rows to be created


def test_it_shows_the_mapping_problems_on_the_page(as_staff_a, tree):
    _upload(as_staff_a, tree.district_a, template_file(member_row()))
    job = ImportJob.objects.get()
    keys = [c["key"] for c in job.layout["sheets"][0]["columns"]]
    response = as_staff_a.post(reverse("imports:mapping", args=[job.pk]), _mapping_post(job, **{f"col_{keys.index('ngày kết nạp')}": ""}))
    assert response.status_code == 200
    assert "Trang tính «Đảng viên» chưa có cột «Ngày kết nạp» (bắt buộc)." in response.content.decode()
    assert ImportJob.objects.get().status == ImportJob.Status.MAPPING


def test_it_takes_only_the_valid_rows_after_an_explicit_confirmation(as_staff_a, tree, people):
    job = dry_run(people.staff_a, tree.district_a, template_file(member_row(), member_row(name="Lỗi", birth="x"), member_row(name="Ba Hợp Lệ")))
    url = reverse("imports:commit", args=[job.pk])
    response = as_staff_a.post(url, {"mode": "valid_only"}, follow=True)
    assert "Hãy đánh dấu xác nhận chỉ nhập các dòng hợp lệ." in response.content.decode() and not Member.objects.exists()
    response = as_staff_a.post(url, {"mode": "all"}, follow=True)
    assert "Tệp còn dòng lỗi" in response.content.decode() and not Member.objects.exists()
    response = as_staff_a.post(url, {"mode": "valid_only", "confirm": "on"}, follow=True)
    body = response.content.decode()
    assert Member.objects.count() == 2
    assert "Đã nhập 2 đảng viên vào Đảng bộ huyện A." in body and "1 dòng có lỗi không được nhập." in body
    assert '<dd class="col-sm-9" data-testid="taken"><div><strong>Đảng viên</strong>: dòng 4, 6</div></dd>' in body
    assert '<dd class="col-sm-9" data-testid="not-taken"><div><strong>Đảng viên</strong>: dòng 5</div></dd>' in body


def test_it_polls_the_progress_of_a_running_step_and_reloads_when_it_ends(as_staff_a, tree, people):
    job = dry_run(people.staff_a, tree.district_a, template_file(member_row()))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.VALIDATING, progress=2000, total=8000)
    url = reverse("imports:progress", args=[job.pk])
    page = as_staff_a.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert f'hx-get="{url}" hx-trigger="every 1s"' in page
    partial = as_staff_a.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert '<progress class="w-100" max="100" value="25">25%</progress>' in partial and "<html" not in partial
    assert "2.000 / 8.000 dòng" in partial
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.READY)
    response = as_staff_a.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Refresh"] == "true"


def test_it_cancels_an_import_and_forgets_the_file(as_staff_a, tree, people, media):
    job = dry_run(people.staff_a, tree.district_a, template_file(member_row()))
    response = as_staff_a.post(reverse("imports:cancel", args=[job.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("imports:upload", args=[tree.district_a.pk])
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CANCELLED and job.upload == "" and not Member.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]  # the uploaded file is removed from the disk


def test_it_offers_a_template_that_imports_as_it_is_filled(as_staff_a, tree, people):
    response = as_staff_a.get(reverse("imports:template", args=[tree.district_a.pk]))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[3]] == [vietnamese(c.label) for c in COLUMNS]
    assert ws["A1"].value == "DANH SÁCH ĐẢNG VIÊN" and ws["A2"].value == "Bắt buộc" and ws.freeze_panes == "A4"
    assert ws["E4"].number_format == "@" and ws["P4"].number_format == "DD/MM/YYYY"  # ID as text, dates as dates
    lists = wb["Danh mục"]
    assert lists.sheet_state == "hidden" and [c.value for c in lists["F"] if c.value][1:] == ["Chi bộ cơ sở A2", "Chi bộ thôn A1a", "Chi bộ thôn A1b"]
    validated = {str(v.sqref): v.formula1 for v in ws.data_validations.dataValidation}
    assert validated["C4:C1003"] == "'Danh mục'!$A$2:$A$3" and validated["O4:O1003"] == "'Danh mục'!$F$2:$F$4"
    ws["A4"], ws["C4"], ws["D4"], ws["O4"], ws["P4"] = "Người Điền Mẫu", "Nữ", "1979", "Chi bộ thôn A1b", dt.datetime(2001, 2, 3)
    buffer = io.BytesIO()
    wb.save(buffer)
    job = dry_run(people.staff_a, tree.district_a, buffer.getvalue())
    assert (job.report["total"], job.report["valid"]) == (1, 1), job.report["problems"]


def test_it_sends_a_whole_tree_user_to_choose_an_organization(client, tree, people):
    client.force_login(people.admin)
    body = client.get(reverse("imports:index")).content.decode()
    assert reverse("imports:upload", args=[tree.province.pk]) in body
    client.force_login(people.staff_a)
    assert client.get(reverse("imports:index"))["Location"] == reverse("imports:upload", args=[tree.district_a.pk])


def test_a_full_disk_on_upload_is_a_message_not_a_server_error(as_staff_a, tree, monkeypatch):
    import errno

    from coso.imports import uploads

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    before = set(uploads.root().rglob("*"))
    monkeypatch.setattr(uploads.os, "fsync", full)  # a full disk shows at the write or the sync
    response = _upload(as_staff_a, tree.district_a, template_file(member_row()))
    assert response.status_code == 200
    assert "Máy chủ không lưu được tệp tải lên" in response.content.decode()
    assert not ImportJob.objects.exists()
    assert set(uploads.root().rglob("*")) <= before | {p for p in uploads.root().rglob("*") if p.is_dir()}  # no file left
