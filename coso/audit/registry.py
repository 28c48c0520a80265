"""Which object types have an audit history page, and how access to one object is checked.

The audit trail sits on the floor under every app (each app's services write to it), so it does
not import them. Each app that wants its objects' history shown registers, in its
AppConfig.ready, the target type it audits and its `get_<thing>_for_user(request, pk)` helper
(404 outside the user's scope): `register("members.member", get_member_for_user)`.
"""

_checks: dict = {}


def register(target_type: str, get_for_user) -> None:
    _checks[target_type] = get_for_user


def check_for(target_type: str):
    """The access helper for the target type, None for a type without a history page."""
    return _checks.get(target_type)

