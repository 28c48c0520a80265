"""The write side of imports: upload, confirm the mapping, check (phase 1), write (phase 2).

A job moves MAPPING -> VALIDATING -> READY -> WRITING -> DONE (back to READY when rows have
become invalid since the dry run, FAILED when the file cannot be read, or CANCELLED). Each move is a conditional
update on the status, so a double click or two users never run a step twice, and each run of
a step carries the job's `attempt` number: a worker whose attempt is no longer the job's (the
job was recovered after a crash and started again) does nothing.

Phase 2 takes the valid rows the dry run kept (the file is not read again: reading is most of
a dry run's time) and checks again what the database may have changed since (another import
may have added the same national ID, a cell may have been closed), outside any transaction;
then it writes in one transaction:
members.bulk.record_members() (persons, members, events, periods and one audit row per
member, in multi-row inserts), one audit event for the import itself ("imports.job.committed":
file name, counts, mode), and the job marked DONE. A crash anywhere before the commit leaves
nothing written and the job recoverable; after it, the job is DONE in the same commit.

The recording date (`on`, default today on the mapping page): members are placed in their
cell from that date; the system knows nothing of where they were before it, so a report as
of an earlier date does not count them. An organization that keeps its list up to date
chooses today; one loading its list as it stood at the start of the year chooses 01/01.
"""

import contextlib
import datetime as dt
import gc
import logging
import threading

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from coso.audit import services as audit
from coso.lib.dates import fmt
from coso.lib.excel import ExcelError, open_book
from coso.members import lifecycle
from coso.members.bulk import record_members
from coso.members.services import MEMBER_ORG_KINDS
from coso.organizations.models import Placement
from coso.organizations.scope import Scope
from coso.people.models import Person

from . import reading, tasks, uploads
from .columns import BY_NAME
from .models import ColumnMapping, ImportJob
from .validation import BLANK_IS_UNKNOWN, Outcome, Validation, pack_rows, ranges, unpack_rows

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 50 * 1024 * 1024
STALE_AFTER = dt.timedelta(minutes=15)  # a running step with no heartbeat for this long was interrupted
QUEUED_STALE_AFTER = dt.timedelta(hours=6)  # a step queued (or run by a pid of this machine) this long was lost
IMPORT = "members.import"
Status = ImportJob.Status


_gc_lock = threading.Lock()
_gc_pauses = 0


@contextlib.contextmanager
def paused_gc():
    """Python's cycle collector walks every live object each time enough new ones pile up; a
    step holding 100,000 rows of small objects (none in a cycle) spent half its time there.
    Paused while a step runs (the count lets two imports overlap), restored afterwards."""
    global _gc_pauses
    with _gc_lock:
        _gc_pauses += 1
        was_enabled = gc.isenabled()
        gc.disable()
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and was_enabled:
                gc.enable()


def remembered_mapping(organization) -> dict[str, str]:
    return dict(ColumnMapping.objects.filter(organization=organization).values_list("header", "field"))


def default_cell_on(organization, on: dt.date, chosen: int | None = None, cells=None) -> int | None:
    """The cell the rows that name none go to: the one the user chose, else the importing
    organization itself when it is a cell on the date (a cell's own list has no cell column: the
    usual case), else none (the rows must name their cell)."""
    if chosen:
        return chosen
    if cells is not None:  # a validation.Cells of the organization on the date, already read
        entry = cells.by_id.get(organization.pk)
        return organization.pk if entry and entry["cell"] else None
    kind = Placement.objects.on(on).filter(organization=organization).values_list("kind", flat=True).first()
    return organization.pk if kind in MEMBER_ORG_KINDS else None


def create_job(*, actor, organization, file_name: str, content: bytes, default_cell_id: int | None = None) -> ImportJob:
    """Read the file's layout and propose a mapping; nothing of the file is checked yet. The
    default cell is proposed from the start (default_cell_on, today)."""
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError(_("Tệp quá lớn (tối đa 50 MB)."))
    if not content:
        raise ValidationError(_("Tệp rỗng."))
    try:
        book = open_book(content, file_name)
        layout = reading.scan(book, remembered_mapping(organization))
    except ExcelError as error:
        raise ValidationError(str(error)) from None
    if not any(s["columns"] for s in layout["sheets"]):
        reasons = "; ".join(f"«{s['name']}»: {s['reason']}" for s in layout["sheets"])
        raise ValidationError(_("Không tìm thấy bảng danh sách đảng viên trong tệp (%(reasons)s).") % {"reasons": reasons})
    upload, sha256 = uploads.save(content, organization.pk, file_name)
    try:
        return ImportJob.objects.create(
            organization=organization, created_by=actor if actor and actor.pk else None, file_name=file_name[:255], file_size=len(content),
            upload=upload, upload_sha256=sha256, layout=layout, mapping=reading.proposed_mapping(layout),
            total=sum(s["estimated_rows"] for s in layout["sheets"] if s["use"]),
            default_cell_id=default_cell_on(organization, timezone.localdate(), default_cell_id),
        )
    except BaseException:
        uploads.remove(upload)
        raise


def confirm_mapping(*, actor, job: ImportJob, mapping: dict[str, str], sheets: list[int], on: dt.date, default_cell_id=None) -> ImportJob:
    """Remember the mapping for the organization and start checking the file."""
    problems = reading.mapping_problems(job.layout, mapping, sheets)
    if problems:
        raise ValidationError(problems)
    if not Placement.objects.on(on).filter(organization_id=job.organization_id).exists():
        raise ValidationError({"on": _("Tổ chức nhận danh sách không hoạt động vào ngày %(date)s.") % {"date": fmt(on)}})
    default_cell_id = default_cell_on(job.organization, on, default_cell_id)
    layout = job.layout
    for info in layout["sheets"]:
        info["use"] = info["position"] in sheets
    with transaction.atomic():
        updated = ImportJob.objects.filter(pk=job.pk, status__in=[Status.MAPPING, Status.READY, Status.FAILED]).update(
            status=Status.VALIDATING, mapping=mapping, layout=layout, on=on, default_cell_id=default_cell_id, attempt=F("attempt") + 1,
            progress=0, report={}, message="", updated_at=timezone.now(),
        )
        if not updated:
            raise ValidationError(_("Lần nhập này đang chạy hoặc đã kết thúc."))
        _remember(actor, job, mapping)
    job.refresh_from_db()
    tasks.start(job, validate_job)
    return job


def _remember(actor, job: ImportJob, mapping: dict[str, str]) -> None:
    existing = {m.header: m for m in ColumnMapping.objects.filter(organization_id=job.organization_id, header__in=list(mapping))}
    created, changed, old = [], [], {}
    for header, name in mapping.items():
        current = existing.get(header)
        if current is None:
            created.append(ColumnMapping(organization_id=job.organization_id, header=header[:255], field=name, updated_by=actor))
        elif current.field != name:
            old[header] = current.field
            current.field, current.updated_by, current.updated_at = name, actor, timezone.now()
            changed.append(current)
    ColumnMapping.objects.bulk_create(created)
    ColumnMapping.objects.bulk_update(changed, ["field", "updated_by", "updated_at"])
    if created or changed:
        audit.record(actor=actor, event_type="imports.mapping.changed", target=job, organization_id=job.organization_id,
                     old=old, new={m.header: m.field for m in created + changed})


def _progress(job_id: int):
    def report(count: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(progress=count, updated_at=timezone.now())

    return report


def _scope(job: ImportJob, user) -> Scope:
    scope = Scope(user)
    if not (scope.can(IMPORT) and scope.contains(job.organization_id)):
        raise PermissionError(_("Người dùng không còn quyền nhập danh sách vào tổ chức này."))
    return scope


def _check(job: ImportJob) -> tuple[Outcome, Validation]:
    scope = _scope(job, job.created_by)
    book = open_book(uploads.read(job.upload, job.upload_sha256), job.file_name)
    sheets = [s["position"] for s in job.layout["sheets"] if s["use"]]
    plans = reading.plans(job.layout, job.mapping, sheets)
    validation = Validation(organization=job.organization, on=job.on, scope=scope, default_cell_id=job.default_cell_id,
                            progress=_progress(job.pk))
    outcome = validation.run(reading.records(book, plans))
    outcome.notices = list(job.layout.get("notices", []))
    for name in ("ethnicity", "religion", "qualification", "theory_level"):
        if plans and all(name not in p.fields for p in plans):
            outcome.notices.append(_("Tệp không có cột «%(column)s»: mục này của mọi đảng viên được ghi là chưa rõ.") % {
                "column": BY_NAME[name].label})
    outcome.blank_unknown = [[str(BY_NAME[name].label), validation.blanks[name]] for name in BLANK_IS_UNKNOWN if validation.blanks[name]]
    if outcome.blank_unknown:
        outcome.notices.append(_("Ô để trống được hiểu là chưa rõ (không phải “Không”, dân tộc Kinh hay chưa qua đào tạo): %(columns)s.") % {
            "columns": "; ".join(_("cột «%(column)s» %(n)s dòng") % {"column": label, "n": n} for label, n in outcome.blank_unknown)})
    return outcome, validation


PREVIEW_ROWS = 20


def _preview(rows, cells, on) -> list[dict]:
    return [
        {"sheet": c.sheet, "row": c.row, "name": c.name, "gender": c.person["gender"], "birth": _birth(c.person),
         "cell": cells.name(c.cell_id), "admitted": fmt(c.admitted_on), "recognized": fmt(c.recognized_on),
         "official": bool(c.recognized_on and c.recognized_on <= on)}
        for c in rows[:PREVIEW_ROWS]
    ]


def _report(job: ImportJob, outcome: Outcome, validation: Validation) -> dict:
    cells = validation.cells
    return {
        "on": job.on.isoformat(),
        "total": outcome.total, "valid": outcome.valid, "invalid": outcome.invalid, "warned": outcome.warned,
        "error_count": outcome.error_count, "warning_count": outcome.warning_count,
        "official": outcome.official, "probationary": outcome.probationary,
        "by_cell": sorted(([cells.name(cell_id), n] for cell_id, n in outcome.by_cell.items()), key=lambda x: x[0]),
        "preview": _preview(outcome.rows, cells, job.on),
        "problems": [p.as_dict() for p in outcome.problems],
        "taken": {sheet: ranges(rows) for sheet, rows in outcome.taken.items()},
        "refused": {sheet: ranges(rows) for sheet, rows in outcome.refused.items()},
        "notices": outcome.notices,
        "blank_unknown": outcome.blank_unknown,
        "skipped_lines": outcome.skipped_lines[:200],
        "skipped_count": len(outcome.skipped_lines),
    }


def _birth(person: dict) -> str:
    birth = person["birth_date"]
    if not birth:
        return ""
    return {"year": f"{birth.year}", "month": birth.strftime("%m/%Y")}.get(person["birth_precision"], fmt(birth))


def _fail(job_id: int, attempt: int, message: str, status=Status.FAILED, **fields) -> None:
    ImportJob.objects.filter(pk=job_id, attempt=attempt).update(status=status, message=message, updated_at=timezone.now(), **fields)


def _out_of_memory() -> str:
    return _("Tệp cần nhiều bộ nhớ hơn giới hạn của tiến trình chạy nền; không ghi gì. Hãy chia tệp thành nhiều tệp nhỏ hơn, "
             "hoặc nhờ quản trị hệ thống nâng giới hạn (COSO_WORKER_MEMORY_MB).")


def validate_job(job_id: int, attempt: int) -> None:
    """Phase 1 (in the request or the worker): check every row, keep the report and the valid rows."""
    job = ImportJob.objects.select_related("organization", "created_by").get(pk=job_id)
    if job.status != Status.VALIDATING or job.attempt != attempt:
        return
    try:
        with paused_gc():
            outcome, validation = _check(job)
            report, packed = _report(job, outcome, validation), pack_rows(outcome.rows)
    except (ExcelError, PermissionError) as error:
        _fail(job_id, attempt, str(error))
        return
    except MemoryError:
        logger.warning("import %s: validation ran out of memory", job_id)
        _fail(job_id, attempt, _out_of_memory())
        return
    except Exception:
        logger.exception("import %s: validation failed", job_id)
        _fail(job_id, attempt, _("Lỗi không mong đợi khi kiểm tra tệp; đã ghi vào nhật ký máy chủ."))
        return
    with transaction.atomic():
        kept = ImportJob.objects.filter(pk=job_id, attempt=attempt, status=Status.VALIDATING).update(
            status=Status.READY, report=report, checked=packed, progress=outcome.total, total=outcome.total, updated_at=timezone.now())
        if kept and validation.taken_ids:
            # national IDs of the file that others hold: looked up, so audited (people.services.check_national_id)
            audit.record_many([
                audit.build_event(actor=job.created_by, event_type="people.national_id.refused", target=Person(pk=holder),
                                  organization_id=job.organization_id, new={"national_id": national_id, "import_job": job.pk})
                for national_id, holder in validation.taken_ids
            ])


def request_commit(*, actor, job: ImportJob, mode: str) -> ImportJob:
    """Start phase 2 for a checked job: the whole file (ALL, only when it has no error), or only
    its valid rows (VALID_ONLY)."""
    if mode not in ImportJob.Mode.values:
        raise ValidationError(_("Cách nhập không hợp lệ."))
    if mode == ImportJob.Mode.ALL and job.report.get("invalid"):
        raise ValidationError(_("Tệp còn dòng lỗi: sửa tệp, hoặc chọn chỉ nhập các dòng hợp lệ."))
    updated = ImportJob.objects.filter(pk=job.pk, status=Status.READY).update(
        status=Status.WRITING, mode=mode, committed_by=actor, attempt=F("attempt") + 1, progress=0, message="", updated_at=timezone.now())
    if not updated:
        raise ValidationError(_("Lần nhập này chưa kiểm tra xong hoặc đã kết thúc."))
    job.refresh_from_db()
    tasks.start(job, commit_job)
    return job


def _expand(ranges_by_sheet: dict) -> dict[str, set[int]]:
    return {sheet: {n for a, b in rs for n in range(a, b + 1)} for sheet, rs in ranges_by_sheet.items()}


def _after_recheck(report: dict, failed: list, rows: list, cells, on) -> dict:
    """The dry run's report with the rows that fail the second check moved to the refused ones."""
    if not failed:
        return report
    report = dict(report)
    taken, refused = _expand(report["taken"]), _expand(report["refused"])
    for c in failed:
        taken.get(c.sheet, set()).discard(c.row)
        refused.setdefault(c.sheet, set()).add(c.row)
    report["taken"] = {sheet: ranges(sorted(rows_)) for sheet, rows_ in taken.items() if rows_}
    report["refused"] = {sheet: ranges(sorted(rows_)) for sheet, rows_ in refused.items() if rows_}
    report["valid"] -= len(failed)
    report["invalid"] += len(failed)
    report["error_count"] += sum(len(c.errors) for c in failed)
    report["problems"] = [p.as_dict() for c in failed for p in c.errors] + report["problems"]
    report["preview"] = _preview([c for c in rows if c.valid], cells, on)
    return report


def commit_job(job_id: int, attempt: int) -> None:
    """Phase 2: the dry run's valid rows, checked again against the database as it is now, then
    written in one transaction; or nothing."""
    job = ImportJob.objects.select_related("organization", "committed_by").get(pk=job_id)
    if job.status != Status.WRITING or job.attempt != attempt:
        return
    actor = job.committed_by
    try:
        scope = _scope(job, actor)
        validation = Validation(organization=job.organization, on=job.on, scope=scope, default_cell_id=job.default_cell_id)
        with paused_gc():
            rows = unpack_rows(job.checked)
            failed = validation.recheck(rows)
    except PermissionError as error:
        _fail(job_id, attempt, str(error), status=Status.READY)
        return
    except Exception:
        logger.exception("import %s: the check before writing failed", job_id)
        _fail(job_id, attempt, _("Lỗi không mong đợi khi kiểm tra lại; không ghi gì. Lỗi đã được ghi vào nhật ký máy chủ."), status=Status.READY)
        return
    report = _after_recheck(job.report, failed, rows, validation.cells, job.on)
    if job.mode == ImportJob.Mode.ALL and report["invalid"]:
        _fail(job_id, attempt, _("Từ lúc kiểm tra, dữ liệu trong hệ thống đã thay đổi: %(n)s dòng không còn hợp lệ nên chưa ghi gì. Xem các lỗi bên dưới.") % {"n": len(failed)},
              status=Status.READY, report=report)
        return
    taken = [c for c in rows if c.valid]
    if not taken:
        _fail(job_id, attempt, _("Không có dòng hợp lệ nào để nhập."), status=Status.READY, report=report)
        return
    result = {
        "mode": job.mode, "on": job.on.isoformat(), "created": len(taken), "not_taken_count": report["invalid"],
        "taken": report["taken"], "not_taken": report["refused"], "by_cell": report["by_cell"],
    }
    try:
        with paused_gc(), transaction.atomic():
            locked = ImportJob.objects.select_for_update().filter(pk=job_id).values_list("status", "attempt").first()
            if locked != (Status.WRITING, attempt):
                return
            members = record_members(validation.bulk_rows(taken), actor=actor)
            audit.record(actor=actor, event_type="imports.job.committed", target=job, organization_id=job.organization_id, new={
                "file": job.file_name, "mode": job.mode, "on": job.on, "rows": report["total"], "created": len(members),
                "not_taken": report["invalid"], "taken": report["taken"]})
            ImportJob.objects.filter(pk=job_id).update(status=Status.DONE, result=result, report=report, upload="", checked=b"",
                                                       progress=report["total"], message="", updated_at=timezone.now())
    except lifecycle.LifecycleError as error:
        # the lifecycle refused a row the checks above let through: name it, write nothing
        index, _sep, reason = str(error).partition(": ")
        row = taken[int(index) - 1] if index.isdigit() and 0 < int(index) <= len(taken) else None
        where = _("Trang tính «%(sheet)s», dòng %(row)s: ") % {"sheet": row.sheet, "row": row.row} if row else ""
        _fail(job_id, attempt, _("Không ghi gì. %(where)s%(reason)s") % {"where": where, "reason": reason or error}, status=Status.READY)
    except IntegrityError:
        logger.warning("import %s: integrity error while writing", job_id, exc_info=True)
        _fail(job_id, attempt, _("Trong lúc ghi, hệ thống đã có hồ sơ trùng số định danh hoặc số thẻ (vừa được nhập nơi khác). Không ghi gì; hãy kiểm tra lại."),
              status=Status.READY)
    except MemoryError:
        logger.warning("import %s: writing ran out of memory", job_id)
        _fail(job_id, attempt, _out_of_memory(), status=Status.READY)
    except Exception:
        logger.exception("import %s: writing failed", job_id)
        _fail(job_id, attempt, _("Lỗi không mong đợi khi ghi; không ghi gì. Lỗi đã được ghi vào nhật ký máy chủ."), status=Status.READY)
    else:
        uploads.remove(job.upload)  # written: the file's personal data now lives in the members' records


def cancel_job(*, actor, job: ImportJob) -> None:
    updated = ImportJob.objects.filter(pk=job.pk, status__in=[Status.MAPPING, Status.READY, Status.FAILED]).update(
        status=Status.CANCELLED, upload="", checked=b"", updated_at=timezone.now())
    if not updated:
        raise ValidationError(_("Lần nhập này đang chạy hoặc đã kết thúc."))
    uploads.remove(job.upload)


def _stale(job: ImportJob, now) -> bool:
    if not job.worker:  # still queued: the worker may be busy with others
        return job.updated_at <= now - QUEUED_STALE_AFTER
    alive = tasks.process_alive(job.worker)
    if alive is None:  # a process of another machine: silent for STALE_AFTER
        return job.updated_at <= now - STALE_AFTER
    # a process of this machine: gone, or (its pid reused by another process) silent for hours
    return not alive or job.updated_at <= now - QUEUED_STALE_AFTER


def recover_if_stale(job: ImportJob) -> bool:
    """A step whose process died (killed, out of memory, a restart: the process named in the job
    no longer exists, or it gave no heartbeat for STALE_AFTER) is abandoned: the job says so and
    goes back to where the user can start the step again. Nothing was written (phase 2 writes in
    one transaction, marking the job DONE in it)."""
    if not job.running or not _stale(job, timezone.now()):
        return False
    back = Status.READY if job.status == Status.WRITING else Status.FAILED
    updated = ImportJob.objects.filter(pk=job.pk, status=job.status, attempt=job.attempt, updated_at=job.updated_at).update(
        status=back, worker="", updated_at=timezone.now(),
        message=_("Lần chạy trước bị gián đoạn: tiến trình xử lý đã dừng giữa chừng (bị tắt, hết bộ nhớ hoặc máy chủ khởi động lại); chưa ghi gì. Hãy chạy lại."))
    if updated:
        job.refresh_from_db()
    return bool(updated)


def recover_stale_jobs() -> int:
    """recover_if_stale() for every running job (the worker calls it when it starts)."""
    return sum(recover_if_stale(job) for job in ImportJob.objects.filter(status__in=ImportJob.RUNNING))
