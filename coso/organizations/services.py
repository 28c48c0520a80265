"""The write side of the organization tree. One function per action, atomic, audited.

Rules kept here (the views never touch placements):
- an organization has one open placement; a change closes it on the effective date and opens
  the next one, so the tree as it stood on any earlier date stays intact;
- a change is dated on or after the organization's last change (a change on the same day
  corrects that placement in place); back-dating into history is refused;
- the parent must be in force on the effective date with the path it has today, and the kinds
  must fit the Party's rules (rules.py);
- a move re-places the whole subtree in bulk, one insert and one update, audited in bulk.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coso.audit import services as audit
from coso.lib.text import clean

from .models import Change, CloseReason, Kind, Organization, Placement
from .rules import placement_error
from .watchers import areas_changing, placements_changing

TRACKED = ("name", "kind", "sector", "area_id", "parent_id", "path", "valid_from", "valid_to", "decision_number")


def _d(value: dt.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _snapshot(p: Placement) -> dict:
    data = {f: getattr(p, f) for f in TRACKED}
    data["villages"] = sorted(v.pk for v in p.villages.all()) if p.pk else []
    return data


def open_placement(organization: Organization, *, for_update: bool = False) -> Placement:
    qs = Placement.objects.current().filter(organization=organization)
    if for_update:
        qs = qs.select_for_update()
    placement = qs.first()
    if placement is None:
        raise ValidationError(_("Tổ chức này đã kết thúc hoạt động; không thể thay đổi."))
    return placement


def _parent_placement(parent: Organization, on: dt.date) -> Placement:
    """The parent's placement on the date, which must be its current one (same path as today)."""
    current = Placement.objects.current().filter(organization=parent).first()
    if current is None:
        raise ValidationError({"parent": _("Tổ chức cấp trên đã kết thúc hoạt động.")})
    on_date = Placement.objects.on(on).filter(organization=parent).first()
    if on_date is None:
        raise ValidationError(
            {"parent": _("Tổ chức cấp trên chưa có hiệu lực vào ngày %(date)s.") % {"date": _d(on)}}
        )
    if on_date.path != current.path:
        raise ValidationError(
            {
                "valid_from": _(
                    "Tổ chức cấp trên đã chuyển trực thuộc từ ngày %(date)s; ngày hiệu lực phải từ ngày đó trở đi."
                )
                % {"date": _d(current.valid_from)}
            }
        )
    return on_date


def _check_kind(kind: str, parent_kind: str | None, on: dt.date, field: str = "kind") -> None:
    if error := placement_error(kind, parent_kind, on):
        raise ValidationError({field: error})


def _check_name(name: str) -> str:
    name = clean(name)
    if not name:
        raise ValidationError({"name": _("Tên tổ chức không được để trống.")})
    return name


def _next_code() -> str:
    last = Organization.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return f"TC{last + 1:06d}"


@transaction.atomic
def create_organization(
    *,
    actor,
    parent: Organization | None,
    name: str,
    kind: str,
    valid_from: dt.date,
    sector: str = "other",
    area=None,
    villages=(),
    decision_number: str = "",
    decision_date: dt.date | None = None,
    code: str | None = None,
) -> Organization:
    name = _check_name(name)
    parent_placement = _parent_placement(parent, valid_from) if parent is not None else None
    _check_kind(kind, parent_placement.kind if parent_placement else None, valid_from)
    code = clean(code) if code else None
    if code and Organization.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Mã tổ chức %(code)s đã được dùng.") % {"code": code}})

    organization = Organization.objects.create(code=code or _next_code())
    parent_path = parent_placement.path if parent_placement else "/"
    with areas_changing.watching([organization.pk] if area else []):  # the figures of the area's unit
        placement = Placement.objects.create(
            organization=organization,
            parent=parent,
            name=name,
            kind=kind,
            sector=sector,
            area=area,
            path=f"{parent_path}{organization.pk}/",
            depth=parent_placement.depth + 1 if parent_placement else 0,
            valid_from=valid_from,
            change=Change.FOUNDED,
            decision_number=clean(decision_number),
            decision_date=decision_date,
        )
    if villages:
        placement.villages.set(villages)
    audit.record(
        actor=actor,
        event_type="organizations.organization.created",
        target=organization,
        organization_id=organization.pk,
        new=_snapshot(placement) | {"code": organization.code, "name": name},
    )
    return organization


def _open_children_kinds(organization: Organization) -> set[str]:
    return set(
        Placement.objects.filter(parent=organization)
        .current()
        .values_list("kind", flat=True)
    )


def _successor(current: Placement, valid_from: dt.date, change: str, **fields) -> tuple[Placement, bool]:
    """Close current on valid_from and return its unsaved successor, or correct it in place."""
    if valid_from < current.valid_from:
        raise ValidationError(
            {
                "valid_from": _(
                    "Ngày hiệu lực phải từ ngày %(date)s (ngày của thay đổi gần nhất) trở đi."
                )
                % {"date": _d(current.valid_from)}
            }
        )
    if valid_from == current.valid_from:
        for key, value in fields.items():
            setattr(current, key, value)
        return current, True
    successor = Placement(
        organization_id=current.organization_id,
        parent_id=current.parent_id,
        name=current.name,
        kind=current.kind,
        sector=current.sector,
        area_id=current.area_id,
        path=current.path,
        depth=current.depth,
        valid_from=valid_from,
        change=change,
    )
    for key, value in fields.items():
        setattr(successor, key, value)
    return successor, False


@transaction.atomic
def change_organization(
    *,
    actor,
    organization: Organization,
    valid_from: dt.date,
    decision_number: str = "",
    decision_date: dt.date | None = None,
    name: str | None = None,
    kind: str | None = None,
    sector: str | None = None,
    area=None,
    villages=None,
    change: str = Change.EDITED,
) -> Placement:
    """Edit or rename: a new placement from valid_from with the changed attributes."""
    current = open_placement(organization, for_update=True)
    before = _snapshot(current)
    fields: dict = {"decision_number": clean(decision_number), "decision_date": decision_date}
    if name is not None:
        fields["name"] = _check_name(name)
    if sector is not None:
        fields["sector"] = sector
    if area is not None or change == Change.EDITED:
        fields["area"] = area
    if kind is not None and kind != current.kind:
        parent_kind = (
            Placement.objects.on(valid_from).filter(organization_id=current.parent_id).values_list("kind", flat=True).first()
            if current.parent_id
            else None
        )
        _check_kind(kind, parent_kind, valid_from)
        for child_kind in _open_children_kinds(organization):
            if error := placement_error(child_kind, kind, valid_from):
                raise ValidationError({"kind": _("Không đổi được loại tổ chức vì tổ chức trực thuộc: %(error)s") % {"error": error}})
        fields["kind"] = kind
    had_area = current.area_id is not None  # read before _successor, which corrects a same-day placement in place
    placement, in_place = _successor(current, valid_from, change, **fields)
    # the figures of the units of the area it had and the one it has (measures.politicalledger)
    with areas_changing.watching([organization.pk] if had_area or placement.area_id is not None else []):
        if not in_place:
            current.valid_to = valid_from
            current.save(update_fields=["valid_to"])
            old_villages = list(current.villages.all())
        placement.save()
    if villages is not None:
        placement.villages.set(villages)
    elif not in_place:
        placement.villages.set(old_villages)
    after = _snapshot(placement)
    event = "organizations.organization.renamed" if change == Change.RENAMED else "organizations.organization.changed"
    audit.record(actor=actor, event_type=event, target=organization, organization_id=organization.pk, old=before, new=after)
    return placement


def rename_organization(*, actor, organization, name, valid_from, decision_number="", decision_date=None):
    return change_organization(
        actor=actor,
        organization=organization,
        valid_from=valid_from,
        decision_number=decision_number,
        decision_date=decision_date,
        name=name,
        change=Change.RENAMED,
    )


@transaction.atomic
def move_organization(
    *,
    actor,
    organization: Organization,
    new_parent: Organization,
    valid_from: dt.date,
    decision_number: str = "",
    decision_date: dt.date | None = None,
) -> Placement:
    """Place the organization under new_parent from valid_from, its whole subtree with it."""
    current = open_placement(organization, for_update=True)
    if new_parent.pk == organization.pk:
        raise ValidationError({"parent": _("Không thể chuyển một tổ chức vào chính nó.")})
    if current.parent_id == new_parent.pk:
        raise ValidationError({"parent": _("Tổ chức đã trực thuộc tổ chức này.")})
    target = _parent_placement(new_parent, valid_from)
    if target.path.startswith(current.path):
        raise ValidationError({"parent": _("Không thể chuyển một tổ chức vào tổ chức trực thuộc của chính nó.")})
    _check_kind(current.kind, target.kind, valid_from, field="parent")
    if valid_from <= current.valid_from:
        raise ValidationError(
            {"valid_from": _("Ngày chuyển phải sau ngày %(date)s (ngày của thay đổi gần nhất).") % {"date": _d(current.valid_from)}}
        )

    subtree = list(
        Placement.objects.current().under(current.path)
        .select_for_update()
        .prefetch_related("villages")
    )
    if any(p.valid_from >= valid_from for p in subtree):
        raise ValidationError(
            {"valid_from": _("Có tổ chức trực thuộc thay đổi từ ngày này trở về sau; ngày chuyển phải sau các thay đổi đó.")}
        )
    old_prefix, new_prefix = current.path, f"{target.path}{organization.pk}/"
    depth_shift = target.depth + 1 - current.depth
    successors = []
    for p in subtree:
        successor = Placement(
            organization_id=p.organization_id,
            parent_id=new_parent.pk if p.pk == current.pk else p.parent_id,
            name=p.name,
            name_folded=p.name_folded,
            name_order=p.name_order,
            kind=p.kind,
            sector=p.sector,
            area_id=p.area_id,
            path=new_prefix + p.path[len(old_prefix):],
            depth=p.depth + depth_shift,
            valid_from=valid_from,
            change=Change.MOVED if p.pk == current.pk else Change.ANCESTOR_MOVED,
            decision_number=clean(decision_number),
            decision_date=decision_date,
        )
        successors.append(successor)
    with placements_changing.watching([p.organization_id for p in subtree], valid_from):  # the ledger of counts
        Placement.objects.filter(pk__in=[p.pk for p in subtree]).update(valid_to=valid_from)
        created = Placement.objects.bulk_create(successors, batch_size=1000)
    through = Placement.villages.through
    through.objects.bulk_create(
        [
            through(placement_id=new.pk, adminunit_id=v.pk)
            for old, new in zip(subtree, created, strict=True)
            for v in old.villages.all()
        ],
        batch_size=1000,
    )
    events = []
    for old, new in zip(subtree, created, strict=True):
        event = audit.build_event(
                actor=actor,
                event_type="organizations.organization.moved" if old.pk == current.pk else "organizations.organization.ancestor_moved",
                target=Organization(pk=old.organization_id, code=""),
                organization_id=old.organization_id,
                old={"parent_id": old.parent_id, "path": old.path},
                new={"parent_id": new.parent_id, "path": new.path, "valid_from": valid_from, "decision_number": new.decision_number},
            )
        event.target_repr = old.name
        events.append(event)
    audit.record_many(events)
    return next(p for p in created if p.organization_id == organization.pk)


@transaction.atomic
def close_organization(
    *,
    actor,
    organization: Organization,
    closed_on: dt.date,
    reason: str = CloseReason.DISSOLVED,
    decision_number: str = "",
) -> None:
    current = open_placement(organization, for_update=True)
    if closed_on <= current.valid_from:
        raise ValidationError(
            {"closed_on": _("Ngày kết thúc phải sau ngày %(date)s (ngày của thay đổi gần nhất).") % {"date": _d(current.valid_from)}}
        )
    open_children = Placement.objects.current().filter(parent=organization).count()
    if open_children:
        raise ValidationError(
            {
                "closed_on": ngettext(
                    "Còn %(n)s tổ chức trực thuộc đang hoạt động; hãy chuyển hoặc kết thúc tổ chức đó trước.",
                    "Còn %(n)s tổ chức trực thuộc đang hoạt động; hãy chuyển hoặc kết thúc các tổ chức đó trước.",
                    open_children,
                )
                % {"n": open_children}
            }
        )
    before = _snapshot(current)
    current.valid_to = closed_on
    with placements_changing.watching([organization.pk], closed_on):  # the ledger of counts
        current.save(update_fields=["valid_to"])
    organization.closed_on = closed_on
    organization.close_reason = reason
    organization.close_decision = clean(decision_number)
    organization.save(update_fields=["closed_on", "close_reason", "close_decision"])
    audit.record(
        actor=actor,
        event_type="organizations.organization.closed",
        target=organization,
        organization_id=organization.pk,
        old=before,
        new={"valid_to": closed_on, "reason": reason, "decision_number": organization.close_decision},
    )


__all__ = [
    "Kind",
    "create_organization",
    "change_organization",
    "rename_organization",
    "move_organization",
    "close_organization",
    "open_placement",
]
