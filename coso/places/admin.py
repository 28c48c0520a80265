from django.contrib import admin

from coso.audit.admin import ReadOnlyAdmin

from .models import AdminUnit


@admin.register(AdminUnit)
class AdminUnitAdmin(ReadOnlyAdmin):
    list_display = ("code", "full_name", "level", "generation", "valid_from", "valid_to")
    list_filter = ("generation", "level")
    search_fields = ("code", "name_folded")
