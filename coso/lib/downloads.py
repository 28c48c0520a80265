"""Files sent to the user (exports): written whole to a temporary file first, served only then.

An export is built, written to an anonymous temporary file under DATA_DIR/tmp (on the same disk
as the data, removed by the system as soon as it is closed, even after a crash), flushed to the
disk, and only then handed to the response. When the disk is full (or the user's quota spent)
while writing, the user gets a clear message and no file at all, never a cut-off one that a
spreadsheet would open as if it were complete; the view logs the export only once it is served.
"""

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.http import FileResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class ExportFailed(Exception):
    """The file could not be made; the message says why, for the user."""


def folder() -> Path:
    path = Path(settings.DATA_DIR) / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _write(out, content: bytes) -> None:
    view = memoryview(content)
    while view:
        written = out.write(view)
        view = view[written:]


def attachment(produce: Callable[[], tuple[bytes, int]], *, filename: str, content_type: str) -> tuple[FileResponse, int]:
    """The response sending the file that produce() returns (its bytes, its row count), and the
    row count; ExportFailed when the disk is full while making or spooling it."""
    spool = None
    try:
        content, rows = produce()  # openpyxl's streamed sheets use temporary files of their own
        spool = tempfile.TemporaryFile(dir=folder())
        _write(spool, content)
        spool.flush()
        os.fsync(spool.fileno())
        spool.seek(0)
    except OSError as error:
        if spool is not None:
            spool.close()
        if error.errno in DISK_FULL:
            raise ExportFailed(_("Máy chủ đã hết chỗ trống trên đĩa nên chưa tạo được tệp; không có tệp nào được gửi. "
                                 "Hãy báo người quản trị hệ thống, rồi thử lại.")) from error
        raise
    response = FileResponse(spool, as_attachment=True, filename=filename, content_type=content_type)
    return response, rows


def failed(request, error: ExportFailed):
    """The page saying the export failed (507: the server lacks the storage to make it)."""
    back = request.headers.get("referer", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = ""
    return render(request, "export_failed.html", {"message": str(error), "back": back}, status=507)
