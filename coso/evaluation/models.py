"""Annual (and, under 366-QĐ/TW, quarterly and term) quality evaluation: periods, ratings, corrections.

A Period is opened by a committee for its subtree, dated, and governed by the rule set in force on
its last day (rules.for_date); the code is stored so that an old period keeps its own rules and
labels ("Trong sạch, vững mạnh" stays readable for a 2016 result).

A Rating is one subject's way through one period, each step dated and attributed:
self-assessment → comments of the collective → proposal (by the cell or the committee) →
decision (by the competent level) → publication. After publication the result changes only
through a Correction, which records who, when, why, and the old and new level and score.

Levels are stored as codes ("htxs", "htt", "ht", "kht"; the older scales have their own) and
labelled by the period's rule set (Rating.label).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coso.members.models import Member, MemberEvent
from coso.organizations.models import Organization

from . import rules
from .choices import CapBase, CapRounding, PeriodKind, SubjectKind


class Period(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Đang đánh giá")
        PUBLISHED = "published", _("Đã công bố kết quả")

    organization = models.ForeignKey(Organization, verbose_name=_("cấp ủy tổ chức đánh giá"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kỳ đánh giá"), max_length=10, choices=PeriodKind.choices, default=PeriodKind.YEAR)
    year = models.PositiveSmallIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(_("quý"), null=True, blank=True)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    # whose members are rated: those placed in the subtree on this day (default: the last day)
    reference_date = models.DateField(_("ngày chốt danh sách"))
    rule_set = models.CharField(_("quy định áp dụng"), max_length=20, choices=rules.CHOICES)
    # the cap on "Hoàn thành xuất sắc nhiệm vụ" as a % of those rated "Hoàn thành tốt nhiệm vụ";
    # null: no cap (reference §8.3: configurable, 20% by default)
    cap_percent = models.DecimalField(_("tỷ lệ tối đa xuất sắc (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    # the cap's settings the sources leave open (evaluation-answers.md §1): its base and rounding
    cap_base = models.CharField(_("cơ sở tính tỷ lệ"), max_length=16, choices=CapBase.choices, default=CapBase.GOOD)
    cap_rounding = models.CharField(_("cách làm tròn"), max_length=10, choices=CapRounding.choices, default=CapRounding.DOWN)
    # HD 21 tiết 4: a leader not rated above the collective they head; a setting elsewhere (§4)
    leader_not_above_collective = models.BooleanField(_("người đứng đầu không cao hơn tập thể"), default=False)
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.OPEN)
    opened_on = models.DateField(_("ngày mở kỳ đánh giá"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    published_on = models.DateField(_("ngày công bố"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kỳ đánh giá, xếp loại")
        verbose_name_plural = _("kỳ đánh giá, xếp loại")
        ordering = ["-ends_on", "organization_id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind", "starts_on", "ends_on"], name="evaluation_one_period_per_span"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="evaluation_period_order"),
            models.CheckConstraint(condition=Q(quarter__isnull=True) | Q(kind=PeriodKind.QUARTER, quarter__gte=1, quarter__lte=4),
                                   name="evaluation_period_quarter"),
        ]
        indexes = [
            # the periods of an organization, newest first (lists; the overlap check on opening)
            models.Index(fields=["organization", "-ends_on"], name="evaluation_period_org_idx"),
        ]

    def __str__(self) -> str:
        return str(self.title)

    @property
    def title(self) -> str:
        if self.kind == PeriodKind.QUARTER:
            return _("Quý %(quarter)s năm %(year)s") % {"quarter": self.quarter, "year": self.year}
        if self.kind == PeriodKind.TERM:
            return _("Nhiệm kỳ %(start)s–%(end)s") % {"start": self.starts_on.year, "end": self.ends_on.year}
        return _("Năm %(year)s") % {"year": self.year}

    @property
    def rules(self):
        return rules.get(self.rule_set)


class MassOrganization(models.Model):
    """The Fatherland Front or a mass organization of a commune, as a subject of evaluation.

    A plain name under the commune's party organization until the grassroots-bodies capability
    (coso/grassroots: bodies, posts, who holds them) lands; then this becomes a link to that body.
    """

    class Kind(models.TextChoices):
        FATHERLAND_FRONT = "mttq", _("Mặt trận Tổ quốc")
        FARMERS = "nong_dan", _("Hội Nông dân")
        WOMEN = "phu_nu", _("Hội Liên hiệp Phụ nữ")
        YOUTH = "doan_tn", _("Đoàn Thanh niên Cộng sản Hồ Chí Minh")
        VETERANS = "cuu_chien_binh", _("Hội Cựu chiến binh")
        TRADE_UNION = "cong_doan", _("Công đoàn")
        OTHER = "other", _("Khác")

    organization = models.ForeignKey(Organization, verbose_name=_("tổ chức đảng của xã, phường"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("tên"), max_length=255)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Mặt trận, đoàn thể")
        verbose_name_plural = _("Mặt trận, đoàn thể")
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="evaluation_mass_org_unique_name")]

    def __str__(self) -> str:
        return self.name


class Rating(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Chưa tự đánh giá")
        SELF_ASSESSED = "self_assessed", _("Đã tự đánh giá")
        COMMENTED = "commented", _("Đã có ý kiến tập thể")
        PROPOSED = "proposed", _("Đã đề xuất mức xếp loại")
        DECIDED = "decided", _("Đã quyết định xếp loại")
        PUBLISHED = "published", _("Đã công bố")

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="ratings")
    subject_kind = models.CharField(_("đối tượng"), max_length=12, choices=SubjectKind.choices)
    member = models.ForeignKey(Member, verbose_name=_("đảng viên"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # member: their cell on the reference date; organization: itself; collective and leader: the
    # organization they lead; mass organization: the commune's party organization
    organization = models.ForeignKey(Organization, verbose_name=_("tổ chức"), on_delete=models.PROTECT, related_name="+")
    # the grassroots organization (TCCS) the subject belongs to: the group the cap is counted in
    grassroots = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # the level competent to decide: the grassroots organization for its members; the organization
    # above for an organization, its leadership and its leaders; the commune's party organization
    # for its Front and mass organizations (43-HD/BTCTW: the superior's standing board decides)
    competent = models.ForeignKey(Organization, verbose_name=_("cấp quyết định"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    mass_organization = models.ForeignKey(MassOrganization, null=True, blank=True, on_delete=models.PROTECT, related_name="ratings")
    # the group of comparable position, role and duties the cap counts it in (366-QĐ/TW Điều 11,
    # khoản 1.5); null: the rule set's default group (CapGroup)
    cap_group = models.ForeignKey("CapGroup", verbose_name=_("nhóm tương đồng"), null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="ratings")
    post = models.CharField(_("chức vụ"), max_length=150, blank=True)
    subject_name = models.CharField(_("tên đối tượng"), max_length=255)
    state = models.CharField(_("bước"), max_length=14, choices=State.choices, default=State.PENDING)

    self_level = models.CharField(_("tự xếp loại"), max_length=12, blank=True)
    self_score = models.DecimalField(_("tự chấm điểm"), max_digits=5, decimal_places=2, null=True, blank=True)
    self_note = models.TextField(_("bản tự kiểm điểm"), blank=True)
    self_assessed_on = models.DateField(_("ngày tự đánh giá"), null=True, blank=True)
    self_assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    comments = models.TextField(_("ý kiến của tập thể"), blank=True)
    commented_on = models.DateField(_("ngày góp ý"), null=True, blank=True)
    commented_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    proposed_level = models.CharField(_("mức đề xuất"), max_length=12, blank=True)
    proposed_score = models.DecimalField(_("điểm đề xuất"), max_digits=5, decimal_places=2, null=True, blank=True)
    proposed_on = models.DateField(_("ngày đề xuất"), null=True, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    # the result: set by the decision, changed after publication only by a Correction
    level = models.CharField(_("mức xếp loại"), max_length=12, blank=True)
    score = models.DecimalField(_("điểm"), max_digits=5, decimal_places=2, null=True, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=100, blank=True)
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    published_on = models.DateField(_("ngày công bố"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    # facts the rule set reads beside the level (rules.base.CONDITION_KEYS)
    conditions = models.JSONField(_("điều kiện"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("xếp loại chất lượng")
        verbose_name_plural = _("xếp loại chất lượng")
        ordering = ["period_id", "subject_kind", "organization_id", "subject_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["period", "member"], condition=Q(subject_kind=SubjectKind.MEMBER),
                                    name="evaluation_one_member_rating"),
            models.UniqueConstraint(fields=["period", "organization"], condition=Q(subject_kind=SubjectKind.ORGANIZATION),
                                    name="evaluation_one_organization_rating"),
            models.UniqueConstraint(fields=["period", "organization"], condition=Q(subject_kind=SubjectKind.COLLECTIVE),
                                    name="evaluation_one_collective_rating"),
            models.UniqueConstraint(fields=["period", "organization", "member"], condition=Q(subject_kind=SubjectKind.LEADER),
                                    name="evaluation_one_leader_rating"),
            models.UniqueConstraint(fields=["period", "mass_organization"], condition=Q(subject_kind=SubjectKind.MASS_ORGANIZATION),
                                    name="evaluation_one_mass_org_rating"),
        ]
        indexes = [
            # a period's ratings under a subtree (lists, counts by level: coso.measures.engine.evaluation_levels)
            models.Index(fields=["period", "organization"], name="evaluation_rating_org_idx"),
            # what a competent level decides and publishes (services.decide, publish)
            models.Index(fields=["period", "competent", "state"], name="evaluation_rating_comp_idx"),
            # a member's ratings over the years
            models.Index(fields=["member", "period"], name="evaluation_rating_member_idx"),
        ]

    def __str__(self) -> str:
        return self.subject_name

    def label(self, code: str | None) -> str:
        """A level code as the period's rule set names it for this kind of subject."""
        return self.period.rules.label(self.subject_kind, code) if code else ""

    @property
    def level_label(self) -> str:
        return self.label(self.level)

    @property
    def proposed_level_label(self) -> str:
        return self.label(self.proposed_level)

    @property
    def self_level_label(self) -> str:
        return self.label(self.self_level)


class Correction(models.Model):
    """A published result changed: who, when, why, old → new. Rows are only ever inserted."""

    rating = models.ForeignKey(Rating, on_delete=models.PROTECT, related_name="corrections")
    old_level = models.CharField(_("mức cũ"), max_length=12)
    new_level = models.CharField(_("mức mới"), max_length=12)
    old_score = models.DecimalField(_("điểm cũ"), max_digits=5, decimal_places=2, null=True, blank=True)
    new_score = models.DecimalField(_("điểm mới"), max_digits=5, decimal_places=2, null=True, blank=True)
    reason = models.TextField(_("lý do"))
    decision_number = models.CharField(_("số quyết định"), max_length=100, blank=True)
    corrected_on = models.DateField(_("ngày điều chỉnh"))
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("điều chỉnh kết quả xếp loại")
        verbose_name_plural = _("điều chỉnh kết quả xếp loại")
        ordering = ["rating_id", "corrected_on", "id"]

    def __str__(self) -> str:
        return f"{self.old_level} → {self.new_level}"


class CapGroup(models.Model):
    """A group of subjects "có vị trí, vai trò, chức năng, nhiệm vụ tương đồng" defined by the
    competent level: the cap on "Hoàn thành xuất sắc nhiệm vụ" is counted within it (366-QĐ/TW
    Điều 11, khoản 1.5). Subjects outside any group are counted in the rule set's default groups
    (the members of each grassroots organization; the leaders decided by one committee as a group
    of their own; the collectives of one kind decided by one committee).

    The allowance: for a unit with outstanding results the competent level may raise the group's
    cap up to 25% ("không vượt quá 25%", same clause), by a dated decision recorded here.
    """

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="cap_groups")
    # the competent level that defines the group (in the period's subtree)
    organization = models.ForeignKey(Organization, verbose_name=_("cấp có thẩm quyền"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("tên nhóm"), max_length=255)
    raised_percent = models.DecimalField(_("tỷ lệ được nâng (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    raised_decision_number = models.CharField(_("số quyết định nâng tỷ lệ"), max_length=100, blank=True)
    raised_on = models.DateField(_("ngày quyết định nâng tỷ lệ"), null=True, blank=True)
    raised_issuer = models.CharField(_("cơ quan quyết định nâng tỷ lệ"), max_length=255, blank=True)
    raised_reason = models.TextField(_("thành tích xuất sắc, nổi trội"), blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nhóm đối tượng tương đồng")
        verbose_name_plural = _("nhóm đối tượng tương đồng")
        ordering = ["period_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["period", "name"], name="evaluation_cap_group_unique_name"),
            models.CheckConstraint(condition=Q(raised_percent__isnull=True) | Q(raised_percent__gt=0, raised_percent__lte=25,
                                                                                raised_on__isnull=False),
                                   name="evaluation_cap_group_raised"),
        ]

    def __str__(self) -> str:
        return self.name


class RemediedBreach(models.Model):
    """The competent level's finding that a disciplined member found the breach and remedied its
    consequences themselves: the discipline then does not fix the rating at "Không hoàn thành
    nhiệm vụ" (124-QĐ/TW Điều 12 khoản 4.3.d; 366-QĐ/TW Điều 11 khoản 4.2, where the competent
    level then rates case by case). Recorded per period, with its evidence and who decided."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="remedied_breaches")
    discipline = models.ForeignKey(MemberEvent, verbose_name=_("quyết định kỷ luật"), on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    # the competent level that decided it (the rating's)
    organization = models.ForeignKey(Organization, verbose_name=_("cấp có thẩm quyền"), on_delete=models.PROTECT, related_name="+")
    evidence = models.TextField(_("căn cứ, chứng cứ"))
    decision_number = models.CharField(_("số văn bản"), max_length=100, blank=True)
    decided_on = models.DateField(_("ngày xem xét"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vi phạm tự phát hiện, khắc phục")
        verbose_name_plural = _("vi phạm tự phát hiện, khắc phục")
        ordering = ["period_id", "decided_on", "id"]
        constraints = [models.UniqueConstraint(fields=["period", "discipline"], name="evaluation_remedied_once")]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.discipline_id}"
