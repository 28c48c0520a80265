"""Pages of the commune's political system: thin views over selectors, services and the engine."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coso.access.scope import scope_for
from coso.access.services import log_export
from coso.lib import downloads
from coso.lib.dates import fmt
from coso.lib.forms import apply_service_error
from coso.lib.numbers import num
from coso.lib.text import fold
from coso.measures import engine
from coso.measures.grassroots import count_pair, pair_measure
from coso.members.forms import OrganizationPickForm
from coso.organizations.models import Placement
from coso.organizations.selectors import requested_organization_id
from coso.organizations.workday import working_day
from coso.places.models import AdminUnit, Level
from coso.places.selectors import villages_of

from . import config, exports, imports, selectors, services
from .forms import AppointForm, EndForm, ImportForm, PairForm, ReplaceForm, StandardBodiesForm
from .models import Body, units_q
from .permissions import (
    CHANGE,
    VIEW,
    get_body_for_user,
    get_holder_for_user,
    get_post_for_user,
    get_unit_for_user,
    visible_holders,
)

CONCURRENT = [f"concurrent.{code}" for code in config.CONCURRENT_MODELS]
PAGE_SIZE = 50


@require_GET
def index(request):
    """The communes (and districts) of the scope on the working day, those with bodies first, a
    page at a time."""
    scope = scope_for(request)
    scope.require(VIEW)
    day = working_day(request)
    q = fold(request.GET.get("q", ""))
    if day.ok:
        units = (AdminUnit.objects.on(day.on).filter(units_q(scope), level__in=[Level.COMMUNE, Level.DISTRICT])
                 .annotate(has_bodies=Exists(Body.objects.on(day.on).filter(unit=OuterRef("pk"))))
                 .select_related("parent").order_by("-has_bodies", "name_folded", "id"))
    else:
        units = AdminUnit.objects.none()
    if q:
        units = units.filter(name_folded__contains=q)
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(request, "grassroots/index.html", {"page": page, "workday": day, "on": day.on, "q": request.GET.get("q", "")})


@require_GET
def unit(request, pk):
    """A commune's (a district's) political system as an organization chart on the working day."""
    unit = get_unit_for_user(request, pk)
    scope = scope_for(request)
    day = working_day(request)
    chart = selectors.chart(unit, day.on) if day.ok else {"groups": {}, "villages": [], "count": 0}
    context = {
        "unit": unit, "workday": day, "on": day.on, "chart": chart, "model_label": config.model_label(day.on),
        "warnings": selectors.warnings(unit, day.on) if day.ok else [],
        "can_change": scope.can(CHANGE), "can_export": scope.can("data.export"),
        "standard_form": StandardBodiesForm(initial={"valid_from": day.on}) if scope.can(CHANGE) else None,
    }
    return render(request, "grassroots/unit.html", context)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
def export(request, pk):
    """The unit's post list on the working day as an Excel file (logged)."""
    unit = get_unit_for_user(request, pk)
    scope = scope_for(request)
    scope.require("data.export")
    day = working_day(request)
    if not day.ok:
        return redirect(f"{reverse('grassroots:unit', kwargs={'pk': unit.pk})}?{request.GET.urlencode()}")
    try:
        response, count = downloads.attachment(lambda: exports.workbook(unit, day.on), content_type=XLSX,
                                               filename=f"chuc-vu-{unit.code}-{day.on:%Y%m%d}.xlsx")
    except downloads.ExportFailed as error:
        return downloads.failed(request, error)
    log_export(user=request.user, kind="grassroots.posts", file_format="xlsx", rows=count, parameters={"unit": unit.pk, "ngay": fmt(day.on)})
    return response


@require_http_methods(["GET", "POST"])
def import_posts(request, pk):
    """A commune's post list from an Excel file: every row checked first; nothing written unless
    the whole file is valid."""
    unit = get_unit_for_user(request, pk, write=True)
    scope = scope_for(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = imports.import_posts(actor=request.user, scope=scope, unit=unit, content=upload.read(), filename=upload.name)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            if report.ok:
                messages.success(request, _("Đã ghi %(count)s chức vụ từ tệp %(file)s (%(new)s người mới có hồ sơ).") % {
                    "count": num(report.written), "file": upload.name, "new": num(report.persons_created)})
                return redirect(f"{reverse('grassroots:unit', kwargs={'pk': unit.pk})}?ngay={fmt(report.last_start)}")
    return render(request, "grassroots/import.html", {"unit": unit, "form": form, "report": report})


@require_http_methods(["GET", "POST"])
def standard(request, pk):
    """Create the bodies of the model in force on the date for the unit and its villages (the
    form lives on the unit's page: a GET, once access is checked, goes there)."""
    unit = get_unit_for_user(request, pk, write=True)
    if request.method == "GET":
        return redirect("grassroots:unit", pk=unit.pk)
    form = StandardBodiesForm(request.POST)
    if form.is_valid():
        on = form.cleaned_data["valid_from"]
        # the party organization whose area the unit is (the commune's committee) owns the party bodies
        placement = Placement.objects.on(on).filter(area=unit).order_by("depth").select_related("organization").first()
        villages = list(villages_of(unit, on)) if unit.level == Level.COMMUNE else []
        try:
            created = services.create_standard_bodies(actor=request.user, unit=unit, on=on, villages=villages,
                                                      organization=placement.organization if placement else None)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Đã tạo %(n)s cơ quan, tổ chức theo mô hình ngày %(date)s.") % {"n": len(created), "date": fmt(on)})
        return redirect(f"{reverse('grassroots:unit', kwargs={'pk': unit.pk})}?ngay={fmt(on)}")
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("grassroots:unit", pk=unit.pk)


@require_GET
def body(request, pk):
    """The body's holders on the working day by title, its vacancies and its history."""
    body = get_body_for_user(request, pk)
    scope = scope_for(request)
    day = working_day(request)
    seats = selectors.body_seats(body, day.on) if day.ok else []
    history = Paginator(selectors.body_history(body), PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(request, "grassroots/body.html", {"body": body, "seats": seats, "history": history, "page": history, "workday": day, "on": day.on,
                                                    "kind": config.BODY_KINDS[body.kind], "can_change": scope.can(CHANGE),
                                                    "title_label": lambda code: config.title_label(body.kind, code)})


@require_http_methods(["GET", "POST"])
def appoint(request, pk):
    body = get_body_for_user(request, pk, write=True)
    scope = scope_for(request)
    day = working_day(request)
    initial = {"valid_from": day.on, "title": request.GET.get("chuc_danh", "")}
    form = AppointForm(request.POST or None, initial=initial, body=body, on=day.on, persons=visible_holders(scope))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = services.appoint(actor=request.user, body=body, title=data["title"], valid_from=data["valid_from"],
                                    valid_to=data["valid_to"], obtained=data["obtained"], decision_number=data["decision_number"],
                                    decision_date=data["decision_date"], **form.person_arguments())
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Đã giao chức vụ %(title)s cho %(name)s.") % {"title": post.title_label, "name": post.person.full_name})
            return redirect(_body_url(body, post.valid_from))
    return render(request, "grassroots/form.html", {"body": body, "form": form, "heading": _("Giao chức vụ"), "submit": _("Lưu")})


def _body_url(body, on):
    return f"{reverse('grassroots:body', kwargs={'pk': body.pk})}?ngay={fmt(on)}"


@require_http_methods(["GET", "POST"])
def end(request, pk):
    post = get_post_for_user(request, pk, write=True)
    form = EndForm(request.POST or None, initial={"valid_to": working_day(request).on})
    if request.method == "POST" and form.is_valid():
        try:
            services.end_post(actor=request.user, post=post, valid_to=form.cleaned_data["valid_to"], reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Đã ghi nhận %(name)s thôi giữ chức %(title)s.") % {"name": post.person.full_name, "title": post.title_label})
            return redirect(_body_url(post.body, form.cleaned_data["valid_to"]))
    return render(request, "grassroots/form.html", {"body": post.body, "post": post, "form": form,
                                                    "heading": _("Thôi giữ chức vụ"), "submit": _("Ghi nhận")})


@require_http_methods(["GET", "POST"])
def replace(request, pk):
    post = get_post_for_user(request, pk, write=True)
    scope = scope_for(request)
    form = ReplaceForm(request.POST or None, initial={"on": working_day(request).on}, persons=visible_holders(scope))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = services.replace(actor=request.user, post=post, on=data["on"], obtained=data["obtained"],
                                   decision_number=data["decision_number"], decision_date=data["decision_date"],
                                   reason=data["reason"], **form.person_arguments())
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Đã giao chức vụ %(title)s cho %(name)s thay %(old)s.") % {
                "title": new.title_label, "name": new.person.full_name, "old": post.person.full_name})
            return redirect(_body_url(post.body, data["on"]))
    return render(request, "grassroots/form.html", {"body": post.body, "post": post, "form": form,
                                                    "heading": _("Thay người giữ chức vụ"), "submit": _("Lưu")})


@require_GET
def person(request, pk):
    """A person's posts over time (within the scope), concurrent ones marked."""
    person = get_holder_for_user(request, pk)
    scope = scope_for(request)
    posts = list(selectors.person_posts(person, scope))
    for post in posts:
        post.overlaps = [o for o in posts if o is not post and o.valid_from < (post.valid_to or _far())
                         and post.valid_from < (o.valid_to or _far())]
    return render(request, "grassroots/person.html", {"person": person, "posts": posts})


def _far():
    return dt.date.max


@require_GET
def person_options(request):
    """<option>s of the person picker: persons the scope sees, by name."""
    scope = scope_for(request)
    scope.require(VIEW)
    q = fold(request.GET.get("q", ""))
    persons = visible_holders(scope).filter(Q(name_folded__contains=q)).order_by("name_order", "id")[:30] if q else []
    return render(request, "grassroots/person_options.html", {"persons": persons})


@require_GET
def concurrent(request):
    """Concurrent posts by model (and any pair picked) for the organization's subtree on the day,
    by child organization: figures from the measure engine."""
    scope = scope_for(request)
    scope.require(VIEW)
    organization_id = requested_organization_id(request, default=scope.root_id)
    day = working_day(request)
    placement = None
    if organization_id is not None and day.ok:
        placement = Placement.objects.on(day.on).visible_to(scope).filter(organization_id=organization_id).first()
        if placement is None:
            scope.check(organization_id)  # 404 outside the scope; else not in force that day
    pair_form = PairForm(request.GET or None)
    table, pair_rows, pair_label, error = None, None, "", ""
    if day.ok and (placement is not None or (organization_id is None and scope.is_global)):
        try:
            names = [*CONCURRENT, "posts.village_heads", "posts.village_heads.members", "posts.holders", "posts.holders.members"]
            table = engine.table(names, organization_id, by="child", on=day.on, scope=scope)
            pair = pair_form.pair()
            if pair is not None:
                tree = engine.subtree(organization_id, day.on, scope)
                measure = pair_measure(*pair)
                pair_label = measure.label
                counts = count_pair(*pair, tree, by="child")
                pair_rows = [(label, counts.get(key, {}).get(measure.name, 0)) for key, label in tree.child_labels()]
                pair_rows.append((_("Tổng số"), sum(v.get(measure.name, 0) for v in counts.values())))
        except engine.MeasureError as e:
            error = e.messages[0]
    models = list(config.CONCURRENT_MODELS.values())
    rows, total, summary = [], [], ""
    if table is not None:
        # the organizations with a concurrent post (a district has hundreds of cells with none)
        rows = [(label, [values[name] for name in CONCURRENT]) for _key, label, values in table.rows
                if any(values[name] for name in CONCURRENT)]
        total = [table.total[name] for name in CONCURRENT]
        summary = village_heads_sentence(table.total["posts.village_heads.members"], table.total["posts.village_heads"])
    return render(request, "grassroots/concurrent.html", {
        "workday": day, "on": day.on, "table": table, "models": models, "rows": rows, "total": total, "summary": summary,
        "hidden": len(table.rows) - len(rows) if table is not None else 0,
        "pair_form": pair_form, "pair_rows": pair_rows, "pair_label": pair_label, "error": error, "placement": placement,
        "pick": OrganizationPickForm(placement=placement, on_text=day.box),
    })


def village_heads_sentence(members: int, heads: int) -> str:
    """"58/125 trưởng thôn là đảng viên, chiếm 46,4%" (the articles' style); "" without heads."""
    if not heads:
        return ""
    return _("%(m)s/%(n)s trưởng thôn, tổ trưởng tổ dân phố là đảng viên, chiếm %(pct)s%%.") % {
        "m": num(members), "n": num(heads), "pct": num(engine.ratio(members, heads), 1)}
