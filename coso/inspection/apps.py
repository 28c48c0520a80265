from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionConfig(AppConfig):
    name = "coso.inspection"
    label = "inspection"
    verbose_name = _("Kiểm tra, giám sát và kỷ luật đảng")

    def ready(self):
        from coso.audit import registry

        from .permissions import (
            get_case_for_user,
            get_discipline_for_user,
            get_intake_for_user,
            get_plan_for_user,
        )

        registry.register_restricted("inspection.", "inspection.view")  # the audit list: no case contents without it
        registry.register("inspection.case", get_case_for_user)
        registry.register("inspection.plan", get_plan_for_user)
        registry.register("inspection.discipline", get_discipline_for_user)
        registry.register("inspection.intake", get_intake_for_user)
        registry.register_events({
            "inspection.plan.created": _("Ban hành chương trình kiểm tra, giám sát"),
            "inspection.plan.item_added": _("Thêm nội dung vào chương trình kiểm tra, giám sát"),
            "inspection.case.opened": _("Quyết định kiểm tra, giám sát"),
            "inspection.case.stage": _("Chuyển giai đoạn kiểm tra, giám sát"),
            "inspection.case.concluded": _("Kết luận kiểm tra, giám sát"),
            "inspection.case.recommended": _("Kiến nghị sau kiểm tra, giám sát"),
            "inspection.case.remedied": _("Khắc phục kiến nghị"),
            "inspection.case.file_added": _("Thêm tài liệu cuộc kiểm tra, giám sát"),
            "inspection.case.file_viewed": _("Xem tài liệu cuộc kiểm tra, giám sát"),
            "inspection.discipline.decided": _("Quyết định kỷ luật"),
            "inspection.discipline.corrected": _("Giải quyết khiếu nại, thay đổi hoặc hủy quyết định kỷ luật"),
            "inspection.synth.built": _("Tạo dữ liệu mô phỏng kiểm tra, giám sát, kỷ luật"),
            "inspection.intake.registered": _("Tiếp nhận đơn tố cáo, khiếu nại"),
            "inspection.intake.closed": _("Giải quyết xong đơn tố cáo, khiếu nại"),
            "inspection.intake.sender_viewed": _("Xem thông tin người tố cáo, khiếu nại"),
        })
