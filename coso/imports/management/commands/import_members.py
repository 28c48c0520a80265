"""Import a member list from a shell, through the same services (and checks) as the pages.

    coso import_members danh-sach.xlsx --to-chuc 12 --user canbo [--ngay 01/01/2025] [--chay-thu] [--chi-nhap-dong-hop-le]
    coso import_members --job 57      # run the step an import is waiting on (after a restart, say)

Columns are read with the proposed mapping (the organization's remembered one, then the known
names); a file that needs another mapping is confirmed on the page first. The steps run in this
process, whatever the file's size.
"""

import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from coso.access.models import User
from coso.lib.dates import parse
from coso.organizations.models import Organization
from coso.organizations.scope import Scope

from ... import services, tasks
from ...models import ImportJob


class Command(BaseCommand):
    help = "Nhập danh sách đảng viên từ tệp .xlsx hoặc .csv (kiểm tra toàn bộ trước khi ghi)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?")
        parser.add_argument("--to-chuc", type=int, help="mã số (id) tổ chức nhận danh sách")
        parser.add_argument("--user", help="tên đăng nhập của người nhập (quyền và phạm vi của người đó)")
        parser.add_argument("--ngay", help="ngày ghi nhận sinh hoạt, dd/mm/yyyy (mặc định hôm nay)")
        parser.add_argument("--chay-thu", action="store_true", help="chỉ kiểm tra, không ghi")
        parser.add_argument("--chi-nhap-dong-hop-le", action="store_true", help="ghi các dòng hợp lệ dù tệp có dòng lỗi")
        parser.add_argument("--job", type=int, help="chạy bước đang chờ của một lần nhập")

    def handle(self, *args, **options):
        tasks.SYNC_LIMIT_BYTES = sys.maxsize  # this process runs the steps itself
        if options["job"]:
            return self._resume(options["job"])
        if not (options["file"] and options["to_chuc"] and options["user"]):
            raise CommandError("Cần tệp, --to-chuc và --user (hoặc --job).")
        user = User.objects.filter(username=options["user"]).first()
        organization = Organization.objects.filter(pk=options["to_chuc"]).first()
        scope = Scope(user) if user else None
        if not user or not organization or not scope.contains(organization.pk) or not scope.can(services.IMPORT):
            raise CommandError("Không có người dùng, tổ chức này, hoặc người dùng không có quyền nhập vào tổ chức này.")
        on = parse(options["ngay"]) if options["ngay"] else timezone.localdate()
        if on is None:
            raise CommandError("Ngày không hợp lệ: dd/mm/yyyy.")
        path = Path(options["file"])
        try:
            job = services.create_job(actor=user, organization=organization, file_name=path.name, content=path.read_bytes())
            sheets = [s["position"] for s in job.layout["sheets"] if s["use"]]
            services.confirm_mapping(actor=user, job=job, mapping=job.mapping, sheets=sheets, on=on)
        except (OSError, ValidationError) as error:
            raise CommandError("; ".join(getattr(error, "messages", [str(error)]))) from None
        job.refresh_from_db()
        self._summary(job)
        if job.status != ImportJob.Status.READY or options["chay_thu"]:
            return
        mode = ImportJob.Mode.VALID_ONLY if options["chi_nhap_dong_hop_le"] else ImportJob.Mode.ALL
        if mode == ImportJob.Mode.ALL and job.report["invalid"]:
            raise CommandError("Tệp có dòng lỗi: không ghi gì (dùng --chi-nhap-dong-hop-le để chỉ nhập các dòng hợp lệ).")
        services.request_commit(actor=user, job=job, mode=mode)
        job.refresh_from_db()
        self._result(job)

    def _resume(self, pk):
        job = ImportJob.objects.filter(pk=pk).first()
        if job is None:
            raise CommandError("Không có lần nhập này.")
        step = {ImportJob.Status.VALIDATING: services.validate_job, ImportJob.Status.WRITING: services.commit_job}.get(job.status)
        if step is None:
            raise CommandError(f"Lần nhập {pk} không chờ bước nào ({job.get_status_display()}).")
        step(job.pk, job.attempt)
        job.refresh_from_db()
        self._summary(job) if step is services.validate_job else self._result(job)

    def _summary(self, job):
        if job.message:
            self.stderr.write(job.message)
        report = job.report or {}
        if not report:
            return
        self.stdout.write(f"{job.file_name}: {report['total']} dòng, {report['valid']} hợp lệ, {report['invalid']} có lỗi, "
                          f"{report['warned']} cần xem lại.")
        for p in report["problems"][:50]:
            level = "LỖI" if p["level"] == "error" else "xem lại"
            self.stdout.write(f"  [{level}] {p['sheet']}, dòng {p['row']}, cột {p['letter']} «{p['column']}»: {p['message']}")

    def _result(self, job):
        if job.status != ImportJob.Status.DONE:
            raise CommandError(job.message or job.get_status_display())
        self.stdout.write(self.style.SUCCESS(f"Đã nhập {job.result['created']} đảng viên (lần nhập {job.pk})."))
