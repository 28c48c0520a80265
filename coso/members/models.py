"""Party membership as dated events, with the periods they imply kept beside them.

MemberEvent rows are the record: each change with its effective date, decision and issuing body.
MemberPeriod rows are derived from the events by lifecycle.replay() in the same transaction that
writes an event (and can be rebuilt from them at any time): where the member was placed, with
which status, on which days. Counting "members of X's subtree on D" joins the periods in force
on D with the organization placements in force on D: one grouped query, never one per member.
Member keeps the current values (status, organization, dates) for fast lists; they are the
last state of the replay, written by the same service.
"""

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext_lazy as _

from coso.lib.dated import Dated, one_open_constraint
from coso.organizations.dated import OrganizationDatedQuerySet
from coso.organizations.models import Organization
from coso.people.models import Person


class Status(models.TextChoices):
    PROBATIONARY = "probationary", _("Dự bị")
    OFFICIAL = "official", _("Chính thức")
    REMOVED = "removed", _("Đã xóa tên")
    EXPELLED = "expelled", _("Đã khai trừ")
    LEFT = "left", _("Đã ra khỏi Đảng")
    DECEASED = "deceased", _("Từ trần")
    TRANSFERRED_AWAY = "away", _("Đã chuyển đi nơi khác")


ACTIVE = (Status.PROBATIONARY, Status.OFFICIAL)
EXITS = (Status.REMOVED, Status.EXPELLED, Status.LEFT, Status.DECEASED, Status.TRANSFERRED_AWAY)


class EventType(models.TextChoices):
    RECORDED = "recorded", _("Ghi nhận hồ sơ đảng viên đang sinh hoạt")
    ADMITTED = "admitted", _("Kết nạp")
    RECOGNIZED = "recognized", _("Công nhận đảng viên chính thức")
    TRANSFER_OUT = "transfer_out", _("Giới thiệu chuyển sinh hoạt đảng")
    TRANSFER_RECEIVED = "transfer_received", _("Tiếp nhận sinh hoạt đảng")
    TRANSFER_CANCELLED = "transfer_cancelled", _("Hủy giới thiệu chuyển sinh hoạt")
    TEMPORARY_RETURNED = "temporary_returned", _("Kết thúc sinh hoạt tạm thời")
    JOINED_BY_TRANSFER = "joined_by_transfer", _("Chuyển đến từ đơn vị ngoài hệ thống")
    EXEMPTED = "exempted", _("Miễn công tác và sinh hoạt đảng")
    EXEMPTION_ENDED = "exemption_ended", _("Thôi miễn công tác và sinh hoạt đảng")
    DISCIPLINED = "disciplined", _("Kỷ luật")
    REMOVED = "removed", _("Xóa tên")
    EXPELLED = "expelled", _("Khai trừ")
    LEFT = "left", _("Cho ra khỏi Đảng")
    DECEASED = "deceased", _("Từ trần")
    READMITTED = "readmitted", _("Kết nạp lại")
    # 117-QĐ/TW: an expulsion annulled (or changed to a lighter form) as wrongful restores the
    # membership from the decision's date; the expulsion stays in the history
    RESTORED = "restored", _("Phục hồi đảng tịch")
    BADGE_AWARDED = "badge", _("Tặng Huy hiệu Đảng")
    CARD_ISSUED = "card", _("Phát thẻ đảng viên")
    # a restructuring's bulk hand-off (coso/restructuring): the member's organization is handed
    # over by a decision, not by the member's own transfer; status, party age, ratings untouched
    ORG_HANDOVER = "org_handover", _("Chuyển giao tổ chức")


class TransferKind(models.TextChoices):
    OFFICIAL = "official", _("Chính thức")
    TEMPORARY = "temporary", _("Tạm thời")


class DisciplineForm(models.TextChoices):
    """Điều lệ Điều 35 (reference §4.1); khai trừ is the EXPELLED event itself."""

    REPRIMAND = "khien_trach", _("Khiển trách")
    WARNING = "canh_cao", _("Cảnh cáo")
    DISMISSAL = "cach_chuc", _("Cách chức")


class BreachCategory(models.TextChoices):
    """What a disciplined breach concerned: 366-QĐ/TW Điều 11 khoản 4.2 rates "Không hoàn thành
    nhiệm vụ" a breach related to official duty (công vụ; for a leader, their office: chức trách)
    disciplined at khiển trách or heavier, and any breach of the things members must not do or of
    the duty to set an example (evaluation-answers.md §3)."""

    DUTY = "duty", _("Liên quan đến chức trách, nhiệm vụ, hoạt động công vụ")
    FORBIDDEN = "forbidden", _("Vi phạm những điều đảng viên không được làm")
    EXAMPLE = "example", _("Vi phạm quy định về trách nhiệm nêu gương")
    OTHER = "other", _("Vi phạm khác")


class Member(models.Model):
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="membership")
    card_number = models.CharField(_("số thẻ đảng viên"), max_length=20, null=True, blank=True, unique=True)
    introducers = models.CharField(_("người giới thiệu"), max_length=255, blank=True)
    # current values: the last state of the event replay, written by members.services only
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices)
    organization = models.ForeignKey(Organization, verbose_name=_("chi bộ sinh hoạt"), null=True, on_delete=models.PROTECT, related_name="+")
    admitted_on = models.DateField(_("ngày kết nạp"), null=True, blank=True)
    admission_decision_date = models.DateField(_("ngày quyết định kết nạp"), null=True, blank=True)
    recognized_on = models.DateField(_("ngày công nhận chính thức"), null=True, blank=True)
    card_issued_on = models.DateField(_("ngày cấp thẻ"), null=True, blank=True)
    exempted = models.BooleanField(_("miễn sinh hoạt"), default=False)
    in_transit = models.BooleanField(_("đang chuyển sinh hoạt"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đảng viên")
        verbose_name_plural = _("đảng viên")
        indexes = [
            # current members of an organization (lists, probation and transfer worklists)
            models.Index(fields=["organization", "status"], name="members_member_org_idx"),
        ]

    def __str__(self) -> str:
        return str(self.person)


class MemberEvent(models.Model):
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="events")
    type = models.CharField(_("sự kiện"), max_length=20, choices=EventType.choices)
    effective_date = models.DateField(_("ngày hiệu lực"))
    sequence = models.PositiveIntegerField(default=0)  # order of events on the same day
    organization = models.ForeignKey(Organization, verbose_name=_("tổ chức"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    target = models.ForeignKey(Organization, verbose_name=_("chuyển đến"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    destination = models.CharField(_("nơi chuyển đến / chuyển từ"), max_length=255, blank=True)
    transfer_kind = models.CharField(_("hình thức chuyển"), max_length=10, choices=TransferKind.choices, blank=True)
    status = models.CharField(_("trạng thái ghi nhận"), max_length=12, choices=Status.choices, blank=True)
    discipline_form = models.CharField(_("hình thức kỷ luật"), max_length=12, choices=DisciplineForm.choices, blank=True)
    # a discipline: when the breach happened (the event's date is the decision's) and what it
    # concerned; a breach of an earlier year disciplined now counts in the current evaluation
    # (366-QĐ/TW Điều 11 khoản 4.3), so the rules key on the decision, and show the breach beside it
    breach_on = models.DateField(_("ngày vi phạm"), null=True, blank=True)
    # db_default: the bulk writers (synth, bulk) name their columns and leave it out
    breach_category = models.CharField(_("nội dung vi phạm"), max_length=12, choices=BreachCategory.choices, blank=True, default="",
                                       db_default="")
    badge_years = models.PositiveSmallIntegerField(_("huy hiệu (năm tuổi đảng)"), null=True, blank=True)
    card_number = models.CharField(_("số thẻ"), max_length=20, blank=True)
    # a member recorded with their history (RECORDED, JOINED_BY_TRANSFER): the dates of the record
    admitted_on = models.DateField(_("ngày kết nạp"), null=True, blank=True)
    recognized_on = models.DateField(_("ngày công nhận chính thức"), null=True, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=100, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # derived, never typed: the organization the event belongs to (where the member arrives, or
    # where they were the day before), written with the event and whenever the member's periods
    # are rewritten (coso/members/owners.py); the measures count a subtree's events by it
    owner = models.ForeignKey(Organization, null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+",
                              db_index=False)

    class Meta:
        verbose_name = _("sự kiện đảng viên")
        verbose_name_plural = _("sự kiện đảng viên")
        ordering = ["member_id", "effective_date", "sequence", "id"]
        indexes = [
            # a member's timeline, in order
            models.Index(fields=["member", "effective_date", "sequence"], name="members_event_member_idx"),
            # counts of events over a period (admitted, transferred...) by type: it holds every
            # column the measure engine's counts read (coso/measures/families.py Events), so they
            # read the index alone, not the table (an index-only scan on PostgreSQL, a covering
            # index on SQLite)
            models.Index(fields=["type", "effective_date", "member", "organization", "transfer_kind"], name="members_event_type_cover"),
            # transfers in transit, by receiving side
            models.Index(fields=["target", "type"], name="members_event_target_idx"),
            # a subtree's events of some types over a period (the measure engine, from a list of
            # organizations: without it SQLite walks every event of the types in the period)
            models.Index(fields=["organization", "type", "effective_date"], name="members_event_org_type_idx"),
            # a subtree's events of some types over a period, counted under their owner (coso/measures/
            # families.py Events): the organizations' ranges read, with the member for the count and
            # the breakdowns and the transfer kind for the measures' conditions, from the index alone
            models.Index(fields=["owner", "type", "effective_date", "member", "transfer_kind"], name="members_event_owner_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.effective_date:%d/%m/%Y}"


class MemberPeriod(Dated, models.Model):
    """A span of days with one placement and status: derived from the events, never typed."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="periods")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices)
    exempted = models.BooleanField(default=False)
    in_transit = models.BooleanField(default=False)
    host = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    objects = OrganizationDatedQuerySet.as_manager()

    class Meta:
        indexes = [
            # members of organizations on a date (the measure engine's base join)
            models.Index(fields=["organization", "valid_from"], name="members_period_org_idx"),
            # a member's placement on a date; with the end and the organization: the organization an
            # event belongs to (the period the day before it) is read from the index alone
            models.Index(fields=["member", "valid_from", "valid_to", "organization"], name="members_period_member_cover"),
        ]
        constraints = [
            one_open_constraint("member", "members_one_open_period"),
        ]


class Candidate(models.Model):
    """Quần chúng ưu tú / cảm tình Đảng being prepared for admission by a cell."""

    class State(models.TextChoices):
        PREPARING = "preparing", _("Đang bồi dưỡng")
        ADMITTED = "admitted", _("Đã kết nạp")
        DROPPED = "dropped", _("Dừng xem xét")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="candidacies")
    organization = models.ForeignKey(Organization, verbose_name=_("chi bộ bồi dưỡng"), on_delete=models.PROTECT, related_name="+")
    listed_on = models.DateField(_("ngày đưa vào danh sách cảm tình Đảng"))
    course_completed_on = models.DateField(_("ngày hoàn thành lớp bồi dưỡng nhận thức về Đảng"), null=True, blank=True)
    course_certificate = models.CharField(_("số giấy chứng nhận"), max_length=50, blank=True)
    introducers = models.CharField(_("người giới thiệu"), max_length=255, blank=True)
    state = models.CharField(_("tình trạng"), max_length=10, choices=State.choices, default=State.PREPARING)
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quần chúng ưu tú")
        verbose_name_plural = _("quần chúng ưu tú")
        indexes = [models.Index(fields=["organization", "state"], name="members_candidate_org_idx")]

    def __str__(self) -> str:
        return str(self.person)

    @staticmethod
    def state_on_q(state: str, on) -> Q:
        """Candidates in `state` on the date, as far as the record tells: listed by then; in
        training until their admission (an admitted candidate was preparing before it); a dropped
        candidacy carries no date, so it counts as dropped from its listing. The one definition
        the candidate list and the measure engine share (the same number on both)."""
        listed = Q(listed_on__lte=on)
        if state == Candidate.State.PREPARING:
            return listed & (Q(state=Candidate.State.PREPARING) | Q(state=Candidate.State.ADMITTED, member__admitted_on__gt=on))
        if state == Candidate.State.ADMITTED:
            return listed & Q(state=Candidate.State.ADMITTED, member__admitted_on__lte=on)
        if state == Candidate.State.DROPPED:
            return listed & Q(state=Candidate.State.DROPPED)
        return listed

    @staticmethod
    def state_on(on):
        """The candidate's state on the date (an annotation matching state_on_q)."""
        return Case(
            When(state=Candidate.State.ADMITTED, member__admitted_on__gt=on, then=Value(Candidate.State.PREPARING.value)),
            default=F("state"), output_field=models.CharField(),
        )


class MemberSearch(models.Model):
    """What member search reads, copied per member (coso/members/search.py explains the plans).

    root and branch are the first two organizations of the path of the member's cell today (a
    province committee, a commune committee under it): a search in either reads that scope's
    index range only. Derived, never typed: search.refresh() writes the rows from the member, the
    person and the placement, called by the same services that change them.
    """

    # no foreign key constraint: a derived copy, written from the member it names (and a deferred
    # check would hold up the indexes built after a bulk fill)
    member = models.OneToOneField(Member, primary_key=True, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    person_id = models.BigIntegerField()
    status = models.CharField(max_length=12)
    name_folded = models.CharField(max_length=150)
    name_sort = models.CharField(max_length=320)
    # the Vietnamese order (Person.name_order): results come in it
    name_order = models.CharField(max_length=800, default="")
    organization_id = models.BigIntegerField(null=True)
    root_id = models.BigIntegerField(null=True)
    branch_id = models.BigIntegerField(null=True)

    class Meta:
        # covering (PostgreSQL reads them without the table: index-only scans); the order (name_order,
        # person_id) is the lists' order, so a range is read already sorted
        indexes = [
            # a province: the given-name ranges (one per spelling), and the walk through a dense family-first prefix
            models.Index(fields=["root_id", "name_order", "person_id", "name_folded", "status", "organization_id", "member"],
                         name="members_search_root_sort_idx"),
            # a province: the names starting with the typed text, counted, then sorted when few
            models.Index(fields=["root_id", "name_folded", "name_order", "person_id", "status", "organization_id", "member"],
                         name="members_search_root_name_idx"),
            # a commune: its members in name order, the match checked on the index (name_folded, name_sort)
            models.Index(fields=["branch_id", "name_order", "person_id", "name_folded", "name_sort", "status", "organization_id", "member"],
                         name="members_search_branch_idx"),
        ]


class MemberSearchSync(models.Model):
    """How far MemberSearch has followed the organization tree: the newest placement it has seen
    (one row; search.sync_tree)."""

    placement_id = models.BigIntegerField(default=0)

