from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "coso.training"
    label = "training"
    verbose_name = _("Đào tạo, bồi dưỡng lý luận chính trị")

    def ready(self):
        from coso.audit import registry

        registry.register_events({
            "training.course.created": _("Mở lớp đào tạo, bồi dưỡng lý luận chính trị"),
            "training.enrolment.created": _("Cử học viên đi học"),
            "training.enrolment.completed": _("Ghi nhận hoàn thành khóa học, cấp chứng chỉ"),
            "training.enrolment.withdrawn": _("Ghi nhận học viên thôi học"),
        })
