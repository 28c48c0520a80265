"""Named permissions granted by roles, always on the user's scope (a subtree).

A permission string is "<area>.<action>". Views ask `scope.can("organizations.change")`;
object helpers answer 404 outside the subtree and 403 where the role may only read.
"""

from .models import Role

VIEW = {
    "organizations.view",
    "places.view",
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(VIEW | {"organizations.change", "places.change", "audit.view", "access.manage"}),
    Role.ORG_STAFF: frozenset(VIEW | {"organizations.change", "places.change", "audit.view"}),
    Role.INSPECTION_STAFF: frozenset(VIEW | {"audit.view"}),
    Role.CELL_SECRETARY: frozenset(VIEW),
    Role.LEADER: frozenset(VIEW),
}


def permissions_for(role: str) -> frozenset[str]:
    return ROLE_PERMISSIONS.get(role, frozenset())
