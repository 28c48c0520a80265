"""Files attached to documents: on disk under the app's folder, never served by path.

Like the member imports' uploads (coso/imports/uploads.py): each file is written under
MEDIA_ROOT/resolutions/<organization id>/ with a random name (the user's name for it stays in the
row), owner-readable only, never over another file, flushed before the row is committed; the row
keeps the relative path and the SHA-256, and reading checks both (a path outside the folder or a
changed file is refused). Only PDF and DOCX are accepted, checked by their first bytes as well as
their name. The file is sent by the document's scoped view (views.attachment), nothing else.
"""

import hashlib
import logging
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

FOLDER = "resolutions"
MAX_BYTES = 20 * 1024 * 1024
# extension → (content type, the file's first bytes)
TYPES = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04"),
}


class AttachmentMissing(Exception):
    """The stored file is gone or changed: the page says so, nothing is sent."""


def root() -> Path:
    return Path(settings.MEDIA_ROOT) / FOLDER


def too_large() -> ValidationError:
    return ValidationError({"file": _("Tệp quá lớn: tối đa %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)}})


def read_upload(upload) -> bytes:
    """The uploaded file's content, read only up to the size limit: a file announced larger is
    refused before a byte is read, and one that turns out larger after MAX_BYTES + 1 bytes."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise too_large()
    upload.seek(0)
    content = upload.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise too_large()
    return content


def check(content: bytes, file_name: str) -> str:
    """The content type of an acceptable file; ValidationError (on the field "file") otherwise."""
    suffix = Path(file_name or "").suffix.lower()
    if suffix not in TYPES:
        raise ValidationError({"file": _("Chỉ đính kèm được tệp PDF hoặc DOCX.")})
    content_type, magic = TYPES[suffix]
    if not content.startswith(magic):
        raise ValidationError({"file": _("Tệp “%(name)s” không phải là tệp %(kind)s thật (nội dung không khớp đuôi tệp).")
                               % {"name": file_name, "kind": suffix[1:].upper()}})
    if len(content) > MAX_BYTES:
        raise too_large()
    if not content:
        raise ValidationError({"file": _("Tệp rỗng.")})
    return content_type


def save(content: bytes, organization_id: int, file_name: str) -> tuple[str, str]:
    """Write a new file; (relative path, sha256). A full or unwritable disk is a message, no file left."""
    suffix = Path(file_name).suffix.lower()
    path = root() / str(int(organization_id)) / f"{secrets.token_hex(16)}{suffix}"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(path, "xb", opener=lambda name, flags: os.open(name, flags, 0o600)) as out:
                out.write(content)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            path.unlink(missing_ok=True)
            raise
    except OSError as error:
        logger.error("attachment not saved: %s", error)
        raise ValidationError({"file": _("Máy chủ không lưu được tệp (đĩa đầy hoặc không ghi được): chưa đính kèm gì. "
                                         "Hãy báo quản trị hệ thống.")}) from error
    return path.relative_to(settings.MEDIA_ROOT).as_posix(), hashlib.sha256(content).hexdigest()


def _resolve(relative: str) -> Path:
    path = (Path(settings.MEDIA_ROOT) / relative).resolve()
    if not relative or root().resolve() not in path.parents:
        raise AttachmentMissing(relative)
    return path


def read(relative: str, sha256: str) -> bytes:
    try:
        content = _resolve(relative).read_bytes()
    except OSError:
        raise AttachmentMissing(relative) from None
    if hashlib.sha256(content).hexdigest() != sha256:
        raise AttachmentMissing(relative)
    return content


def remove(relative: str) -> None:
    try:
        _resolve(relative).unlink(missing_ok=True)
    except (AttachmentMissing, OSError):
        logger.warning("attachment %s could not be removed", relative, exc_info=True)
