"""The write side of the political system: bodies and posts. One function per action, atomic,
audited; a refused change writes nothing and says why in Vietnamese, naming the field.

Rules kept here (config.py holds them as dated configuration, with sources):
- a post is held in a body in force on every day of it, under a title of the body's kind that is
  offered on its first day (old titles such as công an viên are not offered after they ended);
- at no date do more people hold a title of a body than its limit in force that day (one chair,
  two deputy secretaries under Chỉ thị 45-CT/TW...), nor does one person hold the same title
  of a body twice at once;
- a post ends after it begins.
The body's row is locked while its posts are checked and written, so two appointments to one seat
at once cannot both pass.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coso.audit import services as audit
from coso.lib.dates import fmt
from coso.people.models import Person
from coso.people.services import create_person
from coso.places.watchers import units_changing

from . import config
from .models import Body, Obtained, Post

FAR = dt.date.max


def _snapshot(post: Post) -> dict:
    return {"body": post.body_id, "person": post.person_id, "title": post.title, "obtained": post.obtained,
            "decision_number": post.decision_number, "decision_date": post.decision_date,
            "valid_from": post.valid_from, "valid_to": post.valid_to, "end_reason": post.end_reason}


def _organization_id(body: Body):
    return body.organization_id


# -- bodies --------------------------------------------------------------------------------------


def _check_body(kind: str, unit, village, parent, valid_from, valid_to) -> config.BodyKind:
    kind_config = config.BODY_KINDS.get(kind)
    if kind_config is None:
        raise ValidationError({"kind": _("Không có loại cơ quan, tổ chức này.")})
    if valid_from is None:
        raise ValidationError({"valid_from": _("Hãy nhập ngày bắt đầu hiệu lực.")})
    if not kind_config.in_force_on(valid_from):
        raise ValidationError({"kind": _("Loại “%(kind)s” không có trong mô hình tổ chức vào ngày %(date)s.") % {
            "kind": kind_config.label, "date": fmt(valid_from)}})
    if valid_to is not None and valid_to <= valid_from:
        raise ValidationError({"valid_to": _("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.")})
    expected = {config.DISTRICT: "district", config.COMMUNE: "commune", config.VILLAGE: "commune"}[kind_config.level]
    if unit.level != expected:
        raise ValidationError({"unit": _("“%(kind)s” thuộc cấp khác với %(unit)s.") % {"kind": kind_config.label, "unit": unit.full_name}})
    if kind_config.level == config.VILLAGE and (village is None or village.parent_id != unit.pk):
        raise ValidationError({"village": _("Hãy chọn thôn, tổ dân phố thuộc %(unit)s.") % {"unit": unit.full_name}})
    if not unit.in_force_on(valid_from) or (village is not None and not village.in_force_on(valid_from)):
        raise ValidationError({"valid_from": _("Đơn vị hành chính không còn hiệu lực vào ngày %(date)s.") % {"date": fmt(valid_from)}})
    if parent is not None and not parent.in_force_on(valid_from):
        raise ValidationError({"parent": _("Cơ quan cấp trên không tồn tại vào ngày %(date)s.") % {"date": fmt(valid_from)}})
    return kind_config


def default_name(kind_config: config.BodyKind, unit, village=None) -> str:
    """"Ủy ban nhân dân Xã Tam Sơn", "Chi bộ Thôn An Yên", "Thôn An Yên": the kind's label
    without its level word (the unit's full name says it), then the unit's or village's name."""
    place = (village or unit).full_name
    if kind_config.code == "village":
        return place
    label = str(_("Chi bộ")) if kind_config.code == "cell" else str(kind_config.label)
    for word in (" xã", " huyện"):
        if label.endswith(word):
            label = label[: -len(word)]
    return f"{label} {place}"


@transaction.atomic
def create_body(*, actor, kind: str, unit, valid_from: dt.date, name: str = "", village=None, organization=None,
                parent=None, valid_to=None, decision_number: str = "", decision_date=None) -> Body:
    kind_config = _check_body(kind, unit, village, parent, valid_from, valid_to)
    if valid_to is None:
        # a body ends no later than its unit (a legacy commune on 01/07/2025) or its kind (district bodies)
        ends = [d for d in (unit.valid_to, getattr(village, "valid_to", None), kind_config.valid_to) if d is not None]
        valid_to = min(ends) if ends else None
    if not name:
        name = default_name(kind_config, unit, village)
    with units_changing.watching([unit.pk]):  # the political system's figures (measures.politicalledger)
        body = Body.objects.create(kind=kind, name=name.strip()[:255], unit=unit, village=village, organization=organization,
                                   parent=parent, valid_from=valid_from, valid_to=valid_to,
                                   decision_number=decision_number.strip(), decision_date=decision_date)
    audit.record(actor=actor, event_type="grassroots.body.created", target=body, organization_id=_organization_id(body),
                 new={"kind": kind, "name": body.name, "unit": unit.pk, "village": getattr(village, "pk", None),
                      "valid_from": valid_from, "valid_to": valid_to})
    return body


@transaction.atomic
def create_standard_bodies(*, actor, unit, on: dt.date, organization=None, villages=()) -> list[Body]:
    """The bodies every unit has under the model in force on the date (config.standard_kinds),
    for the unit and each of the villages given; kinds the unit already has on that date are
    left alone (idempotent). Party bodies name the organization given (the commune's committee)."""
    with units_changing.watching([unit.pk]):  # once for every body created (the figures' upkeep)
        return _create_standard_bodies(actor, unit, on, organization, villages)


def _create_standard_bodies(actor, unit, on, organization, villages) -> list[Body]:
    level = config.DISTRICT if unit.level == "district" else config.COMMUNE
    existing = set(Body.objects.on(on).filter(unit=unit).values_list("kind", "village_id", "name"))
    existing_kinds = {(k, v) for k, v, _n in existing}
    created: list[Body] = []
    by_kind: dict[str, Body] = {b.kind: b for b in Body.objects.on(on).filter(unit=unit, village__isnull=True)}

    def make(kind, village=None, name="", parent=None):
        body = create_body(actor=actor, kind=kind, unit=unit, village=village, valid_from=on, name=name, parent=parent,
                           organization=organization if config.BODY_KINDS[kind].party and village is None else None)
        created.append(body)
        return body

    for kind in config.standard_kinds(level, on):
        if (kind, None) in existing_kinds:
            continue
        parent_kind = config.BODY_KINDS[kind].parent
        by_kind[kind] = make(kind, parent=by_kind.get(parent_kind))
    for child_kind in ("hdnd_board", "ubnd_department"):
        names = config.NAMED_CHILDREN.get((child_kind, on >= config.TWO_TIER), ())
        parent = by_kind.get(config.BODY_KINDS[child_kind].parent)
        if parent is None or not config.BODY_KINDS[child_kind].in_force_on(on):
            continue
        for name in names:
            if (child_kind, None, str(name)) not in existing:
                make(child_kind, name=str(name), parent=parent)
    for village in villages:
        for kind in config.standard_kinds(config.VILLAGE, on):
            if (kind, village.pk) not in existing_kinds:
                make(kind, village=village)
    return created


@transaction.atomic
def close_body(*, actor, body: Body, valid_to: dt.date, decision_number: str = "") -> Body:
    """End a body on valid_to (its first day out of force). Posts still held on that day end with it."""
    body = Body.objects.select_for_update().get(pk=body.pk)
    if valid_to is None or valid_to <= body.valid_from:
        raise ValidationError({"valid_to": _("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực (%(date)s).") % {"date": fmt(body.valid_from)}})
    if body.valid_to is not None and valid_to >= body.valid_to:
        raise ValidationError({"valid_to": _("Cơ quan, tổ chức này đã hết hiệu lực từ ngày %(date)s.") % {"date": fmt(body.valid_to)}})
    if body.posts.filter(valid_from__gte=valid_to).exists():
        raise ValidationError({"valid_to": _("Có chức vụ bắt đầu từ ngày %(date)s trở về sau: hãy sửa các chức vụ đó trước.") % {"date": fmt(valid_to)}})
    ending = list(body.posts.on(valid_to))
    with units_changing.watching([body.unit_id]):  # the political system's figures
        for post in ending:
            post.valid_to = valid_to
            post.end_reason = post.end_reason or _("Cơ quan, tổ chức hết hiệu lực")
            post.save(update_fields=["valid_to", "end_reason"])
        body.valid_to = valid_to
        body.decision_number = decision_number or body.decision_number
        body.save(update_fields=["valid_to", "decision_number"])
    audit.record(actor=actor, event_type="grassroots.body.closed", target=body, organization_id=_organization_id(body),
                 new={"valid_to": valid_to, "posts_ended": [p.pk for p in ending]})
    return body


# -- posts ---------------------------------------------------------------------------------------


def _holders_over(posts, start: dt.date, end: dt.date | None, kind: str, code: str) -> str | None:
    """The first day in [start, end) on which the posts (others holding the title, plus the new
    one) exceed the limit in force that day; None if never. A sweep over the days a holding begins
    or a limit changes: the count only changes on those days."""
    end = end or FAR
    days = {start} | {p.valid_from for p in posts if start < p.valid_from < end}
    days |= {d for d in config.limit_changes(kind, code) if start < d < end}
    for day in sorted(days):
        limit = config.limit_on(kind, code, day)
        if limit is None:
            continue
        holding = [p for p in posts if p.valid_from <= day and (p.valid_to is None or p.valid_to > day)]
        if len(holding) + 1 > limit.holders:
            return day, limit, holding
    return None


def _check_post(body: Body, title_code: str, person: Person | None, valid_from, valid_to, *, ignore=(), others=None) -> None:
    """Refuse the post (ValidationError naming the field) unless every rule holds. `others`: the
    posts of the body's title overlapping the period, when the caller has them (an import checks
    its rows against posts it read at once and the rows before); read here otherwise."""
    kind = body.kind
    found = config.title(kind, title_code)
    if found is None:
        raise ValidationError({"title": _("Chức danh này không thuộc “%(kind)s”.") % {"kind": config.BODY_KINDS[kind].label}})
    if valid_from is None:
        raise ValidationError({"valid_from": _("Hãy nhập ngày bắt đầu giữ chức.")})
    if valid_to is not None and valid_to <= valid_from:
        raise ValidationError({"valid_to": _("Ngày thôi giữ chức phải sau ngày bắt đầu giữ chức (%(date)s).") % {"date": fmt(valid_from)}})
    if not found.in_force_on(valid_from):
        if found.valid_to is not None and valid_from >= found.valid_to:
            message = _("Chức danh “%(title)s” không còn từ ngày %(date)s.") % {"title": found.label, "date": fmt(found.valid_to)}
        else:
            message = _("Chức danh “%(title)s” chỉ có từ ngày %(date)s.") % {"title": found.label, "date": fmt(found.valid_from)}
        raise ValidationError({"title": message})
    if found.valid_to is not None and (valid_to is None or valid_to > found.valid_to):
        raise ValidationError({"valid_to": _("Chức danh “%(title)s” không còn từ ngày %(date)s: hãy nhập ngày thôi giữ chức không muộn hơn ngày đó.") % {
            "title": found.label, "date": fmt(found.valid_to)}})
    if not body.in_force_on(valid_from):
        raise ValidationError({"valid_from": _("“%(body)s” không tồn tại vào ngày %(date)s.") % {"body": body.name, "date": fmt(valid_from)}})
    if body.valid_to is not None and (valid_to is None or valid_to > body.valid_to):
        raise ValidationError({"valid_to": _("“%(body)s” hết hiệu lực từ ngày %(date)s: chức vụ phải kết thúc không muộn hơn ngày đó.") % {
            "body": body.name, "date": fmt(body.valid_to)}})
    if others is None:
        others = list(Post.objects.filter(body=body, title=title_code).during(valid_from, (valid_to or FAR) - dt.timedelta(days=1))
                      .exclude(pk__in=list(ignore)).select_related("person"))
    if person is not None and person.pk is not None:
        same = next((p for p in others if p.person_id == person.pk), None)
        if same is not None:
            raise ValidationError({"person": _("%(name)s đã giữ chức danh “%(title)s” ở đây từ ngày %(date)s.") % {
                "name": person.full_name, "title": found.label, "date": fmt(same.valid_from)}})
    over = _holders_over(others, valid_from, valid_to, kind, title_code)
    if over is not None:
        day, limit, holding = over
        names = ", ".join(p.person.full_name for p in holding)
        raise ValidationError({"valid_from": _("Chức danh “%(title)s” chỉ có %(n)s người giữ cùng lúc; ngày %(date)s đã có: %(names)s.") % {
            "title": found.label, "n": limit.holders, "date": fmt(day), "names": names}})


def _person(person, new_person, actor, organization_id):
    if person is not None:
        return person
    if not new_person or not (new_person.get("full_name") or "").strip():
        raise ValidationError({"person": _("Hãy chọn người giữ chức vụ, hoặc nhập họ tên người mới.")})
    return create_person(actor=actor, organization_id=organization_id, **new_person)


@transaction.atomic
def appoint(*, actor, body: Body, title: str, valid_from: dt.date, person: Person | None = None,
            new_person: dict | None = None, obtained: str = Obtained.ELECTED, valid_to: dt.date | None = None,
            decision_number: str = "", decision_date: dt.date | None = None) -> Post:
    """A person takes a title of the body from valid_from (elected, appointed, designated or
    recognized); new_person (full_name, gender, birth_date...) creates the person in the same
    transaction when they have no record yet."""
    body = Body.objects.select_for_update().get(pk=body.pk)
    if valid_to is None and body.valid_to is not None and valid_from is not None and valid_from < body.valid_to:
        valid_to = body.valid_to  # a post in a body that ends ends with it
    if obtained not in Obtained.values:
        raise ValidationError({"obtained": _("Hãy chọn hình thức: bầu cử, bổ nhiệm, chỉ định hoặc công nhận.")})
    _check_post(body, title, person, valid_from, valid_to)
    person = _person(person, new_person, actor, _organization_id(body))
    with units_changing.watching([body.unit_id]):  # the political system's figures
        post = Post.objects.create(body=body, person=person, title=title, obtained=obtained, valid_from=valid_from,
                                   valid_to=valid_to, decision_number=decision_number.strip(), decision_date=decision_date)
    audit.record(actor=actor, event_type="grassroots.post.appointed", target=post, organization_id=_organization_id(body),
                 new=_snapshot(post))
    return post


def _end(actor, post: Post, valid_to: dt.date, reason: str, event_type: str) -> Post:
    if valid_to is None:
        raise ValidationError({"valid_to": _("Hãy nhập ngày thôi giữ chức.")})
    if not post.open:
        raise ValidationError({"valid_to": _("Chức vụ này đã kết thúc từ ngày %(date)s.") % {"date": fmt(post.valid_to)}})
    if post.valid_to is not None and valid_to > post.valid_to:
        raise ValidationError({"valid_to": _("“%(body)s” hết hiệu lực từ ngày %(date)s: chức vụ kết thúc không muộn hơn ngày đó.") % {
            "body": post.body.name, "date": fmt(post.valid_to)}})
    if valid_to <= post.valid_from:
        raise ValidationError({"valid_to": _("Ngày thôi giữ chức phải sau ngày bắt đầu giữ chức (%(date)s).") % {"date": fmt(post.valid_from)}})
    before = _snapshot(post)
    post.valid_to = valid_to
    post.end_reason = (reason or "").strip()[:255]
    with units_changing.watching([post.body.unit_id]):  # the political system's figures
        post.save(update_fields=["valid_to", "end_reason"])
    audit.record(actor=actor, event_type=event_type, target=post, organization_id=_organization_id(post.body), old=before,
                 new=_snapshot(post))
    return post


@transaction.atomic
def end_post(*, actor, post: Post, valid_to: dt.date, reason: str = "") -> Post:
    """The holder leaves the post from valid_to (the first day they no longer hold it)."""
    Body.objects.select_for_update().get(pk=post.body_id)
    post = Post.objects.select_related("body", "person").get(pk=post.pk)
    return _end(actor, post, valid_to, reason, "grassroots.post.ended")


@transaction.atomic
def replace(*, actor, post: Post, on: dt.date, person: Person | None = None, new_person: dict | None = None,
            obtained: str = Obtained.ELECTED, decision_number: str = "", decision_date=None, reason: str = "") -> Post:
    """The holder leaves on `on` and the successor takes the same title from that day: both or
    neither (a refused successor leaves the holder in post)."""
    Body.objects.select_for_update().get(pk=post.body_id)
    post = Post.objects.select_related("body", "person").get(pk=post.pk)
    if person is not None and person.pk == post.person_id:
        raise ValidationError({"person": _("Người thay thế trùng với người đang giữ chức vụ.")})
    with units_changing.watching([post.body.unit_id]):  # both posts' upkeep at once
        _end(actor, post, on, reason or _("Thay thế"), "grassroots.post.ended")
        return appoint(actor=actor, body=post.body, title=post.title, valid_from=on, person=person, new_person=new_person,
                   obtained=obtained, decision_number=decision_number, decision_date=decision_date)
