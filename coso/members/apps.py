from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "coso.members"
    label = "members"
    verbose_name = _("Đảng viên")

    def ready(self):
        from coso.audit import registry

        from .permissions import get_candidate_for_user, get_member_for_user, get_person_for_user

        registry.register("members.member", get_member_for_user)
        registry.register("members.candidate", get_candidate_for_user)
        # a person is visible through a membership or a candidacy, so members answers for people
        registry.register("people.person", get_person_for_user)
