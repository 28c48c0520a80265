"""Pages of targets: a document's dashboard, a target's progress and chart, the cascade, reviews
with their Excel and PDF, aggregate entry."""

from collections import Counter
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coso.access.scope import scope_for
from coso.access.services import log_export
from coso.lib import downloads
from coso.lib.dates import fmt
from coso.lib.forms import apply_service_error
from coso.organizations.permissions import get_organization_for_user
from coso.organizations.selectors import (
    display_placement,
    organization_names,
    requested_organization_id,
)
from coso.organizations.workday import working_day
from coso.resolutions.permissions import get_document_for_user

from . import aggregates, exports, progress, services
from .forms import AggregateEntryForm, InheritForm, ReportForm, ReviewForm, TargetForm
from .models import AggregateReport, Review, Target
from .permissions import CHANGE, VIEW, figures_for, get_review_for_user, get_target_for_user


def drill_url(p: progress.Progress) -> str:
    """The records behind the value (the reports' figure page), for a computed value."""
    if p.value is None or not p.computed or p.as_of is None or p.followed:
        return ""  # (a figure followed on a successor adds two trees' records: no one page lists them)
    params = {"chi_tieu": p.target.numerator, "to_chuc": p.organization_id, "ngay": fmt(p.as_of)}
    if p.period is not None and progress.over_period(p.target):
        params.update({"tu_ngay": fmt(p.period[0]), "den_ngay": fmt(p.period[1])})
    return f"{reverse('reports:figure')}?{urlencode(params)}"


def _document_targets(document, organization_id: int) -> list[Target]:
    """The issuer's targets of the document, each replaced by the organization's own (inherited,
    perhaps stricter) target of the same code when it has one."""
    targets = list(Target.objects.filter(document=document, organization_id=document.organization_id).order_by("order", "id"))
    if organization_id != document.organization_id:
        own = {t.code: t for t in Target.objects.filter(document=document, organization_id=organization_id)}
        targets = [own.get(t.code, t) for t in targets]
    return targets


@require_GET
def document(request, pk):
    doc = get_document_for_user(request, pk)
    scope = scope_for(request)
    scope.require(VIEW)
    day = working_day(request)
    organization_id = figures_for(scope, doc.organization_id)
    found = progress.evaluate_all(_document_targets(doc, organization_id), organization_id, day.on, scope) if organization_id else []
    for p in found:
        p.url = drill_url(p)
    computed = [p for p in found if p.computed]
    reported = [p for p in found if not p.computed]
    counts = Counter(p.status for p in found)
    statuses = [(s, s.label, counts.get(s, 0)) for s in progress.Status if counts.get(s, 0)]
    can_change = scope.can(CHANGE) and scope.contains(doc.organization_id)
    return render(request, "targets/document.html", {
        "document": doc, "workday": day, "computed": computed, "reported": reported, "total": len(found),
        "reached": sum(p.reached for p in found), "statuses": statuses, "can_change": can_change,
        "placement": display_placement(organization_id, day.on) if organization_id else None,
        "own_figures": organization_id == doc.organization_id,
        "reviews": Review.objects.filter(document=doc, organization_id=organization_id).order_by("-on", "-id"),
        "review_form": ReviewForm(initial={"on": day.on}) if can_change else None,
    })


@require_http_methods(["GET", "POST"])
def create(request, pk):
    doc = get_document_for_user(request, pk, write=CHANGE)
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            target = services.create_target(actor=request.user, document=doc, **form.service_arguments())
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Đã thêm chỉ tiêu %(code)s.") % {"code": target.code})
            return redirect("targets:document", pk=doc.pk)
    return render(request, "targets/create.html", {"document": doc, "form": form})


@require_GET
def detail(request, pk):
    target = get_target_for_user(request, pk)
    scope = scope_for(request)
    day = working_day(request)
    organization_id = figures_for(scope, target.organization_id)
    trees = progress.Trees(organization_id, scope)
    p = progress.evaluate(target, day.on, trees)
    p.url = drill_url(p)
    points = progress.series(target, day.on, trees)
    chart = {"labels": [fmt(d) for d, _v, _e in points], "values": [float(v) if v is not None else None for _d, v, _e in points],
             "expected": [float(e) if e is not None else None for _d, _v, e in points],
             "threshold": float(target.threshold), "value_label": _("Thực tế"), "expected_label": _("Lộ trình dự kiến"),
             "threshold_label": _("Mức chỉ tiêu")}
    can_change = scope.can(CHANGE) and scope.contains(target.organization_id)
    lower_can_inherit = scope.can(CHANGE) and target.parent_id is None
    return render(request, "targets/detail.html", {
        "target": target, "progress": p, "workday": day, "chart": chart, "has_chart": bool(points),
        "reported_values": target.reported.select_related("reported_by").order_by("-on", "-id") if not target.computed else [],
        "report_form": ReportForm(initial={"on": day.on}) if can_change and not target.computed else None,
        "inherit_form": InheritForm(scope=scope) if lower_can_inherit else None,
        "placement": display_placement(organization_id, day.on) if organization_id else None,
        "inherited": Target.objects.filter(parent=target).count(),
    })


def report(request, pk):
    target = get_target_for_user(request, pk, write=True)
    if request.method != "POST":  # the access check first: a sibling's id answers 404 to any method
        return HttpResponseNotAllowed(["POST"])
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            services.report_value(actor=request.user, target=target, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
    _flash(request, form, _("Đã ghi số liệu báo cáo."))
    return redirect("targets:detail", pk=target.pk)


def inherit(request, pk):
    target = get_target_for_user(request, pk)
    if request.method != "POST":  # the access check first: a sibling's id answers 404 to any method
        return HttpResponseNotAllowed(["POST"])
    scope = scope_for(request)
    scope.require(CHANGE)
    form = InheritForm(request.POST, scope=scope)
    if form.is_valid():
        scope.check(form.cleaned_data["organization"].pk, write=CHANGE)
        try:
            services.inherit_target(actor=request.user, target=target, on=working_day(request).on, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
    _flash(request, form, _("Tổ chức cấp dưới đã nhận chỉ tiêu."))
    return redirect("targets:detail", pk=target.pk)


def _flash(request, form, success: str) -> None:
    if form.errors:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    else:
        messages.success(request, success)


@require_GET
def cascade(request, pk):
    """The superior's view: each lower organization against the target, who meets it and who not."""
    target = get_target_for_user(request, pk)
    scope = scope_for(request)
    day = working_day(request)
    root_id = figures_for(scope, target.organization_id)
    if root_id is None:
        raise Http404
    try:
        rows, period = progress.cascade(target, root_id, day.on, scope)
    except progress.engine.MeasureError as error:
        rows, period = [], None
        messages.error(request, " ".join(error.messages))
    return render(request, "targets/cascade.html", {
        "target": target, "rows": rows, "period": period, "workday": day, "reached": sum(r.reached for r in rows),
        "missing": [r for r in rows if not r.reached], "placement": display_placement(root_id, day.on),
        "pending": progress.missing_measures(target),
    })


def review_create(request, pk):
    doc = get_document_for_user(request, pk, write=CHANGE)
    if request.method != "POST":  # the access check first: a sibling's id answers 404 to any method
        return HttpResponseNotAllowed(["POST"])
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            review = services.prepare_review(actor=request.user, document=doc, organization=doc.organization, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            return redirect("targets:review", pk=review.pk)
    _flash(request, form, "")
    return redirect("targets:document", pk=doc.pk)


@require_http_methods(["GET", "POST"])
def review(request, pk):
    item = get_review_for_user(request, pk, write=CHANGE if request.method == "POST" else False)
    scope = scope_for(request)
    lines = list(item.lines.select_related("target").order_by("order"))
    if request.method == "POST":
        comments = {line.pk: request.POST.get(f"line-{line.pk}", line.comment) for line in lines}
        try:
            services.comment_review(actor=request.user, review=item, comment=request.POST.get("comment", ""), comments=comments)
        except ValidationError as error:
            for e in error.messages:
                messages.error(request, e)
        else:
            messages.success(request, _("Đã lưu nhận xét."))
        return redirect("targets:review", pk=item.pk)
    differences = []
    if item.state == Review.State.ADOPTED and request.GET.get("tinh_lai"):
        now = {p.target.pk: p for p in progress.evaluate_all([line.target for line in lines], item.organization_id, item.on)}
        differences = [(line, now[line.target_id]) for line in lines
                       if line.computed and (now[line.target_id].value != line.value or now[line.target_id].status != line.status)]
    for line in lines:
        line.status_label = progress.Status(line.status).label
    can_change = scope.can(CHANGE) and scope.contains(item.organization_id)
    return render(request, "targets/review.html", {
        "review": item, "lines": lines, "can_change": can_change, "draft": item.state == Review.State.DRAFT,
        "differences": differences, "recomputed": bool(request.GET.get("tinh_lai")),
    })


def review_adopt(request, pk):
    item = get_review_for_user(request, pk, write=True)
    if request.method != "POST":  # the access check first: a sibling's id answers 404 to any method
        return HttpResponseNotAllowed(["POST"])
    try:
        services.adopt_review(actor=request.user, review=item)
    except ValidationError as error:
        for e in error.messages:
            messages.error(request, e)
    else:
        messages.success(request, _("Đã thông qua: số liệu của bảng được giữ nguyên từ nay."))
    return redirect("targets:review", pk=item.pk)


def _export(request, pk, file_format: str):
    item = get_review_for_user(request, pk)
    scope = scope_for(request)
    scope.require("data.export")
    make = exports.review_xlsx if file_format == "xlsx" else exports.review_pdf
    content_type = exports.XLSX if file_format == "xlsx" else "application/pdf"
    try:
        response, rows = downloads.attachment(lambda: make(item), filename=exports.filename(item, file_format), content_type=content_type)
    except downloads.ExportFailed as error:
        return downloads.failed(request, error)
    log_export(user=request.user, kind="targets.review", file_format=file_format, rows=rows, organization_id=item.organization_id,
               parameters={"review": item.pk})
    return response


@require_GET
def review_xlsx(request, pk):
    return _export(request, pk, "xlsx")


@require_GET
def review_pdf(request, pk):
    return _export(request, pk, "pdf")


@require_http_methods(["GET", "POST"])
def aggregate(request):
    """Aggregate entry: numbers a lower level sends, checked by the form's rules before they are kept."""
    scope = scope_for(request)
    scope.require(VIEW)
    organization_id = requested_organization_id(request, default=scope.root_id)
    if organization_id is None:
        raise Http404
    organization = get_organization_for_user(request, organization_id, write=CHANGE if request.method == "POST" else False)
    definition = aggregates.FORMS.get(request.GET.get("mau") or "organizations")
    if definition is None:
        raise Http404
    day = working_day(request)
    form = AggregateEntryForm(request.POST or None, definition=definition, initial={"on": day.on})
    if request.method == "POST" and form.is_valid():
        try:
            services.accept_aggregate(actor=request.user, organization=organization, form_code=definition.code,
                                      on=form.cleaned_data["on"], reporter=form.cleaned_data["reporter"], values=form.values())
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Đã nhận số liệu tổng hợp."))
            return redirect(f"{request.path}?to_chuc={organization.pk}&mau={definition.code}")
    try:
        computed = aggregates.computed(definition, organization.pk, day.on, scope)  # the page's one engine call
        computed_check = aggregates.failing(definition, computed)
    except progress.engine.MeasureError:
        computed_check, computed = [], {}
    reports = AggregateReport.objects.filter(organization=organization, form=definition.code).order_by("-on", "-id")[:20]
    return render(request, "targets/aggregate.html", {
        "form": form, "definition": definition, "definitions": aggregates.FORMS.values(), "organization": organization,
        "placement": display_placement(organization.pk, day.on), "workday": day, "computed_check": computed_check,
        "computed": [(f.label, computed.get(f.name)) for f in definition.fields], "reports": reports,
        "names": organization_names([organization.pk]), "can_change": scope.can(CHANGE) and scope.contains(organization.pk),
    })

