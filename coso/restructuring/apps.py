from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RestructuringConfig(AppConfig):
    name = "coso.restructuring"
    label = "restructuring"
    verbose_name = _("Sắp xếp, kiện toàn tổ chức")

    def ready(self):
        from coso.audit import registry

        registry.register_events({
            "restructuring.restructuring.created": _("Tạo phương án sắp xếp tổ chức"),
            "restructuring.restructuring.changed": _("Sửa phương án sắp xếp tổ chức"),
            "restructuring.restructuring.accepted": _("Chấp nhận vướng mắc của phương án sắp xếp"),
            "restructuring.restructuring.committed": _("Thực hiện quyết định sắp xếp tổ chức"),
            "restructuring.restructuring.queued": _("Chuyển quyết định sắp xếp cho tiến trình chạy nền thực hiện"),
            "restructuring.restructuring.undone": _("Hủy thực hiện quyết định sắp xếp tổ chức"),
            "restructuring.organization.changed": _("Thay đổi tổ chức theo quyết định sắp xếp"),
            "restructuring.member.handed_over": _("Chuyển giao tổ chức"),
        })
