"""Inspection and supervision: programs, cases and their follow-up, discipline, denunciations.

Every record belongs to the organization of the body that acts (the committee, its standing
committee or inspection commission, or a cell): a user sees it when that organization lies in
their scope (coso.organizations.scope), and reads its contents only with "inspection.view"
(permissions.py). The subject (an organization, perhaps ended or merged since, or a member) is
kept with its name as it stood, so a case on a commune committee that ended on 30/06/2025 still
reads as it did.

Files are stored under MEDIA_ROOT/inspection/ by a random name and served only through
views.download (there is no MEDIA_URL route).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coso.members.models import BreachCategory, Member
from coso.organizations.models import Organization

from .choices import (
    WORK_TYPES,
    Body,
    Channel,
    CorrectionKind,
    FileKind,
    Form,
    IntakeKind,
    Outcome,
    PlanKind,
    Stage,
    SubjectKind,
    WorkType,
)

USER = settings.AUTH_USER_MODEL


class ScopedQuerySet(models.QuerySet):
    """Records of an acting organization: `.visible_to(scope)` keeps those in the scope's subtree."""

    def visible_to(self, scope):
        return self.filter(scope.organization_q("organization"))


class Plan(models.Model):
    """An annual or term program of inspection and supervision of one body."""

    organization = models.ForeignKey(Organization, verbose_name=_("tổ chức đảng"), on_delete=models.PROTECT, related_name="+")
    body = models.CharField(_("chủ thể"), max_length=12, choices=Body.choices)
    kind = models.CharField(_("loại chương trình"), max_length=8, choices=PlanKind.choices, default=PlanKind.YEAR)
    title = models.CharField(_("tên chương trình"), max_length=255)
    number = models.CharField(_("số văn bản"), max_length=100, blank=True)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    adopted_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("chương trình kiểm tra, giám sát")
        verbose_name_plural = _("chương trình kiểm tra, giám sát")
        ordering = ["-starts_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="inspection_plan_order")]
        indexes = [
            # the plans of an organization, newest first (the list, the case form's plan items)
            models.Index(fields=["organization", "-starts_on"], name="inspection_plan_org_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class PlanItem(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    work_type = models.CharField(_("loại công việc"), max_length=16, choices=WorkType.choices)
    subject_text = models.CharField(_("đối tượng"), max_length=255)
    content = models.TextField(_("nội dung"), blank=True)
    quarter = models.PositiveSmallIntegerField(_("quý"), null=True, blank=True)
    lead = models.CharField(_("người chủ trì"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("nội dung trong chương trình")
        verbose_name_plural = _("nội dung trong chương trình")
        ordering = ["plan", "quarter", "id"]

    def __str__(self) -> str:
        return f"{self.get_work_type_display()}: {self.subject_text}"


class Case(models.Model):
    """One inspection or supervision, from the deciding document to the remedies of its conclusion."""

    organization = models.ForeignKey(Organization, verbose_name=_("tổ chức đảng của chủ thể"), on_delete=models.PROTECT, related_name="+")
    body = models.CharField(_("chủ thể"), max_length=12, choices=Body.choices)
    work_type = models.CharField(_("loại công việc"), max_length=16, choices=WorkType.choices)
    plan_item = models.ForeignKey(PlanItem, verbose_name=_("theo chương trình"), null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="cases")
    subject_kind = models.CharField(_("đối tượng là"), max_length=12, choices=SubjectKind.choices)
    subject_organization = models.ForeignKey(Organization, verbose_name=_("tổ chức đảng được kiểm tra"), null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="+")
    subject_member = models.ForeignKey(Member, verbose_name=_("đảng viên được kiểm tra"), null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")
    subject_name = models.CharField(_("tên đối tượng"), max_length=255)  # as it stood when the case was decided
    content = models.TextField(_("nội dung"), blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=100, blank=True)
    decided_on = models.DateField(_("ngày quyết định"))
    team = models.TextField(_("thành viên đoàn (tổ) kiểm tra"), blank=True)
    # dates per stage (political-system.md G.1): each stage's due date, and the day it ended
    preparation_due = models.DateField(_("hạn chuẩn bị"), null=True, blank=True)
    conduct_from = models.DateField(_("ngày bắt đầu tiến hành"), null=True, blank=True)
    conduct_due = models.DateField(_("hạn tiến hành"), null=True, blank=True)
    conclusion_due = models.DateField(_("hạn kết luận"), null=True, blank=True)
    concluded_on = models.DateField(_("ngày kết luận"), null=True, blank=True)
    stage = models.CharField(_("giai đoạn"), max_length=12, choices=Stage.choices, default=Stage.PREPARATION)
    # the conclusion
    conclusion_number = models.CharField(_("số thông báo kết luận"), max_length=100, blank=True)
    violation_found = models.BooleanField(_("có vi phạm"), null=True, blank=True)
    shortcomings = models.TextField(_("ưu điểm, khuyết điểm, vi phạm"), blank=True)
    discipline_considered = models.BooleanField(_("đến mức phải xem xét kỷ luật"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("cuộc kiểm tra, giám sát")
        verbose_name_plural = _("cuộc kiểm tra, giám sát")
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(subject_kind=SubjectKind.ORGANIZATION, subject_organization__isnull=False, subject_member__isnull=True)
                           | Q(subject_kind=SubjectKind.MEMBER, subject_member__isnull=False, subject_organization__isnull=True)),
                name="inspection_case_one_subject"),
        ]
        indexes = [
            # the cases of a body over a period (the list; the measures' grouped counts)
            models.Index(fields=["organization", "decided_on"], name="inspection_case_org_idx"),
            # the cases a body concluded in a period (the report's conclusions: counted by this date)
            models.Index(fields=["organization", "concluded_on"], name="inspection_case_concl_idx"),
            # the cases of a member (the member's page, the discipline form)
            models.Index(fields=["subject_member"], name="inspection_case_member_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_work_type_display()}: {self.subject_name}"

    @property
    def is_supervision(self) -> bool:
        return WORK_TYPES[self.work_type].supervision

    def overdue_stage(self, on) -> str | None:
        """The stage still open on the day after its due date (the conclusion's due date counts
        whatever the stage), None when none is."""
        if self.stage == Stage.CONCLUDED:
            return None
        due = {Stage.PREPARATION: self.preparation_due, Stage.CONDUCT: self.conduct_due, Stage.CONCLUSION: self.conclusion_due}[self.stage]
        if due and due < on:
            return self.stage
        if self.conclusion_due and self.conclusion_due < on:
            return Stage.CONCLUSION
        return None


class Recommendation(models.Model):
    """A recommendation of a conclusion, with its owner and deadline, tracked to its remedy."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField(_("nội dung kiến nghị"))
    owner = models.CharField(_("tổ chức, cá nhân thực hiện"), max_length=255)
    due_on = models.DateField(_("hạn khắc phục"))
    remedied_on = models.DateField(_("ngày khắc phục xong"), null=True, blank=True)
    remedy = models.TextField(_("kết quả khắc phục"), blank=True)

    class Meta:
        verbose_name = _("kiến nghị")
        verbose_name_plural = _("kiến nghị")
        ordering = ["due_on", "id"]
        indexes = [
            # the remedies still open by their deadline (the overdue list and measure)
            models.Index(fields=["due_on", "remedied_on"], name="inspection_rec_due_idx"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def overdue_on(self, on) -> bool:
        return self.due_on < on and (self.remedied_on is None or self.remedied_on > on)


class CaseFile(models.Model):
    """A document of a case, stored on disk under a random name, served only through a scoped view."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("loại tài liệu"), max_length=12, choices=FileKind.choices)
    name = models.CharField(_("tên tệp"), max_length=255)
    stored_name = models.CharField(max_length=64, unique=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("tài liệu")
        verbose_name_plural = _("tài liệu")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class Discipline(models.Model):
    """A disciplinary decision: the vote, the limitation status read before it, and its effect.

    `enforced` is False when the limitation period had run out on the decision's date: the vote
    is recorded (06-HD/UBKTTW), nothing is enforced, and `limitation_text` says why."""

    organization = models.ForeignKey(Organization, verbose_name=_("tổ chức đảng có thẩm quyền"), on_delete=models.PROTECT, related_name="+")
    body = models.CharField(_("cơ quan quyết định"), max_length=12, choices=Body.choices)
    case = models.ForeignKey(Case, verbose_name=_("cuộc kiểm tra"), null=True, blank=True, on_delete=models.SET_NULL, related_name="disciplines")
    subject_kind = models.CharField(_("đối tượng là"), max_length=12, choices=SubjectKind.choices)
    subject_member = models.ForeignKey(Member, verbose_name=_("đảng viên"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    subject_organization = models.ForeignKey(Organization, verbose_name=_("tổ chức đảng bị kỷ luật"), null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="+")
    subject_name = models.CharField(_("tên đối tượng"), max_length=255)
    form = models.CharField(_("hình thức kỷ luật"), max_length=12, choices=Form.choices)
    breach_started_on = models.DateField(_("ngày bắt đầu vi phạm"))
    breach_ended_on = models.DateField(_("ngày kết thúc vi phạm"), null=True, blank=True)
    breach_category = models.CharField(_("nội dung vi phạm"), max_length=12, choices=BreachCategory.choices, default=BreachCategory.OTHER)
    no_limit_categories = models.JSONField(_("vi phạm không tính thời hiệu"), default=list, blank=True)
    votes_for = models.PositiveIntegerField(_("số phiếu tán thành"))
    votes_entitled = models.PositiveIntegerField(_("số thành viên có quyền biểu quyết"))
    decided_on = models.DateField(_("ngày quyết định"))
    effective_on = models.DateField(_("ngày có hiệu lực"))
    decision_number = models.CharField(_("số quyết định"), max_length=100)
    enforced = models.BooleanField(_("được thi hành"), default=True)
    limitation_text = models.TextField(_("thời hiệu"), blank=True)
    member_event = models.ForeignKey("members.MemberEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # a dissolution carried out: the restructuring that closed the organization and handed its
    # members and subordinate organizations on (coso/restructuring)
    restructuring = models.ForeignKey("restructuring.Restructuring", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("quyết định kỷ luật")
        verbose_name_plural = _("quyết định kỷ luật")
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(breach_ended_on__isnull=True) | Q(breach_ended_on__gte=models.F("breach_started_on")),
                                   name="inspection_breach_order"),
        ]
        indexes = [
            # the disciplines of a body over a period (the measures)
            models.Index(fields=["organization", "decided_on"], name="inspection_disc_org_idx"),
            # a subject's other breaches (the limitation restart)
            models.Index(fields=["subject_member"], name="inspection_disc_member_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_form_display()}: {self.subject_name}"


class DisciplineCorrection(models.Model):
    """A later decision on a disciplinary decision: upheld, changed or annulled, on a complaint,
    by a superior's review, or as wrongful (117-QĐ/TW). The decision it corrects is never edited:
    its form as it stands is the last change (services.standing_form), and the effects on the
    member go through the member lifecycle on this decision's effective date (`member_event`:
    the restoration of membership, a new form's event, or an expulsion)."""

    discipline = models.ForeignKey(Discipline, verbose_name=_("quyết định kỷ luật"), on_delete=models.PROTECT, related_name="corrections")
    organization = models.ForeignKey(Organization, verbose_name=_("tổ chức đảng quyết định"), on_delete=models.PROTECT, related_name="+")
    body = models.CharField(_("cơ quan quyết định"), max_length=12, choices=Body.choices)
    kind = models.CharField(_("nội dung quyết định"), max_length=12, choices=CorrectionKind.choices)
    new_form = models.CharField(_("hình thức kỷ luật mới"), max_length=12, choices=Form.choices, blank=True)
    wrongful = models.BooleanField(_("kỷ luật oan, phục hồi quyền lợi (Quy định 117-QĐ/TW)"), default=False)
    reason = models.TextField(_("lý do"), blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=100)
    decided_on = models.DateField(_("ngày quyết định"))
    effective_on = models.DateField(_("ngày có hiệu lực"))
    intake = models.ForeignKey("Intake", verbose_name=_("đơn khiếu nại"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    member_event = models.ForeignKey("members.MemberEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("quyết định giải quyết, thay đổi kỷ luật")
        verbose_name_plural = _("quyết định giải quyết, thay đổi kỷ luật")
        ordering = ["decided_on", "id"]
        indexes = [
            # the corrections decided by a body over a period (the measures)
            models.Index(fields=["organization", "decided_on"], name="inspection_corr_org_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.discipline.subject_name}"


class Intake(models.Model):
    """A denunciation or disciplinary complaint received by a body. The denouncer's identity
    (`sender_name`, `sender_contact`) is sensitive: shown only to inspection staff of the handling
    body, each view audited, never exported or counted."""

    organization = models.ForeignKey(Organization, verbose_name=_("tổ chức đảng giải quyết"), on_delete=models.PROTECT, related_name="+")
    body = models.CharField(_("cơ quan giải quyết"), max_length=12, choices=Body.choices)
    kind = models.CharField(_("loại đơn"), max_length=10, choices=IntakeKind.choices)
    received_on = models.DateField(_("ngày nhận"))
    channel = models.CharField(_("hình thức tiếp nhận"), max_length=12, choices=Channel.choices)
    concerned = models.CharField(_("tổ chức, cá nhân bị tố cáo / khiếu nại"), max_length=255)
    concerned_member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(_("nội dung tóm tắt"), blank=True)
    sender_name = models.CharField(_("họ tên người gửi"), max_length=255, blank=True)
    sender_contact = models.CharField(_("địa chỉ liên hệ người gửi"), max_length=255, blank=True)
    handler = models.CharField(_("người được giao giải quyết"), max_length=255, blank=True)
    due_on = models.DateField(_("hạn giải quyết"), null=True, blank=True)
    closed_on = models.DateField(_("ngày giải quyết xong"), null=True, blank=True)
    outcome = models.CharField(_("kết quả"), max_length=16, choices=Outcome.choices, blank=True)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn tố cáo, khiếu nại")
        verbose_name_plural = _("đơn tố cáo, khiếu nại")
        ordering = ["-received_on", "-id"]
        indexes = [
            # the register of a body over a period (the list; the measures)
            models.Index(fields=["organization", "received_on"], name="inspection_intake_org_idx"),
            # the intakes a body closed in a period (the report's handled denunciations and complaints)
            models.Index(fields=["organization", "closed_on"], name="inspection_intake_closed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_on:%d/%m/%Y}: {self.concerned}"
