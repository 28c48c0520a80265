"""Users: one role and one scope (an organization whose subtree they work in)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị hệ thống")
    ORG_STAFF = "org_staff", _("Cán bộ tổ chức")
    INSPECTION_STAFF = "inspection_staff", _("Cán bộ kiểm tra")
    CELL_SECRETARY = "cell_secretary", _("Bí thư chi bộ")
    LEADER = "leader", _("Lãnh đạo (chỉ xem)")


class User(AbstractUser):
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.LEADER)
    # None only for a system administrator: the whole tree. Everyone else works in one subtree.
    scope = models.ForeignKey(
        "organizations.Organization", verbose_name=_("phạm vi"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = pgettext_lazy("plural", "người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username


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
