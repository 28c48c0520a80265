from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from coso.audit.admin import AuditedAdminMixin, ReadOnlyAdmin

from .models import Assignment, ExportLog, User


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Vai trò và phạm vi"), {"fields": ("full_name", "role", "scope", "assigned_from", "assigned_until")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Vai trò và phạm vi"), {"fields": ("full_name", "role", "scope", "assigned_from", "assigned_until")}),
    )
    list_display = ("username", "full_name", "role", "scope", "assigned_from", "assigned_until", "assignment", "is_active")
    list_filter = ("role", "is_active")

    @admin.display(description=_("nhiệm vụ hôm nay"))
    def assignment(self, user) -> str:
        """Where the account stands today: active, read-only until it closes, closed (decision 0007)."""
        state = user.assignment_on()
        if state == Assignment.READ_ONLY:
            return _("%(state)s, đóng từ ngày %(date)s") % {"state": Assignment(state).label, "date": user.closes_on.strftime("%d/%m/%Y")}
        return Assignment(state).label
    raw_id_fields = ("scope",)


@admin.register(ExportLog)
class ExportLogAdmin(ReadOnlyAdmin):
    list_display = ("at", "username", "kind", "file_format", "rows", "sensitive", "organization_id")
    list_filter = ("kind", "file_format", "sensitive")
