from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from coso.audit.admin import AuditedAdminMixin

from .models import User


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
