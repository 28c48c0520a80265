from django.contrib import admin

from coso.audit.admin import ReadOnlyAdmin

from .models import Organization, Placement


class PlacementInline(admin.TabularInline):
    model = Placement
    fk_name = "organization"
    fields = ("valid_from", "valid_to", "name", "kind", "parent", "path", "change", "decision_number")
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    """Read-only: the tree changes only through the dated, audited services (the app's pages)."""

    list_display = ("code", "created_at", "closed_on")
    search_fields = ("code", "placements__name_folded")
    inlines = [PlacementInline]
