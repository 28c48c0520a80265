"""`coso backup` then `coso restore` into an empty database gives back the same system: the
standard report's Excel and `coso report`'s CSV are byte-identical for a set of dates, and the
uploaded files come back. Runs on SQLite (online backup API) and PostgreSQL (pg_dump/pg_restore)."""

import datetime as dt
import io
import json
import shutil
import tarfile
import zipfile

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from coso.lib import backup
from coso.lib.tests.responses import whole
from coso.members.models import Member

from .test_tables import populated  # noqa: F401 (the fixture the tests use)

pytestmark = pytest.mark.django_db(transaction=True)
DATES = ["01/01/2024", "01/04/2024", "01/05/2024", "31/12/2024"]
PHOTO = b"\xff\xd8\xff\xe0 not really a photo \x00\x01"


def _parts(xlsx: bytes) -> dict[str, bytes]:
    """The parts of an .xlsx, byte for byte. The zip's own entry dates are left out: openpyxl
    stamps a sheet with the modification time of its temporary file, not with the report."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as package:
        return {name: package.read(name) for name in package.namelist()}


def _exports(client, people, tree) -> dict:
    """Every export of the set, made at the same frozen moment (the Excel carries its date)."""
    client.force_login(people.staff_a)
    files = {}
    with time_machine.travel(dt.datetime(2025, 1, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        for on in DATES:
            response = whole(client.get(reverse("reports:statistics_xlsx"), {"to_chuc": tree.district_a.pk, "ngay": on}))
            assert response.status_code == 200
            files[f"xlsx {on}"] = _parts(response.content)
            out = io.StringIO()
            call_command("report", "table", org=tree.district_a.code, date=on, format="csv", stdout=out)
            files[f"csv {on}"] = out.getvalue().encode()
    return files


def _empty_database() -> None:
    """As a new database is: no table at all."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names():
                cursor.execute(f'DROP TABLE "{table}"')
            cursor.execute("PRAGMA foreign_keys = ON")
    assert backup.database_is_empty()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "photos").mkdir(parents=True)
    (settings.MEDIA_ROOT / "photos" / "a1b2.jpg").write_bytes(PHOTO)
    return settings.MEDIA_ROOT


@pytest.mark.usefixtures("populated")
def test_a_backup_restored_into_an_empty_database_gives_the_same_reports(client, people, tree, media, tmp_path):
    before = _exports(client, people, tree)
    assert before["csv 01/05/2024"].count(b"\n") > 20 and "xl/worksheets/sheet1.xml" in before["xlsx 01/05/2024"]
    members = Member.objects.count()
    archive = tmp_path / "coso.tar"
    call_command("backup", str(archive), stdout=io.StringIO())

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = set(tar.getnames())
    assert manifest["format"] == 1 and manifest["engine"] == connection.vendor and manifest["created_at"]
    assert manifest["migrations"]["imports"].startswith("0002") and len(manifest["files"]["media/photos/a1b2.jpg"]) == 64
    assert names == {"manifest.json", manifest["database"], "media/photos/a1b2.jpg"}

    _empty_database()
    shutil.rmtree(media)
    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "Đã khôi phục" in out.getvalue()
    assert Member.objects.count() == members and (media / "photos" / "a1b2.jpg").read_bytes() == PHOTO
    after = _exports(client, people, tree)
    assert after.keys() == before.keys()
    for name in before:
        assert after[name] == before[name], f"{name} differs after the restore"

    # a database that is not empty is refused, unless --force
    with pytest.raises(CommandError, match="không trống"):
        call_command("restore", str(archive), stdout=io.StringIO())
    call_command("restore", str(archive), force=True, stdout=io.StringIO())
    assert _exports(client, people, tree) == before


def test_a_damaged_or_foreign_archive_is_refused_before_anything_is_written(tmp_path, media, tree):
    archive = tmp_path / "coso.tar"
    backup.backup(archive)
    with pytest.raises(backup.BackupError, match="đã có"):
        backup.backup(archive)  # never over an existing file
    members = {}
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            members[member.name] = tar.extractfile(member).read()
    manifest = json.loads(members["manifest.json"])

    def write(name: str, files: dict) -> str:
        path = tmp_path / name
        with tarfile.open(path, "w") as tar:
            for member, data in files.items():
                info = tarfile.TarInfo(member)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        return str(path)

    damaged = write("damaged.tar", {**members, "media/photos/a1b2.jpg": b"changed"})
    foreign = write("foreign.tar", {**members, "manifest.json": json.dumps({**manifest, "engine": "oracle"}).encode()})
    strange = write("strange.tar", {**members, "../../etc/x": b"x"})
    with pytest.raises(backup.BackupError, match="không khớp"):
        backup.restore(damaged, force=True)
    with pytest.raises(backup.BackupError, match="oracle"):
        backup.restore(foreign, force=True)
    with pytest.raises(backup.BackupError, match="mục lạ"):
        backup.restore(strange, force=True)
    with pytest.raises(backup.BackupError, match="manifest"):
        backup.restore(write("empty.tar", {"x": b"x"}), force=True)
    assert (media / "photos" / "a1b2.jpg").read_bytes() == PHOTO  # nothing was touched
