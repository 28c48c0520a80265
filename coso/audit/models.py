"""One audit table, written by the services inside their own transaction.

Rows are only ever inserted: no view, form or admin page updates or deletes them.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    actor_name = models.CharField(_("người thực hiện"), max_length=150, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("tổ chức"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", db_constraint=False,
    )
    # namespaced: "organizations.organization.moved", "places.village.created", "admin.change"
    event_type = models.CharField(_("loại sự kiện"), max_length=80)
    target_type = models.CharField(_("đối tượng"), max_length=80)
    target_id = models.CharField(max_length=40)
    target_repr = models.CharField(_("mô tả đối tượng"), max_length=255, blank=True)
    old = models.JSONField(_("trước"), null=True, blank=True)
    new = models.JSONField(_("sau"), null=True, blank=True)

    class Meta:
        verbose_name = _("sự kiện nhật ký")
        verbose_name_plural = _("nhật ký thay đổi")
        ordering = ["-at", "-id"]
        indexes = [
            # an object's history page
            models.Index(fields=["target_type", "target_id", "-at"], name="audit_target_idx"),
            # the audit list of an organization (scope filter joins on it)
            models.Index(fields=["organization", "-at"], name="audit_org_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.target_repr}"
