"""The write side of membership: every change is a dated event, applied in one transaction.

record_event() is the one path: it locks the member, replays their events with the new one
through lifecycle.apply() (which refuses what the rules forbid, changing nothing), saves the
event, rewrites the member's periods and current values from the replay, and audits it.
"""

import contextlib
import datetime as dt
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coso.audit import services as audit
from coso.lib.dates import fmt
from coso.lib.text import clean
from coso.organizations.models import Kind, Placement
from coso.people import services as people_services
from coso.people.models import Person

from . import dates, lifecycle, owners, search
from .models import Candidate, EventType, Member, MemberEvent, MemberPeriod
from .watchers import events_changing, periods_changing

# Members are placed in cells: grassroots cells, subordinate cells, and party groups' cells.
# A đảng bộ cơ sở holds its members through its cells, so it is not a placement.
MEMBER_ORG_KINDS = (Kind.GRASSROOTS_CELL, Kind.SUBORDINATE_CELL)

# the member's current values, rewritten from each replay (write_state)
STATE_FIELDS = ["status", "organization", "admitted_on", "admission_decision_date", "recognized_on", "card_issued_on",
                "card_number", "exempted", "in_transit"]

EVENT_FIELDS = (
    "organization_id", "target_id", "destination", "transfer_kind", "status", "discipline_form", "breach_on", "breach_category", "badge_years",
    "card_number", "admitted_on", "recognized_on", "decision_number", "decision_date", "issuing_body", "note",
)


def _check_cell(organization_id, on: dt.date, field: str = "organization") -> None:
    if organization_id is None:
        return
    placement = Placement.objects.on(on).filter(organization_id=organization_id).first()
    if placement is None:
        raise ValidationError({field: _("Tổ chức không hoạt động vào ngày %(date)s.") % {"date": fmt(on)}})
    if placement.kind not in MEMBER_ORG_KINDS:
        raise ValidationError(
            {field: _("Đảng viên sinh hoạt ở chi bộ (chi bộ cơ sở hoặc chi bộ trực thuộc), không ở %(kind)s.") % {"kind": placement.get_kind_display()}}
        )


def _events_of(member: Member) -> list[MemberEvent]:
    return list(MemberEvent.objects.filter(member=member).order_by("effective_date", "sequence", "id"))


def write_state(member: Member, result: lifecycle.Replay) -> None:
    """Rewrite the member's periods and current values from a replay (same transaction)."""
    with periods_changing.watching([member.pk]):  # the ledger of counts
        _write_state(member, result)
    search.refresh([member.pk])  # the search copy: status and cell


def _write_state(member: Member, result: lifecycle.Replay) -> None:
    MemberPeriod.objects.filter(member=member).delete()
    MemberPeriod.objects.bulk_create(
        [
            MemberPeriod(
                member=member, organization_id=p.organization_id, status=p.status, exempted=p.exempted,
                in_transit=p.in_transit, host_id=p.host_id, valid_from=p.valid_from, valid_to=p.valid_to,
            )
            for p in result.periods
        ]
    )
    s = result.state
    member.status = s.status
    member.organization_id = s.organization_id
    member.admitted_on = s.admitted_on
    member.admission_decision_date = s.first_decision_date
    member.recognized_on = s.recognized_on
    member.card_issued_on = s.card_issued_on
    if s.card_number:
        member.card_number = s.card_number
    member.exempted = s.exempted
    member.in_transit = s.transit_to is not None
    member.save(update_fields=STATE_FIELDS)


@transaction.atomic
def record_event(*, actor, member: Member, type: str, effective_date: dt.date, confirm_future: bool = False, **fields) -> MemberEvent:
    """Record one event (the single write path). An effective date after today is refused except
    for the kinds decided ahead, confirmed (members.dates.future_problem, decision 0008)."""
    if member.pk:
        member = Member.objects.select_for_update().get(pk=member.pk)
    events = _events_of(member) if member.pk else []
    data = {k: (clean(v) if isinstance(v, str) and k != "note" else v) for k, v in fields.items() if k in EVENT_FIELDS}
    same_day = sum(1 for e in events if e.effective_date == effective_date)
    event = MemberEvent(member=member if member.pk else None, type=type, effective_date=effective_date, sequence=same_day, created_by=actor if actor and actor.pk else None, **data)
    birth = member.person.birth_date if member.person_id else None
    admitted_here = effective_date if type in (EventType.ADMITTED, EventType.READMITTED) else None
    if problems := dates.event_problems(event, birth, confirmed_future=confirm_future):
        raise ValidationError(problems)
    if type == EventType.ADMITTED and (problem := dates.admission_age_problem(admitted_here, birth)):
        raise ValidationError({"admitted_on": problem})
    if type in (EventType.RECORDED, EventType.JOINED_BY_TRANSFER, EventType.ADMITTED, EventType.READMITTED, EventType.RESTORED):
        _check_cell(event.organization_id, effective_date)
    if type == EventType.TRANSFER_OUT and event.target_id:
        _check_cell(event.target_id, effective_date, field="target")
    try:
        before = lifecycle.replay(events).state if events else lifecycle.State()
        if type == EventType.TRANSFER_RECEIVED and event.organization_id is None:
            # an arriving event always names where the member arrives: the measures count it there
            event.organization_id = before.transit_to
        result = lifecycle.replay([*events, event])
    except lifecycle.LifecycleError as error:
        raise ValidationError(str(error)) from None
    if type == EventType.CARD_ISSUED and Member.objects.filter(card_number=event.card_number).exclude(pk=member.pk).exists():
        raise ValidationError({"card_number": _("Số thẻ %(card)s đã cấp cho đảng viên khác.") % {"card": event.card_number}})
    if not member.pk:
        member.status = result.state.status
        member.save()
    event.member = member
    # the organization each event belongs to, from the new periods: the new event's, and an
    # earlier one's where the new event changed the periods it reads (an event on the same day)
    earlier = defaultdict(list)
    for e in owners.set_owners([*events, event], result.periods):
        if e is not event:
            earlier[e.owner_id].append(e.pk)
    with events_changing.watching([member.pk]):  # the ledger of events
        event.save()
        for owner_id, ids in earlier.items():
            MemberEvent.objects.filter(pk__in=ids).update(owner_id=owner_id)
    write_state(member, result)
    audit.record(
        actor=actor,
        event_type=f"members.member.{type}",
        target=member,
        organization_id=result.state.organization_id or before.organization_id,
        old={"status": before.status, "organization_id": before.organization_id},
        new={"event": type, "effective_date": effective_date, **data, "status": result.state.status, "organization_id": result.state.organization_id},
    )
    return event


@contextlib.contextmanager
def _recording_date_as(field: str):
    """The event's effective date is the recording date of these actions: refusals name it as
    their callers' forms do."""
    try:
        yield
    except ValidationError as error:
        if hasattr(error, "error_dict") and "effective_date" in error.error_dict:
            error.error_dict[field] = error.error_dict.pop("effective_date")
        raise


def new_member(person: Person, introducers: str = "") -> Member:
    """An unsaved Member for a person who has none; record_event() saves it with its first event."""
    if Member.objects.filter(person=person).exists():
        raise ValidationError(_("%(name)s đã có hồ sơ đảng viên.") % {"name": person.full_name})
    return Member(person=person, introducers=clean(introducers))


def record_existing_member(*, actor, person: Person, organization, on: dt.date, admitted_on: dt.date, recognized_on=None,
                           decision_date=None, card_number="", introducers="", note="") -> Member:
    """A member already in the Party before their record reaches the system."""
    member = new_member(person, introducers)
    if card_number:
        member.card_number = clean(card_number)
        if Member.objects.filter(card_number=member.card_number).exists():
            raise ValidationError({"card_number": _("Số thẻ %(card)s đã cấp cho đảng viên khác.") % {"card": member.card_number}})
    with _recording_date_as("on"):
        record_event(actor=actor, member=member, type=EventType.RECORDED, effective_date=on, organization_id=organization.pk,
                     admitted_on=admitted_on, recognized_on=recognized_on, decision_date=decision_date, note=note)
    return member


def record_member_joined_by_transfer(*, actor, person: Person, organization, on: dt.date, came_from: str, letter_number: str,
                                     admitted_on: dt.date, letter_date=None, issuing_body="", recognized_on=None,
                                     decision_date=None, card_number="", introducers="", note="") -> Member:
    """A member arriving with a transfer letter from a Party organization outside the system
    (event JOINED_BY_TRANSFER), received by `organization` on `on`.

    The event keeps where they came from in destination, the letter's number and issuer in
    decision_number and issuing_body. Its decision_date is the admission decision (party age
    counts from it, as for RECORDED: lifecycle.apply), so the letter's date, which has no field
    of its own, heads the note.
    """
    came_from = clean(came_from)
    if not came_from:
        raise ValidationError({"came_from": _("Ghi rõ tổ chức đảng nơi chuyển đi.")})
    if letter_date and letter_date > on:
        raise ValidationError({"letter_date": _("Ngày giấy giới thiệu sau ngày tiếp nhận sinh hoạt đảng.")})
    if letter_date and letter_date < admitted_on:
        raise ValidationError({"letter_date": _("Ngày giấy giới thiệu trước ngày kết nạp.")})
    member = new_member(person, introducers)
    if card_number:
        member.card_number = clean(card_number)
        if Member.objects.filter(card_number=member.card_number).exists():
            raise ValidationError({"card_number": _("Số thẻ %(card)s đã cấp cho đảng viên khác.") % {"card": member.card_number}})
    if letter_date:
        # stored data, in Vietnamese like the rest of the record (not the language of the page)
        note = " ".join(filter(None, [f"Giấy giới thiệu ngày {fmt(letter_date)}.", note.strip()]))
    with _recording_date_as("on"):
        record_event(actor=actor, member=member, type=EventType.JOINED_BY_TRANSFER, effective_date=on, organization_id=organization.pk,
                     destination=came_from, decision_number=letter_number, issuing_body=issuing_body, admitted_on=admitted_on,
                     recognized_on=recognized_on, decision_date=decision_date, note=note)
    return member


@transaction.atomic
def add_candidate(*, actor, person: Person, organization, listed_on: dt.date, course_completed_on=None, course_certificate="", introducers="") -> Candidate:
    _check_cell(organization.pk, listed_on)
    if Candidate.objects.filter(person=person, state=Candidate.State.PREPARING).exists():
        raise ValidationError(_("%(name)s đang trong danh sách quần chúng ưu tú.") % {"name": person.full_name})
    if Member.objects.filter(person=person).exists():
        raise ValidationError(_("%(name)s đã là đảng viên.") % {"name": person.full_name})
    candidate = Candidate.objects.create(
        person=person, organization=organization, listed_on=listed_on, course_completed_on=course_completed_on,
        course_certificate=clean(course_certificate), introducers=clean(introducers),
    )
    audit.record(actor=actor, event_type="members.candidate.listed", target=candidate, organization_id=organization.pk,
                 new={"person": person.pk, "listed_on": listed_on, "course_completed_on": course_completed_on})
    return candidate


@transaction.atomic
def admit_candidate(*, actor, candidate: Candidate, admitted_on: dt.date, decision_number: str, decision_date=None, issuing_body="") -> Member:
    """Admission turns the candidate into a probationary member; the candidacy is kept as history."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.state != Candidate.State.PREPARING:
        raise ValidationError(_("Quần chúng này không còn trong danh sách chờ kết nạp."))
    if not candidate.course_completed_on:
        raise ValidationError(_("Chưa hoàn thành lớp bồi dưỡng nhận thức về Đảng."))
    if candidate.course_completed_on > admitted_on:
        raise ValidationError({"admitted_on": _("Ngày kết nạp trước ngày hoàn thành lớp bồi dưỡng nhận thức về Đảng.")})
    member = new_member(candidate.person, candidate.introducers)
    record_event(actor=actor, member=member, type=EventType.ADMITTED, effective_date=admitted_on, organization_id=candidate.organization_id,
                 decision_number=decision_number, decision_date=decision_date, issuing_body=issuing_body)
    candidate.state = Candidate.State.ADMITTED
    candidate.member = member
    candidate.save(update_fields=["state", "member"])
    audit.record(actor=actor, event_type="members.candidate.admitted", target=candidate, organization_id=candidate.organization_id,
                 old={"state": "preparing"}, new={"state": "admitted", "member": member.pk})
    return member


def recognize(*, actor, member: Member, decision_number: str, decision_date=None, issuing_body="") -> MemberEvent:
    """Official from the end of the 12 months of probation, whenever the decision is signed."""
    state = lifecycle.replay(_events_of(member)).state
    if state.probation_ends is None:
        raise ValidationError(_("Chỉ công nhận chính thức đảng viên dự bị."))
    return record_event(actor=actor, member=member, type=EventType.RECOGNIZED, effective_date=state.probation_ends,
                        decision_number=decision_number, decision_date=decision_date, issuing_body=issuing_body)



@transaction.atomic
def update_candidate(*, actor, candidate: Candidate, course_completed_on=None, course_certificate="", introducers="") -> Candidate:
    """Record the course on the Party (its completion date and certificate) and the introducers."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.state != Candidate.State.PREPARING:
        raise ValidationError(_("Quần chúng này không còn trong danh sách chờ kết nạp."))
    if course_completed_on and course_completed_on < candidate.listed_on:
        raise ValidationError({"course_completed_on": _("Ngày hoàn thành lớp bồi dưỡng trước ngày đưa vào danh sách cảm tình Đảng.")})
    before = {"course_completed_on": candidate.course_completed_on, "course_certificate": candidate.course_certificate, "introducers": candidate.introducers}
    candidate.course_completed_on = course_completed_on
    candidate.course_certificate = clean(course_certificate)
    candidate.introducers = clean(introducers)
    candidate.save(update_fields=["course_completed_on", "course_certificate", "introducers"])
    audit.record(actor=actor, event_type="members.candidate.changed", target=candidate, organization_id=candidate.organization_id,
                 old=before, new={"course_completed_on": course_completed_on, "course_certificate": candidate.course_certificate,
                                  "introducers": candidate.introducers})
    return candidate


@transaction.atomic
def drop_candidate(*, actor, candidate: Candidate, reason: str = "") -> Candidate:
    """The cell stops considering the candidate; the candidacy stays as history."""
    if not Candidate.objects.filter(pk=candidate.pk, state=Candidate.State.PREPARING).update(state=Candidate.State.DROPPED):
        raise ValidationError(_("Quần chúng này không còn trong danh sách chờ kết nạp."))
    candidate.state = Candidate.State.DROPPED
    audit.record(actor=actor, event_type="members.candidate.dropped", target=candidate, organization_id=candidate.organization_id,
                 old={"state": "preparing"}, new={"state": "dropped", "reason": clean(reason)})
    return candidate


# ---------------------------------------------------------------- a person and their record, together


class PersonRefused(ValidationError):
    """The person's part of a combined action was refused: the page shows it on the person form."""


def _create_person(actor, organization_id: int, fields: dict) -> Person:
    try:
        return people_services.create_person(actor=actor, organization_id=organization_id, **fields)
    except ValidationError as error:
        raise PersonRefused(error) from error


def _check_national_id(actor, organization_id: int, fields: dict, person: Person | None = None) -> None:
    """Before the transaction (people.services.check_national_id audits a refused ID)."""
    try:
        people_services.check_national_id(actor=actor, national_id=fields.get("national_id"), person=person,
                                          organization_id=organization_id)
    except ValidationError as error:
        raise PersonRefused(error) from error


def create_member(*, actor, person_fields: dict, organization, **record) -> Member:
    """A new person and their membership as it already stands (event RECORDED): both or neither,
    so a refused membership never leaves a person behind."""
    _check_national_id(actor, organization.pk, person_fields)
    with transaction.atomic():
        person = _create_person(actor, organization.pk, person_fields)
        return record_existing_member(actor=actor, person=person, organization=organization, **record)


def create_member_joined_by_transfer(*, actor, person_fields: dict, organization, **record) -> Member:
    """A new person arriving with a transfer letter from outside the system: both or neither."""
    _check_national_id(actor, organization.pk, person_fields)
    with transaction.atomic():
        person = _create_person(actor, organization.pk, person_fields)
        return record_member_joined_by_transfer(actor=actor, person=person, organization=organization, **record)


def list_candidate(*, actor, organization, person: Person | None = None, person_fields: dict | None = None, **candidacy) -> Candidate:
    """A candidacy for a known person, or for a new one (both or neither)."""
    if person is None:
        _check_national_id(actor, organization.pk, person_fields or {})
    with transaction.atomic():
        if person is None:
            person = _create_person(actor, organization.pk, person_fields or {})
        return add_candidate(actor=actor, person=person, organization=organization, **candidacy)


def update_person(*, actor, person: Person, organization_id=None, **fields) -> Person:
    """A person's record changed, and their member's search row with it (the name is copied
    there: members/search.py)."""
    if "national_id" in fields:
        people_services.check_national_id(actor=actor, national_id=fields["national_id"], person=person, organization_id=organization_id)
    with transaction.atomic():
        with periods_changing.watching(Member.objects.filter(person=person).values_list("pk", flat=True)):  # the ledger
            person = people_services.update_person(actor=actor, person=person, organization_id=organization_id, **fields)
        search.refresh_person(person.pk)
        return person
