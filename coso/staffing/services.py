"""The write side of staffing: one function per action, atomic and audited ("staffing.…").

A refused action raises ValidationError naming the field, in Vietnamese, and writes nothing.

    e = start_employment(actor=…, person=…, commune=…, body_kind=BodyKind.COMMITTEE, category=Category.COMMUNE_CIVIL_SERVANT,
                         position="Công chức Tư pháp – hộ tịch", valid_from=…)
    end_employment(actor=…, employment=e, valid_to=…, ending=Ending.STREAMLINING, basis="154/2025", exit_form=ExitForm.EARLY_RETIREMENT)
    set_quota(actor=…, commune=…, category=Category.COMMUNE_CIVIL_SERVANT, number=20, valid_from=…)
    end_commune_part_time(actor=…, commune=…, retained=[…])   # 01/08/2025, as the reference data says
"""

import datetime as dt
import functools

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from coso.audit import services as audit
from coso.lib.dated import overlaps_q
from coso.lib.dates import fmt
from coso.lib.text import clean
from coso.people.models import Person
from coso.people.services import create_person
from coso.places.models import AdminUnit, Level
from coso.places.watchers import units_changing

from .models import Employment, Quota
from .reference import (
    BASES,
    CATEGORY_SPANS,
    PART_TIME_END,
    STREAMLINING_ENDINGS,
    TRANSITION_END,
    BodyKind,
    Category,
    Ending,
    ExitForm,
)


def _following(unit_of):
    """Around a write of a commune's staff or quotas (keyword arguments only): the political
    system's figures follow the commune (places.watchers.units_changing)."""
    def wrap(fn):
        @functools.wraps(fn)
        def inner(**kwargs):
            with units_changing.watching([unit_of(kwargs)]):
                return fn(**kwargs)
        return inner
    return wrap


def _refuse(field: str | None, message: str):
    raise ValidationError({field: message} if field else message)


def _snapshot(e: Employment) -> dict:
    return {f: getattr(e, f) for f in ("person_id", "commune_id", "body_kind", "body_name", "category", "position", "title", "valid_from",
                                       "valid_to", "decision_number", "ending", "basis", "exit_form", "exit_decision")}


def _check_category(category: str, on: dt.date, field: str = "category") -> None:
    if category not in Category.values:
        _refuse(field, _("Loại: không có loại cán bộ, công chức này."))
    span = CATEGORY_SPANS[category]
    if not span.in_force_on(on):
        _refuse(field, _("Loại: “%(category)s” không còn hoặc chưa có vào ngày %(date)s (%(source)s).") % {
            "category": Category(category).label, "date": fmt(on), "source": span.source})


def _check_commune(commune: AdminUnit, on: dt.date) -> None:
    if commune.level != Level.COMMUNE:
        _refuse("commune", _("Xã, phường: %(name)s không phải đơn vị hành chính cấp xã.") % {"name": commune.full_name})
    if not commune.in_force_on(on):
        _refuse("commune", _("Xã, phường: %(name)s không còn hoặc chưa có vào ngày %(date)s.") % {"name": commune.full_name, "date": fmt(on)})


def check_employment(*, person: Person, commune: AdminUnit, body_kind: str, category: str, position: str, valid_from: dt.date) -> None:
    _check_commune(commune, valid_from)
    if body_kind not in BodyKind.values:
        _refuse("body_kind", _("Cơ quan, đơn vị: không có loại cơ quan, đơn vị này."))
    _check_category(category, valid_from)
    if not position:
        _refuse("position", _("Chức vụ, chức danh: chưa nhập."))
    same = Employment.objects.filter(person=person, commune=commune, position__iexact=position).filter(overlaps_q(valid_from, dt.date.max))
    if same.exists():
        _refuse("position", _("Chức vụ, chức danh: %(name)s đã giữ “%(position)s” ở xã này trong thời gian đó.") % {
            "name": person.full_name, "position": position})


@transaction.atomic
@_following(lambda kw: kw["commune"].pk)
def start_employment(*, actor, commune: AdminUnit, body_kind: str, category: str, position: str, valid_from: dt.date,
                     person: Person | None = None, new_person: dict | None = None, title: str = "", body_name: str = "",
                     decision_number: str = "") -> Employment:
    """Record that a person works in the commune from valid_from. The person is one already recorded,
    or (new_person: full_name, gender, birth_date) one created with the record, or neither."""
    position, body_name, decision_number, title = clean(position), clean(body_name), clean(decision_number), clean(title)
    if person is None:
        if not new_person or not clean(new_person.get("full_name")):
            _refuse("person", _("Người: chọn một người đã có hoặc nhập họ tên người mới."))
        person = create_person(actor=actor, **new_person)
    check_employment(person=person, commune=commune, body_kind=body_kind, category=category, position=position, valid_from=valid_from)
    e = Employment.objects.create(person=person, commune=commune, body_kind=body_kind, body_name=body_name, category=category,
                                  position=position, title=title, valid_from=valid_from, decision_number=decision_number)
    audit.record(actor=actor, event_type="staffing.employment.started", target=e, new=_snapshot(e))
    return e


def check_end(employment: Employment, valid_to: dt.date, ending: str, basis: str, exit_form: str) -> None:
    if employment.valid_to is not None:
        _refuse(None, _("Quá trình công tác này đã kết thúc từ ngày %(date)s.") % {"date": fmt(employment.valid_to)})
    if valid_to <= employment.valid_from:
        _refuse("valid_to", _("Ngày thôi (%(date)s) phải sau ngày bắt đầu %(start)s.") % {
            "date": fmt(valid_to), "start": fmt(employment.valid_from)})
    if ending not in Ending.values:
        _refuse("ending", _("Lý do kết thúc: chưa chọn hoặc không có lý do này."))
    if ending in STREAMLINING_ENDINGS:
        if basis not in BASES:
            _refuse("basis", _("Căn cứ: tinh giản biên chế cần nêu nghị định áp dụng."))
        if not BASES[basis].span.in_force_on(valid_to):
            _refuse("basis", _("Căn cứ: %(basis)s không có hiệu lực vào ngày %(date)s.") % {"basis": BASES[basis].label, "date": fmt(valid_to)})
        if exit_form not in ExitForm.values:
            _refuse("exit_form", _("Hình thức: tinh giản biên chế cần nêu hình thức (nghỉ hưu trước tuổi, thôi việc…)."))
    elif basis and basis not in BASES:
        _refuse("basis", _("Căn cứ: không có nghị định này trong danh mục."))


@transaction.atomic
@_following(lambda kw: kw["employment"].commune_id)
def end_employment(*, actor, employment: Employment, valid_to: dt.date, ending: str, basis: str = "", exit_form: str = "",
                   exit_decision: str = "") -> Employment:
    """End the record on valid_to (the first day the person no longer holds it), with why."""
    employment = Employment.objects.select_for_update().select_related("person").get(pk=employment.pk)
    check_end(employment, valid_to, ending, basis, exit_form)
    old = _snapshot(employment)
    employment.valid_to, employment.ending, employment.basis = valid_to, ending, basis or ""
    employment.exit_form, employment.exit_decision = exit_form or "", clean(exit_decision)
    employment.save(update_fields=["valid_to", "ending", "basis", "exit_form", "exit_decision"])
    audit.record(actor=actor, event_type="staffing.employment.ended", target=employment, old=old, new=_snapshot(employment))
    return employment


@transaction.atomic
@_following(lambda kw: kw["commune"].pk)
def set_quota(*, actor, commune: AdminUnit, category: str, number: int, valid_from: dt.date, decision_number: str = "") -> Quota:
    """Allot a number of staff of a category to the commune from a date: the allotment in force
    ends that day (the same day: it is corrected). An allotment dated before the last one is refused."""
    _check_commune(commune, valid_from)
    _check_category(category, valid_from)
    if number is None or number < 0:
        _refuse("number", _("Số lượng: phải là số không âm."))
    last = Quota.objects.select_for_update().filter(commune=commune, category=category).order_by("-valid_from").first()
    old = None
    if last is not None:
        if valid_from < last.valid_from:
            _refuse("valid_from", _("Từ ngày: phải từ ngày %(date)s (lần giao biên chế gần nhất) trở đi.") % {"date": fmt(last.valid_from)})
        if last.valid_to is not None and valid_from < last.valid_to:
            _refuse("valid_from", _("Từ ngày: phải từ ngày %(date)s (lần giao biên chế gần nhất) trở đi.") % {"date": fmt(last.valid_to)})
        old = {"number": last.number, "valid_from": last.valid_from, "valid_to": last.valid_to}
        if last.valid_from == valid_from:
            last.delete()
        elif last.valid_to is None:
            last.valid_to = valid_from
            last.save(update_fields=["valid_to"])
    try:
        with transaction.atomic():
            quota = Quota.objects.create(commune=commune, category=category, number=number, valid_from=valid_from,
                                         decision_number=clean(decision_number))
    except IntegrityError:
        _refuse("valid_from", _("Biên chế của loại này vừa được giao bởi người khác; hãy tải lại trang."))
    audit.record(actor=actor, event_type="staffing.quota.set", target=quota, old=old,
                 new={"commune": commune.pk, "category": category, "number": number, "valid_from": valid_from})
    return quota


@transaction.atomic
@_following(lambda kw: kw["commune"].pk)
def end_commune_part_time(*, actor, commune: AdminUnit, retained=(), on: dt.date = PART_TIME_END, basis: str = "154/2025") -> dict:
    """The end of commune part-time posts (01/08/2025, reference.PART_TIME_END): every open record of
    the category in the commune ends that day, the post abolished; those retained (employment ids)
    continue in the transitional category until reference.TRANSITION_END. Returns the counts."""
    if on != CATEGORY_SPANS[Category.COMMUNE_PART_TIME].valid_to:
        _refuse("on", _("Ngày chấm dứt phải là ngày %(date)s theo quy định.") % {"date": fmt(CATEGORY_SPANS[Category.COMMUNE_PART_TIME].valid_to)})
    if basis not in BASES or not BASES[basis].span.in_force_on(on):
        _refuse("basis", _("Căn cứ: không có hiệu lực vào ngày %(date)s.") % {"date": fmt(on)})
    records = list(Employment.objects.select_for_update().filter(commune=commune, category=Category.COMMUNE_PART_TIME).current()
                   .filter(valid_from__lt=on))
    keep = {int(i) for i in retained}
    events, created = [], []
    for e in records:
        old = _snapshot(e)
        e.valid_to, e.ending, e.basis = on, (Ending.RECLASSIFIED if e.pk in keep else Ending.POST_ABOLISHED), basis
        events.append(audit.build_event(actor=actor, event_type="staffing.part_time.ended", target=e, old=old, new=_snapshot(e)))
        if e.pk in keep:
            created.append(Employment(person_id=e.person_id, commune=commune, body_kind=e.body_kind, body_name=e.body_name,
                                      category=Category.PART_TIME_RETAINED, position=e.position, title=e.title, valid_from=on,
                                      valid_to=TRANSITION_END, ending=Ending.POST_ABOLISHED, basis=basis))
    Employment.objects.bulk_update(records, ["valid_to", "ending", "basis"], batch_size=500)
    Employment.objects.bulk_create(created, batch_size=500)
    for e in created:
        if e.pk is not None:
            events.append(audit.build_event(actor=actor, event_type="staffing.employment.started", target=e, new=_snapshot(e)))
    audit.record_many(events)
    return {"ended": len(records) - len(created), "retained": len(created)}
