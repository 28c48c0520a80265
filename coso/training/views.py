"""Training pages. Thin: scope → object through the access helpers (404 outside the scope, 403
without the permission) → form → one service → render or redirect."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coso.access.scope import scope_for
from coso.grassroots.permissions import get_holder_for_user
from coso.lib.forms import apply_service_error
from coso.organizations.workday import working_day

from . import requirements, selectors, services
from .choices import RANK
from .forms import CompleteForm, CourseForm, EnrolForm, ListForm, WithdrawForm
from .permissions import CHANGE, VIEW, get_course_for_user, get_enrolment_for_user


@require_GET
def courses(request):
    scope = scope_for(request)
    scope.require(VIEW)
    filters = ListForm(request.GET)
    year = program = None
    if filters.is_valid():
        year, program = filters.cleaned_data["nam"], filters.cleaned_data["chuong_trinh"]
    page = Paginator(selectors.courses(scope, year=year, program=program or ""), selectors.PAGE_SIZE).get_page(request.GET.get("trang"))
    rows = list(page.object_list)
    names = selectors.organization_names(c.organizer_id for c in rows)
    for c in rows:
        c.organizer_name = names.get(c.organizer_id, "")
    return render(request, "training/courses.html", {"page": page, "rows": rows, "filters": filters, "can_change": scope.can(CHANGE)})


@require_http_methods(["GET", "POST"])
def course_create(request):
    scope = scope_for(request)
    scope.require(CHANGE)
    form = CourseForm(request.POST or None, scope=scope, initial={"organizer": scope.root_id})
    if request.method == "POST" and form.is_valid():
        try:
            course = services.create_course(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Đã mở lớp %(name)s.") % {"name": course.name})
            return redirect("training:course", pk=course.pk)
    return render(request, "training/course_form.html", {"form": form})


@require_GET
def course(request, pk):
    course = get_course_for_user(request, pk)
    scope = scope_for(request)
    page = Paginator(selectors.course_enrolments(course), selectors.PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(request, "training/course.html", {
        "course": course, "page": page, "counts": selectors.course_counts(course),
        "organizer_name": selectors.organization_names([course.organizer_id]).get(course.organizer_id, ""),
        "can_change": scope.can(CHANGE) and scope.contains(course.organizer_id),
    })


@require_http_methods(["GET", "POST"])
def enrol(request, pk):
    course = get_course_for_user(request, pk, write=True)
    form = EnrolForm(request.POST or None, scope=scope_for(request))
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = services.enrol(actor=request.user, course=course, person=form.cleaned_data["person"],
                                       enrolled_on=form.cleaned_data["enrolled_on"])
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Đã thêm %(name)s vào lớp.") % {"name": enrolment.person.full_name})
            return redirect("training:course", pk=course.pk)
    return render(request, "training/enrolment_form.html", {
        "course": course, "form": form, "title": _("Thêm học viên"), "submit": _("Thêm vào lớp")})


@require_http_methods(["GET", "POST"])
def complete(request, pk):
    enrolment = get_enrolment_for_user(request, pk, write=True)
    form = CompleteForm(request.POST or None, initial={"completed_on": enrolment.course.ends_on})
    if request.method == "POST" and form.is_valid():
        try:
            services.complete(actor=request.user, enrolment=enrolment, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Đã ghi nhận %(name)s hoàn thành khóa học.") % {"name": enrolment.person.full_name})
            return redirect("training:course", pk=enrolment.course_id)
    return render(request, "training/enrolment_form.html", {
        "course": enrolment.course, "enrolment": enrolment, "form": form,
        "title": _("Ghi nhận hoàn thành: %(name)s") % {"name": enrolment.person.full_name}, "submit": _("Ghi nhận hoàn thành")})


@require_http_methods(["GET", "POST"])
def withdraw(request, pk):
    enrolment = get_enrolment_for_user(request, pk, write=True)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw(actor=request.user, enrolment=enrolment, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Đã ghi nhận %(name)s thôi học.") % {"name": enrolment.person.full_name})
            return redirect("training:course", pk=enrolment.course_id)
    return render(request, "training/enrolment_form.html", {
        "course": enrolment.course, "enrolment": enrolment, "form": form,
        "title": _("Ghi nhận thôi học: %(name)s") % {"name": enrolment.person.full_name}, "submit": _("Ghi nhận thôi học")})


@require_GET
def person(request, pk):
    """A person's training: their theory level on the working day (derived), the dates it rose,
    and their courses the scope sees."""
    person = get_holder_for_user(request, pk)  # party member or not (a non-member cadre is trained too)
    scope = scope_for(request)
    scope.require(VIEW)
    workday = working_day(request)
    enrolments, others = selectors.person_enrolments(scope, person)
    level = selectors.levels_on([person.pk], workday.on)[person.pk]
    return render(request, "training/person.html", {
        "person": person, "workday": workday, "level": level, "history": selectors.level_history(person, scope),
        "enrolments": enrolments, "others": others,
    })


@require_GET
def lacking(request):
    scope = scope_for(request)
    scope.require(VIEW)
    workday = working_day(request)
    gaps = selectors.lacking_level(scope, workday.on)
    required = sorted(requirements.required_levels(workday.on).values(), key=lambda r: (-RANK[r.level], r.title))
    return render(request, "training/lacking.html", {
        "workday": workday, "gaps": gaps, "required": required, "titles": requirements.TITLES})


@require_GET
def refresher(request):
    scope = scope_for(request)
    scope.require(VIEW)
    workday = working_day(request)
    due, rule = selectors.due_for_refresher(scope, workday.on)
    return render(request, "training/refresher.html", {"workday": workday, "due": due, "rule": rule})
