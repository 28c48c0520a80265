"""Import a member list from a shell, through the same services (and checks) as the pages.

    coso import_members danh-sach.xlsx --to-chuc 12 --user canbo [--chi-bo "Chi bộ thôn 1"] [--ngay 01/01/2025]
                        [--chay-thu] [--chi-nhap-dong-hop-le] [--so-loi 50]
    coso import_members --job 57      # run the step an import is waiting on (after a restart, say)

--chi-bo names the cell of the rows that name none (its id, code or name, one cell of the
organization's subtree in the user's scope); importing into a cell, the cell itself is the default.

Columns are read with the proposed mapping (the organization's remembered one, then the known
names); a file that needs another mapping is confirmed on the page first. The steps run in this
process, whatever the file's size.
"""

import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils import timezone

from coso.access.models import User
from coso.access.scope import ReadOnly
from coso.lib.dates import parse
from coso.organizations.models import Organization
from coso.organizations.scope import Scope

from ... import services, tasks
from ...models import ImportJob
from ...validation import Cells

PROBLEMS_SHOWN = 50


class Command(BaseCommand):
    help = "Nhập danh sách đảng viên từ tệp .xlsx hoặc .csv (kiểm tra toàn bộ trước khi ghi)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?")
        parser.add_argument("--to-chuc", type=int, help="mã số (id) tổ chức nhận danh sách")
        parser.add_argument("--user", help="tên đăng nhập của người nhập (quyền và phạm vi của người đó)")
        parser.add_argument("--ngay", help="ngày ghi nhận sinh hoạt, dd/mm/yyyy (mặc định hôm nay)")
        parser.add_argument("--chay-thu", action="store_true", help="chỉ kiểm tra, không ghi")
        parser.add_argument("--chi-nhap-dong-hop-le", action="store_true", help="ghi các dòng hợp lệ dù tệp có dòng lỗi")
        parser.add_argument("--chi-bo", help="chi bộ cho các dòng không ghi chi bộ: mã số (id), mã hoặc tên chi bộ "
                                             "(mặc định: tổ chức nhận danh sách nếu đó là một chi bộ)")
        parser.add_argument("--so-loi", type=int, default=PROBLEMS_SHOWN, help="số lỗi in ra (mặc định %(default)s; 0: không in)")
        parser.add_argument("--job", type=int, help="chạy bước đang chờ của một lần nhập")

    def handle(self, *args, **options):
        tasks.SYNC_LIMIT_BYTES = sys.maxsize  # this process runs the steps itself
        self.shown = max(0, options.get("so_loi", PROBLEMS_SHOWN))
        if options["job"]:
            return self._resume(options["job"])
        if not (options["file"] and options["to_chuc"] and options["user"]):
            raise CommandError("Cần tệp, --to-chuc và --user (hoặc --job).")
        user = User.objects.filter(username=options["user"]).first()
        organization = Organization.objects.filter(pk=options["to_chuc"]).first()
        scope = Scope(user) if user else None
        if not user or not organization:
            raise CommandError("Không có người dùng, tổ chức này, hoặc người dùng không có quyền nhập vào tổ chức này.")
        try:  # the pages' rule: in the scope, the permission, a scope that may write, an organization that exists
            scope.check(organization.pk, write=services.IMPORT)
        except ReadOnly as error:
            raise CommandError(str(error)) from None
        except (Http404, PermissionDenied):
            raise CommandError("Không có người dùng, tổ chức này, hoặc người dùng không có quyền nhập vào tổ chức này.") from None
        on = parse(options["ngay"]) if options["ngay"] else timezone.localdate()
        if on is None:
            raise CommandError("Ngày không hợp lệ: dd/mm/yyyy.")
        default_cell_id = self._cell(options.get("chi_bo"), organization, on, scope)
        path = Path(options["file"])
        try:
            job = services.create_job(actor=user, organization=organization, file_name=path.name, content=path.read_bytes())
            sheets = [s["position"] for s in job.layout["sheets"] if s["use"]]
            services.confirm_mapping(actor=user, job=job, mapping=job.mapping, sheets=sheets, on=on, default_cell_id=default_cell_id)
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

    @staticmethod
    def _cell(text, organization, on, scope) -> int | None:
        """The default cell the user named: an id, a code or a name of one cell under the
        organization on the date, in the user's scope (the cells a file's rows may name)."""
        if not text:
            return None
        cells = Cells(organization, on, scope)
        text = text.strip()
        if text.isdigit() and int(text) in cells.by_id:
            entry = cells.by_id[int(text)]
            if not entry["cell"]:
                raise CommandError(f"--chi-bo: «{entry['name']}» không phải chi bộ.")
            return entry["id"]
        cell_id, error = cells.resolve(text)
        if cell_id is None:
            raise CommandError(f"--chi-bo: {error}")
        return cell_id

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
        for line in report.get("notices", []):
            self.stdout.write(f"  {line}")
        problems = report["problems"]
        shown = getattr(self, "shown", PROBLEMS_SHOWN)
        for p in problems[:shown]:
            level = "LỖI" if p["level"] == "error" else "xem lại"
            self.stdout.write(f"  [{level}] {p['sheet']}, dòng {p['row']}{_where(p)}: {p['message']}")
        # the report keeps up to validation.MAX_PROBLEMS; the counts are exact
        more = report.get("error_count", 0) + report.get("warning_count", 0) - min(shown, len(problems))
        if more > 0:
            self.stdout.write(f"  … và {more} lỗi, cảnh báo nữa (--so-loi N để in nhiều hơn).")

    def _result(self, job):
        if job.status != ImportJob.Status.DONE:
            raise CommandError(job.message or job.get_status_display())
        self.stdout.write(self.style.SUCCESS(f"Đã nhập {job.result['created']} đảng viên (lần nhập {job.pk})."))


def _where(p: dict) -> str:
    """", cột D «Ngày sinh»", ", «Chi bộ» (tệp không có cột này)", or nothing for the whole row."""
    if p["letter"]:
        return f", cột {p['letter']} «{p['column']}»"
    if p["column"]:
        return f", «{p['column']}» (tệp không có cột này)"
    return ""
