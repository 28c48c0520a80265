"""Users: one role and one scope (an organization whose subtree they work in), for the dates
of their assignment (decision 0007)."""

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị hệ thống")
    ORG_STAFF = "org_staff", _("Cán bộ tổ chức")
    INSPECTION_STAFF = "inspection_staff", _("Cán bộ kiểm tra")
    CELL_SECRETARY = "cell_secretary", _("Bí thư chi bộ")
    LEADER = "leader", _("Lãnh đạo (chỉ xem)")


class Assignment(models.TextChoices):
    """Where an account stands on a day, from its assignment's dates (decision 0007)."""

    ACTIVE = "active", _("đang đảm nhiệm")
    READ_ONLY = "read_only", _("đã thôi nhiệm vụ: chỉ xem")
    CLOSED = "closed", _("đã đóng")


def handover_days() -> int:
    """Days an account whose assignment ended stays open, read-only, for the handover."""
    return int(getattr(settings, "COSO_HANDOVER_DAYS", 90))


class User(AbstractUser):
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.LEADER)
    # None only for a system administrator: the whole tree. Everyone else works in one subtree.
    scope = models.ForeignKey(
        "organizations.Organization", verbose_name=_("phạm vi"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )

    # The assignment to the scope: from (blank: since the account exists) until (blank: open).
    # After `assigned_until` the account is read-only for the handover, then closed.
    assigned_from = models.DateField(_("nhận nhiệm vụ từ ngày"), null=True, blank=True)
    assigned_until = models.DateField(_("đảm nhiệm đến hết ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = pgettext_lazy("plural", "người dùng")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(assigned_from__isnull=True) | models.Q(assigned_until__isnull=True)
                | models.Q(assigned_from__lte=models.F("assigned_until")),
                name="access_user_assignment_order",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def assignment_on(self, on: dt.date | None = None) -> str:
        """ACTIVE within the assignment's dates; READ_ONLY for the handover days after it ended;
        CLOSED before it begins and after the handover."""
        on = on or timezone.localdate()
        if self.assigned_from and on < self.assigned_from:
            return Assignment.CLOSED
        if self.assigned_until is None or on <= self.assigned_until:
            return Assignment.ACTIVE
        if on <= self.assigned_until + dt.timedelta(days=handover_days()):
            return Assignment.READ_ONLY
        return Assignment.CLOSED

    @property
    def closes_on(self) -> dt.date | None:
        """The first day the account is closed after its assignment ended."""
        return self.assigned_until + dt.timedelta(days=handover_days() + 1) if self.assigned_until else None


class ExportLog(models.Model):
    """Every export of records (Excel, CSV, PDF): who, when, what, how many rows (principle 4)."""

    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(User, verbose_name=_("người xuất"), null=True, on_delete=models.SET_NULL, related_name="+")
    username = models.CharField(max_length=150)
    organization = models.ForeignKey("organizations.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_constraint=False)
    kind = models.CharField(_("loại dữ liệu"), max_length=80)  # "members.list", "reports.statistics"...
    file_format = models.CharField(_("định dạng"), max_length=10)
    rows = models.PositiveIntegerField(_("số dòng"), default=0)
    sensitive = models.BooleanField(_("có trường nhạy cảm"), default=False)
    parameters = models.JSONField(_("tham số"), default=dict, blank=True)

    class Meta:
        verbose_name = _("lần xuất dữ liệu")
        verbose_name_plural = _("nhật ký xuất dữ liệu")
        ordering = ["-at"]
