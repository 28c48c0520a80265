"""An import is a job with a life: uploaded, mapped, validated (dry run), then written or not.

The uploaded file waits on disk (uploads.py: under MEDIA_ROOT/imports/, the row keeps its path
and SHA-256) until the job ends, so every step reads the same bytes whichever process runs it;
the valid rows the dry run read from it are kept in the row (compressed), and the writing step
takes them instead of reading the file again. Both are removed when the job is written or
cancelled: they hold personal data that the members' records now keep.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coso.organizations.models import Organization


class ImportJob(models.Model):
    class Status(models.TextChoices):
        MAPPING = "mapping", _("Chờ xác nhận cột")
        VALIDATING = "validating", _("Đang kiểm tra")
        READY = "ready", _("Đã kiểm tra, chờ quyết định")
        WRITING = "writing", _("Đang ghi")
        DONE = "done", _("Đã nhập")
        FAILED = "failed", _("Lỗi")
        CANCELLED = "cancelled", _("Đã hủy")

    class Mode(models.TextChoices):
        ALL = "all", _("Nhập cả tệp")
        VALID_ONLY = "valid_only", _("Chỉ nhập các dòng hợp lệ")

    RUNNING = (Status.VALIDATING, Status.WRITING)

    organization = models.ForeignKey(Organization, verbose_name=_("nhập vào tổ chức"), on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người nhập"), null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)  # also the heartbeat of a running job
    file_name = models.CharField(_("tên tệp"), max_length=255)
    file_size = models.PositiveIntegerField(_("dung lượng"), default=0)
    upload = models.CharField(max_length=255, blank=True, editable=False)  # the file, relative to MEDIA_ROOT ("" once removed)
    upload_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    status = models.CharField(_("tình trạng"), max_length=12, choices=Status.choices, default=Status.MAPPING)
    on = models.DateField(_("ngày ghi nhận sinh hoạt"), null=True, blank=True)
    default_cell = models.ForeignKey(Organization, verbose_name=_("chi bộ mặc định"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    mapping = models.JSONField(default=dict, blank=True)  # header key -> field name ("" = ignored)
    layout = models.JSONField(default=dict, blank=True)  # what reading.scan() found: sheets, header rows, columns
    mode = models.CharField(_("cách nhập"), max_length=12, choices=Mode.choices, blank=True)
    committed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người ghi"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    attempt = models.PositiveIntegerField(default=0)  # each run of a step; a worker acts only for its own attempt
    worker = models.CharField(max_length=100, blank=True)  # "host:pid" of the process running the step ("" while queued)
    progress = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)  # the dry run
    checked = models.BinaryField(editable=False, default=b"")  # the valid rows of the dry run (validation.pack_rows)
    result = models.JSONField(default=dict, blank=True)  # what was written
    message = models.TextField(blank=True)  # why the last step failed, for the user

    class Meta:
        verbose_name = _("lần nhập")
        verbose_name_plural = _("các lần nhập")
        indexes = [
            # the recent imports of an organization (upload page)
            models.Index(fields=["organization", "-created_at"], name="imports_job_org_idx"),
        ]

    def __str__(self) -> str:
        return self.file_name

    @property
    def running(self) -> bool:
        return self.status in self.RUNNING


class ColumnMapping(models.Model):
    """A column header as an organization's files write it, and the field it holds.

    Confirmed on the mapping page and proposed again for the next file of the organization.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    header = models.CharField(_("tiêu đề cột"), max_length=255)  # reading.header_key(): lower case, single spaces
    field = models.CharField(_("trường"), max_length=30, blank=True)  # "" = the column is ignored
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("cách đọc cột")
        verbose_name_plural = _("cách đọc cột")
        constraints = [
            # one field per header and organization; also the lookup of a file's headers
            models.UniqueConstraint(fields=["organization", "header"], name="imports_mapping_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.header} → {self.field or '-'}"
