"""Which object types have an audit history page, how access to one object is checked, and how
an event reads in Vietnamese.

The audit trail sits on the floor under every app (each app's services write to it), so it does
not import them. Each app registers, in its AppConfig.ready:

- the target type it audits and its `get_<thing>_for_user(request, pk)` helper (404 outside the
  user's scope): `register("members.member", get_member_for_user)`;
- the labels of its event types: `register_events({"organizations.organization.closed":
  _("Kết thúc hoạt động tổ chức")})`;
- where the keys of its events' before/after values are described, when they are not fields of
  the target's own model: `register_fields("members.member", MemberEvent, extra={"event":
  MemberEvent._meta.get_field("type")})`;
- how to name the objects its ids point at, in one query for many ids:
  `register_names(Organization, names_of)` (default: the objects' str()).
"""

_checks: dict = {}
_events: dict = {}
_fields: dict = {}
_names: dict = {}
_restricted: dict = {}


def register(target_type: str, get_for_user) -> None:
    _checks[target_type] = get_for_user


def check_for(target_type: str):
    """The access helper for the target type, None for a type without a history page."""
    return _checks.get(target_type)


def register_events(labels: dict) -> None:
    _events.update(labels)


def event_label(event_type: str):
    return _events.get(event_type)


def register_fields(target_type: str, *models, extra: dict | None = None) -> None:
    entry = _fields.setdefault(target_type, {"models": [], "extra": {}})
    entry["models"].extend(models)
    entry["extra"].update(extra or {})


def fields_for(target_type: str) -> dict:
    return _fields.get(target_type, {"models": [], "extra": {}})


def register_names(model, names_of) -> None:
    """names_of(ids) -> {id: name}: one query for the ids of one page."""
    _names[model._meta.label_lower] = names_of


def names_for(model):
    return _names.get(model._meta.label_lower)


def register_restricted(event_prefix: str, permission: str) -> None:
    """Events whose type starts with the prefix are listed only to scopes holding the permission
    (inspection: a case's events name its subject; organization staff read audits, not cases)."""
    _restricted[event_prefix] = permission


def hidden_prefixes(scope) -> list[str]:
    return [prefix for prefix, permission in _restricted.items() if not scope.can(permission)]
