"""A restructuring: one dated decision that merges, splits, moves, renames, re-kinds, dissolves and
establishes party organizations at the same instant, and the lineage it leaves behind.

A Restructuring is drafted (its operations and how members and cells are divided), previewed
(plan.py computes everything it would write and every conflict, writing nothing), committed in
one transaction (services.commit) and may be undone within UNDO_DAYS (services.undo), which
restores the tree, the members' events and periods exactly as they were.

Operations name organizations that exist, or organizations the same decision establishes (an
"establish" operation: `parent_new`, `receiver_new` point at it). Allocations say where a
dissolved or split organization's cells and members go (a merge sends everything to its target).
Lineage rows (predecessor → successor, with a share for splits) are written at the commit and
stay as data: every organization's page shows its predecessors and successors with dates.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coso.members.models import Member
from coso.organizations.models import Kind, Organization, Sector


class State(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    COMMITTED = "committed", _("Đã thực hiện")


class OperationKind(models.TextChoices):
    ESTABLISH = "establish", _("Thành lập")
    MERGE = "merge", _("Hợp nhất, sáp nhập")
    SPLIT = "split", _("Chia tách")
    MOVE = "move", _("Chuyển trực thuộc")
    RENAME = "rename", _("Đổi tên")
    CHANGE_KIND = "change_kind", _("Đổi loại tổ chức")
    DISSOLVE = "dissolve", _("Giải thể")
    MERGE_VILLAGES = "merge_villages", _("Sáp nhập thôn, tổ dân phố")


class LineageKind(models.TextChoices):
    MERGED = "merged", _("Hợp nhất, sáp nhập vào")
    SPLIT = "split", _("Chia tách thành")
    DISSOLVED = "dissolved", _("Giải thể, chuyển giao cho")


class Restructuring(models.Model):
    # the deciding committee: every organization the decision touches lies in its subtree. None:
    # the Party's Central Committee (Bộ Chính trị, Ban Bí thư), which alone merges province
    # committees (the 2025 reform, reform2025.py): it covers the subtrees of the province
    # committees its operations name, and only a scope over the whole tree sees it
    organization = models.ForeignKey(Organization, verbose_name=_("cấp ủy quyết định"), null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    title = models.CharField(_("tên phương án"), max_length=255)
    decision_number = models.CharField(_("số quyết định"), max_length=100)
    decision_issuer = models.CharField(_("cơ quan ban hành"), max_length=255)
    decision_date = models.DateField(_("ngày quyết định"))
    effective_date = models.DateField(_("ngày hiệu lực"))
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.DRAFT)
    # the keys of the conflicts the user accepted (plan.Conflict.key), where the rules allow it
    accepted = models.JSONField(default=list, blank=True)
    # what the commit wrote, for an exact undo (services.commit, services.undo)
    written = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    committed_at = models.DateTimeField(null=True, blank=True)
    committed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("phương án sắp xếp tổ chức")
        verbose_name_plural = _("phương án sắp xếp tổ chức")
        ordering = ["-effective_date", "-id"]
        indexes = [
            # the restructurings decided in a subtree (the list), newest first
            models.Index(fields=["organization", "effective_date"], name="restructuring_org_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class Operation(models.Model):
    restructuring = models.ForeignKey(Restructuring, on_delete=models.CASCADE, related_name="operations")
    sequence = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("thao tác"), max_length=16, choices=OperationKind.choices)
    # the organization moved, renamed, re-kinded, split or dissolved; a merge's surviving target
    organization = models.ForeignKey(Organization, verbose_name=_("tổ chức"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # the new parent (move, establish, a merge into a new organization); the default receiver
    # of a dissolution or a split
    parent = models.ForeignKey(Organization, verbose_name=_("trực thuộc / tiếp nhận"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    parent_new = models.ForeignKey("self", verbose_name=_("tổ chức thành lập mới"), null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="+")
    name = models.CharField(_("tên mới"), max_length=255, blank=True)
    org_kind = models.CharField(_("loại tổ chức"), max_length=16, choices=Kind.choices, blank=True)
    sector = models.CharField(_("lĩnh vực"), max_length=16, choices=Sector.choices, blank=True)
    # the administrative unit a new organization covers (a 2025 commune for its committee)
    area = models.ForeignKey("places.AdminUnit", verbose_name=_("địa bàn"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # the organization an establish (or a merge into a new one) created at the commit
    created = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("thao tác sắp xếp")
        verbose_name_plural = _("thao tác sắp xếp")
        ordering = ["restructuring_id", "sequence", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}".strip()


class Allocation(models.Model):
    """A merge's source; where a split or dissolved organization's cell or member goes; a village
    merged by a MERGE_VILLAGES operation."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="allocations")
    village = models.ForeignKey("places.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    receiver = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    receiver_new = models.ForeignKey(Operation, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    share = models.DecimalField(_("tỷ lệ"), max_digits=5, decimal_places=4, null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~models.Q(organization__isnull=True, member__isnull=True, village__isnull=True),
                                   name="restructuring_alloc_subject"),
        ]


class Lineage(models.Model):
    """predecessor became (part of) successor on effective_date, by a restructuring."""

    restructuring = models.ForeignKey(Restructuring, on_delete=models.PROTECT, related_name="lineage")
    predecessor = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="successor_links")
    successor = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="predecessor_links")
    kind = models.CharField(max_length=12, choices=LineageKind.choices)
    # the part of the predecessor that went to this successor (its members' share), 1 for a merge
    share = models.DecimalField(max_digits=5, decimal_places=4)
    effective_date = models.DateField()

    class Meta:
        indexes = [
            # an organization's predecessors and successors (its page; figures through the lineage)
            models.Index(fields=["predecessor", "effective_date"], name="restructuring_lineage_pred_idx"),
            models.Index(fields=["successor", "effective_date"], name="restructuring_lineage_succ_idx"),
        ]


class Job(models.Model):
    """A commit carried out by the worker (services.request_commit): a large decision (a province's
    2025 change) runs in the background with its progress shown, all of it or nothing. A worker
    that dies leaves the job RUNNING with its process gone: services.recover_stale_jobs marks it
    FAILED (nothing was written: the commit is one transaction) and the user runs it again."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ tiến trình chạy nền")
        RUNNING = "running", _("Đang thực hiện")
        FAILED = "failed", _("Không thực hiện được")
        DONE = "done", _("Đã thực hiện")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    restructuring = models.ForeignKey(Restructuring, on_delete=models.CASCADE, related_name="jobs")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    worker = models.CharField(max_length=100, blank=True)  # "host:pid" of the process running it ("" while queued)
    step = models.CharField(max_length=200, blank=True)  # what the commit is doing now, for the page
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)  # why it failed, for the user
    updated_at = models.DateTimeField()  # the heartbeat: each step written
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lượt thực hiện chạy nền")
        verbose_name_plural = _("lượt thực hiện chạy nền")
        ordering = ["-id"]

    @property
    def active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def percent(self) -> int:
        return min(100, self.done * 100 // self.total) if self.total else 0
