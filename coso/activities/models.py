"""Cell meetings: the meeting, its attendance (the marks that are not "present"), its tasks.

Attendance is stored as exceptions (docs/decisions/0012-attendance-as-exceptions.md): every
member of the cell on the meeting's date (activities.selectors.roster, from the member periods)
is present unless a row here says otherwise (excused with reason, absent without reason, on
duty). Exempted members are read from the lifecycle (a period with exempted set), never typed.
The meeting keeps the counts of its attendance, rewritten by the service that writes a mark in
the same transaction, so the figures of a commune or a province read meetings only.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coso.lib.dated import Dated, DatedQuerySet, one_open_constraint, period_order_constraint
from coso.members.models import Member
from coso.organizations.models import Organization
from coso.resolutions.models import Document

from .commendations import Form as CommendationForm
from .commendations import PeriodKind as CommendationPeriod
from .commendations import Recipient
from .dues import Area, IncomeKind
from .rules import minutes_between


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Sinh hoạt thường kỳ")
    THEMATIC = "thematic", _("Sinh hoạt chuyên đề")
    EXTRAORDINARY = "extraordinary", _("Họp bất thường")
    CONGRESS = "congress", _("Đại hội")


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    HYBRID = "hybrid", _("Trực tiếp kết hợp trực tuyến")


class Mark(models.TextChoices):
    PRESENT = "present", _("Có mặt")
    EXCUSED = "excused", _("Vắng có lý do")
    UNEXCUSED = "unexcused", _("Vắng không lý do")
    EXEMPTED = "exempted", _("Miễn sinh hoạt")
    ON_DUTY = "on_duty", _("Làm nhiệm vụ đặc biệt")


# the marks stored as rows; present is the absence of a row, exempted comes from the lifecycle
STORED_MARKS = (Mark.EXCUSED, Mark.UNEXCUSED, Mark.ON_DUTY)


class Meeting(models.Model):
    organization = models.ForeignKey(Organization, verbose_name=_("chi bộ"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("loại buổi sinh hoạt"), max_length=16, choices=MeetingKind.choices, default=MeetingKind.REGULAR)
    # the first day of the month the meeting counts for (a thematic one: its quarter is the month's)
    counts_for = models.DateField(_("tính cho tháng"))
    held_on = models.DateField(_("ngày họp"))
    starts_at = models.TimeField(_("giờ bắt đầu"), null=True, blank=True)
    ends_at = models.TimeField(_("giờ kết thúc"), null=True, blank=True)
    # a thematic and a regular meeting in one session (HD 42: at least 120 minutes)
    combined = models.BooleanField(_("sinh hoạt chuyên đề cùng buổi với sinh hoạt thường kỳ"), default=False)
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    mode = models.CharField(_("hình thức"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    # the superior committee member who attended (the point person, when assigned), or a name
    superior_attendee = models.ForeignKey(Member, verbose_name=_("đồng chí cấp ủy cấp trên dự"), null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    superior_attendee_name = models.CharField(_("cấp ủy cấp trên dự (họ tên)"), max_length=150, blank=True)
    agenda = models.TextField(_("nội dung, chương trình"), blank=True)
    minutes = models.TextField(_("biên bản"), blank=True)
    # stored under MEDIA_ROOT, served only through activities:minutes_file (scoped)
    minutes_file = models.FileField(_("tệp biên bản"), upload_to="activities/minutes/%Y/", blank=True)
    # the resolution the meeting adopted, registered in the document register (coso/resolutions) by
    # the meeting's organization; or, for one not registered, its number and text as typed
    resolution = models.ForeignKey(Document, verbose_name=_("nghị quyết trong sổ văn bản"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    resolution_number = models.CharField(_("số nghị quyết"), max_length=100, blank=True)
    resolution_text = models.TextField(_("nghị quyết, kết luận"), blank=True)
    # the counts of the attendance, written with each mark (see the module docstring)
    roster_count = models.PositiveSmallIntegerField(default=0)
    present_count = models.PositiveSmallIntegerField(default=0)
    excused_count = models.PositiveSmallIntegerField(default=0)
    unexcused_count = models.PositiveSmallIntegerField(default=0)
    exempted_count = models.PositiveSmallIntegerField(default=0)
    on_duty_count = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("buổi sinh hoạt")
        verbose_name_plural = _("buổi sinh hoạt")
        ordering = ["-held_on", "-id"]
        indexes = [
            # a cell's meetings in date order (its calendar, the last meeting); the figures of a
            # subtree over a period (organization in the subtree's list, held_on in the period)
            models.Index(fields=["organization", "held_on"], name="activities_meeting_org_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%d/%m/%Y}"

    @property
    def duration(self) -> int | None:
        return minutes_between(self.starts_at, self.ends_at)


class Absence(models.Model):
    """A member of the cell on the meeting's date who was not present: the only marks stored."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="absences")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    mark = models.CharField(_("điểm danh"), max_length=10, choices=[(m.value, m.label) for m in STORED_MARKS])
    reason = models.CharField(_("lý do"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("vắng mặt")
        verbose_name_plural = _("vắng mặt")
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="activities_one_mark_per_member")]
        indexes = [
            # a member's marks over a year (the three-absence rule, the excused runs)
            models.Index(fields=["member", "meeting"], name="activities_absence_member_idx"),
        ]


class Task(models.Model):
    """A task a meeting gave a member, reviewed at a later meeting."""

    class Outcome(models.TextChoices):
        DONE = "done", _("Đã hoàn thành")
        ONGOING = "ongoing", _("Đang thực hiện")
        NOT_DONE = "not_done", _("Chưa hoàn thành")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="tasks")
    member = models.ForeignKey(Member, verbose_name=_("người thực hiện"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("nhiệm vụ"), max_length=500)
    due_on = models.DateField(_("thời hạn"), null=True, blank=True)
    reviewed_at = models.ForeignKey(Meeting, verbose_name=_("kiểm điểm tại buổi"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="reviewed_tasks")
    outcome = models.CharField(_("kết quả"), max_length=10, choices=Outcome.choices, blank=True)
    review_note = models.CharField(_("nhận xét"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("nhiệm vụ được giao")
        verbose_name_plural = _("nhiệm vụ được giao")
        ordering = ["due_on", "id"]


class DuesProfile(Dated, models.Model):
    """What a member's dues are computed from, from a date (activities.dues prices it)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    income_kind = models.CharField(_("đối tượng đóng đảng phí"), max_length=16, choices=IncomeKind.choices)
    # monthly income after personal income tax, in đồng (the percentage kinds)
    income = models.PositiveBigIntegerField(_("thu nhập hằng tháng (đồng)"), null=True, blank=True)
    area = models.CharField(_("địa bàn"), max_length=12, choices=Area.choices, default=Area.OTHER)
    past_working_age = models.BooleanField(_("hết tuổi lao động"), default=False)
    voluntary = models.PositiveIntegerField(_("tự nguyện đóng cao hơn (đồng/tháng)"), default=0)
    valid_from = models.DateField(_("áp dụng từ"))
    valid_to = models.DateField(null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("mức đóng đảng phí")
        verbose_name_plural = _("mức đóng đảng phí")
        constraints = [one_open_constraint("member", "activities_one_open_dues_profile")]
        indexes = [
            # a member's profile in force on a month's first day
            models.Index(fields=["member", "valid_from"], name="activities_dues_profile_idx"),
        ]


class DuesPayment(models.Model):
    """A member's dues of one month: what was owed, what was paid (0 with a reason: not paid, with
    reason). No row for an elapsed month: not paid, without reason."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("tháng"))
    due = models.PositiveIntegerField(_("phải đóng (đồng)"))
    paid = models.PositiveIntegerField(_("đã đóng (đồng)"), default=0)
    paid_on = models.DateField(_("ngày đóng"), null=True, blank=True)
    reason = models.CharField(_("lý do chưa đóng"), max_length=255, blank=True)
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("đảng phí")
        verbose_name_plural = _("đảng phí")
        constraints = [models.UniqueConstraint(fields=["member", "month"], name="activities_one_payment_per_month")]
        indexes = [
            # a cell's month (the dues page, the remittance); a subtree's months (the figures, read
            # from the index alone: a province's year is about 1.8 million rows)
            models.Index(fields=["organization", "month", "due", "paid"], name="activities_dues_org_cover"),
        ]


# ---------------------------------------------------------------- point persons and score sheets


class PointRole(models.TextChoices):
    IN_CHARGE = "in_charge", _("Phụ trách")
    FOLLOWS = "follows", _("Theo dõi")
    ANCHOR = "anchor", _("Đứng điểm")


class PointPerson(Dated, models.Model):
    """A committee member assigned by the superior committee to a lower organization (a cell):
    phụ trách, theo dõi or đứng điểm (political-system.md §E). History is kept: an assignment ends
    (valid_to), it is never overwritten; a cell can have several point persons at once."""

    member = models.ForeignKey(Member, verbose_name=_("cấp ủy viên"), on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(Organization, verbose_name=_("chi bộ"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("nhiệm vụ"), max_length=10, choices=PointRole.choices, default=PointRole.IN_CHARGE)
    decision_number = models.CharField(_("số quyết định phân công"), max_length=100, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("cấp ủy viên phụ trách")
        verbose_name_plural = _("cấp ủy viên phụ trách")
        ordering = ["-valid_from", "-id"]
        constraints = [period_order_constraint("activities_point_person_order")]
        indexes = [
            # a cell's point persons on a date; a person's assignments
            models.Index(fields=["organization", "valid_from"], name="activities_point_org_idx"),
            models.Index(fields=["member", "valid_from"], name="activities_point_member_idx"),
        ]


class ScoreSheet(Dated, models.Model):
    """A province's or commune's score sheet of meeting quality, as data: criteria (key, label,
    maximum points) and bands (label, minimum total), from a date (activities.scoring checks the
    shape; the default sheet lives there)."""

    owner = models.ForeignKey(Organization, verbose_name=_("cấp ủy ban hành"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("tên phiếu"), max_length=255)
    source = models.CharField(_("căn cứ"), max_length=255, blank=True)
    criteria = models.JSONField(_("tiêu chí"))
    bands = models.JSONField(_("mức xếp loại"))
    valid_from = models.DateField(_("áp dụng từ"))
    valid_to = models.DateField(null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("phiếu chấm điểm sinh hoạt chi bộ")
        verbose_name_plural = _("phiếu chấm điểm sinh hoạt chi bộ")
        constraints = [one_open_constraint("owner", "activities_one_open_score_sheet")]
        indexes = [models.Index(fields=["owner", "valid_from"], name="activities_sheet_owner_idx")]

    def __str__(self) -> str:
        return self.name


class Rater(models.TextChoices):
    CELL = "cell", _("Chi bộ tự chấm")
    POINT_PERSON = "point_person", _("Cấp ủy viên phụ trách chấm")


class MeetingScore(models.Model):
    """A meeting's score on a sheet: the points per criterion, the total and its band, by the cell
    or by the attending point person (one of each per meeting; a new score replaces it)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="scores")
    # the meeting's cell, copied: a cell's quarter and year read scores only
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    sheet = models.ForeignKey(ScoreSheet, verbose_name=_("phiếu chấm điểm"), on_delete=models.PROTECT, related_name="+")
    rater = models.CharField(_("người chấm"), max_length=12, choices=Rater.choices)
    point_person = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    points = models.JSONField(_("điểm từng tiêu chí"))
    total = models.PositiveSmallIntegerField(_("tổng điểm"))
    band = models.CharField(_("xếp loại"), max_length=50)
    held_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("điểm buổi sinh hoạt")
        verbose_name_plural = _("điểm buổi sinh hoạt")
        constraints = [models.UniqueConstraint(fields=["meeting", "rater"], name="activities_one_score_per_rater")]
        indexes = [models.Index(fields=["organization", "held_on"], name="activities_score_org_idx")]


# ---------------------------------------------------------------- commendations


class Commendation(models.Model):
    """An award (khen thưởng) to a member or an organization (activities.commendations: the forms,
    the ladder of who may award what). `organization` is the organization it is counted and scoped
    under: the awarded organization itself, or the member's organization on the decision's date."""

    recipient = models.CharField(_("khen thưởng cho"), max_length=12, choices=Recipient.choices)
    member = models.ForeignKey(Member, verbose_name=_("đảng viên"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(Organization, verbose_name=_("tổ chức"), on_delete=models.PROTECT, related_name="+")
    form = models.CharField(_("hình thức khen thưởng"), max_length=12, choices=CommendationForm.choices)
    title = models.CharField(_("danh hiệu, lý do khen thưởng"), max_length=500)
    period_kind = models.CharField(_("loại khen thưởng"), max_length=12, choices=CommendationPeriod.choices, default=CommendationPeriod.YEAR)
    year_from = models.PositiveSmallIntegerField(_("từ năm"))
    year_to = models.PositiveSmallIntegerField(_("đến năm"))
    # a party body of the tree (checked against the ladder), or, for a state award, the authority's name
    awarded_by = models.ForeignKey(Organization, verbose_name=_("cấp khen thưởng"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    awarded_by_name = models.CharField(_("cơ quan khen thưởng"), max_length=255, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=100)
    decided_on = models.DateField(_("ngày quyết định"))
    # đồng, exact
    gift_value = models.PositiveBigIntegerField(_("giá trị tặng phẩm, tiền thưởng (đồng)"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("khen thưởng")
        verbose_name_plural = _("khen thưởng")
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(recipient="organization", member__isnull=True) | models.Q(recipient="member", member__isnull=False),
                                   name="activities_commendation_recipient"),
            models.CheckConstraint(condition=models.Q(year_to__gte=models.F("year_from")), name="activities_commendation_years"),
        ]
        indexes = [
            # a subtree's awards over a period (the list, the commendations family of the measures)
            models.Index(fields=["organization", "decided_on"], name="activities_commend_org_idx"),
            # a member's awards (their record)
            models.Index(fields=["member", "decided_on"], name="activities_commend_member_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_form_display()} {self.decision_number}"

    @property
    def awarding_name(self) -> str:
        return self.awarded_by_name
