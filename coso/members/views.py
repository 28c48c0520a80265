"""Member pages. Views stay thin: scope → object helper → form → one service → render or redirect.

Lists take the organization (?to_chuc=, default the user's scope organization) and the as-of
date (?ngay=, default the working day: organizations.workday); under htmx they render only the table partial.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from coso.access.scope import scope_for
from coso.activities.permissions import RECORD as ACTIVITIES_RECORD
from coso.activities.permissions import visible_commendations
from coso.lib.dates import fmt
from coso.lib.forms import apply_service_error
from coso.lib.text import in_vietnamese_order
from coso.organizations.models import Placement
from coso.organizations.scope import Scope
from coso.organizations.selectors import last_placement, requested_organization_id
from coso.organizations.workday import WorkingDay, working_day
from coso.people.forms import PersonForm
from coso.people.models import Person
from coso.people.selectors import age_on, can_see_sensitive, name_q
from coso.places.permissions import covered_communes
from coso.places.selectors import villages_of

from . import lifecycle, selectors, services
from .dates import FUTURE_KINDS
from .forms import (
    ACTIONS,
    AdmitForm,
    CandidateEditForm,
    CandidateForm,
    DropForm,
    JoinByTransferForm,
    MemberFilterForm,
    OrganizationPickForm,
    PersonPickForm,
    ReceiveForm,
    RecognizeForm,
    RecordForm,
    available_actions,
)
from .models import Candidate, EventType, Member, MemberPeriod, Status
from .permissions import (
    CHANGE,
    VIEW,
    departures,
    get_candidate_for_user,
    get_member_for_user,
    get_person_for_user,
    transit_target,
    visible_candidates,
    visible_persons,
)
from .rows import writer as row_writer

# the tabs of the member pages: URL name -> label
TABS = [
    ("list", gettext_lazy("Danh sách đảng viên")),
    ("candidates", gettext_lazy("Quần chúng ưu tú")),
    ("probation", gettext_lazy("Sắp hết dự bị")),
    ("transfers", gettext_lazy("Chuyển sinh hoạt")),
    ("badges", gettext_lazy("Huy hiệu Đảng")),
]


def _today() -> dt.date:
    return timezone.localdate()


def _page_template(request, template: str) -> str:
    return f"{template}#rows" if request.htmx else template


# ---------------------------------------------------------------- where a list looks


@dataclass
class Where:
    """The organization a list is about and its placement on the as-of date (None: not in force)."""

    organization_id: int | None
    placement: Placement | None
    day: WorkingDay

    @property
    def on(self) -> dt.date:
        return self.day.on

    @property
    def on_text(self) -> str:
        return fmt(self.on)


def _where(request, scope: Scope) -> Where:
    day = working_day(request)  # the scope's last day when it has ended; an unreadable date is an error
    organization_id = requested_organization_id(request, default=scope.root_id)  # None: a global administrator chooses
    if organization_id is None:
        return Where(None, None, day)
    # one query in the common case: the placement on the date, inside the scope
    placement = Placement.objects.on(day.on).visible_to(scope).filter(organization_id=organization_id).first()
    if placement is None:
        scope.check(organization_id)  # 404 outside the scope; else not in force (or not in scope) that day
    if not day.ok:
        placement = None  # nothing is shown for a date that does not exist
    return Where(organization_id, placement, day)


def _last_placement(where: Where):
    """The picker keeps the organization chosen when the date typed is not a date."""
    if where.day.ok or where.organization_id is None:
        return None
    return last_placement(where.organization_id)


def _where_context(request, scope: Scope, where: Where, url_name: str) -> dict:
    if not where.day.ok:
        pass  # the page's date line says what is wrong
    elif where.organization_id is None:
        messages.info(request, _("Chọn một tổ chức để xem."))
    elif where.placement is None:
        messages.warning(request, _("Tổ chức này không hoạt động trong phạm vi của bạn vào ngày %(date)s.") % {"date": where.on_text})
    return {
        "where": where,
        "workday": where.day,
        "on": where.on,
        "on_text": where.on_text,
        "pick": OrganizationPickForm(placement=where.placement or _last_placement(where), on_text=where.day.box, invalid=not where.day.ok),
        "pick_url": reverse(url_name),
        "can_change": scope.can(CHANGE),
        "tabs": TABS,
    }


# ---------------------------------------------------------------- the member list


def _choice_labels() -> dict[str, dict]:
    """{field: {code: label}} of the choices the member list shows, in the active language."""
    person = Person._meta
    fields = {"gender": person.get_field("gender"), "ethnicity": person.get_field("ethnicity"),
              "religion": person.get_field("religion"), "status": MemberPeriod._meta.get_field("status")}
    return {name: {code: str(label) for code, label in field.flatchoices} for name, field in fields.items()}


@require_GET
def member_list(request):
    scope = scope_for(request)
    scope.require(VIEW)
    where = _where(request, scope)
    sensitive = can_see_sensitive(scope)
    children = selectors.children_on(scope, where.organization_id, where.on) if where.placement else []
    form = MemberFilterForm(request.GET, children=children, sensitive=sensitive)
    filters = form.filters()
    page = None
    if where.placement:
        path = where.placement.path
        if form.child_id:
            path = next(c.path for c in children if c.organization_id == form.child_id)
        rows = selectors.member_rows(scope, path, where.on, filters)
        page = Paginator(rows, selectors.PAGE_SIZE).get_page(request.GET.get("trang"))
        # members who have left the scope's subtree since: not their sensitive fields (decision 0007)
        gone = departures(scope, [row.member.pk for row in page]) if sensitive else {}
        labels = _choice_labels()
        write = row_writer(sensitive)
        for number, row in enumerate(page, start=page.start_index()):
            person = row.member.person
            row.age = age_on(person, where.on)
            row.departed = gone.get(row.member.pk)
            # what get_FOO_display() says, from labels read once a page (it rebuilds its choices per call)
            row.gender_label = labels["gender"].get(person.gender, person.gender)
            row.ethnicity_label = labels["ethnicity"].get(person.ethnicity, person.ethnicity)
            row.religion_label = labels["religion"].get(person.religion, person.religion)
            row.status_label = labels["status"].get(row.status, row.status)
            row.html = write(row, number)
    context = {
        **_where_context(request, scope, where, "members:list"),
        "form": form,
        "page": page,
        "sensitive": sensitive,
        "query": filters.query,
    }
    return render(request, _page_template(request, "members/list.html"), context)


@require_GET
def cell_options(request):
    """<option>s for the cell picker: cells in force today in the user's scope."""
    scope = scope_for(request)
    scope.require(VIEW)
    return render(request, "members/options.html", {"cells": selectors.cells(scope, request.GET.get("q", ""), working_day(request).on)})


@require_GET
def person_options(request):
    """<option>s for choosing an existing person: persons the user's scope sees, by name."""
    scope = scope_for(request)
    q = name_q(request.GET.get("q", ""))
    persons = visible_persons(scope).filter(q).order_by("name_order", "id")[:30] if q else []
    return render(request, "members/person_options.html", {"persons": persons})


@require_GET
def village_options(request):
    """<option>s of the village picker: the villages in force today of the commune chosen in the
    person form (?origin_unit= or ?residence_unit=), when the user's scope covers that commune."""
    scope = scope_for(request)
    scope.require(VIEW)
    raw = request.GET.get("origin_unit") or request.GET.get("residence_unit") or ""
    villages = []
    if raw.isdigit():
        commune = covered_communes(scope).filter(pk=int(raw)).first()
        if commune is not None:
            villages = in_vietnamese_order(villages_of(commune, _today()))
    return render(request, "members/village_options.html", {"villages": villages})


def _person_form(request, scope, **kwargs) -> PersonForm:
    """The person form of the member pages, bound to the POST and its uploaded photo."""
    return PersonForm(request.POST or None, request.FILES or None, sensitive=can_see_sensitive(scope), scope=scope, village_url=reverse("members:village_options"), **kwargs)


# ---------------------------------------------------------------- one member


AWARDS_SHOWN = 50


@require_GET
def detail(request, pk):
    scope = scope_for(request)
    member = get_member_for_user(request, pk)
    today = _today()
    # a member who left the scope's subtree: their history up to the departure, not their
    # current record nor their sensitive fields (decision 0007)
    departed = departures(scope, [member.pk]).get(member.pk)
    # the member's state on the page's date (?ngay=, the working day by default; not after the
    # departure): an event recorded ahead (decision 0008) shows in the history but counts from its
    # own day, as in lists and reports
    day = working_day(request)
    on = min(day.on, departed) if departed and departed != dt.date.min else day.on
    timeline = selectors.timeline(member, on, until=departed)
    state, latest = timeline.state, timeline.latest
    writable = departed is None and scope.can(CHANGE) and scope.contains(member.organization_id)
    receivable = departed is None and bool(latest.transit_to) and scope.can(CHANGE) and scope.contains(latest.transit_to)
    months = state.party_months(on) if state.admitted_on else 0
    # what may be recorded next follows the last event recorded, whatever the page's date
    actions = [(slug, ACTIONS[slug]) for slug in available_actions(latest)] if writable else []
    context = {
        "member": member,
        "person": member.person,
        "state": state,
        "status_label": Status(state.status).label if state.status else _("Chưa là đảng viên"),
        "events": timeline.events,
        "departed": departed,
        "departed_text": fmt(departed) if departed and departed != dt.date.min else "",
        "later_events": [e for e in timeline.events if e.later],
        "workday": day,
        "on": on,
        "on_text": fmt(on),
        "box_text": day.box if not day.ok else fmt(on),
        "is_today": on == today or departed is not None or day.ended_on is not None,  # no "today" link then
        "organization_name": "" if departed else timeline.names.get((state.organization_id or member.organization_id, on), ""),
        "transit_name": timeline.names.get((state.transit_to, on), ""),
        "host_name": timeline.names.get((state.host_id, on), ""),
        "party_years": months // 12,
        "party_months": months % 12,
        "badges": sorted(state.badges),
        "probation_ends": state.probation_ends,
        "sensitive": can_see_sensitive(scope) and departed is None,
        "writable": writable,
        "receivable": receivable,
        "can_recognize": writable and latest.probation_ends is not None,
        "actions": actions,
        "exits": [(slug, action) for slug, action in actions if action.danger],
        "candidacy": visible_candidates(scope).filter(member=member).only("pk").first(),
        "can_audit": scope.can("audit.view"),
        "today": today,
        # the member's awards recorded under the organizations of the scope (activities.permissions)
        "awards": list(visible_commendations(scope).filter(member_id=member.pk).order_by("-decided_on", "-id")[:AWARDS_SHOWN]),
        "awards_shown": AWARDS_SHOWN,
        "commend_in": (state.organization_id or member.organization_id) if departed is None and scope.can(ACTIVITIES_RECORD)
        and scope.contains(state.organization_id or member.organization_id) else None,
    }
    return render(request, "members/detail.html", context)


def _to_member(member):
    return redirect("members:detail", pk=member.pk)


@require_http_methods(["GET", "POST"])
def create(request):
    """A person and their membership as it already stands (event RECORDED), in one transaction."""
    scope = scope_for(request)
    scope.require(CHANGE)
    data = request.POST or None
    initial_cell = request.GET.get("to_chuc") if request.GET.get("to_chuc", "").isdigit() else None
    person_form = _person_form(request, scope)
    record_form = RecordForm(data, scope=scope, initial={"on": _today(), "organization": initial_cell})
    if request.method == "POST" and person_form.is_valid() and record_form.is_valid():
        r = record_form.cleaned_data
        try:
            member = services.create_member(
                actor=request.user, person_fields=person_form.person_fields(), organization=r["organization"], on=r["on"],
                admitted_on=r["admitted_on"], recognized_on=r["recognized_on"], decision_date=r["decision_date"],
                card_number=r["card_number"], introducers=r["introducers"], note=r["note"],
            )
        except services.PersonRefused as error:
            apply_service_error(person_form, error)
        except ValidationError as error:
            apply_service_error(record_form, error)
        else:
            messages.success(request, _("Đã ghi nhận đảng viên %(name)s.") % {"name": member.person.full_name})
            return _to_member(member)
    return render(request, "members/member_form.html", {"person_form": person_form, "record_form": record_form, "title": _("Thêm đảng viên")})


@require_http_methods(["GET", "POST"])
def join_by_transfer(request):
    """A member arriving with a transfer letter from outside the system: the person and the
    JOINED_BY_TRANSFER event, in one transaction."""
    scope = scope_for(request)
    scope.require(CHANGE)
    data = request.POST or None
    initial_cell = request.GET.get("to_chuc") if request.GET.get("to_chuc", "").isdigit() else None
    person_form = _person_form(request, scope)
    record_form = JoinByTransferForm(data, scope=scope, initial={"on": _today(), "organization": initial_cell})
    if request.method == "POST" and person_form.is_valid() and record_form.is_valid():
        r = dict(record_form.cleaned_data)
        organization = r.pop("organization")
        try:
            member = services.create_member_joined_by_transfer(
                actor=request.user, person_fields=person_form.person_fields(), organization=organization, **r)
        except services.PersonRefused as error:
            apply_service_error(person_form, error)
        except ValidationError as error:
            apply_service_error(record_form, error)
        else:
            messages.success(request, _("Đã ghi nhận đảng viên %(name)s chuyển đến.") % {"name": member.person.full_name})
            return _to_member(member)
    context = {
        "person_form": person_form, "record_form": record_form, "title": _("Tiếp nhận đảng viên chuyển đến"),
        "intro": _("Đảng viên chuyển sinh hoạt đảng chính thức từ một tổ chức đảng ngoài hệ thống, có giấy giới thiệu sinh hoạt đảng."),
        "legend": _("Tiếp nhận sinh hoạt đảng"),
    }
    return render(request, "members/member_form.html", context)


@require_GET
def photo(request, pk):
    """A person's photo, to users whose scope sees the person (photos have no public URL)."""
    person = get_person_for_user(request, pk)
    if not person.photo:
        raise Http404
    member_id = Member.objects.filter(person=person).values_list("pk", flat=True).first()
    if member_id is not None and departures(scope_for(request), [member_id]):
        raise Http404  # a member who left the scope's subtree: not their current photo (decision 0007)
    try:
        handle = person.photo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle)
    response["Cache-Control"] = "private, max-age=3600"  # the name changes with the photo
    return response


def _edit_person(request, person, organization_id, title, back_url):
    scope = scope_for(request)
    form = _person_form(request, scope, initial=model_to_dict(person, exclude=["photo"]), has_photo=bool(person.photo))
    if request.method == "POST" and form.is_valid():
        try:
            fields = form.person_fields()
            # people.services.update_person blanks a national ID it is not given: pass the
            # current one back when the form (without people.sensitive) does not carry it
            fields.setdefault("national_id", person.national_id)
            services.update_person(actor=request.user, person=person, organization_id=organization_id, **fields)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Đã lưu nhân thân của %(name)s.") % {"name": person.full_name})
            return redirect(back_url)
    return render(request, "members/form.html", {"form": form, "title": title, "subject": person, "back_url": back_url})


@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    member = get_member_for_user(request, pk, write=True)
    return _edit_person(request, member.person, member.organization_id, _("Sửa nhân thân"), reverse("members:detail", args=[member.pk]))


def _event_page(request, member, form, title, run, *, intro=""):
    if request.method == "POST" and form.is_valid():
        try:
            run(form)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Đã ghi nhận: %(action)s, %(name)s.") % {"action": title, "name": member.person.full_name})
            return _to_member(member)
    context = {"form": form, "title": title, "subject": member.person, "intro": intro, "back_url": reverse("members:detail", args=[member.pk])}
    return render(request, "members/form.html", context)


@require_http_methods(["GET", "POST"])
def event(request, pk, action):
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    member = get_member_for_user(request, pk, write=True)
    form = spec.form(request.POST or None, scope=scope_for(request), initial={"effective_date": _today()})
    if spec.type in FUTURE_KINDS:
        form.allow_future()

    def run(form):
        services.record_event(actor=request.user, member=member, type=spec.type, **form.event_fields())

    return _event_page(request, member, form, spec.title, run)


@require_http_methods(["GET", "POST"])
def recognize(request, pk):
    member = get_member_for_user(request, pk, write=True)
    state = lifecycle.replay(list(member.events.order_by("effective_date", "sequence", "id"))).state
    form = RecognizeForm(request.POST or None)
    if state.probation_ends:
        intro = _("Ngày công nhận chính thức là ngày đủ 12 tháng dự bị: %(date)s (kết nạp ngày %(admitted)s).") % {
            "date": fmt(state.probation_ends), "admitted": fmt(state.admitted_on)}
    else:
        intro = _("Chỉ công nhận chính thức đảng viên dự bị.")

    def run(form):
        services.recognize(actor=request.user, member=member, **form.cleaned_data)

    return _event_page(request, member, form, _("Công nhận đảng viên chính thức"), run, intro=intro)


@require_http_methods(["GET", "POST"])
def receive(request, pk):
    """The receiving side records that the member presented the transfer letter."""
    member = get_member_for_user(request, pk, write=True, receiving=True)
    target = transit_target(member)
    form = ReceiveForm(request.POST or None, scope=scope_for(request), initial={"effective_date": _today()})

    def run(form):
        services.record_event(actor=request.user, member=member, type=EventType.TRANSFER_RECEIVED, organization_id=target, **form.event_fields())

    name = selectors.organization_names({(target, _today())}).get((target, _today()), "")
    intro = _("Tiếp nhận sinh hoạt đảng tại %(name)s.") % {"name": name}
    return _event_page(request, member, form, _("Tiếp nhận sinh hoạt đảng"), run, intro=intro)


# ---------------------------------------------------------------- candidates


@require_GET
def candidates(request):
    scope = scope_for(request)
    scope.require(VIEW)
    where = _where(request, scope)
    state = request.GET.get("tinh_trang", Candidate.State.PREPARING)
    if state not in Candidate.State.values:
        state = ""
    query = request.GET.get("tim", "")
    page = None
    if where.placement:
        rows = selectors.candidate_rows(scope, where.placement.path, where.on, state=state, query=query)
        page = Paginator(rows, selectors.PAGE_SIZE).get_page(request.GET.get("trang"))
    context = {
        **_where_context(request, scope, where, "members:candidates"),
        "page": page, "state": state, "states": Candidate.State.choices, "query": query,
    }
    return render(request, _page_template(request, "members/candidates.html"), context)


@require_http_methods(["GET", "POST"])
def candidate_create(request):
    """A candidate: a new person, or an existing one chosen first (?nguoi=)."""
    scope = scope_for(request)
    scope.require(CHANGE)
    existing = None
    raw = request.POST.get("nguoi") or request.GET.get("nguoi")
    if raw:
        if not raw.isdigit():
            raise Http404
        existing = get_person_for_user(request, int(raw))
    data = request.POST or None
    person_form = None if existing else _person_form(request, scope)
    form = CandidateForm(data, scope=scope, initial={"listed_on": _today()})
    forms_valid = request.method == "POST" and form.is_valid() and (person_form is None or person_form.is_valid())
    if forms_valid:
        try:
            candidate = services.list_candidate(
                actor=request.user, person=existing, person_fields=None if existing else person_form.person_fields(), **form.cleaned_data)
        except services.PersonRefused as error:
            apply_service_error(person_form, error)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Đã đưa %(name)s vào danh sách cảm tình Đảng.") % {"name": candidate.person.full_name})
            return redirect("members:candidate", pk=candidate.pk)
    context = {
        "form": form, "person_form": person_form, "existing": existing,
        "pick": PersonPickForm(), "title": _("Thêm quần chúng ưu tú"),
    }
    return render(request, "members/candidate_form.html", context)


@require_GET
def candidate(request, pk):
    scope = scope_for(request)
    candidate = get_candidate_for_user(request, pk)
    names = selectors.organization_names({(candidate.organization_id, _today())})
    context = {
        "candidate": candidate,
        "person": candidate.person,
        "organization_name": names.get((candidate.organization_id, _today()), ""),
        "sensitive": can_see_sensitive(scope),
        "writable": scope.can(CHANGE) and candidate.state == Candidate.State.PREPARING,
        "can_audit": scope.can("audit.view"),
    }
    return render(request, "members/candidate.html", context)


def _candidate_page(request, candidate, form, title, run, success):
    if request.method == "POST" and form.is_valid():
        try:
            result = run(form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, success % {"name": candidate.person.full_name})
            return result
    back = reverse("members:candidate", args=[candidate.pk])
    return render(request, "members/form.html", {"form": form, "title": title, "subject": candidate.person, "back_url": back})


@require_http_methods(["GET", "POST"])
def candidate_edit(request, pk):
    candidate = get_candidate_for_user(request, pk, write=True)
    initial = {"course_completed_on": candidate.course_completed_on, "course_certificate": candidate.course_certificate,
               "introducers": candidate.introducers}

    def run(data):
        services.update_candidate(actor=request.user, candidate=candidate, **data)
        return redirect("members:candidate", pk=candidate.pk)

    form = CandidateEditForm(request.POST or None, initial=initial)
    return _candidate_page(request, candidate, form, _("Lớp bồi dưỡng và người giới thiệu"), run, _("Đã lưu hồ sơ quần chúng %(name)s."))


@require_http_methods(["GET", "POST"])
def candidate_person_edit(request, pk):
    candidate = get_candidate_for_user(request, pk, write=True)
    back = reverse("members:candidate", args=[candidate.pk])
    return _edit_person(request, candidate.person, candidate.organization_id, _("Sửa nhân thân"), back)


@require_http_methods(["GET", "POST"])
def admit(request, pk):
    candidate = get_candidate_for_user(request, pk, write=True)

    def run(data):
        member = services.admit_candidate(actor=request.user, candidate=candidate, **data)
        return _to_member(member)

    form = AdmitForm(request.POST or None, initial={"admitted_on": _today()})
    return _candidate_page(request, candidate, form, _("Kết nạp đảng viên"), run, _("Đã kết nạp %(name)s vào Đảng."))


@require_http_methods(["GET", "POST"])
def drop(request, pk):
    candidate = get_candidate_for_user(request, pk, write=True)

    def run(data):
        services.drop_candidate(actor=request.user, candidate=candidate, reason=data["reason"])
        return redirect("members:candidate", pk=candidate.pk)

    form = DropForm(request.POST or None)
    return _candidate_page(request, candidate, form, _("Dừng xem xét kết nạp"), run, _("Đã dừng xem xét kết nạp %(name)s."))


# ---------------------------------------------------------------- worklists


def _worklist(request, url_name):
    scope = scope_for(request)
    scope.require(VIEW)
    where = _where(request, scope)
    return scope, where, _where_context(request, scope, where, url_name)


@require_GET
def probation(request):
    """Probationary members whose 12 months end within N days (default 30), or have ended."""
    scope, where, context = _worklist(request, "members:probation")
    raw = request.GET.get("so_ngay", "")
    days = int(raw) if raw.isdigit() and int(raw) <= 366 else 30
    page = None
    if where.placement:
        page = Paginator(selectors.probation_due(scope, where.placement.path, where.on, days), selectors.PAGE_SIZE).get_page(request.GET.get("trang"))
        page.object_list = selectors.with_probation_deadlines(page.object_list, where.on)
    context.update({"page": page, "days": days, "deadline_days": selectors.RECOGNITION_DEADLINE_WORKING_DAYS})
    return render(request, "members/probation.html", context)


@require_GET
def transfers(request):
    """Transfers in transit, for the sending side and for the receiving side."""
    scope, where, context = _worklist(request, "members:transfers")
    sending = receiving = []
    if where.placement:
        sending = selectors.transfers_in_transit(scope, where.placement.path, where.on, "sending")
        receiving = selectors.transfers_in_transit(scope, where.placement.path, where.on, "receiving")
    context.update({"sending": sending, "receiving": receiving, "deadline_days": selectors.TRANSFER_DEADLINE_WORKING_DAYS})
    return render(request, "members/transfers.html", context)


@require_GET
def badges(request):
    """Members due for a Party badge on the date (the award ceremonies)."""
    scope, where, context = _worklist(request, "members:badges")
    due = selectors.badges_due(scope, where.placement.path, where.on) if where.placement else []
    page = Paginator(due, selectors.PAGE_SIZE).get_page(request.GET.get("trang"))
    context.update({"page": page})
    return render(request, "members/badges.html", context)
