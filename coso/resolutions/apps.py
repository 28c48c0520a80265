from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResolutionsConfig(AppConfig):
    name = "coso.resolutions"
    label = "resolutions"
    verbose_name = _("Văn bản của Đảng")

    def ready(self):
        from coso.audit import registry

        registry.register_events({
            "resolutions.term.opened": _("Khai báo nhiệm kỳ cấp ủy"),
            "resolutions.document.registered": _("Đăng ký văn bản"),
            "resolutions.document.changed": _("Sửa thông tin văn bản"),
            "resolutions.relation.added": _("Ghi quan hệ giữa hai văn bản"),
            "resolutions.attachment.added": _("Đính kèm tệp vào văn bản"),
        })
