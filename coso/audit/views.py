"""The audit trail, read-only: a list for the user's scope and the history of one object."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from coso.access.scope import scope_for

from . import registry
from .display import describe
from .models import AuditEvent


def _scoped(request):
    scope = scope_for(request)
    scope.require("audit.view")
    events = AuditEvent.objects.all()
    if not scope.is_global:
        events = events.filter(organization_id__in=scope.organization_ids())
    for prefix in registry.hidden_prefixes(scope):
        events = events.exclude(event_type__startswith=prefix)
    return events


@require_GET
def event_list(request):
    events = _scoped(request)
    if kind := request.GET.get("loai"):
        events = events.filter(event_type__startswith=kind)
    page = Paginator(events.order_by("-at", "-id"), 50).get_page(request.GET.get("trang"))
    return render(request, "audit/list.html", {"page": page, "rows": describe(page.object_list), "kind": kind or ""})


@require_GET
def object_history(request, target_type, pk):
    scope = scope_for(request)
    scope.require("audit.view")
    check = registry.check_for(target_type)
    if check is None:
        raise Http404
    target = check(request, pk)
    events = AuditEvent.objects.filter(target_type=target_type, target_id=str(pk)).order_by("-at", "-id")
    page = Paginator(events, 50).get_page(request.GET.get("trang"))
    return render(request, "audit/list.html", {"page": page, "rows": describe(page.object_list), "target": target, "target_type": target_type})
