"""The write side of inspection: one function per action, atomic, audited.

A refused action raises ValidationError naming the field, in Vietnamese, and writes nothing.
Discipline is decided by decide_discipline(): the rules (rules.py) check the form, the vote and
the limitation period; its effects on a member go through the member lifecycle
(members.services.record_event: DISCIPLINED, or EXPELLED for khai trừ) in the same transaction,
so the year-end rating's checks (evaluation: a disciplined member rated too high is blocked) and
the member counts follow by themselves. The competent body is checked before anything is written
(rules.COMPETENCE). A dissolution is carried out by coso/restructuring (a dissolve operation with
its receiver, committed in the same transaction). A later decision on a discipline (a complaint
upheld, the form changed, the decision annulled; 117-QĐ/TW restoration) is a DisciplineCorrection:
the decision stays as it was, its effects follow from the correction's date.
"""

import datetime as dt
import hashlib
import logging
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coso.audit import services as audit
from coso.lib.dates import fmt
from coso.lib.text import clean
from coso.members import lifecycle
from coso.members import services as members
from coso.members.models import ACTIVE, BreachCategory, EventType, Member, MemberEvent, Status
from coso.organizations.dated import path_under
from coso.organizations.models import GRASSROOTS_KINDS, Kind, Organization, Placement
from coso.restructuring import services as restructuring
from coso.restructuring.models import OperationKind

from . import rules
from .choices import (
    COMPLAINT_OUTCOMES,
    DENUNCIATION_OUTCOMES,
    Body,
    CorrectionKind,
    Form,
    IntakeKind,
    NoLimitCategory,
    Stage,
    SubjectKind,
    WorkType,
)
from .models import (
    Case,
    CaseFile,
    Discipline,
    DisciplineCorrection,
    Intake,
    Plan,
    PlanItem,
    Recommendation,
)

logger = logging.getLogger(__name__)

FOLDER = "inspection"
MAX_FILE_BYTES = 20 * 1024 * 1024
CELL_KINDS = (Kind.GRASSROOTS_CELL, Kind.SUBORDINATE_CELL, Kind.PARTY_GROUP)
# Work types only an inspection commission carries out (political-system.md G.1)
COMMISSION_ONLY = (WorkType.SUBORDINATE_WORK, WorkType.FINANCE, WorkType.ASSETS)


# ---------------------------------------------------------------- shared checks


def _placements(organization_id: int) -> list[tuple[str, dt.date, dt.date | None, str, str]]:
    return list(Placement.objects.filter(organization_id=organization_id).order_by("valid_from")
                .values_list("path", "valid_from", "valid_to", "name", "kind"))


def _under_ever(root_id: int, organization_id: int) -> bool:
    """Whether the organization lay under (or is) the root at some time (296-QĐ/TW: organizations
    that have ended, merged or split remain subjects of their former superior)."""
    roots = [p[0] for p in _placements(root_id)]
    return any(path_under(p[0], root) for p in _placements(organization_id) for root in roots)


def name_on(organization_id: int, on: dt.date) -> str:
    """The organization's name on the day, else its last name (an organization that has ended)."""
    placements = _placements(organization_id)
    for _path, start, end, name, _kind in placements:
        if start <= on and (end is None or on < end):
            return name
    return placements[-1][3] if placements else ""


def kind_on(organization_id: int, on: dt.date) -> str | None:
    """The organization's kind on the day, else its last kind (an organization that has ended)."""
    placements = _placements(organization_id)
    for _path, start, end, _name, kind in placements:
        if start <= on and (end is None or on < end):
            return kind
    return placements[-1][4] if placements else None


def competence_level(organization_id: int, body: str, on: dt.date) -> str:
    """The level the body acts at (rules.COMPETENCE): a chi bộ acting as one, a grassroots
    organization (or a đảng bộ bộ phận, which decides nothing), or a committee above grassroots."""
    kind = kind_on(organization_id, on)
    if kind == Kind.GRASSROOTS_CELL and body != Body.CELL:
        return rules.GRASSROOTS_LEVEL  # a chi bộ cơ sở acting as the grassroots organization
    if body == Body.CELL or kind in (*CELL_KINDS, Kind.PARTIAL_COMMITTEE):
        return rules.CELL_LEVEL
    if kind in GRASSROOTS_KINDS:
        return rules.GRASSROOTS_LEVEL
    return rules.ABOVE_LEVEL


def _check_body(organization: Organization, body: str, work_type: str | None = None) -> None:
    kinds = {p[4] for p in _placements(organization.pk)}
    cell = bool(kinds) and kinds <= set(CELL_KINDS)
    if body == Body.CELL and not cell:
        raise ValidationError({"body": _("Chỉ chi bộ mới là chủ thể “Chi bộ”; hãy chọn cấp ủy hoặc ủy ban kiểm tra.")})
    if body != Body.CELL and cell and not (kinds & set(GRASSROOTS_KINDS)):
        raise ValidationError({"body": _("Chi bộ trực thuộc chỉ kiểm tra, giám sát với tư cách chi bộ.")})
    if body == Body.COMMISSION and cell:
        raise ValidationError({"body": _("Ủy ban kiểm tra được lập từ đảng ủy cơ sở trở lên (Quy định 262-QĐ/TW); chi bộ không có ủy ban kiểm tra.")})
    if work_type in COMMISSION_ONLY and body != Body.COMMISSION:
        raise ValidationError({"work_type": _("Loại công việc này do ủy ban kiểm tra thực hiện (Quy định 296-QĐ/TW).")})


def _member_org_on(member: Member, on: dt.date) -> int | None:
    period = member.periods.filter(valid_from__lte=on).order_by("-valid_from").values_list("organization_id", flat=True).first()
    return period or member.organization_id


def _subject(organization: Organization, subject_kind: str, subject_organization, subject_member, on: dt.date, field: str = "subject"):
    """The subject's name as it stood on the day; refused when it never lay under the body."""
    if subject_kind == SubjectKind.ORGANIZATION:
        if subject_organization is None:
            raise ValidationError({f"{field}_organization": _("Chưa chọn tổ chức đảng là đối tượng.")})
        if not _under_ever(organization.pk, subject_organization.pk):
            raise ValidationError({f"{field}_organization": _("Tổ chức này không thuộc phạm vi của chủ thể.")})
        return name_on(subject_organization.pk, on)
    if subject_kind == SubjectKind.MEMBER:
        if subject_member is None:
            raise ValidationError({f"{field}_member": _("Chưa chọn đảng viên là đối tượng.")})
        home = _member_org_on(subject_member, on)
        if home is None or not _under_ever(organization.pk, home):
            raise ValidationError({f"{field}_member": _("Đảng viên này không sinh hoạt trong phạm vi của chủ thể.")})
        return subject_member.person.full_name
    raise ValidationError({"subject_kind": _("Chưa chọn loại đối tượng.")})


def _date_order(pairs) -> None:
    for field, earlier, later, message in pairs:
        if earlier and later and later < earlier:
            raise ValidationError({field: message})


# ---------------------------------------------------------------- plans


@transaction.atomic
def create_plan(*, actor, organization: Organization, body: str, kind: str, title: str, starts_on: dt.date, ends_on: dt.date,
                number: str = "", adopted_on=None) -> Plan:
    _check_body(organization, body)
    if not clean(title):
        raise ValidationError({"title": _("Chưa nhập tên chương trình.")})
    _date_order([("ends_on", starts_on, ends_on, _("Ngày kết thúc trước ngày bắt đầu của chương trình."))])
    plan = Plan.objects.create(organization=organization, body=body, kind=kind, title=clean(title), number=clean(number),
                               starts_on=starts_on, ends_on=ends_on, adopted_on=adopted_on, created_by=actor if actor and actor.pk else None)
    audit.record(actor=actor, event_type="inspection.plan.created", target=plan, organization_id=organization.pk,
                 new={"title": plan.title, "kind": kind, "body": body, "starts_on": starts_on, "ends_on": ends_on})
    return plan


@transaction.atomic
def add_plan_item(*, actor, plan: Plan, work_type: str, subject_text: str, content: str = "", quarter=None, lead: str = "") -> PlanItem:
    _check_body(plan.organization, plan.body, work_type)
    if not clean(subject_text):
        raise ValidationError({"subject_text": _("Chưa nhập đối tượng kiểm tra, giám sát.")})
    if quarter is not None and quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": _("Quý phải từ 1 đến 4.")})
    item = PlanItem.objects.create(plan=plan, work_type=work_type, subject_text=clean(subject_text), content=content.strip(),
                                   quarter=quarter, lead=clean(lead))
    audit.record(actor=actor, event_type="inspection.plan.item_added", target=plan, organization_id=plan.organization_id,
                 new={"item": item.pk, "work_type": work_type, "subject": item.subject_text, "quarter": quarter})
    return item


# ---------------------------------------------------------------- cases


@transaction.atomic
def open_case(*, actor, organization: Organization, body: str, work_type: str, subject_kind: str, decided_on: dt.date,
              subject_organization=None, subject_member=None, decision_number: str = "", team: str = "", content: str = "",
              plan_item: PlanItem | None = None, preparation_due=None, conduct_from=None, conduct_due=None, conclusion_due=None) -> Case:
    """A case from its deciding document: the body, the work type, the subject and the dates of its stages."""
    if work_type not in WorkType.values:
        raise ValidationError({"work_type": _("Loại công việc không hợp lệ.")})
    _check_body(organization, body, work_type)
    name = _subject(organization, subject_kind, subject_organization, subject_member, decided_on)
    if plan_item is not None and plan_item.plan.organization_id != organization.pk:
        raise ValidationError({"plan_item": _("Nội dung này thuộc chương trình của tổ chức khác.")})
    _date_order([
        ("preparation_due", decided_on, preparation_due, _("Hạn chuẩn bị trước ngày quyết định.")),
        ("conduct_from", decided_on, conduct_from, _("Ngày bắt đầu tiến hành trước ngày quyết định.")),
        ("conduct_due", conduct_from or decided_on, conduct_due, _("Hạn tiến hành trước ngày bắt đầu tiến hành.")),
        ("conclusion_due", conduct_due or decided_on, conclusion_due, _("Hạn kết luận trước hạn tiến hành.")),
    ])
    case = Case.objects.create(
        organization=organization, body=body, work_type=work_type, plan_item=plan_item, subject_kind=subject_kind,
        subject_organization=subject_organization if subject_kind == SubjectKind.ORGANIZATION else None,
        subject_member=subject_member if subject_kind == SubjectKind.MEMBER else None, subject_name=name,
        content=content.strip(), decision_number=clean(decision_number), decided_on=decided_on, team=team.strip(),
        preparation_due=preparation_due, conduct_from=conduct_from, conduct_due=conduct_due, conclusion_due=conclusion_due,
        created_by=actor if actor and actor.pk else None,
    )
    audit.record(actor=actor, event_type="inspection.case.opened", target=case, organization_id=organization.pk,
                 new={"work_type": work_type, "body": body, "subject": name, "decided_on": decided_on, "decision_number": case.decision_number})
    return case


STAGE_ORDER = [Stage.PREPARATION, Stage.CONDUCT, Stage.CONCLUSION, Stage.CONCLUDED]


@transaction.atomic
def advance_stage(*, actor, case: Case, on: dt.date) -> Case:
    """From preparation to conduct (on: the day it begins), from conduct to the conclusion stage."""
    if case.stage not in (Stage.PREPARATION, Stage.CONDUCT):
        raise ValidationError(_("Cuộc kiểm tra đã ở giai đoạn kết luận; hãy ghi kết luận."))
    if on < case.decided_on:
        raise ValidationError({"on": _("Ngày chuyển giai đoạn trước ngày quyết định kiểm tra (%(date)s).") % {"date": fmt(case.decided_on)}})
    nxt = STAGE_ORDER[STAGE_ORDER.index(case.stage) + 1]
    fields = {"stage": nxt}
    if nxt == Stage.CONDUCT:
        fields["conduct_from"] = on
    if not Case.objects.filter(pk=case.pk, stage=case.stage).update(**fields):
        raise ValidationError(_("Cuộc kiểm tra vừa được người khác cập nhật; hãy tải lại trang."))
    old = case.stage
    for k, v in fields.items():
        setattr(case, k, v)
    audit.record(actor=actor, event_type="inspection.case.stage", target=case, organization_id=case.organization_id,
                 old={"stage": old}, new={"stage": nxt, "on": on})
    return case


@transaction.atomic
def conclude_case(*, actor, case: Case, concluded_on: dt.date, violation_found: bool, shortcomings: str = "",
                  discipline_considered: bool = False, conclusion_number: str = "") -> Case:
    """The conclusion: violation found or not, the shortcomings, whether discipline is to be considered."""
    if case.stage == Stage.CONCLUDED:
        raise ValidationError(_("Cuộc kiểm tra đã có kết luận."))
    if concluded_on < case.decided_on or (case.conduct_from and concluded_on < case.conduct_from):
        raise ValidationError({"concluded_on": _("Ngày kết luận trước ngày quyết định hoặc ngày bắt đầu tiến hành.")})
    if violation_found is None:
        raise ValidationError({"violation_found": _("Chưa ghi có hay không có vi phạm.")})
    if discipline_considered and not violation_found:
        raise ValidationError({"discipline_considered": _("Chỉ xem xét kỷ luật khi kết luận có vi phạm.")})
    if not Case.objects.filter(pk=case.pk).exclude(stage=Stage.CONCLUDED).update(
            stage=Stage.CONCLUDED, concluded_on=concluded_on, violation_found=violation_found, shortcomings=shortcomings.strip(),
            discipline_considered=discipline_considered, conclusion_number=clean(conclusion_number)):
        raise ValidationError(_("Cuộc kiểm tra vừa được người khác cập nhật; hãy tải lại trang."))
    old = case.stage
    case.refresh_from_db()
    audit.record(actor=actor, event_type="inspection.case.concluded", target=case, organization_id=case.organization_id,
                 old={"stage": old}, new={"concluded_on": concluded_on, "violation_found": violation_found,
                                          "discipline_considered": discipline_considered, "conclusion_number": case.conclusion_number})
    return case


@transaction.atomic
def add_recommendation(*, actor, case: Case, text: str, owner: str, due_on: dt.date) -> Recommendation:
    if not text.strip():
        raise ValidationError({"text": _("Chưa nhập nội dung kiến nghị.")})
    if not clean(owner):
        raise ValidationError({"owner": _("Chưa ghi tổ chức, cá nhân thực hiện kiến nghị.")})
    if due_on < case.decided_on:
        raise ValidationError({"due_on": _("Hạn khắc phục trước ngày quyết định kiểm tra.")})
    rec = Recommendation.objects.create(case=case, text=text.strip(), owner=clean(owner), due_on=due_on)
    audit.record(actor=actor, event_type="inspection.case.recommended", target=case, organization_id=case.organization_id,
                 new={"recommendation": rec.pk, "owner": rec.owner, "due_on": due_on})
    return rec


@transaction.atomic
def record_remedy(*, actor, recommendation: Recommendation, remedied_on: dt.date, remedy: str) -> Recommendation:
    case = recommendation.case
    if recommendation.remedied_on is not None:
        raise ValidationError(_("Kiến nghị này đã ghi nhận khắc phục xong."))
    if remedied_on < case.decided_on:
        raise ValidationError({"remedied_on": _("Ngày khắc phục trước ngày quyết định kiểm tra.")})
    if not remedy.strip():
        raise ValidationError({"remedy": _("Chưa ghi kết quả khắc phục.")})
    if not Recommendation.objects.filter(pk=recommendation.pk, remedied_on__isnull=True).update(remedied_on=remedied_on, remedy=remedy.strip()):
        raise ValidationError(_("Kiến nghị này đã ghi nhận khắc phục xong."))
    recommendation.remedied_on, recommendation.remedy = remedied_on, remedy.strip()
    audit.record(actor=actor, event_type="inspection.case.remedied", target=case, organization_id=case.organization_id,
                 new={"recommendation": recommendation.pk, "remedied_on": remedied_on})
    return recommendation


# ---------------------------------------------------------------- files


def files_root() -> Path:
    return Path(settings.MEDIA_ROOT) / FOLDER


def file_path(stored_name: str) -> Path:
    path = (files_root() / stored_name).resolve()
    if files_root().resolve() not in path.parents:
        raise FileNotFoundError(stored_name)
    return path


def attach_file(*, actor, case: Case, kind: str, name: str, content: bytes, content_type: str = "application/octet-stream") -> CaseFile:
    """Write the file under MEDIA_ROOT/inspection/ (a random name, owner-readable), then its row and
    the audit in one transaction; a refused or failed row leaves no file behind."""
    if not content:
        raise ValidationError({"file": _("Tệp tải lên trống.")})
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError({"file": _("Tệp lớn hơn 20 MB.")})
    stored = secrets.token_hex(16)
    path = files_root() / stored
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "xb", opener=lambda p, flags: os.open(p, flags, 0o600)) as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
    except OSError as error:
        path.unlink(missing_ok=True)
        logger.error("inspection file not saved: %s", error)
        raise ValidationError({"file": _("Máy chủ không lưu được tệp (đĩa đầy hoặc không ghi được). Hãy báo quản trị hệ thống.")}) from error
    try:
        with transaction.atomic():
            found = CaseFile.objects.create(case=case, kind=kind, name=clean(name)[:255] or stored, stored_name=stored,
                                            content_type=content_type[:100], size=len(content),
                                            sha256=hashlib.sha256(content).hexdigest(), uploaded_by=actor if actor and actor.pk else None)
            audit.record(actor=actor, event_type="inspection.case.file_added", target=case, organization_id=case.organization_id,
                         new={"file": found.pk, "name": found.name, "kind": kind, "size": found.size})
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return found


@transaction.atomic
def record_file_view(*, actor, case_file: CaseFile) -> None:
    """Every reading of a case's file is an audit event (the view sends the file after it)."""
    audit.record(actor=actor, event_type="inspection.case.file_viewed", target=case_file.case,
                 organization_id=case_file.case.organization_id, new={"file": case_file.pk, "name": case_file.name})


# ---------------------------------------------------------------- discipline


def member_status_on(member: Member, on: dt.date) -> str | None:
    events = list(MemberEvent.objects.filter(member=member, effective_date__lte=on).order_by("effective_date", "sequence", "id"))
    return lifecycle.replay(events).state.status if events else None


def later_breaches(subject_kind: str, subject, breach: rules.Breach, exclude=None) -> list[rules.Breach]:
    """The subject's other recorded breaches that began after this one ended (the restart)."""
    qs = Discipline.objects.filter(breach_started_on__gt=breach.last_day)
    qs = qs.filter(subject_member=subject) if subject_kind == SubjectKind.MEMBER else qs.filter(subject_organization=subject)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return [rules.Breach(s, e) for s, e in qs.values_list("breach_started_on", "breach_ended_on")]


def limitation_for(*, subject_kind: str, subject, form: str, breach_started_on: dt.date, breach_ended_on=None,
                   no_limit_categories=(), on: dt.date) -> rules.Limitation:
    """The limitation status shown before the decision (the read side of decide_discipline)."""
    breach = rules.Breach(breach_started_on, breach_ended_on)
    return rules.limitation(breach, form, subject_kind, on, no_limit=bool(no_limit_categories),
                            later_breaches=later_breaches(subject_kind, subject, breach) if subject is not None else ())


# the member event's fields named as the discipline form names them
_EVENT_FIELDS = {"effective_date": "effective_on", "breach_on": "breach_started_on", "decision_date": "decided_on"}


@transaction.atomic
def decide_discipline(*, actor, organization: Organization, body: str, subject_kind: str, form: str, breach_started_on: dt.date,
                      votes_for: int, votes_entitled: int, decided_on: dt.date, effective_on: dt.date, decision_number: str,
                      subject_member: Member | None = None, subject_organization: Organization | None = None,
                      breach_ended_on=None, breach_category: str = BreachCategory.OTHER, no_limit_categories=(),
                      case: Case | None = None, receiver: Organization | None = None) -> Discipline:
    """Record a disciplinary decision and, when the limitation period allows it, enforce it.

    Refused (nothing written) when the form does not apply to the subject, the vote does not carry,
    the dates are out of order or the subject lies outside the body. When the limitation period
    has run out on the decision's date, the vote is recorded unenforced with the reason
    (06-HD/UBKTTW: the limitation gates enforcement, not the vote). Enforced on a member: a
    DISCIPLINED event (khiển trách, cảnh cáo, cách chức) or EXPELLED (khai trừ) through the
    member lifecycle on the effective date, in this transaction. Refused too when the body is not
    competent for the form (rules.competence_problem). Dissolving an organization (giải tán)
    closes it in the tree through coso/restructuring in this transaction: one dissolve operation
    handing its members and subordinate organizations to `receiver`, committed on the effective
    date (refused, nothing written, when the restructuring refuses)."""
    if form not in Form.values:
        raise ValidationError({"form": _("Hình thức kỷ luật không hợp lệ.")})
    if body not in Body.values:
        raise ValidationError({"body": _("Chưa chọn cơ quan quyết định.")})
    name = _subject(organization, subject_kind, subject_organization, subject_member, decided_on)
    if case is not None and case.organization_id != organization.pk and not _under_ever(organization.pk, case.organization_id):
        raise ValidationError({"case": _("Cuộc kiểm tra thuộc tổ chức khác.")})
    status = None
    if subject_kind == SubjectKind.MEMBER:
        status = member_status_on(subject_member, effective_on)
        if status not in ACTIVE:
            raise ValidationError({"subject_member": _("Đảng viên không còn sinh hoạt đảng vào ngày %(date)s.") % {"date": fmt(effective_on)}})
    if problem := rules.form_problem(form, subject_kind, status):
        raise ValidationError({"form": problem})
    if subject_kind == SubjectKind.ORGANIZATION and subject_organization.pk == organization.pk:
        raise ValidationError({"subject_organization": _("Tổ chức đảng không tự thi hành kỷ luật chính mình; cấp ủy cấp trên quyết định.")})
    if problem := rules.competence_problem(form, subject_kind, competence_level(organization.pk, body, decided_on), body, decided_on):
        raise ValidationError({"body": problem})
    if form == Form.DISSOLUTION and receiver is None:
        raise ValidationError({"receiver": _("Chưa chọn tổ chức tiếp nhận đảng viên và tổ chức trực thuộc của tổ chức bị giải tán.")})
    if problem := rules.vote_problem(form, votes_for, votes_entitled):
        raise ValidationError({"votes_for": problem})
    unknown = set(no_limit_categories) - set(NoLimitCategory.values)
    if unknown:
        raise ValidationError({"no_limit_categories": _("Loại vi phạm không tính thời hiệu không hợp lệ.")})
    _date_order([
        ("breach_ended_on", breach_started_on, breach_ended_on, _("Ngày kết thúc vi phạm trước ngày bắt đầu vi phạm.")),
        ("decided_on", breach_started_on, decided_on, _("Ngày quyết định kỷ luật trước ngày bắt đầu vi phạm.")),
        ("decided_on", breach_ended_on, decided_on, _("Ngày quyết định kỷ luật trước ngày kết thúc vi phạm.")),
        ("effective_on", decided_on, effective_on, _("Ngày có hiệu lực trước ngày quyết định kỷ luật.")),
    ])
    if not clean(decision_number):
        raise ValidationError({"decision_number": _("Chưa nhập số quyết định kỷ luật.")})
    subject = subject_member if subject_kind == SubjectKind.MEMBER else subject_organization
    status_text = limitation_for(subject_kind=subject_kind, subject=subject, form=form, breach_started_on=breach_started_on,
                                 breach_ended_on=breach_ended_on, no_limit_categories=no_limit_categories, on=decided_on)
    discipline = Discipline.objects.create(
        organization=organization, body=body, case=case, subject_kind=subject_kind,
        subject_member=subject_member if subject_kind == SubjectKind.MEMBER else None,
        subject_organization=subject_organization if subject_kind == SubjectKind.ORGANIZATION else None,
        subject_name=name, form=form, breach_started_on=breach_started_on, breach_ended_on=breach_ended_on,
        breach_category=breach_category, no_limit_categories=sorted(set(no_limit_categories)), votes_for=votes_for,
        votes_entitled=votes_entitled, decided_on=decided_on, effective_on=effective_on, decision_number=clean(decision_number),
        enforced=not status_text.expired, limitation_text=status_text.text, created_by=actor if actor and actor.pk else None,
    )
    if discipline.enforced and subject_kind == SubjectKind.MEMBER:
        issuing = f"{Body(body).label} {name_on(organization.pk, decided_on)}"
        common = {"decision_number": discipline.decision_number, "decision_date": decided_on, "issuing_body": issuing,
                  "note": _("Quyết định kỷ luật ghi ở chức năng kiểm tra (mã %(pk)s).") % {"pk": discipline.pk}}
        try:
            if form == Form.EXPULSION:
                event = members.record_event(actor=actor, member=subject_member, type=EventType.EXPELLED, effective_date=effective_on,
                                             status=Status.EXPELLED, **common)
            else:
                event = members.record_event(actor=actor, member=subject_member, type=EventType.DISCIPLINED, effective_date=effective_on,
                                             discipline_form=form, breach_on=breach_started_on, breach_category=breach_category, **common)
        except ValidationError as error:  # the lifecycle's refusal, on this form's fields
            if hasattr(error, "error_dict"):
                raise ValidationError({_EVENT_FIELDS.get(k, k): v for k, v in error.error_dict.items()}) from None
            raise ValidationError({"effective_on": error.messages}) from None
        Discipline.objects.filter(pk=discipline.pk).update(member_event=event)
        discipline.member_event = event
    if discipline.enforced and form == Form.DISSOLUTION:
        discipline.restructuring = _dissolve(actor, discipline, receiver)
        Discipline.objects.filter(pk=discipline.pk).update(restructuring=discipline.restructuring)
    audit.record(actor=actor, event_type="inspection.discipline.decided", target=discipline, organization_id=organization.pk,
                 new={"subject": name, "form": form, "decided_on": decided_on, "effective_on": effective_on,
                      "votes": f"{votes_for}/{votes_entitled}", "enforced": discipline.enforced, "limitation": discipline.limitation_text})
    return discipline


def _dissolve(actor, discipline: Discipline, receiver: Organization):
    """Carry out a dissolution through coso/restructuring: the deciding committee's decision with
    one dissolve operation (members and subordinate organizations to the receiver), committed now.
    Its refusals become this form's, on the receiver or the dates."""
    issuing = f"{Body(discipline.body).label} {name_on(discipline.organization_id, discipline.decided_on)}"
    try:
        r = restructuring.create_restructuring(
            actor=actor, organization=discipline.organization, decision_number=discipline.decision_number, decision_issuer=issuing,
            title=_("Giải tán %(name)s (quyết định kỷ luật %(number)s)") % {"name": discipline.subject_name, "number": discipline.decision_number},
            decision_date=discipline.decided_on, effective_date=discipline.effective_on)
        restructuring.add_operation(actor=actor, restructuring=r, kind=OperationKind.DISSOLVE, organization=discipline.subject_organization,
                                    parent=receiver)
        restructuring.commit(actor=actor, restructuring=r)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            fields = {"effective_date": "effective_on", "decision_date": "decided_on"}
            raise ValidationError({fields.get(k, "receiver"): v for k, v in error.error_dict.items()}) from None
        raise ValidationError({"receiver": error.messages}) from None
    return r


# ---------------------------------------------------------------- corrections (complaints, superiors, 117-QĐ/TW)


def standing_form(discipline: Discipline, corrections=None) -> str | None:
    """The discipline's form as it stands after its corrections (None: annulled)."""
    form = discipline.form
    for c in corrections if corrections is not None else discipline.corrections.order_by("decided_on", "id"):
        if c.kind == CorrectionKind.CHANGED:
            form = c.new_form
        elif c.kind == CorrectionKind.ANNULLED:
            form = None
    return form


def _member_cell_before(member: Member, on: dt.date) -> int | None:
    return member.periods.filter(valid_from__lt=on).order_by("-valid_from").values_list("organization_id", flat=True).first()


@transaction.atomic
def correct_discipline(*, actor, discipline: Discipline, organization: Organization, body: str, kind: str, decided_on: dt.date,
                       effective_on: dt.date, decision_number: str, reason: str = "", new_form: str = "", wrongful: bool = False,
                       restore_to: Organization | None = None, intake: Intake | None = None) -> DisciplineCorrection:
    """A later decision on a disciplinary decision: upheld, its form changed, or annulled (on a
    complaint, by a superior, or as wrongful under 117-QĐ/TW). The decision keeps its row; this one
    is added after it, and its effects follow from `effective_on`:

    - on a member expelled, annulled or changed to a lighter form: membership restored through the
      lifecycle (RESTORED, in `restore_to`, default the cell they left), then the lighter form's
      DISCIPLINED event; changed to expulsion: EXPELLED;
    - on other forms the year-end rating reads the form as it stands (evaluation.context_for);
    - a complaint (`intake`) still open is closed with this outcome, in this transaction.

    Refused (nothing written): a body that does not lie at or above the deciding one, or is not
    competent for the new form; dates before the decision; a decision already annulled; a change
    of a decision not enforced (limitation period run out) or of a dissolution carried out (an
    organization is re-established by a restructuring)."""
    if kind not in CorrectionKind.values:
        raise ValidationError({"kind": _("Nội dung quyết định không hợp lệ.")})
    if body not in Body.values:
        raise ValidationError({"body": _("Chưa chọn cơ quan quyết định.")})
    discipline = Discipline.objects.select_for_update().get(pk=discipline.pk)
    corrections = list(discipline.corrections.order_by("decided_on", "id"))
    current = standing_form(discipline, corrections)
    if current is None:
        raise ValidationError({"kind": _("Quyết định kỷ luật này đã bị xóa bỏ.")})
    if not _under_ever(organization.pk, discipline.organization_id):
        raise ValidationError({"organization": _("Chỉ tổ chức đảng đã quyết định kỷ luật hoặc cấp trên của tổ chức đó mới giải quyết, thay đổi "
                                                 "quyết định này.")})
    last = max([discipline.decided_on, *[c.decided_on for c in corrections]])
    _date_order([
        ("decided_on", last, decided_on, _("Ngày quyết định trước quyết định kỷ luật hoặc lần giải quyết trước (%(date)s).") % {"date": fmt(last)}),
        ("effective_on", decided_on, effective_on, _("Ngày có hiệu lực trước ngày quyết định.")),
    ])
    if not clean(decision_number):
        raise ValidationError({"decision_number": _("Chưa nhập số quyết định.")})
    if kind != CorrectionKind.UPHELD and not reason.strip():
        raise ValidationError({"reason": _("Chưa ghi lý do thay đổi hoặc xóa bỏ quyết định kỷ luật.")})
    if kind != CorrectionKind.CHANGED:
        new_form = ""
    if kind != CorrectionKind.UPHELD and discipline.form == Form.DISSOLUTION and discipline.enforced:
        raise ValidationError({"kind": _("Tổ chức đảng đã giải tán: việc thành lập lại tổ chức làm bằng phương án sắp xếp tổ chức; quyết định "
                                         "giải tán không thay đổi ở đây.")})
    if kind == CorrectionKind.CHANGED:
        if not discipline.enforced:
            raise ValidationError({"kind": _("Quyết định không được thi hành vì đã hết thời hiệu; không thay đổi hình thức kỷ luật.")})
        if new_form == current:
            raise ValidationError({"new_form": _("Hình thức mới trùng với hình thức đang áp dụng.")})
        status = member_status_on(discipline.subject_member, discipline.effective_on) if discipline.subject_member_id else None
        if problem := rules.form_problem(new_form, discipline.subject_kind, status):
            raise ValidationError({"new_form": problem})
        if new_form == Form.DISSOLUTION:
            raise ValidationError({"new_form": _("Giải tán tổ chức đảng là một quyết định kỷ luật mới, không ghi bằng thay đổi hình thức.")})
        if problem := rules.competence_problem(new_form, discipline.subject_kind, competence_level(organization.pk, body, decided_on), body,
                                               decided_on):
            raise ValidationError({"body": problem})
    if intake is not None and (intake.kind != IntakeKind.COMPLAINT or intake.closed_on is not None):
        raise ValidationError({"intake": _("Chỉ gắn với đơn khiếu nại kỷ luật chưa giải quyết xong.")})
    correction = DisciplineCorrection.objects.create(
        discipline=discipline, organization=organization, body=body, kind=kind, new_form=new_form or "", wrongful=bool(wrongful),
        reason=reason.strip(), decision_number=clean(decision_number), decided_on=decided_on, effective_on=effective_on, intake=intake,
        created_by=actor if actor and actor.pk else None)
    event = None
    if discipline.enforced and discipline.subject_member_id and kind != CorrectionKind.UPHELD:
        event = _correct_member(actor, discipline, correction, current, restore_to)
        if event is not None:
            DisciplineCorrection.objects.filter(pk=correction.pk).update(member_event=event)
            correction.member_event = event
    if intake is not None:
        close_intake(actor=actor, intake=intake, closed_on=decided_on, outcome=kind)
    audit.record(actor=actor, event_type="inspection.discipline.corrected", target=discipline, organization_id=organization.pk,
                 old={"form": current}, new={"kind": kind, "form": standing_form(discipline, [*corrections, correction]), "wrongful": bool(wrongful),
                                             "decided_on": decided_on, "effective_on": effective_on, "decision_number": correction.decision_number})
    return correction


def _correct_member(actor, discipline: Discipline, correction: DisciplineCorrection, current: str, restore_to):
    """The correction's effect on the member, through the lifecycle on its effective date."""
    member, on = discipline.subject_member, correction.effective_on
    issuing = f"{Body(correction.body).label} {name_on(correction.organization_id, correction.decided_on)}"
    common = {"decision_number": correction.decision_number, "decision_date": correction.decided_on, "issuing_body": issuing,
              "note": _("%(kind)s kỷ luật mã %(pk)s (chức năng kiểm tra).") % {"kind": correction.get_kind_display(), "pk": discipline.pk}}
    new = correction.new_form if correction.kind == CorrectionKind.CHANGED else None
    try:
        if current == Form.EXPULSION and new != Form.EXPULSION:
            cell = restore_to.pk if restore_to is not None else _member_cell_before(member, on)
            restored = members.record_event(actor=actor, member=member, type=EventType.RESTORED, effective_date=on, organization_id=cell, **common)
            if new:  # the lighter form, in force from the same day (the rating reads its event)
                members.record_event(actor=actor, member=member, type=EventType.DISCIPLINED, effective_date=on, discipline_form=new,
                                     breach_on=discipline.breach_started_on, breach_category=discipline.breach_category, **common)
            return restored
        if new == Form.EXPULSION:
            return members.record_event(actor=actor, member=member, type=EventType.EXPELLED, effective_date=on, status=Status.EXPELLED, **common)
    except ValidationError as error:
        fields = {"organization": "restore_to", "effective_date": "effective_on"}
        if hasattr(error, "error_dict"):
            raise ValidationError({fields.get(k, k): v for k, v in error.error_dict.items()}) from None
        raise ValidationError({"effective_on": error.messages}) from None
    return None  # another form changed or annulled: the rating reads the form as it stands


# ---------------------------------------------------------------- denunciations and complaints


@transaction.atomic
def register_intake(*, actor, organization: Organization, body: str, kind: str, received_on: dt.date, channel: str, concerned: str,
                    summary: str = "", sender_name: str = "", sender_contact: str = "", handler: str = "", due_on=None,
                    concerned_member: Member | None = None) -> Intake:
    if not clean(concerned):
        raise ValidationError({"concerned": _("Chưa ghi tổ chức, cá nhân bị tố cáo hoặc khiếu nại.")})
    _date_order([("due_on", received_on, due_on, _("Hạn giải quyết trước ngày nhận đơn."))])
    intake = Intake.objects.create(organization=organization, body=body, kind=kind, received_on=received_on, channel=channel,
                                   concerned=clean(concerned), concerned_member=concerned_member, summary=summary.strip(),
                                   sender_name=clean(sender_name), sender_contact=clean(sender_contact), handler=clean(handler),
                                   due_on=due_on, created_by=actor if actor and actor.pk else None)
    # the sender's identity is never written to the audit trail: only that it was given
    audit.record(actor=actor, event_type="inspection.intake.registered", target=intake, organization_id=organization.pk,
                 new={"kind": kind, "received_on": received_on, "channel": channel, "concerned": intake.concerned,
                      "sender_given": bool(intake.sender_name), "due_on": due_on})
    return intake


@transaction.atomic
def close_intake(*, actor, intake: Intake, closed_on: dt.date, outcome: str, case: Case | None = None) -> Intake:
    allowed = DENUNCIATION_OUTCOMES if intake.kind == IntakeKind.DENUNCIATION else COMPLAINT_OUTCOMES
    if outcome not in allowed:
        raise ValidationError({"outcome": _("Kết quả này không dùng cho loại đơn “%(kind)s”.") % {"kind": intake.get_kind_display()}})
    if closed_on < intake.received_on:
        raise ValidationError({"closed_on": _("Ngày giải quyết xong trước ngày nhận đơn.")})
    if not Intake.objects.filter(pk=intake.pk, closed_on__isnull=True).update(closed_on=closed_on, outcome=outcome, case=case):
        raise ValidationError(_("Đơn này đã được giải quyết xong."))
    intake.closed_on, intake.outcome, intake.case = closed_on, outcome, case
    audit.record(actor=actor, event_type="inspection.intake.closed", target=intake, organization_id=intake.organization_id,
                 new={"closed_on": closed_on, "outcome": outcome})
    return intake


@transaction.atomic
def reveal_sender(*, actor, intake: Intake) -> tuple[str, str]:
    """The denouncer's identity, for the handling body's inspection staff (the view checks who):
    every reading is an audit event."""
    audit.record(actor=actor, event_type="inspection.intake.sender_viewed", target=intake, organization_id=intake.organization_id,
                 new={"viewed": True})
    return intake.sender_name, intake.sender_contact
