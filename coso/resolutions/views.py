"""Pages of the register: search, registration with the proposed number, a document, its files,
its relations, the committee terms of an organization."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coso.access.scope import scope_for
from coso.access.services import log_export
from coso.activities.permissions import visible_meetings
from coso.lib import downloads
from coso.lib.dates import fmt, parse
from coso.lib.forms import apply_service_error
from coso.organizations.models import path_ids
from coso.organizations.permissions import get_organization_for_user
from coso.organizations.selectors import (
    display_placement,
    last_placement,
    organization_names,
    placement_on,
    requested_organization_id,
)
from coso.organizations.workday import working_day

from . import attachments, numbering, selectors, services
from .forms import AttachmentForm, DocumentForm, RelationForm, SearchForm, TermForm
from .models import Term
from .permissions import (
    CHANGE,
    VIEW,
    get_attachment_for_user,
    get_document_for_user,
    visible_documents,
)
from .symbols import KIND_SYMBOL, Organ, issuer_symbols, series, symbol


@require_GET
def documents(request):
    scope = scope_for(request)
    scope.require(VIEW)
    day = working_day(request)
    form = SearchForm(request.GET, issuers=selectors.issuers(scope))
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    organization_id = requested_organization_id(request)
    qs = selectors.search(scope, query=data.get("q") or "", kind=data.get("loai") or "", organization_id=organization_id,
                          year=data.get("nam"))
    page = Paginator(qs, selectors.PAGE_SIZE).get_page(request.GET.get("trang"))
    rows = selectors.with_status(page.object_list, day.on)
    names = organization_names({d.organization_id for d in rows})
    for d in rows:
        d.organization_name = names.get(d.organization_id, "")
    query = request.GET.copy()
    query.pop("trang", None)
    return render(request, "resolutions/documents.html", {
        "form": form, "page": page, "rows": rows, "workday": day, "can_change": scope.can(CHANGE), "query": query.urlencode(),
    })


@require_http_methods(["GET", "POST"])
def create(request):
    scope = scope_for(request)
    scope.require(CHANGE)
    initial = {"organization": requested_organization_id(request) or scope.root_id, "issued_on": working_day(request).on}
    form = DocumentForm(request.POST or None, scope=scope, initial=initial)
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        scope.check(arguments["organization"].pk, write=CHANGE)
        try:
            document = services.register_document(actor=request.user, **arguments)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Đã đăng ký văn bản số %(symbol)s.") % {"symbol": document.symbol})
            return redirect("resolutions:detail", pk=document.pk)
    return render(request, "resolutions/create.html", {"form": form})


@require_GET
def proposal(request):
    """The number the document being typed would take (htmx, beside the number box)."""
    scope = scope_for(request)
    scope.require(VIEW)
    try:
        organization_id = requested_organization_id(request, default=0, param="organization")
    except Http404:
        organization_id = 0  # an unreadable id proposes nothing, like an empty one
    kind, organ, on = request.GET.get("kind", ""), request.GET.get("organ", Organ.COMMITTEE), parse(request.GET.get("issued_on"))
    if not organization_id or kind not in KIND_SYMBOL or on is None:
        return render(request, "resolutions/_proposal.html", {"text": ""})  # the slot stays for the next answer
    scope.check(organization_id)
    placement = placement_on(organization_id, on)
    term = numbering.term_on(organization_id, on)
    if placement is None or term is None:
        text = _("Chưa cấp được số: tổ chức chưa có nhiệm kỳ cấp ủy (hoặc chưa hoạt động) vào ngày %(date)s.") % {"date": fmt(on)}
    else:
        issuers = issuer_symbols(placement.kind, on)
        if not issuers and organ != Organ.CONGRESS:
            text = _("Tổ chức này không có ký hiệu ban hành văn bản vào ngày %(date)s.") % {"date": fmt(on)}
        else:
            n = numbering.next_number(organization_id, term.pk, series(organ, kind))
            text = _("Số tiếp theo: %(symbol)s (nhiệm kỳ %(term)s).") % {"symbol": symbol(n, kind, (issuers or [""])[0], organ), "term": term.name}
    return render(request, "resolutions/_proposal.html", {"text": text})


@require_GET
def detail(request, pk):
    document = get_document_for_user(request, pk)
    scope = scope_for(request)
    day = working_day(request)
    document = selectors.detail(document.pk)
    [document] = selectors.with_status([document], day.on)
    placement = display_placement(document.organization_id, document.issued_on)
    can_change = scope.can(CHANGE) and scope.contains(document.organization_id)
    return render(request, "resolutions/detail.html", {
        "document": document, "placement": placement, "workday": day, "can_change": can_change,
        "relation_form": RelationForm(documents=_relatable(scope, document)) if can_change else None,
        "attachment_form": AttachmentForm() if can_change else None,
        # the meetings that adopted it (activities: a meeting links the resolution it adopted), as the scope sees them
        "adopted_at": list(visible_meetings(scope).filter(resolution_id=document.pk).order_by("held_on", "id")[:10]),
    })


def _relatable(scope, document):
    """Documents this one may implement, amend, replace or repeal: of its issuer or of the
    committees above it, issued on or before it, that the scope sees."""
    placement = placement_on(document.organization_id, document.issued_on) or last_placement(document.organization_id)
    issuers = path_ids(placement.path) if placement else [document.organization_id]
    return (visible_documents(scope).filter(organization_id__in=issuers, issued_on__lte=document.issued_on)
            .exclude(pk=document.pk).order_by("-issued_on", "-number"))


def relate(request, pk):
    document = get_document_for_user(request, pk, write=True)
    if request.method != "POST":  # the access check first: a sibling's id answers 404 to any method
        return HttpResponseNotAllowed(["POST"])
    form = RelationForm(request.POST, documents=_relatable(scope_for(request), document))
    if form.is_valid():
        try:
            services.add_relation(actor=request.user, source=document, kind=form.cleaned_data["kind"], target=form.cleaned_data["target"])
        except ValidationError as error:
            apply_service_error(form, error)
    if form.errors:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    else:
        messages.success(request, _("Đã ghi quan hệ giữa hai văn bản."))
    return redirect("resolutions:detail", pk=document.pk)


def attach(request, pk):
    document = get_document_for_user(request, pk, write=True)
    if request.method != "POST":  # the access check first: a sibling's id answers 404 to any method
        return HttpResponseNotAllowed(["POST"])
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            content = attachments.read_upload(upload)
            services.add_attachment(actor=request.user, document=document, content=content, file_name=upload.name)
        except ValidationError as error:
            apply_service_error(form, error)
    if form.errors:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    else:
        messages.success(request, _("Đã đính kèm tệp."))
    return redirect("resolutions:detail", pk=document.pk)


@require_GET
def attachment(request, pk):
    """The file, only through its document's access; every download is logged."""
    found = get_attachment_for_user(request, pk)
    try:
        content = attachments.read(found.path, found.sha256)
    except attachments.AttachmentMissing:
        raise Http404(_("Tệp đính kèm không còn trên máy chủ hoặc đã bị thay đổi.")) from None
    try:
        response, _rows = downloads.attachment(lambda: (content, 1), filename=found.file_name, content_type=found.content_type)
    except downloads.ExportFailed as error:
        return downloads.failed(request, error)
    log_export(user=request.user, kind="resolutions.attachment", file_format=found.file_name.rsplit(".", 1)[-1].lower(), rows=1,
               organization_id=found.document.organization_id, parameters={"attachment": found.pk, "document": found.document_id})
    return response


@require_http_methods(["GET", "POST"])
def terms(request):
    scope = scope_for(request)
    scope.require(VIEW)
    organization_id = requested_organization_id(request, default=scope.root_id)
    if organization_id is None:
        raise Http404
    organization = get_organization_for_user(request, organization_id, write=CHANGE if request.method == "POST" else False)
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.open_term(actor=request.user, organization=organization, name=form.cleaned_data["name"],
                               starts_on=form.cleaned_data["starts_on"])
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Đã khai báo nhiệm kỳ %(name)s.") % {"name": form.cleaned_data["name"]})
            return redirect(f"{request.path}?to_chuc={organization.pk}")
    day = working_day(request)
    return render(request, "resolutions/terms.html", {
        "organization": organization, "placement": display_placement(organization.pk, day.on), "form": form,
        "terms": Term.objects.filter(organization=organization).order_by("-valid_from"),
        "can_change": scope.can(CHANGE), "workday": day,
    })
