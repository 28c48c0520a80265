"""Backing up and restoring the whole system: the database and the uploaded files, in one .tar.

The archive holds `manifest.json` (format, coso's version, the date, the database engine and
server version, the last migration of each app, and the SHA-256 of every other member), the
database, and the files under MEDIA_ROOT as `media/...`:

- SQLite: `database.sqlite3`, a consistent copy made with SQLite's online backup API
  (sqlite3.Connection.backup), so the web server and the worker may keep running;
- PostgreSQL: `database.pgdump`, pg_dump's custom format (one consistent snapshot), made with
  the pg_dump whose major version matches the server's (/usr/lib/postgresql/<major>/bin first,
  then PATH; COSO_PG_BIN names another folder); pg_restore from the same place restores it.

The database is copied first, then the files: a row never names a file the archive lacks.
Restoring checks every checksum before anything is written, refuses an archive of another
engine, and refuses a database that already has tables (or a media folder that has files)
unless --force: a restore is meant for an empty database (a new server, a new file). With
--force, SQLite's copy replaces the whole file's content; PostgreSQL's pg_restore drops and
recreates the objects it holds (--clean --if-exists), in one transaction.
"""

import datetime as dt
import hashlib
import importlib.metadata
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
CHUNK = 1 << 20


class BackupError(Exception):
    """What stopped a backup or a restore, for the operator."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# ---------------------------------------------------------------- PostgreSQL tools


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[name] = str(db[key])
    return env


def server_major() -> int:
    connection.ensure_connection()
    return connection.pg_version // 10000


def pg_tool(name: str) -> str:
    """The pg_dump/pg_restore matching the server's major version (an older one cannot read a
    newer server; a newer one writes archives an older pg_restore cannot read)."""
    major = server_major()
    folders = [os.environ.get("COSO_PG_BIN", ""), f"/usr/lib/postgresql/{major}/bin"]
    candidates = [str(Path(f) / name) for f in folders if f] + [shutil.which(name) or ""]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            version = subprocess.run([candidate, "--version"], capture_output=True, text=True, check=False).stdout
            found = re.search(r"(\d+)(?:\.\d+)?", version)
            if found and int(found.group(1)) == major:
                return candidate
    raise BackupError(f"Không tìm thấy {name} phiên bản {major} (khớp máy chủ PostgreSQL); cài gói postgresql-client-{major} "
                      f"hoặc đặt COSO_PG_BIN là thư mục chứa {name}.")


def _run(command: list[str]) -> None:
    done = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)
    if done.returncode:
        raise BackupError(f"{Path(command[0]).name} thất bại: {done.stderr.strip()[-2000:]}")


# ---------------------------------------------------------------- backup


def _engine() -> str:
    if connection.vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {connection.vendor}.")
    return connection.vendor


def _dump_database(folder: Path) -> Path:
    if _engine() == "sqlite":
        path = folder / "database.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(path) as copy:
            connection.connection.backup(copy)
        copy.close()
        return path
    path = folder / "database.pgdump"
    _run([pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={path}"])
    return path


def _migrations() -> dict[str, str]:
    last: dict[str, str] = {}
    for app, name in MigrationRecorder.Migration.objects.order_by("app", "name").values_list("app", "name"):
        last[app] = name
    return last


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def backup(output: Path) -> dict:
    """Write the archive to `output` (a .tar, or .tar.gz); return its manifest."""
    output = Path(output)
    if output.exists():
        raise BackupError(f"{output} đã có; chọn tên tệp khác.")
    engine = _engine()
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".coso-backup-") as tmp:
        database = _dump_database(Path(tmp))
        members = [(database.name, database)] + [
            ("media/" + p.relative_to(settings.MEDIA_ROOT).as_posix(), p) for p in _media_files()]
        manifest = {
            "format": FORMAT,
            "coso": importlib.metadata.version("coso"),
            "created_at": timezone.now().isoformat(timespec="seconds"),
            "engine": engine,
            "server_version": connection.Database.sqlite_version if engine == "sqlite" else str(connection.pg_version),
            "database": database.name,
            "migrations": _migrations(),
            "files": {},
        }
        partial = output.with_name(output.name + ".partial")
        mode = "w:gz" if output.name.endswith((".gz", ".tgz")) else "w"
        partial.touch(mode=0o600)  # personal data: readable by the operator's account only
        try:
            with tarfile.open(partial, mode) as archive:
                for name, path in members:
                    manifest["files"][name] = _sha256(path)
                    archive.add(path, arcname=name, recursive=False)
                data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime = len(data), int(dt.datetime.now().timestamp())
                archive.addfile(info, io.BytesIO(data))
            with partial.open("rb") as f:
                os.fsync(f.fileno())
            partial.rename(output)  # the archive appears only when complete
        finally:
            partial.unlink(missing_ok=True)
    return manifest


# ---------------------------------------------------------------- restore


def _safe(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, AttributeError, ValueError):
        raise BackupError("Tệp không phải bản sao lưu của coso (thiếu manifest.json).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Bản sao lưu định dạng {manifest.get('format')} không đọc được (phiên bản này đọc định dạng {FORMAT}).")
    return manifest


def _extract(archive: tarfile.TarFile, manifest: dict, folder: Path) -> None:
    """Every member the manifest names, to `folder`, each checked against its checksum."""
    names = set(manifest["files"])
    for member in archive.getmembers():
        if member.name == MANIFEST:
            continue
        if member.name not in names or not member.isfile() or not _safe(member.name):
            raise BackupError(f"Bản sao lưu có mục lạ: {member.name}")
    for name, expected in manifest["files"].items():
        if not _safe(name):
            raise BackupError(f"Bản sao lưu có mục lạ: {name}")
        try:
            source = archive.extractfile(name)
        except KeyError:
            source = None
        if source is None:
            raise BackupError(f"Bản sao lưu thiếu {name}.")
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with target.open("wb") as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != expected:
            raise BackupError(f"Mã kiểm tra của {name} không khớp: bản sao lưu bị hỏng.")


def database_is_empty() -> bool:
    return not connection.introspection.table_names()


def _media_is_empty() -> bool:
    return not _media_files()


def _restore_database(path: Path, engine: str, force: bool) -> None:
    if engine == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(path) as source:
            source.backup(connection.connection)
        source.close()
        return
    connection.close()  # pg_restore works on its own connection
    _run([pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
          *(["--clean", "--if-exists"] if force else []), f"--dbname={connection.settings_dict['NAME']}", str(path)])


def _restore_media(folder: Path) -> None:
    root = Path(settings.MEDIA_ROOT)
    if root.exists():
        shutil.rmtree(root)
    if folder.is_dir():
        shutil.copytree(folder, root)
    else:
        root.mkdir(parents=True, exist_ok=True)


def restore(source: Path, *, force: bool = False) -> dict:
    """Restore the archive into the configured database and MEDIA_ROOT; return its manifest."""
    engine = _engine()
    try:
        archive = tarfile.open(source, "r:*")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"Không mở được {source}: {error}") from None
    with archive, tempfile.TemporaryDirectory(prefix=".coso-restore-") as tmp:
        manifest = read_manifest(archive)
        if manifest["engine"] != engine:
            raise BackupError(f"Bản sao lưu là của {manifest['engine']}, cơ sở dữ liệu đang cấu hình là {engine}: "
                              "khôi phục vào cùng loại cơ sở dữ liệu.")
        if not force and not (database_is_empty() and _media_is_empty()):
            raise BackupError("Cơ sở dữ liệu (hoặc thư mục tệp tải lên) không trống: khôi phục chỉ vào một cơ sở dữ liệu mới, "
                              "trống; dùng --force để ghi đè toàn bộ.")
        _extract(archive, manifest, Path(tmp))  # every checksum checked before anything is written
        _restore_database(Path(tmp) / manifest["database"], engine, force)
        _restore_media(Path(tmp) / "media")
    return manifest
