"""The write side of cell meetings: one function per action, atomic, audited.

A refused change writes nothing and says why in Vietnamese, naming the field (ValidationError
with a field key). Marks are stored as exceptions (models.py): writing a mark rewrites the
meeting's counts in the same transaction, under a lock on the meeting, so two secretaries tapping
at once cannot leave counts that disagree with the marks.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coso.audit import services as audit
from coso.lib.dated import ends_after_q
from coso.lib.dates import fmt
from coso.members.models import MemberPeriod
from coso.organizations.models import Kind, Placement
from coso.resolutions.models import Document

from . import commendations as commendation_rules
from . import dues, rules, scoring, selectors
from .commendations import Form as CommendationForm
from .commendations import PeriodKind as CommendationPeriod
from .commendations import Recipient
from .models import (
    Absence,
    Commendation,
    DuesPayment,
    DuesProfile,
    Mark,
    Meeting,
    MeetingKind,
    MeetingScore,
    Mode,
    PointPerson,
    PointRole,
    Rater,
    ScoreSheet,
    Task,
)

DETAIL_FIELDS = ["kind", "counts_for", "held_on", "starts_at", "ends_at", "combined", "place", "mode", "superior_attendee_id", "superior_attendee_name",
                 "agenda", "minutes", "resolution_id", "resolution_number", "resolution_text"]
COUNT_FIELDS = ["roster_count", "present_count", "excused_count", "unexcused_count", "exempted_count", "on_duty_count"]


def _month_label(day: dt.date) -> str:
    return f"{day.month:02d}/{day.year}"


def _check_details(organization_id: int, fields: dict, meeting: Meeting | None = None) -> dict:
    """The meeting's fields checked (counts_for defaulted to the month held), or ValidationError."""
    held_on = fields.get("held_on")
    if held_on is None:
        raise ValidationError({"held_on": _("Chưa nhập ngày họp.")})
    if not Placement.objects.on(held_on).filter(organization_id=organization_id).exists():
        raise ValidationError({"held_on": _("Chi bộ không hoạt động vào ngày %(date)s.") % {"date": fmt(held_on)}})
    kind = fields.get("kind") or MeetingKind.REGULAR
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": _("Loại buổi sinh hoạt không hợp lệ.")})
    if fields.get("mode") and fields["mode"] not in Mode.values:
        raise ValidationError({"mode": _("Hình thức sinh hoạt không hợp lệ.")})
    counts_for = rules.month_start(fields.get("counts_for") or held_on)
    held_month = rules.month_start(held_on)
    previous = rules.month_start(held_month - dt.timedelta(days=1))
    if counts_for not in (held_month, previous):
        raise ValidationError({"counts_for": _("Buổi họp ngày %(date)s chỉ tính cho tháng %(this)s hoặc tháng trước đó (%(previous)s).")
                               % {"date": fmt(held_on), "this": _month_label(held_month), "previous": _month_label(previous)}})
    starts_at, ends_at = fields.get("starts_at"), fields.get("ends_at")
    if starts_at and ends_at and ends_at <= starts_at:
        raise ValidationError({"ends_at": _("Giờ kết thúc phải sau giờ bắt đầu.")})
    if kind == MeetingKind.REGULAR:
        same = Meeting.objects.filter(organization_id=organization_id, kind=MeetingKind.REGULAR, counts_for=counts_for)
        if meeting is not None:
            same = same.exclude(pk=meeting.pk)
        if (other := same.first()) is not None:
            raise ValidationError({"counts_for": _("Tháng %(month)s đã có buổi sinh hoạt thường kỳ (ngày %(date)s).")
                                   % {"month": _month_label(counts_for), "date": fmt(other.held_on)}})
    if (attendee := fields.get("superior_attendee_id")) is not None and not selectors.point_persons_of(organization_id, held_on).filter(member_id=attendee).exists():
        raise ValidationError({"superior_attendee_id": _("Đồng chí này không được phân công phụ trách chi bộ vào ngày %(date)s: "
                                                         "ghi họ tên vào ô bên dưới.") % {"date": fmt(held_on)}})
    if (document_id := fields.get("resolution_id")) is not None:
        document = Document.objects.filter(pk=document_id).values("organization_id", "symbol").first()
        if document is None:
            raise ValidationError({"resolution_id": _("Không tìm thấy văn bản này trong sổ văn bản.")})
        if document["organization_id"] != organization_id:
            raise ValidationError({"resolution_id": _("Văn bản %(symbol)s không do chi bộ này ban hành: chỉ liên kết nghị quyết của "
                                                      "chính chi bộ với buổi sinh hoạt.") % {"symbol": document["symbol"]}})
    return {**fields, "kind": kind, "counts_for": counts_for}


def _write_counts(meeting: Meeting, rows) -> None:
    counts = selectors.counts_of(rows)
    values = {"roster_count": counts.roster, "present_count": counts.present, "excused_count": counts.excused,
              "unexcused_count": counts.unexcused, "exempted_count": counts.exempted, "on_duty_count": counts.on_duty}
    for name, value in values.items():
        setattr(meeting, name, value)
    Meeting.objects.filter(pk=meeting.pk).update(**values)


@transaction.atomic
def record_meeting(*, actor, organization, **fields) -> Meeting:
    """A meeting of the cell: everyone on its date present but the exempted, until marked."""
    fields = _check_details(organization.pk, {k: v for k, v in fields.items() if k in DETAIL_FIELDS})
    meeting = Meeting.objects.create(organization=organization, created_by=actor if actor is not None and actor.pk else None, **fields)
    _write_counts(meeting, selectors.attendance(meeting))
    audit.record(actor=actor, event_type="activities.meeting.recorded", target=meeting, organization_id=organization.pk,
                 new={k: fields.get(k) for k in ("kind", "counts_for", "held_on")})
    return meeting


@transaction.atomic
def change_meeting(*, actor, meeting: Meeting, **fields) -> Meeting:
    """New details; a new date takes the cell's members of that date: the marks of those who are
    no longer members then go."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    old = {k: getattr(meeting, k) for k in DETAIL_FIELDS}
    new = _check_details(meeting.organization_id, {**old, **{k: v for k, v in fields.items() if k in DETAIL_FIELDS}}, meeting)
    for name, value in new.items():
        setattr(meeting, name, value)
    meeting.save(update_fields=DETAIL_FIELDS)
    rows = selectors.attendance(meeting)
    Absence.objects.filter(meeting=meeting).exclude(member_id__in=[r.member_id for r in rows]).delete()
    _write_counts(meeting, rows)
    changed = {k: (old[k], new[k]) for k in DETAIL_FIELDS if old[k] != new[k]}
    audit.record(actor=actor, event_type="activities.meeting.changed", target=meeting, organization_id=meeting.organization_id,
                 old={k: v[0] for k, v in changed.items()}, new={k: v[1] for k, v in changed.items()})
    return meeting


@transaction.atomic
def attach_minutes(*, actor, meeting: Meeting, upload) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    old = meeting.minutes_file.name
    meeting.minutes_file.save(upload.name, upload, save=False)
    meeting.save(update_fields=["minutes_file"])
    audit.record(actor=actor, event_type="activities.meeting.minutes_attached", target=meeting, organization_id=meeting.organization_id,
                 old={"minutes_file": old}, new={"minutes_file": meeting.minutes_file.name})
    return meeting


@transaction.atomic
def mark_attendance(*, actor, meeting: Meeting, member_id: int, mark: str, reason: str = "") -> selectors.RosterRow:
    """One member's mark at the meeting (a tap on the secretary's page): the row as it now stands."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    rows = selectors.attendance(meeting)
    row = next((r for r in rows if r.member_id == member_id), None)
    if row is None:
        raise ValidationError({"member": _("Người này không phải đảng viên của chi bộ vào ngày họp %(date)s.") % {"date": fmt(meeting.held_on)}})
    if mark not in Mark.values:
        raise ValidationError({"mark": _("Kết quả điểm danh không hợp lệ.")})
    reason = (reason or "").strip()[:255]
    if row.mark == Mark.EXEMPTED and mark != Mark.EXEMPTED:
        raise ValidationError({"mark": _("%(name)s được miễn công tác và sinh hoạt đảng vào ngày họp: không điểm danh.") % {"name": row.name}})
    if mark == Mark.EXEMPTED and row.mark != Mark.EXEMPTED:
        raise ValidationError({"mark": _("Miễn sinh hoạt do chi bộ quyết định và ghi ở hồ sơ đảng viên, không chọn khi điểm danh.")})
    if mark == Mark.EXCUSED and not reason:
        raise ValidationError({"reason": _("Vắng có lý do: hãy ghi lý do.")})
    old = (row.mark, row.reason)
    if mark in (Mark.PRESENT, Mark.EXEMPTED):
        reason = ""
        Absence.objects.filter(meeting=meeting, member_id=member_id).delete()
    else:
        Absence.objects.update_or_create(meeting=meeting, member_id=member_id, defaults={"mark": mark, "reason": reason})
    row.mark, row.reason = mark, reason
    _write_counts(meeting, rows)
    if old != (mark, reason):
        audit.record(actor=actor, event_type="activities.attendance.marked", target=meeting, organization_id=meeting.organization_id,
                     old={"member": member_id, "mark": old[0], "reason": old[1]}, new={"member": member_id, "mark": mark, "reason": reason})
    return row


@transaction.atomic
def assign_task(*, actor, meeting: Meeting, description: str, member_id: int | None = None, due_on: dt.date | None = None) -> Task:
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("Chưa nhập nội dung nhiệm vụ.")})
    if member_id is not None and member_id not in {r.member_id for r in selectors.roster(meeting.organization_id, meeting.held_on)}:
        raise ValidationError({"member": _("Người này không phải đảng viên của chi bộ vào ngày họp %(date)s.") % {"date": fmt(meeting.held_on)}})
    if due_on is not None and due_on < meeting.held_on:
        raise ValidationError({"due_on": _("Thời hạn trước ngày họp giao nhiệm vụ (%(date)s).") % {"date": fmt(meeting.held_on)}})
    task = Task.objects.create(meeting=meeting, member_id=member_id, description=description[:500], due_on=due_on)
    audit.record(actor=actor, event_type="activities.task.assigned", target=task, organization_id=meeting.organization_id,
                 new={"description": task.description, "member": member_id, "due_on": due_on})
    return task


@transaction.atomic
def review_task(*, actor, task: Task, at: Meeting, outcome: str, note: str = "") -> Task:
    """The task's result as reviewed at a later meeting of the same cell."""
    if outcome not in Task.Outcome.values:
        raise ValidationError({"outcome": _("Kết quả không hợp lệ.")})
    if at.organization_id != task.meeting.organization_id or (at.held_on, at.pk) <= (task.meeting.held_on, task.meeting.pk):
        raise ValidationError({"at": _("Nhiệm vụ được kiểm điểm tại một buổi sinh hoạt sau của cùng chi bộ.")})
    old = {"outcome": task.outcome, "reviewed_at": task.reviewed_at_id}
    task.outcome, task.reviewed_at, task.review_note = outcome, at, (note or "").strip()[:500]
    task.save(update_fields=["outcome", "reviewed_at", "review_note"])
    audit.record(actor=actor, event_type="activities.task.reviewed", target=task, organization_id=at.organization_id,
                 old=old, new={"outcome": outcome, "reviewed_at": at.pk})
    return task


# ---------------------------------------------------------------- party dues


@transaction.atomic
def set_dues_profile(*, actor, member, valid_from: dt.date, income_kind: str, income: int | None = None, area: str = dues.Area.OTHER,
                     past_working_age: bool = False, voluntary: int = 0) -> DuesProfile:
    """What the member's dues are computed from, from a date: the open profile ends that day (the
    same day corrects it)."""
    try:
        dues.monthly_amount(dues.rules_for_month(valid_from), income_kind=income_kind, income=income, area=area,
                            past_working_age=past_working_age, voluntary=voluntary)
    except dues.DuesError as error:
        raise ValidationError({error.field: str(error)}) from None
    current = DuesProfile.objects.select_for_update().filter(member=member).current().first()
    if current is not None:
        if valid_from < current.valid_from:
            raise ValidationError({"valid_from": _("Ngày áp dụng trước mức đang áp dụng (từ %(date)s).") % {"date": fmt(current.valid_from)}})
        if valid_from == current.valid_from:
            current.delete()
        else:
            current.valid_to = valid_from
            current.save(update_fields=["valid_to"])
    profile = DuesProfile.objects.create(member=member, valid_from=valid_from, income_kind=income_kind, income=income, area=area,
                                         past_working_age=past_working_age, voluntary=voluntary or 0)
    audit.record(actor=actor, event_type="activities.dues.profile_set", target=profile, organization_id=member.organization_id,
                 new={"income_kind": income_kind, "income": income, "area": area, "valid_from": valid_from})
    return profile


@transaction.atomic
def record_dues(*, actor, organization, member_id: int, month: dt.date, paid: bool, reason: str = "", paid_on: dt.date | None = None,
                meeting: Meeting | None = None) -> DuesPayment:
    """A member's dues of the month: paid in full, or not paid with a reason (a tap on the dues
    page). The amount owed is priced from the member's profile on the month's first day."""
    month = rules.month_start(month)
    on = min(rules.month_end(month), paid_on or rules.month_end(month))
    if member_id not in {r.member_id for r in selectors.roster(organization.pk, on)}:
        raise ValidationError({"member": _("Người này không phải đảng viên của chi bộ trong tháng %(month)s.") % {"month": _month_label(month)}})
    due = selectors.dues_owed([member_id], month).get(member_id)
    if due is None:
        raise ValidationError({"member": _("Đảng viên chưa có mức đóng đảng phí áp dụng trong tháng %(month)s.") % {"month": _month_label(month)}})
    reason = (reason or "").strip()[:255]
    if not paid and not reason:
        raise ValidationError({"reason": _("Chưa đóng đảng phí: hãy ghi lý do.")})
    values = {"organization": organization, "due": due, "paid": due if paid else 0, "paid_on": (paid_on or dt.date.today()) if paid else None,
              "reason": "" if paid else reason, "meeting": meeting}
    payment, _created = DuesPayment.objects.update_or_create(member_id=member_id, month=month, defaults=values)
    audit.record(actor=actor, event_type="activities.dues.recorded", target=payment, organization_id=organization.pk,
                 new={"member": member_id, "month": month, "due": due, "paid": payment.paid, "reason": payment.reason})
    return payment


@transaction.atomic
def record_marks(*, actor, meeting: Meeting, marks: dict[int, tuple[str, str]]) -> Meeting:
    """Several members' marks at once ({member: (mark, reason)}; a minute book copied in, the demo):
    the same checks as a tap, all or nothing, one audit row."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    rows = {r.member_id: r for r in selectors.attendance(meeting)}
    for member_id, (mark, reason) in marks.items():
        row = rows.get(member_id)
        if row is None:
            raise ValidationError({"member": _("Người này không phải đảng viên của chi bộ vào ngày họp %(date)s.") % {"date": fmt(meeting.held_on)}})
        if row.mark == Mark.EXEMPTED or mark not in (Mark.PRESENT, *[m.value for m in (Mark.EXCUSED, Mark.UNEXCUSED, Mark.ON_DUTY)]):
            raise ValidationError({"mark": _("Kết quả điểm danh không hợp lệ.")})
        if mark == Mark.EXCUSED and not (reason or "").strip():
            raise ValidationError({"reason": _("Vắng có lý do: hãy ghi lý do.")})
        row.mark, row.reason = mark, (reason or "").strip()[:255] if mark != Mark.PRESENT else ""
    Absence.objects.filter(meeting=meeting, member_id__in=list(marks)).delete()
    Absence.objects.bulk_create([Absence(meeting=meeting, member_id=r.member_id, mark=r.mark, reason=r.reason)
                                 for r in rows.values() if r.member_id in marks and r.mark != Mark.PRESENT])
    _write_counts(meeting, list(rows.values()))
    audit.record(actor=actor, event_type="activities.attendance.marked", target=meeting, organization_id=meeting.organization_id,
                 new={"marks": {str(k): v[0] for k, v in marks.items()}})
    return meeting


# ---------------------------------------------------------------- point persons


@transaction.atomic
def assign_point_person(*, actor, member, organization, role: str, valid_from: dt.date, decision_number: str = "",
                        decision_date: dt.date | None = None) -> PointPerson:
    """A committee member put in charge of (phụ trách), following (theo dõi) or anchoring (đứng
    điểm) a lower organization from a date, by a decision."""
    if role not in PointRole.values:
        raise ValidationError({"role": _("Nhiệm vụ phân công không hợp lệ.")})
    if valid_from is None:
        raise ValidationError({"valid_from": _("Chưa nhập ngày bắt đầu phân công.")})
    placement = Placement.objects.on(valid_from).filter(organization_id=organization.pk).first()
    if placement is None or placement.parent_id is None:
        raise ValidationError({"organization": _("Tổ chức không phải tổ chức đảng cấp dưới đang hoạt động vào ngày %(date)s.")
                               % {"date": fmt(valid_from)}})
    if not MemberPeriod.objects.on(valid_from).filter(member_id=member.pk).exists():
        raise ValidationError({"member": _("%(name)s không phải đảng viên vào ngày %(date)s.")
                               % {"name": member.person.full_name, "date": fmt(valid_from)}})
    if decision_date is not None and decision_date > valid_from:
        raise ValidationError({"decision_date": _("Ngày quyết định sau ngày bắt đầu phân công (%(date)s).") % {"date": fmt(valid_from)}})
    if (PointPerson.objects.select_for_update().filter(member_id=member.pk, organization_id=organization.pk)
            .filter(ends_after_q(valid_from)).exists()):
        raise ValidationError({"member": _("%(name)s đang được phân công ở %(org)s: kết thúc phân công cũ trước.")
                               % {"name": member.person.full_name, "org": placement.name}})
    assignment = PointPerson.objects.create(member=member, organization=organization, role=role, valid_from=valid_from,
                                            decision_number=(decision_number or "").strip()[:100], decision_date=decision_date,
                                            created_by=actor if actor is not None and actor.pk else None)
    audit.record(actor=actor, event_type="activities.point_person.assigned", target=assignment, organization_id=organization.pk,
                 new={"member": member.pk, "role": role, "valid_from": valid_from, "decision_number": assignment.decision_number})
    return assignment


@transaction.atomic
def end_point_person(*, actor, assignment: PointPerson, valid_to: dt.date) -> PointPerson:
    """The assignment ends from the date (its history stays)."""
    assignment = PointPerson.objects.select_for_update().get(pk=assignment.pk)
    if assignment.valid_to is not None:
        raise ValidationError({"valid_to": _("Phân công đã kết thúc từ ngày %(date)s.") % {"date": fmt(assignment.valid_to)}})
    if valid_to is None or valid_to <= assignment.valid_from:
        raise ValidationError({"valid_to": _("Ngày kết thúc phải sau ngày bắt đầu phân công (%(date)s).") % {"date": fmt(assignment.valid_from)}})
    assignment.valid_to = valid_to
    assignment.save(update_fields=["valid_to"])
    audit.record(actor=actor, event_type="activities.point_person.ended", target=assignment, organization_id=assignment.organization_id,
                 old={"valid_to": None}, new={"valid_to": valid_to})
    return assignment


# ---------------------------------------------------------------- score sheets


SHEET_OWNER_KINDS = (Kind.PROVINCE_COMMITTEE, Kind.COMMUNE_COMMITTEE)


@transaction.atomic
def define_score_sheet(*, actor, owner, name: str, criteria: list, bands: list, valid_from: dt.date, source: str = "",
                       total: int | None = None) -> ScoreSheet:
    """A province's or commune's score sheet from a date: the owner's open sheet ends that day
    (the same day replaces it)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Chưa nhập tên phiếu chấm điểm.")})
    if valid_from is None:
        raise ValidationError({"valid_from": _("Chưa nhập ngày áp dụng phiếu chấm điểm.")})
    placement = Placement.objects.on(valid_from).filter(organization_id=owner.pk).first()
    if placement is None or placement.kind not in SHEET_OWNER_KINDS:
        raise ValidationError({"owner": _("Phiếu chấm điểm do đảng bộ tỉnh, thành phố hoặc đảng bộ xã, phường ban hành.")})
    try:
        scoring.check_sheet(criteria, bands, total)
    except scoring.SheetError as error:
        raise ValidationError({"criteria": str(error)}) from None
    current = ScoreSheet.objects.select_for_update().filter(owner=owner).current().first()
    if current is not None:
        if valid_from < current.valid_from:
            raise ValidationError({"valid_from": _("Ngày áp dụng trước phiếu đang áp dụng (từ %(date)s).") % {"date": fmt(current.valid_from)}})
        if valid_from == current.valid_from and not MeetingScore.objects.filter(sheet=current).exists():
            current.delete()
        else:
            current.valid_to = max(valid_from, current.valid_from + dt.timedelta(days=1))
            current.save(update_fields=["valid_to"])
    sheet = ScoreSheet.objects.create(owner=owner, name=name[:255], source=(source or "")[:255], criteria=criteria, bands=bands,
                                      valid_from=valid_from)
    audit.record(actor=actor, event_type="activities.score_sheet.defined", target=sheet, organization_id=owner.pk,
                 new={"name": sheet.name, "valid_from": valid_from, "criteria": len(criteria), "bands": [b["label"] for b in bands]})
    return sheet


@transaction.atomic
def score_meeting(*, actor, meeting: Meeting, rater: str, points: dict) -> MeetingScore:
    """The meeting's score on the sheet in force for its cell on its date, by the cell or by the
    point person who attended; a new score by the same rater replaces the old one."""
    if rater not in Rater.values:
        raise ValidationError({"rater": _("Người chấm không hợp lệ.")})
    sheet = selectors.sheet_for(meeting.organization_id, meeting.held_on)
    if sheet is None:
        raise ValidationError({"sheet": _("Chưa có phiếu chấm điểm áp dụng cho chi bộ vào ngày %(date)s.") % {"date": fmt(meeting.held_on)}})
    point_person = None
    if rater == Rater.POINT_PERSON:
        point_person = meeting.superior_attendee_id
        if point_person is None or not selectors.point_persons_of(meeting.organization_id, meeting.held_on).filter(member_id=point_person).exists():
            raise ValidationError({"rater": _("Buổi họp không có cấp ủy viên phụ trách chi bộ dự: chỉ chi bộ tự chấm.")})
    clean = {}
    for c in sheet.criteria:
        value = points.get(c["key"])
        if value is None or not isinstance(value, int) or isinstance(value, bool):
            raise ValidationError({c["key"]: _("Tiêu chí “%(label)s”: chưa nhập điểm.") % {"label": c["label"]}})
        if not 0 <= value <= c["points"]:
            raise ValidationError({c["key"]: _("Tiêu chí “%(label)s”: điểm phải từ 0 đến %(max)s.") % {"label": c["label"], "max": c["points"]}})
        clean[c["key"]] = value
    total = sum(clean.values())
    old = MeetingScore.objects.filter(meeting=meeting, rater=rater).values("total", "band").first()
    score, _created = MeetingScore.objects.update_or_create(
        meeting=meeting, rater=rater,
        defaults={"organization_id": meeting.organization_id, "sheet": sheet, "point_person_id": point_person, "points": clean,
                  "total": total, "band": scoring.band_of(sheet.bands, total), "held_on": meeting.held_on,
                  "created_by": actor if actor is not None and actor.pk else None})
    audit.record(actor=actor, event_type="activities.meeting.scored", target=meeting, organization_id=meeting.organization_id,
                 old=old or {}, new={"rater": rater, "total": total, "band": score.band, "sheet": sheet.pk})
    return score


# ---------------------------------------------------------------- commendations


@transaction.atomic
def record_commendation(*, actor, organization, form: str, title: str, decision_number: str, decided_on: dt.date,
                        period_kind: str = CommendationPeriod.YEAR, year_from: int | None = None, year_to: int | None = None,
                        member=None, awarded_by=None, awarded_by_name: str = "", gift_value: int = 0) -> Commendation:
    """An award to `member` (of the organization on the decision's date) or, without a member, to
    the organization; a party body's award is checked against the ladder in force on its date
    (commendations.LADDERS): the body must be the recipient's organization or one above it, and
    its kind may award that form to that kind of recipient. Nothing is written when a check fails."""
    if decided_on is None:
        raise ValidationError({"decided_on": _("Chưa nhập ngày quyết định khen thưởng.")})
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Chưa nhập danh hiệu hoặc lý do khen thưởng.")})
    decision_number = (decision_number or "").strip()
    if not decision_number:
        raise ValidationError({"decision_number": _("Chưa nhập số quyết định khen thưởng.")})
    if form not in CommendationForm.values:
        raise ValidationError({"form": _("Hình thức khen thưởng không hợp lệ.")})
    if period_kind not in CommendationPeriod.values:
        raise ValidationError({"period_kind": _("Loại khen thưởng không hợp lệ.")})
    if gift_value is None or gift_value < 0:
        raise ValidationError({"gift_value": _("Giá trị tặng phẩm phải là số đồng không âm.")})
    year_to = year_to or year_from or decided_on.year
    year_from = year_from or (year_to - 4 if period_kind == CommendationPeriod.FIVE_YEARS else year_to)
    if year_from > year_to or year_to > decided_on.year or year_from < 1930:
        raise ValidationError({"year_from": _("Thời gian được khen (%(start)s–%(end)s) phải theo thứ tự và không sau năm quyết định (%(year)s).")
                               % {"start": year_from, "end": year_to, "year": decided_on.year}})
    if period_kind == CommendationPeriod.FIVE_YEARS and year_to - year_from != 4:
        raise ValidationError({"year_from": _("Khen thưởng 5 năm liền: từ năm đến năm phải đủ 5 năm (ví dụ 2020–2024).")})
    if period_kind == CommendationPeriod.YEAR and year_from != year_to:
        raise ValidationError({"year_from": _("Khen thưởng hằng năm chỉ tính cho một năm.")})
    recipient = Recipient.MEMBER if member is not None else Recipient.ORGANIZATION
    if member is not None:
        period = MemberPeriod.objects.on(decided_on).filter(member_id=member.pk).values("organization_id", "host_id").first()
        if period is None:
            raise ValidationError({"member": _("%(name)s không phải đảng viên vào ngày quyết định %(date)s.")
                                   % {"name": member.person.full_name, "date": fmt(decided_on)}})
        organization_id = period["organization_id"]
    else:
        organization_id = organization.pk
    placement = Placement.objects.on(decided_on).filter(organization_id=organization_id).first()
    if placement is None:
        raise ValidationError({"decided_on": _("Tổ chức không hoạt động vào ngày quyết định %(date)s.") % {"date": fmt(decided_on)}})
    awarded_by_name = (awarded_by_name or "").strip()[:255]
    if form == CommendationForm.STATE:
        if not awarded_by_name:
            raise ValidationError({"awarded_by_name": _("Khen thưởng của Nhà nước: ghi tên cơ quan, người có thẩm quyền quyết định.")})
        awarded_by = None
    else:
        if awarded_by is None:
            raise ValidationError({"awarded_by": _("Chưa chọn cấp ủy khen thưởng.")})
        body = Placement.objects.on(decided_on).filter(organization_id=awarded_by.pk).first()
        if body is None or not placement.path.startswith(body.path):
            raise ValidationError({"awarded_by": _("Cấp khen thưởng phải là %(org)s hoặc tổ chức đảng cấp trên của nó vào ngày %(date)s.")
                                   % {"org": placement.name, "date": fmt(decided_on)}})
        if not commendation_rules.may_award(body.kind, form, recipient, decided_on):
            ladder = commendation_rules.ladder_on(decided_on)
            allowed = ", ".join(str(CommendationForm(f).label) for f in ladder.forms(body.kind, recipient)) or _("không hình thức nào")
            raise ValidationError({"form": _("%(body)s được tặng %(recipient)s: %(allowed)s (theo %(source)s), không được tặng %(form)s.")
                                   % {"body": body.name, "recipient": str(Recipient(recipient).label).lower(), "allowed": allowed,
                                      "source": ladder.source, "form": str(CommendationForm(form).label).lower()}})
        awarded_by_name = body.name
    duplicate = Commendation.objects.filter(decision_number=decision_number, form=form, decided_on=decided_on, recipient=recipient,
                                            organization_id=organization_id, member_id=member.pk if member is not None else None)
    if duplicate.exists():
        raise ValidationError({"decision_number": _("Quyết định %(number)s ngày %(date)s đã được ghi cho đối tượng này.")
                               % {"number": decision_number, "date": fmt(decided_on)}})
    award = Commendation.objects.create(
        recipient=recipient, member=member, organization_id=organization_id, form=form, title=title[:500], period_kind=period_kind,
        year_from=year_from, year_to=year_to, awarded_by=awarded_by, awarded_by_name=awarded_by_name,
        decision_number=decision_number[:100], decided_on=decided_on, gift_value=gift_value,
        created_by=actor if actor is not None and actor.pk else None)
    audit.record(actor=actor, event_type="activities.commendation.recorded", target=award, organization_id=organization_id,
                 new={"recipient": recipient, "member": member.pk if member is not None else None, "form": form, "title": award.title,
                      "years": f"{year_from}-{year_to}", "awarded_by": awarded_by_name, "decision_number": award.decision_number,
                      "decided_on": decided_on, "gift_value": gift_value})
    return award
