from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "coso.evaluation"
    label = "evaluation"
    verbose_name = _("Đánh giá, xếp loại chất lượng")

    def ready(self):
        from coso.audit import registry

        registry.register_events({
            "evaluation.period.opened": _("Mở kỳ đánh giá, xếp loại"),
            "evaluation.period.enrolled": _("Đưa đối tượng vào kỳ đánh giá"),
            "evaluation.period.settings_changed": _("Sửa cấu hình quy định của kỳ đánh giá"),
            "evaluation.period.published": _("Công bố kết quả kỳ đánh giá"),
            "evaluation.rating.self_assessed": _("Tự đánh giá, xếp loại"),
            "evaluation.rating.commented": _("Ghi nhận xét, đánh giá"),
            "evaluation.rating.proposed": _("Đề xuất mức xếp loại"),
            "evaluation.rating.decided": _("Quyết định xếp loại"),
            "evaluation.rating.published": _("Công bố kết quả xếp loại"),
            "evaluation.rating.corrected": _("Điều chỉnh kết quả xếp loại đã công bố"),
            "evaluation.rating.unit_disciplined": _("Ghi nhận tổ chức bị kỷ luật"),
            "evaluation.rating.collective_added": _("Thêm tập thể lãnh đạo vào kỳ đánh giá"),
            "evaluation.rating.leader_added": _("Thêm cán bộ lãnh đạo vào kỳ đánh giá"),
            "evaluation.rating.mass_organization_added": _("Thêm tổ chức chính trị - xã hội vào kỳ đánh giá"),
            "evaluation.mass_organization.created": _("Thêm tổ chức chính trị - xã hội"),
            "evaluation.cap_group.created": _("Tạo nhóm đối tượng tương đồng"),
            "evaluation.cap_group.assigned": _("Đưa đối tượng vào nhóm tương đồng"),
            "evaluation.cap_group.raised": _("Nâng tỷ lệ tối đa của nhóm tương đồng"),
            "evaluation.breach.remedied": _("Ghi nhận vi phạm đã tự phát hiện, khắc phục"),
        })
