"""Organization pages. Views stay thin: scope → form → one service → render or redirect."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coso.access.scope import scope_for
from coso.lib.dates import fmt
from coso.lib.forms import apply_service_error
from coso.places.models import AdminUnit, Level
from coso.restructuring import selectors as restructuring_selectors

from . import selectors, services
from .forms import CloseForm, CreateForm, EditForm, MoveForm, RenameForm
from .models import Change
from .permissions import get_organization_for_user
from .workday import working_day

CHANGE = "organizations.change"


def _to_detail(pk, on):
    """The organization's page as of the date the change took effect."""
    return redirect(f"{reverse('organizations:detail', args=[pk])}?ngay={fmt(on)}")


def home(request):
    return redirect("organizations:tree")


@require_GET
def tree(request):
    scope = scope_for(request)
    day = working_day(request)  # the scope's last day when it has ended, and the line saying so
    on = day.on
    context = {"workday": day, "on": on, "on_text": day.box, "nodes": selectors.roots(scope, on) if day.ok else [],
               "query": request.GET.get("q", "")}
    if context["query"] and day.ok:
        context["results"] = selectors.search(scope, context["query"], on)
    return render(request, "organizations/tree.html", context)


@require_GET
def children(request, pk):
    organization = get_organization_for_user(request, pk)
    on = working_day(request).on
    nodes = selectors.children(scope_for(request), organization.pk, on)
    return render(request, "organizations/tree.html#nodes", {"nodes": nodes, "on": on, "on_text": fmt(on)})


@require_GET
def search(request):
    on = working_day(request).on
    query = request.GET.get("q", "")
    results = selectors.search(scope_for(request), query, on)
    return render(request, "organizations/tree.html#results", {"results": results, "query": query, "on_text": fmt(on)})


@require_GET
def options(request):
    """<option>s for the organization picker (move form), limited to the scope."""
    day = working_day(request)  # the date box of the form the picker sits in (hx-include)
    results = selectors.search(scope_for(request), request.GET.get("q", ""), day.on, limit=30) if day.ok else []
    return render(request, "organizations/options.html", {"results": results})


@require_GET
def detail(request, pk):
    organization = get_organization_for_user(request, pk)
    scope = scope_for(request)
    day = working_day(request, organization_id=organization.pk)  # a closed organization: as it last stood
    on = day.on
    placement = selectors.display_placement(organization.pk, on)
    in_force = placement.in_force_on(on)
    context = {
        "organization": organization,
        "placement": placement,
        "in_force": in_force,
        "workday": day,
        "on": on,
        "on_text": day.text,
        "ancestors": selectors.ancestors(placement, on, scope),
        "children": selectors.children(scope, organization.pk, on) if in_force else [],
        "history": selectors.history(organization),
        "villages": list(placement.villages.all()),
        "can_change": scope.can(CHANGE) and organization.closed_on is None,
        "can_audit": scope.can("audit.view"),
        "lineage": restructuring_selectors.lineage(organization.pk, scope),  # predecessors and successors
    }
    return render(request, "organizations/detail.html", context)


def _villages_of(area_id, on):
    """The villages of the area on the date, the choices of the edit form (an area typed as
    anything but a number has none: the form's own field says what is wrong with it)."""
    try:
        area_id = int(area_id) if area_id else None
    except (TypeError, ValueError):
        area_id = None
    if not area_id:
        return AdminUnit.objects.none()
    return AdminUnit.objects.on(on).filter(parent_id=area_id, level=Level.VILLAGE).order_by("name_folded")


@require_http_methods(["GET", "POST"])
def create(request):
    scope = scope_for(request)
    parent_id = request.POST.get("cha") or request.GET.get("cha")
    if parent_id:
        try:
            parent = get_organization_for_user(request, int(parent_id), write=True)
        except ValueError:
            raise PermissionDenied from None
    else:
        parent = None
        if not (scope.is_global and scope.can(CHANGE)):
            raise PermissionDenied
    on = working_day(request).on
    parent_placement = selectors.placement_on(parent.pk, on) if parent else None
    area_id = request.POST.get("area") or (parent_placement.area_id if parent_placement else None)
    initial = {"valid_from": on, "area": parent_placement.area_id if parent_placement else None}
    form = CreateForm(
        request.POST or None,
        initial=initial,
        parent_kind=parent_placement.kind if parent_placement else None,
        on=on,
        villages_qs=_villages_of(area_id, on),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organization = services.create_organization(
                actor=request.user,
                parent=parent,
                name=data["name"],
                kind=data["kind"],
                sector=data["sector"],
                area=data["area"],
                villages=data.get("villages") or (),
                valid_from=data["valid_from"],
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                code=data["code"] or None,
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Đã thành lập %(name)s.") % {"name": data["name"]})
            return _to_detail(organization.pk, data["valid_from"])
    return render(
        request,
        "organizations/form.html",
        {"form": form, "parent": parent, "parent_placement": parent_placement, "title": _("Thành lập tổ chức đảng"), "on_text": fmt(on)},
    )


def _change_view(request, pk, form_class, title, run, *, form_kwargs=None, initial=None):
    organization = get_organization_for_user(request, pk, write=True)
    if organization.closed_on is not None:
        raise PermissionDenied
    placement = services.open_placement(organization)
    form = form_class(request.POST or None, initial=initial(placement) if initial else None, **(form_kwargs or {}))
    if request.method == "POST" and form.is_valid():
        try:
            run(organization, placement, form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Đã lưu thay đổi của %(name)s.") % {"name": placement.name})
            effective = form.cleaned_data.get("valid_from") or form.cleaned_data.get("closed_on")
            if "closed_on" in form.cleaned_data:
                effective -= dt.timedelta(days=1)  # show it as it last stood
            return _to_detail(organization.pk, effective)
    return render(
        request,
        "organizations/form.html",
        {"form": form, "organization": organization, "placement": placement, "title": title, "on_text": working_day(request).box},
    )


@require_http_methods(["GET", "POST"])
def edit(request, pk):
    organization = get_organization_for_user(request, pk, write=True)
    on = working_day(request).on
    current = selectors.last_placement(organization.pk)
    area_id = request.POST.get("area") or (current.area_id if current else None)

    def run(organization, placement, data):
        services.change_organization(
            actor=request.user,
            organization=organization,
            valid_from=data["valid_from"],
            decision_number=data["decision_number"],
            decision_date=data["decision_date"],
            kind=data["kind"],
            sector=data["sector"],
            area=data["area"],
            villages=data.get("villages") or [],
            change=Change.EDITED,
        )

    return _change_view(
        request, pk, EditForm, _("Sửa thông tin tổ chức"), run,
        form_kwargs={"villages_qs": _villages_of(area_id, on)},
        initial=lambda p: {
            "kind": p.kind, "sector": p.sector, "area": p.area_id, "villages": list(p.villages.all()), "valid_from": on,
        },
    )


@require_http_methods(["GET", "POST"])
def rename(request, pk):
    on = working_day(request).on

    def run(organization, placement, data):
        services.rename_organization(
            actor=request.user, organization=organization, name=data["name"], valid_from=data["valid_from"],
            decision_number=data["decision_number"], decision_date=data["decision_date"],
        )

    return _change_view(request, pk, RenameForm, _("Đổi tên tổ chức"), run, initial=lambda p: {"name": p.name, "valid_from": on})


@require_http_methods(["GET", "POST"])
def move(request, pk):
    scope = scope_for(request)
    on = working_day(request).on

    def run(organization, placement, data):
        services.move_organization(
            actor=request.user, organization=organization, new_parent=data["parent"], valid_from=data["valid_from"],
            decision_number=data["decision_number"], decision_date=data["decision_date"],
        )

    return _change_view(
        request, pk, MoveForm, _("Chuyển trực thuộc"), run, form_kwargs={"scope": scope}, initial=lambda p: {"valid_from": on}
    )


@require_http_methods(["GET", "POST"])
def close(request, pk):
    on = working_day(request).on

    def run(organization, placement, data):
        services.close_organization(
            actor=request.user, organization=organization, closed_on=data["closed_on"], reason=data["reason"],
            decision_number=data["decision_number"],
        )

    return _change_view(request, pk, CloseForm, _("Kết thúc hoạt động"), run, initial=lambda p: {"closed_on": on})
