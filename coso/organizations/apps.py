from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "coso.organizations"
    label = "organizations"
    verbose_name = _("Tổ chức đảng")

    def ready(self):
        # the floors below ask through registries filled here (access's scope contract, the
        # audit's history pages), so they never import the tree
        from coso.access import scope
        from coso.audit import registry

        from .permissions import get_organization_for_user
        from .scope import Scope

        scope.register(Scope)
        registry.register("organizations.organization", get_organization_for_user)
