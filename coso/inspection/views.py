"""Inspection pages. Thin: scope → the record through permissions.get_<thing>_for_user (404
outside the scope, 403 without "inspection.view" or the write asked) → form → one service →
render or redirect. Organization staff and leaders hold only "inspection.counts": the report's
figures, never a case's page or file.
"""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coso.access.scope import scope_for
from coso.access.services import log_export
from coso.lib import downloads
from coso.lib.forms import apply_service_error
from coso.measures import engine
from coso.measures.catalog import MEASURES, family
from coso.members.permissions import visible_members
from coso.organizations.workday import working_day
from coso.people.models import Person
from coso.people.selectors import name_q

from . import exports, selectors, services
from . import permissions as perms
from .choices import FileKind, Form, SubjectKind
from .forms import (
    CaseForm,
    CloseIntakeForm,
    ConcludeForm,
    CorrectionForm,
    DisciplineForm,
    FileForm,
    IntakeForm,
    PlanForm,
    PlanItemForm,
    RecommendationForm,
    RemedyForm,
    ReportForm,
    StageForm,
)
from .rules import SETTINGS, allowed_forms

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _int_param(request, name: str) -> int | None:
    raw = request.GET.get(name) or request.POST.get(name) or ""
    return int(raw) if raw.isdigit() else None


def _today(request) -> dt.date:
    return working_day(request).on


def _page(request, qs, size=50):
    return Paginator(qs, size).get_page(request.GET.get("trang"))


# ---------------------------------------------------------------- cases


@require_GET
def case_list(request):
    scope = scope_for(request)
    scope.require(perms.VIEW)
    on = _today(request)
    page = _page(request, selectors.cases(scope))
    return render(request, "inspection/cases.html", {
        "page": page, "on": on, "overdue_cases": selectors.overdue_cases(scope, on)[:50],
        "overdue_recommendations": list(selectors.overdue_recommendations(scope, on)[:50]),
        "can_manage": scope.can(perms.MANAGE)})


@require_GET
def member_options(request):
    """<option>s of the member picker: members the user's scope sees, by name."""
    scope = scope_for(request)
    scope.require(perms.VIEW)
    q = name_q(request.GET.get("q", ""))
    members = []
    if q:
        persons = Person.objects.filter(q).values("pk")
        members = list(visible_members(scope).filter(person__in=persons).select_related("person").order_by("person__name_order", "id")[:30])
    return render(request, "inspection/member_options.html", {"members": members})


@require_http_methods(["GET", "POST"])
def case_create(request):
    scope = scope_for(request)
    scope.require(perms.MANAGE)
    initial = {"organization": _int_param(request, "to_chuc") or scope.root_id, "decided_on": _today(request)}
    if initial["organization"] is not None and request.method == "GET":
        scope.check(initial["organization"])
    form = CaseForm(request.POST or None, scope=scope, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.open_case(actor=request.user, **form.service_arguments())
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Đã ghi cuộc kiểm tra, giám sát."))
            return redirect("inspection:case", pk=case.pk)
    return render(request, "inspection/case_form.html", {"form": form})


@require_GET
def case_detail(request, pk):
    case = perms.get_case_for_user(request, pk)
    scope = scope_for(request)
    on = _today(request)
    return render(request, "inspection/case.html", {
        "case": case, "on": on, "overdue_stage": case.overdue_stage(on),
        "recommendations": [(r, r.overdue_on(on)) for r in case.recommendations.all()],
        "files": case.files.all(), "disciplines": case.disciplines.all(),
        "can_manage": scope.can(perms.MANAGE), "can_decide": scope.can(perms.DECIDE),
        "stage_form": StageForm(initial={"on": on}), "conclude_form": ConcludeForm(initial={"concluded_on": on}),
        "recommend_form": RecommendationForm(), "file_form": FileForm()})


def _case_action(request, pk, form_class, act, *, perm=True, initial=None, template="inspection/case_action.html", title=""):
    case = perms.get_case_for_user(request, pk, write=perm)
    form = form_class(request.POST or None, request.FILES or None, initial=initial or {})
    if request.method == "POST" and form.is_valid():
        try:
            act(case, form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            return redirect("inspection:case", pk=case.pk)
    return render(request, template, {"case": case, "form": form, "title": title}, status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
def case_stage(request, pk):
    return _case_action(request, pk, StageForm, lambda case, d: services.advance_stage(actor=request.user, case=case, on=d["on"]),
                        initial={"on": _today(request)}, title=_("Chuyển giai đoạn"))


@require_http_methods(["GET", "POST"])
def case_conclude(request, pk):
    return _case_action(request, pk, ConcludeForm, lambda case, d: services.conclude_case(actor=request.user, case=case, **d),
                        initial={"concluded_on": _today(request)}, title=_("Kết luận"))


@require_http_methods(["GET", "POST"])
def case_recommend(request, pk):
    return _case_action(request, pk, RecommendationForm, lambda case, d: services.add_recommendation(actor=request.user, case=case, **d),
                        title=_("Kiến nghị"))


@require_http_methods(["GET", "POST"])
def case_upload(request, pk):
    def act(case, d):
        upload = d["file"]
        services.attach_file(actor=request.user, case=case, kind=d["kind"], name=upload.name, content=upload.read(),
                             content_type=upload.content_type or "application/octet-stream")

    return _case_action(request, pk, FileForm, act, initial={"kind": FileKind.OTHER}, title=_("Thêm tài liệu"))


@require_http_methods(["GET", "POST"])
def remedy(request, pk):
    rec = perms.get_recommendation_for_user(request, pk, write=True)
    form = RemedyForm(request.POST or None, initial={"remedied_on": _today(request)})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_remedy(actor=request.user, recommendation=rec, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            return redirect("inspection:case", pk=rec.case_id)
    return render(request, "inspection/case_action.html", {"case": rec.case, "form": form, "title": _("Ghi nhận khắc phục"),
                                                           "context": rec.text})


@require_GET
def download(request, pk):
    """A case's file, to inspection staff of the subtree only; each reading audited."""
    found = perms.get_file_for_user(request, pk)
    try:
        handle = open(services.file_path(found.stored_name), "rb")  # noqa: SIM115 - FileResponse closes it
    except FileNotFoundError:
        raise Http404 from None
    services.record_file_view(actor=request.user, case_file=found)
    return FileResponse(handle, as_attachment=True, filename=found.name, content_type=found.content_type)


# ---------------------------------------------------------------- discipline


@require_http_methods(["GET", "POST"])
def discipline_create(request, pk):
    """Decide discipline on the case's subject; the limitation status is shown before the
    decision (?xem=1 recomputes it from the dates typed, without deciding)."""
    case = perms.get_case_for_user(request, pk, write=perms.DECIDE)
    on = _today(request)
    form = DisciplineForm(request.POST or None, initial={"decided_on": on, "effective_on": on, "form": Form.WARNING,
                                                         "body": case.body},
                          scope=scope_for(request), organization_subject=case.subject_kind == SubjectKind.ORGANIZATION)
    subject = case.subject_member if case.subject_kind == SubjectKind.MEMBER else case.subject_organization
    status = services.member_status_on(case.subject_member, on) if case.subject_member_id else None
    form.fields["form"].choices = [(f.value, f.label) for f in allowed_forms(case.subject_kind, status)]
    limitation = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        limitation = services.limitation_for(subject_kind=case.subject_kind, subject=subject, form=d["form"],
                                             breach_started_on=d["breach_started_on"], breach_ended_on=d["breach_ended_on"],
                                             no_limit_categories=d["no_limit_categories"], on=d["decided_on"])
        if "decide" in request.POST:
            try:
                discipline = services.decide_discipline(
                    actor=request.user, organization=case.organization, case=case, subject_kind=case.subject_kind,
                    subject_member=case.subject_member, subject_organization=case.subject_organization, **d)
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                if discipline.enforced:
                    messages.success(request, _("Đã ghi quyết định kỷ luật và thi hành."))
                else:
                    messages.warning(request, discipline.limitation_text)
                return redirect("inspection:discipline", pk=discipline.pk)
    return render(request, "inspection/discipline_form.html", {
        "case": case, "form": form, "limitation": limitation, "settings": SETTINGS}, status=400 if request.method == "POST" and form.errors else 200)


@require_GET
def discipline_detail(request, pk):
    discipline = perms.get_discipline_for_user(request, pk)
    corrections = list(discipline.corrections.select_related("organization", "member_event").order_by("decided_on", "id"))
    standing = services.standing_form(discipline, corrections)
    for c in corrections:  # the deciding organization's name as it stood (a handful a decision)
        c.organization_label = services.name_on(c.organization_id, c.decided_on)
    return render(request, "inspection/discipline.html", {
        "discipline": discipline, "corrections": corrections, "standing": standing, "standing_label": Form(standing).label if standing else "",
        "can_decide": scope_for(request).can(perms.DECIDE)})


@require_http_methods(["GET", "POST"])
def discipline_correct(request, pk):
    """A later decision on the discipline: a complaint upheld, the form changed or the decision
    annulled (a superior; 117-QĐ/TW restoration after wrongful discipline). Adds a dated record;
    the decision keeps its own."""
    discipline = perms.get_discipline_for_user(request, pk, write=perms.DECIDE)
    scope = scope_for(request)
    on = _today(request)
    status = services.member_status_on(discipline.subject_member, discipline.effective_on) if discipline.subject_member_id else None
    choices = [f for f in allowed_forms(discipline.subject_kind, status) if f != Form.DISSOLUTION]
    form = CorrectionForm(request.POST or None, scope=scope, forms_allowed=choices, member_subject=bool(discipline.subject_member_id),
                          initial={"organization": scope.root_id, "body": discipline.body, "decided_on": on, "effective_on": on})
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_discipline(actor=request.user, discipline=discipline, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Đã ghi quyết định giải quyết, thay đổi kỷ luật."))
            return redirect("inspection:discipline", pk=discipline.pk)
    return render(request, "inspection/discipline_correct.html", {"discipline": discipline, "form": form},
                  status=400 if request.method == "POST" else 200)


# ---------------------------------------------------------------- plans


@require_GET
def plan_list(request):
    scope = scope_for(request)
    scope.require(perms.VIEW)
    return render(request, "inspection/plans.html", {"page": _page(request, selectors.plans(scope)), "can_manage": scope.can(perms.MANAGE)})


@require_http_methods(["GET", "POST"])
def plan_create(request):
    scope = scope_for(request)
    scope.require(perms.MANAGE)
    year = _today(request).year
    form = PlanForm(request.POST or None, scope=scope, initial={"organization": scope.root_id, "starts_on": dt.date(year, 1, 1),
                                                                  "ends_on": dt.date(year, 12, 31)})
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            return redirect("inspection:plan", pk=plan.pk)
    return render(request, "inspection/form.html", {"form": form, "title": _("Chương trình kiểm tra, giám sát mới"),
                                                    "back": "inspection:plans"})


@require_GET
def plan_detail(request, pk):
    plan = perms.get_plan_for_user(request, pk)
    scope = scope_for(request)
    states, unplanned = selectors.plan_state(plan)
    counts = {k: sum(1 for s in states if s.state == k) for k in (selectors.DONE, selectors.IN_PROGRESS, selectors.NOT_STARTED)}
    return render(request, "inspection/plan.html", {"plan": plan, "states": states, "unplanned": unplanned, "counts": counts,
                                                    "item_form": PlanItemForm(), "can_manage": scope.can(perms.MANAGE)})


@require_http_methods(["GET", "POST"])
def plan_item_add(request, pk):
    plan = perms.get_plan_for_user(request, pk, write=True)
    form = PlanItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_plan_item(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            return redirect("inspection:plan", pk=plan.pk)
    return render(request, "inspection/form.html", {"form": form, "title": _("Thêm nội dung vào chương trình"), "back": "inspection:plans"})


# ---------------------------------------------------------------- denunciations and complaints


@require_GET
def intake_list(request):
    scope = scope_for(request)
    scope.require(perms.VIEW)
    return render(request, "inspection/intakes.html", {"page": _page(request, selectors.intakes(scope)), "can_manage": scope.can(perms.MANAGE),
                                                       "on": _today(request)})


@require_http_methods(["GET", "POST"])
def intake_create(request):
    scope = scope_for(request)
    scope.require(perms.MANAGE)
    form = IntakeForm(request.POST or None, scope=scope, initial={"organization": scope.root_id, "received_on": _today(request)})
    if request.method == "POST" and form.is_valid():
        try:
            intake = services.register_intake(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            return redirect("inspection:intake", pk=intake.pk)
    return render(request, "inspection/form.html", {"form": form, "title": _("Tiếp nhận đơn tố cáo, khiếu nại"), "back": "inspection:intakes"})


@require_GET
def intake_detail(request, pk):
    intake = perms.get_intake_for_user(request, pk)
    scope = scope_for(request)
    return render(request, "inspection/intake.html", {
        "intake": intake, "may_see_sender": perms.may_see_identity(scope, intake), "can_manage": scope.can(perms.MANAGE),
        "close_form": CloseIntakeForm(kind=intake.kind, initial={"closed_on": _today(request)}) if intake.closed_on is None else None})


@require_http_methods(["GET", "POST"])
def intake_close(request, pk):
    intake = perms.get_intake_for_user(request, pk, write=True)
    form = CloseIntakeForm(request.POST or None, kind=intake.kind, initial={"closed_on": _today(request)})
    if request.method == "POST" and form.is_valid():
        try:
            services.close_intake(actor=request.user, intake=intake, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            return redirect("inspection:intake", pk=intake.pk)
    return render(request, "inspection/form.html", {"form": form, "title": _("Giải quyết đơn"), "back": "inspection:intakes"})


@require_http_methods(["GET", "POST"])
def intake_sender(request, pk):
    """The denouncer's identity: inspection staff of the handling body only, each view audited
    (a POST: a reading that writes its audit row; a GET goes back to the intake's page)."""
    intake = perms.get_intake_for_user(request, pk)
    if not perms.may_see_identity(scope_for(request), intake):
        raise PermissionDenied
    if request.method == "GET":
        return redirect("inspection:intake", pk=intake.pk)
    name, contact = services.reveal_sender(actor=request.user, intake=intake)
    return render(request, "inspection/intake.html", {"intake": intake, "sender": (name, contact), "may_see_sender": True})


# ---------------------------------------------------------------- the report


def _report_input(request):
    scope = scope_for(request)
    if not perms.can_count(scope):
        raise PermissionDenied
    on = _today(request)
    data = request.GET if "to_chuc" in request.GET else None
    form = ReportForm(data and {"organization": data.get("to_chuc"), "period": data.get("ky", "year"), "year": data.get("nam"),
                                "month": data.get("thang") or None, "term_from": data.get("nhiem_ky") or None},
                      scope=scope, initial={"organization": scope.root_id, "year": on.year, "period": "year"})
    if data is None or not form.is_valid():
        return scope, form, None, None
    d = form.cleaned_data
    return scope, form, d["organization"], exports.period_of(d["period"], d["year"], d["month"], d["term_from"])


@require_GET
def report(request):
    scope, form, organization, period = _report_input(request)
    sections = None
    if organization is not None:
        try:
            sections = exports.report(organization, period, scope)
        except engine.MeasureError as error:
            form.add_error(None, error)
        else:
            _link(sections, request.GET)
    return render(request, "inspection/report.html", {"form": form, "sections": sections, "organization": organization, "period": period,
                                                      "query": request.GET.urlencode(), "can_view": scope.can(perms.VIEW)})


def _link(sections, params) -> None:
    """Each figure of the period with the query of the records behind it (none for a zero)."""
    for section in sections:
        for line in section.lines:
            line.cells = []
            for i, value in enumerate(line.values):
                link = None
                if i < len(line.links) and value:
                    name, by, key = line.links[i]
                    query = params.copy()
                    query["chi_tieu"], query["theo"], query["khoa"] = name, by or "", "" if key is None else str(key)
                    link = query.urlencode()
                line.cells.append((value, link))


def _export(request, kind):
    scope, form, organization, period = _report_input(request)
    if organization is None:
        raise Http404
    try:
        sections = exports.report(organization, period, scope)
    except engine.MeasureError:
        raise Http404 from None
    name = services.name_on(organization.pk, period[1])
    title = [_("BÁO CÁO KẾT QUẢ CÔNG TÁC KIỂM TRA, GIÁM SÁT VÀ THI HÀNH KỶ LUẬT"), name,
             _("Từ ngày %(start)s đến ngày %(end)s") % {"start": period[0].strftime("%d/%m/%Y"), "end": period[1].strftime("%d/%m/%Y")}]
    if kind == "xlsx":
        produce, filename, content_type = (lambda: exports.workbook(sections, title)), "bao-cao-kiem-tra.xlsx", XLSX
    else:
        produce = lambda: exports.pdf(sections, organization_name=name, period=period, issued=timezone.localdate())  # noqa: E731
        filename, content_type = "bao-cao-kiem-tra.pdf", "application/pdf"
    try:
        response, count = downloads.attachment(produce, filename=filename, content_type=content_type)
    except downloads.ExportFailed as error:
        return downloads.failed(request, error)
    log_export(user=request.user, kind="inspection.report", file_format=kind, rows=count, organization_id=organization.pk,
               parameters={"start": str(period[0]), "end": str(period[1])})
    return response


@require_GET
def report_xlsx(request):
    return _export(request, "xlsx")


@require_GET
def report_pdf(request):
    return _export(request, "pdf")


@require_GET
def report_rows(request):
    """The records behind one figure of the report (inspection staff only: contents)."""
    scope, form, organization, period = _report_input(request)
    scope.require(perms.VIEW)
    name = request.GET.get("chi_tieu", "")
    if organization is None or name not in MEASURES or not name.startswith("inspection."):
        raise Http404
    by = request.GET.get("theo") or None
    key = request.GET.get("khoa") or None
    if by == "child" and key is not None:
        key = int(key) if key.isdigit() else None
    fam = family(name)
    try:
        qs = engine.rows(name, organization, by=by, key=key, scope=scope,
                         **({"period": period} if fam.over_period else {"on": period[1]}))
    except engine.MeasureError:
        raise Http404 from None
    page = _page(request, fam.order(qs))
    return render(request, "inspection/report_rows.html", {"page": page, "measure": MEASURES[name], "organization": organization,
                                                           "period": period, "model": qs.model._meta.model_name})

