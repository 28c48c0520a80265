"""Staffing pages. Thin: scope → commune or record through the access helpers (404 outside the
scope, 403 without the permission) → form → one service → render or redirect."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coso.access.scope import scope_for
from coso.lib.forms import apply_service_error
from coso.organizations.workday import working_day
from coso.people.selectors import years_before
from coso.places.models import AdminUnit

from . import selectors, services
from .forms import CompareForm, EmploymentForm, EndForm, QuotaForm
from .permissions import (
    CHANGE,
    VIEW,
    get_commune_for_user,
    get_employment_for_user,
    visible_employments,
    visible_quotas,
)
from .reference import CADRES_AND_CIVIL_SERVANTS, COMMUNE_PART_TIME, PART_TIME_END, Category


@require_GET
def index(request):
    """The communes of the scope that have staffing records, with their headcount against quota on
    the working day: two grouped queries for the page's communes."""
    scope = scope_for(request)
    scope.require(VIEW)
    workday = working_day(request)
    employments, quota_qs = visible_employments(scope), visible_quotas(scope)
    ids = sorted(set(employments.values_list("commune_id", flat=True).distinct()) | set(quota_qs.values_list("commune_id", flat=True).distinct()))
    page = Paginator(AdminUnit.objects.filter(pk__in=ids).select_related("parent").order_by("name_folded", "id"), selectors.PAGE_SIZE).get_page(request.GET.get("trang"))
    rows = list(page.object_list)
    on_page = [c.pk for c in rows]
    counts = selectors.headcount(employments.filter(commune_id__in=on_page), workday.on)
    allotted = selectors.quotas(quota_qs.filter(commune_id__in=on_page), workday.on)
    for c in rows:
        c.cadres = sum(counts.get((c.pk, k), 0) for k in CADRES_AND_CIVIL_SERVANTS)
        c.cadres_quota = sum(allotted.get((c.pk, k), 0) for k in CADRES_AND_CIVIL_SERVANTS)
        c.part_time = sum(counts.get((c.pk, k), 0) for k in COMMUNE_PART_TIME)
        c.total = sum(n for (commune, _k), n in counts.items() if commune == c.pk)
    return render(request, "staffing/index.html", {"workday": workday, "page": page, "rows": rows})


def _compare_dates(request, on: dt.date) -> tuple[CompareForm, dt.date, dt.date]:
    form = CompareForm(request.GET)
    first = second = None
    if form.is_valid():
        first, second = form.cleaned_data["tu"], form.cleaned_data["den"]
    second = second or on
    first = first or years_before(second, 1)
    if first >= second:
        first, second = second - dt.timedelta(days=1), second
    return form, first, second


@require_GET
def commune(request, pk):
    commune = get_commune_for_user(request, pk)
    scope = scope_for(request)
    workday = working_day(request)
    employments = visible_employments(scope).filter(commune=commune)
    quota_qs = visible_quotas(scope).filter(commune=commune)
    compare, first, second = _compare_dates(request, workday.on)
    page = Paginator(selectors.commune_employments(employments, commune, workday.on), selectors.PAGE_SIZE).get_page(request.GET.get("trang"))
    streamlined = selectors.exits(employments, first, second - dt.timedelta(days=1), streamlining=True)
    return render(request, "staffing/commune.html", {
        "commune": commune, "workday": workday, "table": selectors.against_quota(employments, quota_qs, workday.on),
        "compare": compare, "first": first, "second": second, "changes": selectors.before_after(employments, first, second),
        "streamlined": streamlined.select_related("person").order_by("valid_to", "id")[:200],
        "streamlined_by_basis": list(streamlined.values("basis").annotate(n=Count("id")).order_by("basis")),
        "page": page, "quotas": selectors.quota_history(quota_qs, commune)[:100], "can_change": scope.can(CHANGE),
        "part_time_open": employments.current().filter(category=Category.COMMUNE_PART_TIME).exists(),
        "part_time_end": PART_TIME_END,
    })


@require_http_methods(["GET", "POST"])
def employment_create(request, pk):
    commune = get_commune_for_user(request, pk, write=True)
    form = EmploymentForm(request.POST or None, scope=scope_for(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.start_employment(actor=request.user, commune=commune, **form.service_arguments())
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Đã ghi nhận quá trình công tác."))
            return redirect("staffing:commune", pk=commune.pk)
    return render(request, "staffing/form.html", {"commune": commune, "form": form, "title": _("Thêm cán bộ, công chức, người lao động"),
                                                  "submit": _("Ghi nhận")})


@require_http_methods(["GET", "POST"])
def employment_end(request, pk):
    employment = get_employment_for_user(request, pk, write=True)
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_employment(actor=request.user, employment=employment, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Đã ghi nhận %(name)s thôi giữ chức vụ, chức danh.") % {"name": employment.person.full_name})
            return redirect("staffing:commune", pk=employment.commune_id)
    return render(request, "staffing/form.html", {
        "commune": employment.commune, "form": form, "submit": _("Ghi nhận"),
        "title": _("Thôi giữ chức vụ: %(name)s, %(position)s") % {"name": employment.person.full_name, "position": employment.position}})


@require_http_methods(["GET", "POST"])
def quota_set(request, pk):
    commune = get_commune_for_user(request, pk, write=True)
    form = QuotaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_quota(actor=request.user, commune=commune, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Đã giao biên chế."))
            return redirect("staffing:commune", pk=commune.pk)
    return render(request, "staffing/form.html", {"commune": commune, "form": form, "title": _("Giao biên chế"), "submit": _("Giao biên chế")})


@require_http_methods(["GET", "POST"])
def part_time_end(request, pk):
    """Close the commune's part-time posts on 01/08/2025; those ticked are kept in the transitional category."""
    commune = get_commune_for_user(request, pk, write=True)
    scope = scope_for(request)
    open_records = list(visible_employments(scope).filter(commune=commune, category=Category.COMMUNE_PART_TIME).current()
                        .select_related("person").order_by("person__name_order", "id"))
    error = ""
    if request.method == "POST":
        ids = {e.pk for e in open_records}
        retained = [int(v) for v in request.POST.getlist("giu_lai") if v.isdigit() and int(v) in ids]
        try:
            result = services.end_commune_part_time(actor=request.user, commune=commune, retained=retained)
        except ValidationError as e:
            error = " ".join(e.messages)
        else:
            messages.success(request, _("Đã chấm dứt %(ended)s người hoạt động không chuyên trách; giữ lại %(retained)s người (chuyển tiếp).") % result)
            return redirect("staffing:commune", pk=commune.pk)
    return render(request, "staffing/part_time_end.html", {"commune": commune, "records": open_records, "error": error, "on": PART_TIME_END})
