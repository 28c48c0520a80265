from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from coso.audit.admin import AuditedAdminMixin, ReadOnlyAdmin

from .models import ExportLog, User


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Vai trò và phạm vi"), {"fields": ("full_name", "role", "scope")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Vai trò và phạm vi"), {"fields": ("full_name", "role", "scope")}),
    )
    list_display = ("username", "full_name", "role", "scope", "is_active")
    list_filter = ("role", "is_active")
    raw_id_fields = ("scope",)


@admin.register(ExportLog)
class ExportLogAdmin(ReadOnlyAdmin):
    list_display = ("at", "username", "kind", "file_format", "rows", "sensitive", "organization_id")
    list_filter = ("kind", "file_format", "sensitive")
