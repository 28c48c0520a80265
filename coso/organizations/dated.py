"""The organization-aware half of the effective-dated vocabulary (the other half: coso.lib.dated).

`.under(root, on=D)`: the records in force on D of the organizations placed under root on D (the
tree as it stood that day, decision 0001); root is an Organization, its id, or a placement path.
`.visible_to(scope)`: the records of organizations the user's scope sees (decision 0003).

Every effective-dated model tied to an organization (member periods; posts, assignments and the
other records the next capabilities add) uses `OrganizationDatedQuerySet`, naming the field that
holds the organization when it is not `organization`.
"""

from django.apps import apps
from django.db import connections
from django.db.models import Q

from coso.lib.dated import DatedQuerySet, in_force_q


def path_prefix_q(path: str, vendor: str, field: str = "path") -> Q:
    """The condition "field starts with path", in the form the database can serve from its index."""
    if vendor == "sqlite":
        return Q(**{f"{field}__gte": path, f"{field}__lt": path[:-1] + "0"})
    return Q(**{f"{field}__startswith": path})


def path_under(path: str, root_path: str) -> bool:
    """Whether the placement path lies under root_path (the node itself included): the condition
    path_prefix_q writes for the database, on a path already read."""
    return path.startswith(root_path)


def _placements():
    # by name: the models module builds its managers from this one
    return apps.get_model("organizations", "Placement").objects


def path_on(root, on) -> str | None:
    """The path of root on the date: a path is taken as given; an organization or id is looked up
    (None when it was not in force that day)."""
    if isinstance(root, str):
        return root
    organization_id = root if isinstance(root, int) else root.pk
    return _placements().on(on).filter(organization_id=organization_id).values_list("path", flat=True).first()


class PlacementQuerySet(DatedQuerySet):
    def under(self, root, on=None):
        """Placements under root (the node itself included). With on: those in force on the date
        under root's path of that date; without: every placement ever under the path (root must
        then be a path).

        PostgreSQL answers LIKE 'prefix%' from the varchar_pattern_ops index. SQLite's LIKE is
        case-insensitive and skips a plain index, so there the prefix becomes the equivalent
        range: every path under "/1/57/" sorts between "/1/57/" and "/1/570" ("0" follows "/").
        """
        qs = self if on is None else self.on(on)
        if on is None and not isinstance(root, str):
            raise TypeError("under() without a date takes a path")
        path = path_on(root, on)
        if path is None:
            return qs.none()
        return qs.filter(path_prefix_q(path, connections[self.db].vendor))

    def visible_to(self, scope):
        return self.filter(scope.placement_q())


class OrganizationDatedQuerySet(DatedQuerySet):
    organization_field = "organization"

    def under(self, root, on):
        """Records in force on the date whose organization lay under root on that date."""
        subtree = _placements().under(root, on=on).values("organization_id")
        return self.filter(in_force_q(on), **{f"{self.organization_field}_id__in": subtree})

    def visible_to(self, scope):
        return self.filter(scope.organization_q(self.organization_field))

