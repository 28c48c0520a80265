from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "coso.members"
    label = "members"
    verbose_name = _("Đảng viên")

    def ready(self):
        from coso.audit import registry

        connection_created.connect(_sqlite_functions, dispatch_uid="coso.members.sqlite_functions")

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


def _sqlite_functions(sender, connection, **kwargs):
    """SQLite has no regular expressions to cut a key's first word (members/search.py, given names)."""
    if connection.vendor == "sqlite":
        from coso.lib.text import first_word

        connection.connection.create_function("coso_first_word", 1, first_word, deterministic=True)
