from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "coso.places"
    label = "places"
    verbose_name = _("Đơn vị hành chính")

    def ready(self):
        from coso.audit import registry

        from .permissions import get_unit_for_user

        registry.register("places.adminunit", get_unit_for_user)
        registry.register_events({
            "places.village.created": _("Thêm thôn, tổ dân phố"),
            "places.village.closed": _("Kết thúc thôn, tổ dân phố"),
        })
