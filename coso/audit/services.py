"""Write audit events. Call from inside the service's transaction.atomic block."""

import datetime as dt
import decimal
import uuid

from django.db import transaction
from django.db.models import Model

from .models import AuditEvent


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, Model):
        return value.pk
    return value


def target_type_of(target) -> str:
    return f"{target._meta.app_label}.{target._meta.model_name}"


def build_event(*, actor, event_type: str, target, organization_id=None, old=None, new=None) -> AuditEvent:
    return AuditEvent(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=(actor.get_username() if actor is not None and actor.pk else "system"),
        organization_id=organization_id,
        event_type=event_type,
        target_type=target_type_of(target),
        target_id=str(target.pk),
        target_repr=str(target)[:255],
        old=_jsonable(old) if old is not None else None,
        new=_jsonable(new) if new is not None else None,
    )


def record(*, actor, event_type: str, target, organization_id=None, old=None, new=None) -> AuditEvent:
    """Write one event. Must run inside the caller's transaction so both commit or neither."""
    assert transaction.get_connection().in_atomic_block, "audit.record must run inside the service transaction"
    event = build_event(
        actor=actor, event_type=event_type, target=target, organization_id=organization_id, old=old, new=new
    )
    event.save()
    return event


def record_many(events: list[AuditEvent]) -> None:
    """Bulk operations write their events in one insert, in the same transaction."""
    assert transaction.get_connection().in_atomic_block, "audit.record_many must run inside the service transaction"
    AuditEvent.objects.bulk_create(events, batch_size=1000)
