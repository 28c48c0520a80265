from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "coso.imports"
    label = "imports"
    verbose_name = _("Nhập, xuất Excel")

    def ready(self):
        from coso.audit import registry

        registry.register_events({
            "imports.mapping.changed": _("Sửa cách đọc cột của tệp nhập"),
            "imports.job.committed": _("Ghi dữ liệu nhập từ Excel"),
        })
