"""The read side: restructurings a scope sees, and an organization's lineage as its page shows it."""

from django.db.models import Q

from coso.organizations.models import Placement

from .models import Lineage, Restructuring


def visible(scope):
    """Restructurings decided by a committee the scope holds, newest first."""
    if scope.is_empty:
        return Restructuring.objects.none()
    return Restructuring.objects.filter(scope.organization_q("organization")).select_related("organization").order_by(
        "-effective_date", "-id")


def last_names(org_ids) -> dict:
    """The last name of each organization (the name it had when it ended, for an ended one)."""
    names = {}
    if not org_ids:
        return names
    for org_id, name in Placement.objects.filter(organization_id__in=org_ids).order_by("valid_from").values_list("organization_id", "name"):
        names[org_id] = name
    return names


def lineage(organization_id: int, scope) -> dict:
    """Predecessors and successors with their dates, decision and share. An organization outside
    the user's scope is named only as such (decision 0013): a user of an ended district reads
    where its parts went, not the successors' other areas."""
    links = list(Lineage.objects.filter(Q(predecessor_id=organization_id) | Q(successor_id=organization_id))
                 .select_related("restructuring").order_by("effective_date", "id"))
    others = {link.successor_id if link.predecessor_id == organization_id else link.predecessor_id for link in links}
    # the ones the scope sees, in one query (not a question per organization), and only their names
    visible_ids = set(scope.organizations().filter(pk__in=others).values_list("pk", flat=True)) if others else set()
    names = last_names(visible_ids)
    out = {"predecessors": [], "successors": []}
    for link in links:
        other = link.successor_id if link.predecessor_id == organization_id else link.predecessor_id
        row = {"organization_id": other if other in visible_ids else None, "name": names.get(other) if other in visible_ids else None,
               "kind": link.get_kind_display(), "share": link.share, "date": link.effective_date, "restructuring": link.restructuring}
        out["successors" if link.predecessor_id == organization_id else "predecessors"].append(row)
    return out
