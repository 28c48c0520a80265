"""Import and export pages. Thin: scope -> form -> one service -> render or redirect.

Importing needs "members.import" on an organization of the user's scope, exporting
"data.export"; outside the scope every page answers 404, without the permission 403.
"""

import datetime as dt
import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRefresh

from coso.access.scope import scope_for
from coso.access.services import log_export
from coso.lib import downloads, excel
from coso.lib.dates import fmt
from coso.lib.forms import apply_service_error
from coso.organizations import selectors as organizations
from coso.organizations.permissions import get_organization_for_user
from coso.organizations.workday import working_day

from . import selectors, services
from .exports import MemberExport, template_workbook
from .forms import CommitForm, MappingForm, UploadForm
from .models import ImportJob
from .permissions import IMPORT, get_job_for_user
from .validation import Cells

EXPORT = "data.export"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def index(request):
    """The user's own organization's import page, or (whole-tree users) the roots to choose from."""
    scope = scope_for(request)
    if scope.root_id:
        return redirect("imports:upload", pk=scope.root_id)
    return render(request, "imports/index.html", {"roots": organizations.roots(scope, timezone.localdate())})


@require_http_methods(["GET", "POST"])
def upload(request, pk):
    organization = get_organization_for_user(request, pk, write=IMPORT)
    today = timezone.localdate()
    placement = organizations.display_placement(organization.pk, today)
    cells = Cells(organization, today, scope_for(request))
    form = UploadForm(request.POST or None, request.FILES or None, cells=cells.cells(),
                      default_cell_id=services.default_cell_on(organization, today, cells=cells))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.create_job(actor=request.user, organization=organization, file_name=upload.name, content=upload.read(),
                                      default_cell_id=form.cleaned_data["default_cell"])
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            return redirect("imports:mapping", pk=job.pk)
    context = {
        "organization": organization, "placement": placement, "form": form, "jobs": selectors.recent_jobs(organization),
        "can_export": scope_for(request).can(EXPORT), "today": fmt(today),
    }
    return render(request, "imports/upload.html", context)


@require_GET
def template(request, pk):
    organization = get_organization_for_user(request, pk, write=IMPORT)
    cells = Cells(organization, timezone.localdate(), scope_for(request)).cells()
    return _attachment(template_workbook([c["name"] for c in cells]), XLSX, "mau-danh-sach-dang-vien.xlsx")


@require_http_methods(["GET", "POST"])
def mapping(request, pk):
    job = get_job_for_user(request, pk)
    if job.status not in (ImportJob.Status.MAPPING, ImportJob.Status.READY, ImportJob.Status.FAILED):
        return redirect("imports:job", pk=job.pk)
    cells = Cells(job.organization, job.on or timezone.localdate(), scope_for(request)).cells()
    form = MappingForm(request.POST or None, job=job, cells=cells)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.confirm_mapping(actor=request.user, job=job, mapping=data["mapping"], sheets=data["sheets"], on=data["on"],
                                     default_cell_id=data["default_cell"])
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            return redirect("imports:job", pk=job.pk)
    placement = organizations.display_placement(job.organization_id, timezone.localdate())
    return render(request, "imports/mapping.html", {"job": job, "form": form, "placement": placement, "layout": job.layout})


def ranges_text(ranges: list[list[int]]) -> str:
    """[[5, 120], [122, 122]] -> "5–120, 122"."""
    return ", ".join(f"{a}–{b}" if b > a else f"{a}" for a, b in ranges)


def _job_context(request, job: ImportJob) -> dict:
    report = job.report or {}
    result = job.result or {}
    placement = organizations.display_placement(job.organization_id, timezone.localdate())
    problems = report.get("problems", [])
    return {
        "job": job, "placement": placement, "report": report, "result": result,
        "taken": [(sheet, ranges_text(r)) for sheet, r in result.get("taken", {}).items()],
        "not_taken": [(sheet, ranges_text(r)) for sheet, r in result.get("not_taken", {}).items()],
        "errors": [p for p in problems if p["level"] == "error"],
        "warnings": [p for p in problems if p["level"] == "warning"],
        "on": dt.date.fromisoformat(report["on"]) if report.get("on") else job.on,
        "percent": min(100, round(100 * job.progress / job.total)) if job.total else 0,
    }


@require_GET
def job(request, pk):
    job = get_job_for_user(request, pk)
    services.recover_if_stale(job)
    if job.status == ImportJob.Status.MAPPING:
        return redirect("imports:mapping", pk=job.pk)
    return render(request, "imports/job.html", _job_context(request, job))


@require_GET
def progress(request, pk):
    """Polled by the job page while a step runs; when it ends, the page reloads itself."""
    job = get_job_for_user(request, pk)
    services.recover_if_stale(job)  # its process died while the user watched: the page says so
    if not job.running:
        if request.htmx:
            return HttpResponseClientRefresh()
        return redirect("imports:job", pk=job.pk)
    return render(request, "imports/job.html#progress", _job_context(request, job))


@require_http_methods(["GET", "POST"])
def commit(request, pk):
    """POST decides; a GET (a reloaded or bookmarked address) goes back to the job page."""
    job = get_job_for_user(request, pk)
    if request.method == "GET":
        return redirect("imports:job", pk=job.pk)
    form = CommitForm(request.POST)
    if not form.is_valid():
        for error in form.non_field_errors() or [_("Yêu cầu không hợp lệ.")]:
            messages.error(request, error)
        return redirect("imports:job", pk=job.pk)
    try:
        services.request_commit(actor=request.user, job=job, mode=form.cleaned_data["mode"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("imports:job", pk=job.pk)


@require_http_methods(["GET", "POST"])
def cancel(request, pk):
    job = get_job_for_user(request, pk)
    if request.method == "GET":
        return redirect("imports:job", pk=job.pk)
    try:
        services.cancel_job(actor=request.user, job=job)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("imports:job", pk=job.pk)
    messages.info(request, _("Đã hủy lần nhập %(file)s; không ghi gì.") % {"file": job.file_name})
    return redirect("imports:upload", pk=job.organization_id)


@require_GET
def export_members(request):
    """The members of an organization's subtree on a date (?to_chuc=<id>&ngay=dd/mm/yyyy),
    as .xlsx (default) or .csv (&dinh_dang=csv): the parameters of the member list."""
    scope = scope_for(request)
    raw = request.GET.get("to_chuc") or scope.root_id
    try:
        organization_id = int(raw)
    except (TypeError, ValueError):
        raise Http404 from None
    organization = get_organization_for_user(request, organization_id, write=EXPORT)
    day = working_day(request)  # the scope's last day when it has ended
    if not day.ok:  # back to the list, which says what is wrong with the date
        return redirect(f"{reverse('members:list')}?{request.GET.urlencode()}")
    on = day.on
    file_format = "csv" if request.GET.get("dinh_dang") == "csv" else "xlsx"
    exporter = MemberExport(scope=scope, organization=organization, on=on)
    if file_format == "csv":
        def produce():
            return excel.write_csv(columns=exporter.out_columns(), rows=exporter.rows())
        content_type = "text/csv; charset=utf-8"
    else:
        def produce():
            return excel.write_xlsx(sheet=_("Đảng viên"), columns=exporter.out_columns(), rows=exporter.rows(), title=exporter.title())
        content_type = XLSX
    filename = f"dang-vien-{re.sub(r'[^A-Za-z0-9_-]+', '-', organization.code)}-{on:%Y%m%d}.{file_format}"
    try:
        response, count = downloads.attachment(produce, filename=filename, content_type=content_type)
    except downloads.ExportFailed as error:
        return downloads.failed(request, error)
    log_export(user=request.user, kind=exporter.kind, file_format=file_format, rows=count, organization_id=organization.pk,
               sensitive=exporter.sensitive, parameters={"to_chuc": organization.pk, "ngay": fmt(on)})
    return response
