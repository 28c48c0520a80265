"""Who may see and change which member, candidate and person (DESIGN principle 4).

A member is visible when any of their periods lay in an organization of the user's scope (as
its cell or as the host of a temporary stay) or, while they are in transit, when the transfer's
target lies in the scope: the receiving side must see whom it is about to receive. A member is
writable when their current organization is in the scope; recording receipt of a transfer is
the receiving side's act, so it needs the target in the scope instead.

Object helpers answer 404 outside the scope and 403 where the user may only read.

Read access ends where the member left (decision 0007): a scope sees a member's history while
they were in its subtree, but once they have left it (moved to an organization outside it, or
the subtree itself ended while their record went on elsewhere), not their current record nor
their sensitive fields. `departures()` tells, for the members of a page, the last day each
departed member was in the scope's subtree.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from coso.access.permissions import write_permission
from coso.access.scope import scope_for
from coso.organizations.models import Placement
from coso.organizations.scope import Scope
from coso.people.models import Person

from .models import Candidate, EventType, Member, MemberEvent, MemberPeriod

VIEW = "members.view"
CHANGE = "members.change"


def last_transfer_target():
    """Subquery: the target of the member's latest transfer letter (their transit target while in_transit)."""
    return Subquery(
        MemberEvent.objects.filter(member=OuterRef("pk"), type=EventType.TRANSFER_OUT)
        .order_by("-effective_date", "-sequence", "-id")
        .values("target_id")[:1]
    )


def visible_members(scope: Scope):
    scope.require(VIEW)
    members = Member.objects.all()
    if scope.is_global:
        return members
    orgs = scope.organization_ids()
    placed = MemberPeriod.objects.filter(member=OuterRef("pk")).filter(Q(organization_id__in=orgs) | Q(host_id__in=orgs))
    return members.annotate(transit_target=last_transfer_target()).filter(
        Exists(placed) | Q(in_transit=True, transit_target__in=orgs)
    )


def get_member_for_user(request, pk, *, write: bool | str = False, receiving: bool = False) -> Member:
    """The member if visible (404 otherwise); with write, one the user may change (403 otherwise).

    receiving=True: the write is the receipt of a transfer, allowed to the side holding its target.
    """
    scope = scope_for(request)
    member = get_object_or_404(visible_members(scope).select_related("person__origin_unit", "person__residence_unit"), pk=pk)
    if write := write_permission(write, CHANGE):
        scope.require(write)
        if receiving:
            target = transit_target(member)
            if target is None or not scope.contains(target):
                raise PermissionDenied
        elif not scope.contains(member.organization_id):
            raise PermissionDenied
    return member


def transit_target(member: Member) -> int | None:
    if not member.in_transit:
        return None
    event = (
        MemberEvent.objects.filter(member=member, type=EventType.TRANSFER_OUT)
        .order_by("-effective_date", "-sequence", "-id")
        .only("target_id")
        .first()
    )
    return event.target_id if event else None


def visible_candidates(scope: Scope):
    scope.require(VIEW)
    candidates = Candidate.objects.all()
    if scope.is_global:
        return candidates
    return candidates.filter(organization_id__in=scope.organization_ids())


def get_candidate_for_user(request, pk, *, write: bool | str = False) -> Candidate:
    scope = scope_for(request)
    candidate = get_object_or_404(visible_candidates(scope).select_related("person__origin_unit", "person__residence_unit"), pk=pk)
    if write := write_permission(write, CHANGE):
        scope.require(write)
    return candidate


def visible_persons(scope: Scope):
    """Persons holding a visible membership or a candidacy in the scope."""
    if scope.is_global:
        scope.require(VIEW)
        return Person.objects.all()
    return Person.objects.filter(
        Q(pk__in=visible_members(scope).values("person_id")) | Q(pk__in=visible_candidates(scope).values("person_id"))
    )


def get_person_for_user(request, pk, *, write: bool | str = False) -> Person:
    """A person holding a visible membership or candidacy; with write, 403 without the permission
    (a person's record is changed by those who change members)."""
    scope = scope_for(request)
    person = visible_persons(scope).filter(pk=pk).first()
    if person is None:
        raise Http404
    if write := write_permission(write, CHANGE):
        scope.require(write)
    return person


# ---------------------------------------------------------------- where read access ends


def departure(periods, in_scope) -> dt.date | None:
    """The last day a member was in the scope's subtree, when their record went on after it;
    None while the record is the scope's (in it today, or ended there).

    periods: the member's spans (organization_id, host_id, valid_from, valid_to or None);
    in_scope: {organization_id: [(valid_from, valid_to or None)]}, the spans during which each
    organization lay in the subtree. Pure, so that a property test can check it."""
    if not periods:
        return None
    far = dt.date.max
    record_end = max(far if p[3] is None else p[3] for p in periods)
    last_in = None
    for organization_id, host_id, start, end in periods:
        for org in (organization_id, host_id):
            for a, b in in_scope.get(org, ()) if org else ():
                lo, hi = max(start, a), min(end or far, b or far)
                if lo < hi and (last_in is None or hi > last_in):
                    last_in = hi
    if last_in is None:
        return dt.date.min  # never in the subtree (seen as a transfer's target): nothing of the past
    if last_in >= record_end:
        return None
    return last_in - dt.timedelta(days=1)


def departures(scope: Scope, member_ids) -> dict[int, dt.date]:
    """{member id: last day in the subtree} for the members (of a page) who have left the
    scope's subtree; members absent from the answer are the scope's. Two queries."""
    member_ids = list(member_ids)
    if scope.is_global or not member_ids:
        return {}
    periods: dict[int, list] = {}
    orgs = set()
    for row in MemberPeriod.objects.filter(member_id__in=member_ids).values_list(
            "member_id", "organization_id", "host_id", "valid_from", "valid_to"):
        periods.setdefault(row[0], []).append(row[1:])
        orgs.update(o for o in row[1:3] if o)
    in_scope: dict[int, list] = {}
    for org, start, end in scope.placements(Placement.objects.filter(organization_id__in=orgs)).values_list(
            "organization_id", "valid_from", "valid_to"):
        in_scope.setdefault(org, []).append((start, end))
    out = {}
    for member_id in member_ids:
        day = departure(periods.get(member_id, []), in_scope)
        if day is not None:
            out[member_id] = day
    never = [i for i, day in out.items() if day == dt.date.min]
    if never:
        # a member on their way to an organization of the scope is the receiving side's to see
        for member_id in visible_members(scope).filter(pk__in=never, in_transit=True, transit_target__in=scope.organization_ids()).values_list("pk", flat=True):
            del out[member_id]
    return out
