from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffingConfig(AppConfig):
    name = "coso.staffing"
    label = "staffing"
    verbose_name = _("Cán bộ, công chức và biên chế cấp xã")

    def ready(self):
        from coso.audit import registry
        from coso.training import holders

        from .selectors import title_holders

        registry.register_events({
            "staffing.employment.started": _("Ghi nhận cán bộ, công chức, người lao động"),
            "staffing.employment.ended": _("Ghi nhận thôi việc, nghỉ, tinh giản biên chế"),
            "staffing.quota.set": _("Giao biên chế"),
            "staffing.part_time.ended": _("Chấm dứt người hoạt động không chuyên trách cấp xã"),
        })
        # the positions held are posts for training's lists (who lacks the required level, who is due)
        holders.register("staffing", title_holders)
