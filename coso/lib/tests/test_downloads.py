"""A full disk while an export is written: a clear message, no file (not even a cut one), nothing logged."""

import errno

import pytest
from django.urls import reverse

from coso.access.models import ExportLog
from coso.lib import downloads
from coso.lib.tests.responses import whole

pytestmark = pytest.mark.django_db


@pytest.fixture
def disk_full(monkeypatch):
    """The spool's write fills the disk halfway through the file."""
    real = downloads._write

    def write(out, content):
        real(out, content[: len(content) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(downloads, "_write", write)


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def _exports(tree):
    return [
        (reverse("imports:export_members"), {"to_chuc": tree.district_a.pk, "ngay": "01/07/2024"}),
        (reverse("imports:export_members"), {"to_chuc": tree.district_a.pk, "ngay": "01/07/2024", "dinh_dang": "csv"}),
        (reverse("reports:statistics_xlsx"), {"to_chuc": tree.district_a.pk, "ngay": "01/07/2024"}),
    ]


def test_a_full_disk_gives_a_message_and_no_file(client, tree, people, disk_full, data_dir):
    client.force_login(people.staff_a)
    for url, params in _exports(tree):
        response = client.get(url, params, HTTP_REFERER="http://testserver/bao-cao/")
        assert response.status_code == 507 and "Content-Disposition" not in response, url
        body = response.content.decode()
        assert "hết chỗ trống trên đĩa" in body and "không có tệp nào được gửi" in body and 'href="http://testserver/bao-cao/"' in body
    assert not ExportLog.objects.exists()  # nothing was exported
    assert not any((data_dir / "tmp").iterdir())  # no partial file left behind


def test_with_room_on_the_disk_the_file_is_served_whole_and_logged(client, tree, people, data_dir):
    client.force_login(people.staff_a)
    for url, params in _exports(tree):
        response = client.get(url, params)
        assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;"), url
        body = whole(response).content
        assert int(response["Content-Length"]) == len(body) and body[:2] in (b"PK", b"\xef\xbb")
    assert ExportLog.objects.count() == 3
    assert not any((data_dir / "tmp").iterdir())  # the spooled file is gone once sent


def test_another_disk_error_is_not_passed_off_as_a_full_disk(monkeypatch, tree):
    def write(out, content):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(downloads, "_write", write)
    with pytest.raises(OSError):
        downloads.attachment(lambda: (b"x", 1), filename="a.csv", content_type="text/csv")
