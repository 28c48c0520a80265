"""The read side of the organization tree. Every function takes the user's Scope."""

import datetime as dt

from django.db.models import Count
from django.http import Http404
from django.utils import timezone

from coso.lib.text import fold
from coso.organizations.scope import Scope

from .models import Kind, Organization, Placement, path_ids

# committees before cells, in the order of the tree's levels
KIND_RANK = {kind: rank for rank, kind in enumerate(Kind.values)}


def today() -> dt.date:
    return timezone.localdate()


# the largest id a key column holds (BigAutoField: a signed 64-bit integer on SQLite and PostgreSQL);
# a larger number is no organization, and SQLite raises OverflowError if it is sent as a parameter
MAX_ID = 2**63 - 1


def requested_organization_id(request, default: int | None = None, param: str = "to_chuc") -> int | None:
    """The organization id a page is asked for (?to_chuc=), default when absent; 404 when unreadable
    or out of the ids' range (below 1, above the database's largest key).
    Pickers render ids with the thousands separator ("1.234"): those read too. The caller still
    checks the id against the scope."""
    raw = (request.GET.get(param) or "").replace(".", "").replace(",", "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 19:
        raise Http404
    value = int(raw)
    if not 1 <= value <= MAX_ID:
        raise Http404
    return value


def organization_label(organization: Organization) -> str:
    """An organization's current (or last) name, for pickers and labels."""
    placement = Placement.objects.filter(organization=organization).order_by("-valid_from").only("name").first()
    return placement.name if placement else organization.code


def placement_on(organization_id: int, on: dt.date) -> Placement | None:
    return (
        Placement.objects.on(on)
        .filter(organization_id=organization_id)
        .select_related("area", "parent")
        .first()
    )


def last_placement(organization_id: int) -> Placement | None:
    return Placement.objects.filter(organization_id=organization_id).select_related("area").order_by("-valid_from").first()


def display_placement(organization_id: int, on: dt.date) -> Placement:
    """The placement on the date, or the last one for an organization closed by then."""
    placement = placement_on(organization_id, on) or last_placement(organization_id)
    if placement is None:
        raise Http404
    return placement


def child_counts(parent_ids, on: dt.date) -> dict[int, int]:
    """Children in force on the date for each parent: one grouped query."""
    rows = (
        Placement.objects.on(on)
        .filter(parent_id__in=list(parent_ids))
        .values("parent_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["parent_id"]: r["n"] for r in rows}


def with_child_counts(placements, on: dt.date) -> list[Placement]:
    placements = list(placements)
    counts = child_counts([p.organization_id for p in placements], on)
    for p in placements:
        p.child_count = counts.get(p.organization_id, 0)
    return placements


def children(scope: Scope, organization_id: int, on: dt.date) -> list[Placement]:
    qs = (
        Placement.objects.on(on)
        .filter(parent_id=organization_id)
        .visible_to(scope)
        .select_related("organization", "area")
    )
    return sorted(with_child_counts(qs, on), key=lambda p: (KIND_RANK[p.kind], p.name_order))


def roots(scope: Scope, on: dt.date) -> list[Placement]:
    """The first level of the tree for the user: the whole forest's roots or the scope organization."""
    qs = Placement.objects.on(on).select_related("organization", "area")
    if scope.is_global:
        qs = qs.filter(parent__isnull=True)
    elif scope.is_empty:
        return []
    else:
        qs = qs.filter(organization_id=scope.root_id)
    return with_child_counts(qs.order_by("name_order", "organization_id"), on)


def ancestors(placement: Placement, on: dt.date, scope: Scope) -> list[Placement]:
    """The placements on the date of the nodes above, root first, limited to the user's scope."""
    ids = path_ids(placement.path)[:-1]
    if not ids:
        return []
    found = {
        p.organization_id: p
        for p in Placement.objects.on(on).filter(organization_id__in=ids).visible_to(scope)
    }
    if not found:
        # the placement is historical (closed before the date): fall back to the path's time
        found = {
            p.organization_id: p
            for p in Placement.objects.filter(organization_id__in=ids, valid_from__lte=placement.valid_from)
            .visible_to(scope)
            .order_by("organization_id", "valid_from")
        }
    return [found[i] for i in ids if i in found]


def search(scope: Scope, query: str, on: dt.date, limit: int = 50) -> list[Placement]:
    """Organizations in force on the date whose name contains the query, typed with or without diacritics."""
    needle = fold(query)
    if not needle:
        return []
    qs = (
        Placement.objects.on(on)
        .visible_to(scope)
        .filter(name_folded__contains=needle)
        .select_related("organization", "area")
        .order_by("depth", "name_folded")[:limit]
    )
    return list(qs)


def history(organization: Organization) -> list[Placement]:
    """Every placement, each with parent_name: the parent's name on the day the placement began."""
    rows = list(
        Placement.objects.filter(organization=organization)
        .select_related("area")
        .order_by("valid_from")
    )
    parents = Placement.objects.filter(organization_id__in={p.parent_id for p in rows if p.parent_id})
    by_parent: dict[int, list[Placement]] = {}
    for p in parents.only("organization_id", "name", "valid_from", "valid_to"):
        by_parent.setdefault(p.organization_id, []).append(p)
    for row in rows:
        row.parent_name = next(
            (
                p.name
                for p in by_parent.get(row.parent_id, [])
                if p.in_force_on(row.valid_from)
            ),
            "",
        )
    return rows



def organization_names(ids) -> dict[int, str]:
    """{organization id: its latest name} for a page that names organizations by id (the audit
    log): one query."""
    names = {}
    for organization_id, name in (Placement.objects.filter(organization_id__in=ids)
                                  .order_by("organization_id", "valid_from").values_list("organization_id", "name")):
        names[organization_id] = name  # the last placement wins
    return names


def ancestry(organization_ids) -> set[int]:
    """The organizations and every organization that has ever been one of their ancestors (on any
    date, from the paths of all their placements): whose subtree's figures a row of theirs counts.
    One query."""
    ids = {int(i) for i in organization_ids}
    for path in Placement.objects.filter(organization_id__in=ids).values_list("path", flat=True).distinct():
        ids.update(path_ids(path))
    return ids
