"""Cell meeting pages. Thin: scope → the cell or the meeting through the access helpers (404
outside the scope, 403 without the permission) → form → one service → render or redirect.

The cell secretary's page (`cell`) is built for a phone (390 px wide): what is due, the meeting of
the moment with its attendance marked by tapping (each tap posts one small form through htmx and
gets back its row and the meeting's summary, out of band), the tasks still open, the members
whose probation ends soon and the cell's figures of the year.
"""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods

from coso.access.scope import scope_for
from coso.lib.forms import apply_service_error
from coso.measures import engine
from coso.measures.catalog import MEASURES
from coso.members.permissions import get_member_for_user
from coso.members.selectors import probation_due, with_probation_deadlines
from coso.members.services import MEMBER_ORG_KINDS
from coso.organizations.dated import path_on
from coso.organizations.models import Organization, Placement
from coso.organizations.permissions import get_organization_for_user
from coso.organizations.workday import working_day
from coso.resolutions.permissions import CHANGE as RESOLUTIONS_CHANGE
from coso.resolutions.permissions import visible_documents

from . import commendations as commendation_rules
from . import dues as dues_rules
from . import rules, scoring, selectors, services
from .forms import (
    CommendationForm,
    DuesProfileForm,
    DuesTapForm,
    EligibilityForm,
    EndPointPersonForm,
    MarkForm,
    MeetingForm,
    MonthField,
    PointPersonForm,
    QuarterForm,
    ReviewForm,
    ScoreForm,
    SheetForm,
    TaskForm,
    YearForm,
)
from .models import DuesProfile, Mark, Meeting, MeetingKind, PointPerson, Rater, ScoreSheet, Task
from .permissions import (
    ASSIGN,
    RECORD,
    VIEW,
    get_meeting_for_user,
    get_point_person_for_user,
    get_task_for_user,
)

PROBATION_DAYS = 60
MEETINGS_SHOWN = 12


def _placement(organization_id: int, on: dt.date) -> Placement | None:
    return Placement.objects.on(on).filter(organization_id=organization_id).first()


def _year(request, on: dt.date) -> int:
    form = YearForm(request.GET)
    return (form.cleaned_data.get("nam") if form.is_valid() else None) or on.year


# ---------------------------------------------------------------- the entry point


@require_GET
def home(request):
    """A cell secretary lands on their cell's page; others on the cells of their scope that missed
    a meeting."""
    scope = scope_for(request)
    scope.require(VIEW)
    day = working_day(request)
    if scope.root_id is not None:
        placement = _placement(scope.root_id, day.on)
        if placement is not None and placement.kind in MEMBER_ORG_KINDS:
            return redirect("activities:cell", pk=scope.root_id)
    return redirect("activities:missed")


# ---------------------------------------------------------------- the cell secretary's page


@require_GET
def cell(request, pk):
    organization = get_organization_for_user(request, pk)
    scope = scope_for(request)
    scope.require(VIEW)
    day = working_day(request, organization_id=pk)
    on = day.on
    placement = _placement(organization.pk, on)
    if placement is None:
        raise Http404
    year = on.year
    cal = selectors.calendar(organization.pk, placement.name, year, on)
    month = next((m for m in cal.months if m.month == rules.month_start(on)), None)
    quarter = next((q for q in cal.quarters if q.quarter == rules.quarter_of(on)), None)
    # the year's meetings up to the day (a cell holds some 16 a year): the figures count them all,
    # the list shows the latest; the latest is the meeting of the moment unless the year has none
    meetings = list(selectors.meetings_of(organization.pk, year).filter(held_on__lte=on))
    current = meetings[0] if meetings else selectors.last_meeting(organization.pk, on)
    upcoming = selectors.next_meeting(organization.pk, on)
    context = {
        "workday": day, "on": on, "placement": placement, "organization": organization, "calendar": cal,
        "month_due": month, "quarter_due": quarter, "current": current, "upcoming": upcoming, "meetings": meetings[:MEETINGS_SHOWN],
        "tasks": list(selectors.open_tasks(organization.pk, on)[:20]),
        "probation": with_probation_deadlines(probation_due(scope, placement.path, on, PROBATION_DAYS)[:10], on),
        # the lists read the subtree from the placement's path of the day (no second lookup of it)
        "figures": _figures(meetings, scope, placement.path, year, on),
        "can_record": scope.can(RECORD),
        "dues": selectors.dues_month(organization.pk, on, on),
    }
    if current is not None:
        context.update(_attendance_context(scope, current))
    return render(request, "activities/cell.html", context)


def _figures(meetings: list[Meeting], scope, root: int | str, year: int, on: dt.date) -> dict:
    """The cell's figures of the year from its meetings up to the day, and how many members are on
    the removal lists (root: the cell, or its path on the day)."""
    regular = [m for m in meetings if m.kind == MeetingKind.REGULAR]
    present = sum(m.present_count for m in meetings)
    expected = sum(m.roster_count - m.exempted_count - m.on_duty_count for m in meetings)
    return {
        "held": len(meetings), "regular": len(regular), "thematic": sum(m.kind == MeetingKind.THEMATIC for m in meetings),
        "rate": (100 * present / expected) if expected else None,
        "unexcused": sum(m.unexcused_count for m in meetings),
        "removal": len({c.member_id for c in selectors.removal_list(scope, root, year, on)}
                       | {c.member_id for c in selectors.arrears(scope, root, year, on)}),
    }


# ---------------------------------------------------------------- a meeting


# the tap buttons of an attendance row: (mark, text, class when chosen, class otherwise)
TAPS = [(Mark.PRESENT, _lazy("Có mặt"), "btn-success", "btn-outline-success"),
        (Mark.EXCUSED, _lazy("Có lý do"), "btn-warning", "btn-outline-warning text-body"),
        (Mark.UNEXCUSED, _lazy("Không lý do"), "btn-danger", "btn-outline-danger"),
        (Mark.ON_DUTY, _lazy("Nhiệm vụ"), "btn-secondary", "btn-outline-secondary")]
BADGES = {Mark.PRESENT: "text-bg-success", Mark.UNEXCUSED: "text-bg-danger", Mark.EXCUSED: "text-bg-warning"}


def _dressed(rows: list, editable: bool) -> list:
    """The attendance rows with what their template shows, worked out once per request rather
    than by a dozen template conditions per row (the secretary's page shows 40 of them)."""
    labels = {m.value: str(m.label) for m in Mark}
    taps = [(value, str(text), chosen, other) for value, text, chosen, other in TAPS]
    for row in rows:
        row.key = str(row.member_id)
        row.label = labels[row.mark]
        row.badge = BADGES.get(row.mark, "text-bg-secondary")
        row.asks_reason = row.mark == Mark.EXCUSED
        row.buttons = [] if not editable or row.mark == Mark.EXEMPTED else [
            (value, text, chosen if value == row.mark else other, "true" if value == row.mark else "false")
            for value, text, chosen, other in taps]
    return rows


def _attendance_context(scope, meeting: Meeting) -> dict:
    editable = scope.can(RECORD)
    return {"meeting": meeting, "rows": _dressed(selectors.attendance(meeting), editable), "quality": selectors.quality(meeting),
            "editable": editable, "mark_url": reverse("activities:mark", args=[meeting.pk])}


@require_GET
def meeting(request, pk):
    meeting = get_meeting_for_user(request, pk)
    scope = scope_for(request)
    placement = _placement(meeting.organization_id, meeting.held_on)
    context = {
        **_attendance_context(scope, meeting), "placement": placement,
        "tasks": list(meeting.tasks.select_related("member__person", "reviewed_at")),
        # tasks of earlier meetings not yet done: reviewed here
        "to_review": list(selectors.open_tasks(meeting.organization_id, meeting.held_on).filter(meeting__held_on__lt=meeting.held_on)[:30]),
        "task_form": TaskForm(members=selectors.roster(meeting.organization_id, meeting.held_on)),
        "scores": list(meeting.scores.all()),
        "outcomes": Task.Outcome.choices,
        # the adopted resolution in the register, when the user reads it
        "resolution": visible_documents(scope).filter(pk=meeting.resolution_id).first() if meeting.resolution_id else None,
    }
    return render(request, "activities/meeting.html", context)


def _attendees(organization_id: int) -> list[tuple[int, str]]:
    """Everyone ever assigned to the cell, for the meeting form's choice (the service checks the
    assignment was in force on the meeting's date): one query."""
    seen = {}
    for member_id, name in (PointPerson.objects.filter(organization_id=organization_id)
                            .values_list("member_id", "member__person__full_name").order_by("member__person__name_order")):
        seen.setdefault(member_id, name)
    return list(seen.items())


DOCUMENTS_OFFERED = 200


def _documents(scope, organization_id: int, current: int | None = None) -> list[tuple[int, str]]:
    """The documents of the register issued by the meeting's organization that the user reads,
    newest first (at most DOCUMENTS_OFFERED, and the one already linked): the resolution a meeting
    adopted is one of them; one query."""
    documents = visible_documents(scope).filter(organization_id=organization_id).order_by("-issued_on", "-number")
    rows = list(documents.values_list("id", "symbol", "issued_on", "subject")[:DOCUMENTS_OFFERED])
    if current is not None and all(r[0] != current for r in rows):
        rows += list(documents.filter(pk=current).values_list("id", "symbol", "issued_on", "subject"))
    return [(pk, f"{symbol} ({issued_on:%d/%m/%Y}) · {Truncator(subject).chars(80)}") for pk, symbol, issued_on, subject in rows]


def _meeting_form_page(request, form, title: str, back: str, organization_name: str, status: int = 200):
    scope = scope_for(request)
    register_url = reverse("resolutions:create") if scope.can(RESOLUTIONS_CHANGE) else ""
    return render(request, "activities/meeting_form.html", {"form": form, "title": title, "back_url": back,
                                                             "organization_name": organization_name, "register_url": register_url},
                  status=status)


@require_http_methods(["GET", "POST"])
def create(request, pk):
    organization = get_organization_for_user(request, pk, write=RECORD)
    day = working_day(request, organization_id=pk)
    placement = _placement(organization.pk, day.on)
    name = placement.name if placement else str(organization)
    back = reverse("activities:cell", args=[organization.pk])
    attendees = _attendees(organization.pk)
    documents = _documents(scope_for(request), organization.pk)
    if request.method == "GET":
        form = MeetingForm(initial={"held_on": day.on, "kind": MeetingKind.REGULAR}, attendees=attendees, documents=documents)
        return _meeting_form_page(request, form, _("Ghi buổi sinh hoạt"), back, name)
    form = MeetingForm(request.POST, request.FILES, attendees=attendees, documents=documents)
    if form.is_valid():
        try:
            meeting = services.record_meeting(actor=request.user, organization=organization, **form.details())
            if form.cleaned_data.get("minutes_file"):
                services.attach_minutes(actor=request.user, meeting=meeting, upload=form.cleaned_data["minutes_file"])
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Đã ghi buổi sinh hoạt."))
            return redirect("activities:meeting", pk=meeting.pk)
    return _meeting_form_page(request, form, _("Ghi buổi sinh hoạt"), back, name, status=422)


@require_http_methods(["GET", "POST"])
def edit(request, pk):
    meeting = get_meeting_for_user(request, pk, write=True)
    placement = _placement(meeting.organization_id, meeting.held_on)
    name = placement.name if placement else ""
    back = reverse("activities:meeting", args=[meeting.pk])
    title = _("Sửa thông tin buổi sinh hoạt")
    attendees = _attendees(meeting.organization_id)
    documents = _documents(scope_for(request), meeting.organization_id, meeting.resolution_id)
    if request.method == "GET":
        initial = {f: getattr(meeting, f) for f in services.DETAIL_FIELDS}
        return _meeting_form_page(request, MeetingForm(initial=initial, attendees=attendees, documents=documents), title, back, name)
    form = MeetingForm(request.POST, request.FILES, attendees=attendees, documents=documents)
    if form.is_valid():
        try:
            services.change_meeting(actor=request.user, meeting=meeting, **form.details())
            if form.cleaned_data.get("minutes_file"):
                services.attach_minutes(actor=request.user, meeting=meeting, upload=form.cleaned_data["minutes_file"])
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect(back)
    return _meeting_form_page(request, form, title, back, name, status=422)


def mark(request, pk):
    """One tap: the member's mark; under htmx the row and the summary come back."""
    meeting = get_meeting_for_user(request, pk, write=True)
    if request.method != "POST":  # after the access check: outside the scope is a 404 whatever the method
        return HttpResponseNotAllowed(["POST"])
    form = MarkForm(request.POST)
    error = ""
    row = None
    if not form.is_valid():
        error = _("Kết quả điểm danh không hợp lệ.")
    else:
        try:
            row = services.mark_attendance(actor=request.user, meeting=meeting, member_id=form.cleaned_data["member"],
                                           mark=form.cleaned_data["mark"], reason=form.cleaned_data["reason"])
        except ValidationError as e:
            error = " ".join(e.messages)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("activities:meeting", pk=meeting.pk)
    if row is None:
        member_id = form.cleaned_data.get("member") if form.is_valid() else None
        row = next((r for r in selectors.attendance(meeting) if r.member_id == member_id), None)
        if row is None:
            return render(request, "activities/_error.html", {"error": error}, status=422)
        if form.is_valid() and form.cleaned_data["mark"] == Mark.EXCUSED:
            row.mark = Mark.EXCUSED  # show the reason box, with the message beside it
    meeting.refresh_from_db()
    return render(request, "activities/_mark_response.html",
                  {"meeting": meeting, "row": _dressed([row], True)[0], "error": error, "editable": True,
                   "quality": selectors.quality(meeting), "mark_url": reverse("activities:mark", args=[meeting.pk])})


@require_GET
def minutes_file(request, pk):
    """The attached minutes, only to users whose scope sees the meeting (no public URL)."""
    meeting = get_meeting_for_user(request, pk)
    if not meeting.minutes_file:
        raise Http404
    try:
        handle = meeting.minutes_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=meeting.minutes_file.name.rsplit("/", 1)[-1])
    response["Cache-Control"] = "private, no-store"
    return response


def add_task(request, pk):
    meeting = get_meeting_for_user(request, pk, write=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = TaskForm(request.POST, members=selectors.roster(meeting.organization_id, meeting.held_on))
    if form.is_valid():
        try:
            services.assign_task(actor=request.user, meeting=meeting, description=form.cleaned_data["description"],
                                 member_id=form.cleaned_data["member"], due_on=form.cleaned_data["due_on"])
            messages.success(request, _("Đã giao nhiệm vụ."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, " ".join(f"{form.fields[k].label}: {' '.join(v)}" for k, v in form.errors.items() if k in form.fields))
    return redirect(reverse("activities:meeting", args=[meeting.pk]) + "#tasks")


def review_task(request, pk):
    task = get_task_for_user(request, pk, write=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ReviewForm(request.POST)
    if form.is_valid():
        at = get_meeting_for_user(request, form.cleaned_data["at"], write=True)
        try:
            services.review_task(actor=request.user, task=task, at=at, outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"])
            messages.success(request, _("Đã ghi kết quả nhiệm vụ."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(reverse("activities:meeting", args=[at.pk]) + "#review")
    messages.error(request, _("Kết quả không hợp lệ."))
    return redirect(reverse("activities:meeting", args=[task.meeting_id]))


# ---------------------------------------------------------------- the commune's lists


def _root(request, scope, on: dt.date):
    """The organization a list is for: ?to_chuc= within the scope, else the scope's own."""
    form = YearForm(request.GET)
    requested = form.cleaned_data.get("to_chuc") if form.is_valid() else None
    if requested is not None:
        return get_organization_for_user(request, requested).pk
    if scope.root_id is not None:
        return scope.root_id
    # the whole system: its first root
    root = Placement.objects.on(on).filter(depth=0).order_by("name_order").values_list("organization_id", flat=True).first()
    if root is None:
        raise Http404
    return root


@require_GET
def missed(request):
    scope = scope_for(request)
    scope.require(VIEW)
    day = working_day(request)
    on = day.on
    root_id = _root(request, scope, on)
    year = _year(request, on)
    as_of = min(on, dt.date(year, 12, 31))
    placement = _placement(root_id, as_of)
    rows = selectors.missed(scope, root_id, year, as_of) if placement is not None and path_on(root_id, as_of) else []
    return render(request, "activities/missed.html", {"workday": day, "rows": rows, "year": year, "placement": placement,
                                                       "root_id": root_id, "as_of": as_of})


@require_GET
def removal(request):
    scope = scope_for(request)
    scope.require(VIEW)
    day = working_day(request)
    on = day.on
    root_id = _root(request, scope, on)
    year = _year(request, on)
    as_of = min(on, dt.date(year, 12, 31))
    placement = _placement(root_id, as_of)
    rows = selectors.removal_list(scope, root_id, year, as_of) if placement is not None else []
    arrears = selectors.arrears(scope, root_id, year, as_of) if placement is not None else []
    return render(request, "activities/removal.html", {"workday": day, "rows": rows, "arrears": arrears, "year": year,
                                                        "placement": placement, "rule": rules.rules_on(as_of), "as_of": as_of,
                                                        "dues_rule": dues_rules.rules_for_month(dt.date(year, 1, 1)).removal_rule})


# ---------------------------------------------------------------- party dues


def _month(request, on: dt.date) -> dt.date:
    field = MonthField(required=False)
    try:
        return field.clean(request.GET.get("thang") or request.POST.get("thang")) or rules.month_start(on)
    except ValidationError:
        return rules.month_start(on)


def _dues_context(request, organization_id: int, month: dt.date, on: dt.date) -> dict:
    scope = scope_for(request)
    return {"dues": selectors.dues_month(organization_id, month, on), "organization_id": organization_id,
            "can_record": scope.can(RECORD), "month_text": month.strftime("%m/%Y")}


@require_GET
def dues_page(request, pk):
    organization = get_organization_for_user(request, pk)
    scope_for(request).require(VIEW)
    day = working_day(request, organization_id=pk)
    month = _month(request, day.on)
    placement = _placement(organization.pk, rules.month_end(month)) or _placement(organization.pk, day.on)
    return render(request, "activities/dues.html", {**_dues_context(request, organization.pk, month, day.on), "workday": day,
                                                    "placement": placement})


def dues_tap(request, pk):
    """One tap on the dues page: paid, or not paid with a reason; under htmx the row and the totals."""
    organization = get_organization_for_user(request, pk, write=RECORD)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    day = working_day(request, organization_id=pk)
    month = _month(request, day.on)
    form = DuesTapForm(request.POST)
    error = ""
    member_id = None
    if not form.is_valid():
        error = _("Dữ liệu không hợp lệ.")
    else:
        member_id = form.cleaned_data["member"]
        try:
            services.record_dues(actor=request.user, organization=organization, member_id=member_id, month=month,
                                 paid=form.cleaned_data["paid"], reason=form.cleaned_data["reason"])
        except ValidationError as e:
            error = " ".join(e.messages)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(reverse("activities:dues", args=[pk]) + f"?thang={month:%m/%Y}")
    context = _dues_context(request, organization.pk, month, day.on)
    row = next((r for r in context["dues"].rows if r.member_id == member_id), None)
    if row is None:
        return render(request, "activities/_error.html", {"error": error}, status=422)
    return render(request, "activities/_dues_response.html", {**context, "row": row, "error": error,
                                                              "asked_reason": bool(error) and not form.cleaned_data["paid"]})


@require_http_methods(["GET", "POST"])
def dues_profile(request, pk):
    member = get_member_for_user(request, pk, write=RECORD)
    day = working_day(request)
    back = reverse("activities:dues", args=[member.organization_id]) if member.organization_id else reverse("activities:home")
    current = DuesProfile.objects.on(day.on).filter(member=member).first()
    if request.method == "GET":
        initial = {"valid_from": rules.month_start(day.on)}
        if current is not None:
            initial.update({f: getattr(current, f) for f in ("income_kind", "income", "area", "past_working_age", "voluntary")})
        form = DuesProfileForm(initial=initial)
        status = 200
    else:
        form = DuesProfileForm(request.POST)
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.set_dues_profile(actor=request.user, member=member, valid_from=data["valid_from"], income_kind=data["income_kind"],
                                          income=data["income"], area=data["area"], past_working_age=data["past_working_age"],
                                          voluntary=data["voluntary"] or 0)
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("Đã lưu mức đóng đảng phí."))
                return redirect(back)
    return render(request, "activities/meeting_form.html", {"form": form, "title": _("Mức đóng đảng phí"), "back_url": back,
                                                             "organization_name": member.person.full_name}, status=status)


# ---------------------------------------------------------------- point persons


@require_GET
def point_persons(request):
    """The point persons of the organizations under a commune or committee: those below the
    minimum attendance in a quarter, and every assignment in force."""
    scope = scope_for(request)
    scope.require(VIEW)
    day = working_day(request)
    on = day.on
    root_id = _root(request, scope, on)
    form = QuarterForm(request.GET)
    year, quarter = selectors.last_ended_quarter(on)
    if form.is_valid() and form.cleaned_data.get("nam") and form.cleaned_data.get("quy"):
        year, quarter = form.cleaned_data["nam"], form.cleaned_data["quy"]
    placement = _placement(root_id, on)
    below, current = [], []
    if placement is not None:
        below = selectors.below_minimum(scope, root_id, year, quarter, on)
        cells = Placement.objects.under(root_id, on=on).visible_to(scope).values("organization_id")
        current = list(PointPerson.objects.on(on).filter(organization_id__in=cells).select_related("member__person")
                       .order_by("member__person__name_order", "member_id", "id"))
    names = selectors._names({a.organization_id for a in current}, on)
    rules_now = scoring.point_person_rules_on(on)
    return render(request, "activities/point_persons.html", {
        "workday": day, "placement": placement, "root_id": root_id, "year": year, "quarter": quarter, "below": below,
        "current": [(a, names.get(a.organization_id, "")) for a in current], "rules": rules_now, "on": on,
        "quarters": [(q, q == quarter) for q in range(1, 5)]})


@require_GET
def point_person(request, pk):
    """A point person's page: their assignments (history) and the assigned cells' figures of the
    year — meetings held and attended, meeting scores, the cells' year-end ratings."""
    member = get_member_for_user(request, pk)
    scope = scope_for(request)
    scope.require(VIEW)
    day = working_day(request)
    year = _year(request, day.on)
    history = list(selectors.assignments_of(scope, member.pk))
    names = selectors._names({a.organization_id for a in history}, day.on)
    return render(request, "activities/point_person.html", {
        "workday": day, "member": member, "year": year, "rows": selectors.point_person_year(scope, member.pk, year, day.on),
        "history": [(a, names.get(a.organization_id, "")) for a in history], "can_assign": scope.can(ASSIGN),
        "end_form": EndPointPersonForm(initial={"valid_to": day.on})})


@require_http_methods(["GET", "POST"])
def assign(request, pk):
    """Assign a committee member to the cell (any party member of the organization above it)."""
    organization = get_organization_for_user(request, pk, write=ASSIGN)
    scope = scope_for(request)
    day = working_day(request, organization_id=pk)
    placement = _placement(organization.pk, day.on)
    if placement is None or placement.parent_id is None:
        raise Http404
    back = reverse("activities:scores", args=[organization.pk])
    members = selectors.candidates(scope, placement.parent_id, day.on)
    if request.method == "GET":
        form = PointPersonForm(initial={"valid_from": day.on}, members=members)
        status = 200
    else:
        form = PointPersonForm(request.POST, members=members)
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                member = get_member_for_user(request, data["member"])
                services.assign_point_person(actor=request.user, member=member, organization=organization, role=data["role"],
                                             valid_from=data["valid_from"], decision_number=data["decision_number"],
                                             decision_date=data["decision_date"])
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("Đã phân công %(name)s.") % {"name": member.person.full_name})
                return redirect(back)
    return render(request, "activities/meeting_form.html", {"form": form, "title": _("Phân công cấp ủy viên phụ trách chi bộ"),
                                                             "back_url": back, "organization_name": placement.name}, status=status)


def end_assignment(request, pk):
    assignment = get_point_person_for_user(request, pk, write=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = EndPointPersonForm(request.POST)
    if form.is_valid():
        try:
            services.end_point_person(actor=request.user, assignment=assignment, valid_to=form.cleaned_data["valid_to"])
            messages.success(request, _("Đã kết thúc phân công."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, " ".join(f"{form.fields[k].label}: {' '.join(v)}" for k, v in form.errors.items() if k in form.fields))
    return redirect("activities:point_person", pk=assignment.member_id)


# ---------------------------------------------------------------- meeting scores


@require_http_methods(["GET", "POST"])
def score(request, pk):
    """Score a meeting on the sheet in force for its cell: by the cell, or by the point person who attended."""
    meeting = get_meeting_for_user(request, pk, write=True)
    placement = _placement(meeting.organization_id, meeting.held_on)
    back = reverse("activities:meeting", args=[meeting.pk])
    sheet = selectors.sheet_for(meeting.organization_id, meeting.held_on)
    if sheet is None:
        messages.error(request, _("Chưa có phiếu chấm điểm áp dụng cho chi bộ vào ngày %(date)s.") % {"date": meeting.held_on.strftime("%d/%m/%Y")})
        return redirect(back)
    existing = {s.rater: s for s in meeting.scores.all()}
    rater = request.GET.get("nguoi_cham") if request.GET.get("nguoi_cham") in Rater.values else Rater.CELL
    if request.method == "GET":
        initial = {"rater": rater}
        if (old := existing.get(rater)) is not None:
            initial.update(old.points)
        form = ScoreForm(initial=initial, sheet=sheet)
        status = 200
    else:
        form = ScoreForm(request.POST, sheet=sheet)
        status = 422
        if form.is_valid():
            try:
                result = services.score_meeting(actor=request.user, meeting=meeting, rater=form.cleaned_data["rater"], points=form.points())
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("Đã chấm: %(total)s điểm, %(band)s.") % {"total": result.total, "band": result.band})
                return redirect(back + "#scores")
    return render(request, "activities/score_form.html", {"form": form, "sheet": sheet, "meeting": meeting, "placement": placement,
                                                           "back_url": back, "maximum": scoring.maximum(sheet.criteria)}, status=status)


@require_GET
def scores(request, pk):
    """A cell's meeting scores by quarter and year, and its point persons: the evidence the cell's
    year-end evaluation page links to."""
    organization = get_organization_for_user(request, pk)
    scope = scope_for(request)
    scope.require(VIEW)
    day = working_day(request, organization_id=pk)
    year = _year(request, day.on)
    as_of = min(day.on, dt.date(year, 12, 31))
    placement = _placement(organization.pk, as_of) or _placement(organization.pk, day.on)
    summary = next(iter(selectors.score_summaries([organization.pk], year)), None)
    meetings = list(selectors.meetings_of(organization.pk, year).filter(held_on__lte=as_of).select_related("superior_attendee__person")
                    .prefetch_related("scores"))
    assignments = list(PointPerson.objects.filter(organization_id=organization.pk).select_related("member__person")
                       .order_by("-valid_from", "-id"))
    figures = {f.assignment.pk: f for f in selectors.point_figures([a for a in assignments if a.valid_from <= as_of], {},
                                                                   dt.date(year, 1, 1), as_of)} if as_of >= dt.date(year, 1, 1) else {}
    return render(request, "activities/scores.html", {
        "workday": day, "organization": organization, "placement": placement, "year": year, "summary": summary,
        "quarters": [(q, summary.quarters.get(q) if summary else None) for q in range(1, 5)],
        "meetings": meetings, "assignments": [(a, figures.get(a.pk)) for a in assignments],
        "sheet": selectors.sheet_for(organization.pk, as_of), "can_assign": scope.can(ASSIGN), "can_record": scope.can(RECORD),
        "end_form": EndPointPersonForm(initial={"valid_to": day.on})})


# ---------------------------------------------------------------- commendations

COMMENDATION_MEASURES = ["commendations", "commendations.organizations", "commendations.members", "commendations.praise",
                         "commendations.certificate", "commendations.merit", "commendations.flag", "commendations.state",
                         "commendations.gift_value"]
AWARDS_SHOWN = 200
# short headers for the page's table (the measure's full label is the header's title)
COLUMN_LABELS = {"commendations": _lazy("Tổng"), "commendations.organizations": _lazy("Tổ chức"), "commendations.members": _lazy("Đảng viên"),
                 "commendations.praise": _lazy("Biểu dương"), "commendations.certificate": _lazy("Giấy khen"),
                 "commendations.merit": _lazy("Bằng khen"), "commendations.flag": _lazy("Cờ thi đua"),
                 "commendations.state": _lazy("Nhà nước"), "commendations.gift_value": _lazy("Giá trị (đồng)")}


@require_http_methods(["GET", "POST"])
def commend(request, pk):
    """Record an award to the organization or to one of its members (?dang_vien= preselects one)."""
    organization = get_organization_for_user(request, pk, write=RECORD)
    day = working_day(request, organization_id=pk)
    placement = _placement(organization.pk, day.on)
    if placement is None:
        raise Http404
    back = reverse("activities:commendations") + f"?to_chuc={organization.pk}"
    members = [(r.member_id, r.name) for r in selectors.roster(organization.pk, day.on) if not r.temporary]
    bodies = selectors.awarding_bodies(placement, day.on)
    kwargs = {"organization_name": placement.name, "members": members, "bodies": bodies}
    if request.method == "GET":
        initial = {"decided_on": day.on, "awarded_by": bodies[0][0] if bodies else None, "gift_value": 0}
        if (chosen := request.GET.get("dang_vien", "")).isdigit() and int(chosen) in dict(members):
            initial["member"] = int(chosen)
        form = CommendationForm(initial=initial, **kwargs)
        status = 200
    else:
        form = CommendationForm(request.POST, **kwargs)
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                member = get_member_for_user(request, data["member"]) if data["member"] is not None else None
                body = Organization.objects.filter(pk=data["awarded_by"]).first() if data["awarded_by"] is not None else None
                award = services.record_commendation(
                    actor=request.user, organization=organization, member=member, form=data["form"], title=data["title"],
                    period_kind=data["period_kind"], year_from=data["year_from"], year_to=data["year_to"], awarded_by=body,
                    awarded_by_name=data["awarded_by_name"], decision_number=data["decision_number"], decided_on=data["decided_on"],
                    gift_value=data["gift_value"] or 0)
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("Đã ghi %(form)s, quyết định số %(number)s.") % {
                    "form": award.get_form_display().lower(), "number": award.decision_number})
                return redirect(f"{back}&nam={award.decided_on.year}&ngay={award.decided_on:%d/%m/%Y}")
    return render(request, "activities/meeting_form.html", {"form": form, "title": _("Ghi khen thưởng"), "back_url": back,
                                                             "organization_name": placement.name}, status=status)


@require_GET
def commendations(request):
    """The awards of a year under an organization (the figures by form from the measure engine,
    then the decisions), and who is eligible for a five-year award."""
    scope = scope_for(request)
    scope.require(VIEW)
    day = working_day(request)
    on = day.on
    root_id = _root(request, scope, on)
    form = EligibilityForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    year = data.get("nam") or on.year
    as_of = min(on, dt.date(year, 12, 31))
    start = dt.date(year, 1, 1)
    rule_code = data.get("muc") or commendation_rules.DEFAULT_ELIGIBILITY
    rule = commendation_rules.ELIGIBILITY[rule_code]
    last_year = year - 1 if as_of < dt.date(year, 12, 31) else year
    placement = _placement(root_id, as_of)
    table, awards, organizations, members = None, [], [], []
    if placement is not None and as_of >= start:
        table = engine.table(COMMENDATION_MEASURES, root_id, by="child", period=(start, as_of), scope=scope)
        awards = list(selectors.commendations_under(scope, root_id, start, as_of)[:AWARDS_SHOWN])
        names = selectors._names({a.organization_id for a in awards}, as_of)
        for a in awards:
            a.organization_name = names.get(a.organization_id, "")
        organizations = selectors.eligible_organizations(scope, root_id, last_year, rule, as_of)
        members = selectors.eligible_members(scope, root_id, last_year, rule, as_of)
    first_year, _last = commendation_rules.years_window(last_year, rule)
    return render(request, "activities/commendations.html", {
        "workday": day, "placement": placement, "root_id": root_id, "year": year, "as_of": as_of, "table": table,
        "columns": [(COLUMN_LABELS[name], MEASURES[name].label) for name in COMMENDATION_MEASURES],
        "rows": [(label, [values.get(n, 0) for n in COMMENDATION_MEASURES]) for _key, label, values in table.rows] if table else [],
        "totals": [(n, table.total.get(n, 0)) for n in COMMENDATION_MEASURES] if table else [], "awards": awards, "awards_shown": AWARDS_SHOWN,
        "eligible_organizations": organizations, "eligible_members": members, "members_limit": selectors.ELIGIBLE_MEMBERS_LIMIT,
        "rule": rule, "rule_code": rule_code, "rules": [(code, code == rule_code) for code in commendation_rules.ELIGIBILITY],
        "first_year": first_year, "last_year": last_year, "can_record": scope.can(RECORD),
        "ladder": commendation_rules.ladder_on(as_of)})


# ---------------------------------------------------------------- a committee's own score sheet

MAX_CRITERIA_ROWS, MAX_BAND_ROWS = 60, 12


def _owner(request, pk, *, write=False):
    organization = get_organization_for_user(request, pk, write=ASSIGN if write else False)
    day = working_day(request, organization_id=pk)
    placement = _placement(organization.pk, day.on)
    if placement is None:
        raise Http404
    return organization, placement, day


@require_GET
def sheets(request, pk):
    """The score sheets of a province or commune committee, the one in force and those before it,
    or, for another organization, the sheet that applies to it and whose it is."""
    organization, placement, day = _owner(request, pk)
    scope = scope_for(request)
    scope.require(VIEW)
    own = list(ScoreSheet.objects.filter(owner_id=organization.pk).order_by("-valid_from", "-id"))
    applying = selectors.sheet_for(organization.pk, day.on)
    owner_name = selectors._names([applying.owner_id], day.on).get(applying.owner_id, "") if applying is not None else ""
    return render(request, "activities/sheets.html", {
        "workday": day, "organization": organization, "placement": placement, "own": own, "applying": applying,
        "owner_name": owner_name, "is_owner_kind": placement.kind in services.SHEET_OWNER_KINDS,
        "can_define": scope.can(ASSIGN) and placement.kind in services.SHEET_OWNER_KINDS,
        "maximum": scoring.maximum(applying.criteria) if applying is not None else None})


def _rows(request, name: str, default: int, limit: int) -> int:
    try:
        return max(1, min(limit, int(request.POST.get(name, default))))
    except (TypeError, ValueError):
        return default


@require_http_methods(["GET", "POST"])
def define_sheet(request, pk):
    """Define the committee's own score sheet from a date: criteria with their points adding up to
    the sheet's total, bands from the highest minimum down (the form puts each row's problem on
    its row; the service checks the whole and replaces the sheet in force from that date)."""
    organization, placement, day = _owner(request, pk, write=True)
    if placement.kind not in services.SHEET_OWNER_KINDS:
        raise Http404
    back = reverse("activities:sheets", args=[organization.pk])
    base = selectors.sheet_for(organization.pk, day.on)
    template = ({"name": base.name, "source": base.source, "criteria": base.criteria, "bands": base.bands}
                if base is not None else scoring.DEFAULT_SHEET)
    if request.method == "GET":
        criteria_rows, band_rows = len(template["criteria"]) + 3, len(template["bands"]) + 2
        # the default sheet's source describes the default, not the committee's own document
        initial = {"name": template["name"], "source": template.get("source", "") if base is not None else "", "valid_from": day.on,
                   "total": scoring.maximum(template["criteria"])}
        for i, c in enumerate(template["criteria"], start=1):
            initial.update({f"crit_key_{i}": c["key"], f"crit_label_{i}": c["label"], f"crit_points_{i}": c["points"]})
        for i, b in enumerate(template["bands"], start=1):
            initial.update({f"band_label_{i}": b["label"], f"band_min_{i}": b["min"]})
        form = SheetForm(initial=initial, criteria_rows=criteria_rows, band_rows=band_rows)
        status = 200
    else:
        form = SheetForm(request.POST, criteria_rows=_rows(request, "crit_rows", 11, MAX_CRITERIA_ROWS),
                         band_rows=_rows(request, "band_rows", 6, MAX_BAND_ROWS))
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                sheet = services.define_score_sheet(actor=request.user, owner=organization, name=data["name"], source=data["source"],
                                                    criteria=data["criteria"], bands=data["bands"], valid_from=data["valid_from"],
                                                    total=data["total"])
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("Đã ban hành %(name)s, áp dụng từ %(date)s.") % {
                    "name": sheet.name, "date": sheet.valid_from.strftime("%d/%m/%Y")})
                return redirect(back)
    return render(request, "activities/sheet_form.html", {"form": form, "placement": placement, "organization": organization,
                                                           "back_url": back}, status=status)
