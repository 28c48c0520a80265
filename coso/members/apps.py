from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "coso.members"
    label = "members"
    verbose_name = _("Đảng viên")

    def ready(self):
        from coso.audit import registry

        from .models import EventType, MemberEvent
        from .permissions import get_candidate_for_user, get_member_for_user, get_person_for_user

        registry.register("members.member", get_member_for_user)
        registry.register("members.candidate", get_candidate_for_user)
        # a person is visible through a membership or a candidacy, so members answers for people
        registry.register("people.person", get_person_for_user)
        registry.register_events({
            **{f"members.member.{t.value}": t.label for t in EventType},
            "members.member.imported": _("Nhập đảng viên từ Excel"),
            "members.member.demo": _("Tạo dữ liệu trình diễn"),
            "members.member.scenario": _("Tạo dữ liệu kịch bản"),
            "members.synth.built": _("Tạo dữ liệu mô phỏng"),
            "members.candidate.listed": _("Đưa vào danh sách quần chúng ưu tú"),
            "members.candidate.changed": _("Sửa thông tin quần chúng ưu tú"),
            "members.candidate.dropped": _("Đưa ra khỏi danh sách quần chúng ưu tú"),
            "members.candidate.admitted": _("Kết nạp quần chúng ưu tú"),
        })
        registry.register_fields("members.member", MemberEvent, extra={"event": MemberEvent._meta.get_field("type")})
