import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coso.audit.models import AuditEvent
from coso.imports import services
from coso.imports.models import ColumnMapping, ImportJob
from coso.imports.tests.files import commit, dry_run, member_row, template_file, xlsx
from coso.members.models import Member, MemberEvent, MemberPeriod
from coso.people.models import Person

pytestmark = pytest.mark.django_db
D = dt.date
Status = ImportJob.Status


def _mixed_file() -> bytes:
    return template_file(
        member_row(name="Hợp Lệ Một"),                      # 4
        member_row(name="Hợp Lệ Hai"),                      # 5
        member_row(name="Lỗi Ngày", birth="32/01/1980"),    # 6
        member_row(name="Hợp Lệ Ba"),                       # 7
        member_row(name="Lỗi Chi Bộ", cell="Chi bộ ma"),    # 8
        member_row(name="Hợp Lệ Bốn"),                      # 9
    )


def test_it_writes_nothing_unless_the_whole_file_is_valid(tree, people):
    job = dry_run(people.staff_a, tree.district_a, _mixed_file())
    assert (job.status, job.report["valid"], job.report["invalid"]) == (Status.READY, 4, 2)
    with pytest.raises(ValidationError, match="còn dòng lỗi"):
        services.request_commit(actor=people.staff_a, job=job, mode=ImportJob.Mode.ALL)
    job.refresh_from_db()
    assert job.status == Status.READY
    assert not Person.objects.exists() and not Member.objects.exists() and not MemberEvent.objects.exists()
    assert not AuditEvent.objects.filter(event_type__startswith="members.").exists()


def test_it_takes_only_the_valid_rows_when_asked_and_says_exactly_which(tree, people, media):
    job = commit(people.staff_a, dry_run(people.staff_a, tree.district_a, _mixed_file()), mode=ImportJob.Mode.VALID_ONLY)
    assert job.status == Status.DONE
    assert job.result["taken"] == {"Đảng viên": [[4, 5], [7, 7], [9, 9]]}
    assert job.result["not_taken"] == {"Đảng viên": [[6, 6], [8, 8]]}
    assert (job.result["created"], job.result["not_taken_count"]) == (4, 2)
    assert sorted(Person.objects.values_list("full_name", flat=True)) == ["Hợp Lệ Ba", "Hợp Lệ Bốn", "Hợp Lệ Hai", "Hợp Lệ Một"]
    assert job.upload == "" and job.checked == b""  # the file's personal data is not kept
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_it_audits_every_member_and_the_import_itself(tree, people):
    job = commit(people.staff_a, dry_run(people.staff_a, tree.district_a, template_file(member_row(), member_row(name="Lê Thị Bình", gender="Nữ"))))
    assert AuditEvent.objects.filter(event_type="members.member.imported", actor=people.staff_a).count() == 2
    event = AuditEvent.objects.get(event_type="imports.job.committed")
    assert (event.actor, event.organization_id, event.target_id) == (people.staff_a, tree.district_a.pk, str(job.pk))
    assert event.new["file"] == "danh-sach.xlsx" and event.new["created"] == 2 and event.new["not_taken"] == 0
    assert MemberPeriod.objects.current().filter(valid_from=D(2024, 6, 1)).count() == 2  # placed from the date chosen


def test_it_refuses_a_second_commit_of_the_same_job(tree, people):
    job = commit(people.staff_a, dry_run(people.staff_a, tree.district_a, template_file(member_row())))
    with pytest.raises(ValidationError):
        services.request_commit(actor=people.staff_a, job=job, mode=ImportJob.Mode.ALL)
    assert Member.objects.count() == 1


def test_it_remembers_the_confirmed_mapping_for_the_organization(tree, people):
    header = ["Tên tuổi", "Giới tính", "Ngày sinh", "Vào đảng ngày", "Chi bộ", "Ghi chép"]
    row = ["Nguyễn Văn An", "Nam", "12/05/1980", "10/10/2010", "Chi bộ thôn A1a", "abc"]
    content = xlsx({"DS": [header, row]})
    first = services.create_job(actor=people.staff_a, organization=tree.district_a, file_name="a.xlsx", content=content)
    assert first.mapping["tên tuổi"] == "" and first.mapping["vào đảng ngày"] == ""  # unknown names: not guessed
    mapping = {**first.mapping, "tên tuổi": "full_name", "vào đảng ngày": "admitted_on"}
    services.confirm_mapping(actor=people.staff_a, job=first, mapping=mapping, sheets=[0], on=D(2024, 6, 1))
    assert set(ColumnMapping.objects.filter(organization=tree.district_a).values_list("header", "field")) >= {
        ("tên tuổi", "full_name"), ("vào đảng ngày", "admitted_on"), ("ghi chép", "")}
    assert AuditEvent.objects.filter(event_type="imports.mapping.changed", organization_id=tree.district_a.pk).exists()
    second = services.create_job(actor=people.staff_a, organization=tree.district_a, file_name="b.xlsx", content=content)
    assert second.mapping["tên tuổi"] == "full_name" and second.mapping["vào đảng ngày"] == "admitted_on"
    other = services.create_job(actor=people.staff_b, organization=tree.district_b, file_name="c.xlsx", content=content)
    assert other.mapping["tên tuổi"] == ""  # per organization


def test_it_refuses_a_mapping_without_the_required_columns(tree, people):
    job = services.create_job(actor=people.staff_a, organization=tree.district_a, file_name="a.xlsx", content=template_file(member_row()))
    mapping = {**job.mapping, "ngày kết nạp": "", "chi bộ": "full_name"}
    with pytest.raises(ValidationError) as error:
        services.confirm_mapping(actor=people.staff_a, job=job, mapping=mapping, sheets=[0], on=D(2024, 6, 1))
    assert error.value.messages == [
        "Trang tính «Đảng viên»: các cột «Họ và tên», «Chi bộ» cùng được đọc là «Họ và tên»; mỗi trường chỉ lấy từ một cột.",
        "Trang tính «Đảng viên» chưa có cột «Ngày kết nạp» (bắt buộc).",
    ]


def test_it_refuses_a_file_without_a_member_table(tree, people):
    with pytest.raises(ValidationError, match="Không tìm thấy bảng danh sách"):
        services.create_job(actor=people.staff_a, organization=tree.district_a, file_name="a.xlsx", content=xlsx({"S": [["Báo cáo"], [1, 2, 3]]}))
    with pytest.raises(ValidationError, match=r"\.xls"):
        services.create_job(actor=people.staff_a, organization=tree.district_a, file_name="a.xls", content=b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))


def test_it_stops_when_the_user_lost_the_permission(tree, people):
    job = services.create_job(actor=people.staff_a, organization=tree.district_a, file_name="a.xlsx", content=template_file(member_row()))
    people.staff_a.role = "leader"
    people.staff_a.save()
    services.confirm_mapping(actor=people.staff_a, job=job, mapping=job.mapping, sheets=[0], on=D(2024, 6, 1))
    job.refresh_from_db()
    assert job.status == Status.FAILED and "không còn quyền" in job.message


def test_it_offers_to_run_again_a_step_interrupted_by_a_restart(tree, people):
    job = dry_run(people.staff_a, tree.district_a, template_file(member_row()))
    ImportJob.objects.filter(pk=job.pk).update(status=Status.WRITING, attempt=5, worker="another-machine:4242")  # only its heartbeat tells
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - dt.timedelta(hours=1))
    job.refresh_from_db()
    assert services.recover_if_stale(job) and job.status == Status.READY and "gián đoạn" in job.message
    services.commit_job(job.pk, 5)  # the worker of attempt 5, were it still alive, finds the job READY and does nothing
    assert not Member.objects.exists()
    assert commit(people.staff_a, job).status == Status.DONE and Member.objects.count() == 1


def test_it_imports_from_the_command_line(tree, people, tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    path = tmp_path / "ds.xlsx"
    path.write_bytes(template_file(member_row(), member_row(name="Lỗi", birth="x")))
    out = StringIO()
    with pytest.raises(CommandError, match="có dòng lỗi"):
        call_command("import_members", str(path), to_chuc=tree.district_a.pk, user="staff_a", ngay="01/06/2024", stdout=out)
    assert "Đảng viên, dòng 5, cột D «Ngày sinh»: Ngày sinh «x»: không đọc được" in out.getvalue() and not Member.objects.exists()
    call_command("import_members", str(path), to_chuc=tree.district_a.pk, user="staff_a", ngay="01/06/2024", chi_nhap_dong_hop_le=True, stdout=out)
    assert "Đã nhập 1 đảng viên" in out.getvalue() and Member.objects.count() == 1
    with pytest.raises(CommandError, match="không có quyền"):
        call_command("import_members", str(path), to_chuc=tree.district_b.pk, user="staff_a", stdout=out)
