from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "coso.people"
    label = "people"
    verbose_name = _("Nhân thân")

    def ready(self):
        from coso.audit import registry

        registry.register_events({
            "people.person.created": _("Thêm nhân thân"),
            "people.person.changed": _("Sửa thông tin nhân thân"),
            "people.national_id.refused": _("Từ chối số định danh đã có trong hệ thống"),
        })
