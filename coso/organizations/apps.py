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
        from coso.lib import pagecache

        from .models import Organization, Placement
        from .permissions import get_organization_for_user
        from .scope import Scope
        from .selectors import ancestry, organization_names

        scope.register(Scope)
        pagecache.register_ancestry(ancestry)  # declared writes move only their subtrees' pages' tokens
        registry.register("organizations.organization", get_organization_for_user)
        registry.register_events({
            "organizations.organization.created": _("Thành lập tổ chức đảng"),
            "organizations.organization.renamed": _("Đổi tên tổ chức đảng"),
            "organizations.organization.changed": _("Sửa thông tin tổ chức đảng"),
            "organizations.organization.moved": _("Chuyển tổ chức đảng sang trực thuộc cấp ủy khác"),
            "organizations.organization.ancestor_moved": _("Chuyển trực thuộc theo tổ chức cấp trên"),
            "organizations.organization.closed": _("Kết thúc hoạt động tổ chức đảng"),
        })
        registry.register_fields("organizations.organization", Placement)
        registry.register_names(Organization, organization_names)
