"""The register of Party documents: terms, documents, their relations and attached files.

A Term is a committee term of an organization (nhiệm kỳ cấp ủy), effective-dated: in force from
the day after the congress closes (or the new committee's first meeting) to the day the next term
begins. A Document is numbered within (organization, term, series): the series is the document's
type, or the congress's one series (symbols.py, HD 36-HD/VPTW). The database refuses a second
document with the same number in a series; the allocator (numbering.py) proposes the next one.

A document's status on a date (in force, not yet in force, replaced, repealed, expired) is
derived from its dates and from the relations other documents declare towards it
(`status_on`), never stored: it is a question about a date.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coso.lib.dated import Dated, period_order_constraint
from coso.organizations.dated import OrganizationDatedQuerySet
from coso.organizations.models import Organization, path_ids

from .symbols import DocumentKind, Organ

__all__ = ["Attachment", "Document", "DocumentKind", "Organ", "Relation", "Term"]


class Term(Dated, models.Model):
    organization = models.ForeignKey(Organization, verbose_name=_("tổ chức đảng"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("nhiệm kỳ"), max_length=60)
    valid_from = models.DateField(_("bắt đầu từ ngày"))
    valid_to = models.DateField(_("kết thúc trước ngày"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationDatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhiệm kỳ cấp ủy")
        verbose_name_plural = _("nhiệm kỳ cấp ủy")
        ordering = ["organization_id", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "valid_from"], name="resolutions_term_one_start"),
            period_order_constraint("resolutions_term_order"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def last_day(self) -> dt.date | None:
        return self.valid_to - dt.timedelta(days=1) if self.valid_to else None


class Security(models.TextChoices):
    NORMAL = "", _("Thường")
    CONFIDENTIAL = "mat", _("Mật")
    SECRET = "toi_mat", _("Tối mật")
    TOP_SECRET = "tuyet_mat", _("Tuyệt mật")


class Capacity(models.TextChoices):
    """How the signer signs (HD 36): on behalf of the collective, for the head, by order."""

    NONE = "", _("Ký trực tiếp")
    ON_BEHALF = "tm", _("T/M (thay mặt)")
    FOR = "kt", _("K/T (ký thay)")
    BY_ORDER = "tl", _("T/L (thừa lệnh)")


def above_ids(scope) -> set[int]:
    """The organizations on the scope's paths above it (and its roots)."""
    return {i for path in scope.root_paths for i in path_ids(path)}


def reads_documents_of(scope, organization_id: int) -> bool:
    """Whether the scope reads the documents an organization issues: the rule of
    `DocumentQuerySet.visible_to` for one issuer (targets ask it of a target's organization)."""
    return scope.is_global or scope.contains(organization_id) or organization_id in above_ids(scope)


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, scope):
        """The documents the scope reads: those of its subtree, and those of the committees on its
        path above it (a district's congress resolution is what its communes carry out). Changing
        a document is limited to the scope's subtree by the access layer (permissions.py)."""
        if scope.is_global:
            return self.all()
        return self.filter(scope.organization_q("organization") | Q(organization_id__in=above_ids(scope)))


class Document(models.Model):
    organization = models.ForeignKey(Organization, verbose_name=_("tổ chức ban hành"), on_delete=models.PROTECT, related_name="+")
    organ = models.CharField(_("cơ quan ban hành"), max_length=12, choices=Organ.choices, default=Organ.COMMITTEE)
    kind = models.CharField(_("loại văn bản"), max_length=6, choices=DocumentKind.choices)
    term = models.ForeignKey(Term, verbose_name=_("nhiệm kỳ"), on_delete=models.PROTECT, related_name="documents")
    series = models.CharField(max_length=12)  # the kind, or "congress" (symbols.series)
    number = models.PositiveIntegerField(_("số"))
    issuer_symbol = models.CharField(_("ký hiệu cơ quan ban hành"), max_length=12)
    symbol = models.CharField(_("số và ký hiệu"), max_length=40)
    issued_on = models.DateField(_("ngày ban hành"))
    place = models.CharField(_("địa danh"), max_length=100, blank=True)
    subject = models.TextField(_("trích yếu"))
    subject_folded = models.TextField(editable=False, default="")  # search without diacritics
    signer = models.CharField(_("người ký"), max_length=120, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    signer_capacity = models.CharField(_("thẩm quyền ký"), max_length=4, choices=Capacity.choices, blank=True, default=Capacity.NONE)
    recipients = models.TextField(_("nơi nhận"), blank=True)
    security = models.CharField(_("độ mật"), max_length=10, choices=Security.choices, blank=True, default=Security.NORMAL)
    effective_from = models.DateField(_("có hiệu lực từ ngày"), null=True, blank=True)  # null: from issued_on
    expires_on = models.DateField(_("hết hiệu lực từ ngày"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-issued_on", "-number"]
        constraints = [
            # HD 36: one number per series, issuer and term (the allocator's guarantee under races)
            models.UniqueConstraint(fields=["organization", "term", "series", "number"], name="resolutions_one_number_per_series"),
            models.CheckConstraint(condition=Q(number__gte=1), name="resolutions_number_from_one"),
            models.CheckConstraint(condition=Q(expires_on__isnull=True) | Q(expires_on__gt=models.F("issued_on")),
                                   name="resolutions_expires_after_issue"),
        ]
        indexes = [
            # the register of an organization, newest first; counts by kind over a period (measures)
            models.Index(fields=["organization", "issued_on"], name="resolutions_doc_org_date_idx"),
            # search by number and symbol ("02-NQ/HU", "02")
            models.Index(fields=["symbol"], name="resolutions_doc_symbol_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.symbol} {self.subject[:80]}"

    @property
    def title(self) -> str:
        return f"{self.get_kind_display()} {self.symbol}"

    @property
    def in_force_from(self) -> dt.date:
        return self.effective_from or self.issued_on


class RelationKind(models.TextChoices):
    IMPLEMENTS = "implements", _("Thực hiện")
    AMENDS = "amends", _("Sửa đổi, bổ sung")
    REPLACES = "replaces", _("Thay thế")
    REPEALS = "repeals", _("Bãi bỏ")


# the relations that end the other document's force on this one's effective date
ENDING = {RelationKind.REPLACES: "replaced", RelationKind.REPEALS: "repealed"}


class Relation(models.Model):
    """`source` implements / amends / replaces / repeals `target` (from source's effective date)."""

    source = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="relations")
    kind = models.CharField(_("quan hệ"), max_length=12, choices=RelationKind.choices)
    target = models.ForeignKey(Document, verbose_name=_("văn bản liên quan"), on_delete=models.PROTECT, related_name="incoming")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "target"], name="resolutions_one_relation"),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="resolutions_relation_not_self"),
        ]


class Status(models.TextChoices):
    NOT_YET = "not_yet", _("Chưa có hiệu lực")
    IN_FORCE = "in_force", _("Còn hiệu lực")
    REPLACED = "replaced", _("Đã được thay thế")
    REPEALED = "repealed", _("Đã bị bãi bỏ")
    EXPIRED = "expired", _("Hết hiệu lực")


def status_on(document: Document, incoming: list[Relation], on: dt.date) -> str:
    """The document's status on the date, from its dates and the documents that replace or repeal
    it (incoming: the relations towards it, with their source documents)."""
    if on < document.in_force_from:
        return Status.NOT_YET
    ending = sorted((r.source.in_force_from, ENDING[r.kind]) for r in incoming if r.kind in ENDING)
    for since, status in ending:
        if since <= on:
            return status
    if document.expires_on is not None and document.expires_on <= on:
        return Status.EXPIRED
    return Status.IN_FORCE


class Attachment(models.Model):
    """A file of the document (PDF, DOCX), stored under MEDIA_ROOT/resolutions/<organization>/ with a
    random name and its SHA-256 (attachments.py); served only through the document's scoped view."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="attachments")
    file_name = models.CharField(_("tên tệp"), max_length=255)
    path = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.file_name
