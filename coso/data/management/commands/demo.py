from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from coso.data.demo import builder
from coso.data.demo import resolutions as demo_resolutions
from coso.places.models import AdminUnit


class Command(BaseCommand):
    help = "Dựng dữ liệu mẫu trên các đơn vị hành chính thật (chạy lại không tạo trùng)."

    def handle(self, *args, **options):
        if not AdminUnit.objects.exists():
            call_command("places", "load", verbosity=0)
        if builder.already_built():
            self.stdout.write(_("Dữ liệu mẫu đã có sẵn; không tạo lại."))
        else:
            demo = builder.build(say=self.stdout.write)
            demo_resolutions.build(demo, say=self.stdout.write)
            rows = builder.users(demo)
            self.stdout.write(_("Tài khoản mẫu (mật khẩu: %(password)s):") % {"password": builder.PASSWORD})
            for username, role, scope in rows:
                self.stdout.write(f"  {username:<18} {role:<22} {scope}")
