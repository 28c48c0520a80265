"""An uploaded file waiting for its import's steps: on disk, not in the database.

The file is written under MEDIA_ROOT/imports/<organization id>/ with a random name (the name
the user gave stays in the job row, for display), and the job keeps the relative path and the
SHA-256 of the bytes; every step reads it back and checks the hash, so a worker process reads
exactly what was uploaded. The file holds personal data: it is removed when the job ends
(written or cancelled) and by `sweep()` when the job was abandoned (no step for KEEP_FOR) or
when no job refers to it any more (the row was never created, or was deleted).
"""

import datetime as dt
import hashlib
import logging
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from coso.lib.excel import ExcelError

from .models import ImportJob

logger = logging.getLogger(__name__)

FOLDER = "imports"
KEEP_FOR = dt.timedelta(days=7)  # an unfinished job untouched for this long is abandoned


def root() -> Path:
    return Path(settings.MEDIA_ROOT) / FOLDER


def save(content: bytes, organization_id: int, file_name: str) -> tuple[str, str]:
    """Write the bytes to a new file (never over another); return (relative path, sha256).
    A disk that is full or cannot be written is a message for the user, and no file is left."""
    suffix = Path(file_name).suffix.lower()
    suffix = suffix if suffix in (".xlsx", ".xlsm", ".xls", ".csv") else ""
    path = root() / str(int(organization_id)) / f"{secrets.token_hex(16)}{suffix}"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:  # "x": a new file, never over another; readable by its owner only
            with open(path, "xb", opener=lambda name, flags: os.open(name, flags, 0o600)) as out:
                out.write(content)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            path.unlink(missing_ok=True)
            raise
    except OSError as error:
        logger.error("upload not saved: %s", error)
        raise ValidationError(_("Máy chủ không lưu được tệp tải lên (đĩa đầy hoặc không ghi được): chưa có gì được nhập. "
                                "Hãy báo quản trị hệ thống, rồi tải tệp lên lại."), code="upload_not_saved") from error
    return path.relative_to(settings.MEDIA_ROOT).as_posix(), hashlib.sha256(content).hexdigest()


def _resolve(relative: str) -> Path:
    path = (Path(settings.MEDIA_ROOT) / relative).resolve()
    if not relative or root().resolve() not in path.parents:
        raise ExcelError(_("Tệp tải lên của lần nhập này không còn trên máy chủ; hãy tải tệp lên lại."))
    return path


def read(relative: str, sha256: str) -> bytes:
    """The uploaded bytes, as they were uploaded; ExcelError (shown to the user) otherwise."""
    path = _resolve(relative)
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise ExcelError(_("Tệp tải lên của lần nhập này không còn trên máy chủ; hãy tải tệp lên lại.")) from None
    if hashlib.sha256(content).hexdigest() != sha256:
        raise ExcelError(_("Tệp tải lên của lần nhập này đã bị thay đổi trên máy chủ (mã kiểm tra không khớp); hãy tải tệp lên lại."))
    return content


def remove(relative: str) -> None:
    if not relative:
        return
    try:
        _resolve(relative).unlink(missing_ok=True)
    except (ExcelError, OSError):
        logger.warning("import upload %s could not be removed", relative, exc_info=True)


def sweep(now=None) -> int:
    """Remove the files of abandoned jobs (marking them cancelled) and files no job refers to."""
    now = now or timezone.now()
    Status = ImportJob.Status
    abandoned = ImportJob.objects.filter(updated_at__lt=now - KEEP_FOR).exclude(upload="").exclude(status__in=ImportJob.RUNNING)
    removed = 0
    for pk, relative in abandoned.values_list("pk", "upload"):
        if ImportJob.objects.filter(pk=pk, upload=relative).exclude(status__in=ImportJob.RUNNING).update(
                status=Status.CANCELLED, upload="", checked=b"", updated_at=now,
                message=_("Lần nhập bị bỏ dở quá %(days)s ngày: tệp tải lên đã được xóa khỏi máy chủ; không ghi gì.") % {"days": KEEP_FOR.days}):
            remove(relative)
            removed += 1
    if root().is_dir():
        known = set(ImportJob.objects.exclude(upload="").values_list("upload", flat=True))
        cutoff = (now - dt.timedelta(hours=1)).timestamp()  # a file being uploaded has no row yet
        for path in root().glob("*/*"):
            relative = path.relative_to(settings.MEDIA_ROOT).as_posix()
            if relative not in known and path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                removed += 1
    return removed
