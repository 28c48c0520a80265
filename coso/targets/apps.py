from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    name = "coso.targets"
    label = "targets"
    verbose_name = _("Chỉ tiêu nghị quyết")

    def ready(self):
        from coso.audit import registry

        registry.register_events({
            "targets.target.created": _("Thêm chỉ tiêu của văn bản"),
            "targets.target.inherited": _("Nhận chỉ tiêu của cấp trên"),
            "targets.value.reported": _("Ghi số liệu báo cáo của chỉ tiêu"),
            "targets.review.prepared": _("Lập bảng sơ kết, tổng kết chỉ tiêu"),
            "targets.review.commented": _("Ghi nhận xét vào bảng sơ kết, tổng kết"),
            "targets.review.adopted": _("Thông qua bảng sơ kết, tổng kết chỉ tiêu"),
            "targets.aggregate.accepted": _("Nhận số liệu tổng hợp của cấp dưới"),
        })
