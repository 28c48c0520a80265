"""Restructuring pages: the list, a new draft, the draft with its preview, and the actions.
Views stay thin: scope → form → one service → render or redirect."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRefresh

from coso.access.scope import scope_for
from coso.access.services import log_export
from coso.lib import downloads
from coso.lib.forms import apply_service_error
from coso.measures import lineage
from coso.measures.catalog import MEASURES
from coso.organizations.models import Change, Kind, Placement
from coso.organizations.permissions import get_organization_for_user
from coso.organizations.selectors import requested_organization_id
from coso.organizations.workday import working_day

from . import exports, selectors, services, tasks
from . import plan as planning
from .forms import FiguresForm, OperationForm, RestructuringForm
from .models import Job, State
from .permissions import DECIDE, VIEW, get_operation_for_user, get_restructuring_for_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
def index(request):
    scope = scope_for(request)
    if not scope.can(VIEW):
        raise PermissionDenied
    page = Paginator(selectors.visible(scope), 50).get_page(request.GET.get("trang"))
    return render(request, "restructuring/list.html", {"page": page, "can_decide": scope.can(DECIDE)})


@require_http_methods(["GET", "POST"])
def create(request):
    scope = scope_for(request)
    scope.require(DECIDE)
    form = RestructuringForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organization = get_organization_for_user(request, data["organization"].pk, write=DECIDE)
        try:
            r = services.create_restructuring(actor=request.user, organization=organization, title=data["title"],
                                              decision_number=data["decision_number"], decision_issuer=data["decision_issuer"],
                                              decision_date=data["decision_date"], effective_date=data["effective_date"])
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            return redirect("restructuring:detail", r.pk)
    return render(request, "restructuring/form.html", {"form": form, "title": _("Phương án sắp xếp tổ chức mới")})


def _operation_rows(r) -> list[dict]:
    """Each operation with the names of the organizations it names (two queries)."""
    operations = list(r.operations.select_related("parent_new").prefetch_related("allocations__village").order_by("sequence", "id"))
    ids = {i for op in operations for i in (op.organization_id, op.parent_id, *[a.organization_id for a in op.allocations.all()]) if i}
    names = selectors.last_names(ids)
    return [{
        "op": op,
        "organizations": [names.get(i, "") for i in [op.organization_id, *[a.organization_id for a in op.allocations.all()]] if i]
        + [a.village.full_name for a in op.allocations.all() if a.village_id],
        "parent": names.get(op.parent_id) if op.parent_id else (op.parent_new.name if op.parent_new_id else ""),
        "new_parent": bool(op.parent_new_id),
    } for op in operations]


def _last_job(r) -> Job | None:
    """The decision's last background commit, its process checked (one that died is marked failed)."""
    job = r.jobs.order_by("-id").first()
    if job is not None:
        services.recover_if_stale(job)
    return job


def _detail_context(request, r, form=None):
    scope = scope_for(request)
    can_decide = scope.can(DECIDE)
    job = _last_job(r)
    context = {"r": r, "can_decide": can_decide, "show_names": request.GET.get("ten") == "1", "operations": _operation_rows(r), "job": job}
    if job is not None and job.active:
        pass  # the worker is carrying it out: the page follows its progress, no preview meanwhile
    elif r.state == State.DRAFT:
        plan = planning.build(r)
        context.update(
            plan=plan, moves=plan.moves(), counts=plan.counts(), accepted=set(r.accepted),
            started=[(n.name, Kind(n.kind).label, plan.name(n.parent)) for n in plan.started],
            changes=[(n.name, Change(change).label, plan.name(n.placement.parent_id), plan.name(n.parent)) for n, change in plan.changes()],
            form=form or (OperationForm(scope=scope, restructuring=r) if can_decide else None),
        )
    else:
        context.update(undo_problem=services.undo_problem(r), written=r.written)
    return context


@require_GET
def detail(request, pk):
    r = get_restructuring_for_user(request, pk)
    return render(request, "restructuring/detail.html", _detail_context(request, r))


@require_http_methods(["GET", "POST"])  # scope first (404/403), then the method
def add_operation(request, pk):
    r = get_restructuring_for_user(request, pk, write=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = OperationForm(request.POST, scope=scope_for(request), restructuring=r)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_operation(actor=request.user, restructuring=r, kind=data["kind"], organization=data["organization"],
                                   parent=data["parent"], parent_new=data["parent_new"], name=data["name"], org_kind=data["org_kind"],
                                   sector=data["sector"], sources=form.sources, villages=list(data.get("merged_villages") or ()))
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Đã thêm thao tác vào phương án."))
            return redirect("restructuring:detail", r.pk)
    return render(request, "restructuring/detail.html", _detail_context(request, r, form), status=400)


@require_http_methods(["GET", "POST"])  # scope first (404/403), then the method
def remove_operation(request, pk, operation_pk):
    operation = get_operation_for_user(request, pk, operation_pk, write=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.remove_operation(actor=request.user, operation=operation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("restructuring:detail", pk)


@require_http_methods(["GET", "POST"])  # scope first (404/403), then the method
def accept(request, pk):
    r = get_restructuring_for_user(request, pk, write=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.accept_conflicts(actor=request.user, restructuring=r, keys=request.POST.getlist("chap_nhan"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã ghi nhận các vướng mắc được chấp nhận."))
    return redirect("restructuring:detail", pk)


@require_http_methods(["GET", "POST"])  # scope first (404/403), then the method
def commit(request, pk):
    r = get_restructuring_for_user(request, pk, write=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        job = tasks.request_commit(actor=request.user, restructuring=r)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if job is None:
            messages.success(request, _("Đã thực hiện quyết định sắp xếp tổ chức."))
    return redirect("restructuring:detail", pk)


@require_GET
def progress(request, pk):
    """Polled by the decision's page while the worker carries it out; when the job ends, the page reloads."""
    r = get_restructuring_for_user(request, pk)
    job = _last_job(r)
    if job is None or not job.active:
        if request.htmx:
            return HttpResponseClientRefresh()
        return redirect("restructuring:detail", pk)
    return render(request, "restructuring/detail.html#job", {"r": r, "job": job})


@require_http_methods(["GET", "POST"])  # scope first (404/403), then the method
def undo(request, pk):
    r = get_restructuring_for_user(request, pk, write=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.undo(actor=request.user, restructuring=r)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã hủy thực hiện; tổ chức và đảng viên trở lại như trước khi thực hiện."))
    return redirect("restructuring:detail", pk)


@require_GET
def handover(request, pk, fmt):
    """The handover record: the member list each receiving organization takes over; logged."""
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    r = get_restructuring_for_user(request, pk)
    scope = scope_for(request)
    scope.require("data.export")
    if r.state != State.COMMITTED:
        raise PermissionDenied
    produce, content_type = (lambda: exports.workbook(r), XLSX) if fmt == "xlsx" else (lambda: exports.pdf(r), "application/pdf")
    try:
        response, count = downloads.attachment(produce, filename=f"ban-giao-{r.pk}.{fmt}", content_type=content_type)
    except downloads.ExportFailed as error:
        return downloads.failed(request, error)
    log_export(user=request.user, kind="restructuring.handover", file_format=fmt, rows=count, organization_id=r.organization_id,
               parameters={"restructuring": r.pk})
    return response


MEMBER_MEASURES = ["members", "members.official", "members.probationary"]
EVENT_MEASURES = ["events.admitted", "events.transferred_in", "events.transferred_out", "events.exempted"]
RATING_MEASURES = ["ratings.members", "ratings.members.good_or_better", "ratings.organizations"]


def _shown(value):
    """A figure as shown: one decimal where a split's share made a fraction, else whole."""
    value = Decimal(value).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return int(value) if value == value.to_integral_value() else value


def _cells(now: dict, before: dict, measures) -> list[dict]:
    return [{"now": _shown(now.get(m, 0)), "before": _shown(before.get(m, 0)), "change": _shown(now.get(m, 0) - before.get(m, 0))}
            for m in measures]


def _comparison_rows(result, measures) -> tuple[list[dict], list[dict]]:
    """Each child with its measures now, the same area before and the difference; the total."""
    rows = [{"id": row["id"], "name": row["name"], "cells": _cells(row["now"], row["before"], measures)} for row in result.rows]
    return rows, _cells(result.total["now"], result.total["before"], measures)


@require_GET
def figures(request):
    """Figures across restructurings (#17 point 4): today's organizations beside the same area on
    an earlier date, through the lineage; the period's events by the organization of their date or
    by its successor. Read-only, within the scope (predecessors outside it count as figures only)."""
    scope = scope_for(request)
    scope.require(VIEW)
    organization_id = requested_organization_id(request, default=scope.root_id)
    day = working_day(request)
    form = FiguresForm(request.GET, default_on=day.on)
    on, period = form.dates()
    placement = None
    if organization_id is not None:
        placement = Placement.objects.on(on).visible_to(scope).filter(organization_id=organization_id).first()
        if placement is None:
            scope.check(organization_id)  # 404 outside the scope; else not in force that day
    form.show_organization(placement)
    context = {"form": form, "placement": placement, "on": on, "period": period, "before": form.before, "grouping": form.grouping,
               "member_labels": [MEASURES[m].label for m in MEMBER_MEASURES], "event_labels": [MEASURES[m].label for m in EVENT_MEASURES],
               "rating_labels": [MEASURES[m].label for m in RATING_MEASURES], "rating_year": on.year - 1,
               "by_successor": form.grouping == lineage.BY_SUCCESSOR}
    if (placement is not None or (organization_id is None and scope.is_global)) and not form.errors:
        members = lineage.compare(MEMBER_MEASURES, organization_id, on=on, before=form.before, scope=scope)
        events = lineage.compare(EVENT_MEASURES, organization_id, period=period, grouping=form.grouping, scope=scope)
        context["members"], context["members_total"] = _comparison_rows(members, MEMBER_MEASURES)
        context["events"], context["events_total"] = _comparison_rows(events, EVENT_MEASURES)
        context["period_before"] = events.period_before
        # last year's published ratings, ended organizations' under their successors today
        year = (dt.date(on.year - 1, 1, 1), dt.date(on.year - 1, 12, 31))
        ratings = lineage.compare(RATING_MEASURES, organization_id, period=year, to=on, scope=scope)
        context["ratings"], context["ratings_total"] = _comparison_rows(ratings, RATING_MEASURES)
        context["estimated"] = members.estimated or events.estimated or ratings.estimated
    elif placement is None and organization_id is not None:
        context["not_in_force"] = True
    return render(request, "restructuring/figures.html", context)
