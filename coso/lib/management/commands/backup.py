"""`coso backup [FILE]`: the database and the uploaded files in one .tar (see coso.lib.backup).

    coso backup                          # var/backups/coso-YYYYmmdd-HHMMSS.tar
    coso backup /mnt/sao-luu/coso.tar    # or .tar.gz to compress
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from coso.lib import backup


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và các tệp tải lên vào một tệp .tar (kèm manifest: phiên bản, ngày, loại CSDL, mã kiểm tra)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="tệp sao lưu (.tar hoặc .tar.gz); mặc định var/backups/coso-<thời điểm>.tar")

    def handle(self, *args, file=None, **options):
        if file:
            path = Path(file)
        else:
            path = Path(settings.DATA_DIR) / "backups" / f"coso-{timezone.localtime():%Y%m%d-%H%M%S}.tar"
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            manifest = backup.backup(path)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Đã sao lưu vào {path}: {manifest['engine']}, {len(manifest['files']) - 1} tệp tải lên, "
                          f"lúc {manifest['created_at']}.")
