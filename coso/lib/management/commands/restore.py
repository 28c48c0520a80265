"""`coso restore FILE [--force]`: put a backup of `coso backup` back (see coso.lib.backup).

Into an empty database (a new SQLite file, or a PostgreSQL database just created): stop the web
server and the worker first, restore, then run `coso migrate` (a backup from an older version
gets the newer migrations) and start them again. A database that has tables is refused unless
--force, which replaces its whole content and the uploaded files.
"""

from django.core.management.base import BaseCommand, CommandError

from coso.lib import backup


class Command(BaseCommand):
    help = "Khôi phục cơ sở dữ liệu và các tệp tải lên từ một bản sao lưu của `coso backup` (vào cơ sở dữ liệu trống)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp sao lưu (.tar hoặc .tar.gz)")
        parser.add_argument("--force", action="store_true", help="ghi đè cả khi cơ sở dữ liệu đã có dữ liệu")

    def handle(self, *args, file, force=False, **options):
        try:
            manifest = backup.restore(file, force=force)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Đã khôi phục bản sao lưu lúc {manifest['created_at']} ({manifest['engine']}, coso {manifest['coso']}, "
                          f"{len(manifest['files']) - 1} tệp tải lên). Chạy `coso migrate` trước khi mở lại hệ thống.")
