from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "coso.organizations"
    label = "organizations"
    verbose_name = _("Tổ chức đảng")

    def ready(self):
        from coso.access import scope

        from .scope import Scope

        scope.register(Scope)
