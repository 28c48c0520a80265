"""Targets of Party documents (chỉ tiêu nghị quyết), values reported for them, and reviews.

A Target belongs to a document (coso/resolutions) and to the organization whose subtree it is
evaluated on: the issuer's, or a lower organization's when that one inherited it from its superior
(`parent`; its threshold equal or stricter, never looser). Where the records can answer it, the
target carries a formula over the measure engine: a measure (a count), or a ratio of two measures
in percent, a comparator and a threshold, and a horizon (each year of the term; by a date;
cumulative over the term). Its baseline is the value on its start date, read when it is created.
A target without a formula (economic figures) takes ReportedValues: who, when, from what source.

A Review (annual, mid-term, final) is a dated table of each target's value and status: prefilled
from the engine while it is a draft, frozen when it is adopted. An adopted review never changes
(the services refuse, and the lines keep the values they had); a recomputation is shown beside it.

An AggregateReport is a set of figures a lower level sends as numbers, accepted only when every
validation rule of its form holds (coso/targets/aggregates.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coso.organizations.models import Organization
from coso.resolutions.models import Document


class Comparator(models.TextChoices):
    GT = "gt", _("trên")
    GE = "ge", _("từ … trở lên")
    EQ = "eq", _("bằng")
    LE = "le", _("không quá")
    LT = "lt", _("dưới")


SIGN = {Comparator.GT: ">", Comparator.GE: "≥", Comparator.EQ: "=", Comparator.LE: "≤", Comparator.LT: "<"}


class Horizon(models.TextChoices):
    EACH_YEAR = "each_year", _("Hằng năm")
    BY_DATE = "by_date", _("Đến một mốc thời gian")
    TERM = "term", _("Cộng dồn cả nhiệm kỳ")


class Target(models.Model):
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="targets")
    organization = models.ForeignKey(Organization, verbose_name=_("tổ chức thực hiện"), on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey("self", verbose_name=_("chỉ tiêu của cấp trên"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="inherited")
    code = models.CharField(_("mã chỉ tiêu"), max_length=20)
    text = models.TextField(_("nội dung chỉ tiêu"))
    order = models.PositiveSmallIntegerField(default=0)
    # the formula: a measure of the catalog (a count), or numerator / denominator in percent;
    # blank numerator: values are reported, not computed. A name the catalog does not know (a
    # measure another capability will add) makes the target "chưa tính được" until it exists.
    numerator = models.CharField(_("số liệu (tử số)"), max_length=80, blank=True)
    denominator = models.CharField(_("số liệu (mẫu số)"), max_length=80, blank=True)
    percent = models.BooleanField(_("tính theo tỷ lệ %"), default=False)
    unit = models.CharField(_("đơn vị"), max_length=30, blank=True)
    comparator = models.CharField(_("so sánh"), max_length=2, choices=Comparator.choices, default=Comparator.GE)
    threshold = models.DecimalField(_("mức chỉ tiêu"), max_digits=14, decimal_places=2)
    horizon = models.CharField(_("thời hạn"), max_length=10, choices=Horizon.choices, default=Horizon.TERM)
    starts_on = models.DateField(_("tính từ ngày"))
    due_on = models.DateField(_("đến ngày"))
    baseline = models.DecimalField(_("giá trị đầu kỳ"), max_digits=14, decimal_places=2, null=True, blank=True)
    # each lower organization is expected to meet it too: the superior sees who does (cascade)
    cascade = models.BooleanField(_("giao cho từng tổ chức cấp dưới"), default=False)
    # the statuses' thresholds, as % of the target reached (progress.py)
    exceed_from = models.DecimalField(_("vượt khi đạt từ (phần trăm chỉ tiêu)"), max_digits=6, decimal_places=2, default=105)
    near_from = models.DecimalField(_("gần đạt khi đạt từ (phần trăm chỉ tiêu)"), max_digits=6, decimal_places=2, default=90)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["document_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "organization", "code"], name="targets_one_code_per_document"),
            models.CheckConstraint(condition=Q(due_on__gt=models.F("starts_on")), name="targets_due_after_start"),
        ]
        indexes = [
            # the targets of a document for an organization (the dashboard), and those inherited
            models.Index(fields=["document", "organization", "order"], name="targets_doc_org_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.text[:80]}"

    @property
    def computed(self) -> bool:
        return bool(self.numerator)

    @property
    def sign(self) -> str:
        """The comparator as written in a table: >, ≥, =, ≤, <."""
        return SIGN[self.comparator]

    @property
    def unit_text(self) -> str:
        return "%" if self.percent else (f" {self.unit}" if self.unit else "")


class ReportedValue(models.Model):
    """A value of a target the records cannot compute, as reported: who, when, from what source."""

    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="reported")
    on = models.DateField(_("số liệu tính đến ngày"))
    value = models.DecimalField(_("giá trị"), max_digits=14, decimal_places=2)
    source = models.CharField(_("nguồn số liệu"), max_length=255)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["target_id", "on", "id"]
        indexes = [models.Index(fields=["target", "on"], name="targets_reported_on_idx")]


class ReviewKind(models.TextChoices):
    ANNUAL = "annual", _("Tổng kết năm")
    MIDTERM = "midterm", _("Sơ kết giữa nhiệm kỳ")
    FINAL = "final", _("Tổng kết nhiệm kỳ")


class Review(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Đang dự thảo")
        ADOPTED = "adopted", _("Đã thông qua")

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="reviews")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("loại"), max_length=10, choices=ReviewKind.choices)
    on = models.DateField(_("số liệu tính đến ngày"))
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.DRAFT)
    comment = models.TextField(_("nhận xét chung"), blank=True)
    met = models.PositiveSmallIntegerField(default=0)  # targets met or exceeded (frozen with the lines)
    total = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    adopted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["document_id", "-on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%d/%m/%Y}"


class ReviewLine(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="lines")
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    expected = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    achievement = models.DecimalField(max_digits=8, decimal_places=1, null=True, blank=True)
    status = models.CharField(max_length=10)
    computed = models.BooleanField(default=True)
    note = models.CharField(max_length=255, blank=True)  # why it is pending; the reported value's source
    sentence = models.TextField(blank=True)
    comment = models.TextField(_("nhận xét"), blank=True)

    class Meta:
        ordering = ["review_id", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["review", "target"], name="targets_one_line_per_target")]


class AggregateReport(models.Model):
    """Figures a lower level sent as numbers (an organization not yet in the system, a reported
    figure), accepted after the validation rules of its form (aggregates.py) held."""

    organization = models.ForeignKey(Organization, verbose_name=_("tổ chức báo cáo"), on_delete=models.PROTECT, related_name="+")
    form = models.CharField(_("mẫu báo cáo"), max_length=40)
    on = models.DateField(_("số liệu tính đến ngày"))
    reporter = models.CharField(_("đơn vị, người báo cáo"), max_length=255)
    values = models.JSONField(default=dict)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "id"]
