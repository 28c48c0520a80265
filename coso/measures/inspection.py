"""The figures of inspection, supervision and discipline (issue 15, point 6).

Families over a period, each counting one kind of inspection record by its own date, under the
organization of the body that acts as the tree stood on that date (like the ratings family):

- inspection_cases: cases decided in the period (organizations and members inspected or
  supervised), by work type, acting body and subject kind;
- inspection_conclusions: cases concluded in the period, violations found, discipline considered;
- inspection_disciplines: disciplinary decisions in the period, by form, body and breach
  category, enforced or not (limitation period run out);
- inspection_intakes: denunciations and disciplinary complaints received in the period;
- inspection_intakes_closed: those handled in the period, by outcome;
- inspection_corrections: later decisions on a discipline in the period (upheld, changed,
  annulled; wrongful discipline and memberships restored under 117-QĐ/TW). The disciplines
  themselves stay counted by their own date: a decision annulled in a later period was decided
  in its own (the history is kept, each figure by the record's date);

and one family on a date: inspection_remedies, the recommendations open or overdue on the day.
The denouncer's identity is no field of any family: it is never counted nor listed.
"""

from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from coso.inspection.choices import (
    INSPECTIONS,
    SUPERVISIONS,
    Body,
    CorrectionKind,
    Form,
    IntakeKind,
    Outcome,
    Stage,
    SubjectKind,
    WorkType,
)
from coso.inspection.models import Case, Discipline, DisciplineCorrection, Intake, Recommendation
from coso.inspection.permissions import VIEW
from coso.members.models import BreachCategory, EventType

from .catalog import MEASURES, Dimension, Measure, register_family
from .dimensions import DIMENSIONS
from .families import Family, child_map, grouped, roll_up, roll_up_over_period
from .tree import Subtree

CASES = "inspection_cases"
CONCLUSIONS = "inspection_conclusions"
DISCIPLINES = "inspection_disciplines"
INTAKES = "inspection_intakes"
INTAKES_CLOSED = "inspection_intakes_closed"
REMEDIES = "inspection_remedies"
CORRECTIONS = "inspection_corrections"

WORK_TYPE, BODY, SUBJECT, FORM, CATEGORY, OUTCOME, CORRECTION = (
    "inspection_work_type", "inspection_body", "inspection_subject", "inspection_form", "inspection_category", "inspection_outcome",
    "inspection_correction")

DIMENSIONS.update({d.name: d for d in [
    Dimension(WORK_TYPE, _("Loại công việc kiểm tra, giám sát"), keys=list(WorkType.choices)),
    Dimension(BODY, _("Chủ thể"), keys=list(Body.choices)),
    Dimension(SUBJECT, _("Đối tượng"), keys=list(SubjectKind.choices)),
    Dimension(FORM, _("Hình thức kỷ luật"), keys=list(Form.choices)),
    Dimension(CATEGORY, _("Nội dung vi phạm"), keys=list(BreachCategory.choices)),
    Dimension(OUTCOME, _("Kết quả giải quyết"), keys=list(Outcome.choices)),
    Dimension(CORRECTION, _("Giải quyết, thay đổi quyết định kỷ luật"), keys=list(CorrectionKind.choices)),
]})

ORG, MEM = Q(subject_kind=SubjectKind.ORGANIZATION), Q(subject_kind=SubjectKind.MEMBER)
COMMISSION = Q(body=Body.COMMISSION)
COMMITTEES = Q(body__in=(Body.COMMITTEE, Body.STANDING, Body.CELL))


def _c(name, label, family, q=None):
    return Measure(name, label, family, q=q)


MEASURES.update({m.name: m for m in [
    _c("inspection.cases", _("Cuộc kiểm tra, giám sát"), CASES),
    _c("inspection.inspections", _("Cuộc kiểm tra"), CASES, Q(work_type__in=INSPECTIONS)),
    _c("inspection.supervisions", _("Cuộc giám sát"), CASES, Q(work_type__in=SUPERVISIONS)),
    _c("inspection.cases.organizations", _("Tổ chức đảng được kiểm tra, giám sát"), CASES, ORG),
    _c("inspection.cases.members", _("Đảng viên được kiểm tra, giám sát"), CASES, MEM),
    _c("inspection.cases.by_committee", _("Do cấp ủy, chi bộ thực hiện"), CASES, COMMITTEES),
    _c("inspection.cases.by_commission", _("Do ủy ban kiểm tra thực hiện"), CASES, COMMISSION),
    *[_c(f"inspection.cases.{code}", label, CASES, Q(work_type=code)) for code, label in WorkType.choices],
    _c("inspection.concluded", _("Cuộc kiểm tra, giám sát đã kết luận"), CONCLUSIONS),
    _c("inspection.violations", _("Kết luận có vi phạm"), CONCLUSIONS, Q(violation_found=True)),
    _c("inspection.violations.organizations", _("Tổ chức đảng có vi phạm"), CONCLUSIONS, Q(violation_found=True) & ORG),
    _c("inspection.violations.members", _("Đảng viên có vi phạm"), CONCLUSIONS, Q(violation_found=True) & MEM),
    _c("inspection.discipline_considered", _("Vi phạm đến mức phải xem xét kỷ luật"), CONCLUSIONS, Q(discipline_considered=True)),
    _c("inspection.disciplined", _("Bị thi hành kỷ luật"), DISCIPLINES, Q(enforced=True)),
    _c("inspection.disciplined.members", _("Đảng viên bị thi hành kỷ luật"), DISCIPLINES, Q(enforced=True) & MEM),
    _c("inspection.disciplined.organizations", _("Tổ chức đảng bị thi hành kỷ luật"), DISCIPLINES, Q(enforced=True) & ORG),
    *[_c(f"inspection.disciplined.{code}", label, DISCIPLINES, Q(enforced=True, form=code)) for code, label in Form.choices],
    _c("inspection.disciplines.expired", _("Hết thời hiệu, không thi hành kỷ luật"), DISCIPLINES, Q(enforced=False)),
    _c("inspection.denunciations", _("Đơn tố cáo nhận được"), INTAKES, Q(kind=IntakeKind.DENUNCIATION)),
    _c("inspection.complaints", _("Đơn khiếu nại kỷ luật nhận được"), INTAKES, Q(kind=IntakeKind.COMPLAINT)),
    _c("inspection.denunciations.handled", _("Đơn tố cáo đã giải quyết"), INTAKES_CLOSED, Q(kind=IntakeKind.DENUNCIATION)),
    _c("inspection.complaints.handled", _("Đơn khiếu nại kỷ luật đã giải quyết"), INTAKES_CLOSED, Q(kind=IntakeKind.COMPLAINT)),
    *[_c(f"inspection.handled.{code}", label, INTAKES_CLOSED, Q(outcome=code)) for code, label in Outcome.choices],
    _c("inspection.corrections", _("Quyết định kỷ luật được giải quyết, xem xét lại"), CORRECTIONS),
    *[_c(f"inspection.corrections.{code}", label, CORRECTIONS, Q(kind=code)) for code, label in CorrectionKind.choices],
    _c("inspection.corrections.wrongful", _("Kỷ luật oan được xóa bỏ, phục hồi quyền lợi (Quy định 117-QĐ/TW)"), CORRECTIONS,
       Q(wrongful=True)),
    _c("inspection.restored", _("Đảng viên được phục hồi đảng tịch"), CORRECTIONS, Q(member_event__type=EventType.RESTORED)),
    _c("inspection.remedies.open", _("Kiến nghị chưa khắc phục xong"), REMEDIES),
    Measure("inspection.remedies.overdue", _("Kiến nghị quá hạn chưa khắc phục"), REMEDIES, special="overdue"),
]})


def contents_allowed(tree: Subtree) -> None:
    """The records behind an inspection figure are case contents: a scope without
    "inspection.view" (organization staff, leaders) gets the figures, never the rows (403), on
    every page that lists them (the reports' figure page included)."""
    if tree.scope is not None and not tree.scope.can(VIEW):
        raise PermissionDenied


class _OverPeriod(Family):
    """Records of one model counted by one of their dates within the period, under the acting
    body's organization as the tree stood on that date: one grouped query."""

    model = None
    date_field = ""
    keys: dict = {}  # breakdown → the field grouped by
    over_period = True
    organization_attr = "organization_id"

    def filtered(self, period):
        start, end = period
        return self.model.objects.filter(**{f"{self.date_field}__gte": start, f"{self.date_field}__lte": end})

    def base(self, tree: Subtree, period=None):
        qs = self.filtered(period)
        if tree.limited:
            qs = qs.filter(organization_id__in=tree.span_ids(*period))
            qs = qs.filter(Exists(tree.placements_on_ref(self.date_field, "organization_id")))
        return qs

    def _keyed(self, qs, by):
        if by == "year":
            return qs.annotate(k=ExtractYear(self.date_field)), ["k"]
        if by in self.keys:
            return qs.annotate(k=F(self.keys[by])), ["k"]
        return qs, []

    def count(self, tree, measures, by, period=None):
        qs, group = self._keyed(self.base(tree, period), by)
        if by == "child":
            group = ["organization_id"]
        counts = {f"m{i}": Count("id", filter=m.q) if m.q is not None else Count("id") for i, m in enumerate(measures)}
        per = {}
        for row in grouped(qs, group, counts):
            per[(row.get("organization_id"), row.get("k"))] = {m.name: row[f"m{i}"] for i, m in enumerate(measures)}
        if by == "child":
            return roll_up_over_period(tree, per, period)
        return roll_up(tree, per, by)

    def rows(self, tree, measure, by, key, period=None):
        contents_allowed(tree)
        qs = self.base(tree, period)
        if measure.q is not None:
            qs = qs.filter(measure.q)
        if by == "child" and key is not None:
            qs = qs.filter(organization_id__in=[o for o, c in child_map(tree, period).items() if c == key])
        elif by == "year" and key is not None:
            qs = qs.filter(**{f"{self.date_field}__year": key})
        elif by in self.keys and key is not None:
            qs = qs.filter(**{self.keys[by]: key})
        return qs

    def order(self, qs):
        return qs.order_by(self.date_field, "id")


@register_family
class Cases(_OverPeriod):
    name = CASES
    model = Case
    date_field = "decided_on"
    keys = {WORK_TYPE: "work_type", BODY: "body", SUBJECT: "subject_kind"}
    breakdowns = ("child", "year", WORK_TYPE, BODY, SUBJECT)


@register_family
class Conclusions(_OverPeriod):
    name = CONCLUSIONS
    model = Case
    date_field = "concluded_on"
    keys = {WORK_TYPE: "work_type", BODY: "body", SUBJECT: "subject_kind"}
    breakdowns = ("child", "year", WORK_TYPE, BODY, SUBJECT)

    def filtered(self, period):
        return super().filtered(period).filter(stage=Stage.CONCLUDED)


@register_family
class Disciplines(_OverPeriod):
    name = DISCIPLINES
    model = Discipline
    date_field = "decided_on"
    keys = {FORM: "form", BODY: "body", SUBJECT: "subject_kind", CATEGORY: "breach_category"}
    breakdowns = ("child", "year", FORM, BODY, SUBJECT, CATEGORY)


@register_family
class Intakes(_OverPeriod):
    name = INTAKES
    model = Intake
    date_field = "received_on"
    keys = {BODY: "body"}
    breakdowns = ("child", "year", BODY)


@register_family
class IntakesClosed(_OverPeriod):
    name = INTAKES_CLOSED
    model = Intake
    date_field = "closed_on"
    keys = {BODY: "body", OUTCOME: "outcome"}
    breakdowns = ("child", "year", BODY, OUTCOME)


@register_family
class Corrections(_OverPeriod):
    """Later decisions on disciplines, by the organization of the body that took them."""

    name = CORRECTIONS
    model = DisciplineCorrection
    date_field = "decided_on"
    keys = {CORRECTION: "kind", BODY: "body"}
    breakdowns = ("child", "year", CORRECTION, BODY)

    def order(self, qs):
        return qs.select_related("discipline").order_by(self.date_field, "id")


@register_family
class Remedies(Family):
    """Recommendations open on the date (due, not remedied by then), under the case's body's
    organization in the subtree on that date; overdue: past their deadline."""

    name = REMEDIES
    organization_attr = "org"

    def base(self, tree: Subtree, period=None):
        on = tree.on
        qs = (Recommendation.objects.filter(case__decided_on__lte=on).filter(Q(remedied_on__isnull=True) | Q(remedied_on__gt=on))
              .annotate(org=F("case__organization_id")))
        if tree.limited:
            qs = qs.filter(case__organization_id__in=tree.organization_ids())
        return qs

    @staticmethod
    def condition(measure: Measure, tree: Subtree) -> Q:
        return Q(due_on__lt=tree.on) if measure.special == "overdue" else Q()

    def count(self, tree, measures, by, period=None):
        group = ["org"] if by == "child" else []
        counts = {f"m{i}": Count("id", filter=self.condition(m, tree)) if m.special else Count("id") for i, m in enumerate(measures)}
        per: dict = defaultdict(dict)
        for row in grouped(self.base(tree), group, counts):
            per[(row.get("org"), None)] = {m.name: row[f"m{i}"] for i, m in enumerate(measures)}
        return roll_up(tree, per, by)

    def rows(self, tree, measure, by, key, period=None):
        contents_allowed(tree)
        qs = self.base(tree).filter(self.condition(measure, tree))
        part = self.part(tree, by, key)
        if part is None:
            return qs.filter(org=tree.root_id)
        if part.limited:
            qs = qs.filter(case__organization_id__in=part.organization_ids())
        return qs

    def order(self, qs):
        return qs.select_related("case").order_by("due_on", "id")
