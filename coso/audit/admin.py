"""Admin-site edits go through the same audit table; the audit itself is read-only there."""

from django.contrib import admin
from django.db import transaction
from django.forms.models import model_to_dict

from . import services
from .models import AuditEvent


def _fields(obj) -> dict:
    data = model_to_dict(obj)
    data.pop("password", None)  # never copy a hash into the audit
    return data


class AuditedAdminMixin:
    """Every save and delete made in the admin site writes an AuditEvent in the same transaction."""

    def _organization_id(self, obj):
        return getattr(obj, "organization_id", None) or getattr(obj, "scope_id", None)

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            old = _fields(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else None
            super().save_model(request, obj, form, change)
            services.record(
                actor=request.user,
                event_type=f"admin.{obj._meta.app_label}.{obj._meta.model_name}.{'changed' if change else 'created'}",
                target=obj,
                organization_id=self._organization_id(obj),
                old=old,
                new=_fields(obj),
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            services.record(
                actor=request.user,
                event_type=f"admin.{obj._meta.app_label}.{obj._meta.model_name}.deleted",
                target=obj,
                organization_id=self._organization_id(obj),
                old=_fields(obj),
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            services.record_many(
                [
                    services.build_event(
                        actor=request.user,
                        event_type=f"admin.{obj._meta.app_label}.{obj._meta.model_name}.deleted",
                        target=obj,
                        organization_id=self._organization_id(obj),
                        old=_fields(obj),
                    )
                    for obj in queryset
                ]
            )
            super().delete_queryset(request, queryset)


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that only services may write (their invariants live there)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_name", "event_type", "target_type", "target_repr", "organization_id")
    list_filter = ("event_type",)
    search_fields = ("target_repr", "actor_name", "event_type")
    date_hierarchy = "at"
