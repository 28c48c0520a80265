"""The write side of training: one function per action, atomic and audited ("training.…").

A refused action raises ValidationError naming the field, in Vietnamese, and writes nothing.

    course = create_course(actor=…, organizer=commune, name="…", program=Program.ELEMENTARY, body=Body.COMMUNE_CENTRE,
                           starts_on=…, ends_on=…)
    enrolment = enrol(actor=…, course=course, person=person)                      # one per person and course
    complete(actor=…, enrolment=enrolment, completed_on=…, certificate_number="…")  # within the course's dates
    withdraw(actor=…, enrolment=enrolment, withdrawn_on=…, reason="…")
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from coso.audit import services as audit
from coso.lib.dates import fmt
from coso.lib.text import clean
from coso.organizations.models import Organization, Placement
from coso.people.models import Person
from coso.people.watchers import persons_changing

from .choices import BODY_PERIODS, Body, Mode, Program, Result
from .models import Course, Enrolment

E = Enrolment.State


def _refuse(field: str | None, message: str):
    raise ValidationError({field: message} if field else message)


def _course_snapshot(course: Course) -> dict:
    return {"organizer": course.organizer_id, "name": course.name, "program": course.program, "body": course.body,
            "body_name": course.body_name, "mode": course.mode, "starts_on": course.starts_on, "ends_on": course.ends_on,
            "decision_number": course.decision_number}


def _enrolment_snapshot(e: Enrolment) -> dict:
    return {"course": e.course_id, "person": e.person_id, "state": e.state, "enrolled_on": e.enrolled_on,
            "completed_on": e.completed_on, "result": e.result, "certificate_number": e.certificate_number,
            "certificate_issued_on": e.certificate_issued_on, "withdrawn_on": e.withdrawn_on,
            "withdrawal_reason": e.withdrawal_reason}


def check_course(*, organizer: Organization, name: str, program: str, body: str, mode: str, starts_on: dt.date,
                 ends_on: dt.date) -> None:
    """The rules of a course, before anything is written."""
    if not name:
        _refuse("name", _("Tên lớp: chưa nhập tên lớp."))
    if program not in Program.values:
        _refuse("program", _("Chương trình: không có chương trình đào tạo, bồi dưỡng này."))
    if body not in Body.values:
        _refuse("body", _("Cơ sở đào tạo: không có loại cơ sở đào tạo này."))
    if mode not in Mode.values:
        _refuse("mode", _("Hình thức học: không có hình thức học này."))
    if ends_on < starts_on:
        _refuse("ends_on", _("Ngày bế giảng (%(end)s) trước ngày khai giảng (%(start)s).") % {
            "end": fmt(ends_on), "start": fmt(starts_on)})
    begins, ends = BODY_PERIODS.get(body, (None, None))
    if (begins is not None and starts_on < begins) or (ends is not None and starts_on >= ends):
        if ends is not None:
            message = _("Cơ sở đào tạo: %(body)s chỉ mở lớp đến hết ngày %(date)s (bỏ cấp huyện từ 01/07/2025).") % {
                "body": Body(body).label, "date": fmt(ends - dt.timedelta(days=1))}
        else:
            message = _("Cơ sở đào tạo: %(body)s chỉ có từ ngày %(date)s.") % {"body": Body(body).label, "date": fmt(begins)}
        _refuse("body", message)
    if not Placement.objects.on(starts_on).filter(organization=organizer).exists():
        _refuse("organizer", _("Tổ chức đảng quản lý lớp học: %(name)s không hoạt động vào ngày khai giảng %(date)s.") % {
            "name": organizer, "date": fmt(starts_on)})


@transaction.atomic
def create_course(*, actor, organizer: Organization, name: str, program: str, body: str, starts_on: dt.date,
                  ends_on: dt.date, body_name: str = "", mode: str = Mode.FULL_TIME, decision_number: str = "") -> Course:
    name, body_name, decision_number = clean(name or ""), clean(body_name or ""), clean(decision_number or "")
    check_course(organizer=organizer, name=name, program=program, body=body, mode=mode, starts_on=starts_on, ends_on=ends_on)
    course = Course.objects.create(organizer=organizer, name=name, program=program, body=body, body_name=body_name, mode=mode,
                                   starts_on=starts_on, ends_on=ends_on, decision_number=decision_number)
    audit.record(actor=actor, event_type="training.course.created", target=course, organization_id=organizer.pk,
                 new=_course_snapshot(course))
    return course


def check_enrolment(course: Course, person: Person, enrolled_on: dt.date) -> None:
    if enrolled_on > course.ends_on:
        _refuse("enrolled_on", _("Ngày nhập học (%(date)s) sau ngày bế giảng của lớp (%(end)s).") % {
            "date": fmt(enrolled_on), "end": fmt(course.ends_on)})
    if Enrolment.objects.filter(course=course, person=person).exists():
        _refuse("person", _("Học viên: %(name)s đã có tên trong lớp %(course)s.") % {"name": person.full_name, "course": course.name})


@transaction.atomic
def enrol(*, actor, course: Course, person: Person, enrolled_on: dt.date | None = None) -> Enrolment:
    """Put a person on the course's list (one enrolment per person and course)."""
    enrolled_on = enrolled_on or course.starts_on
    check_enrolment(course, person, enrolled_on)
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(course=course, person=person, enrolled_on=enrolled_on)
    except IntegrityError:  # a concurrent enrolment of the same person won the race
        _refuse("person", _("Học viên: %(name)s đã có tên trong lớp %(course)s.") % {"name": person.full_name, "course": course.name})
    audit.record(actor=actor, event_type="training.enrolment.created", target=enrolment, organization_id=course.organizer_id,
                 new=_enrolment_snapshot(enrolment))
    return enrolment


def check_completion(enrolment: Enrolment, completed_on: dt.date, certificate_number: str, certificate_issued_on, result: str) -> None:
    course = enrolment.course
    if enrolment.state != E.ENROLLED:
        _refuse(None, _("%(name)s đã %(state)s: không ghi nhận hoàn thành được nữa.") % {
            "name": enrolment.person.full_name, "state": enrolment.get_state_display().lower()})
    if not course.starts_on <= completed_on <= course.ends_on:
        _refuse("completed_on", _("Ngày hoàn thành (%(date)s) phải trong thời gian học của lớp, từ %(start)s đến %(end)s.") % {
            "date": fmt(completed_on), "start": fmt(course.starts_on), "end": fmt(course.ends_on)})
    if completed_on < enrolment.enrolled_on:
        _refuse("completed_on", _("Ngày hoàn thành (%(date)s) trước ngày nhập học (%(enrolled)s).") % {
            "date": fmt(completed_on), "enrolled": fmt(enrolment.enrolled_on)})
    if not certificate_number:
        _refuse("certificate_number", _("Số văn bằng, chứng chỉ: chưa nhập số văn bằng, chứng chỉ."))
    if certificate_issued_on is not None and certificate_issued_on < completed_on:
        _refuse("certificate_issued_on", _("Ngày cấp văn bằng, chứng chỉ (%(issued)s) trước ngày hoàn thành (%(date)s).") % {
            "issued": fmt(certificate_issued_on), "date": fmt(completed_on)})
    if result and result not in Result.values:
        _refuse("result", _("Kết quả: không có mức kết quả này."))
    taken = (Enrolment.objects.filter(course=course, certificate_number__iexact=certificate_number).exclude(pk=enrolment.pk)
             .select_related("person").first())
    if taken is not None:
        _refuse("certificate_number", _("Số văn bằng, chứng chỉ %(number)s đã cấp cho %(name)s trong lớp này.") % {
            "number": certificate_number, "name": taken.person.full_name})


@transaction.atomic
def complete(*, actor, enrolment: Enrolment, completed_on: dt.date, certificate_number: str, certificate_issued_on: dt.date | None = None,
             result: str = "") -> Enrolment:
    """Record that the person completed the course, with the certificate's number: this dates their
    theory level when the course is a degree programme (selectors.levels_on)."""
    enrolment = Enrolment.objects.select_for_update().select_related("course", "person").get(pk=enrolment.pk)
    certificate_number = clean(certificate_number or "")
    check_completion(enrolment, completed_on, certificate_number, certificate_issued_on, result)
    old = _enrolment_snapshot(enrolment)
    enrolment.state, enrolment.completed_on, enrolment.certificate_number = E.COMPLETED, completed_on, certificate_number
    enrolment.certificate_issued_on, enrolment.result = certificate_issued_on, result or ""
    with persons_changing.watching([enrolment.person_id]):  # a degree completed raises the theory level (the cadres' figures)
        enrolment.save(update_fields=["state", "completed_on", "certificate_number", "certificate_issued_on", "result"])
    audit.record(actor=actor, event_type="training.enrolment.completed", target=enrolment,
                 organization_id=enrolment.course.organizer_id, old=old, new=_enrolment_snapshot(enrolment))
    return enrolment


@transaction.atomic
def withdraw(*, actor, enrolment: Enrolment, withdrawn_on: dt.date, reason: str) -> Enrolment:
    enrolment = Enrolment.objects.select_for_update().select_related("course", "person").get(pk=enrolment.pk)
    reason = clean(reason or "")
    course = enrolment.course
    if enrolment.state != E.ENROLLED:
        _refuse(None, _("%(name)s đã %(state)s: không ghi nhận thôi học được nữa.") % {
            "name": enrolment.person.full_name, "state": enrolment.get_state_display().lower()})
    if not enrolment.enrolled_on <= withdrawn_on <= course.ends_on:
        _refuse("withdrawn_on", _("Ngày thôi học (%(date)s) phải từ ngày nhập học %(start)s đến ngày bế giảng %(end)s.") % {
            "date": fmt(withdrawn_on), "start": fmt(enrolment.enrolled_on), "end": fmt(course.ends_on)})
    if not reason:
        _refuse("reason", _("Lý do thôi học: chưa nhập lý do."))
    old = _enrolment_snapshot(enrolment)
    enrolment.state, enrolment.withdrawn_on, enrolment.withdrawal_reason = E.WITHDRAWN, withdrawn_on, reason
    enrolment.save(update_fields=["state", "withdrawn_on", "withdrawal_reason"])
    audit.record(actor=actor, event_type="training.enrolment.withdrawn", target=enrolment,
                 organization_id=course.organizer_id, old=old, new=_enrolment_snapshot(enrolment))
    return enrolment
