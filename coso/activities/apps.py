from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "coso.activities"
    label = "activities"
    verbose_name = _("Sinh hoạt chi bộ")

    def ready(self):
        from coso.audit import registry

        registry.register_events({
            "activities.meeting.recorded": _("Ghi buổi sinh hoạt"),
            "activities.meeting.changed": _("Sửa thông tin buổi sinh hoạt"),
            "activities.meeting.minutes_attached": _("Đính kèm biên bản buổi sinh hoạt"),
            "activities.attendance.marked": _("Điểm danh buổi sinh hoạt"),
            "activities.task.assigned": _("Giao nhiệm vụ tại buổi sinh hoạt"),
            "activities.task.reviewed": _("Kiểm điểm nhiệm vụ được giao"),
            "activities.dues.profile_set": _("Ghi mức đóng đảng phí"),
            "activities.dues.recorded": _("Ghi thu đảng phí"),
            "activities.point_person.assigned": _("Phân công cấp ủy viên phụ trách chi bộ"),
            "activities.point_person.ended": _("Kết thúc phân công cấp ủy viên phụ trách chi bộ"),
            "activities.score_sheet.defined": _("Ban hành phiếu chấm điểm sinh hoạt chi bộ"),
            "activities.meeting.scored": _("Chấm điểm buổi sinh hoạt chi bộ"),
            "activities.commendation.recorded": _("Ghi khen thưởng"),
            "activities.synth.built": _("Tạo dữ liệu mô phỏng sinh hoạt chi bộ"),
        })
