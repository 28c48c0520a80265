"""Named permissions granted by roles, always on the user's scope (a subtree).

A permission string is "<area>.<action>". Views ask `scope.can("organizations.change")`;
object helpers answer 404 outside the subtree and 403 where the role may only read.
"people.sensitive" guards national ID, ethnicity and religion of individual persons
(DESIGN principle 4): organization and inspection staff need them; leaders read aggregates and
cell secretaries the everyday record, so they do not. "data.export" is logged per export.
"""

from .models import Role

VIEW = {
    "organizations.view",
    "places.view",
    "members.view",
    "quality.view",
    "evaluation.view",
    "grassroots.view",
    "training.view",
    "staffing.view",
    "activities.view",
    "resolutions.view",
    "targets.view",
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(
        VIEW | {"organizations.change", "places.change", "members.change", "members.import", "people.sensitive",
                "data.export", "audit.view", "access.manage", "evaluation.assess", "evaluation.decide",
                "training.change", "staffing.change", "activities.record",
                "grassroots.change", "restructuring.decide", "resolutions.change", "targets.change"}
        | {"inspection.view", "inspection.manage", "inspection.decide", "inspection.counts"}
    ),
    Role.ORG_STAFF: frozenset(
        VIEW | {"organizations.change", "places.change", "members.change", "members.import", "people.sensitive",
                "data.export", "audit.view", "evaluation.assess", "evaluation.decide",
                "training.change", "staffing.change", "activities.record",
                "grassroots.change", "restructuring.decide", "resolutions.change", "targets.change"}
        | {"inspection.counts"}  # figures of inspection work, never a case's contents
    ),
    Role.INSPECTION_STAFF: frozenset(VIEW | {"people.sensitive", "audit.view", "inspection.view", "inspection.manage",
                                             "inspection.decide", "inspection.identity", "inspection.counts"}),
    # a cell secretary runs the cell's self-assessment and proposal; the committee decides
    Role.CELL_SECRETARY: frozenset(VIEW | {"members.change", "evaluation.assess", "activities.record",
                                           "resolutions.change"}),
    Role.LEADER: frozenset(VIEW | {"data.export", "inspection.counts"}),
}


# The permissions that change records. A read-only scope (an account whose assignment ended, a
# scope whose organization ended: decision 0007) keeps every permission but these.
WRITE = frozenset({
    "organizations.change", "places.change", "members.change", "members.import", "access.manage",
    "evaluation.assess", "evaluation.decide",
    "grassroots.change",
    "inspection.manage", "inspection.decide",
    "training.change", "staffing.change",
    "activities.record",
    "restructuring.decide",
    "resolutions.change", "targets.change",
})
# Writes that place records in an organization: refused for an organization that has ended.
PLACING = frozenset({"members.import"})


def permissions_for(role: str) -> frozenset[str]:
    return ROLE_PERMISSIONS.get(role, frozenset())


def write_permission(write: bool | str, change: str) -> str | None:
    """The permission a `get_<thing>_for_user(request, pk, *, write=...)` call asks for: None for
    a read, the app's change permission for write=True, or the named one (write="members.import")."""
    if write is True:
        return change
    return write or None
