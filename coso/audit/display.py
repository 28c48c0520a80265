"""An audit event as an office worker reads it: what happened in Vietnamese, each changed field by
its name, each value as the pages show it (31/03/2024, a choice's label, an organization's name),
never a Python dict or an internal code.

The labels come from the apps (registry.register_events / register_fields / register_names); a
page of events resolves the ids it shows in one query per kind of object.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coso.lib.dates import fmt
from coso.lib.numbers import num

from . import registry

# keys that are bookkeeping, never what a user changed
HIDDEN = {"id", "pk", "password", "name_folded", "name_sort", "name_order", "path", "depth", "created_at", "updated_at",
          "last_login", "sequence"}
VERBS = {
    "created": gettext_lazy("tạo mới"), "changed": gettext_lazy("sửa"), "deleted": gettext_lazy("xóa"),
    "closed": gettext_lazy("kết thúc"), "renamed": gettext_lazy("đổi tên"), "moved": gettext_lazy("chuyển"),
    "imported": gettext_lazy("nhập từ Excel"), "refused": gettext_lazy("từ chối"), "published": gettext_lazy("công bố"),
}
# keys several apps write that are not a field of any one model
COMMON = {
    "event": gettext_lazy("sự kiện"), "reason": gettext_lazy("lý do"), "count": gettext_lazy("số lượng"),
    "rows": gettext_lazy("số dòng"), "file": gettext_lazy("tệp"), "note": gettext_lazy("ghi chú"),
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Described:
    event: object
    label: str
    target_label: str
    target_name: str = ""  # the target as named today (an organization's name, not its code)
    changes: list[Change] = field(default_factory=list)


def _model(target_type: str):
    try:
        return apps.get_model(target_type)
    except (LookupError, ValueError):
        return None


def _field(target_type: str, key: str):
    """The model field (or a label) that describes key in the events of target_type."""
    entry = registry.fields_for(target_type)
    if key in entry["extra"]:
        return entry["extra"][key]
    candidates = [m for m in [_model(target_type), *entry["models"]] if m is not None]
    for model in candidates:
        try:
            return model._meta.get_field(key)
        except FieldDoesNotExist:
            pass
        for f in model._meta.concrete_fields:
            if f.attname == key:
                return f
    return None


def event_label(event_type: str, target_type: str) -> str:
    label = registry.event_label(event_type)
    if label is not None:
        return str(label)
    parts = event_type.split(".")
    verb = VERBS.get(parts[-1], _("thay đổi"))
    if parts[0] == "admin" and len(parts) >= 4:
        model = _model(f"{parts[1]}.{parts[2]}")
        name = model._meta.verbose_name if model else _("bản ghi")
        return _("Trang quản trị: %(verb)s %(name)s") % {"verb": verb, "name": name}
    model = _model(target_type)
    name = model._meta.verbose_name if model else _("bản ghi")
    return _("%(name)s: %(verb)s") % {"name": str(name).capitalize(), "verb": verb}


def target_label(target_type: str) -> str:
    model = _model(target_type)
    return str(model._meta.verbose_name).capitalize() if model else ""


def _is_relation(f) -> bool:
    return isinstance(f, models.Field) and f.is_relation and f.related_model is not None


def _ids(value) -> list:
    values = value if isinstance(value, (list, tuple)) else [value]
    return [v for v in values if isinstance(v, int) and not isinstance(v, bool)]


class _Names:
    """The names of the objects a page of events points at: one query per related model."""

    def __init__(self):
        self.wanted: dict = {}
        self.found: dict = {}

    def want(self, model, value):
        self.wanted.setdefault(model, set()).update(_ids(value))

    def load(self):
        for model, ids in self.wanted.items():
            if not ids:
                continue
            names_of = registry.names_for(model)
            if names_of is not None:
                found = names_of(ids)
            else:
                found = {pk: str(obj) for pk, obj in model._default_manager.in_bulk(ids).items()}
            self.found[model] = found

    def name(self, model, pk) -> str:
        return self.found.get(model, {}).get(pk) or f"#{pk}"


def _text(value, f, names: _Names) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(f, models.Field):
        if _is_relation(f):
            if isinstance(value, (list, tuple)):
                return ", ".join(names.name(f.related_model, v) for v in value)
            if isinstance(value, int):
                return names.name(f.related_model, value)
        if f.choices:
            labels = {str(k): v for k, v in f.flatchoices}
            if isinstance(value, (list, tuple)):
                return ", ".join(str(labels.get(str(v), v)) for v in value)
            return str(labels.get(str(value), value))
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, (int, float)) and not _is_relation(f):
        return num(value)
    if isinstance(value, str):
        if _ISO_DATE.match(value):
            try:
                return fmt(dt.date.fromisoformat(value))
            except ValueError:
                return value
        if _ISO_DATETIME.match(value):
            try:
                moment = dt.datetime.fromisoformat(value)
                return f"{fmt(moment.date())} {moment:%H:%M}"
            except ValueError:
                return value
        return value
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v, None, names) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v, None, names)}" for k, v in value.items())
    return str(value)


def _label(f, key: str) -> str:
    if isinstance(f, models.Field):
        return str(f.verbose_name).capitalize()
    if f is not None:
        return str(f).capitalize()
    if key in COMMON:
        return str(COMMON[key]).capitalize()
    return key.removesuffix("_id").replace("_", " ").capitalize()


def _shown(f, key: str) -> bool:
    if key in HIDDEN:
        return False
    return not (isinstance(f, models.Field) and not f.editable and not f.is_relation and key not in COMMON)


def describe(events) -> list[Described]:
    """The page's events, each with its label and its changes (old → new), names resolved in bulk."""
    names = _Names()
    plans = []
    for e in events:
        target_model = _model(e.target_type)
        if target_model is not None and registry.names_for(target_model) is not None and str(e.target_id).isdigit():
            names.want(target_model, int(e.target_id))
        old = e.old if isinstance(e.old, dict) else ({} if e.old is None else {"": e.old})
        new = e.new if isinstance(e.new, dict) else ({} if e.new is None else {"": e.new})
        keys = list(dict.fromkeys([*new, *old]))
        rows = []
        for key in keys:
            f = _field(e.target_type, key) if key else None
            if not _shown(f, key):
                continue
            if key in old and key in new and old[key] == new[key]:
                continue
            for side in (old, new):
                if key in side and _is_relation(f):
                    names.want(f.related_model, side[key])
            rows.append((key, f, old.get(key), new.get(key), key in old, key in new))
        plans.append((e, rows))
    names.load()
    out = []
    for e, rows in plans:
        d = Described(event=e, label=event_label(e.event_type, e.target_type), target_label=target_label(e.target_type))
        target_model = _model(e.target_type)
        if target_model is not None and registry.names_for(target_model) is not None and str(e.target_id).isdigit():
            d.target_name = names.found.get(target_model, {}).get(int(e.target_id), "")
        for key, f, before, after, had, has in rows:
            old = _text(before, f, names) if had else ""
            new = _text(after, f, names) if has else ""
            if old in ("", "—") and new in ("", "—"):
                continue  # nothing to say: blank before and after
            d.changes.append(Change(label=_label(f, key) if key else _("Giá trị"), old="" if old == "—" else old, new=new))
        out.append(d)
    return out
